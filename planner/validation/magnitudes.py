"""Products of inputs that would reach values the solver cannot take, though each cell is in range.

Every numeric column has a largest value (planner.schema.manifest: MAX_QUANTITY, MAX_MONEY, ...),
chosen so that HiGHS takes the model with every column at its maximum at once. Two products
are not held by those bounds, and are checked here at the cell that drives them:

- the carbon cost of a unit, ``carbon_price × carbon_intensity`` (Offers, Facilities), at
  most :data:`MAX_UNIT_MONEY` like any other cost per unit;
- the cost of a unit bought in a scenario and year, ``unit_cost × price factors × (1 +
  tariff) + freight + carbon cost``, at most :data:`MAX_SCENARIO_UNIT_COST`: the price
  factors of several Disruptions rows that match the same offer multiply (two rows of 100
  make 10,000), and the result is a coefficient of the scenario-cost rows, which HiGHS
  refuses above 1e15.

Every other product of the model stays below 1e15 with each factor at its maximum
(capacity and shares are at most 1; docs/decisions.md "Largest values").

One range is held too: a cost per unit at most :data:`MAX_COST_RATIO` times the workbook's
median price of a unit (each cell in range, but one of them 1e10 times the others is a range
HiGHS cannot solve right, scaled or not).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from planner.schema.manifest import MAX_UNIT_MONEY
from planner.schema.problems import figure
from planner.validation.settings import Settings
from planner.validation.tables import Report, Typed

#: The largest cost of one unit bought in a scenario and year (see the module docstring): half
#: of what HiGHS takes; every column at its maximum with one price factor gives 2e14.
MAX_SCENARIO_UNIT_COST = 5e14


#: A cost per unit at most this many times the workbook's median price of a unit (see
#: :func:`_cost_range`): the rich case solves right at 1e8 times, and HiGHS calls it infeasible
#: or unbounded from 5e8-5e9 times, scaled or not; real workbooks stay below 1e5 (an API at
#: 1e5 USD/kg against a reagent at 1 USD/kg).
MAX_COST_RATIO = 1e7
#: The prices of a unit the median is taken over, and the costs per unit held to the ratio.
PRICES = (("Offers", "unit_cost"), ("Facilities", "unit_cost"))
UNIT_COSTS = PRICES + (("Offers", "freight_cost"), ("Facilities", "pli_subsidy"), ("Tariffs", "specific_duty"),
                       ("Tariffs", "min_import_price"))


def check_products(typed: dict[str, Typed], settings: Settings, report: Report) -> None:
    carbon_price = settings.values.get("carbon_price") or 0.0
    for sheet in ("Offers", "Facilities"):
        _carbon_cost(typed[sheet], carbon_price, report)
    _scenario_unit_cost(typed, settings, carbon_price, report)
    _cost_range(typed, report)


def _cost_range(typed: dict[str, Typed], report: Report) -> None:
    """Costs per unit more than MAX_COST_RATIO times the median price of a unit: every cost of a
    scenario meets in one row of the model (its CVaR excess), and a row whose coefficients span
    1e10 is more than HiGHS' tolerances (1e-7) tell apart: it answers "infeasible" or
    "unbounded" for a plan that exists (docs/decisions.md "Largest values")."""
    prices = [v for sheet, col in PRICES if sheet in typed and col in typed[sheet].values
              for i, v in enumerate(typed[sheet].values[col]) if v is not None and v > 0 and typed[sheet].ok(col, i)]
    if not prices:
        return
    median = statistics.median(prices)
    limit = MAX_COST_RATIO * median
    for sheet, col in UNIT_COSTS:
        t = typed.get(sheet)
        if t is None or col not in t.values:
            continue
        for i, v in enumerate(t.values[col]):
            if v is not None and v > limit and t.ok(col, i):
                report.add(t.sheet.name, t.where(col, i), col, v,
                           f"at most {figure(limit)}: {figure(MAX_COST_RATIO)} times the median price of a unit "
                           f"in this workbook ({figure(median)}, Offers and Facilities unit_cost); costs per unit "
                           "further apart than that are beyond what the solver tells apart (is the unit right?)")
                t.mark(col, i)


def _carbon_cost(t: Typed, carbon_price: float, report: Report) -> None:
    if not carbon_price:
        return
    for i, ci in enumerate(t.values["carbon_intensity"]):
        if ci and t.ok("carbon_intensity", i) and carbon_price * ci > MAX_UNIT_MONEY:
            report.add(t.sheet.name, t.where("carbon_intensity", i), "carbon_intensity", ci,
                       f"at most {figure(MAX_UNIT_MONEY / carbon_price)} with Settings carbon_price "
                       f"{figure(carbon_price)}: the carbon cost of a unit, {figure(carbon_price * ci)}, is "
                       f"above {figure(MAX_UNIT_MONEY)} (write emissions or money in a larger unit)")
            t.mark("carbon_intensity", i)


def _scenario_unit_cost(typed: dict[str, Typed], settings: Settings, carbon_price: float,
                        report: Report) -> None:
    offers, dis = typed["Offers"], typed["Disruptions"]
    country_of = dict(zip(typed["Suppliers"].values["supplier"], typed["Suppliers"].values["country"]))
    tariff_of = dict(zip(typed["Countries"].values["country"], typed["Countries"].values["tariff"]))
    rises = [i for i, pf in enumerate(dis.values["price_factor"])
             if pf is not None and pf > 1 and dis.ok("price_factor", i)]
    v = offers.values
    for i, (supplier, material, cost) in enumerate(zip(v["supplier"], v["material"], v["unit_cost"])):
        if cost is None or not offers.ok("unit_cost", i):
            continue
        country = country_of.get(supplier)
        fixed = (v["freight_cost"][i] or 0.0) + carbon_price * (v["carbon_intensity"][i] or 0.0)
        per_factor = cost * (1 + (tariff_of.get(country) or 0.0))
        matching = [r for r in rises if _matches(dis, r, country, supplier, material)]
        if per_factor * _product(dis, matching) + fixed <= MAX_SCENARIO_UNIT_COST:
            continue  # the product of every rise in the sheet, whatever its scenario and years: a bound
        worst, scenario, year, rows = _worst(dis, matching, settings)
        total = per_factor * worst + fixed
        if total > MAX_SCENARIO_UNIT_COST:
            report.add(offers.sheet.name, offers.where("unit_cost", i), "unit_cost", cost,
                       f"a unit cost low enough that a unit bought in scenario {scenario}, {year} costs at "
                       f"most {figure(MAX_SCENARIO_UNIT_COST)}: the price factors of Disruptions rows "
                       f"{', '.join(str(r) for r in rows)} multiply to {figure(worst)}, making it {figure(total)} "
                       "(write money in thousands, or lower the factors)")
            offers.mark("unit_cost", i)


def _matches(dis: Typed, r: int, country: Any, supplier: Any, material: Any) -> bool:
    v = dis.values
    return all(want is None or want == have for want, have in
               ((v["country"][r], country), (v["supplier"][r], supplier), (v["material"][r], material)))


def _product(dis: Typed, rows: list[int]) -> float:
    out = 1.0
    for r in rows:
        out *= dis.values["price_factor"][r]
    return out


def _worst(dis: Typed, rows: list[int], settings: Settings) -> tuple[float, str, str, list[int]]:
    """The largest product of price factors over (scenario, year), as SPEC: rows matching
    the same scenario and year multiply. Returns (product, scenario, year text, Excel rows)."""
    horizon = settings.horizon
    v = dis.values
    by_scenario: dict[Any, list[int]] = defaultdict(list)
    for r in rows:
        by_scenario[v["scenario"][r]].append(r)
    best = (1.0, "", "", [])
    for scenario, members in by_scenario.items():
        if horizon is None:  # no years to tell apart: every row counts
            years: list[Any] = [None]
        else:
            years = list(range(horizon[0], horizon[1] + 1))
        for year in years:
            live = [r for r in members if year is None or _in_years(v, r, year, horizon)]
            product = _product(dis, live)
            if product > best[0]:
                best = (product, str(scenario), "every year" if year is None else f"year {year}",
                        [dis.excel_rows[r] for r in live])
    return best


def _in_years(v: dict[str, list[Any]], r: int, year: int, horizon: tuple[int, int]) -> bool:
    start = v["from_year"][r] if v["from_year"][r] is not None else horizon[0]
    end = v["to_year"][r] if v["to_year"][r] is not None else horizon[1]
    return start <= year <= end
