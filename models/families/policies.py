r"""Policy targets (Policies sheet), per material i, year y and scenario s.

Each column is resolved by the precedence rule in :mod:`models.params.policies`. With total
supply :math:`S_{s,i,y} = \sum_{o \in O_i} q_{s,y,o} + \sum_{f \in F_i} p_{s,y,f}`:

- country share: :math:`\sum_{o \in O_{i,c}} q_{s,y,o} \le \bar\theta^{c}\, S` per foreign country c
- supplier share: :math:`\sum_{o \in O_{i,u}} q_{s,y,o} \le \bar\theta^{u}\, S` per supplier u
- average risk: :math:`\sum_o \varrho_o q + \sum_f \varrho_f p \le \bar\varrho\, S`
- green share: :math:`\sum_{o\ green} q + \sum_{f\ green} p \ge \underline\gamma\, S`
- carbon intensity: :math:`\sum_o e_o q + \sum_f e_f p \le \bar e\, S`
- domestic share: :math:`\sum_f p_{s,y,f} \ge \underline\eta\, D_{s,i,y}`
- non-allied share: :math:`\sum_{o\ non-allied} q \le \bar\theta^{na}\, S`
- suppliers: :math:`\sum_{o \in O_i} z_o \ge N_i` (horizon-wide)
- strategic stock: :math:`I_{s,i,y} \ge \underline\beta\, D_{s,i,y}`
- service level: :math:`u_{s,i,y} \le \bar\mu\, D_{s,i,y}`

(:math:`D_{s,i,y}` the scenario's demand, see :mod:`models.families.stock`.)
"""

from __future__ import annotations

from models.families.expr import row, unit_row

SYMBOLS = [
    (r"S_{s,i,y}", "total supply: purchases plus domestic production", "derived"),
    (r"(i, y, s)", "what a Policies row sets: its material (* every), year and scenario (blank: every); the most "
     "specific row wins", "Policies.material, year, scenario"),
    (r"O^{na}_i", "offers of i from foreign countries that are not allied", "Countries.allied"),
    (r"O^{g}_i, F^{g}_i", "green sources: offers of green-certified suppliers, green facilities",
     "Suppliers.green_certified, Facilities.green"),
    (r"\bar\theta^{c}", "largest share of supply from one foreign country", "Policies.max_country_share"),
    (r"\bar\theta^{u}", "largest share of supply from one supplier", "Policies.max_supplier_share"),
    (r"\varrho_o", "effective risk 1-(1-country risk)(1-supplier risk)", "Countries.risk, Suppliers.risk"),
    (r"\varrho_f", "risk of domestic production", "Facilities.risk"),
    (r"\bar\varrho", "largest supply-weighted average risk", "Policies.max_avg_risk"),
    (r"\underline\gamma", "least green share of supply", "Policies.min_green_share"),
    (r"e_o, e_f", "tCO2e per unit bought / produced", "Offers.carbon_intensity, Facilities.carbon_intensity"),
    (r"\bar e", "largest tCO2e per unit of supply", "Policies.max_carbon_intensity"),
    (r"\underline\eta", "least domestic production as a share of demand", "Policies.min_domestic_share"),
    (r"\bar\theta^{na}", "largest share of supply from non-allied countries", "Policies.max_non_allied_share"),
    (r"N_i", "least number of contracted offers", "Policies.min_suppliers"),
    (r"\underline\beta", "least closing stock as a share of demand", "Policies.min_stock_share"),
    (r"\bar\mu", "largest unmet share of demand", "Policies.max_shortage_share"),
]


def _target(m, column, s, i, y):
    return m.data.policy.get(column)[(i, y, s)]


def _buys(m, s, i, y):
    return m.ix.buys_of.get((s, i, y), ())


def _prods(m, i, y):
    return m.ix.producers_of.get((i, y), ())


def total_supply_rule(m, s, i, y):
    r"""Total supply of a material with ratio targets, as one variable so each target row
    stays sparse: :math:`S_{s,i,y} = \sum_{o \in O_i} q_{s,y,o} + \sum_{f \in F_i} p_{s,y,f}`."""
    q, p = m.ix.q, m.ix.p
    pairs = [(1, m.S[s, i, y])]
    pairs += [(-1, q[(s, y, o)]) for o in _buys(m, s, i, y)]
    pairs += [(-1, p[(s, y, f)]) for f in _prods(m, i, y)]
    return row(m, pairs, "==")


def country_share_rule(m, s, i, y, c):
    r""":math:`\sum_{o \in O_{i,c}} q_{s,y,o} \le \bar\theta^{c} S_{s,i,y}`."""
    q = m.ix.q
    part = [q[(s, y, o)] for o in m.ix.buys_of_country[(s, i, y, c)]]
    return unit_row(m, part, "<=", 0.0, ((-_target(m, "max_country_share", s, i, y), m.S[s, i, y]),))


def supplier_share_rule(m, s, i, y, u):
    r""":math:`\sum_{o \in O_{i,u}} q_{s,y,o} \le \bar\theta^{u} S_{s,i,y}`."""
    q = m.ix.q
    part = [q[(s, y, o)] for o in m.ix.buys_of_supplier_material[(s, i, y, u)]]
    return unit_row(m, part, "<=", 0.0, ((-_target(m, "max_supplier_share", s, i, y), m.S[s, i, y]),))


def _weighted(m, s, i, y, w_offer, w_fac, target):
    """(coefficient, variable) pairs of the sum over sources of (attribute - target) x quantity:
    <= 0 means average <= target."""
    q, p = m.ix.q, m.ix.p
    pairs = [(float(w_offer[o]) - target, q[(s, y, o)]) for o in _buys(m, s, i, y)]
    pairs += [(float(w_fac[f]) - target, p[(s, y, f)]) for f in _prods(m, i, y)]
    return [(c, v) for c, v in pairs if c]


def avg_risk_rule(m, s, i, y):
    r""":math:`\sum_o (\varrho_o - \bar\varrho) q + \sum_f (\varrho_f - \bar\varrho) p \le 0`, i.e.
    :math:`\sum_o \varrho_o q + \sum_f \varrho_f p \le \bar\varrho S`."""
    d = m.data
    lhs = _weighted(m, s, i, y, d.supply.risk, d.domestic.risk, _target(m, "max_avg_risk", s, i, y))
    return row(m, lhs, "<=")


def green_share_rule(m, s, i, y):
    r""":math:`\sum_{o\ green} q + \sum_{f\ green} p \ge \underline\gamma S`."""
    d = m.data
    lhs = _weighted(m, s, i, y, d.supply.green, d.domestic.green, _target(m, "min_green_share", s, i, y))
    return row(m, lhs, ">=")


def carbon_intensity_rule(m, s, i, y):
    r""":math:`\sum_o e_o q + \sum_f e_f p \le \bar e S`."""
    d = m.data
    lhs = _weighted(m, s, i, y, d.supply.carbon, d.domestic.carbon, _target(m, "max_carbon_intensity", s, i, y))
    return row(m, lhs, "<=")


def domestic_share_rule(m, s, i, y):
    r""":math:`\sum_{f \in F_i} p_{s,y,f} \ge \underline\eta D_{s,i,y}` (final demand, docs/decisions.md)."""
    p = m.ix.p
    prod = [p[(s, y, f)] for f in _prods(m, i, y)]
    return unit_row(m, prod, ">=", _target(m, "min_domestic_share", s, i, y) * m.data.demand_in(s, i, y))


def non_allied_share_rule(m, s, i, y):
    r""":math:`\sum_{o\ non-allied} q_{s,y,o} \le \bar\theta^{na} S`."""
    sd, q = m.data.supply, m.ix.q
    part = [q[(s, y, o)] for o in _buys(m, s, i, y) if sd.non_allied[o]]
    return unit_row(m, part, "<=", 0.0, ((-_target(m, "max_non_allied_share", s, i, y), m.S[s, i, y]),))


def min_suppliers_rule(m, i):
    r""":math:`\sum_{o \in O_i} z_o \ge N_i`."""
    offers = m.ix.contract_bins_of.get(i, ())
    return unit_row(m, [m.z[o] for o in offers], ">=", m.data.policy.min_suppliers[i])


def min_stock_rule(m, s, i, y):
    r""":math:`I_{s,i,y} \ge \underline\beta D_{s,i,y}`."""
    target = _target(m, "min_stock_share", s, i, y) * m.data.demand_in(s, i, y)
    return unit_row(m, (m.stock[s, i, y],), ">=", target)


def max_shortage_rule(m, s, i, y):
    r""":math:`u_{s,i,y} \le \bar\mu D_{s,i,y}`."""
    target = _target(m, "max_shortage_share", s, i, y) * m.data.demand_in(s, i, y)
    return unit_row(m, (m.short[s, i, y],), "<=", target)


# ---- index functions: (s, i, y[, c|u]) only where the target can bind --------------------------

def _keys(d, column, when=lambda s, i, y, v: True):
    return [(s, i, y) for (i, y, s), v in d.policy.get(column).items() if when(s, i, y, v)]


def _above(ix, weight_o, weight_f, target):
    """``binds(i, y, s)``: some source of (s, i, y) has a weight above ``target`` (else an average of
    the sources' weights cannot exceed it and the row would never bind)."""
    def binds(i, y, s):
        return (any(weight_o[o] > target for o in ix.buys_of.get((s, i, y), ()))
                or any(weight_f[f] > target for f in ix.producers_of.get((i, y), ())))
    return binds


def country_share_index(d, ix):
    out = []
    for (i, y, s), v in d.policy.get("max_country_share").items():
        if v < 1:
            out.extend(k for k in ix.countries_of.get((s, i, y), ()))
    return out


def supplier_share_index(d, ix):
    out = []
    for (i, y, s), v in d.policy.get("max_supplier_share").items():
        if v < 1:
            out.extend(k for k in ix.suppliers_of.get((s, i, y), ()))
    return out


def avg_risk_index(d, ix):
    sd, dd = d.supply, d.domestic
    return [(s, i, y) for (i, y, s), v in d.policy.get("max_avg_risk").items()
            if _above(ix, sd.risk, dd.risk, v)(i, y, s)]


def green_share_index(d, ix):
    sd, dd = d.supply, d.domestic
    not_green_o = {o: 0.0 if sd.green[o] else 1.0 for o in sd.offers}
    not_green_f = {f: 0.0 if dd.green[f] else 1.0 for f in dd.facilities}
    some_not_green = _above(ix, not_green_o, not_green_f, 0.0)
    return [(s, i, y) for (i, y, s), v in d.policy.get("min_green_share").items() if v > 0 and some_not_green(i, y, s)]


def carbon_intensity_index(d, ix):
    sd, dd = d.supply, d.domestic
    return [(s, i, y) for (i, y, s), v in d.policy.get("max_carbon_intensity").items()
            if _above(ix, sd.carbon, dd.carbon, v)(i, y, s)]


def domestic_share_index(d, ix):
    return _keys(d, "min_domestic_share", lambda s, i, y, v: v * d.demand_in(s, i, y) > 0)


def non_allied_share_index(d, ix):
    sd, dd = d.supply, d.domestic
    non_allied = {o: 1.0 if sd.non_allied[o] else 0.0 for o in sd.offers}
    some_non_allied = _above(ix, non_allied, {f: 0.0 for f in dd.facilities}, 0.0)
    return [(s, i, y) for (i, y, s), v in d.policy.get("max_non_allied_share").items()
            if v < 1 and some_non_allied(i, y, s)]


def min_suppliers_index(d, ix):
    return sorted(d.policy.min_suppliers)


def min_stock_index(d, ix):
    return _keys(d, "min_stock_share", lambda s, i, y, v: v * d.demand_in(s, i, y) > 0)


def max_shortage_index(d, ix):
    return _keys(d, "max_shortage_share", lambda s, i, y, v: v < 1 and (i, y) in d.demand)


# ---- what a plan realises of a target, in the units of the value as written --------------------
# (at the variables' current values; the infeasibility diagnosis reports it as "reachable")

def _v(var) -> float:
    value = var.value
    return 0.0 if value is None else float(value)


def supply_value(m, s, i, y) -> float:
    """Total supply S of (s, i, y) at the current values."""
    q, p = m.ix.q, m.ix.p
    return (sum(_v(q[(s, y, o)]) for o in _buys(m, s, i, y))
            + sum(_v(p[(s, y, f)]) for f in _prods(m, i, y)))


def _of_supply(part: float, m, s, i, y) -> float:
    total = supply_value(m, s, i, y)
    return part / total if total > 0 else float("nan")


def _largest_member_share(m, s, i, y, member) -> float:
    q, by = m.ix.q, {}
    for o in _buys(m, s, i, y):
        key = member(o)
        if key is not None:
            by[key] = by.get(key, 0.0) + _v(q[(s, y, o)])
    return _of_supply(max(by.values(), default=0.0), m, s, i, y)


def country_share_realised(m, s, i, y) -> float:
    sd = m.data.supply
    return _largest_member_share(m, s, i, y, lambda o: sd.country[o] if sd.foreign[o] else None)


def supplier_share_realised(m, s, i, y) -> float:
    return _largest_member_share(m, s, i, y, lambda o: m.data.supply.supplier[o])


def _weighted_average(m, s, i, y, w_offer, w_fac) -> float:
    q, p = m.ix.q, m.ix.p
    part = (sum(float(w_offer[o]) * _v(q[(s, y, o)]) for o in _buys(m, s, i, y))
            + sum(float(w_fac[f]) * _v(p[(s, y, f)]) for f in _prods(m, i, y)))
    return _of_supply(part, m, s, i, y)


def avg_risk_realised(m, s, i, y) -> float:
    return _weighted_average(m, s, i, y, m.data.supply.risk, m.data.domestic.risk)


def green_share_realised(m, s, i, y) -> float:
    return _weighted_average(m, s, i, y, m.data.supply.green, m.data.domestic.green)


def carbon_intensity_realised(m, s, i, y) -> float:
    return _weighted_average(m, s, i, y, m.data.supply.carbon, m.data.domestic.carbon)


def non_allied_share_realised(m, s, i, y) -> float:
    sd, q = m.data.supply, m.ix.q
    return _of_supply(sum(_v(q[(s, y, o)]) for o in _buys(m, s, i, y) if sd.non_allied[o]), m, s, i, y)


def domestic_share_realised(m, s, i, y) -> float:
    p = m.ix.p
    return sum(_v(p[(s, y, f)]) for f in _prods(m, i, y)) / m.data.demand_in(s, i, y)


def min_suppliers_realised(m, s, i, y) -> float:
    return float(sum(round(_v(m.z[o])) for o in m.ix.contract_bins_of.get(i, ())))


def min_stock_realised(m, s, i, y) -> float:
    return _v(m.stock[s, i, y]) / m.data.demand_in(s, i, y)


def max_shortage_realised(m, s, i, y) -> float:
    return _v(m.short[s, i, y]) / m.data.demand_in(s, i, y)
