"""Groups of constraints that one value of the input sets: a policy target for one
(material, year, scenario), or a limit (a capacity, a financing limit, max_modules).

The infeasibility diagnosis (:mod:`models.analysis.diagnosis`) loosens each group by one slack;
the marginal values (:mod:`models.analysis.marginals`) price each group from the LP duals. Both
need the same three things, defined here once:

- which model rows and variable upper bounds the value sets (``rows``, ``uppers``);
- ``room(m, g)``: per row and bound, the room (in the row's body units) lost when the value
  is tightened by one unit as written, at the current variable values: total supply for a
  share of supply, demand for a share of demand, the capacity factor for a capacity, the
  binary that switches a limit on, and so on;
- ``achieved(m, g)``: the value the current plan realises (a share, an average, a count,
  or the capacity/limit the plan uses), in the units of the value as written.

Tightening means lowering a ``max_*`` target, a capacity or a limit, and raising a
``min_*`` target.
"""

from __future__ import annotations

import functools

from collections import defaultdict
from dataclasses import dataclass, field

from models.families.capacity import ramp_share
from models.families.policies import supply_value as supply
from models.families.targets import BY_COLUMN, TARGETS, Target

OFFER_CAPACITY = "Offers.capacity"
SUPPLIER_CAPACITY = "Suppliers.capacity"
MODULE_CAPACITY = "Facilities.module_capacity"
MAX_MODULES = "Facilities.max_modules"
FINANCING_LIMIT = "Financing.limit"


@dataclass
class Group:
    kind: str  # "policy", "capacity", "financing" or "max_modules"
    column: str  # Policies column, or the limit as Sheet.column
    subject: str  # supplier, offer, facility or source the limit belongs to ("" for policies)
    material: str
    year: int | None
    scenario: str | None
    excel_row: int | None
    value: float  # as written
    rows: list = field(default_factory=list)  # ConstraintData
    uppers: list = field(default_factory=list)  # VarData whose upper bound the value sets
    #: (ConstraintData, factor, VarData): a big-M row whose M is this capacity: room factor x binary
    links: list = field(default_factory=list)
    #: rows' body units per unit of the value as written, for weighting (e.g. demand)
    scale: float = 1.0

    @property
    def target(self) -> Target | None:
        """The policy target (models.families.targets) of a policy group; None for a limit."""
        return BY_COLUMN[self.column] if self.kind == "policy" else None

    @property
    def tightening_lowers(self) -> bool:
        """True when tightening lowers the value (caps, capacities, limits)."""
        return self.target is None or self.target.tightening_lowers

    @property
    def is_share(self) -> bool:
        return self.target is not None and self.target.share

    @property
    def label(self) -> str:
        """``column`` for ``subject`` / ``material``, year, scenario, in planners' words."""
        parts = [self.column]
        if self.subject:
            parts.append(f"of {self.subject}")
        if self.material:
            parts.append(f"for {self.material}")
        if self.year is not None:
            parts.append(f"in {self.year}")
        if self.scenario is not None:
            parts.append(f"(scenario {self.scenario})")
        return " ".join(parts)


# ---- the groups ------------------------------------------------------------------------------

def _scale(m) -> dict[tuple[str, int], float]:
    """Units of supply of (material, year) that a share of 1.0 stands for: demand plus the most
    facilities could consume as an input (at least 1)."""
    d, dd = m.data, m.data.domestic
    use: dict[str, float] = defaultdict(float)
    for f, inputs in dd.recipes.items():
        for i, qpu in inputs:
            use[i] += qpu * dd.module_capacity[f] * dd.max_modules[f]
    return {(i, y): max(1.0, d.peak_demand(i, y) + use[i]) for i in d.materials for y in d.years}


#: The order policy groups are listed in: caps compared with the total supply S, other shares of
#: supply, shares of demand, counts (each in the registry's order). The diagnosis numbers its
#: slacks in it (HiGHS may pick another of equally small relaxations in another order) and the
#: Marginal values sheet lists equal values in it.
_GROUP_ORDER = sorted(TARGETS, key=lambda t: (("supply", "demand", "count").index(t.basis), not t.total_supply))


def policy_groups(m) -> list[Group]:
    """One group per resolved policy target that has constraints in the model."""
    d = m.data
    scale = _scale(m)
    groups: dict[tuple, Group] = {}
    for t in _GROUP_ORDER:
        column, basis = t.column, t.basis
        component = getattr(m, t.family, None)
        if component is None:
            continue
        for index, con in component.items():
            if basis == "count":
                i, y, s = index, None, None
                value = float(d.policy.min_suppliers[i])
                unit = 1.0
                row = d.policy.row(column, i)
            else:
                s, i, y = index[:3]
                value = float(d.policy.get(column)[(i, y, s)])
                unit = d.demand_in(s, i, y) if basis == "demand" else scale[(i, y)]
                row = d.policy.row(column, (i, y, s))
            key = (column, i, y, s)
            if key not in groups:
                groups[key] = Group("policy", column, "", i, y, s, row, value, scale=max(unit, 1e-9))
            groups[key].rows.append(con)
    return list(groups.values())


def _factor(sd, key) -> float:
    return sd.cap_factor.get(key, 1.0)


def _link(m, key):
    """The big-M row of purchase ``key`` whose M is its capacity, and its binary (or None)."""
    sd = m.data.supply
    s, y, o = key
    cap = sd.buy_cap.get(key)
    if cap is None or abs(sd.big_m.get(key, -1.0) - cap) > 1e-9 * max(1.0, cap):
        return None
    for name, binary in (("contract_link", getattr(m, "z", None)), ("qualification_link", getattr(m, "w", None))):
        component = getattr(m, name, None)
        if component is not None and key in component:
            b = binary[o] if name == "contract_link" else binary[sd.supplier[o]]
            return component[key], b
    return None


def limit_groups(m, module_capacity: bool = False) -> list[Group]:
    """Capacities (offer, supplier), financing limits and max_modules (and, for pricing only,
    module capacity per facility, scenario and year)."""
    sd, dd = m.data.supply, m.data.domestic
    sup_row, fac_row, fin_row = sd.sup_row, dd.facility_row, dd.source_row
    groups: dict[tuple, Group] = {}
    materials: dict[int, set[str]] = defaultdict(set)

    def group(key, *args, **kw) -> Group:
        if key not in groups:
            groups[key] = Group(*args, **kw)
        return groups[key]

    for key in sd.buy:
        if key not in sd.buy_cap:
            continue
        s, y, o = key
        u, i = sd.supplier[o], sd.material[o]
        own = sd.capacity[o]
        if own is not None:
            g = group((OFFER_CAPACITY, o, s, y), "capacity", OFFER_CAPACITY, f"{u}/{i}", i, y, s,
                      sd.offer_row[o], own, scale=own)
        else:
            g = group((SUPPLIER_CAPACITY, u, s, y), "capacity", SUPPLIER_CAPACITY, u, "", y, s, sup_row.get(u),
                      float(sd.sup_capacity[u]), scale=float(sd.sup_capacity[u]))
            materials[id(g)].add(i)
        g.uppers.append(m.ix.q[key])
        link = _link(m, key)
        if link is not None:
            g.links.append((link[0], _factor(sd, key), link[1]))
    for (s, y, u), con in getattr(m, "supplier_capacity", {}).items():
        g = group((SUPPLIER_CAPACITY, u, s, y), "capacity", SUPPLIER_CAPACITY, u, "", y, s,
                  sup_row.get(u), float(sd.sup_capacity[u]), scale=float(sd.sup_capacity[u]))
        materials[id(g)].update(sd.material[o] for o in m.ix.buys_of_supplier[(s, y, u)])
        g.rows.append(con)
    for g in groups.values():  # a supplier's joint capacity covers all the materials it sells
        if id(g) in materials:
            g.material = ", ".join(sorted(materials[id(g)]))
    for k, con in getattr(m, "financing_limit", {}).items():
        g = group((FINANCING_LIMIT, k), "financing", FINANCING_LIMIT, k, "", None, None, fin_row.get(k),
                  float(dd.limit[k]), scale=float(dd.limit[k]))
        g.rows.append(con)
    for f, years in m.ix.build_years_of.items():
        g = group((MAX_MODULES, f), "max_modules", MAX_MODULES, f, dd.material[f], None, None, fac_row.get(f),
                  float(dd.max_modules[f]), scale=max(1.0, float(dd.max_modules[f])))
        g.uppers.extend(m.b[f, y] for y in years)
        if f in getattr(m, "max_modules", {}):
            g.rows.append(m.max_modules[f])
    if module_capacity:
        for (s, t, f), con in getattr(m, "production_capacity", {}).items():
            g = group((MODULE_CAPACITY, f, s, t), "capacity", MODULE_CAPACITY, f, dd.material[f], t, s,
                      fac_row.get(f), float(dd.module_capacity[f]), scale=float(dd.module_capacity[f]))
            g.rows.append(con)
    return list(groups.values())


# ---- values at the current solution ----------------------------------------------------------

def _v(var) -> float:
    value = var.value
    return 0.0 if value is None else float(value)


def _modules(m, f, t) -> float:
    """Modules producing at f in t, a module in its first year counted at its ramp-up share."""
    dd = m.data.domestic
    return dd.existing[f] + sum(_v(m.b[f, y]) * ramp_share(dd, f, y, t) for y in dd.producing.get((f, t), ()))


def room(m, g: Group, supply_of=None) -> tuple[list[float], list[float], list[float]]:
    """Room lost per unit of tightening: per row of ``g.rows``, per bound of ``g.uppers`` and per
    row of ``g.links``, at the current variable values (``supply_of(s, i, y)``: a memoised
    :func:`supply`, for callers pricing many groups)."""
    d, sd = m.data, m.data.supply
    if g.kind == "policy":
        basis = g.target.basis
        if basis == "count":
            per = 0.0  # a whole-number target over fixed contracts: not priced
        elif basis == "demand":
            per = d.demand_in(g.scenario, g.material, g.year)
        else:
            per = (supply_of or functools.partial(supply, m))(g.scenario, g.material, g.year)
        return [per] * len(g.rows), [], []
    links = [factor * _v(binary) for _con, factor, binary in g.links]
    if g.column == FINANCING_LIMIT:
        k = g.subject
        return [_v(m.v[k]) if k in getattr(m, "v", {}) else 1.0], [], links
    if g.column == MODULE_CAPACITY:
        return [_modules(m, g.subject, g.year)], [], links
    if g.column == MAX_MODULES:
        return [1.0] * len(g.rows), [1.0] * len(g.uppers), links
    uppers = [_factor(sd, var.index()) for var in g.uppers]
    rows = [_v(m.w[g.subject]) if g.subject in getattr(m, "w", {}) else 1.0 for _ in g.rows]
    return rows, uppers, links


def achieved(m, g: Group) -> float:
    """What the current plan realises of ``g``'s value, in the units of the value as written:
    the share / average / count of a policy, or the capacity / limit the plan uses."""
    sd, dd = m.data.supply, m.data.domestic
    q, p = m.ix.q, m.ix.p
    s, y = g.scenario, g.year
    if g.kind == "policy":
        return g.target.realised(m, s, g.material, y)
    if g.column == FINANCING_LIMIT:
        return sum(_v(m.x[key]) for key in m.ix.draws_of[g.subject])
    if g.column == MAX_MODULES:
        return dd.existing[g.subject] + sum(_v(var) for var in g.uppers)
    if g.column == MODULE_CAPACITY:
        n = _modules(m, g.subject, y)
        return _v(p[(s, y, g.subject)]) / n if n > 0 else float("nan")
    # a capacity: the most the plan buys against it, as written (before disruption factors)
    need = max((_v(var) / _factor(sd, var.index()) for var in g.uppers if _factor(sd, var.index()) > 0),
               default=0.0)
    for con in g.rows:
        need = max(need, sum(_v(q[(s, y, o)]) for o in m.ix.buys_of_supplier[(s, y, g.subject)]))
    return need
