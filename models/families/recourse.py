r"""Optional recourse: builds, their financing draws and contracts adapt once a scenario diverges.

With Settings ``recourse_builds`` true (SPEC §4 Levers), the decisions the SPEC takes once for
all scenarios may differ by scenario from the first year its data diverge, and are shared
before it. With :math:`d_s` the first year scenario s differs (:mod:`models.params.scenarios`),
:math:`r` the reference scenario (the one that diverges last) and :math:`L_s = \min(d_s, d_r)`
the year s and r part, the builds and draws of scenario s are

.. math::
    b^{s}_{f,y} = \begin{cases} b_{f,y} & y < L_s \\ \hat b_{s,f,y} & y \ge L_s \end{cases}
    \qquad x^{s}_{k,f,y} \text{ likewise}

with :math:`b, x` the reference's (every year) and :math:`\hat b, \hat x` scenario s's own. Any
two scenarios share their builds up to the earlier of their :math:`L`, through r. Every row and
cost written with builds or draws then holds per scenario: producing modules and capacity,
max/min modules, module floors (each scenario's own target), financing cover, limits and min
draws, fixed opex, capex and the financing cost, which enter the scenario's cost (and CVaR).

Contracts and qualifications have no year: they are signed at the start (:math:`z_o, w_u`, shared)
or late, :math:`\hat z_{s,o}, \hat w_{s,u}` signed in :math:`B_s` (:math:`L_s` for s ≠ r; for r the
year the last other scenario parts from it), delivering from
:math:`B_{s,u} = B_s + ` the supplier's qualification years (0 if already qualified):

.. math::
    z_o + \hat z_{s,o} \le 1, \quad w_u + \hat w_{s,u} \le 1, \quad \hat z_{s,o} \le w_u + \hat w_{s,u},
    \quad q_{s,y,o} \le M_{s,y,o} \big(z_o + [y \ge B_{s,u}]\, \hat z_{s,o}\big)

(likewise the min order, the qualification link and the supplier's joint capacity). A late
contract or qualification costs :math:`\delta_{B_s} H_o`, :math:`\delta_{B_s} G_u` in scenario s.
Source use :math:`v_k` and ``min_suppliers`` stay on the shared decisions.
"""

from __future__ import annotations

import math

from models.families.expr import row, unit_row

SYMBOLS = [
    (r"\mathbb{1}^{rec}", "1 when builds, draws and contracts may adapt: the decisions below exist only then",
     "Settings.recourse_builds"),
    (r"L_s", "first year scenario s's builds and draws are its own: min(d_s, d_r)", "derived"),
    (r"\hat b_{s,f,y}", "modules started at f in y in scenario s, from L_s (integer)", "Builds.modules_started"),
    (r"\hat x_{s,k,f,y}", "draw of scenario s from L_s", "Financing.draw"),
    (r"B_s", "year scenario s may sign late contracts", "derived"),
    (r"\hat z_{s,o}, \hat w_{s,u}", "late contract and qualification of scenario s (binary)",
     "Offers.contract_cost, Suppliers.qualification_cost"),
]


# ---- whose variable: the reference's (shared) or the scenario's own ------------------------

def built(m, s, f, y):
    r"""The modules started at f in y in scenario s: :math:`\hat b_{s,f,y}` where s has its own,
    else :math:`b_{f,y}`."""
    own = m.br
    return own[s, f, y] if (s, f, y) in own else m.b[f, y]


def drawn(m, s, k, f, y):
    r""":math:`\hat x_{s,k,f,y}` where s has its own draw, else :math:`x_{k,f,y}`."""
    own = m.xr
    return own[s, k, f, y] if (s, k, f, y) in own else m.x[k, f, y]


def late_from(d, s, u) -> float:
    """First year a contract scenario ``s`` signs late with supplier ``u`` delivers (``inf``: none)."""
    return d.signed_from.get(s, math.inf) + d.supply.delay.get(u, 0)


def contract_vars(m, s, y, o) -> list:
    """The contracts that let scenario s buy offer o in year y: the shared one and a late one."""
    out = [m.z[o]]
    if (s, o) in m.zl and y >= late_from(m.data, s, m.data.supply.supplier[o]):
        out.append(m.zl[s, o])
    return out


def qualification_vars(m, s, y, u) -> list:
    """The qualifications that let scenario s buy from supplier u in year y."""
    out = [m.w[u]]
    if (s, u) in m.wl and y >= late_from(m.data, s, u):
        out.append(m.wl[s, u])
    return out


# ---- index functions -----------------------------------------------------------------------

def own_builds_index(d) -> list[tuple]:
    """(s, f, y) of the builds a scenario other than the reference decides itself."""
    if not d.recourse:
        return []
    return [(s, f, y) for s, start in d.own_from.items() for (f, y) in d.domestic.builds if y >= start]


def own_draws_index(d) -> list[tuple]:
    if not d.recourse:
        return []
    return [(s, k, f, y) for s, start in d.own_from.items() for (k, f, y) in d.domestic.draws if y >= start]


def late_contracts_index(d) -> list[tuple]:
    """(s, o): contract binaries a scenario may sign late, where the offer can then still deliver."""
    if not d.recourse:
        return []
    sd = d.supply
    last = _last_delivery(d, lambda s, o: (s, o))
    return [(s, o) for s in d.signed_from for o in sd.contract_bin if o not in sd.must_contract
            and last.get((s, o), -math.inf) >= late_from(d, s, sd.supplier[o])]


def late_qualifications_index(d) -> list[tuple]:
    """(s, u): qualification binaries a scenario may take late, where the supplier can then still deliver."""
    if not d.recourse:
        return []
    last = _last_delivery(d, lambda s, o: (s, d.supply.supplier[o]))
    return [(s, u) for s in d.signed_from for u in d.supply.qual_bin if last.get((s, u), -math.inf) >= late_from(d, s, u)]


def _last_delivery(d, key) -> dict[tuple, int]:
    """key(s, o) -> the last year an offer so keyed may deliver in its scenario."""
    last: dict[tuple, int] = {}
    for (s, y, o) in d.supply.buy:
        k = key(s, o)
        last[k] = max(last.get(k, y), y)
    return last


# ---- rules -------------------------------------------------------------------------------

def late_contract_once_rule(m, s, o):
    r"""A contract is signed once: :math:`z_o + \hat z_{s,o} \le 1`."""
    return unit_row(m, (m.z[o], m.zl[s, o]), "<=", 1.0)


def late_qualification_once_rule(m, s, u):
    r""":math:`w_u + \hat w_{s,u} \le 1`."""
    return unit_row(m, (m.w[u], m.wl[s, u]), "<=", 1.0)


def late_contract_needs_qualification_rule(m, s, o):
    r""":math:`\hat z_{s,o} \le w_u + \hat w_{s,u}` (the qualification may be the shared one)."""
    u = m.data.supply.supplier[o]
    quals = [m.w[u]] + ([m.wl[s, u]] if (s, u) in m.wl else [])
    return row(m, [(1, m.zl[s, o])] + [(-1, v) for v in quals], "<=")


def late_contract_needs_qualification_index(d, late) -> list[tuple]:
    ws = set(d.supply.qual_bin)
    return [(s, o) for (s, o) in late if d.supply.supplier[o] in ws]
