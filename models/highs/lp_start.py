r"""A first plan from the LP relaxation (relax-and-fix), for models too large for HiGHS'
own heuristics to find one in time.

At national scale HiGHS' MIP presolve and root LP take minutes before its heuristics
start, and within 300 s it found no plan at all (benchmarks/RESULTS.md). The LP
relaxation alone is much cheaper (no probing, no cuts), and most of its integer columns
come out integral (national: 3,361 of 3,640). So, before the MIP:

0. find a quick plan (:mod:`models.highs.quick_plan`; it may use the whole time limit): a
   feasible plan in seconds, kept if nothing better turns up, so a time limit too short for
   the LP still ends with a plan;
1. solve the LP relaxation (every column continuous) with at most :data:`LP_SHARE` of
   the time limit; its optimum :math:`z_{LP}` is a valid lower bound of the MIP;
2. fix each integer column whose LP value is integral at that value and solve the
   restricted MIP that is left (a few hundred integer columns) with at most
   :data:`RESTRICTED_SHARE` of the remaining time, at the user's mip_gap;
3. offer its plan (or the quick plan, if cheaper) to HiGHS as the start of the full MIP,
   which gets the rest of the time.

A plan within mip_gap of :math:`z_{LP}` is proven good enough and the full MIP is not
run. HiGHS' own use of a stored LP solution as a start (it completes it with a sub-MIP
of its own under the whole time limit, which overran the limit by minutes) is avoided by
clearing the LP solution before step 2. Live progress shows :math:`z_{LP}` as the bound
during step 2 (the restricted MIP's own bound is not one of the whole model) and the
stronger of the two during step 3.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from pyomo.contrib.solver.common.results import TerminationCondition

from models.highs import handoff, quick_plan
from models.outcome import relative_gap
from models.highs.options import SolverOptions
from models.highs.session import HighsSession, RunResult

#: Models with at least this many columns get the LP start when it is left on "auto".
AUTO_MIN_COLUMNS = 10_000
#: Share of the time limit the LP relaxation may use (if it does not finish, the full MIP
#: still has the rest, and HiGHS' own heuristics their chance).
LP_SHARE = 0.5
#: Share of the time left after the LP that the restricted MIP may use.
RESTRICTED_SHARE = 0.5
#: HiGHS' own mip_rel_gap default, used when neither the options nor Settings give one.
HIGHS_DEFAULT_GAP = 1e-4
#: An LP value this close to an integer counts as integral.
INTEGRAL_TOL = 1e-6


@dataclass(frozen=True)
class LpStart:
    """What the start heuristic found: the LP bound, and a plan (values per column) or none."""

    lp_bound: float | None
    values: np.ndarray | None
    objective: float | None
    fixed: int  # integer columns fixed at their integral LP value
    free: int  # integer columns left to the restricted MIP
    seconds: dict[str, float]
    infeasible: bool = False  # the LP relaxation is infeasible, so is the MIP


def wanted(session: HighsSession, choice: bool | None) -> bool:
    """On when asked, off when asked; on 'auto' (None) for large models with integers."""
    if session.n_integer == 0:
        return False
    if choice is not None:
        return choice
    return session.size[0] >= AUTO_MIN_COLUMNS


def find_start(session: HighsSession, solver: SolverOptions, deadline: float | None, monitor=None) -> LpStart:
    """Run steps 1 and 2 on ``session`` and leave it as it was (integrality and bounds), with
    no stored solution. ``deadline`` is a ``time.perf_counter()`` instant or None; a
    ``monitor`` (models.highs.monitor.SolveMonitor) reports the LP bound during the restricted MIP."""
    seconds: dict[str, float] = {}
    # the quick plan may be the only plan there is, so it always finishes: a fixed number of small
    # LPs (national: 75, about 4 CPU s), which a loaded machine stretches past a short limit that
    # would otherwise leave no plan at all (docs/decisions.md "A plan at any size"); the LP then
    # gets what is left of the limit
    quick = quick_plan.find(session)
    seconds["quick_plan"] = quick.seconds
    tick = time.perf_counter()
    session.relax_integrality(True)
    try:
        lp = session.run(solver.within(deadline, LP_SHARE))
        x = session.primal() if lp.bound is not None else None
    finally:
        session.relax_integrality(False)
    seconds["lp"] = time.perf_counter() - tick
    if x is None:  # not solved in time (the quick plan, if any, is the plan), or infeasible (then so is the MIP)
        session.clear_solution()
        infeasible = lp.termination == TerminationCondition.provenInfeasible
        return LpStart(None, None if infeasible else quick.values, None if infeasible else quick.objective, 0, 0,
                       seconds, infeasible=infeasible)
    lower, upper, integrality = handoff.column_bounds(session.columns)
    integer = np.flatnonzero(integrality > 0).astype(np.int32)
    values = x[integer]
    rounded = np.round(values)
    integral = np.abs(values - rounded) <= INTEGRAL_TOL
    fix, at = integer[integral], rounded[integral]
    session.clear_solution()  # else HiGHS would complete the LP solution itself (see above)

    if monitor is not None:  # the restricted MIP's own bound is not one of the whole model
        monitor.known_bound, monitor.run_bound_valid = lp.bound, False
    tick = time.perf_counter()
    session.set_column_bounds(fix, at, at)
    try:
        restricted = session.run(solver.within(deadline, RESTRICTED_SHARE))
        plan = session.primal() if restricted.has_solution else None
    finally:
        session.set_column_bounds(fix, lower[fix], upper[fix])
    seconds["restricted_mip"] = time.perf_counter() - tick
    if monitor is not None:
        monitor.run_bound_valid = True
    session.clear_solution()
    objective = restricted.objective if plan is not None else None
    if quick.values is not None and (objective is None or quick.objective < objective):
        plan, objective = quick.values, quick.objective
    return LpStart(lp.bound, plan, objective, int(len(fix)), int(len(integer) - len(fix)), seconds)


def proven(start: LpStart, rel_gap: float | None) -> bool:
    """The start's plan is within ``rel_gap`` of the LP bound (HiGHS' gap definition)."""
    return _close_enough(start.objective, start.lp_bound, rel_gap)


def _close_enough(objective: float | None, bound: float | None, rel_gap: float | None) -> bool:
    """``objective`` is within ``rel_gap`` (else HiGHS' default) of ``bound``."""
    gap = relative_gap(objective, bound)
    return gap is not None and gap <= (rel_gap if rel_gap is not None else HIGHS_DEFAULT_GAP)


def start_only(start: LpStart, session: HighsSession, seconds: float) -> RunResult:
    """The result when the start's plan is already proven within mip_gap (no full MIP)."""
    session.use_solution(start.values)
    return RunResult(TerminationCondition.convergenceCriteriaSatisfied, True, start.objective,
                     start.lp_bound, seconds)


def combine(run: RunResult, start: LpStart, session: HighsSession, rel_gap: float | None) -> RunResult:
    """The full MIP's result with what the start adds: the LP bound when it is stronger,
    the start's plan when the MIP ended without one (e.g. stopped in its presolve), and
    'optimal' when the plan is within mip_gap of the stronger bound."""
    bound = run.bound
    if start.lp_bound is not None:
        pick = max if session.minimize else min
        bound = start.lp_bound if bound is None else pick(bound, start.lp_bound)
    has_solution, objective = run.has_solution, run.objective
    if start.values is not None and (not has_solution or start.objective < objective):
        session.use_solution(start.values)
        has_solution, objective = True, start.objective
    termination = run.termination
    if has_solution and _close_enough(objective, bound, rel_gap):
        termination = TerminationCondition.convergenceCriteriaSatisfied
    return RunResult(termination, has_solution, objective, bound, run.seconds)
