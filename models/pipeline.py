"""The solve pipeline: the stages every solve of a handed-off model runs, in this order.

    pipe = Pipeline(session, options)               # a HighsSession and the command line's SolveOptions
    outcome = pipe.solve(solver)                    # from nothing (the LP start where it is wanted)
    outcome = pipe.solve(solver, start=pipe.last_plan())   # from the previous plan (a re-solve, a sweep)
    outcome = pipe.solve(solver, plan=decisions)    # from a saved plan (solve --start; --stable)
    run = pipe.run(solver)                          # stages 1-4, values loaded (the diagnosis)

1. **start**: a saved plan's decisions completed for this model (models.warm.start), else the
   plan given (the previous plan of this session: a re-solve, a sweep's neighbour, a frontier
   point, an alternative), and the LP start with its quick plan (models.highs.lp_start) where
   ``SolverOptions.lp_start`` wants it;
2. **MIP**: one HiGHS run, watched (progress reports and a wall-clock watchdog at the time
   limit, models.highs.monitor); the stages share the time limit;
3. **keep**: the start's plan where the MIP ended without a plan or with a dearer one;
4. **stable** re-plan, with ``SolveOptions.stable`` and a saved plan (models.warm.stable);
5. **extraction**: the values loaded, idle binaries released and capped incentives earned in
   full (models.analysis.tidy), the objective re-evaluated where either changed the plan, costs
   and tables (models.analysis.results);
6. **marginal values**, when ``SolveOptions.marginals`` asks (models.analysis.marginals; the
   session is left as it was for the next solve).

``solve_dataset`` (models.solve), the re-solver (models.analysis.resolve, and the sweeps on it),
the frontier, the alternatives and the diagnosis all go through :class:`Pipeline`; none runs
HiGHS or extracts a plan itself, so a plan reports the same objective and costs however it
was solved. The solve never raises for the model's own outcome: infeasible, time limit without
a plan and solver errors become a :class:`Status`; only a time-limit or optimal incumbent is a plan.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from pyomo.contrib.solver.common.results import TerminationCondition

from models.analysis import marginals, results, tidy
from models.highs import lp_start
from models.highs.monitor import SolveMonitor
from models.highs.options import SolverOptions
from models.highs.session import HighsSession, RunResult
from models.outcome import SolveOptions, SolveOutcome, Status, relative_gap
from models.warm import start as warm_start, stable as warm_stable
from models.warm.decisions import Decisions

_LIMITS = (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit,
           TerminationCondition.interrupted, TerminationCondition.objectiveLimit,
           TerminationCondition.minStepLength, TerminationCondition.unknown)
_INFEASIBLE = (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
               TerminationCondition.infeasibleOrUnbounded)


class Pipeline:
    """The stages above on one session; the session may be solved again (changed in between)."""

    def __init__(self, session: HighsSession, options: SolveOptions | None = None, policies_only: bool = False):
        self.session = session
        #: on_progress, marginals and stable are read from here; the solver's own options are
        #: given per solve (each driver derives its own: models.highs.options)
        self.options = options or SolveOptions()
        #: marginal values of the policy targets only (a sweep of targets)
        self.policies_only = policies_only
        self._last: np.ndarray | None = None

    def last_plan(self) -> np.ndarray | None:
        """The last plan a solve of this pipeline found, a value per column (columns added
        since at 0), for the next solve to start from; None before the first plan."""
        if self._last is None:
            return None
        n = len(self.session.columns)
        return np.concatenate([self._last, np.zeros(max(0, n - len(self._last)))])[:n]

    def info(self, solver: SolverOptions) -> dict[str, Any]:
        """The plan's ``solver.*`` Summary rows."""
        session = self.session
        return {"name": "highs", "options": solver.described(), "version": session.version,
                "interface": session.interface}

    def solve(self, solver: SolverOptions, *, start: np.ndarray | None = None, plan: Decisions | None = None,
              timings: dict[str, float] | None = None, info: dict[str, Any] | None = None,
              catch: bool = False) -> SolveOutcome:
        """Every stage; ``start`` a value per column to start from, ``plan`` a saved plan's
        decisions (instead of ``start``); ``timings`` (build, hand-off, ...) and ``info`` are
        copied into the outcome with the stages' own; ``catch``: a solver failure becomes an
        outcome (status ERROR) instead of an exception."""
        timings = dict(timings or {})
        info = self.info(solver) | dict(info or {})
        tick = time.perf_counter()
        try:
            run, start_rows = self._run(solver, start, plan, timings, info, tick)
        except Exception as exc:  # a solver failure is an outcome, not a traceback
            if not catch:
                raise
            timings["solve"] = time.perf_counter() - tick
            return SolveOutcome(Status.ERROR, solver=info, timings=timings, message=f"{type(exc).__name__}: {exc}")
        timings["solve"] = time.perf_counter() - tick
        outcome = self._extract(run, solver, info, timings)
        outcome.start = start_rows
        return outcome

    def run(self, solver: SolverOptions, *, start: np.ndarray | None = None, plan: Decisions | None = None,
            timings: dict[str, float] | None = None, info: dict[str, Any] | None = None) -> RunResult:
        """Stages 1-4, and the plan (if any) loaded into the model's variables: no tidying, no
        tables (the diagnosis reads its elastic plan itself)."""
        run = self._run(solver, start, plan, {} if timings is None else timings, {} if info is None else info,
                        time.perf_counter())[0]
        if run.has_solution:
            self.session.load_values()
        return run

    # ---- the stages ------------------------------------------------------------------------------

    def _run(self, solver: SolverOptions, start: np.ndarray | None, plan: Decisions | None,
             timings: dict[str, float], info: dict[str, Any], tick: float) -> tuple[RunResult, dict[str, Any]]:
        session = self.session
        rows: dict[str, Any] = {}
        if plan is not None:
            run, rows = run_start_stages(session, plan, self.options, solver, timings, tick)
        else:
            if start is not None:
                session.set_start(start)
            run = run_watched(session, solver, timings, info, self.options.on_progress)
        if run.has_solution:
            self._last = session.primal()
        return run, rows

    def _extract(self, run: RunResult, solver: SolverOptions, info: dict[str, Any],
                 timings: dict[str, float]) -> SolveOutcome:
        """The outcome of a finished run: the plan extracted (idle binaries released, costs,
        tables) and, if asked, its marginal values."""
        status = status_of(run)
        outcome = SolveOutcome(status, solve_seconds=timings["solve"], solver=info, timings=timings,
                               message=str(run.termination.name), bound=run.bound)
        if not status.has_plan:
            return outcome
        session = self.session
        model = session.model
        tick = time.perf_counter()
        session.load_values()
        released = tidy.release_idle_binaries(model)
        raised = tidy.earn_incentives_in_full(model)
        value = session.evaluator()  # after the release: at the plan's final values
        settled = tidy.settle_cvar(model, value)
        if settled:
            value = session.evaluator()
        # the run's objective is the plan's cost unless the plan was tidied or another objective
        # was active (models.analysis.alternatives)
        changed = released or raised or settled
        outcome.objective = value(model.obj.expr) if changed or not model.obj.active else run.objective
        if released:
            outcome.message += "; released unused " + ", ".join(released)
        outcome.gap = relative_gap(outcome.objective, outcome.bound)
        outcome.costs = results.costs(model, value)
        outcome.tables = results.tables(model)
        timings["extract"] = time.perf_counter() - tick
        if self.options.marginals:
            self._add_marginals(outcome, solver)
        return outcome

    def _add_marginals(self, outcome: SolveOutcome, solver: SolverOptions) -> None:
        """The Marginal values sheet: the LP with the plan's integer decisions fixed
        (models.analysis.marginals). Runs after extraction (it changes the variable values); a
        failure leaves the plan without the sheet and says why in the message."""
        tick = time.perf_counter()
        try:
            outcome.marginals = marginals.marginal_values(self.session, solver, self.policies_only)
        except Exception as exc:  # the plan stands without its marginal values
            outcome.message += f"; marginal values not computed ({type(exc).__name__}: {exc})"
        outcome.timings["marginals"] = time.perf_counter() - tick


def run_watched(session: HighsSession, solver: SolverOptions, timings: dict[str, float], info: dict[str, Any],
                on_progress=None) -> RunResult:
    """:func:`run_highs` with progress reports and a wall-clock watchdog (models.highs.monitor):
    the time limit holds in wall seconds from now, however HiGHS counts its run time over
    the runs of one session (a re-solve, a frontier point, an alternative)."""
    with session.watch(on_progress, solver.time_limit_s) as monitor:
        return run_highs(session, solver, timings, info, monitor)


def run_highs(session: HighsSession, solver: SolverOptions, timings: dict[str, float], info: dict[str, Any],
              monitor: SolveMonitor | None = None) -> RunResult:
    """HiGHS on the model, after the LP start (models.highs.lp_start) where ``solver.lp_start``
    wants it; the time limit covers the LP, the restricted MIP and the full MIP together."""
    if not lp_start.wanted(session, solver.lp_start):
        return session.run(solver)
    tick = time.perf_counter()
    deadline = solver.deadline(tick)
    start = lp_start.find_start(session, solver, deadline, monitor)
    timings |= {f"start_{stage}": sec for stage, sec in start.seconds.items()}
    info["lp_start"] = (f"LP bound {start.lp_bound}; {start.fixed} integer columns fixed at integral LP values, "
                        f"{start.free} left; first plan {start.objective}")
    if start.infeasible:
        return RunResult(TerminationCondition.provenInfeasible, False, None, None, time.perf_counter() - tick)
    if lp_start.proven(start, solver.mip_gap):
        return lp_start.start_only(start, session, time.perf_counter() - tick)
    if start.values is not None:
        session.set_start(start.values)
    tick = time.perf_counter()
    run = session.run(solver.within(deadline))
    timings["mip"] = time.perf_counter() - tick
    return lp_start.combine(run, start, session, solver.mip_gap)


def run_start_stages(session: HighsSession, plan: Decisions, options: SolveOptions, solver: SolverOptions,
                     timings: dict[str, float], tick: float) -> tuple[RunResult, dict[str, Any]]:
    """The start from a saved plan (:func:`run_from_plan`, watched like :func:`run_watched`),
    then with ``options.stable`` the stable re-plan (models.warm.stable); the Summary rows of
    both (start.*, stable.*). ``tick``: when the solve started (the time limit counts from it)."""
    first = warm_stable.first_options(solver) if options.stable else solver
    with session.watch(options.on_progress, solver.time_limit_s) as monitor:
        run, start = run_from_plan(session, plan, first, timings, monitor)
    rows = start.report.summary()
    if options.stable and run.has_solution:
        run, report = warm_stable.restabilise(session, start, run, solver, timings, solver.deadline(tick))
        rows |= report.summary()
    return run, rows


def run_from_plan(session: HighsSession, decisions: Decisions, solver: SolverOptions, timings: dict[str, float],
                  monitor: SolveMonitor | None = None) -> tuple[RunResult, warm_start.PlanStart]:
    """HiGHS from a saved plan's decisions (models.warm.start; instead of the LP start): the
    start completed for this model, offered to the MIP, kept if the MIP ends with nothing
    better. The time limit covers the completion and the MIP together."""
    deadline = solver.deadline(time.perf_counter())
    report = monitor.on_progress if monitor is not None else None
    if monitor is not None:  # the repair's restricted MIP has a bound of its own, not the model's
        monitor.on_progress = None
    try:
        start = warm_start.prepare(session, decisions, solver, deadline, timings)
    finally:
        if monitor is not None:
            monitor.on_progress = report
    if start.values is not None:
        session.set_start(start.values)
    tick = time.perf_counter()
    run = session.run(solver.within(deadline))  # checked against the start's cost (HighsSession.run)
    timings["mip"] = time.perf_counter() - tick
    return warm_start.keep_better(run, start, session, solver.mip_gap), start


def status_of(run: RunResult) -> Status:
    """The outcome's status of a run."""
    tc = run.termination
    has_solution = run.has_solution
    if tc == TerminationCondition.convergenceCriteriaSatisfied and has_solution:
        return Status.OPTIMAL
    if tc in _INFEASIBLE:
        return Status.INFEASIBLE
    if tc == TerminationCondition.unbounded:
        return Status.UNBOUNDED
    if tc in _LIMITS:
        return Status.TIME_LIMIT if has_solution else Status.NO_SOLUTION
    return Status.ERROR
