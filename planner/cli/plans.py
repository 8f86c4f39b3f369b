"""Commands on saved plans: `compare`, `check` and `plots`.

``register(app)`` adds them to the trust-planner Typer app (planner/cli/app.py). Exit statuses
follow the CLI: 0 done (for `check`: the plan is verified), 1 `check` found violations,
2 a file is not a readable plan (or bad usage).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.cli.outputs import preflight, refuse, say_replaced
from planner.cli.shared import EXIT_BAD_INPUT, EXIT_VIOLATIONS
from planner.io.targets import Target, TargetError

DEFAULT_COMPARISON = Path("outputs") / "comparison.xlsx"
#: Findings printed in the terminal before "... and N more".
MAX_FINDINGS_SHOWN = 200
#: Per-material metrics are printed for at most this many materials (all are in the workbook).
MAX_MATERIALS_SHOWN = 6

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def register(app: typer.Typer) -> None:
    """Add `compare`, `check` and `plots` to `app`."""
    app.command("compare")(compare)
    app.command("check")(check)
    app.command("plots")(plots)


def _read(path: Path):
    from planner.plans.saved_plan import PlanError, read_plan

    try:
        return read_plan(path)
    except PlanError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def compare(
    plans: Annotated[list[Path], typer.Argument(metavar="PLAN_A PLAN_B [PLAN_C ...]",
                                                help="Two or more plan workbooks.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Comparison workbook to write "
                                                   "(default outputs/comparison.xlsx).")] = None,
    plots_dir: Annotated[Optional[Path], typer.Option("--plots", metavar="DIR",
                                                      help="Also write the comparison chart as PNG to DIR.")] = None,
    material: Annotated[Optional[str], typer.Option(
        "--material", "-m", metavar="M", help="Also show this material's figures in each plan (id or name): "
                                              "supply by country, builds, shares.")] = None,
) -> None:
    """Compare saved plans side by side: a table in the terminal, then a comparison workbook."""
    from planner.plans.compare import chart_blocks, compare_plans, write_comparison

    if len(plans) < 2:
        err.print("[red]compare needs at least two plans[/red]")
        raise typer.Exit(EXIT_BAD_INPUT)
    path = output or DEFAULT_COMPARISON
    replaced = preflight([Target(path, "-o"), Target(plots_dir, "--plots", "folder")], inputs=plans)
    saved = [_read(p) for p in plans]
    comparison = compare_plans(saved)
    for warning in comparison.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    console.print(_summary_table(comparison.summary, comparison.names, comparison.deltas))
    console.print(_TOLERANCE_LEGEND, markup=False)  # its "[objective low, high]" is text, not rich markup
    if material is not None:
        _material(comparison, material)
    if not comparison.inputs.empty:
        console.print(f"{len(comparison.inputs)} input cell(s) differ (sheet 'Input differences').")
    else:
        console.print("The plans' inputs are identical.")
    path = write_comparison(comparison, path)
    console.print(f"Comparison written to [bold]{escape(str(path))}[/bold]")
    say_replaced(console, replaced, path)
    if plots_dir is not None:
        _export(lambda: _pngs(chart_blocks(comparison), plots_dir, "comparison"))


def _material(comparison, text: str) -> None:
    """`compare --material M` (planner.plans.material_view); an unknown material is bad usage (exit 2)."""
    from planner.cli.terminal import print_material_view
    from planner.plans.material_view import UnknownMaterial, find_material, material_view

    try:
        material = find_material(comparison, text)
    except UnknownMaterial as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    print_material_view(console, material_view(comparison, material))


def check(
    plan: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan workbook to audit.")],
) -> None:
    """Audit PLAN without the solver: every constraint and cost recomputed from its own inputs.

    Exit 0 if verified, 1 listing each violation or mismatch, 2 if PLAN is not a readable plan.
    """
    from planner.plans.check import audit_plan

    saved = _read(plan)
    audit = audit_plan(saved)
    r = audit.recomputation
    if audit.findings:
        table = Table(title=escape(f"{len(audit.findings)} finding(s) in {plan.name}"), title_justify="left")
        for name in ("check", "sheet", "where", "what"):
            table.add_column(name, overflow="fold")
        for f in audit.findings[:MAX_FINDINGS_SHOWN]:
            table.add_row(*(Text(str(c)) for c in (f.check, f.sheet, f.where, f.message)))
        console.print(table)
        if len(audit.findings) > MAX_FINDINGS_SHOWN:
            console.print(f"... and {len(audit.findings) - MAX_FINDINGS_SHOWN} more")
        _print_unverified(audit.unverified)
        console.print(f"[red]{escape(plan.name)} is not verified:[/red] {len(audit.findings)} violation(s) or "
                      "mismatch(es).")
        raise typer.Exit(EXIT_VIOLATIONS)
    _print_unverified(audit.unverified)
    console.print(f"[green]{escape(plan.name)} is verified[/green]: every constraint holds, every cost component "
                  f"matches, recomputed from its own inputs, and the solve record (status, bound, gap) is "
                  f"consistent; objective {_fmt(r.objective)} (expected cost {_fmt(r.expected_cost)}, CVaR at "
                  f"{r.alpha:g} {_fmt(r.cvar)}).")


def _print_unverified(parts: list[str]) -> None:
    if parts:
        console.print("Not verified (no solver is used):")
        for part in parts:
            console.print(Text(f"  - {part}"))


def plots(
    plan: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan workbook.")],
    directory: Annotated[Path, typer.Option("--plots", "-d", metavar="DIR", help="Folder for the PNG files.")]
    = Path("outputs") / "plots",
) -> None:
    """Write PLAN's charts (supply by country, domestic capacity, cost breakdown) as PNG files."""
    from planner.io.charts import export_plan_pngs

    preflight([Target(directory, "--plots", "folder")], inputs=[plan])
    saved = _read(plan)
    _export(lambda: export_plan_pngs(saved, directory))


def _pngs(blocks, directory: Path, prefix: str):
    from planner.io.charts import export_pngs

    return export_pngs(blocks, directory, prefix)


def _export(make) -> None:
    from planner.io.charts import ChartsUnavailable

    try:
        written = make()
    except ChartsUnavailable as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except TargetError as exc:
        refuse(exc)
    for path in written:
        console.print(f"Chart written to [bold]{escape(str(path))}[/bold]")


_TOLERANCE_LEGEND = ("Deltas are against the first plan. [objective low, high]: where the difference of the optima "
                     "is proven to lie (each plan's best bound); 'within solver tolerance': that interval contains 0, "
                     "or a cost component's delta is no larger than its width (components have no bound of their "
                     "own).")


def _summary_table(summary, names: list[str], deltas: list[str]) -> Table:
    from planner.plans.intervals import high_label, low_label, note_label

    table = Table(title="Plans compared", title_justify="left")
    table.add_column("metric")
    for name in names + deltas:
        table.add_column(name, justify="right", overflow="fold")
    per_material = [m for m in summary["metric"] if "." in m and not m.startswith(("cost.", "solver."))]
    materials = {m.split(".", 1)[1] for m in per_material}
    for row in summary.to_dict("records"):
        metric = row["metric"]
        if metric in ("created_at", "solver.options") or metric.startswith("solver."):
            continue
        if metric in per_material and len(materials) > MAX_MATERIALS_SHOWN:
            continue
        if metric == "input_sha256":
            cells = [str(row[n] or "")[:12] for n in names] + [""] * len(deltas)
        else:
            cells = [_cell(metric, row[n]) for n in names]
            cells += [_delta_cell(metric, row[d], row.get(low_label(d)), row.get(high_label(d)), row.get(note_label(d)))
                      for d in deltas]
        table.add_row(metric, *cells)
    return table


def _delta_cell(metric: str, value: Any, low: Any, high: Any, note: Any) -> str:
    """The delta, then its proven interval and tolerance flag where it has them."""
    from planner.plans.intervals import NO_BOUND, WITHIN

    lines = [_cell(metric, value, signed=True)]
    if _number(low) and _number(high):
        lines.append(f"[{_cell(metric, low, signed=True)}, {_cell(metric, high, signed=True)}]")
    if note in (WITHIN, NO_BOUND):
        lines.append(f"[yellow]{note}[/yellow]")
    return "\n".join(lines)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _cell(metric: str, value: Any, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    base = metric.split(".")[0]
    sign = "+" if signed and value > 0 else ""
    if base in ("gap", "avg_risk", "green_share", "domestic_share", "top_country_share", "top_country_share_max"):
        return f"{sign}{value:.2%}" if not signed else f"{sign}{value * 100:.2f} pp"
    if base in ("cvar_alpha",):
        return f"{value:g}"
    return sign + _fmt(value)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"
