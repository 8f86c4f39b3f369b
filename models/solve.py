"""Solve a Dataset: build, hand to HiGHS (models.highs.handoff through models.highs.session), extract.

The stages, in order: build; hand-off; the start (a saved plan's decisions completed,
models.warm.start, when ``SolveOptions.start`` is given, else the LP start of
models.highs.lp_start for large models); the MIP; the stable re-plan (models.warm.stable,
with ``SolveOptions.stable``); extraction; marginal values.

Solver settings are data: :class:`SolveOptions` (the command line) over the Settings sheet give
one :class:`models.highs.options.SolverOptions`, which every stage passes on. The solve
never raises for the model's own outcome: infeasible, time limit without a plan and
solver errors become a :class:`Status`; only a time-limit or optimal incumbent is a plan.
"""

from __future__ import annotations

import time
from typing import Any

from pyomo.contrib.solver.common.results import TerminationCondition

from planner.schema.dataset import Dataset

from models.analysis import marginals, results, tidy
from models.highs import lp_start
from models.build import build_model
from models.params.data import build_data
from models.highs.monitor import SolveMonitor
from models.outcome import SolveOptions, SolveOutcome, Status, relative_gap
from models.highs.options import SolverOptions
from models.highs.session import HighsSession, RunResult
from models.warm import start as warm_start, stable as warm_stable
from models.warm.decisions import Decisions

_LIMITS = (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit,
           TerminationCondition.interrupted, TerminationCondition.objectiveLimit,
           TerminationCondition.minStepLength, TerminationCondition.unknown)
_INFEASIBLE = (TerminationCondition.provenInfeasible, TerminationCondition.locallyInfeasible,
               TerminationCondition.infeasibleOrUnbounded)


def solve_dataset(dataset: Dataset, options: SolveOptions | None = None) -> SolveOutcome:
    """Build the model of ``dataset``, solve it with HiGHS and return the outcome."""
    options = options or SolveOptions()
    timings: dict[str, float] = {}
    tick = time.perf_counter()
    data = build_data(dataset)
    model = build_model(data)
    timings["build"] = time.perf_counter() - tick

    solver = SolverOptions.of(dataset.settings, options)
    info = {"name": "highs", "options": solver.described()}
    tick = time.perf_counter()
    try:
        session = HighsSession(model)
    except RuntimeError as exc:
        return SolveOutcome(Status.ERROR, solver=info, timings=timings, message=str(exc))
    timings["handoff"] = time.perf_counter() - tick
    info |= {"version": session.version, "interface": session.interface}
    tick = time.perf_counter()
    start_rows: dict[str, Any] = {}
    try:
        if options.start is None:
            run = run_watched(session, solver, timings, info, options.on_progress)
        else:
            run, start_rows = run_start_stages(session, options, solver, timings, tick)
    except Exception as exc:  # a solver failure is an outcome, not a traceback
        timings["solve"] = time.perf_counter() - tick
        return SolveOutcome(Status.ERROR, solver=info, timings=timings, message=f"{type(exc).__name__}: {exc}")
    timings["solve"] = time.perf_counter() - tick

    outcome = finish(run, session, options, solver, info, timings)
    outcome.start = start_rows
    return outcome


def finish(run: RunResult, session: HighsSession, options: SolveOptions, solver: SolverOptions,
           info: dict[str, Any], timings: dict[str, float], policies_only: bool = False) -> SolveOutcome:
    """The outcome of a finished run on ``session``: the plan extracted (idle binaries
    released, costs, tables) and, if asked, its marginal values (``policies_only``: of the
    policy targets only). Shared by the solve and the re-solve (models.analysis.resolve)."""
    status = _status(run)
    outcome = SolveOutcome(status, solve_seconds=timings["solve"], solver=info, timings=timings,
                           message=str(run.termination.name), bound=run.bound)
    if not status.has_plan:
        return outcome
    model = session.model
    tick = time.perf_counter()
    session.load_values()
    released = tidy.release_idle_binaries(model)
    raised = tidy.earn_incentives_in_full(model)
    value = session.evaluator()  # after the release: at the plan's final values
    # the run's objective is the plan's cost unless binaries were released or another objective
    # was active (models.analysis.alternatives)
    outcome.objective = value(model.obj.expr) if released or raised or not model.obj.active else run.objective
    if released:
        outcome.message += "; released unused " + ", ".join(released)
    outcome.gap = relative_gap(outcome.objective, outcome.bound)
    outcome.costs = results.costs(model, value)
    outcome.tables = results.tables(model)
    timings["extract"] = time.perf_counter() - tick
    if options.marginals:
        _add_marginals(outcome, session, solver, policies_only)
    return outcome


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


def run_start_stages(session: HighsSession, options: SolveOptions, solver: SolverOptions,
                     timings: dict[str, float], tick: float) -> tuple[RunResult, dict[str, Any]]:
    """The start from a saved plan (:func:`run_from_plan`, watched like :func:`run_watched`),
    then with ``options.stable`` the stable re-plan (models.warm.stable); the Summary rows of
    both (start.*, stable.*). ``tick``: when the solve started (the time limit counts from it)."""
    first = warm_stable.first_options(solver) if options.stable else solver
    with session.watch(options.on_progress, solver.time_limit_s) as monitor:
        run, start = run_from_plan(session, options.start, first, timings, monitor)
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
    run = session.run(solver.within(deadline))
    if not warm_start.trusted(run, session):  # HiGHS mishandled the start: the MIP again, without it
        session.clear_solution()
        run = session.run(solver.within(deadline))
        start.report.notes.append("HiGHS misread the start (its objective was not its plan's cost): solved "
                                  "again without it")
    timings["mip"] = time.perf_counter() - tick
    return warm_start.keep_better(run, start, session, solver.mip_gap), start


def _add_marginals(outcome: SolveOutcome, session: HighsSession, solver: SolverOptions,
                   policies_only: bool = False) -> None:
    """The Marginal values sheet: the LP with the plan's integer decisions fixed (models.analysis.marginals).
    Runs after extraction (it changes the session and the variable values); a failure leaves
    the plan without the sheet and says why in the message."""
    tick = time.perf_counter()
    try:
        outcome.marginals = marginals.marginal_values(session, solver, policies_only)
    except Exception as exc:  # the plan stands without its marginal values
        outcome.message += f"; marginal values not computed ({type(exc).__name__}: {exc})"
    outcome.timings["marginals"] = time.perf_counter() - tick


def _status(run: RunResult) -> Status:
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
