"""A Pyomo model handed to HiGHS, and the maps between the two.

Everything after the hand-off (time limits, progress callbacks, a watchdog, fixing
integers for marginal values, IIS) talks to the :class:`HighsSession`, never to a
particular Pyomo–HiGHS interface, so the hand-off can be swapped for a faster one
without touching those features.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs


@dataclass(frozen=True)
class RunResult:
    """What one HiGHS run ended with (objective and bound as HiGHS reports them)."""

    termination: TerminationCondition
    has_solution: bool
    objective: float | None
    bound: float | None
    seconds: float


class HighsSession:
    """The model ``model`` handed to HiGHS through Pyomo's persistent interface."""

    interface = "pyomo.contrib.solver persistent"

    def __init__(self, model: pyo.ConcreteModel):
        self.model = model
        self._solver = Highs()
        if not self._solver.available():
            raise RuntimeError("HiGHS (highspy) is not available")
        self._solver.set_instance(model)
        self._last = None

    @property
    def highs(self):
        """The underlying ``highspy.Highs`` object (callbacks, info, options)."""
        return self._solver._solver_model

    @property
    def version(self) -> str:
        return ".".join(str(v) for v in self._solver.version())

    def column(self, var: Any) -> int:
        """HiGHS column index of a Pyomo variable."""
        return self._solver._pyomo_var_to_solver_var_map[id(var)]

    def row(self, con: Any) -> int:
        """HiGHS row index of a Pyomo constraint."""
        return self._solver._pyomo_con_to_solver_con_map[con]

    def run(self, config: dict[str, Any], solver_options: dict[str, Any] | None = None) -> RunResult:
        """Run HiGHS with ``config`` (time_limit, rel_gap, threads) and raw ``solver_options``."""
        tick = time.perf_counter()
        res = self._solver.solve(self.model, load_solutions=False, raise_exception_on_nonoptimal_result=False,
                                 solver_options=solver_options or {}, **config)
        self._last = res
        has_solution = res.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
        bound = res.objective_bound
        if bound is not None and abs(bound) == float("inf"):
            bound = None
        return RunResult(res.termination_condition, has_solution,
                         float(res.incumbent_objective) if has_solution else None,
                         float(bound) if bound is not None else None, time.perf_counter() - tick)

    def load_values(self) -> None:
        """Copy the last run's primal solution into the Pyomo variables."""
        self._last.solution_loader.load_vars()

    def update(self) -> None:
        """Push changes made to the Pyomo model (fixed variables, mutable parameters) to HiGHS."""
        self._solver.update_variables([v for v in self.model.component_data_objects(pyo.Var)])

    def duals(self, cons: list[Any]) -> dict[Any, float]:
        """Duals of the last (LP) run for ``cons``."""
        return self._last.solution_loader.get_duals(cons)
