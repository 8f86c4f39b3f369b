"""The command line (`trust-planner ...`): the Typer app and its commands."""

from planner import __version__
from planner.cli.app import EXAMPLE, app, main

__all__ = ["EXAMPLE", "__version__", "app", "main"]
