r"""Foreign supply: contracts, supplier qualification, capacities and minimum orders.

Purchases :math:`q_{s,y,o} \ge 0` exist only for offers that are not sanctioned, deliver
in :math:`y` and have positive effective capacity in :math:`(s, y)`; their upper bound is
the effective capacity :math:`\kappa_{s,y,o} = \phi_{s,y,o}\,(\bar q_o \text{ else } \bar Q_u)`.
A contract binary :math:`z_o` exists only where an offer has a contract cost, a min order,
its material a min_suppliers policy, or it must be contracted; a qualification binary
:math:`w_u` only where a supplier has a qualification cost.
"""

from __future__ import annotations

from models.families.expr import row, unit_row
from models.families.recourse import contract_vars, qualification_vars

SYMBOLS = [
    (r"q_{s,y,o}", "units bought from offer o in year y, scenario s (variable)", "Sourcing.quantity"),
    (r"O", "the offers modelled: every offer but those of sanctioned countries", "Countries.sanctioned"),
    (r"O_i, O_{i,u}", "offers of material i, of supplier u", "Offers.material, supplier"),
    (r"O_{i,c}", "offers of i from suppliers in foreign country c (not the home country)",
     "Suppliers.country, Settings.home_country"),
    (r"y^{0}_o", "first year offer o delivers: its available_from, and for a supplier the plan qualifies "
     "first_year + qualification_years (at once if already qualified)",
     "Offers.available_from, Suppliers.qualification_years, qualified"),
    (r"z_o", "1 if offer o is contracted (binary, first stage)", "Offers.contract_cost"),
    (r"w_u", "1 if supplier u is qualified (binary, first stage; none if already qualified)",
     "Suppliers.qualification_cost, qualified"),
    (r"\bar q_o", "capacity of offer o per year", "Offers.capacity"),
    (r"\bar Q_u", "joint capacity of supplier u per year", "Suppliers.capacity"),
    (r"\phi_{s,y,o}", "product of matching disruption capacity factors", "Disruptions.capacity_factor"),
    (r"R_{s,y,o}", "the Disruptions rows applying to offer o in (s, y): their scenario and years, and the "
     "offers they match by country, supplier and material (blank: all)",
     "Disruptions.scenario, from_year, to_year, country, supplier, material"),
    (r"\kappa_{s,y,o}", "effective capacity of offer o in (s, y)", "derived"),
    (r"M_{s,y,o}", "big-M: min(effective capacity, demand bound U_{m,y}), at least the min order", "derived"),
    (r"\underline q_o", "minimum order per year once contracted", "Offers.min_order"),
    (r"O^{must}", "offers that must be contracted", "Offers.must_contract"),
]


def capacity_bounds(m, s, y, o):
    r"""Variable bound :math:`0 \le q_{s,y,o} \le \kappa_{s,y,o}` (none when unlimited)."""
    return (0.0, m.data.supply.buy_cap.get((s, y, o)))


def contract_link_rule(m, s, y, o):
    r"""No purchase without a contract: :math:`q_{s,y,o} \le M_{s,y,o}\, z_o` (with recourse,
    :math:`z_o` + a late contract of s delivering by y, :mod:`models.families.recourse`)."""
    big_m = m.data.supply.big_m[(s, y, o)]
    return row(m, [(1, m.ix.q[(s, y, o)])] + [(-big_m, z) for z in contract_vars(m, s, y, o)], "<=")


def qualification_link_rule(m, s, y, o):
    r"""Strong (facility-location) link for an offer without its own binary:
    :math:`q_{s,y,o} \le M_{s,y,o}\, w_u`."""
    sd = m.data.supply
    big_m = sd.big_m[(s, y, o)]
    return row(m, [(1, m.ix.q[(s, y, o)])] + [(-big_m, w) for w in qualification_vars(m, s, y, sd.supplier[o])],
               "<=")


def contract_needs_qualification_rule(m, o):
    r"""Contracting an offer requires qualifying its supplier: :math:`z_o \le w_{u(o)}`."""
    return row(m, ((1, m.z[o]), (-1, m.w[m.data.supply.supplier[o]])), "<=")


def supplier_capacity_rule(m, s, y, u):
    r"""Joint capacity (not scaled by disruptions), switched off when unqualified:
    :math:`\sum_{o \in O_u} q_{s,y,o} \le \bar Q_u\, (w_u)`."""
    sd = m.data.supply
    q = m.ix.q
    terms = [q[(s, y, o)] for o in m.ix.buys_of_supplier[(s, y, u)]]
    cap = sd.sup_capacity[u]
    if u in m.w:
        return unit_row(m, terms, "<=", 0.0, [(-cap, w) for w in qualification_vars(m, s, y, u)])
    return unit_row(m, terms, "<=", cap)


def min_order_rule(m, s, y, o):
    r"""Once contracted, buy the min order every year it can deliver (scaled by disruptions):
    :math:`q_{s,y,o} \ge \phi_{s,y,o}\, \underline q_o\, z_o`."""
    least = m.data.supply.min_req[(s, y, o)]
    return row(m, [(1, m.ix.q[(s, y, o)])] + [(-least, z) for z in contract_vars(m, s, y, o)], ">=")


def must_contract_rule(m, o):
    r"""A required contract is made: :math:`z_o = 1` for :math:`o \in O^{must}` (so its supplier
    is qualified, its contract cost paid and its min order bought)."""
    return row(m, ((1, m.z[o]),), ">=", 1.0)


# ---- index functions (sparse) ------------------------------------------------------------

def contract_link_index(d):
    zs = set(d.supply.contract_bin)
    return [k for k in d.supply.buy if k[2] in zs]


def qualification_link_index(d):
    zs = set(d.supply.contract_bin)
    ws = set(d.supply.qual_bin)
    sup = d.supply.supplier
    return [k for k in d.supply.buy if k[2] not in zs and sup[k[2]] in ws]


def contract_needs_qualification_index(d):
    ws = set(d.supply.qual_bin)
    return [o for o in d.supply.contract_bin if d.supply.supplier[o] in ws]


def supplier_capacity_index(d, buys_of_supplier):
    """(s, y, u) with a joint capacity that can bind: several offers, or a qualification binary."""
    sd = d.supply
    ws = set(sd.qual_bin)
    return [k for k, offers in buys_of_supplier.items()
            if sd.sup_capacity.get(k[2]) is not None and (len(offers) > 1 or k[2] in ws)]


def min_order_index(d):
    return list(d.supply.min_req)


def must_contract_index(d):
    return [o for o in d.supply.contract_bin if o in d.supply.must_contract]
