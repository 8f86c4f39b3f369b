"""A saved plan's decisions as the plain record the solver starts from (models.warm.decisions).

Read from the plan's own tables (SPEC §2), by ids: Contracts (contracted offers; their
suppliers are qualified, since a contract needs its supplier's qualification), Builds
(modules started), Financing (draws; a source drawn on is used), Sourcing (purchases),
Production, Stock, Shortages. Rows below the writer's tolerance are left out, as the
writer leaves them out.
"""

from __future__ import annotations

import pandas as pd

from models.params.scenarios import divergence_years, own_from, reference
from models.warm.decisions import TOL, Decisions
from planner.plans.saved_plan import SavedPlan


def plan_decisions(plan: SavedPlan) -> Decisions:
    """The decisions of ``plan``, keyed by ids. A plan solved with recourse_builds (its Builds and
    Financing sheets have a scenario column, its Contracts a scenario for late ones) gives the
    reference scenario's builds and draws as the shared ones, each other scenario's from the year it
    parts from the reference as its own, and the late contracts and qualifications
    (models.families.recourse)."""
    t = plan.tables
    scenarios = [str(x) for x in plan.dataset["Scenarios"]["scenario"]]
    divergence = divergence_years(plan.dataset)
    ref = reference(divergence, scenarios)
    own = own_from(divergence, scenarios)
    contracts = _of_scenario(t["Contracts"], "")
    builds = _of_scenario(t["Builds"], ref)
    draws = _of_scenario(t["Financing"], ref)
    late = t["Contracts"][_scenario(t["Contracts"]) != ""]
    # a late qualification shows its cost on the scenario's row of the supplier (models.analysis.results)
    qualifying = late[late["qualification_cost"].fillna(0.0) > 0]
    return Decisions(
        name=plan.path.name,
        contracts=set(zip(contracts["supplier"], contracts["material"])),
        qualified=set(contracts["supplier"]),
        builds=_totals(builds, ["facility", "year"], "modules_started"),
        sources={k for (k, _f, _y), v in _totals(t["Financing"], ["source", "facility", "year"], "draw").items()},
        draws=_totals(draws, ["source", "facility", "year"], "draw"),
        scenario_builds=_own(t["Builds"], own, ["facility", "year"], "modules_started"),
        scenario_draws=_own(t["Financing"], own, ["source", "facility", "year"], "draw"),
        late_contracts=set(zip(_scenario(late), late["supplier"].astype(str), late["material"].astype(str))),
        late_qualified=set(zip(_scenario(qualifying), qualifying["supplier"].astype(str))),
        by_scenario=any("scenario" in t[name].columns for name in ("Builds", "Financing")),
        purchases=_totals(t["Sourcing"], ["scenario", "year", "supplier", "material"], "quantity"),
        production=_totals(t["Production"], ["scenario", "year", "facility"], "quantity"),
        stock=_totals(t["Stock"], ["scenario", "year", "material"], "closing_stock"),
        shortage=_totals(t["Shortages"], ["scenario", "year", "material"], "quantity"),
    )


def _scenario(table: pd.DataFrame) -> pd.Series:
    """The table's scenario column as text ("" where blank or absent: every scenario)."""
    if "scenario" not in table.columns:
        return pd.Series("", index=table.index, dtype=object)
    return table["scenario"].where(table["scenario"].notna(), "").astype(str)


def _of_scenario(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The rows of ``scenario`` where the table has a scenario column (a plan solved with recourse)."""
    if "scenario" not in table.columns:
        return table
    return table[_scenario(table) == scenario]


def _own(table: pd.DataFrame, own: dict[str, float], keys: list[str], value: str) -> dict[tuple, float]:
    """(scenario, *keys) -> ``value`` of each scenario other than the reference, in its own years (from
    models.params.scenarios.own_from); empty for a plan without a scenario column."""
    if "scenario" not in table.columns:
        return {}
    rows = table[[s in own and y >= own[s] for s, y in zip(_scenario(table), table["year"])]]
    return _totals(rows.assign(scenario=_scenario(rows)), ["scenario", *keys], value)


def _totals(table: pd.DataFrame, keys: list[str], value: str) -> dict[tuple, float]:
    """``value`` summed per key tuple, years as int, only where above the tolerance."""
    if table.empty:
        return {}
    sums = table.groupby(keys, sort=True)[value].sum()
    out = {}
    for key, total in sums.items():
        if abs(total) > TOL:
            out[tuple(int(k) if name == "year" else str(k) for name, k in zip(keys, key))] = float(total)
    return out
