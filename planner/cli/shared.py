"""What the commands share: exit statuses, the bundled example, the default output folder, the
``--set``, ``--time-limit`` and ``--mip-gap`` options, and how bad input is reported (used by
planner/cli/app.py and the command groups it registers, which therefore need not import app.py
back)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

#: Every command's exit statuses (README "Exit statuses"): the one place they are defined.
EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_WRITE_FAILED = 0, 1, 2, 3, 4, 5
#: `check`: the plan breaks a rule (1, as an internal error: either way the plan is not to be trusted).
EXIT_VIOLATIONS = 1

#: The bundled example, shipped inside the package: `trust-planner solve` with no argument solves it.
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example.xlsx"
OUTPUT_DIR = Path("outputs")

err = Console(stderr=True, highlight=False)

SetOption = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="SHEET[COL=V,...].COLUMN=V",
    help="Change cells before validation: SHEET[COL=V,...].COLUMN=V (matching rows), Settings.KEY=V, "
         "SHEET+[COL=V,...] (a new row). Repeatable.")]


def _as_setting(key: str):
    """A typer callback checking an option against the Settings field ``key`` (its range in
    planner.schema.records: one rule for the sheet and the option; NaN and infinity refused
    there too), so a bad value ends the command at once with exit 2 (click's usage error)."""
    def check(value: Optional[float]) -> Optional[float]:
        from pydantic import ValidationError

        from planner.schema.records import SETTINGS_MODEL, bounds

        if value is None:
            return value
        try:
            SETTINGS_MODEL.model_validate({key: value})
        except ValidationError:
            lo, hi = bounds(SETTINGS_MODEL, key)
            raise typer.BadParameter(f"{value:g} is not a number from {lo:g} to {hi:g} (the range of the Settings "
                                     f"key {key}).") from None
        return value
    return check


TimeLimitOption = Annotated[Optional[float], typer.Option(
    "--time-limit", callback=_as_setting("time_limit_s"), help="Solver time limit, seconds (default: the "
    "Settings time_limit_s).")]
MipGapOption = Annotated[Optional[float], typer.Option(
    "--mip-gap", callback=_as_setting("mip_gap"), help="Relative MIP gap to stop at (default: the Settings "
    "mip_gap).")]


def bad_input(exc, name: str):
    """Print every problem of an InputError and exit 2 (bad input)."""
    from planner.cli.terminal import problems_table

    err.print(problems_table(exc.problems, escape(f"{len(exc.problems)} problem(s) in {name}")))
    if exc.warnings:
        err.print(problems_table(exc.warnings, "warnings"))
    err.print(f"[red]{escape(name)} is not valid: nothing was solved or written.[/red]")
    raise typer.Exit(EXIT_BAD_INPUT) from None
