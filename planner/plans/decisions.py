"""A saved plan's decisions as the plain record the solver starts from (models.warm.decisions).

Read from the plan's own tables (SPEC §2), by ids: Contracts (contracted offers; their
suppliers are qualified, since a contract needs its supplier's qualification), Builds
(modules started), Financing (draws; a source drawn on is used), Sourcing (purchases),
Production, Stock, Shortages. Rows below the writer's tolerance are left out, as the
writer leaves them out.
"""

from __future__ import annotations

import pandas as pd

from models.params.scenarios import divergence_years, reference
from models.warm.decisions import TOL, Decisions
from planner.plans.saved_plan import SavedPlan


def plan_decisions(plan: SavedPlan) -> Decisions:
    """The decisions of ``plan``, keyed by ids. A plan solved with recourse (its Builds, Financing and
    Contracts sheets have a scenario column) gives the reference scenario's builds and draws and
    the contracts signed at the start; each scenario's own ones start at 0 (models.warm.decisions)."""
    t = plan.tables
    reference = scenario_reference(plan.dataset)
    contracts = _of_scenario(t["Contracts"], "")
    builds = _of_scenario(t["Builds"], reference)
    draws = _of_scenario(t["Financing"], reference)
    return Decisions(
        name=plan.path.name,
        contracts=set(zip(contracts["supplier"], contracts["material"])),
        qualified=set(contracts["supplier"]),
        builds=_totals(builds, ["facility", "year"], "modules_started"),
        sources={k for (k, _f, _y), v in _totals(draws, ["source", "facility", "year"], "draw").items()},
        draws=_totals(draws, ["source", "facility", "year"], "draw"),
        purchases=_totals(t["Sourcing"], ["scenario", "year", "supplier", "material"], "quantity"),
        production=_totals(t["Production"], ["scenario", "year", "facility"], "quantity"),
        stock=_totals(t["Stock"], ["scenario", "year", "material"], "closing_stock"),
        shortage=_totals(t["Shortages"], ["scenario", "year", "material"], "quantity"),
    )


def scenario_reference(dataset) -> str:
    """The reference scenario of models.params.scenarios (the one that diverges last)."""
    scenarios = [str(x) for x in dataset["Scenarios"]["scenario"]]
    return reference(divergence_years(dataset), scenarios)


def _of_scenario(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The rows of ``scenario`` where the table has a scenario column (a plan solved with recourse)."""
    if "scenario" not in table.columns:
        return table
    return table[table["scenario"].fillna("").astype(str) == scenario]


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
