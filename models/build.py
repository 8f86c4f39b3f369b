"""Wire the model: sets, variables, and constraints bound to the family modules' rules.

The math lives in the family modules (supply, capacity, financing, stock, policies,
risk, objective); this file only declares components over the sparse index sets that
:mod:`models.params.data` derives, and keeps the lookup maps the rules share (``m.ix``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyomo.environ as pyo

from models.families import (capacity, financing, incentives, nonanticipativity, objective, policies, recourse, risk,
                             stock, supply, targets)
from models.params.data import ModelData
from models.memory import paused_gc


@dataclass
class Lookups:
    """Sparse lookup maps shared by the rules (built once, linear in the index sets)."""

    buys_of: dict = field(default_factory=lambda: defaultdict(list))           # (s, i, y) -> [o]
    buys_of_supplier: dict = field(default_factory=lambda: defaultdict(list))  # (s, y, u) -> [o]
    buys_in: dict = field(default_factory=lambda: defaultdict(list))           # s -> [(s, y, o)]
    prods_in: dict = field(default_factory=lambda: defaultdict(list))          # s -> [(s, t, f)]
    producers_of: dict = field(default_factory=lambda: defaultdict(list))      # (i, t) -> [f]
    consumers_of: dict = field(default_factory=lambda: defaultdict(list))      # (t, i) -> [(f, qpu)]
    build_years_of: dict = field(default_factory=lambda: defaultdict(list))    # f -> [y]
    sources_of_build: dict = field(default_factory=lambda: defaultdict(list))  # (f, y) -> [k]
    draws_of: dict = field(default_factory=lambda: defaultdict(list))          # k -> [(k, f, y)]
    contract_bins_of: dict = field(default_factory=lambda: defaultdict(list))  # i -> [o]
    buys_of_country: dict = field(default_factory=lambda: defaultdict(list))   # (s, i, y, c) -> [o], foreign c
    countries_of: dict = field(default_factory=lambda: defaultdict(list))      # (s, i, y) -> [(s, i, y, c)]
    buys_of_supplier_material: dict = field(default_factory=lambda: defaultdict(list))  # (s, i, y, u) -> [o]
    suppliers_of: dict = field(default_factory=lambda: defaultdict(list))      # (s, i, y) -> [(s, i, y, u)]
    #: index -> VarData of q and p (a plain dict lookup is much faster than IndexedVar[...])
    q: dict = field(default_factory=dict)
    p: dict = field(default_factory=dict)


def lookups(d: ModelData, production: list) -> Lookups:
    ix = Lookups()
    sd, dd = d.supply, d.domestic
    for key in sd.buy:
        s, y, o = key
        i, u, c = sd.material[o], sd.supplier[o], sd.country[o]
        ix.buys_of[(s, i, y)].append(o)
        ix.buys_of_supplier[(s, y, u)].append(o)
        ix.buys_in[s].append(key)
        if sd.foreign[o]:
            group = (s, i, y, c)
            if group not in ix.buys_of_country:
                ix.countries_of[(s, i, y)].append(group)
            ix.buys_of_country[group].append(o)
        group = (s, i, y, u)
        if group not in ix.buys_of_supplier_material:
            ix.suppliers_of[(s, i, y)].append(group)
        ix.buys_of_supplier_material[group].append(o)
    for key in production:
        ix.prods_in[key[0]].append(key)
    for f, t in dd.producing:
        if dd.module_capacity[f] <= 0:  # no production variable (models.families.capacity)
            continue
        ix.producers_of[(dd.material[f], t)].append(f)
        for i, qpu in dd.recipes.get(f, ()):
            ix.consumers_of[(t, i)].append((f, qpu))
    for f, y in dd.builds:
        ix.build_years_of[f].append(y)
    for key in dd.draws:
        ix.sources_of_build[(key[1], key[2])].append(key[0])
        ix.draws_of[key[0]].append(key)
    for o in sd.contract_bin:
        ix.contract_bins_of[sd.material[o]].append(o)
    return ix


def _con(m, name, index, rule):
    """Declare an indexed constraint over a sparse list of tuples."""
    setattr(m, name, pyo.Constraint(pyo.Set(initialize=index, dimen=_dimen(index)), rule=rule))


def _dimen(index):
    if not index:
        return None
    return len(index[0]) if isinstance(index[0], tuple) else 1


def _set(index):
    return pyo.Set(initialize=index, dimen=_dimen(index) or 1, ordered=True)


def build_model(d: ModelData) -> pyo.ConcreteModel:
    """The Pyomo model of ``d`` (the garbage collector paused meanwhile: see models.highs.handoff)."""
    with paused_gc():
        return _build_model(d)


def _build_model(d: ModelData) -> pyo.ConcreteModel:
    m = pyo.ConcreteModel(name="trust-planner")
    m.data = d
    production = capacity.production_index(d)
    m.ix = ix = lookups(d, production)
    sd, dd = d.supply, d.domestic
    # a variable fixed at 0 by its bounds: the body of constant-infeasible relations (models.families.expr)
    m.never = pyo.Var(bounds=(0, 0))

    # ---- first stage -----------------------------------------------------------------
    m.z = pyo.Var(_set(sd.contract_bin), within=pyo.Binary)
    m.w = pyo.Var(_set(sd.qual_bin), within=pyo.Binary)
    m.b = pyo.Var(_set(dd.builds), within=pyo.NonNegativeIntegers, bounds=capacity.build_bounds)
    m.n = pyo.Expression(_set(list(dd.producing)), rule=capacity.modules_producing_rule)
    m.x = pyo.Var(_set(dd.draws), within=pyo.NonNegativeReals)
    m.v = pyo.Var(_set(dd.use_bin), within=pyo.Binary)
    # ... adapting by scenario once it diverges (Settings recourse_builds; empty otherwise)
    m.br = pyo.Var(_set(recourse.own_builds_index(d)), within=pyo.NonNegativeIntegers,
                   bounds=lambda m, s, f, y: capacity.build_bounds(m, f, y))
    m.xr = pyo.Var(_set(recourse.own_draws_index(d)), within=pyo.NonNegativeReals)
    m.zl = pyo.Var(_set(recourse.late_contracts_index(d)), within=pyo.Binary)
    m.wl = pyo.Var(_set(recourse.late_qualifications_index(d)), within=pyo.Binary)

    # ---- second stage ----------------------------------------------------------------
    m.q = pyo.Var(_set(sd.buy), within=pyo.NonNegativeReals, bounds=supply.capacity_bounds)
    m.p = pyo.Var(_set(production), within=pyo.NonNegativeReals)
    ix.q, ix.p = dict(m.q.items()), dict(m.p.items())
    m.stock = pyo.Var(_set(stock.stock_index(d)), within=pyo.NonNegativeReals)
    m.short = pyo.Var(_set(stock.shortage_index(d)), bounds=stock.shortage_bounds)
    m.pli = pyo.Var(_set(incentives.earned_index(d, production)), bounds=incentives.earned_bounds)

    # ---- supply ----------------------------------------------------------------------
    _con(m, "contract_link", supply.contract_link_index(d), supply.contract_link_rule)
    _con(m, "qualification_link", supply.qualification_link_index(d), supply.qualification_link_rule)
    _con(m, "contract_needs_qualification", supply.contract_needs_qualification_index(d),
         supply.contract_needs_qualification_rule)
    _con(m, "supplier_capacity", supply.supplier_capacity_index(d, ix.buys_of_supplier),
         supply.supplier_capacity_rule)
    _con(m, "min_order", supply.min_order_index(d), supply.min_order_rule)
    _con(m, "must_contract", supply.must_contract_index(d), supply.must_contract_rule)
    _con(m, "late_contract_once", list(m.zl.index_set()), recourse.late_contract_once_rule)
    _con(m, "late_qualification_once", list(m.wl.index_set()), recourse.late_qualification_once_rule)
    _con(m, "late_contract_needs_qualification",
         recourse.late_contract_needs_qualification_index(d, list(m.zl.index_set())),
         recourse.late_contract_needs_qualification_rule)

    # ---- domestic capacity and financing -----------------------------------------------
    _con(m, "max_modules", capacity.max_modules_index(d), capacity.max_modules_rule)
    _con(m, "min_modules", capacity.min_modules_index(d), capacity.min_modules_rule)
    _con(m, "production_capacity", production, capacity.production_capacity_rule)
    _con(m, "module_floor", capacity.module_floor_index(d), capacity.module_floor_rule)
    _con(m, "module_floor_scenario", capacity.module_floor_index(d, scenario=True), capacity.module_floor_rule)
    _con(m, "max_modules_scenario", capacity.own_index(d, capacity.max_modules_index(d)), capacity.max_modules_rule)
    _con(m, "min_modules_scenario", capacity.own_index(d, capacity.min_modules_index(d)), capacity.min_modules_rule)
    _con(m, "pli_earned", list(m.pli.index_set()), incentives.earned_rule)
    _con(m, "financing_cover", financing.cover_index(d), financing.cover_rule)
    _con(m, "financing_limit", financing.limit_index(d), financing.limit_rule)
    _con(m, "financing_min_draw", financing.min_draw_index(d), financing.min_draw_rule)
    _con(m, "financing_cover_scenario", financing.own_cover_index(d), financing.cover_rule)
    _con(m, "financing_limit_scenario", financing.own_source_index(d, financing.limit_index(d)), financing.limit_rule)
    _con(m, "financing_min_draw_scenario", financing.own_source_index(d, financing.min_draw_index(d)),
         financing.min_draw_rule)

    # ---- stock balance and policies ----------------------------------------------------
    _con(m, "balance", stock.stock_index(d), stock.balance_rule)
    _policies(m, d, ix)
    _con(m, "same_purchase", nonanticipativity.equal_index(d, list(sd.buy)), nonanticipativity.equal_purchase_rule)
    _con(m, "same_production", nonanticipativity.equal_index(d, production),
         nonanticipativity.equal_production_rule)
    _con(m, "same_shortage", nonanticipativity.shortage_index(d, list(m.short.index_set())),
         nonanticipativity.equal_shortage_rule)

    # ---- costs, risk and objective -----------------------------------------------------
    m.first_cost = pyo.Expression(objective.FIRST_STAGE, rule=objective.first_stage_cost)
    m.second_cost = pyo.Expression(objective.SECOND_STAGE, d.scenarios, rule=objective.scenario_cost)
    if d.recourse:
        m.recourse_cost = pyo.Expression(objective.FIRST_STAGE, d.scenarios, rule=objective.recourse_cost)
    m.scenario_cost = pyo.Expression(d.scenarios, rule=objective.scenario_total)
    if d.cvar_weight > 0:
        m.eta = pyo.Var()
        m.xi = pyo.Var(d.scenarios, within=pyo.NonNegativeReals)
        m.cvar_excess = pyo.Constraint(d.scenarios, rule=risk.excess_rule)
    m.obj = pyo.Objective(rule=objective.objective_rule, sense=pyo.minimize)
    m.column_unit = column_units(d)
    m.block_of = SECOND_STAGE_INDEX
    return m


#: Second-stage variables: the positions of the scenario and the year in their index (a quick
#: plan solves them scenario by scenario, year by year: models.highs.quick_plan).
SECOND_STAGE_INDEX = {"q": (0, 1), "p": (0, 1), "stock": (0, 2), "short": (0, 2), "S": (0, 2), "pli": (0, 1)}


def column_units(d: ModelData) -> dict:
    """The unit of each continuous variable family, by index: a quantity of the material the
    index names (in units of ``d.units.quantity``) or money (``d.units.money``). The hand-off
    hands HiGHS the model in these units (models.highs.scaling); integers keep theirs."""
    sd, dd, u = d.supply, d.domestic, d.units

    def money(_index):
        return u.money

    return {
        "q": lambda k: u.quantity[sd.material[k[2]]],
        "p": lambda k: u.quantity[dd.material[k[2]]],
        "stock": lambda k: u.quantity[k[1]],
        "short": lambda k: u.quantity[k[1]],
        "S": lambda k: u.quantity[k[1]],
        "x": money,
        "xr": money,
        "pli": money,
        "eta": money,
        "xi": money,
    }


def _policies(m, d: ModelData, ix: Lookups) -> None:
    """The policy targets' rows (models.families.targets, in its order) and the total supply they share."""
    index = targets.indices(d, ix)
    m.S = pyo.Var(_set(index["S"]), within=pyo.NonNegativeReals)
    _con(m, "total_supply", list(m.S.index_set()), policies.total_supply_rule)
    for t in targets.TARGETS:
        _con(m, t.family, index[t.family], t.rule)
