r"""A saved plan's decisions as the MIP start (``solve --start PLAN``).

The plan's decisions are placed on the model's columns by ids
(:func:`models.warm.decisions.map_decisions`: decisions that no longer fit are dropped,
values outside their bounds moved to them), then completed into a whole plan of this
model before HiGHS sees it:

0. *as saved*: every decision column fixed at its start value (the plan's, else 0) and
   the LP of the rest (total supply, CVaR auxiliaries) solved: when feasible, its optimum
   is the cost of the saved decisions in this model (``start.cost_as_saved``).
1. *kept*: every integer column fixed at its start value and the LP of the rest solved
   (as :mod:`models.analysis.marginals` does): the continuous part (purchases,
   production, draws, stock) is re-solved for this model, so it is repaired where the
   plan's no longer fits and never dearer than the plan's where it does. Its optimum
   :math:`c_0` is the start's cost in this model. The saved continuous part is kept
   instead when it costs no more (an LP has many equally cheap solutions; the saved one
   changes nothing).
2. *repaired*, when that LP is infeasible (the plan's builds, contracts or sources are
   not enough here, e.g. a tighter target): the restricted MIP in which every integer
   column is at least its start value (the plan's modules, contracts and sources kept,
   more allowed), stopped at its first plan.
3. *dropped*, when neither gives a plan in its share of the time: HiGHS starts from
   nothing, as without ``--start``.

The completed plan is offered to HiGHS (:meth:`HighsSession.set_start`), and
:func:`keep_better` returns it instead of the MIP's if the MIP ends with none or a dearer
one, so the plan solved from a start never costs more than the start:
:math:`z \le c_0 \le` the cost of the saved decisions in this model, where they are
feasible in it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyomo.contrib.solver.common.results import TerminationCondition

from models.highs import handoff
from models.highs.lp_start import HIGHS_DEFAULT_GAP
from models.highs.options import SolverOptions
from models.highs.session import HighsSession, RunResult
from models.outcome import relative_gap
from models.warm.decisions import TOL, Decisions, Mapped, map_decisions

#: Share of the time left that the LP completing the start may use (and, if it is
#: infeasible, the repair after it).
COMPLETE_SHARE = 0.25
REPAIR_SHARE = 0.25
#: Saved continuous decisions are held within this share of their value (at least of 1) when
#: costed as saved (see solve_fixed).
HELD = 1e-9
#: How many dropped or repaired decisions the Summary names.
NAMED = 5


@dataclass
class StartReport:
    """What became of a plan's decisions as the start: the counts the Summary shows."""

    plan: str
    decisions: int
    used: int = 0
    dropped: int = 0
    repaired: int = 0
    #: "as saved" (every decision as saved), "kept" (integers as saved, LP of the rest),
    #: "repaired" (integers raised by a restricted MIP) or "dropped" (no start).
    how: str = "dropped"
    #: The start's cost in this model (None when dropped).
    objective: float | None = None
    #: The cost of the saved decisions in this model (None where they are infeasible in it).
    cost_as_saved: float | None = None
    #: Integer columns the repair raised above the plan's values without a plan decision there.
    added: int = 0
    #: A few "label: reason" lines, dropped and repaired decisions first.
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The Summary rows (``start.*``)."""
        rows: dict[str, Any] = {
            "start.plan": self.plan,
            "start.decisions": self.decisions,
            "start.decisions_used": self.used,
            "start.decisions_dropped": self.dropped,
            "start.decisions_repaired": self.repaired,
            "start.completed_by": _HOW[self.how],
            "start.cost_in_this_model": self.objective,
            "start.cost_as_saved": self.cost_as_saved,
        }
        if self.added:
            rows["start.integers_added_by_repair"] = self.added
        if self.notes:
            rows["start.notes"] = "; ".join(self.notes)
        return rows


_HOW = {
    "as saved": "every decision as saved",
    "kept": "the plan's integer decisions kept, the rest re-solved as an LP",
    "repaired": "integer decisions raised where this model needs more (restricted MIP), the rest re-solved",
    "dropped": "no start: the plan's decisions are infeasible here (or the time ran out); solved from scratch",
}


@dataclass
class PlanStart:
    """The completed start: a value per column (None when dropped), its cost and the report."""

    values: np.ndarray | None
    objective: float | None
    mapped: Mapped
    report: StartReport


def prepare(session: HighsSession, decisions: Decisions, solver: SolverOptions, deadline: float | None,
            timings: dict[str, float]) -> PlanStart:
    """Map ``decisions`` onto ``session``'s model and complete them (steps 0-3 above); the
    session is left as it was, with no stored solution."""
    tick = time.perf_counter()
    mapped = map_decisions(session.model, decisions, session.column)
    report = StartReport(decisions.name, decisions.count())
    completed = complete(session, mapped, mapped.integer_values, solver.within(deadline, COMPLETE_SHARE))
    timings["start_complete"] = time.perf_counter() - tick
    report.cost_as_saved = completed.cost_as_saved
    run, x, report.how = completed.run, completed.values, completed.how
    if x is None and run.termination != TerminationCondition.maxTimeLimit:
        tick = time.perf_counter()
        run, x = raise_to(session, mapped.integer_columns, mapped.integer_values,
                          solver.within(deadline, REPAIR_SHARE))
        timings["start_repair"] = time.perf_counter() - tick
        report.how = "repaired"
    if x is None:
        report.how = "dropped"
    _count(report, mapped, x)
    objective = None if x is None else run.objective
    report.objective = objective
    return PlanStart(x, objective, mapped, report)


@dataclass
class Completed:
    """The cheapest plan with given integer decisions: its run, values, and how it was found."""

    run: RunResult
    values: np.ndarray | None
    how: str  # "as saved" or "kept"
    cost_as_saved: float | None


def complete(session: HighsSession, mapped: Mapped, integers: np.ndarray, solver: SolverOptions) -> Completed:
    """The LP of the rest with the integer decision columns at ``integers``; where those are
    the plan's own, its saved continuous decisions when they are feasible and cost no more."""
    saved = None
    if np.array_equal(integers, mapped.integer_values):
        saved = solve_fixed(session, mapped.integer_columns, integers, solver,
                            (mapped.continuous_columns, mapped.continuous_values))
    run, x = solve_fixed(session, mapped.integer_columns, integers, solver)
    cost_as_saved = saved[0].objective if saved is not None and saved[1] is not None else None
    if cost_as_saved is not None and (x is None or cost_as_saved <= run.objective + _slack(run.objective)):
        return Completed(saved[0], saved[1], "as saved", cost_as_saved)
    return Completed(run, x, "kept", cost_as_saved)


def _slack(objective: float | None) -> float:
    """Two costs closer than this are equal (HiGHS' own tolerances are coarser)."""
    return 1e-9 * max(1.0, abs(objective or 0.0))


def solve_fixed(session: HighsSession, columns: np.ndarray, values: np.ndarray, solver: SolverOptions,
                held: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[RunResult, np.ndarray | None]:
    """The LP of the rest with ``columns`` fixed at ``values`` (made continuous, so it is an LP
    when they are all the integers) and the continuous ``held`` = (columns, values) held within
    :data:`HELD` of their values; its solution (a value per column) when optimal. Bounds and
    integrality are restored afterwards and the solution cleared from HiGHS.

    ``held`` is a band, not a fix: saved quantities and draws are rounded in the last digits,
    and a row of fixed columns only (a financing limit drawn to the full) would then miss its
    bound by more than HiGHS' absolute tolerance (2.4e-7 on a limit of 1.2e8, the example)."""
    variables = [session.columns[j] for j in columns]
    session.fix_columns(variables, values)
    if held is not None:
        lower, upper, _ = handoff.column_bounds(session.columns)
        cols, vals = held
        band = HELD * np.maximum(1.0, np.abs(vals))
        session.set_column_bounds(cols, np.maximum(lower[cols], vals - band), np.minimum(upper[cols], vals + band))
    try:
        run = session.run(solver.without_gaps())
        solved = run.has_solution and run.termination == TerminationCondition.convergenceCriteriaSatisfied
        x = session.primal() if solved else None
    finally:
        if held is not None:
            session.set_column_bounds(cols, lower[cols], upper[cols])
        session.unfix_columns(variables)
        session.clear_solution()
    return run, x


def raise_to(session: HighsSession, columns: np.ndarray, values: np.ndarray, solver: SolverOptions
             ) -> tuple[RunResult, np.ndarray | None]:
    """The restricted MIP with every column in ``columns`` at least its value in ``values``,
    stopped at its first plan (``mip_max_improving_sols`` 1); its solution, or None."""
    lower, upper, _ = handoff.column_bounds(session.columns)
    raised = np.maximum(lower[columns], np.minimum(values, upper[columns]))
    session.set_column_bounds(columns, raised, upper[columns])
    try:
        run = session.run(solver, only_this_run={"mip_max_improving_sols": 1})
        x = session.primal() if run.has_solution else None
    finally:
        session.set_column_bounds(columns, lower[columns], upper[columns])
        session.clear_solution()
    return run, x


def keep_better(run: RunResult, start: PlanStart, session: HighsSession, rel_gap: float | None) -> RunResult:
    """The MIP's result, or the start's plan where the MIP ended without a plan or with a
    dearer one (HiGHS may reject a start it finds infeasible by its own tolerances); the
    termination is 'optimal' when the plan kept is within mip_gap of the MIP's bound."""
    if start.values is None:
        return run
    if run.has_solution and run.objective <= start.objective + _slack(start.objective):
        return run
    session.use_solution(start.values)
    gap = relative_gap(start.objective, run.bound)
    proven = gap is not None and gap <= (rel_gap if rel_gap is not None else HIGHS_DEFAULT_GAP)
    termination = TerminationCondition.convergenceCriteriaSatisfied if proven else TerminationCondition.maxTimeLimit
    return RunResult(termination, True, start.objective, run.bound, run.seconds)


def _count(report: StartReport, mapped: Mapped, x: np.ndarray | None) -> None:
    """Used, dropped, repaired: a decision is used when the start holds it at its saved value,
    repaired when moved into its bounds or changed by the completion, dropped without a column
    (or when there is no start at all)."""
    dropped = [f"{label}: {reason}" for label, reason in mapped.dropped]
    if x is None:
        report.dropped = report.decisions
        report.notes = (dropped + ["the rest: infeasible in this model together"])[:NAMED]
        return
    saved = {label: value for label, value, _used in mapped.clipped}
    changed = []
    for j, value, label in mapped.integer_decisions + mapped.continuous_decisions:
        if label in saved or abs(float(x[j]) - value) > TOL * max(1.0, abs(value)):
            changed.append(f"{label}: {_number(saved.get(label, value))} -> {_number(float(x[j]))}")
    decided = {j for j, _v, _l in mapped.integer_decisions}
    report.added = int(sum(1 for j, v in zip(mapped.integer_columns, mapped.integer_values)
                           if j not in decided and abs(float(x[j]) - v) > 0.5))
    report.dropped = len(dropped)
    report.repaired = len(changed)
    report.used = report.decisions - report.dropped - report.repaired
    report.notes = (dropped + changed)[:NAMED]


def _number(value: float) -> str:
    return f"{value:,.6g}"
