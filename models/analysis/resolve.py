"""Re-solve after changing a price or a policy target, without rebuilding the model.

    res = Resolver(dataset)
    first = res.solve()                                   # build, hand off, solve
    res.set_price("SUP-1", "LI-REF", 14_000.0)           # Offers.unit_cost of one offer
    res.set_policy("max_country_share", "LI-REF", None, None, 0.4)
    second = res.solve()                                  # only the changes go to HiGHS

    res.set_dataset(other)                                # any other dataset (a sweep's next point)

A change is applied to the Resolver's own copy of the Dataset, the model data is derived
again (``models.params.data.build_data``, about a second at national size) and compared with the
data the model was built from:

- only cost coefficients (prices, tariffs, freight, contract, qualification, production,
  opex and holding costs, shortage penalties, the carbon price), big-Ms and policy targets
  changed: the Pyomo model is updated in place (``m.data`` replaced; the cost Expressions
  re-made by their own rules; each policy or big-M row whose data changed re-made by its
  rule, added, or dropped) and :class:`models.highs.session.HighsSession` pushes just those rows,
  the objective and the CVaR rows to HiGHS. The next solve starts from the previous
  solution (``HighsSession.set_start``; HiGHS ignores it if it is no longer feasible).
  Settings time_limit_s and mip_gap only change the solver's settings.
- anything else (a change that adds or removes variables, e.g. a ``min_suppliers`` target
  that creates contract binaries, or a share cap on a material that had none): the model
  is rebuilt, as a fresh solve would. ``Resolver.mode`` says which happened.

Either way the re-solve answers the same model a fresh ``solve_dataset`` of the changed
dataset builds (tests/models/test_resolve.py). A re-solve that starts from the previous plan
runs without HiGHS' sub-MIP heuristics (RINS, RENS, root reduced-cost), which at the root
rebuild the plan the start already gives: the bundled example's re-solves at mip_gap 1e-4
took 8.5 s CPU with them and 4.4 s without, with objectives as good or better
(benchmarks/RESULTS.md, "What-if").
"""

from __future__ import annotations

import dataclasses
import math
import time

import pandas as pd

from planner.schema.dataset import Dataset
from planner.schema.manifest import policy_columns

from models.families import capacity, incentives, objective
from models.build import build_model
from models.families.targets import TARGETS, indices as policy_indices
from models.params.data import ModelData, build_data
from models.memory import paused_gc
from models.outcome import SolveOptions, SolveOutcome
from models.highs.options import SolverOptions
from models.highs.session import HighsSession
from models.pipeline import Pipeline
from models.families.supply import contract_link_rule, qualification_link_rule

#: Data that may change without rebuilding (everything else must be equal); the cost-only
#: fields are those that models.families.objective alone reads (a field that also decides which
#: variables exist, e.g. a contract cost > 0, changes an index list too, which forces a rebuild).
_COSTS = {"ModelData": {"penalty", "holding_cost"},
          "SupplyData": {"unit_cost", "all_offer_landed", "tariff", "duty", "freight", "contract_cost",
                         "sup_qual_cost"},
          "DomesticData": {"fixed_opex", "unit_cost", "pli"}}
_MUTABLE = {"ModelData": _COSTS["ModelData"] | {"policy", "settings"}, "SupplyData": _COSTS["SupplyData"] | {"big_m"},
            "DomesticData": _COSTS["DomesticData"]}
#: Settings a change of which re-makes the costs only / changes only the solver's settings.
_COST_SETTINGS = {"carbon_price"}
_SOLVER_SETTINGS = {"time_limit_s", "mip_gap", "currency"}
#: HiGHS options of a re-solve from the previous plan (see the module docstring).
WARM_OPTIONS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False,
                "mip_heuristic_run_root_reduced_cost": False}


class Resolver:
    """A dataset solved once and re-solved after changes (see the module docstring)."""

    def __init__(self, dataset: Dataset, options: SolveOptions | None = None, solver: SolverOptions | None = None,
                 policies_only: bool = False):
        self.options = options or SolveOptions(marginals=False)
        #: marginal values (when the options ask for them) of the policy targets only (a sweep)
        self.policies_only = policies_only
        self.dataset = _copy(dataset)
        #: the solver options given, else those of each dataset's Settings (set_dataset)
        self._solver = solver
        self.solver = solver if solver is not None else SolverOptions.of(self.dataset.settings, self.options)
        #: "build" (first), "update" (changes pushed in place) or "rebuild", for the last change
        self.mode = "build"
        self.timings: dict[str, float] = {}
        self._build(build_data(self.dataset))

    # ---- changes ---------------------------------------------------------------------------

    def set_dataset(self, dataset: Dataset) -> None:
        """Make ``dataset`` (e.g. the base workbook with other overrides) the one solved next."""
        self.dataset = _copy(dataset)
        if self._solver is None:
            self.solver = SolverOptions.of(self.dataset.settings, self.options)
        self._apply()

    def set_price(self, supplier: str, material: str, unit_cost: float) -> None:
        """Set ``Offers.unit_cost`` of the offer(s) of ``supplier`` for ``material``."""
        offers = self.dataset.tables["Offers"]
        hit = (offers["supplier"] == supplier) & (offers["material"] == material)
        if not hit.any():
            raise KeyError(f"no offer of {supplier!r} for {material!r}")
        offers.loc[hit, "unit_cost"] = float(unit_cost)
        self._apply()

    def set_policy(self, column: str, material: str, year: int | None, scenario: str | None,
                   value: float | None) -> None:
        """Set the Policies ``column`` of the row scoped (material, year, scenario) to ``value``.

        ``year``/``scenario`` None mean blank (every year / scenario), ``material`` ``*`` every
        material; a row with that scope is added if there is none; ``value`` None blanks it.
        """
        if column not in policy_columns():
            raise KeyError(f"{column!r} is not a Policies column")
        table = self.dataset.tables["Policies"]
        hit = ((table["material"] == material)
               & (table["year"].isna() if year is None else table["year"] == float(year))
               & (table["scenario"] == ("" if scenario is None else scenario)))
        val = math.nan if value is None else float(value)
        if hit.any():
            table.loc[hit, column] = val
        else:
            row = {c: (math.nan if str(table[c].dtype).startswith("float") else "") for c in table.columns}
            row.update({"material": material, "year": math.nan if year is None else float(year),
                        "scenario": "" if scenario is None else scenario, column: val, "excel_row": 0})
            table = pd.concat([table, pd.DataFrame([row])[table.columns]], ignore_index=True)
            table = table.astype(self.dataset.tables["Policies"].dtypes.to_dict())
            self.dataset.tables["Policies"] = table
        self._apply()

    # ---- solve -----------------------------------------------------------------------------

    def solve(self) -> SolveOutcome:
        """Solve the current model (from the previous solution, if any) and return the outcome:
        the stages of models.pipeline, as a fresh solve runs them."""
        start = self.pipeline.last_plan()
        solver = self.solver if start is None else self.solver.with_highs(**WARM_OPTIONS)
        return self.pipeline.solve(solver, start=start, timings=self.timings, info={"resolve": self.mode})

    # ---- internals -------------------------------------------------------------------------

    def _build(self, data: ModelData) -> None:
        tick = time.perf_counter()
        self.data = data
        self.model = build_model(data)
        self.timings["build"] = time.perf_counter() - tick
        tick = time.perf_counter()
        self.session = HighsSession(self.model)
        # a new pipeline: column numbers may differ, so no start from the last plan
        self.pipeline = Pipeline(self.session, self.options, self.policies_only)
        self.timings.pop("change", None)
        self.timings["handoff"] = time.perf_counter() - tick

    def _apply(self) -> None:
        tick = time.perf_counter()
        new = build_data(self.dataset)
        if not _same_structure(self.data, new):
            self.mode = "rebuild"
            self._build(new)
            self.timings["change"] = time.perf_counter() - tick
            return
        ix = self.model.ix
        new_index = policy_indices(new, ix)
        if new_index["S"] != list(self.model.S.index_set()):
            self.mode = "rebuild"
            self._build(new)
            self.timings["change"] = time.perf_counter() - tick
            return
        with paused_gc():
            self._update(new, new_index)
        self.mode = "update"
        self.timings["change"] = time.perf_counter() - tick

    def _update(self, new: ModelData, new_index: dict[str, list]) -> None:
        m, old, session = self.model, self.data, self.session
        m.data = new
        self.data = new
        changed_rows: list = []
        added: list = []
        # big-Ms (they depend on policies): re-make the link rows whose M changed
        for key, big_m in new.supply.big_m.items():
            if old.supply.big_m.get(key) != big_m:
                for name, rule in (("contract_link", contract_link_rule),
                                   ("qualification_link", qualification_link_rule)):
                    comp = getattr(m, name)
                    if key in comp:
                        _remake(m, comp, key, rule, changed_rows, added)
        # policy rows whose resolved target changed, that appear or that disappear
        for t in TARGETS:
            column, family = t.column, t.family
            if t.basis == "count":  # keyed by material
                before, after = old.policy.min_suppliers, new.policy.min_suppliers
                changed = {i for i in set(before) | set(after) if before.get(i) != after.get(i)}
                touched = lambda key: key in changed  # noqa: E731 - keyed by material
            else:
                before, after = old.policy.get(column), new.policy.get(column)
                changed = {(s, i, y) for (i, y, s) in set(before) | set(after)
                           if before.get((i, y, s)) != after.get((i, y, s))}
                touched = lambda key: key[:3] in changed  # noqa: E731
            if not changed:
                continue
            comp = getattr(m, family)
            rule = t.rule
            wanted = new_index[family]
            wanted_set = set(wanted)
            for key in list(comp.keys()):
                if key not in wanted_set:
                    changed_rows.append(comp[key])
                    del comp[key]
            for key in wanted:
                if key not in comp or touched(key):
                    _remake(m, comp, key, rule, changed_rows, added)
        # whole modules implied by domestic-share targets (models.families.capacity.module_floor_rule)
        if old.policy.get("min_domestic_share") != new.policy.get("min_domestic_share"):
            comp = m.module_floor
            wanted = capacity.module_floor_index(new)
            for key in [k for k in comp.keys() if k not in set(wanted)]:
                changed_rows.append(comp[key])
                del comp[key]
            for key in wanted:
                _remake(m, comp, key, capacity.module_floor_rule, changed_rows, added)
        # capped incentives per unit (models.families.incentives.earned_rule)
        if old.domestic.pli != new.domestic.pli:
            for key in list(m.pli_earned.keys()):
                _remake(m, m.pli_earned, key, incentives.earned_rule, changed_rows, added)
        # cost coefficients: re-make the cost Expressions, push the objective and the CVaR rows
        priced = _costs_changed(old, new)
        if priced:
            for c in objective.FIRST_STAGE:
                m.first_cost[c].set_value(objective.first_stage_cost(m, c))
            for c in objective.SECOND_STAGE:
                for s in new.scenarios:
                    m.second_cost[c, s].set_value(objective.scenario_cost(m, c, s))
        if changed_rows:
            session.update_rows(changed_rows)
        if added:
            session.add_rows(added)
        if priced:
            session.update_objective()
            if hasattr(m, "cvar_excess"):
                session.update_rows(list(m.cvar_excess.values()))


def _remake(m, comp, key, rule, changed_rows: list, added: list) -> None:
    """Re-run ``rule`` for ``key`` of ``comp``: update, drop or add the constraint."""
    expr = rule(m, *key) if isinstance(key, tuple) else rule(m, key)
    present = key in comp
    if expr is comp.Skip:
        if present:
            changed_rows.append(comp[key])
            del comp[key]
        return
    if present:
        comp[key].set_value(expr)
        changed_rows.append(comp[key])
        return
    index_set = comp.index_set()
    if key not in index_set:
        index_set.add(key)
    comp[key] = expr
    added.append(comp[key])


def _copy(dataset: Dataset) -> Dataset:
    return Dataset(dict(dataset.settings), {k: t.copy() for k, t in dataset.tables.items()}, dataset.source)


def _costs_changed(old: ModelData, new: ModelData) -> bool:
    if any(old.settings.get(k) != new.settings.get(k) for k in _COST_SETTINGS):
        return True
    parts = {"ModelData": (old, new), "SupplyData": (old.supply, new.supply), "DomesticData": (old.domestic, new.domestic)}
    return any(not _nan_equal(getattr(a, f), getattr(b, f)) for kind, (a, b) in parts.items() for f in _COSTS[kind])


def _same_structure(old: ModelData, new: ModelData) -> bool:
    """True when ``new`` differs from ``old`` only in data a re-solve can update in place."""
    free = _COST_SETTINGS | _SOLVER_SETTINGS
    if {k: v for k, v in old.settings.items() if k not in free} != {k: v for k, v in new.settings.items()
                                                                     if k not in free}:
        return False
    extra = set()
    if not getattr(old, "nonanticipative", False) and not getattr(new, "nonanticipative", False):
        extra.add("divergence")  # read only by the nonanticipativity rows, absent then
    return _same(old, new, "ModelData", extra)


def _same(a, b, kind: str, extra: set = frozenset()) -> bool:
    mutable = _MUTABLE.get(kind, set()) | extra
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name in mutable:
            continue
        if dataclasses.is_dataclass(x):
            if not _same(x, y, type(x).__name__):
                return False
        elif x != y and not _nan_equal(x, y):
            return False
    return True


def _nan_equal(x, y) -> bool:
    """Equal, counting NaN equal to NaN (e.g. the nonanticipativity divergence years)."""
    if isinstance(x, float) and isinstance(y, float):
        return x == y or (x != x and y != y)
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_nan_equal(v, y[k]) for k, v in x.items())
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_nan_equal(a, b) for a, b in zip(x, y))
    return x == y
