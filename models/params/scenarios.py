"""When each scenario's data first differ from the others' (for the optional non-anticipativity
of :mod:`models.families.nonanticipativity`)."""

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
