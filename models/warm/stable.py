r"""The stable re-plan (``solve --start PLAN --stable``): among the plans within the gap, the
one that changes the fewest of the start's integer decisions.

Two plans of one model can cost the same (a module started in 2027 or in 2028, one
financing source or another): the solver picks one of them, so a comparison of a
variant with its base can show changes the variant did not cause. After the normal
solve (objective :math:`z_1`, proven bound :math:`L`, relative gap tolerance :math:`g`,
the mip_gap), a second, lexicographic solve minimises the distance to the start's
integer decisions :math:`s` (the saved plan's, 0 where it decided nothing):

.. math::

    \min \sum_{j \in B} |x_j - s_j| + \sum_{j \in N} |b_j - s_j|
    \quad \text{s.t. the model's constraints and} \quad f(x) \le C,
    \qquad C = \max\big(z_1,\ L / (1 - g')\big) \ (L \ge 0), \quad \max\big(z_1,\ L / (1 + g')\big)\ (L < 0)

over the binaries B (contracts, qualifications, financing source use) and the module
builds N. A binary's term is linear (:math:`x_j` where :math:`s_j = 0`, :math:`1 - x_j`
where :math:`s_j = 1`), a build's too where the start is at a bound (0 or the most
modules); elsewhere an auxiliary :math:`t_j \ge \pm(b_j - s_j)` holds it. :math:`C` is the
largest cost whose relative gap to the bound :math:`L` is :math:`g' = 0.999\, g` (a hair
inside mip_gap, so HiGHS' row tolerance cannot push the plan outside it), and at least
:math:`z_1`: every plan of the second solve is within mip_gap of :math:`L` (when the
first was) and the first plan is one of them. The distance is a whole number, so the
second solve stops at a proven minimum (absolute gap below 1) or after as long as the first
solve took (within the time the first left of the time limit, and at least a quarter of the
limit), always with a
plan: it starts from the first solve's plan (or is the completed start itself, when that
is within :math:`C`). It searches first among the plans that differ from the start only
where the first plan does (every other integer decision fixed at the value the two share:
a small MIP that removes the ties the first solve broke the other way), then over the
whole model from there; the Summary says whether the fewest changes are proven, and the
least number the search has proven possible.

Third, the integer decisions of the plan found are fixed and the LP of the rest solved
with the real objective, so the continuous part is the cheapest for those decisions (the
second solve's objective ignored cost); where those are the start's own integer
decisions, the saved continuous part is kept when it costs no more
(:func:`models.warm.start.complete`). The plan keeps the bound :math:`L` of the first
solve (the second solve's bound is of the distance); its objective is the cost of its own
decisions. Where the start's decisions are feasible at a cost :math:`c_0 \le C`, the
nearest plan is the start itself (distance 0) and the result costs exactly :math:`c_0`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition

from models.highs import handoff
from models.highs.lp_start import HIGHS_DEFAULT_GAP
from models.highs.options import SolverOptions
from models.highs.session import HighsSession, RunResult
from models.outcome import relative_gap
from models.warm.start import PlanStart, complete

#: The share of mip_gap the objective cap allows (see the module docstring).
GAP_SHARE = 0.999
#: The first solve stops at this share of mip_gap (see first_options).
FIRST_GAP_SHARE = 0.1
#: The second solve has as long as the first took, within the time the first left of the time
#: limit, and at least this share of the limit.
MIN_SHARE = 0.25


@dataclass
class StableReport:
    """Integer decisions changed against the start, before and after the stable re-plan."""

    changes_before: int
    changes_after: int
    cap: float | None
    proven: bool
    #: No plan within the cap changes fewer (the second solve's proven bound).
    least_possible: int

    def summary(self) -> dict[str, Any]:
        return {"stable.changes_before": self.changes_before, "stable.changes_after": self.changes_after,
                "stable.changes_least_possible": self.least_possible, "stable.fewest_changes_proven": self.proven,
                "stable.objective_cap": self.cap}


def first_options(solver: SolverOptions) -> SolverOptions:
    """The first solve's options under ``--stable``: :data:`FIRST_GAP_SHARE` of mip_gap, so its
    bound leaves room within mip_gap for plans nearer the start (a first plan stopped just
    inside mip_gap would leave none)."""
    gap = solver.mip_gap
    return solver.replace(mip_gap=FIRST_GAP_SHARE * (gap if gap is not None else HIGHS_DEFAULT_GAP))


def objective_cap(objective: float, bound: float | None, rel_gap: float | None) -> float:
    """C: the largest cost within ``GAP_SHARE`` x mip_gap of ``bound`` (a minimisation), at
    least ``objective``."""
    if bound is None:
        return objective
    g = GAP_SHARE * (rel_gap if rel_gap is not None else HIGHS_DEFAULT_GAP)
    within = bound / (1.0 - g) if bound >= 0 else bound / (1.0 + g)
    return max(objective, within)


def distance(x: np.ndarray, columns: np.ndarray, start: np.ndarray) -> int:
    """Sum of |x_j - s_j| over the integer columns (rounded: a whole number)."""
    return int(round(float(np.abs(np.round(x[columns]) - start).sum())))


def restabilise(session: HighsSession, start: PlanStart, first: RunResult, solver: SolverOptions,
                timings: dict[str, float], deadline: float | None = None) -> tuple[RunResult, StableReport]:
    """The second and third solves above, after ``first`` (a run that ended with a plan), for as
    long as the first took, within ``deadline`` (the whole solve's, a ``time.perf_counter()``
    instant) but at least :data:`MIN_SHARE` of the time limit; leaves the session with the
    model as it was and the chosen plan as its solution."""
    columns, s = start.mapped.integer_columns, start.mapped.integer_values
    x1 = session.primal()
    before = distance(x1, columns, s)
    rel_gap = solver.mip_gap
    if before == 0:
        return first, StableReport(0, 0, None, True, 0)
    tick = time.perf_counter()
    budget = first.seconds if deadline is None else min(first.seconds, deadline - tick)
    limit = solver.time_limit_s
    if limit is not None:
        budget = max(budget, MIN_SHARE * float(limit))
    deadline = tick + budget
    cap = objective_cap(first.objective, first.bound, rel_gap)
    if start.values is not None and start.objective <= cap and distance(start.values, columns, s) < before:
        nearest, proven, floor = start.values, False, 0  # the start itself is within the gap
    else:
        nearest, proven, floor = _nearest(session, columns, s, cap, x1, solver, deadline)
    if distance(nearest, columns, s) == 0:
        proven = True
    timings["stable"] = time.perf_counter() - tick
    tick = time.perf_counter()
    completed = complete(session, start.mapped, np.round(nearest[columns]), solver)
    fixed_run, x = completed.run, completed.values
    timings["stable_lp"] = time.perf_counter() - tick
    if x is None:  # cannot happen for a feasible plan; keep the first solve's plan
        session.use_solution(x1)
        return first, StableReport(before, before, cap, False, floor)
    session.use_solution(x)
    gap = relative_gap(fixed_run.objective, first.bound)
    within_gap = gap is not None and gap <= (rel_gap if rel_gap is not None else HIGHS_DEFAULT_GAP)
    termination = TerminationCondition.convergenceCriteriaSatisfied if within_gap else first.termination
    result = RunResult(termination, True, fixed_run.objective, first.bound, first.seconds + timings["stable"])
    after = distance(x, columns, s)
    return result, StableReport(before, after, cap, proven, after if proven else floor)


def _nearest(session: HighsSession, columns: np.ndarray, s: np.ndarray, cap: float, x1: np.ndarray,
             solver: SolverOptions, deadline: float | None) -> tuple[np.ndarray, bool, int]:
    """The plan within ``cap`` nearest to ``s``: first among the plans that differ from the start
    only where ``x1`` does (every other integer column fixed at the value the two share: a
    small MIP), then over the whole model from there until the deadline. Returns the values
    (model columns only), whether the minimum is proven, and the proven least distance."""
    m = session.model
    n = len(x1)
    aux = _add_distance(m, session, columns, s, cap)
    try:
        def vector(x):
            return np.concatenate([x[:n], np.abs(x[aux.builds] - aux.targets)])

        same = columns[np.round(x1[columns]) == s]
        keep = s[np.round(x1[columns]) == s]
        lower, upper, _ = handoff.column_bounds(session.columns)
        session.set_column_bounds(same, keep, keep)
        try:
            session.set_start(vector(x1))
            run = _run(session, solver, deadline)
            best = session.primal() if run.has_solution else vector(x1)
        finally:
            session.set_column_bounds(same, lower[same], upper[same])
            session.clear_solution()
        session.set_start(best)
        run = _run(session, solver, deadline)
        # HighsSession.run checked the objective against the start's cost (re-run without the start
        # where HiGHS undervalued it): the objective is the plan's, the bound a bound
        if run.has_solution and run.objective < distance(best, columns, s) - 0.5:
            best = session.primal()
        proven = run.termination == TerminationCondition.convergenceCriteriaSatisfied
        floor = int(np.ceil(run.bound - 1e-6)) if run.bound is not None else 0
    finally:
        _remove_distance(m, session, aux)
    return best[:n], proven, max(0, floor)


def _run(session: HighsSession, solver: SolverOptions, deadline: float | None) -> RunResult:
    """The distance MIP to a proven whole-number minimum (absolute gap below 1), or until the
    deadline (a watchdog of its own: models.highs.monitor)."""
    left = None if deadline is None else max(0.0, deadline - time.perf_counter())
    with session.watch(None, left):
        return session.run(solver.replace(time_limit_s=left, mip_gap=0.0, mip_abs_gap=0.999))


@dataclass
class _Distance:
    builds: np.ndarray  # columns with an auxiliary |b - s|, in the order of the auxiliary columns
    targets: np.ndarray  # their start values
    cost_divisor: float  # the session's objective divisor for the cost objective


def _add_distance(m, session: HighsSession, columns: np.ndarray, s: np.ndarray, cap: float) -> _Distance:
    """The block ``m.stable``: auxiliaries, their rows, the cap on the cost and the distance
    objective (the cost objective deactivated), pushed to HiGHS."""
    var = session.columns
    terms: list = []
    inner: list[tuple[int, float]] = []
    for j, target in zip(columns.tolist(), s.tolist()):
        v = var[j]
        lb, ub = v.lb, v.ub
        if target <= (lb or 0.0):
            terms.append(v - target)
        elif ub is not None and target >= ub:
            terms.append(target - v)
        else:
            inner.append((j, target))
    m.stable = pyo.Block()
    b = m.stable
    b.aux_index = pyo.Set(initialize=range(len(inner)))
    b.t = pyo.Var(b.aux_index, within=pyo.NonNegativeReals)
    b.above = pyo.Constraint(b.aux_index, rule=lambda _b, k: _b.t[k] >= var[inner[k][0]] - inner[k][1])
    b.below = pyo.Constraint(b.aux_index, rule=lambda _b, k: _b.t[k] >= inner[k][1] - var[inner[k][0]])
    b.cap = pyo.Constraint(expr=m.obj.expr <= cap)
    b.obj = pyo.Objective(expr=pyo.quicksum(terms) + pyo.quicksum(b.t[k] for k in b.aux_index), sense=pyo.minimize)
    m.obj.deactivate()
    session.add_columns([b.t[k] for k in b.aux_index])
    session.add_rows(list(b.above.values()) + list(b.below.values()) + [b.cap])
    # the distance (a count) in HiGHS' units unscaled: divided like the cost objective it would
    # be ~1e-6 a change, below HiGHS' tolerances
    divisor = session.scaling.obj
    session.scaling = dataclasses.replace(session.scaling, obj=1.0)
    session.update_objective()
    return _Distance(np.array([j for j, _t in inner], dtype=np.int64), np.array([t for _j, t in inner]), divisor)


def _remove_distance(m, session: HighsSession, aux: _Distance) -> None:
    """Undo :func:`_add_distance`: its rows become free and empty, the cost objective is
    back; the auxiliary columns stay in HiGHS with no row and no cost."""
    b = m.stable
    rows = list(b.above.values()) + list(b.below.values()) + [b.cap]
    b.obj.deactivate()
    m.obj.activate()
    for con in rows:
        con.deactivate()
    session.update_rows(rows)
    session.scaling = dataclasses.replace(session.scaling, obj=aux.cost_divisor)
    session.update_objective()
    m.del_component(b)
