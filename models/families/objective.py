r"""Cost components and the objective.

First-stage costs (one-off costs in first_year, df = 1; builds, opex and financing are
decided once for all scenarios):

.. math::
    C^{1} = \sum_u G_u w_u + \sum_o H_o z_o + \sum_k F_k v_k
      + \sum_{f,t} \delta_t\, O_f\, n_{f,t}
      + \begin{cases}\sum_{f,y} \delta_y \sigma_{f,y} K_f b_{f,y} & \text{no Financing sheet}\\
        \sum_{k,f,y} \pi_k \delta_y \sigma_{f,y} x_{k,f,y} & \text{otherwise}\end{cases}

Scenario costs (:math:`\delta_y` the discount factor, :math:`\chi` the carbon price):

.. math::
    C^{2}_s = \sum_{y,o} \delta_y \big(\tilde P_{s,y,o} (1 + \tau_{y,o}) + t_{y,o} + g_o + \chi e_o\big) q_{s,y,o}
      + \sum_{y,f} \delta_y (k_f + \chi e_f)\, p_{s,y,f} - \mathrm{PLI}_s
      + \sum_{i,y} \delta_y (h_i I_{s,i,y} + \lambda_i u_{s,i,y})

with the price before duty :math:`\tilde P_{s,y,o} = \max(P_o \phi^{p}_{s,y,o}, \underline P_{y,o})`, the ad
valorem :math:`\tau_{y,o}` of the most specific Tariffs row that sets one (else the country's tariff)
and its specific duty :math:`t_{y,o}` (SPEC §4 Tariffs), and :math:`\mathrm{PLI}_s` the production-linked
incentives of :mod:`models.families.incentives`.

Objective: :math:`\min\ C^{1} + \sum_s p_s C^{2}_s + \omega\, \mathrm{CVaR}_\alpha(C^{1} + C^{2}_s)`.
Each component is a named Pyomo Expression, so the plan's cost breakdown is read from the
same terms the solver minimised and adds up to the objective.
"""

from __future__ import annotations

from models.families import financing, incentives, risk
from models.families.recourse import built, drawn
from models.families.expr import linear

SYMBOLS = [
    (r"\delta_y", "discount factor (1 + rate)^-(y - first_year)", "Settings.discount_rate"),
    (r"G_u", "qualification cost", "Suppliers.qualification_cost"),
    (r"H_o", "contract cost", "Offers.contract_cost"),
    (r"O_f", "fixed opex per producing module-year", "Facilities.fixed_opex_per_module"),
    (r"P_o", "ex-works unit cost", "Offers.unit_cost"),
    (r"\phi^{p}_{s,y,o}", "product of matching price factors", "Disruptions.price_factor"),
    (r"\tau_{y,o}", "ad valorem duty: the Tariffs row's, else the supplier's country's",
     "Tariffs.ad_valorem, Countries.tariff"),
    (r"t_{y,o}", "specific duty per unit", "Tariffs.specific_duty"),
    (r"T_{y,o}", "the Tariffs rows applying to offer o in year y (the most specific by country and material "
     "sets each value)", "Tariffs.country, material, from_year, to_year"),
    (r"\underline P_{y,o}", "minimum import price (floor on the price before duty)", "Tariffs.min_import_price"),
    (r"\tilde P_{s,y,o}", "price before duty", "derived"),
    (r"g_o", "freight per unit", "Offers.freight_cost"),
    (r"k_f", "production cost per unit", "Facilities.unit_cost"),
    (r"\chi", "carbon price per tCO2e", "Settings.carbon_price"),
]

FIRST_STAGE = ("qualification", "contracts", "arrangement_fees", "fixed_opex", "capex", "financing")
SECOND_STAGE = ("purchases_ex_works", "tariffs", "freight", "production", "pli_subsidy", "holding",
                "shortage", "carbon")


#: First-stage components that builds and draws make: paid per scenario with recourse.
BUILD_COSTS = ("fixed_opex", "capex", "financing")


def first_stage_cost(m, component):
    """One first-stage component: what every scenario pays (with recourse the builds' costs and
    late contracts are each scenario's, :func:`recourse_cost`)."""
    d = m.data
    sd, dd = d.supply, d.domestic
    if component == "qualification":
        return linear((sd.sup_qual_cost[u], m.w[u]) for u in m.w)
    if component == "contracts":
        return linear((sd.contract_cost[o], m.z[o]) for o in m.z if sd.contract_cost[o] > 0)
    if component == "arrangement_fees":
        return linear((dd.fee[k], m.v[k]) for k in m.v if dd.fee[k] > 0)
    if component in BUILD_COSTS:
        return _build_cost(m, component, None, variable=not d.recourse)
    raise KeyError(component)


def recourse_cost(m, component, s):
    r"""Scenario ``s``'s own part of a first-stage component (recourse, :mod:`models.families.recourse`):
    its builds and draws, and late contracts and qualifications at :math:`\delta_{B_s}`."""
    d = m.data
    sd = d.supply
    if component in BUILD_COSTS:
        return _build_cost(m, component, s, constant=False)
    if component in ("qualification", "contracts"):
        late, cost = (m.wl, sd.sup_qual_cost) if component == "qualification" else (m.zl, sd.contract_cost)
        df = d.df.get(d.signed_from.get(s), 0.0)
        return linear((df * cost[key], late[s, key]) for (ss, key) in late if ss == s and cost[key] > 0)
    return 0.0


def _build_cost(m, component, s, constant: bool = True, variable: bool = True):
    """Fixed opex, capex (without a Financing sheet) or financing cost of scenario ``s``'s builds
    and draws (``s`` None: the reference's); ``constant``: the existing modules' fixed opex."""
    d = m.data
    dd = d.domestic
    if component == "fixed_opex":
        # existing modules are a constant; each built module pays from its first producing year
        paying = [(f, t) for (f, t) in dd.producing if dd.fixed_opex[f] > 0]
        existing = sum(d.df[t] * dd.fixed_opex[f] * dd.existing[f] for f, t in paying) if constant else 0.0
        return linear(((d.df[t] * dd.fixed_opex[f], built(m, s, f, y)) for f, t in paying
                       for y in dd.producing[(f, t)]) if variable else (), existing)
    if not variable:
        return 0.0
    if component == "capex":
        if dd.has_financing:
            return 0.0
        return linear((d.df[y] * dd.share[(f, y)] * dd.capex[f], built(m, s, f, y)) for (f, y) in dd.builds
                      if dd.capex[f] > 0)
    return linear((financing.draw_cost(m, k, f, y), drawn(m, s, k, f, y)) for (k, f, y) in dd.draws
                  if dd.pv_factor[k] > 0)


def scenario_cost(m, component, s):
    """One second-stage component of scenario ``s``."""
    d = m.data
    sd, dd, df = d.supply, d.domestic, d.df
    buys, prods = m.ix.buys_in[s], m.ix.prods_in[s]
    q, p = m.ix.q, m.ix.p
    if component == "purchases_ex_works":
        prices = ((k, sd.price(k)) for k in buys)
        return linear((df[k[1]] * price, q[k]) for k, price in prices if price)
    if component == "tariffs":
        duties = ((k, sd.duties(k)) for k in buys)
        return linear((df[k[1]] * duty, q[k]) for k, duty in duties if duty)
    if component == "freight":
        return linear((df[k[1]] * sd.freight[k[2]], q[k]) for k in buys if sd.freight[k[2]])
    if component == "production":
        return linear((df[k[1]] * dd.unit_cost[k[2]], p[k]) for k in prods if dd.unit_cost[k[2]])
    if component == "pli_subsidy":
        return linear(incentives.paid_terms(m, s))
    if component == "holding":
        return linear((df[y] * d.holding_cost[i], m.stock[s, i, y])
                      for i in d.materials if d.holding_cost[i] for y in d.years)
    if component == "shortage":
        return linear((df[y] * d.penalty[i], m.short[s, i, y]) for (i, y) in d.demand)
    if component == "carbon":
        price = d.carbon_price
        return linear([(df[k[1]] * price * sd.carbon[k[2]], q[k]) for k in buys if price and sd.carbon[k[2]]]
                      + [(df[k[1]] * price * dd.carbon[k[2]], p[k]) for k in prods if price and dd.carbon[k[2]]])
    raise KeyError(component)


def scenario_total(m, s):
    r""":math:`C_s = C^{1} + C^{2}_s` (the cost CVaR is taken over; with recourse :math:`C^{2}_s` holds
    the scenario's own builds, draws and late contracts)."""
    return (sum(m.first_cost[c] for c in FIRST_STAGE) + _recourse(m, s)
            + sum(m.second_cost[c, s] for c in SECOND_STAGE))


def _recourse(m, s):
    return sum(m.recourse_cost[c, s] for c in FIRST_STAGE) if hasattr(m, "recourse_cost") else 0.0


def objective_rule(m):
    r""":math:`C^{1} + \sum_s p_s C^{2}_s + \omega\, \mathrm{CVaR}_\alpha`."""
    d = m.data
    expected = (sum(m.first_cost[c] for c in FIRST_STAGE)
                + sum(d.prob[s] * m.second_cost[c, s] for c in SECOND_STAGE for s in d.scenarios)
                + sum(d.prob[s] * _recourse(m, s) for s in d.scenarios))
    if d.cvar_weight > 0:
        expected += d.cvar_weight * risk.cvar(m)
    return expected
