r"""Production-linked incentives (PLI): paid per unit produced in the PLI years, within a yearly cap.

A facility earns :math:`\psi_f = \psi^{unit}_f + r^{pli}_f P^{ref}_f` per unit produced (a per-unit
subsidy beside a share of sales value at a reference price), only in the years
:math:`t \in Y^{pli}_f`, at most :math:`\Psi_f` a year. Without a cap the incentive enters the
scenario cost as :math:`-\delta_t \psi_f p_{s,t,f}`; with a cap, the incentive earned is a variable

.. math:: 0 \le \pi_{s,t,f} \le \Psi_f, \qquad \pi_{s,t,f} \le \psi_f\, p_{s,t,f}

entering the cost as :math:`-\delta_t \pi_{s,t,f}`. Since it lowers the cost, the optimum earns all it
may: :math:`\pi = \min(\Psi_f, \psi_f p)`. Both enter the plan's ``cost.pli_subsidy`` (negative).
"""

from __future__ import annotations

from models.families.expr import row
from models.params.domestic import pli_paid

SYMBOLS = [
    (r"\psi^{unit}_f", "incentive per unit produced", "Facilities.pli_subsidy"),
    (r"r^{pli}_f", "incentive as a share of sales value", "Facilities.pli_rate"),
    (r"P^{ref}_f", "price per unit the rate is paid on", "Facilities.pli_reference_price"),
    (r"\psi_f", "incentive per unit: \\psi^{unit}_f + r^{pli}_f P^{ref}_f", "derived"),
    (r"Y^{pli}_f", "years the incentive is paid", "Facilities.pli_from_year, pli_to_year"),
    (r"\Psi_f", "most incentive paid in a year", "Facilities.pli_cap"),
    (r"\pi_{s,t,f}", "incentive earned where capped (variable)", "Summary cost.pli_subsidy"),
]


def earned_index(d, production) -> list[tuple]:
    """(s, t, f) of production in the PLI years of a capped facility (whatever its rate, so that a
    change of rate changes coefficients only: models.analysis.resolve)."""
    dd = d.domestic
    return [k for k in production if k[2] in dd.pli_cap and dd.pli_years[k[2]][0] <= k[1] <= dd.pli_years[k[2]][1]]


def earned_bounds(m, s, t, f):
    r""":math:`0 \le \pi_{s,t,f} \le \Psi_f`."""
    return (0.0, m.data.domestic.pli_cap[f])


def earned_rule(m, s, t, f):
    r"""The incentive earned is paid on production: :math:`\pi_{s,t,f} \le \psi_f\, p_{s,t,f}`."""
    rate = pli_paid(m.data.domestic, f, t)
    return row(m, ((1, m.pli[s, t, f]), (-rate, m.ix.p[(s, t, f)])), "<=")


def paid_terms(m, s) -> list[tuple]:
    r"""(coefficient, variable) of the incentive in scenario ``s``'s cost: :math:`-\delta_t \psi_f p`
    uncapped, :math:`-\delta_t \pi` capped."""
    d = m.data
    dd = d.domestic
    out = []
    for k in m.ix.prods_in[s]:
        _s, t, f = k
        if k in m.pli:
            out.append((-d.df[t], m.pli[k]))
        elif pli_paid(dd, f, t):
            out.append((-d.df[t] * pli_paid(dd, f, t), m.ix.p[k]))
    return out
