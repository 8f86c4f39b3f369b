"""The plan report: one self-contained HTML file (inline CSS and SVG, no script, nothing
fetched) that a director, a finance team or a board can read, and print to PDF.

Built from a :class:`~planner.plans.saved_plan.SavedPlan` only (any saved plan, or the one
`solve` just wrote), with the same words as the terminal summary (planner.plans.digest):

1. the status in plain words and the key figures;
2. what to build: a timeline of the builds and a table with capacity, capex and financing;
3. each material's biggest foreign dependency, first and last year;
4. supply by country per material: expected, and per scenario;
5. the cost: its breakdown by component and the cost of each scenario;
6. the policy targets and limits that bind, with what tightening each would cost;
7. where the plan came from, and how to read its money.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from importlib import resources
from pathlib import Path

import pandas as pd

from planner import __version__
from planner.io.charts import DOMESTIC, MAX_SUPPLY_CHARTS, expected_supply, supply_by_origin, supply_tables
from planner.io.plan_terms import cost_label, money_text, percent_text, policy_label, status_sentence, within_text
from planner.io.workbook_style import write_atomic
from planner.plans.digest import (PlanDigest, by_facility_and_scenarios, digest, expected_capex, financed_by,
                                  limit_costs, policy_costs)
from planner.plans.saved_plan import SavedPlan
from planner.report import svg

#: The mark the output checks (planner.io.targets) know a report of ours by, in its first 4 KB.
GENERATOR = "trust-planner"
#: Binding policy rows and limits listed in full (the plan's Marginal values sheet has every row).
MAX_POLICIES, MAX_LIMITS = 25, 15


def stylesheet() -> str:
    """The report's CSS, shipped inside the package (planner/report/assets)."""
    return resources.files("planner.report").joinpath("assets/report.css").read_text(encoding="utf-8")


def write_report(plan: SavedPlan, path: str | Path) -> Path:
    """Write the report of ``plan`` to ``path`` (whole or not at all)."""
    return write_atomic(path, render(plan).encode("utf-8"))


def render(plan: SavedPlan) -> str:
    d = digest(plan)
    home = d.names.country_name(d.names.home)
    title = f"Sourcing plan for {home}, {d.first_year}–{d.last_year}"
    body = [
        _header(plan, d, title),
        _builds(plan, d),
        _dependencies(d),
        _supply(plan, d),
        _costs(plan, d),
        _policies(plan, d),
        _about(plan, d),
        f'<footer>Written by trust-planner {escape(__version__)} from the plan {escape(plan.path.name)}. '
        "Every figure comes from the plan workbook, which holds every decision and a copy of its inputs.</footer>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta name="generator" content="{GENERATOR} {escape(__version__)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


# ------------------------------------------------------------------ sections


def _header(plan: SavedPlan, d: PlanDigest, title: str) -> str:
    s = plan.summary
    status = status_sentence(d.status, d.objective, d.bound, d.gap, d.currency)
    capex = expected_capex(d.builds)
    adapting = any(b.scenarios for b in d.builds)  # builds differ by scenario (Settings recourse_builds)
    worst = max(d.scenario_costs, key=lambda x: x.cost, default=None)
    cards = [
        (money_text(d.objective, d.currency), "Objective: expected discounted cost"
         + (" + cvar_weight × CVaR" if d.cvar is not None else "")),
        (f"{len({b.facility for b in d.builds})} facilities, {_modules(d)} modules", f"built{', expected over scenarios' if adapting else ''}, capex {money_text(capex, d.currency)} "
                     "(not discounted)"),
        (money_text(worst.cost, d.currency) if worst else "—",
         f"Cost in the costliest scenario ({escape(worst.scenario)})" if worst else "Cost per scenario"),
        ("optimal" if d.optimal and not d.gap else (f"within {within_text(d.gap)}" if d.optimal
                                                   else "not proven optimal"),
         f"Best bound {money_text(d.bound, d.currency)}"),
    ]
    return (f"<header>\n<h1>{escape(title)}</h1>\n"
            f'<p class="sub">Input {escape(str(s.get("input_file", "")))} · plan {escape(plan.path.name)} · '
            f'written {escape(str(s.get("created_at", "")))} · money in {escape(d.currency or "the input currency")}, '
            f"discounted to {d.first_year} unless said otherwise</p>\n"
            f'<p class="status{"" if d.optimal else " warn"}"><strong>Status.</strong> {escape(status)}</p>\n'
            '<div class="cards">'
            + "".join(f'<div class="card"><div class="figure">{escape(figure)}</div><div class="what">{what}</div>'
                      "</div>" for figure, what in cards)
            + "</div>\n<nav>"
            + "".join(f'<a href="#{a}">{t}</a>' for a, t in (("build", "What to build"), ("dependency", "Dependency"),
                                                            ("supply", "Supply by country"), ("cost", "Cost"),
                                                            ("policies", "Policies that bind"), ("about", "About")))
            + "</nav>\n</header>")


def _builds(plan: SavedPlan, d: PlanDigest) -> str:
    out = ['<section id="build">', "<h2>What to build</h2>"]
    if not d.builds:
        out.append("<p>The plan starts no domestic module: existing capacity and purchases meet demand.</p>")
        return "\n".join(out + ["</section>"])
    scenarios = list(plan.probabilities.index)
    rows = [(d.names.facility(facility) + (f" (in {', '.join(group)})" if group else ""),
             [svg.Build(b.year, b.producing_from, b.modules) for b in builds])
            for facility, group, builds in by_facility_and_scenarios(d.builds, scenarios)]
    out.append(f"<figure>{svg.timeline(rows, plan.dataset.years, 'Builds over the horizon')}"
               "<figcaption>Thin light bars: modules being built, from the year the build starts; dark bars: the new "
               "modules producing, with their number.</figcaption></figure>")
    head = ["start", "facility", "where", "output", "modules", "capacity added", "producing from",
            f"capex ({d.currency})", "financed by"]
    adapting = any(b.scenarios for b in d.builds)  # builds differ by scenario (Settings recourse_builds)
    if adapting:
        head.append("scenarios")
    body = []
    for b in d.builds:
        unit = f" {b.unit}/yr" if b.unit else "/yr"
        paid = "; ".join(f"{label}: {money_text(v)}" for label, v in b.financing) or (
            "paid when spent" if b.capex else "—")
        where = d.names.facility_locations.get(b.facility, "")
        body.append([str(b.year), b.label, "" if where in b.label else where,
                     d.names.material(b.material), _num(b.modules), f"{b.capacity:,.0f}{unit}",
                     str(b.producing_from), _num(b.capex), paid] + ([", ".join(b.scenarios) or "every"]
                                                                    if adapting else []))
    out.append(_table(head, body, numeric={0, 4, 5, 6, 7}))
    sources = financed_by(d.builds)
    total = expected_capex(d.builds)
    if adapting:
        out.append('<p class="note">Builds and their financing adapt once a scenario\'s data diverge (Settings '
                   "recourse_builds): each row names the scenarios that make it; totals are expected over "
                   "scenarios.</p>")
    if sources:
        out.append('<p class="note">Capex in total ' + escape(money_text(total, d.currency)) + ", drawn from "
                   + escape(", ".join(f"{k} {money_text(v)}" for k, v in sources))
                   + ". Capex and draws are not discounted; what the financing costs (repayments, present value) is "
                     "in the cost breakdown.</p>")
    return "\n".join(out + ["</section>"])


def _dependencies(d: PlanDigest) -> str:
    head = ["material", f"largest foreign supplier {d.first_year} (share of supply)",
            f"largest foreign supplier {d.last_year} (share of supply)", f"domestic share of demand {d.first_year}",
            f"domestic share of demand {d.last_year}"]

    def top(value):
        return "none" if value is None else f"{value[0]}: {percent_text(value[1])}"

    body = [[x.label, top(x.first), top(x.last), percent_text(x.domestic_first) if x.domestic_first is not None
             else "—", percent_text(x.domestic_last) if x.domestic_last is not None else "—"]
            for x in d.dependencies]
    return ('<section id="dependency" class="page">\n<h2>Biggest foreign dependency per material</h2>\n'
            "<p>The foreign country supplying most of each material, as a share of its total supply (purchases and "
            "domestic production, expected over the scenarios), in the first year and in the last. Domestic share "
            "of demand: domestic production over final demand (— where the material has no final demand).</p>\n"
            + _table(head, body, numeric={3, 4}) + "\n</section>")


def _supply(plan: SavedPlan, d: PlanDigest) -> str:
    ds = plan.dataset
    flows = supply_by_origin(plan.tables, ds)
    out = ['<section id="supply" class="page">', "<h2>Supply by country, per material</h2>",
           "<p>Each material's supply per year by the country it is bought from, and domestic production (green): "
           "expected over the scenarios, then in each scenario.</p>"]
    if flows.empty:
        return "\n".join(out + ["<p>No supply.</p>", "</section>"])
    expected = expected_supply(flows, ds)
    colours = _origin_colours(expected)
    scenarios = list(dict.fromkeys(ds["Scenarios"]["scenario"].astype(str)))
    supplied = set(expected["material"])
    materials = [m for m in ds["Materials"]["material"].astype(str) if m in supplied]
    charted = materials[:MAX_SUPPLY_CHARTS]
    expected_tables = supply_tables(expected, charted, ds.years)
    by_scenario = {s: supply_tables(flows[flows["scenario"] == s], charted, ds.years)
                   for s in scenarios} if len(scenarios) > 1 else {}
    for material in charted:
        unit = d.names.unit(material)
        table = expected_tables[material]
        out.append(f'<div class="material"><h3>{escape(d.names.material(material))}</h3>')
        out.append(_legend([(d.names.domestic if o == DOMESTIC else d.names.country(o), colours[o])
                            for o in table.columns]))
        own = {scenario: tables[material] for scenario, tables in by_scenario.items()}
        top = max([table.sum(axis=1).max()] + [t.sum(axis=1).max() for t in own.values() if len(t.columns)])
        out.append(f"<figure>{_supply_chart(table, d, colours, f'{d.names.material(material)}, expected', unit, top)}"
                   f"<figcaption>Expected supply, {escape(unit or 'units')} per year.</figcaption></figure>")
        if own:
            out.append('<div class="scenarios">')
            for scenario, table in own.items():
                title = f"{d.names.material(material)}, scenario {scenario}"
                out.append(f"<figure>{_supply_chart(table, d, colours, title, unit, top, small=True)}"
                           f"<figcaption>{escape(scenario)}</figcaption></figure>")
            out.append("</div>")
        out.append("</div>")
    if len(materials) > MAX_SUPPLY_CHARTS:
        out.append(f'<p class="note">The first {MAX_SUPPLY_CHARTS} of {len(materials)} materials; the plan\'s '
                   "Sourcing and Production sheets hold every one.</p>")
    unused = [m for m in ds["Materials"]["material"].astype(str) if m not in supplied]
    if unused:
        out.append('<p class="note">Not supplied in any scenario: '
                   + escape(", ".join(d.names.material(m) for m in unused)) + ".</p>")
    return "\n".join(out + ["</section>"])


def _supply_chart(table: pd.DataFrame, d: PlanDigest, colours: dict[str, str], title: str, unit: str,
                  top: float, small: bool = False) -> str:
    series = [svg.Series(d.names.domestic if o == DOMESTIC else d.names.country(o), table[o].tolist(), colours[o])
              for o in table.columns]
    size = {"width": 360, "height": 200} if small else {}
    return svg.stacked_columns([str(y) for y in table.index], series, title, unit, y_max=top, **size)


def _origin_colours(expected: pd.DataFrame) -> dict[str, str]:
    """One colour per origin for the whole report: the largest suppliers first; domestic green."""
    order = expected[expected["origin"] != DOMESTIC].groupby("origin")["quantity"].sum() \
        .sort_values(ascending=False).index
    colours = {o: svg.PALETTE[i] if i < len(svg.PALETTE) else svg.OTHER_COLOUR for i, o in enumerate(order)}
    colours[DOMESTIC] = svg.DOMESTIC_COLOUR
    return colours


def _costs(plan: SavedPlan, d: PlanDigest) -> str:
    out = ['<section id="cost" class="page">', "<h2>Cost</h2>",
           f"<p>Expected over the scenarios and discounted to {d.first_year}. Production-linked incentives received "
           "lower the cost (drawn to the left).</p>"]
    items = [(cost_label(k), v) for k, v in plan.costs.items() if abs(v) > 1e-9]
    if items:
        out.append(f"<figure>{svg.horizontal_bars(items, 'Cost breakdown', d.currency)}"
                   f"<figcaption>Cost breakdown, {escape(d.currency)}.</figcaption></figure>")
        out.append(_table(["component", f"{d.currency}, discounted", "share of the objective"],
                          [[label, _num(v), percent_text(v / d.objective) if d.objective else "—"]
                           for label, v in items], numeric={1, 2}))
    if d.scenario_costs:
        out.append("<h3>Cost of each scenario</h3>")
        expected = d.expected_cost if d.expected_cost is not None else d.objective
        bars = [(f"{x.scenario} ({percent_text(x.probability)})", x.cost - expected) for x in d.scenario_costs]
        chart = svg.horizontal_bars(bars, "Cost of each scenario against the expected cost", d.currency, signed=True,
                                    colour=svg.PALETTE[4])
        out.append(f"<figure>{chart}<figcaption>Each scenario's cost minus the expected cost "
                   f"({escape(money_text(expected, d.currency))}): what the scenario adds, or saves.</figcaption>"
                   "</figure>")
        out.append(_table(["scenario", "probability", f"cost ({d.currency})", "what happens"],
                          [[x.scenario, percent_text(x.probability), _num(x.cost), x.description]
                           for x in d.scenario_costs], numeric={1, 2}))
        if d.cvar is not None:
            out.append(f'<p class="note">The objective adds cvar_weight × CVaR of the scenario costs '
                       f"({escape(money_text(d.cvar, d.currency))}) to the expected cost "
                       f"({escape(money_text(expected, d.currency))}).</p>")
    if d.note:
        out.append(f'<p class="note">{escape(d.note)}</p>')
    return "\n".join(out + ["</section>"])


def _policies(plan: SavedPlan, d: PlanDigest) -> str:
    out = ['<section id="policies" class="page">', "<h2>Policies and limits that bind</h2>"]
    if plan.marginals is None:
        out.append("<p>This plan has no Marginal values sheet (solved with --no-marginals).</p>")
        return "\n".join(out + ["</section>"])
    policies = policy_costs(plan, d.names, None)
    out.append("<p>What keeping each binding policy target costs: the expected discounted cost of tightening it by "
               "one step (a percentage point, pp, for shares: + raises a minimum, − lowers a cap), over every year "
               "and scenario its Policies row sets, with the plan's builds and contracts kept.</p>")
    if policies:
        body = []
        for x in policies[:MAX_POLICIES]:
            percent = x.step == "percentage point"
            target = "—" if x.value is None else (percent_text(x.value) if percent else f"{x.value:g}")
            body.append([policy_label(x.policy) + f" ({x.policy})", x.material, target,
                         "—" if x.excel_row is None else str(x.excel_row),
                         ("+" if x.tighten == "raise" else "−") + ("1 pp" if percent else f"1 {x.step}"),
                         _num(x.cost),
                         str(x.binding)])
        out.append(_table(["policy", "material", "target", "Policies row", "tightened by", f"costs ({d.currency})",
                           "binding (year × scenario)"], body, numeric={2, 3, 5, 6}))
        if len(policies) > MAX_POLICIES:
            out.append(f'<p class="note">The {MAX_POLICIES} costliest of {len(policies)}; the Marginal values sheet '
                       "lists every one.</p>")
    else:
        out.append("<p>No policy target binds at a cost.</p>")
    limits = limit_costs(plan, d.names, None)
    if limits:
        out.append("<h3>Capacities and financing limits</h3>")
        out.append(_table(["limit", "of", "value", f"lowering it by one unit costs ({d.currency})",
                           "binding (year × scenario)"],
                          [[x.limit, x.subject, "—" if x.value is None else f"{x.value:,.0f}", _num(x.cost),
                            str(x.binding)] for x in limits[:MAX_LIMITS]], numeric={2, 3, 4}))
        if len(limits) > MAX_LIMITS:
            out.append(f'<p class="note">The {MAX_LIMITS} costliest of {len(limits)}.</p>')
    return "\n".join(out + ["</section>"])


def _about(plan: SavedPlan, d: PlanDigest) -> str:
    s = plan.summary
    rate = float(plan.dataset.settings.get("discount_rate") or 0.0)
    rows = [[key, str(s.get(key, ""))] for key in ("input_file", "input_sha256", "planner_version", "solver.name",
                                                  "solver.version", "solver.options", "solve_seconds",
                                                  "created_at") if key in s]
    return ('<section id="about">\n<h2>About this plan</h2>\n'
            f"<p><strong>Money</strong> is in {escape(d.currency or 'the input currency')}. Discounted to "
            f"{d.first_year} means an amount paid in a later year is divided by (1 + {rate:.1%}) for each year "
            f"after {d.first_year} (the input's discount_rate), so amounts of different years add up as of "
            f"{d.first_year}. <strong>Expected</strong> means weighted by the scenarios' probabilities. Purchases, "
            "production and stock are decided per scenario; contracts, builds and financing once for all"
            + (", unless Settings recourse_builds lets them adapt from the year a scenario's data diverge"
               if plan.dataset.settings.get("recourse_builds") else "") + ".</p>\n"
            + _table(["", ""], rows, header=False) + "\n</section>")


# ------------------------------------------------------------------ helpers


def _legend(items: Iterable[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(f'<span style="--swatch:{colour}">{escape(label)}</span>'
                                            for label, colour in items) + "</div>"


def _modules(d: PlanDigest) -> str:
    """Modules started: expected over scenarios where builds differ by scenario (so possibly a fraction)."""
    modules = sum(b.modules * b.probability for b in d.builds)
    return _num(modules) if abs(modules - round(modules)) < 1e-9 else f"{modules:,.2f}"


def _num(value: float | int | None) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:,.0f}"


def _table(head: list[str], body: list[list[str]], numeric: set[int] = frozenset(), header: bool = True) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        cls = ' class="num"' if i in numeric else ""
        return f"<{tag}{cls}>{escape(str(text))}</{tag}>"

    thead = "<thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(head)) + "</tr></thead>" if header else ""
    rows = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in body)
    return f"<table>{thead}<tbody>{rows}</tbody></table>"
