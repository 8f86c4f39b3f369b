"""What-if commands: `sweep`, `frontier`, `alternatives` (planner.whatif).

Each reads INPUT once (with its `--set` overrides), then solves independent points on local
worker processes (`--workers`, default: the number of cores) or on a Dask cluster
(`--scheduler tcp://HOST:PORT`). Exit statuses as `solve` (README "Exit statuses"): 0 written;
2 bad input or usage (the workbook, an option's value, an output path refused in the
pre-flight, a `--scheduler` that cannot be reached), nothing solved or written; 3 no plan:
the input is infeasible (frontier, alternatives: nothing written; sweep: no point has a plan
and one is infeasible, its table with each point's status is written); 4 sweep: no point has a
plan and none is infeasible (each ran out of time), its table written; 1 internal error.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.shared import (EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXAMPLE, OUTPUT_DIR, MipGapOption,
                                SetOption, TimeLimitOption, bad_input)
from planner.cli.outputs import preflight, refuse, say_replaced
from planner.io.targets import Target, TargetError

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

InputArg = Annotated[Optional[Path], typer.Argument(metavar="[INPUT]",
                                                    help="Input workbook (default: the bundled example).")]
WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Local worker processes (default: the number of cores); with --scheduler, the "
    "number of tasks the points are cut into.")]
SchedulerOption = Annotated[Optional[str], typer.Option(
    "--scheduler", metavar="tcp://HOST:PORT", help="Run the points on this Dask distributed scheduler's workers.")]
PlansOption = Annotated[Optional[Path], typer.Option("--plans", metavar="DIR",
                                                     help="Also write each point's full plan to DIR.")]
Large = Annotated[bool, typer.Option("--large-input", help="Raise the safe-reading limits.")]


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep)
    app.command("frontier")(frontier)
    app.command("alternatives")(alternatives)


def _workbook(path: Path, sets: Optional[list[str]], large: bool, time_limit: Optional[float],
              mip_gap: Optional[float], targets: list[Target]):
    """The input as tasks carry it, its validated dataset (bad input: exit 2), and which files of
    ours the output ``targets`` replace (checked first: planner.cli.outputs.preflight)."""
    from planner.io.reading import Limits, read_file
    from planner.schema.problems import InputError
    from planner.whatif.tasks import Workbook

    replaced = preflight(targets, inputs=[path])
    if not path.exists():
        err.print(f"[red]input not found: {path}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        data = read_file(path, Limits.large() if large else Limits())
        workbook = Workbook(data, path.name, tuple(sets or ()), large, time_limit, mip_gap)
        return path, workbook, workbook.dataset(), replaced
    except InputError as exc:
        bad_input(exc, path.name)


def _plan_targets(directory: Optional[Path], prefix: str, count: int, option: str = "--plans") -> list[Target]:
    """The folder of the plans and the file each of points 0 .. count - 1 would write there
    (planner.whatif.workbooks.plan_path), for the pre-flight: none when no folder was given."""
    from planner.whatif.workbooks import plan_path

    if directory is None:
        return []
    return [Target(directory, option, "folder")] + [Target(plan_path(directory, prefix, k), option)
                                                     for k in range(count)]


def _write_plans(directory: Path, prefix: str, results, datasets, summary=None) -> list[Path]:
    """Each point's plan into ``directory``; a file there that is not ours stops it (exit 2)
    before any is written."""
    from planner.whatif.workbooks import write_plans

    try:
        return write_plans(directory, prefix, results, datasets, summary)
    except TargetError as exc:
        refuse(exc)


@contextmanager
def _scheduler_refused():
    """A --scheduler that cannot be used (planner.whatif.parallel.SchedulerUnavailable) ends the
    command with exit 2: nothing has been written before the first points are solved."""
    from planner.whatif.parallel import SchedulerUnavailable

    try:
        yield
    except SchedulerUnavailable as exc:
        err.print(f"[red]{escape(str(exc))} Nothing was solved or written.[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _workers(workers: Optional[int]) -> int:
    from planner.whatif.parallel import default_workers

    return workers or default_workers()


def sweep(
    input_path: InputArg = None,
    vary: Annotated[Optional[list[str]], typer.Option(
        "--vary", metavar="TARGET=START:STOP:STEP", help="A target in the override syntax and its values: "
        "START:STOP:STEP (STOP included) or v1,v2,... Repeat for a grid.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Sweep workbook to write.")] = None,
    plans: PlansOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = None,
    large: Large = False,
    sets: SetOption = None,
) -> None:
    """Solve INPUT at every point of a grid of --vary values: one row per point, a chart."""
    from planner.schema.problems import InputError
    from planner.whatif import sweep as sw
    from planner.whatif.workbooks import sweep_chart, write_table

    if not vary:
        err.print("[red]sweep needs at least one --vary TARGET=VALUES[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
    path = input_path or EXAMPLE
    out = output or OUTPUT_DIR / f"{path.stem}-sweep.xlsx"
    try:  # the --vary text alone: the grid, and so every plan file, is known before reading INPUT
        axes = [sw.parse_vary(text) for text in vary]
        points = sw.grid(axes)
    except InputError as exc:
        bad_input(exc, "--vary")
    path, workbook, base, replaced = _workbook(path, sets, large, time_limit, mip_gap,
                                               [Target(out, "-o")] + _plan_targets(plans, path.stem, len(points)))
    try:
        raw = workbook.raw()
        datasets = [workbook.dataset(raw, p) for p in points]  # every point's values checked before solving
    except InputError as exc:
        bad_input(exc, f"{path.name} with the --vary values")
    tick = time.perf_counter()
    n_workers = _workers(workers)
    console.print(f"Sweeping {len(points)} point(s) of {path.name} on "
                  + (f"the Dask cluster at {scheduler}" if scheduler else f"{min(n_workers, len(points))} worker(s)"))
    with _scheduler_refused():
        results = sw.run_sweep(workbook, axes, base, n_workers, scheduler, keep_tables=plans is not None)
    frame = sw.table(axes, results)
    write_table(out, "Sweep", frame, sweep_chart(frame, [a.name for a in axes]))
    _print_points(frame, [a.name for a in axes])
    console.print(f"Sweep written to [bold]{escape(str(out))}[/bold] ({time.perf_counter() - tick:.1f} s)")
    say_replaced(console, replaced, out)
    if plans is not None:
        written = _write_plans(plans, path.stem, results, datasets)
        console.print(f"{len(written)} plan(s) written to [bold]{plans}[/bold]")
        say_replaced(console, replaced, *written)
    if not any(r.has_plan for r in results):
        _no_point_has_a_plan(results)


def _no_point_has_a_plan(results) -> None:
    """Exit 3 when a point is infeasible, else 4 (every point ran out of time or failed), as
    `solve` would for one of them; the table, written already, holds each point's status."""
    from models.outcome import Status

    infeasible = any(r.status == Status.INFEASIBLE.value for r in results)
    err.print("[red]no point has a plan: " + ("a point is infeasible" if infeasible else "no plan found within the "
              "time limit") + " (each point's status is in the table)[/red]")
    raise typer.Exit(EXIT_INFEASIBLE if infeasible else EXIT_NO_PLAN)


def _print_points(frame, columns: list[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title_justify="left")
    shown = [c for c in ["point"] + columns + ["status", "objective", "gap", "model"] if c in frame.columns]
    for name in shown:
        table.add_column(Text(name), overflow="fold")
    for row in frame.to_dict("records"):
        cells = []
        for name in shown:
            v = row.get(name)
            if name == "objective" and v is not None and v == v:
                v = f"{v:,.0f}"
            elif name == "gap" and v is not None and v == v:
                v = f"{v:.3%}"
            elif name == "status":
                v = str(v).split(":")[0]
            elif isinstance(v, float) and v == v:
                # money (a CVaR, a varied price) in full, as the objective; shares and factors short
                v = f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:.4g}"
            cells.append(Text("" if v is None or v != v else str(v)))
        table.add_row(*cells)
    console.print(table)


def frontier(
    input_path: InputArg = None,
    against: Annotated[str, typer.Option(
        "--against", metavar="MEASURE", help="top_country_share[MATERIAL], non_allied_share[MATERIAL], "
        "avg_risk[MATERIAL], domestic_share[MATERIAL], green_share[MATERIAL] or cvar.")] = ...,
    points: Annotated[int, typer.Option("--points", min=0, help="Points between the two extremes.")] = 5,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Frontier workbook to write.")] = None,
    plans: PlansOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = None,
    large: Large = False,
    sets: SetOption = None,
) -> None:
    """Trade expected cost against MEASURE: the cheapest plan, the best MEASURE at any cost, and
    --points plans between them (dominated points removed, the knee marked), with a chart."""
    from models.analysis.frontier import without_cvar
    from models.families.measures import LOWER_IS_BETTER
    from planner.io.charts import ChartBlock
    from planner.schema.problems import InputError
    from planner.whatif import frontier as fr
    from planner.whatif.workbooks import write_table

    path = input_path or EXAMPLE
    out = output or OUTPUT_DIR / f"{path.stem}-frontier.xlsx"
    prefix = f"{path.stem}-frontier"
    # the extremes and the points: indices 0 .. points + 1, each plan's file known before solving
    path, workbook, base, replaced = _workbook(path, sets, large, time_limit, mip_gap,
                                               [Target(out, "-o")] + _plan_targets(plans, prefix, points + 2))
    try:
        kind, material = fr.parse_measure(against, base)
    except InputError as exc:
        bad_input(exc, "--against")
    tick = time.perf_counter()
    n_workers = _workers(workers)
    console.print(f"Frontier of expected cost against {against} for {path.name}: 2 extremes, then {points} "
                  "point(s) on " + (f"the Dask cluster at {scheduler}" if scheduler else f"{n_workers} worker(s)"))
    with _scheduler_refused():
        results = fr.run_frontier(workbook, kind, material, points, n_workers, scheduler,
                                  keep_tables=plans is not None)
    if not results:
        err.print("[red]no plan: the input is infeasible (run `trust-planner solve` for the diagnosis)[/red]")
        raise typer.Exit(EXIT_INFEASIBLE)
    frame = fr.table(results, kind, material, LOWER_IS_BETTER[kind])
    if frame.empty:  # offers and facilities exist (parse_measure), yet no plan supplies the material
        err.print(f"[red]{escape(against)} has no value: no plan supplies {escape(str(material))}, so there is "
                  "nothing to trade off. Nothing written.[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
    name = frame.columns[2]
    chart = ChartBlock(f"Expected cost against {name}", frame[[name, "objective"]], kind="scatter",
                       x_title=name, y_title="expected discounted cost")
    write_table(out, "Frontier", frame, [chart])
    _print_points(frame, [name, "knee"])
    console.print(f"Frontier written to [bold]{escape(str(out))}[/bold] ({time.perf_counter() - tick:.1f} s)")
    say_replaced(console, replaced, out)
    if plans is not None:
        kept = set(frame["point"])
        chosen = [r for r in results if r.index in kept]
        written = _write_plans(plans, prefix, chosen, [without_cvar(base)] * len(chosen), _cvar_note(base))
        console.print(f"{len(written)} plan(s) written to [bold]{plans}[/bold]")
        say_replaced(console, replaced, *written)


def _cvar_note(base) -> dict[str, str] | None:
    """A Summary row for the frontier's plans when the input weighs CVaR: they were solved (and
    are written, so that `check` recomputes them) with cvar_weight 0 (models.analysis.frontier)."""
    weight = float(base.settings.get("cvar_weight") or 0.0)
    if weight <= 0:
        return None
    return {"note": f"CVaR left out: the frontier's cost axis is the expected discounted cost, so this plan was "
                    f"solved with cvar_weight 0 (the input has {weight:g}); Input.Settings shows it as solved."}


def alternatives(
    input_path: InputArg = None,
    within: Annotated[float, typer.Option("--within", min=0.0, help="Share above the optimum each plan may "
                                          "cost (0.01 = 1%).")] = 0.01,
    count: Annotated[int, typer.Option("-n", "--count", min=1, help="Most alternatives to find.")] = 5,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", metavar="DIR",
                                                   help="Directory for the plans and the differences.")] = None,
    scheduler: SchedulerOption = None,
    time_limit: TimeLimitOption = None,
    mip_gap: MipGapOption = None,
    large: Large = False,
    sets: SetOption = None,
) -> None:
    """Near-optimal plans: up to N plans within the share --within of the optimum, each as unlike
    the ones before as possible in builds, contracts and country mix; each written as a plan,
    with a table of how it differs from the optimum."""
    from planner.whatif import alternatives as alt
    from planner.whatif.workbooks import write_table

    path = input_path or EXAMPLE
    directory = output or OUTPUT_DIR / f"{path.stem}-alternatives"
    differences = directory / "differences.xlsx"
    # the optimum and up to COUNT alternatives: indices 0 .. count, each plan's file known before solving
    folder, *files = _plan_targets(directory, path.stem, count + 1, "-o")
    path, workbook, base, replaced = _workbook(path, sets, large, time_limit, mip_gap,
                                               [folder, Target(differences, "-o"), *files])
    tick = time.perf_counter()
    console.print(f"Alternatives for {path.name} within {within:.2%} of the optimum (at most {count})")
    with _scheduler_refused():
        results = alt.run_alternatives(workbook, within, count, scheduler)
    if not any(r.has_plan for r in results):
        err.print("[red]no plan: the input is infeasible (run `trust-planner solve` for the diagnosis)[/red]")
        raise typer.Exit(EXIT_INFEASIBLE)
    frame = alt.table(results, base)
    plans = [r for r in results if r.has_plan]
    written = _write_plans(directory, path.stem, plans, [base] * len(plans))
    write_table(differences, "Differences", frame, [])
    _print_points(frame.rename(columns={"plan": "point"}), ["above_optimum", "modules_changed", "contracts_added",
                                                          "contracts_removed", "country_mix_distance"])
    console.print(f"{len(written)} plan(s) and differences.xlsx written to [bold]{directory}[/bold] "
                  f"({time.perf_counter() - tick:.1f} s)")
    say_replaced(console, replaced, differences, *written)
