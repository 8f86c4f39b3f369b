r"""The trade-off between expected cost and one measure (:mod:`models.families.measures`),
by the ε-constraint method, on one persistent model.

    mm = MeasureModel(dataset, "top_country_share", "NDPR")
    cheapest = mm.solve()                 # min expected cost; mm.value() its measure
    best = mm.best()                      # best measure at any cost, then its cheapest plan
    mm.hold(0.45); point = mm.solve()     # min expected cost with the measure held to 0.45

The cost axis is the expected discounted cost (the objective without the CVaR term: the
dataset's cvar_weight is set to 0; the ``cvar`` measure gets its own CVaR rows).

A share of supply could be improved by buying a surplus elsewhere (it dilutes the top
country) or by leaving demand unmet (a little green supply and nothing else is 100% green).
So every plan on the frontier is held to deliver what the cheapest plan delivers
(:class:`Guards`): no more unmet demand in any scenario, year and material, and no more
expected supply of the measured material over the horizon.

The best value of a ratio measure :math:`N/D` is found by Dinkelbach's method: from the
current plan's :math:`\lambda = N/D`, solve :math:`\min_x N(x) - \lambda D(x)` (for the top
country share :math:`\min t - \lambda D` with :math:`t \ge N^c` for every country); a
negative optimum gives a plan with a better ratio, which becomes the next :math:`\lambda`;
a non-negative one proves :math:`\lambda` best (within the solver's gap, held to
:data:`PRECISION` of :math:`D`). It converges in a few MIP solves. The best plan's cost is
then minimised with the measure held at that value.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import pyomo.environ as pyo

from planner.schema.dataset import Dataset

from models.build import build_model
from models.families import measures, risk
from models.families.expr import linear, row
from models.highs.session import HighsSession
from models.outcome import SolveOptions, SolveOutcome
from models.params.data import build_data
from models.highs.options import SolverOptions
from models.pipeline import Pipeline

#: A measure value counts as reached within this share of the expected supply (Dinkelbach's
#: stopping rule, and the slack given to the best value when its cost is minimised).
PRECISION = 1e-6
MAX_ITERATIONS = 25


@dataclass(frozen=True)
class Guards:
    """What the cheapest plan delivers: its unmet demand (by shortage index; absent = 0) and
    its expected supply of the measured material (None for cvar)."""

    shortage: dict
    supply: float | None


def without_cvar(dataset: Dataset) -> Dataset:
    """``dataset`` as the frontier solves it: cvar_weight 0 (the cost axis is the expected
    discounted cost), so a frontier point's plan is written and checked with it."""
    return dataclasses.replace(dataset, settings=dict(dataset.settings) | {"cvar_weight": 0.0})


class MeasureModel:
    """A dataset's model with one measure that can be held to a value or optimised."""

    def __init__(self, dataset: Dataset, kind: str, material: str | None, options: SolveOptions | None = None):
        if kind not in measures.LOWER_IS_BETTER:
            raise KeyError(kind)
        self.kind, self.material = kind, material
        self.options = options or SolveOptions(marginals=False)
        self.dataset = without_cvar(dataset)
        self.solver = SolverOptions.of(self.dataset.settings, self.options)
        tick = time.perf_counter()
        m = self.model = build_model(build_data(self.dataset))
        if kind == "cvar":
            m.eta = pyo.Var()
            m.xi = pyo.Var(m.data.scenarios, within=pyo.NonNegativeReals)
            m.cvar_excess = pyo.Constraint(m.data.scenarios, rule=risk.excess_rule)
            self._numerators, self._supply = [], []
        else:
            self._numerators = [measures.merged(n) for n in measures.numerator_terms(m, kind, material)]
            self._supply = measures.merged(measures.supply_terms(m, material))
        self.session = HighsSession(m)
        self.pipeline = Pipeline(self.session, self.options)
        self.timings = {"build": time.perf_counter() - tick}
        self.lower_is_better = measures.LOWER_IS_BETTER[kind]
        self._held: list = []
        self.measure: float | None = None

    # ---- the measure -------------------------------------------------------------------------

    def value(self) -> float | None:
        """The measure at the model's current values (after a solve); None without supply."""
        evaluate = self.session.evaluator()
        if self.kind == "cvar":
            return evaluate(risk.cvar(self.model))
        supply = evaluate(linear(self._supply))
        if supply <= 0:
            return None
        parts = [evaluate(linear(n)) for n in self._numerators] or [0.0]
        return max(parts) / supply

    def hold(self, epsilon: float) -> None:
        """Hold the measure to ``epsilon`` (at most, or at least when higher is better)."""
        m = self.model
        if self.kind == "cvar":
            exprs = [row(m, [(1, m.eta)] + [(m.data.prob[s] / (1.0 - m.data.cvar_alpha), m.xi[s])
                                            for s in m.data.scenarios], "<=", epsilon)]
        else:
            exprs = [measures.epsilon_rule(m, self.kind, n, self._supply, epsilon) for n in self._numerators]
        if not self._held:
            m.measure_held = pyo.ConstraintList()
            for expr in exprs:
                m.measure_held.add(expr)
            self._held = list(m.measure_held.values())
            self.session.add_rows(self._held)
        else:
            for con, expr in zip(self._held, exprs):
                con.set_value(expr)
            self.session.update_rows(self._held)

    def guards(self) -> Guards:
        """The current plan's deliveries (call after the cheapest plan is solved)."""
        short = {k: v.value for k, v in self.model.short.items() if (v.value or 0.0) > 0.0}
        return Guards(short, self._supply_value() if self._supply else None)

    def apply_guards(self, guards: Guards) -> None:
        """Hold every plan to ``guards``: unmet demand at most, supply of the material at most."""
        m = self.model
        for k, v in m.short.items():
            v.setub(max(guards.shortage.get(k, 0.0), 0.0))
        self.session.update()
        if guards.supply is not None:
            m.measure_supply = pyo.Constraint(expr=row(m, self._supply, "<=", guards.supply * (1 + PRECISION)))
            self.session.add_rows([m.measure_supply])

    # ---- solves ------------------------------------------------------------------------------

    def solve(self, solver: SolverOptions | None = None) -> SolveOutcome:
        """Minimise the active objective (the expected cost, unless best() switched it), from the
        previous plan; ``self.measure`` is then the plan's value of the measure."""
        outcome = self.pipeline.solve(solver or self.solver, start=self.pipeline.last_plan(), timings=self.timings)
        self.measure = self.value() if outcome.status.has_plan else None
        return outcome

    def best(self) -> SolveOutcome:
        """The cheapest plan among those with the best value of the measure (apply the guards
        first: Dinkelbach starts from the current plan's ratio)."""
        m = self.model
        if self.pipeline.last_plan() is None:
            self.solve()
        m.obj.deactivate()
        try:
            value = self._best_value()
        finally:
            for name in ("measure_obj",):
                if hasattr(m, name):
                    getattr(m, name).deactivate()
            m.obj.activate()
            self.session.update_objective()
        if value is None:
            return self.solve()
        slack = PRECISION * max(1.0, abs(value))
        self.hold(value + slack if self.lower_is_better else value - slack)
        return self.solve()

    def _best_value(self) -> float | None:
        m = self.model
        if self.kind == "cvar":
            m.measure_obj = pyo.Objective(expr=risk.cvar(m), sense=pyo.minimize)
            self.session.update_objective()
            out = self.solve()
            return self.value() if out.status.has_plan else None
        sign = 1.0 if self.lower_is_better else -1.0
        if len(self._numerators) > 1:  # the top country share: min t - lambda D with t >= N_c
            m.measure_top = pyo.Var(within=pyo.NonNegativeReals)
            m.measure_top_rows = pyo.ConstraintList()
            for n in self._numerators:
                m.measure_top_rows.add(row(m, [(1, m.measure_top)] + [(-c, v) for c, v in n], ">="))
            self.session.add_columns([m.measure_top])
            self.session.add_rows(list(m.measure_top_rows.values()))
            numerator = [(1.0, m.measure_top)]
        else:
            numerator = [(sign * c, v) for c, v in (self._numerators[0] if self._numerators else [])]
        lam = self._ratio(sign)
        if lam is None:
            return None
        m.measure_obj = pyo.Objective(expr=0.0, sense=pyo.minimize)
        for _ in range(MAX_ITERATIONS):
            m.measure_obj.set_value(linear(measures.merged(numerator + [(-lam * c, v) for c, v in self._supply])))
            self.session.update_objective()
            supply = max(self._supply_value(), 1.0)
            out = self.solve(self.solver.replace(mip_abs_gap=PRECISION * supply))
            if not out.status.has_plan:
                break
            found = self._ratio(sign)
            if found is None or found >= lam - PRECISION:
                break
            lam = found
        return sign * lam

    def _ratio(self, sign: float) -> float | None:
        v = self.value()
        return None if v is None else sign * v

    def _supply_value(self) -> float:
        return self.session.evaluator()(linear(self._supply)) if self._supply else 1.0

