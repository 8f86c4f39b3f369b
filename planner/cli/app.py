"""The command line: `trust-planner solve | validate | template | ...`.

Exit statuses: 0 plan written (or input valid); 1 internal error (one line; --debug
shows the traceback); 2 bad input or an output target refused before reading; 3
infeasible; 4 no plan found within the time limit; 5 an output could not be written
(disk full...), the previous file unchanged.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from planner import __version__
from planner.cli import signals
from planner.cli.outputs import preflight, say_replaced
from planner.cli.shared import (EXAMPLE, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_NO_PLAN, EXIT_OK,
                                EXIT_WRITE_FAILED, OUTPUT_DIR, MipGapOption, SetOption, TimeLimitOption, bad_input)
from planner.io.targets import LOG_HEADER, Target, TargetError, WriteFailed


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Optimization-based sourcing planner for critical minerals and pharmaceutical ingredients.")
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class _State:
    debug = False


def _version(value: bool) -> None:
    if value:
        console.print(f"trust-planner {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of internal errors.")] = False,
) -> None:
    _State.debug = debug


def default_plan_path(input_path: Path) -> Path:
    return OUTPUT_DIR / f"{input_path.stem}-plan.xlsx"


#: `--set`, on every command that reads a workbook (planner.io.reading.overrides).
def _input_or_exit(path: Path) -> None:
    if not path.exists():
        err.print(f"[red]input not found: {escape(str(path))}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)


def _read_or_exit(path: Path, raise_limits: bool = False, sets: Optional[list[str]] = None):
    """Read and validate `path` with the `--set` overrides; on bad input print every problem and exit 2."""
    from planner.schema.problems import InputError
    from planner.io.reading import Limits, read_input
    from planner.io.reading.overrides import parse_all

    limits = Limits.large() if raise_limits else Limits()
    try:
        dataset, warnings = read_input(path, limits=limits, overrides=parse_all(sets or ()))
    except InputError as exc:
        bad_input(exc, path.name)
    if warnings:
        from planner.cli.terminal import problems_table
        err.print(problems_table(warnings, f"{len(warnings)} warning(s)"))
    return dataset


@app.command()
def solve(
    input_path: Annotated[Optional[Path], typer.Argument(
        metavar="[INPUT]", help="Input workbook (default: the bundled example).")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Plan workbook to write.")] = None,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    log: Annotated[Optional[Path], typer.Option("--log", help="Write the HiGHS log to this file.")] = None,
    large: Annotated[bool, typer.Option("--large-input", help="Raise the safe-reading limits.")] = False,
    explain: Annotated[Optional[Path], typer.Option(
        "--explain", help="If no plan exists, write the conflicting policies and limits to this workbook.")] = None,
    marginals: Annotated[bool, typer.Option(
        "--marginals/--no-marginals", help="Add the Marginal values sheet (an extra LP solve).")] = True,
    plots: Annotated[Optional[Path], typer.Option(
        "--plots", metavar="DIR", help="Also write the plan's charts as PNG files to DIR.")] = None,
    lp_start: Annotated[Optional[bool], typer.Option(
        "--lp-start/--no-lp-start", show_default="on from 10,000 model columns",
        help="First find a plan from the LP relaxation, then give it to the MIP.")] = None,
    sets: SetOption = None,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write the plan's HTML report, beside the plan (its name with .html).")] = False,
    report_file: Annotated[Optional[Path], typer.Option(
        "--report-file", metavar="FILE", help="Also write the plan's HTML report, to FILE.")] = None,
    start: Annotated[Optional[Path], typer.Option(
        "--start", metavar="PLAN", help="Start from a saved plan's decisions (those that no longer fit are "
        "dropped or repaired; the Summary counts them).")] = None,
    stable: Annotated[bool, typer.Option(
        "--stable", help="With --start: among plans within the gap, the one changing the fewest of the start's "
        "decisions (a second solve).")] = False,
) -> None:
    """Validate INPUT, solve the sourcing plan and write the plan workbook."""
    from models.outcome import SolveOptions, Status
    from models.solve import solve_dataset
    from planner.io.plan import MARGINAL_SHEET, write_plan
    from planner.io.workbook_style import write_atomic
    from planner.cli.progress import live_progress
    from planner.cli.report import default_report_path, write_and_say
    from planner.cli.terminal import print_plan_summary
    from planner.plans.digest import digest

    path = input_path or EXAMPLE
    plan_path = output or default_plan_path(path)
    report_path = report_file or (default_report_path(plan_path) if report else None)
    replaced = preflight([Target(plan_path, "-o"), Target(explain, "--explain"), Target(log, "--log"),
                          Target(plots, "--plots", "folder"),
                          Target(report_path, "--report-file" if report_file else "--report")], inputs=[path])
    _input_or_exit(path)
    if stable and start is None:
        err.print("[red]--stable needs --start PLAN (the plan whose decisions to keep where possible)[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
    decisions = _start_decisions(start) if start is not None else None
    dataset = _read_or_exit(path, large, sets)
    if log:  # HiGHS appends to its log file: start a fresh one, marked as ours (planner.io.targets)
        write_atomic(log, f"{LOG_HEADER} of trust-planner solve {path.name}\n".encode())
    with live_progress(console, quiet) as on_progress:
        options = SolveOptions(time_limit_s=time_limit, mip_gap=mip_gap, log_file=log, on_progress=on_progress,
                               marginals=marginals, lp_start=lp_start, start=decisions, stable=stable)
        outcome = solve_dataset(dataset, options)
    if outcome.status is Status.INFEASIBLE:
        _explain_infeasible(dataset, options, explain, quiet, replaced)
        raise typer.Exit(EXIT_INFEASIBLE)
    if outcome.status is Status.NO_SOLUTION:
        err.print(f"[red]no plan found within the time limit ({outcome.solve_seconds:.1f} s); "
                  "raise --time-limit or the Settings time_limit_s. Nothing written.[/red]")
        raise typer.Exit(EXIT_NO_PLAN)
    if not outcome.status.has_plan:
        err.print(f"[red]solver ended with: {outcome.status.value}. {escape(outcome.message)}[/red]")
        raise typer.Exit(EXIT_INTERNAL)
    extra = {MARGINAL_SHEET: outcome.marginals} if outcome.marginals is not None else None
    write_plan(plan_path, outcome, dataset, extra_sheets=extra)
    saved = _saved_plan(plan_path, outcome, dataset)
    print_plan_summary(console, digest(saved), plan_path)
    if outcome.start:
        console.print(_start_line(outcome.start))
    say_replaced(console, replaced, plan_path)
    if report_path is not None:
        write_and_say(saved, report_path, replaced)
    if plots:
        _export_plots(outcome, dataset, plots, plan_path.stem)
    if marginals and outcome.marginals is None:
        why = next((part for part in outcome.message.split("; ") if part.startswith("marginal values")), "")
        err.print(f"[yellow]no Marginal values sheet ({escape(why or outcome.message)})[/yellow]")


def _saved_plan(path: Path, outcome, dataset):
    """The plan just written, as read_plan would give it (without reading it back)."""
    from planner.io.plan import summary_rows
    from planner.plans.saved_plan import plan_in_memory

    return plan_in_memory(path, dict(summary_rows(outcome, dataset)), outcome.tables, dataset, outcome.marginals)


def _start_decisions(path: Path):
    """The decisions of the saved plan at ``path`` (planner.plans.decisions); exit 2 if it is not one."""
    from planner.plans.decisions import plan_decisions
    from planner.plans.saved_plan import PlanError, read_plan

    try:
        return plan_decisions(read_plan(path))
    except PlanError as exc:
        err.print(f"[red]--start: {escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _start_line(rows: dict) -> str:
    """One line on what became of the start's decisions (the Summary's start.* and stable.* rows)."""
    line = (f"Started from {rows['start.plan']}: {rows['start.decisions_used']} of {rows['start.decisions']} "
            f"decisions used, {rows['start.decisions_dropped']} dropped, {rows['start.decisions_repaired']} "
            "repaired")
    if "stable.changes_after" in rows:
        line += (f"; --stable: {rows['stable.changes_after']} integer decision(s) changed against it "
                 f"({rows['stable.changes_before']} before)")
    return line + "."


def _export_plots(outcome, dataset, directory: Path, prefix: str) -> None:
    """PNG copies of the plan's charts; the plan is already written, so a missing
    matplotlib or a foreign file in the way is a warning, not a failure."""
    from planner.io.charts import ChartsUnavailable, export_pngs, plan_chart_blocks

    try:
        written = export_pngs(plan_chart_blocks(outcome.tables, dataset, outcome.costs), directory, prefix)
    except (ChartsUnavailable, TargetError) as exc:
        err.print(f"[yellow]{escape(str(exc))}[/yellow]")
        return
    for path in written:
        console.print(f"Chart written to [bold]{escape(str(path))}[/bold]")


def _explain_infeasible(dataset, options, explain: Optional[Path], quiet: bool, replaced) -> None:
    """Name the conflicting policies and limits (models.analysis.diagnosis); write them to ``explain`` if given."""
    from dataclasses import replace

    from models.analysis.diagnosis import diagnose
    from planner.cli.explain import print_diagnosis, write_diagnosis
    from planner.cli.progress import live_progress

    err.print("[red]infeasible: no plan satisfies every policy and limit; no plan written.[/red]")
    with live_progress(console, quiet, "looking for the conflicting policies and limits") as on_progress:
        diagnosis = diagnose(dataset, replace(options, on_progress=on_progress))
    print_diagnosis(err, diagnosis, explain)
    if explain:
        write_diagnosis(explain, diagnosis, dataset)
        err.print(f"Diagnosis written to [bold]{escape(str(explain))}[/bold]")
        say_replaced(err, replaced, explain)


@app.command()
def validate(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="Input workbook to check.")],
    large: Annotated[bool, typer.Option("--large-input", help="Raise the safe-reading limits.")] = False,
    sets: SetOption = None,
) -> None:
    """Read and check INPUT without solving: every problem with its cell; exit 0 if valid, 2 if not."""
    _input_or_exit(input_path)
    dataset = _read_or_exit(input_path, large, sets)
    counts = ", ".join(f"{name} {len(t)}" for name, t in dataset.tables.items() if len(t))
    changed = f" with {len(sets)} override(s)" if sets else ""
    console.print(f"[green]{escape(input_path.name)} is valid{changed}[/green] ({counts}); "
                  f"sha256 {dataset.source.sha256[:12]}…")


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the blank template.")] = Path("template.xlsx"),
) -> None:
    """Write a blank input template with notes on every header and dropdowns."""
    from planner.io.template import write_input_workbook

    replaced = preflight([Target(path, "PATH")])
    write_input_workbook(path, None, None)
    console.print(f"Blank template written to [bold]{escape(str(path))}[/bold]")
    say_replaced(console, replaced, path)


@app.command()
def reference() -> None:
    """Print the input template's reference (Markdown): every sheet, column, unit, default and
    reading rule. Save it with `trust-planner reference > template-reference.md`."""
    from planner.io.reference import render

    print(render())


def _register_command_groups() -> None:
    from planner.cli import (generate as commands_generate, plans as commands_plans, report as commands_report,
                             whatif as commands_whatif)

    commands_plans.register(app)
    commands_report.register(app)
    commands_generate.register(app)
    commands_whatif.register(app)


_register_command_groups()


def main() -> None:
    """Console entry point: run the app; turn any internal error into one line and exit 1.

    Usage errors (unknown option, missing argument) are click's: exit 2, like bad input.
    SIGINT and SIGTERM stop the command wherever it is (planner.cli.signals): nothing is
    written, temporary files are removed, exit 130 or 143.
    """
    previous = signals.install()
    try:
        app()
    except signals.Interrupted as exc:
        _exit_interrupted(exc.what, exc.status)
    except KeyboardInterrupt:  # raised before the handlers were installed
        _exit_interrupted("Ctrl-C", 128 + 2)
    except WriteFailed as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        sys.exit(EXIT_WRITE_FAILED)
    except Exception as exc:  # noqa: BLE001 - the one place internal errors are caught
        if _State.debug or "--debug" in sys.argv:
            traceback.print_exc()
        err.print(f"[red]internal error:[/red] {escape(f'{type(exc).__name__}: {exc}')} (run with --debug for details)")
        sys.exit(EXIT_INTERNAL)
    finally:
        signals.restore(previous)


def _exit_interrupted(what: str, status: int) -> None:
    """Say so and exit at once: a HiGHS run that did not stop within its wait
    (models.highs.session.STOP_WAIT_S) must not hold the process, so no interpreter shutdown."""
    err.print(f"[red]interrupted ({what}): stopped, nothing written.[/red]")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
