r"""Financing of capex: draws per source, facility and build year.

Draws :math:`x_{k,f,y} \ge 0` exist only where source k is available in y and may fund
f (a green_only source funds only green facilities). A use binary :math:`v_k` exists only
for sources with an arrangement fee or a minimum draw. The cost of a draw is
:math:`\pi_k\, \delta_y\, \sigma_{f,y}\, x_{k,f,y}` with the present-value factor

.. math:: \pi_k = \frac{r_k}{1 - (1 + r_k)^{-T_k}} \sum_{j=1}^{T_k} (1 + \rho)^{-j}

(:math:`1/T_k` instead of the annuity when :math:`r_k = 0`; :math:`\pi_k = 1` for tenor 0
and budget; 0 for a grant). Without a Financing sheet capex is paid in the build year
(see :mod:`models.families.objective`).
"""

from __future__ import annotations

from models.families.expr import unit_row
from models.families.recourse import built, drawn, own_builds_index, own_draws_index

SYMBOLS = [
    (r"x_{k,f,y}", "amount drawn from source k for builds at f started in y (variable)", "Financing.draw"),
    (r"v_k", "1 if source k is used (binary, first stage)", "Financing.source"),
    (r"L_k", "most that can be drawn over the horizon", "Financing.limit"),
    (r"\underline x_k", "least total draw if used", "Financing.min_draw"),
    (r"F_k", "arrangement fee if used", "Financing.arrangement_fee"),
    (r"r_k, T_k", "annual rate and tenor of the repayment annuity", "Financing.annual_rate, tenor_years"),
    (r"\pi_k", "PV at the draw year of repaying one unit (a grant 0, a budget 1; interest only in the "
     "grace years; a guarantee fee on the balance each year)", "Financing.kind, grace_years, guarantee_fee"),
    (r"K^{g}", "sources that fund green facilities only", "Financing.green_only"),
    (r"y^{0}_k", "first year source k can fund a build (blank: any)", "Financing.available_from"),
    (r"K_f", "capex per module", "Facilities.capex_per_module"),
    (r"\sigma_{f,y}", "lifetime share of a module started in y inside the horizon", "Facilities.lifetime_years"),
    (r"\rho", "planning discount rate", "Settings.discount_rate"),
]


def cover_rule(m, f, y, s=None):
    r"""Every unit of capex is covered by draws in its year: :math:`\sum_k x_{k,f,y} \ge K_f\, b_{f,y}`
    (with recourse also a scenario's own builds by its own draws, :mod:`models.families.recourse`)."""
    draws = [drawn(m, s, k, f, y) for k in m.ix.sources_of_build.get((f, y), ())]
    return unit_row(m, draws, ">=", 0.0, ((-m.data.domestic.capex[f], built(m, s, f, y)),))


def limit_rule(m, k, s=None):
    r""":math:`\sum_{f,y} x_{k,f,y} \le L_k\, (v_k)` (per scenario with recourse)."""
    lim = m.data.domestic.limit[k]
    draws = [drawn(m, s, kk, f, y) for kk, f, y in m.ix.draws_of[k]]
    if k in m.v:
        return unit_row(m, draws, "<=", 0.0, ((-lim, m.v[k]),))
    return unit_row(m, draws, "<=", lim)


def min_draw_rule(m, k, s=None):
    r""":math:`\sum_{f,y} x_{k,f,y} \ge \underline x_k\, v_k`."""
    return unit_row(m, [drawn(m, s, kk, f, y) for kk, f, y in m.ix.draws_of[k]], ">=", 0.0,
                    ((-m.data.domestic.min_draw[k], m.v[k]),))


def draw_cost(m, k, f, y):
    r"""Discounted PV cost of a draw: :math:`\pi_k\, \delta_y\, \sigma_{f,y}`."""
    d = m.data
    return d.domestic.pv_factor[k] * d.df[y] * d.domestic.share[(f, y)]


# ---- index functions ---------------------------------------------------------------------

def cover_index(d):
    dd = d.domestic
    return [(f, y) for f, y in dd.builds if dd.capex[f] > 0] if dd.has_financing else []


def limit_index(d):
    used = {k for k, _f, _y in d.domestic.draws}
    return [k for k in d.domestic.sources if k in used]


def min_draw_index(d):
    return [k for k in d.domestic.use_bin if d.domestic.min_draw[k] > 0]


def own_cover_index(d):
    """(f, y, s) of a scenario's own builds with capex to cover (recourse)."""
    dd = d.domestic
    return [(f, y, s) for (s, f, y) in own_builds_index(d) if dd.capex[f] > 0] if dd.has_financing else []


def own_source_index(d, sources):
    """(k, s) of ``sources`` a scenario draws on in years of its own (recourse)."""
    own = {(k, s) for (s, k, _f, _y) in own_draws_index(d)}
    return [(k, s) for k in sources for s in d.scenarios if (k, s) in own]
