"""`trust-planner report PLAN [-o REPORT.html]`: the plan as one self-contained HTML page
(planner.report.html) to read in any browser and print to PDF.

Exit statuses: 0 written; 2 PLAN is not a readable plan, or the output may not be written
(planner.cli.outputs' pre-flight).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.outputs import preflight, say_replaced
from planner.io.targets import Target

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def default_report_path(plan: Path) -> Path:
    """The report beside its plan: outputs/example-plan.xlsx -> outputs/example-plan.html."""
    return plan.with_suffix(".html")


def report(
    plan: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan workbook.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="REPORT.html",
                                                   help="Report to write (default: PLAN with .html).")] = None,
) -> None:
    """Write PLAN as one HTML page: status, what to build, dependencies, supply by country, costs,
    binding policies. Self-contained (no script, nothing fetched); prints cleanly to PDF."""
    from planner.cli.plans import _read

    target = output or default_report_path(plan)
    replaced = preflight([Target(target, "-o")], inputs=[plan])
    saved = _read(plan)
    write_and_say(saved, target, replaced)


def write_and_say(saved, target: Path, replaced) -> None:
    """Write the report of a SavedPlan and say where it went (also for `solve --report`)."""
    from planner.report.html import write_report

    write_report(saved, target)
    console.print(f"Report written to [bold]{escape(str(target))}[/bold]")
    say_replaced(console, replaced, target)
