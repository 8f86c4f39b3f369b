"""When each scenario's data first differ from the others' (for the optional non-anticipativity
of :mod:`models.families.nonanticipativity` and the recourse of :mod:`models.families.recourse`)."""

from __future__ import annotations

import math

from planner.schema.dataset import Dataset

from models.params.tables import blank, col


def divergence_years(dataset: Dataset) -> dict[str, float]:
    """First year each scenario's data differ (``inf`` when never)."""
    first_year = dataset.first_year
    out = {str(s): math.inf for s in col(dataset["Scenarios"], "scenario")}
    dis = dataset["Disruptions"]
    for s, y in zip(col(dis, "scenario"), col(dis, "from_year")):
        year = first_year if blank(y) else int(y)
        out[s] = min(out.get(s, math.inf), year)
    pol = dataset["Policies"]
    for s, y in zip(col(pol, "scenario"), col(pol, "year")):
        if s:
            year = first_year if blank(y) else int(y)
            out[s] = min(out.get(s, math.inf), year)
    return out


def reference(divergence: dict[str, float], scenarios: list[str]) -> str:
    """The scenario that diverges last (the first listed on ties)."""
    return max(scenarios, key=lambda s: (divergence.get(s, math.inf), -scenarios.index(s)))


def own_from(divergence: dict[str, float], scenarios: list[str]) -> dict[str, float]:
    """Per scenario other than the reference r, the first year its decisions may differ from r's:
    min(d_s, d_r), the year one of the two diverges (``inf``: never)."""
    if len(scenarios) < 2:
        return {}
    r = reference(divergence, scenarios)
    return {s: min(divergence.get(s, math.inf), divergence.get(r, math.inf)) for s in scenarios if s != r}


def signed_from(divergence: dict[str, float], scenarios: list[str]) -> dict[str, float]:
    """Per scenario, the first year it is tied to no other, so that a decision taken then (a late
    contract) may be its own: :func:`own_from` for s != r, and for r the year the last other
    scenario leaves it (``inf``: never)."""
    own = own_from(divergence, scenarios)
    if not own:
        return {}
    r = reference(divergence, scenarios)
    return own | {r: max(own.values())}
