"""A Pyomo model handed to HiGHS, and the maps between the two.

Everything after the hand-off (time limits, progress callbacks, a watchdog, fixing
integers for marginal values, IIS) talks to the :class:`HighsSession`, never to a
particular Pyomo–HiGHS interface, so the hand-off can be swapped for a faster one
without touching those features.

The hand-off is :mod:`models.highs.handoff`: the model is compiled to numpy arrays (one HiGHS
column per Pyomo Var, one HiGHS row ``lower <= a·x <= upper`` per active Constraint,
never split or negated, so a row's dual is its constraint's dual) and passed to HiGHS in
one ``passModel`` call, in the units of :mod:`models.highs.scaling` (every value, dual,
objective and bound read back through the session is in the model's own units again; only
``session.highs`` itself speaks HiGHS' units). Pyomo stays the source of truth: after changing the model
(fixing variables, new coefficients in a rule's data), push the change with
:meth:`update` / :meth:`fix_columns` (bounds), :meth:`update_rows` (constraints),
:meth:`add_rows` / :meth:`add_columns` (new components) or :meth:`update_objective`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.common.tee import capture_output
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.contrib.solver.common.util import NoDualsError, NoReducedCostsError, NoSolutionError
from pyomo.core.staleflag import StaleFlagManager

from models.highs import handoff, scaling
from models.highs.handoff import INF
from models.highs.monitor import SolveMonitor
from models.highs.options import SolverOptions
from models.highs.status import checked
from models.memory import paused_gc
from models.outcome import Progress, relative_gap


@dataclass(frozen=True)
class RunResult:
    """What one HiGHS run ended with (objective and bound as HiGHS reports them)."""

    termination: TerminationCondition
    has_solution: bool
    objective: float | None
    bound: float | None
    seconds: float


_STATUS = {
    highspy.HighsModelStatus.kNotset: TerminationCondition.unknown,
    highspy.HighsModelStatus.kLoadError: TerminationCondition.error,
    highspy.HighsModelStatus.kModelError: TerminationCondition.error,
    highspy.HighsModelStatus.kPresolveError: TerminationCondition.error,
    highspy.HighsModelStatus.kSolveError: TerminationCondition.error,
    highspy.HighsModelStatus.kPostsolveError: TerminationCondition.error,
    highspy.HighsModelStatus.kModelEmpty: TerminationCondition.unknown,
    highspy.HighsModelStatus.kOptimal: TerminationCondition.convergenceCriteriaSatisfied,
    highspy.HighsModelStatus.kInfeasible: TerminationCondition.provenInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: TerminationCondition.infeasibleOrUnbounded,
    highspy.HighsModelStatus.kUnbounded: TerminationCondition.unbounded,
    highspy.HighsModelStatus.kObjectiveBound: TerminationCondition.objectiveLimit,
    highspy.HighsModelStatus.kObjectiveTarget: TerminationCondition.objectiveLimit,
    highspy.HighsModelStatus.kTimeLimit: TerminationCondition.maxTimeLimit,
    highspy.HighsModelStatus.kIterationLimit: TerminationCondition.iterationLimit,
    highspy.HighsModelStatus.kUnknown: TerminationCondition.unknown,
}
if hasattr(highspy.HighsModelStatus, "kSolutionLimit"):
    _STATUS[highspy.HighsModelStatus.kSolutionLimit] = TerminationCondition.iterationLimit
if hasattr(highspy.HighsModelStatus, "kInterrupt"):
    _STATUS[highspy.HighsModelStatus.kInterrupt] = TerminationCondition.interrupted


#: HiGHS options every run starts from (``solver_options`` override them). In the scaled model
#: (models.highs.scaling) HiGHS' root cuts close most of the gap, and two things of its own
#: cost more than they bring: restarting the root after fixing columns by reduced cost (which
#: repeats the cut rounds), and RENS, a sub-MIP at the root that spent most of the LP iterations.
#: Bundled example to mip_gap 1e-6, seeds 0-2, load about 4: 3.1-3.5 s CPU and 8.8-10.9k LP
#: iterations with these, 5.6-9.8 s and 16-19k without; small, medium, OR-Library cap71/101/131:
#: the same either way; large to 1e-4: 0.1 % after 90 s instead of 102 s (benchmarks/RESULTS.md).
HIGHS_DEFAULTS: dict[str, Any] = {"mip_allow_restart": False, "mip_heuristic_run_rens": False}


class HighsSession:
    """The model ``model`` handed to HiGHS as arrays (:mod:`models.highs.handoff`)."""

    interface = "trust-planner direct hand-off (numpy arrays, Highs.passModel)"

    def __init__(self, model: pyo.ConcreteModel, scale: bool = True):
        self.model = model
        tick = time.perf_counter()
        with paused_gc():
            compiled = handoff.compile_model(model)
            #: HiGHS' units (models.highs.scaling; ``compiled`` is scaled in place); ``scale=False``
            #: hands the model over in its own units (for comparisons)
            self.scaling = scaling.scale_model(compiled, model) if scale else \
                scaling.Scaling.identity(compiled.num_col, compiled.num_row)
        self.timings: dict[str, float] = {"compile": time.perf_counter() - tick}
        self._columns = compiled.columns
        self._col_of = compiled.col_of
        self._rows: list[Any] = compiled.rows
        self._row_of: dict[Any, int] = compiled.row_of
        self._cost = compiled.cost  # HiGHS' units
        self._offset = compiled.offset
        self._sense = compiled.sense
        # the hand-off's compiler: its named cost Expressions stay compiled for evaluator()
        self._compiler = compiled.compiler or handoff.LinearCompiler(self._col_of)
        tick = time.perf_counter()
        with capture_output(capture_fd=True):  # HiGHS prints a banner when the first instance is made
            self._h = highspy.Highs()
            self._call("setOptionValue", "output_flag", False)
        handoff.pass_model(self._h, compiled)
        self.timings["pass"] = time.perf_counter() - tick
        self.size = (compiled.num_col, compiled.num_row, compiled.num_nz)
        self.n_integer = int(compiled.integrality.sum())
        #: HiGHS' integrality of each column now (fixing with ``relax`` makes columns continuous)
        self._integral = np.asarray(compiled.integrality, dtype=np.uint8).copy()
        # the row-wise matrix, kept only for row updates (update_rows diffs against it)
        self._matrix = (compiled.start, compiled.index, compiled.value)
        self._row_cache: dict[int, tuple[list[int], list[float]]] = {}
        self._sol = None
        self._info = None
        #: HiGHS' value of each option before the session first set it: a run that does not ask
        #: for an option gets this value back (no run inherits an option from an earlier one)
        self._option_defaults: dict[str, Any] = {}

    # ---- maps ------------------------------------------------------------------------------

    @property
    def highs(self):
        """The underlying ``highspy.Highs`` object, in HiGHS' (scaled) units: for tests and benchmarks
        that examine HiGHS itself. The application goes through the session's methods
        (tests/test_layering.py holds models/ and planner/ to that)."""
        return self._h

    @property
    def version(self) -> str:
        h = self._h
        return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"

    @property
    def objective_scale(self) -> float:
        """Objective in model units = this x the objective HiGHS reports (e.g. in callbacks)."""
        return self.scaling.obj

    def column(self, var: Any) -> int:
        """HiGHS column index of a Pyomo variable."""
        return self._col_of[id(var)]

    def row(self, con: Any) -> int:
        """HiGHS row index of a Pyomo constraint."""
        return self._row_of[con]

    def columns_of(self, var) -> np.ndarray:
        """HiGHS column of each member of an indexed Pyomo variable, in its iteration order."""
        col_of = self._col_of
        return np.fromiter((col_of[id(v)] for v in var.values()), dtype=np.int64, count=len(var))

    def row_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The constraint matrix row-wise (CSR start, column index, value) in HiGHS' units."""
        if not self._row_cache and len(self._rows) == self._matrix[0].shape[0] - 1:
            return self._matrix  # as handed over: no row changed since
        lp = self._h.getLp()
        a = lp.a_matrix_
        start, index, value = np.asarray(a.start_), np.asarray(a.index_), np.asarray(a.value_)
        if a.format_ == highspy.MatrixFormat.kRowwise:
            return start, index, value
        cols = np.repeat(np.arange(lp.num_col_), np.diff(start))
        order = np.argsort(index, kind="stable")
        row_start = np.zeros(lp.num_row_ + 1, dtype=np.int64)
        np.cumsum(np.bincount(index, minlength=lp.num_row_), out=row_start[1:])
        return row_start, cols[order], value[order]

    @property
    def columns(self) -> list:
        """Pyomo variable of each HiGHS column, in column order."""
        return self._columns

    @property
    def rows(self) -> list:
        """Pyomo constraint of each HiGHS row, in row order (None for a row dropped by update_rows)."""
        return self._rows

    # ---- solve -----------------------------------------------------------------------------

    def watch(self, on_progress: Callable[[Progress], None] | None = None, time_limit: float | None = None,
              every: float = 0.5) -> SolveMonitor:
        """Progress reports (in the model's units) and a wall-clock watchdog at ``time_limit`` for
        the runs inside ``with session.watch(...)`` (models.highs.monitor)."""
        return SolveMonitor(self._h, on_progress, time_limit, every=every, objective_scale=self.objective_scale)

    @property
    def run_time(self) -> float:
        """Seconds HiGHS has run, summed over every run of this session."""
        return float(self._h.getRunTime())

    def clear_solution(self) -> None:
        """Forget the last solution, in HiGHS too: the next run starts from nothing (or from the
        start given by :meth:`set_start`), and HiGHS cannot complete a stored LP solution on its own."""
        self._invalidate()
        self._call("clearSolver")

    def run(self, options: SolverOptions = SolverOptions(), only_this_run: dict[str, Any] | None = None) -> RunResult:
        """Run HiGHS with ``options`` (the one place their HiGHS names are written) and
        ``only_this_run``, raw HiGHS options for this run only. Every option the session has
        ever set is set again on every run, to what this run asks or else to HiGHS' value before
        the session first changed it: a re-solve or a sweep point never inherits a time limit, a
        gap or a raw option from an earlier run.

        A MIP run that starts from a solution (one offered by :meth:`set_start`, or the last
        run's, which HiGHS keeps and starts from unless :meth:`clear_solution` is called) has its
        objective checked against that solution's cost (:meth:`_checked`) and, if HiGHS
        undervalued it, runs once more without it (:meth:`_again_without_start`)."""
        if not isinstance(options, SolverOptions):  # code written before the options were typed
            raise TypeError(f"HighsSession.run takes a models.highs.options.SolverOptions, not {type(options).__name__}")
        h = self._h
        tick = time.perf_counter()
        self._set_options(self._wanted(options, only_this_run))
        started = bool(h.getSolution().value_valid)  # HiGHS' MIP starts from a valid solution
        _run_interruptibly(h)
        result, doubtful = self._result(h, tick)
        limit = options.time_limit_s
        left = None if limit is None else float(limit) - (time.perf_counter() - tick)
        if doubtful and started and (left is None or left > 1.0):
            result = self._again_without_start(result, h, tick, left)
        return result

    def _wanted(self, options: SolverOptions, only_this_run: dict[str, Any] | None) -> dict[str, Any]:
        """HiGHS' name and value of each option ``options`` sets (None: not set, HiGHS' own value)."""
        raw = HIGHS_DEFAULTS | dict(options.raw) | dict(only_this_run or {})
        wanted: dict[str, Any] = {"output_flag": bool(options.log_file) or bool(raw.pop("output_flag", False)),
                                  "log_to_console": bool(raw.pop("log_to_console", False))}
        if options.threads is not None:
            wanted["threads"] = int(options.threads)
        if options.time_limit_s is not None:
            # seconds for this run. HiGHS (1.16) holds a MIP to its own run time but an LP to the
            # run time summed over every run of this object (getRunTime): a 5 s LP after 13 s of
            # MIPs stopped at once (docs/decisions.md "Time limits")
            limit = float(options.time_limit_s)
            wanted["time_limit"] = limit if self._integral.any() else self._h.getRunTime() + limit
        if options.mip_gap is not None:
            wanted["mip_rel_gap"] = float(options.mip_gap)
        if options.mip_abs_gap is not None:  # in model units, like the objective
            wanted["mip_abs_gap"] = float(options.mip_abs_gap) / self.scaling.obj
        if options.log_file:
            wanted["log_file"] = options.log_file
        return wanted | raw

    def _set_options(self, wanted: dict[str, Any]) -> None:
        """Set ``wanted``, and every option set by an earlier run but not wanted now back to
        HiGHS' value before the session first set it."""
        defaults = self._option_defaults
        for key in wanted.keys() - defaults.keys():
            defaults[key] = _option(self._h, key)
        for key, value in ({k: v for k, v in defaults.items() if k not in wanted} | wanted).items():
            if _option(self._h, key) != value:
                self._call("setOptionValue", key, value)

    def _result(self, h, tick: float) -> tuple[RunResult, bool]:
        """The last run's outcome, and whether HiGHS claimed a gap its own solution does not have."""
        status = h.getModelStatus()
        info = h.getInfo()
        self._sol = h.getSolution()
        self._info = info
        reported = _STATUS.get(status, TerminationCondition.unknown)
        has_solution = info.primal_solution_status == 2
        objective = self.scaling.objective(float(info.objective_function_value)) if has_solution else None
        if info.mip_node_count == -1:  # an LP: the bound is the optimum
            bound = objective if has_solution and reported == TerminationCondition.convergenceCriteriaSatisfied \
                else None
        else:
            bound = self.scaling.objective(float(info.mip_dual_bound))
        if bound is not None and abs(bound) == float("inf"):
            bound = None
        termination = reported
        if has_solution and info.mip_node_count != -1:
            objective, termination = self._checked(objective, bound, reported, h)
        return (RunResult(termination, has_solution, objective, bound, time.perf_counter() - tick),
                termination != reported)

    def _checked(self, reported: float, bound: float | None, termination, h) -> tuple[float, Any]:
        """The objective of the MIP solution HiGHS returns, from the solution itself, and the
        termination, no longer 'optimal' when that objective is not within mip_rel_gap of the bound.

        HiGHS 1.16 values a starting solution (``set_start``) in its presolved space, where a
        column presolve fixed elsewhere (e.g. a dominated stock or draw) no longer costs what the
        start pays for it (its log: 'MIP start solution is feasible: objective value is 19600.005',
        then 'feasible in the reduced space: objective value is 19594.380'). When the start stays
        the incumbent, HiGHS reports it that much cheaper and may stop early (medium through the
        LP start: reported 10,032,323 'optimal within 1e-4' for a plan that costs 10,035,203, bound
        10,031,383, below the proven optimum 10,035,007)."""
        objective = self.cost_of(self.primal())
        moved = abs(objective - reported) > 1e-9 * max(1.0, abs(objective))
        if moved and termination == TerminationCondition.convergenceCriteriaSatisfied:
            if (relative_gap(objective, bound) or 0.0) > float(_option(h, "mip_rel_gap")) * (1 + 1e-6):
                termination = TerminationCondition.unknown  # not proven: the solve reports it as a time limit
        return objective, termination

    def _again_without_start(self, first: RunResult, h, tick: float, left: float | None) -> RunResult:
        """HiGHS stopped on a start it valued too low (see :meth:`_checked`): run once more
        without it for the time left, keep the better plan and the stronger bound."""
        kept = np.array(self._sol.col_value)
        self._call("clearSolver")
        if left is not None:
            self._call("setOptionValue", "time_limit", left)
        _run_interruptibly(h)
        second, _ = self._result(h, tick)
        bounds = [b for b in (first.bound, second.bound) if b is not None]
        bound = (max(bounds) if self.minimize else min(bounds)) if bounds else None
        better = second.has_solution and (second.objective <= first.objective if self.minimize
                                          else second.objective >= first.objective)
        if not better:
            self.use_solution(self.scaling.primal(kept))
        objective = second.objective if better else first.objective
        termination = second.termination if better else first.termination
        gap = relative_gap(objective, bound)
        if gap is not None and gap <= float(_option(h, "mip_rel_gap")) * (1 + 1e-6):
            termination = TerminationCondition.convergenceCriteriaSatisfied
        return RunResult(termination, True, objective, bound, time.perf_counter() - tick)


    def primal(self) -> np.ndarray:
        """The last run's value of every column (column order)."""
        if self._sol is None or not self._sol.value_valid:
            raise NoSolutionError()
        return self.scaling.primal(self._sol.col_value)

    def cost_of(self, values: np.ndarray) -> float:
        """The objective (as HiGHS holds it now) at ``values``, a value per column (model units)."""
        return self.scaling.objective(float(np.dot(self._cost, self.scaling.col_values(values))) + self._offset)

    def load_values(self) -> None:
        """Copy the last run's primal solution into the Pyomo variables."""
        values = self.primal().tolist()
        for v, x in zip(self._columns, values):
            if not v.fixed:
                v.set_value(x, skip_validation=True)
        StaleFlagManager.mark_all_as_stale(delayed=True)

    def duals(self, cons: list[Any]) -> dict[Any, float]:
        """Duals of the last (LP) run for ``cons`` (HiGHS' row duals, in the model's units)."""
        if self._sol is None or not self._sol.dual_valid:
            raise NoDualsError()
        row_dual = self.scaling.row_duals(self._sol.row_dual)
        return {c: float(row_dual[self._row_of[c]]) for c in cons}

    def reduced_costs(self, variables: list[Any]) -> ComponentMap:
        """Reduced costs of the last (LP) run for ``variables``."""
        if self._sol is None or not self._sol.dual_valid:
            raise NoReducedCostsError()
        col_dual = self.scaling.reduced_costs(self._sol.col_dual)
        out = ComponentMap()
        for v in variables:
            out[v] = float(col_dual[self._col_of[id(v)]])
        return out

    def lp_arrays(self) -> dict[str, Any]:
        """The last run's column and row values and duals, the column upper bounds and the row
        bounds, in model units (for reading many rows at once: models.analysis.marginals)."""
        if self._sol is None:
            raise NoSolutionError()
        sc, lp, sol = self.scaling, self._h.getLp(), self._sol
        return {"col_value": sc.primal(sol.col_value), "col_dual": sc.reduced_costs(sol.col_dual),
                "row_value": sc.row_activity(sol.row_value), "row_dual": sc.row_duals(sol.row_dual),
                "col_upper": sc.primal(lp.col_upper_), "row_lower": sc.row_activity(lp.row_lower_),
                "row_upper": sc.row_activity(lp.row_upper_), "dual_valid": bool(sol.dual_valid)}

    def evaluator(self) -> Callable[[Any], float]:
        """``value(expr)`` of linear expressions at the Pyomo variables' current values, as
        compiled columns and coefficients dotted with those values: the named cost
        Expressions are compiled once (already, by the hand-off), where Pyomo's own
        ``value()`` walks each expression tree again (3.1 of 4.2 s of extraction, large)."""
        x = np.fromiter((v.value if v.value is not None else 0.0 for v in self._columns), dtype=float,
                        count=len(self._columns))

        def value_of(expr) -> float:
            idx, val, const = self._compiler.linear(expr)
            return float(np.dot(np.asarray(val, dtype=float), x[np.asarray(idx, dtype=np.int64)])) + const

        return value_of

    def use_solution(self, values: np.ndarray) -> None:
        """Make ``values`` (a value per column) the session's solution, as if a run had
        ended with it (a plan found outside the last run, e.g. by models.highs.lp_start)."""
        self.set_start(values)
        self._sol = self._h.getSolution()

    @property
    def minimize(self) -> bool:
        return self._sense == 1

    def set_start(self, values: np.ndarray | None = None) -> None:
        """Offer ``values`` (a value per column; default: the last run's) as HiGHS' starting solution."""
        if values is None:
            values = self.primal()
        values = self.scaling.col_values(values)
        idx = np.arange(values.shape[0], dtype=np.int32)
        self._call("setSolution", int(values.shape[0]), idx, values)

    def set_column_bounds(self, idx: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Change the bounds of columns ``idx`` in HiGHS only (model units; Pyomo untouched)."""
        self._invalidate()
        idx = np.asarray(idx, dtype=np.int32)
        lower, upper = self.scaling.col_bounds(idx, lower, upper)
        self._call("changeColsBounds", len(idx), idx, lower, upper)

    # ---- changes pushed from the Pyomo model ---------------------------------------------

    def update(self) -> None:
        """Push changes made to the Pyomo variables (fixed/unfixed, bounds, domain) to HiGHS."""
        self._invalidate()
        lower, upper, integ = handoff.column_bounds(self._columns)
        n = len(self._columns)
        idx = np.arange(n, dtype=np.int32)
        self._call("changeColsBounds", n, idx, *self.scaling.col_bounds(idx, lower, upper))
        self._set_integrality(idx, integ)

    def fix_columns(self, variables: Iterable[Any], values: Iterable[float] | None = None,
                    relax: bool = True) -> None:
        """Fix ``variables`` (at ``values``, else their current values) in Pyomo and in HiGHS.

        With ``relax`` the fixed columns also become continuous in HiGHS (the feasible set is
        the same), so a model whose integers are all fixed is solved as an LP and has duals.
        """
        variables = list(variables)
        vals = [v.value for v in variables] if values is None else [float(x) for x in values]
        for v, x in zip(variables, vals):
            v.fix(x)
        self._invalidate()
        idx = np.array([self._col_of[id(v)] for v in variables], dtype=np.int32)
        arr, _ = self.scaling.col_bounds(idx, vals, vals)
        self._call("changeColsBounds", len(idx), idx, arr, arr)
        if relax and len(idx):
            self._set_integrality(idx, np.zeros(len(idx), dtype=np.uint8))

    def unfix_columns(self, variables: Iterable[Any]) -> None:
        """Unfix ``variables`` in Pyomo and restore their bounds and integrality in HiGHS."""
        variables = list(variables)
        for v in variables:
            v.unfix()
        self._invalidate()
        lower, upper, integ = handoff.column_bounds(variables)
        idx = np.array([self._col_of[id(v)] for v in variables], dtype=np.int32)
        self._call("changeColsBounds", len(idx), idx, *self.scaling.col_bounds(idx, lower, upper))
        self._set_integrality(idx, integ)

    def relax_integrality(self, relax: bool = True) -> None:
        """Make every column continuous in HiGHS (``relax=False``: restore the Pyomo domains)."""
        self._invalidate()
        n = len(self._columns)
        idx = np.arange(n, dtype=np.int32)
        integ = np.zeros(n, dtype=np.uint8) if relax else handoff.column_bounds(self._columns)[2]
        self._set_integrality(idx, integ)

    def add_columns(self, variables: Iterable[Any]) -> list[int]:
        """Add new Pyomo variables as HiGHS columns (cost 0 until :meth:`update_objective`)."""
        variables = [v for v in variables if id(v) not in self._col_of]
        if not variables:
            return []
        self._invalidate()
        lower, upper, integ = handoff.column_bounds(variables)
        first = len(self._columns)
        n = len(variables)
        factors = np.array([scaling.unit_of(self.model, v) for v in variables])
        factors[integ > 0] = 1.0
        self.scaling = self.scaling.with_columns(factors)
        self._call("addCols", n, np.zeros(n), lower / factors, upper / factors, 0, np.zeros(n, dtype=np.int32), np.zeros(0, dtype=np.int32),
                        np.zeros(0))
        idx = np.arange(first, first + n, dtype=np.int32)
        self._integral = np.concatenate([self._integral, np.zeros(n, dtype=np.uint8)])
        self._set_integrality(idx, integ)
        for j, v in enumerate(variables, start=first):
            self._col_of[id(v)] = j
            self._columns.append(v)
        self._cost = np.concatenate([self._cost, np.zeros(n)])
        return idx.tolist()

    def add_rows(self, cons: Iterable[Any]) -> list[int]:
        """Add new active Pyomo constraints as HiGHS rows."""
        cons = [c for c in cons if c not in self._row_of]
        if not cons:
            return []
        self._invalidate()
        lower, upper, starts, idx_all, val_all = [], [], [0], [], []
        integ = handoff.column_bounds(self._columns)[2]
        divisors = []
        for con in cons:
            idx, val, lo, up = self._row_data(con)
            r = scaling.row_divisors(np.array([0, len(idx)]), np.asarray(idx, dtype=np.int64),
                                     np.asarray(val, dtype=float), self.scaling.col, integ)[0]
            divisors.append(r)
            lower.append(lo / r)
            upper.append(up / r)
            idx_all += idx
            val_all += (np.asarray(val, dtype=float) * self.scaling.col[np.asarray(idx, dtype=np.int64)] / r).tolist()
            starts.append(len(idx_all))
        first = len(self._rows)
        self.scaling = self.scaling.with_rows(divisors)
        self._call("addRows", len(cons), np.array(lower), np.array(upper), len(idx_all),
                        np.array(starts[:-1], dtype=np.int32), np.array(idx_all, dtype=np.int32),
                        np.array(val_all, dtype=float))
        for k, (r, con) in enumerate(zip(range(first, first + len(cons)), cons)):
            self._row_of[con] = r
            self._rows.append(con)
            self._row_cache[r] = (idx_all[starts[k]:starts[k + 1]], val_all[starts[k]:starts[k + 1]])
        return list(range(first, first + len(cons)))

    def update_rows(self, cons: Iterable[Any]) -> int:
        """Re-read ``cons`` from Pyomo and push their new coefficients and bounds to HiGHS.

        A constraint that is no longer active (or was deleted from the model: pass the old
        ConstraintData) becomes a free, empty row. Returns the number of coefficients changed.
        """
        self._invalidate()
        self._compiler.reset()  # named Expressions may have changed too
        changed = 0
        rows, lowers, uppers = [], [], []
        for con in cons:
            r = self._row_of[con]
            old_idx, old_val = self._stored_row(r)
            alive = con.active and con.parent_component() is not None and con.index() in con.parent_component() \
                and con.parent_component()[con.index()] is con
            if alive:
                idx, val, lo, up = self._row_data(con)
                val = self.scaling.row_coefficients(r, idx, val).tolist()  # the row keeps its divisor
                lo, up = lo / self.scaling.row[r], up / self.scaling.row[r]
            else:
                idx, val, lo, up = [], [], -INF, INF
                self._rows[r] = None
                del self._row_of[con]
            new = dict(_merge(idx, val))
            old = dict(_merge(old_idx, old_val))
            for j, a in new.items():
                if old.get(j) != a:
                    self._call("changeCoeff", r, j, a)
                    changed += 1
            for j in old:
                if j not in new:
                    self._call("changeCoeff", r, j, 0.0)
                    changed += 1
            self._row_cache[r] = (list(new), list(new.values()))
            rows.append(r)
            lowers.append(lo)
            uppers.append(up)
        if rows:
            self._call("changeRowsBounds", len(rows), np.array(rows, dtype=np.int32), np.array(lowers), np.array(uppers))
        return changed

    def update_objective(self) -> int:
        """Re-read the active objective from Pyomo and push changed costs (and offset, sense)."""
        self._invalidate()
        self._compiler.reset()
        cost, offset, sense = handoff.compile_objective(self._compiler, handoff.objective_of(self.model),
                                                        len(self._columns))
        cost, offset = self.scaling.costs(cost), offset / self.scaling.obj  # the divisor stays as first set
        diff = np.flatnonzero(cost != self._cost)
        if diff.shape[0]:
            self._call("changeColsCost", diff.shape[0], diff.astype(np.int32), cost[diff])
        if offset != self._offset:
            self._call("changeObjectiveOffset", offset)
        if sense != self._sense:
            self._call("changeObjectiveSense", highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize)
        self._cost, self._offset, self._sense = cost, offset, sense
        return int(diff.shape[0])

    # ---- helpers ---------------------------------------------------------------------------

    def _call(self, name: str, *args: Any) -> Any:
        """HiGHS' ``name(*args)``, its HighsStatus checked (models.highs.status)."""
        return checked(getattr(self._h, name)(*args), name)

    def _set_integrality(self, idx: np.ndarray, integ: np.ndarray) -> None:
        self._call("changeColsIntegrality", len(idx), idx, integ)
        self._integral[idx] = np.asarray(integ, dtype=np.uint8)

    def _invalidate(self) -> None:
        self._sol = None
        self._info = None

    def _row_data(self, con):
        try:
            return self._compiler.row(con)
        except handoff.NonlinearModelError as exc:  # e.g. a variable the session has no column for
            raise ValueError(f"{con.name} uses a variable that is not a column: call add_columns first") from exc

    def _stored_row(self, r: int) -> tuple[list[int], list[float]]:
        if r in self._row_cache:
            return self._row_cache[r]
        start, index, value = self._matrix
        a, b = int(start[r]), int(start[r + 1])
        return index[a:b].tolist(), value[a:b].tolist()


#: Seconds an interrupted run is waited for after HiGHS was asked to stop: presolve calls no
#: interrupt callback, so it may not stop at once; the interrupt is raised again anyway.
STOP_WAIT_S = 1.0
#: How often the main thread wakes while HiGHS runs (a signal is handled at the latest then).
_POLL_S = 0.1


def _run_interruptibly(h) -> None:
    """``h.run()`` in highspy's solver thread (``startSolve``) while the main thread waits in
    short steps, so Python handles signals during the run: ``h.run()`` called directly blocks
    the main thread, and a Ctrl-C was only seen once HiGHS had finished by itself.

    An exception in the main thread while waiting (KeyboardInterrupt, or what the CLI raises
    for SIGTERM) asks HiGHS to stop (``cancelSolve``, seen by the interrupt callbacks that
    ``HandleUserInterrupt`` subscribes), waits for it at most :data:`STOP_WAIT_S` and is raised
    again: the run's outcome is not used.
    """
    h.HandleUserInterrupt = True
    thread = h.startSolve()
    try:
        while not h.wait(_POLL_S)[0]:
            pass
    except BaseException:
        h.cancelSolve()
        thread.join(STOP_WAIT_S)
        raise


def _option(h, name: str):
    got = h.getOptionValue(name)
    return got[1] if isinstance(got, tuple) else got


def _merge(idx: list[int], val: list[float]):
    out: dict[int, float] = {}
    for j, a in zip(idx, val):
        out[j] = out.get(j, 0.0) + float(a)
    return [(j, a) for j, a in out.items() if a != 0.0]
