"""What the commands share: exit statuses, the bundled example, the default output folder, the
``--set`` option, and how bad input is reported (used by planner/cli/app.py and the command
groups it registers, which therefore need not import app.py back)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_WRITE_FAILED = 0, 1, 2, 3, 4, 5

#: The bundled example, shipped inside the package: `trust-planner solve` with no argument solves it.
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example.xlsx"
OUTPUT_DIR = Path("outputs")

err = Console(stderr=True, highlight=False)

SetOption = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="SHEET[COL=V,...].COLUMN=V",
    help="Change cells before validation: SHEET[COL=V,...].COLUMN=V (matching rows), Settings.KEY=V, "
         "SHEET+[COL=V,...] (a new row). Repeatable.")]


def bad_input(exc, name: str):
    """Print every problem of an InputError and exit 2 (bad input)."""
    from planner.cli.terminal import problems_table

    err.print(problems_table(exc.problems, escape(f"{len(exc.problems)} problem(s) in {name}")))
    if exc.warnings:
        err.print(problems_table(exc.warnings, "warnings"))
    err.print(f"[red]{escape(name)} is not valid: nothing was solved or written.[/red]")
    raise typer.Exit(EXIT_BAD_INPUT) from None
