"""The typed result of a solve: status, objective, bound, gap, costs and tidy tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

import pandas as pd


class Status(str, Enum):
    """How a solve ended. Only OPTIMAL means proven optimal (within mip_gap)."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time limit reached: best plan found, not proven optimal"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "time limit reached: no plan found"
    UNBOUNDED = "unbounded"
    ERROR = "solver error"

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.TIME_LIMIT)


@dataclass(frozen=True)
class Progress:
    """One progress report from the solver (for a live display)."""

    elapsed_s: float
    incumbent: float | None
    bound: float | None
    gap: float | None


@dataclass
class SolveOptions:
    """Solver settings as data. None means: take the dataset's Settings value."""

    time_limit_s: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    log_file: Path | None = None
    on_progress: Callable[[Progress], None] | None = None
    #: Price binding targets and limits (LP with the integer decisions fixed; the Marginal values sheet).
    marginals: bool = True
    #: A first plan from the LP relaxation before the MIP (models.highs.lp_start); None: only for large models.
    lp_start: bool | None = None
    #: A saved plan's decisions (models.warm.decisions.Decisions) as the MIP start, instead of the LP start.
    start: Any = None
    #: With ``start``: re-plan with the fewest changed integer decisions within the gap (models.warm.stable).
    stable: bool = False


#: Columns of the result tables, in order (SPEC section 2). Money is discounted to
#: first_year unless the column name says otherwise.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "KPIs": ("scenario", "year", "material", "demand", "supply", "imports", "domestic_production",
             "domestic_share", "top_country", "top_country_share", "supplier_hhi", "avg_risk",
             "green_share", "carbon_intensity", "shortage"),
    "Sourcing": ("scenario", "year", "material", "supplier", "country", "quantity", "landed_unit_cost",
                 "cost"),
    "Contracts": ("supplier", "material", "country", "qualification_cost", "contract_cost"),
    "Builds": ("facility", "year", "modules_started", "modules_producing", "capacity"),
    "Production": ("scenario", "year", "facility", "material", "quantity", "utilisation"),
    "Financing": ("source", "facility", "year", "draw", "pv_cost"),
    "Stock": ("scenario", "year", "material", "closing_stock"),
    "Shortages": ("scenario", "year", "material", "quantity"),
}


@dataclass
class SolveOutcome:
    status: Status
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    #: Wall-clock seconds inside the solver.
    solve_seconds: float = 0.0
    #: Expected (probability-weighted) discounted cost per component, plus "cvar".
    costs: dict[str, float] = field(default_factory=dict)
    #: Result tables keyed by plan sheet name, columns as TABLE_COLUMNS.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Solver name, version and the options passed.
    solver: dict[str, str] = field(default_factory=dict)
    #: Seconds per stage: build, handoff, solve, extract.
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""
    #: The Marginal values sheet (models.analysis.marginals), when computed.
    marginals: pd.DataFrame | None = None
    #: Summary rows of a start from a saved plan (start.*) and of the stable re-plan (stable.*).
    start: dict[str, Any] = field(default_factory=dict)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """Relative gap |objective - bound| / |objective| (HiGHS' definition); 0 when both are 0."""
    if objective is None or bound is None:
        return None
    diff = abs(objective - bound)
    if diff <= 1e-12:
        return 0.0
    return diff / max(abs(objective), 1e-12)
