"""The work one worker does, and what it returns (see :mod:`planner.whatif.parallel`).

Each task carries the workbook's bytes and overrides, reads and validates them itself, builds
its own model and returns :class:`PointResult` values: plain numbers and the plan's tables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from models.outcome import SolveOptions, SolveOutcome
from planner.io.reading import Limits, RawInput, read_raw
from planner.io.reading.overrides import parse_all
from planner.schema.dataset import Dataset


@dataclass(frozen=True)
class Workbook:
    """The input as a task carries it: bytes, name, the `--set` overrides and solver settings."""

    data: bytes
    name: str
    overrides: tuple[str, ...] = ()
    large: bool = False
    time_limit_s: float | None = None
    mip_gap: float | None = None

    def raw(self) -> RawInput:
        return read_raw(self.data, self.name, Limits.large() if self.large else Limits())

    def dataset(self, raw: RawInput | None = None, extra: tuple[str, ...] = ()) -> Dataset:
        """The validated dataset with the overrides (then ``extra``) applied."""
        return (raw or self.raw()).validate(parse_all(self.overrides + tuple(extra))).dataset

    def options(self, marginals: bool = False) -> SolveOptions:
        return SolveOptions(time_limit_s=self.time_limit_s, mip_gap=self.mip_gap, marginals=marginals)


@dataclass
class PointResult:
    """One solved point: what was changed, how the solve ended, its costs and measures."""

    index: int
    overrides: tuple[str, ...]  # the point's own overrides (after the workbook's)
    status: str
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    costs: dict[str, float] = field(default_factory=dict)
    #: named figures of the point: measures, marginal values, the value a measure was held to
    values: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] | None = None
    marginals: pd.DataFrame | None = None
    seconds: float = 0.0
    mode: str = ""
    message: str = ""
    cpu_seconds: float = 0.0  # CPU time of the process that solved the point

    @property
    def has_plan(self) -> bool:
        return self.objective is not None

    def outcome(self) -> SolveOutcome:
        """The point as a solve outcome (to write its plan)."""
        from models.outcome import Status

        status = next(s for s in Status if s.value == self.status)
        return SolveOutcome(status, objective=self.objective, bound=self.bound, gap=self.gap,
                            solve_seconds=self.seconds, costs=dict(self.costs), tables=dict(self.tables or {}),
                            message=self.message, marginals=self.marginals,
                            solver={"name": "highs", "resolve": self.mode})


def point_result(index: int, overrides: tuple[str, ...], outcome: SolveOutcome, seconds: float, mode: str,
                 keep_tables: bool) -> PointResult:
    return PointResult(index, overrides, outcome.status.value, outcome.objective, outcome.bound, outcome.gap,
                       dict(outcome.costs), {}, dict(outcome.tables) if keep_tables else None,
                       outcome.marginals if keep_tables else None, seconds, mode, outcome.message)


# ---- sweep ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepTask:
    """Consecutive grid points, solved on one persistent model (models.analysis.resolve)."""

    workbook: Workbook
    points: tuple[tuple[int, tuple[str, ...]], ...]  # (grid index, the point's overrides)
    materials: tuple[str, ...] = ()  # materials whose measures each point reports
    marginals: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = ()  # (Policies column, selector)
    keep_tables: bool = False


def solve_sweep(task: SweepTask) -> list[PointResult]:
    """Solve ``task``'s points in order, each from the previous one's plan."""
    from models.analysis.resolve import Resolver
    from planner.whatif.measures import plan_measures

    raw = task.workbook.raw()
    resolver = None
    out = []
    for index, overrides in task.points:
        tick, cpu = time.perf_counter(), time.process_time()
        dataset = task.workbook.dataset(raw, overrides)
        if resolver is None:
            # a point's marginal values: of the varied targets, or all of them for its written plan
            resolver = Resolver(dataset, task.workbook.options(bool(task.marginals)), policies_only=not task.keep_tables)
        else:
            resolver.set_dataset(dataset)
        outcome = resolver.solve()
        result = point_result(index, overrides, outcome, time.perf_counter() - tick, resolver.mode, task.keep_tables)
        result.cpu_seconds = time.process_time() - cpu
        if outcome.status.has_plan:
            for material in task.materials:
                for name, value in plan_measures(outcome.tables, dataset, material).items():
                    result.values[f"{name}[{material}]"] = value
            for column, where in task.marginals:
                result.values[f"marginal_value[{_selector(column, where)}]"] = _marginal(outcome.marginals, column,
                                                                                         where)
        out.append(result)
    return out


def _selector(column: str, where: tuple[tuple[str, str | None], ...]) -> str:
    return ",".join([column] + [f"{c}={'' if v is None else v}" for c, v in where])


def _marginal(frame: pd.DataFrame | None, column: str, where: tuple[tuple[str, str | None], ...]) -> float | None:
    """The cost of tightening by one unit every priced group of ``column`` the selector names:
    the sum of their marginal values (None when the marginal values were not computed)."""
    if frame is None:
        return None
    hit = frame["policy"] == column
    for name, value in where:
        if name == "material" and value not in (None, "*"):
            hit &= frame["material"] == value
        elif name == "year" and value is not None:
            hit &= frame["year"] == int(float(value))
        elif name == "scenario" and value is not None:
            hit &= frame["scenario"] == value
    return float(frame.loc[hit, "marginal_value"].fillna(0.0).sum())


# ---- frontier ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrontierTask:
    """The frontier's extremes (``epsilons`` empty) or points with the measure held to each ε."""

    workbook: Workbook
    kind: str
    material: str | None
    guards: Any = None  # models.analysis.frontier.Guards of the cheapest plan (points only)
    epsilons: tuple[tuple[int, float], ...] = ()
    keep_tables: bool = False


def solve_frontier(task: FrontierTask) -> list[PointResult] | tuple[list[PointResult], Any]:
    """Extremes: ([cheapest, best], guards). Points: one result per ε, each from the previous plan."""
    from models.analysis.frontier import MeasureModel

    model = MeasureModel(task.workbook.dataset(), task.kind, task.material, task.workbook.options())
    out = []
    if not task.epsilons:
        for index, solve in ((0, model.solve), (1, model.best)):
            tick = time.perf_counter()
            outcome = solve()
            out.append(_measured(index, outcome, model, tick, task.keep_tables))
            if index == 0:
                if not outcome.status.has_plan:
                    return out, None
                guards = model.guards()
                model.apply_guards(guards)
        return out, guards
    model.apply_guards(task.guards)
    for index, epsilon in task.epsilons:
        tick = time.perf_counter()
        model.hold(epsilon)
        result = _measured(index, model.solve(), model, tick, task.keep_tables)
        result.values["held_to"] = epsilon
        out.append(result)
    return out


def _measured(index: int, outcome: SolveOutcome, model, tick: float, keep_tables: bool) -> PointResult:
    result = point_result(index, (), outcome, time.perf_counter() - tick, "frontier", keep_tables)
    result.values["measure"] = model.measure
    return result


# ---- alternatives -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlternativesTask:
    """The optimum and up to ``count`` alternatives within ``within`` of it (one chain: each
    alternative depends on the plans before it)."""

    workbook: Workbook
    within: float
    count: int


def solve_alternatives(task: AlternativesTask) -> list[PointResult]:
    from models.analysis.alternatives import Alternatives

    alt = Alternatives(task.workbook.dataset(), task.within, task.workbook.options())
    out = []
    for index in range(task.count + 1):
        tick = time.perf_counter()
        outcome = alt.optimum() if index == 0 else alt.next()
        if outcome is None:  # only repeats of earlier plans were found
            break
        out.append(point_result(index, (), outcome, time.perf_counter() - tick, "optimum" if index == 0 else "MGA",
                                True))
        if not outcome.status.has_plan:
            break
    return out
