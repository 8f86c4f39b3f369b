"""Terminal rendering with rich: problems, the plan summary in planning words. No decisions made here."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.io.plan_terms import money_text, percent_text, policy_label, within_text
from planner.plans.digest import PlanDigest, by_facility, expected_capex, financed_by
from planner.plans.material_view import MaterialView


def problems_table(problems: Iterable, title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for name in ("sheet", "cell", "column", "value found", "expected"):
        table.add_column(name, overflow="fold")
    for p in problems:  # as Text: a "[...]" in a value or an override is not rich markup
        table.add_row(*(Text(t) for t in (p.sheet or "", p.cell or "", p.column or "", _short(p.value),
                                          p.expected or "")))
    return table


def _short(value: object, width: int = 40) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


#: Facilities and materials shown before "… and N more" (the plan and the report have them all).
MAX_BUILDS_SHOWN = 15
MAX_MATERIALS_SHOWN = 12


def print_plan_summary(console: Console, d: PlanDigest, plan_path) -> None:
    """The plan in planning words (planner.plans.digest): what to build, where and when and how
    it is financed; each material's biggest foreign dependency, first and last year; expected
    cost and cost per scenario; the policies that cost most to keep; then one line with the
    status, objective, bound and gap."""
    home = d.names.country_name(d.names.home)
    currency = d.currency or "the input currency"
    console.print(f"[bold]Plan for {home}, {d.first_year}–{d.last_year}[/bold] (money in {currency}, "
                  f"discounted to {d.first_year}; expected = weighted by scenario probability)")
    console.print(builds_table(d))
    console.print(dependency_table(d))
    console.print(scenario_table(d))
    if d.policies:
        console.print(policy_table(d))
    if d.note:
        console.print(f"[yellow]{d.note}[/yellow]")
    console.print(status_line(d))
    console.print(f"Plan written to [bold]{plan_path}[/bold]")


def status_line(d: PlanDigest) -> str:
    """status · objective · bound · gap, in one line ("optimal within 0.17 %" when a gap remains)."""
    if d.optimal:
        status = "optimal" if not d.gap else f"optimal within {within_text(d.gap)}"
    else:
        status = f"{d.status} (a better plan may exist)"
    return (f"[bold]status[/bold] {status} · [bold]objective[/bold] {money_text(d.objective, d.currency)} · "
            f"best bound {money_text(d.bound, d.currency)} · gap {percent_text(d.gap)}")


def builds_table(d: PlanDigest) -> Table | Text:
    """One entry per facility built: where it is, its output, the modules started each year
    and from when they produce, capacity added, capex and who pays it; wrapped, so it reads
    in a narrow terminal too."""
    if not d.builds:
        return Text("What to build: nothing (no domestic module is started).")
    grid = Table.grid(padding=(0, 2))
    grid.title = f"What to build (capex in {d.currency or 'the input currency'}, not discounted)"
    grid.title_justify = "left"
    grid.title_style = "bold"
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    facilities = by_facility(d.builds)
    for number, (facility, builds) in enumerate(facilities.items(), start=1):
        if number > MAX_BUILDS_SHOWN:
            grid.add_row("", f"… and {len(facilities) - MAX_BUILDS_SHOWN} more facilities (the plan's Builds sheet)")
            break
        first = builds[0]
        # expected over scenarios where builds differ by scenario (Settings recourse_builds)
        modules = sum(b.modules * b.probability for b in builds)
        shown = _modules(modules) + ("" if abs(modules - round(modules)) < 1e-9 else " expected")
        unit = f" {first.unit}/yr" if first.unit else "/yr"
        where = d.names.facility_locations.get(facility, "")
        lead = first.producing_from - first.year
        when = "started " + ", ".join(_started(b) for b in builds) \
            + f", producing {lead} year{'' if lead == 1 else 's'} later"
        capex = expected_capex(builds)
        grid.add_row(f"{number}.", f"{first.label}{', ' + where if where and where not in first.label else ''} "
                                   f"→ {d.names.material_name(first.material)}: {shown} module"
                                   f"{'' if modules == 1 else 's'} (+{sum(b.capacity * b.probability for b in builds):,.0f}"
                                   f"{unit}) {when}; capex {money_text(capex)}{_financed(builds)}")
    total = f"{len(facilities)} facilit{'y' if len(facilities) == 1 else 'ies'}, capex " \
            f"{money_text(expected_capex(d.builds), d.currency)}{_financed(d.builds)}"
    grid.add_row("total", total)
    return grid


def _started(b) -> str:
    """A build's year, its modules if more than one, and the scenarios making it if not all."""
    extra = ([str(b.modules)] if b.modules != 1 else []) + ([f"in {', '.join(b.scenarios)}"] if b.scenarios else [])
    return f"{b.year} ({'; '.join(extra)})" if extra else str(b.year)


def _financed(builds) -> str:
    sources = financed_by(builds)
    if not sources:
        return ", paid when spent" if any(b.capex for b in builds) else ""
    return ", financed by " + ", ".join(f"{k} {money_text(v)}" for k, v in sources)


def dependency_table(d: PlanDigest) -> Table:
    table = Table(title=f"Biggest foreign dependency per material (share of supply, expected)", title_justify="left",
                  caption_justify="left")
    for name, justify in (("material", "left"), (str(d.first_year), "left"), (str(d.last_year), "left"),
                          (f"domestic share of demand {d.first_year} → {d.last_year}", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    rows = d.dependencies
    if len(rows) > MAX_MATERIALS_SHOWN:  # the largest dependencies that remain at the end first
        rows = sorted(rows, key=lambda x: -(x.last[1] if x.last else 0.0))[:MAX_MATERIALS_SHOWN]
        table.caption = (f"The {MAX_MATERIALS_SHOWN} largest in {d.last_year} of {len(d.dependencies)} materials "
                         "(KPIs sheet: all).")

    def top(value):
        return "none" if value is None else f"{value[0]} {percent_text(value[1])}"

    def share(value):
        return "—" if value is None else percent_text(value)

    for x in rows:
        table.add_row(x.label, top(x.first), top(x.last), f"{share(x.domestic_first)} → {share(x.domestic_last)}")
    return table


def scenario_table(d: PlanDigest) -> Table:
    table = Table(title="Cost per scenario (discounted)", title_justify="left", caption_justify="left")
    for name, justify in (("scenario", "left"), ("probability", "right"), ("cost", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    for x in d.scenario_costs:
        table.add_row(x.scenario, percent_text(x.probability), money_text(x.cost, d.currency))
    expected = d.expected_cost if d.expected_cost is not None else d.objective
    table.add_row("[bold]expected[/bold]", "", f"[bold]{money_text(expected, d.currency)}[/bold]")
    if d.cvar is not None:
        table.caption = (f"Objective {money_text(d.objective, d.currency)} = expected cost + cvar_weight × CVaR "
                         f"({money_text(d.cvar, d.currency)}). Cost components: the plan's Summary sheet.")
    else:
        table.caption = "Cost components: the plan's Summary sheet."
    return table


def policy_table(d: PlanDigest) -> Table:
    """The Policies rows whose tightening costs most, one wrapped entry each."""
    grid = Table.grid(padding=(0, 2))
    grid.title = ("Policies that cost most to keep (expected cost of tightening each by one step, over all "
                  "its years and scenarios)")
    grid.title_justify = "left"
    grid.title_style = "bold"
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for number, x in enumerate(d.policies, start=1):
        percent = x.step == "percentage point"
        target = "" if x.value is None else " at " + (percent_text(x.value) if percent else f"{x.value:g}")
        where = f" (Policies row {x.excel_row})" if x.excel_row else ""
        step = "1 percentage point" if percent else f"1 {x.step}"
        verb = "raising" if x.tighten == "raise" else "lowering"
        grid.add_row(f"{number}.", f"{policy_label(x.policy)} ({x.policy}) for {x.material}{target}{where}: "
                                   f"{verb} it by {step} costs {money_text(x.cost, d.currency)}")
    return grid


def print_material_view(console: Console, v: MaterialView) -> None:
    """`compare --material M`: the material's supply by origin, builds and shares per plan."""
    unit = f" {v.unit}" if v.unit else ""
    changes = [c for c in v.supply.columns if " − " in c]
    console.print(f"[bold]{v.label}[/bold] in each plan (expected over the scenarios; changes against {v.names[0]})")
    supply = Table(title=f"Supply over the horizon by origin ({v.unit or 'units'})", title_justify="left")
    supply.add_column("origin")
    for name in v.names + changes:
        supply.add_column(name, justify="right", overflow="fold")
    for row in v.supply.itertuples(index=False):
        values = dict(zip(v.supply.columns, row))
        cells = [f"{_quantity(values[n])}{unit} ({percent_text(values[n] / t) if t else '—'})"
                 for n, t in zip(v.names, v.totals)]
        cells += [_signed(values[c]) + unit for c in changes]
        supply.add_row(str(values["origin"]), *cells)
    supply.add_row("[bold]total[/bold]", *[f"{_quantity(t)}{unit}" for t in v.totals],
                   *[_signed(t - v.totals[0]) + unit for t in v.totals[1:]])
    console.print(supply)
    if len(v.builds):
        builds = Table(title="Modules started", title_justify="left")
        builds.add_column("facility")
        builds.add_column("year", justify="right")
        for name in v.names + changes:
            builds.add_column(name, justify="right")
        for row in v.builds.itertuples(index=False):
            values = dict(zip(v.builds.columns, row))
            builds.add_row(str(values["facility"]), str(values["year"]), *[_modules(values[n]) for n in v.names],
                           *[_signed(values[c]) for c in changes])
        console.print(builds)
    else:
        console.print("Modules started: none in any plan.")
    shares = Table(title="Shares", title_justify="left")
    shares.add_column("figure")
    for name in v.names:
        shares.add_column(name, justify="right", overflow="fold")
    for row in v.shares.itertuples(index=False):
        figure, *values = row
        shown = [(f"{x:,.1f}{unit}" if "unmet" in figure else (f"{x:.3f}" if "risk" in figure else percent_text(x)))
                 if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x) for x in values]
        shares.add_row(figure, *shown)
    console.print(shares)


def _modules(value: float) -> str:
    """A count of modules: whole, or with two decimals when expected over scenarios (recourse_builds)."""
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


def _quantity(value: float) -> str:
    """Whole units, with a decimal for small amounts (13.5 t, 90,000 t)."""
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def _signed(value: float) -> str:
    if abs(value) < 0.05:
        return "0"
    return ("+" if value > 0 else "") + _quantity(value)
