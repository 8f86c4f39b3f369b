r"""Near-optimal alternative plans: modelling to generate alternatives (MGA), Hop-Skip-Jump.

    alt = Alternatives(dataset, within=0.01)
    best = alt.optimum()            # the cheapest plan, objective z*
    nxt = alt.next()                # within (1 + within) z*, as unlike the plans so far as possible

Every alternative keeps the objective within the share ``within`` of the optimum
(:math:`C(x) \le (1 + w)\, z^*`, one row) and minimises its overlap with the plans found so
far (the optimum included), each plan k contributing three parts of equal weight, each
between 0 and 1:

.. math::
    \frac{1}{|F_k|}\sum_{f \in F_k} \frac{\sum_y b_{f,y}}{\bar n_f - n^0_f}
    + \frac{1}{|Z_k|}\sum_{o \in Z_k} z_o
    + \frac{1}{|I|}\sum_i \sum_{c} \sigma^k_{i,c}\, \frac{N_{i,c}(x)}{E_i}

:math:`F_k` the facilities plan k builds at, :math:`Z_k` the contract binaries it sets,
:math:`\sigma^k_{i,c}` its share of material i's expected supply from source c (a foreign
country, or domestic production), :math:`N_{i,c}(x)` the expected supply of i from c and
:math:`E_i` plan k's expected supply of i (materials with one possible source only are left
out: their mix cannot change, and the term would only push down their volume). Pushing down what earlier plans used most is the
Hop-Skip-Jump rule (Brill et al. 1982); the weights make builds, contracts and the country mix
count alike. A plan that repeats an earlier one (same builds, contracts and mix) has its
overlap terms added once more and the solve is repeated, at most :data:`RETRIES` times; then
:meth:`Alternatives.next` gives None: no further different plan was found.

``pyomo.contrib.alternative_solutions.enumerate_binary_solutions`` (Balas no-good cuts, with a
``hamming`` search mode) covers the contract binaries only and re-solves through Pyomo's
solver interface each time; on the example it returned only the optimum in 83 s (a one-off
measurement, benchmarks/RESULTS.md "What-if").
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.schema.dataset import Dataset

from models.build import build_model
from models.families.expr import linear
from models.families.measures import merged
from models.highs.session import HighsSession
from models.outcome import SolveOptions, SolveOutcome
from models.params.data import build_data
from models.highs.options import SolverOptions
from models.pipeline import Pipeline

#: A build, contract or supply share below this counts as unused.
TOL = 1e-6
#: Relative gap of an alternative's overlap objective: any plan within the cost slack is an
#: alternative; proving the least overlap exactly is not worth the solver's time (the
#: example: 60 s time limits at 1e-3, about a second at this gap).
MGA_GAP = 0.05
#: Each alternative's solve: the MIP from the previous plan (always within the slack, so every
#: solve has a plan) for at most this many times the optimum's solve time (at least
#: MGA_MIN_SECONDS, at most the time limit): the overlap objective's bound closes slowly (the
#: example: no node explored in 20 s), while the first plans found are already as unlike as
#: the slack allows. No LP start: the overlap's LP relaxation is much slower than the cost's
#: (medium: 4.3 s against 0.3 s), so it ran out of its share of the time and left no plan.
MGA_TIME_FACTOR = 3.0
MGA_MIN_SECONDS = 5.0
#: Repeated solves when an alternative repeats an earlier plan.
RETRIES = 3
#: Supply shares closer than this count as the same mix.
SAME_MIX = 1e-3


class Alternatives:
    """The optimum of a dataset, then alternatives each unlike the plans before it."""

    def __init__(self, dataset: Dataset, within: float, options: SolveOptions | None = None):
        self.within = within
        self.options = options or SolveOptions(marginals=False)
        self.dataset = dataset
        self.solver = SolverOptions.of(dataset.settings, self.options)
        tick = time.perf_counter()
        self.model = build_model(build_data(dataset))
        self.session = HighsSession(self.model)
        self.pipeline = Pipeline(self.session, self.options)
        self.timings = {"build": time.perf_counter() - tick}
        self.optimal: float | None = None
        self._used: list[Any] = []  # per plan: the overlap terms it contributes
        self._signatures: list[Any] = []
        self._optimum_seconds = 0.0

    def optimum(self) -> SolveOutcome:
        """The cheapest plan (the reference of the slack)."""
        tick = time.perf_counter()
        out = self._solve()
        self._optimum_seconds = time.perf_counter() - tick
        if out.status.has_plan:
            self.optimal = out.objective
            self._remember()
        return out

    def next(self) -> SolveOutcome | None:
        """The next alternative (call after :meth:`optimum` found a plan); None when every solve
        repeated an earlier plan."""
        m = self.model
        if not hasattr(m, "cost_cap"):
            cap = self.optimal + self.within * abs(self.optimal)
            m.cost_cap = pyo.Constraint(expr=m.obj.expr <= cap)
            self.session.add_rows([m.cost_cap])
            m.obj.deactivate()
            m.overlap = pyo.Objective(expr=0.0, sense=pyo.minimize)
        budget = max(MGA_MIN_SECONDS, MGA_TIME_FACTOR * self._optimum_seconds)
        limit = self.solver.time_limit_s
        solver = self.solver.replace(mip_gap=max(MGA_GAP, self.solver.mip_gap or 0.0),
                                     time_limit_s=budget if limit is None else min(limit, budget), lp_start=False)
        for _ in range(RETRIES + 1):
            m.overlap.set_value(linear(merged(pair for terms in self._used for pair in terms)))
            self.session.update_objective()
            out = self._solve(solver)
            if not out.status.has_plan:
                return out
            out.bound = out.gap = None  # the run's bound is the overlap's, not the cost's
            if self._remember():
                return out
        return None

    def _remember(self) -> bool:
        """Add the current plan's overlap terms; False when it repeats an earlier plan."""
        sig = self._signature()
        new = not any(_same(sig, old) for old in self._signatures)
        self._signatures.append(sig)
        self._used.append(self._overlap_terms())
        return new

    def _signature(self) -> tuple[dict, set, dict]:
        """Modules built per facility, contract binaries set, expected supply by (material, source)."""
        m = self.model
        built: dict[str, float] = defaultdict(float)
        for (f, _y), v in m.b.items():
            built[f] += round(v.value or 0.0)
        contracted = {o for o, v in m.z.items() if (v.value or 0.0) > 0.5}
        return dict(built), contracted, self._supply_shares()[1]

    def _supply_shares(self):
        """(pairs by (material, source), share of each (material, source) in expected supply)."""
        m, d = self.model, self.model.data
        sd, dd = d.supply, d.domestic
        by_source: dict[tuple[str, str], list] = defaultdict(list)
        for (s, _y, o), v in m.ix.q.items():
            by_source[(sd.material[o], sd.country[o] if sd.foreign[o] else "(domestic)")].append((d.prob[s], v))
        for (s, _y, f), v in m.ix.p.items():
            by_source[(dd.material[f], "(domestic)")].append((d.prob[s], v))
        amount = {k: sum(p * (v.value or 0.0) for p, v in pairs) for k, pairs in by_source.items()}
        supply: dict[str, float] = defaultdict(float)
        for (i, _c), x in amount.items():
            supply[i] += x
        shares = {k: x / supply[k[0]] for k, x in amount.items() if supply[k[0]] > TOL and x > TOL * supply[k[0]]}
        return by_source, shares

    def _solve(self, solver: SolverOptions | None = None) -> SolveOutcome:
        return self.pipeline.solve(solver or self.solver, start=self.pipeline.last_plan(), timings=self.timings)

    def _overlap_terms(self) -> list[tuple[float, Any]]:
        """The current plan's overlap part of the MGA objective, as (coefficient, variable) pairs."""
        m, d = self.model, self.model.data
        dd = d.domestic
        terms: list[tuple[float, Any]] = []
        built = defaultdict(float)
        for (f, y), v in m.b.items():
            built[f] += v.value or 0.0
        facilities = [f for f, n in built.items() if n > TOL]
        for f in facilities:
            room = max(dd.max_modules[f] - dd.existing[f], 1)
            terms += [(1.0 / (len(facilities) * room), m.b[f, y]) for y in m.ix.build_years_of[f]]
        contracted = [o for o, v in m.z.items() if (v.value or 0.0) > 0.5]
        terms += [(1.0 / len(contracted), m.z[o]) for o in contracted]
        by_source, shares = self._supply_shares()
        supply: dict[str, float] = defaultdict(float)
        for (i, _c), pairs in by_source.items():
            supply[i] += sum(p * (v.value or 0.0) for p, v in pairs)
        choice = defaultdict(int)  # sources each material could come from
        for (i, _c) in by_source:
            choice[i] += 1
        shares = {k: x for k, x in shares.items() if choice[k[0]] > 1}
        materials = {i for i, _c in shares}
        for (i, c), share in shares.items():
            terms += [(share * p / (supply[i] * len(materials)), v) for p, v in by_source[(i, c)]]
        return terms


def _same(a, b) -> bool:
    (built_a, z_a, mix_a), (built_b, z_b, mix_b) = a, b
    if {f: n for f, n in built_a.items() if n} != {f: n for f, n in built_b.items() if n} or z_a != z_b:
        return False
    return all(abs(mix_a.get(k, 0.0) - mix_b.get(k, 0.0)) <= SAME_MIX for k in set(mix_a) | set(mix_b))
