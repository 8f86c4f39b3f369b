r"""Domestic capacity: module builds, producing modules, production and recipes.

Builds :math:`b_{f,y} \in \mathbb{Z}_{\ge 0}` exist for start years
:math:`y \ge y^{0}_f` whose modules produce inside the horizon
(:math:`y + \ell_f \le Y`). Producing modules are an expression, not a variable:

.. math:: n_{f,t} = n^{0}_f + \sum_{y:\ y + \ell_f \le t} b_{f,y}

Production :math:`p_{s,t,f}` exists only where some module could produce in t, within the
capacity of the modules producing; a module in its first producing year gives only the share
:math:`\rho_f` of its capacity (ramp-up):

.. math:: p_{s,t,f} \le c_f \Big(n_{f,t} - (1 - \rho_f) \sum_{y:\ y + \ell_f = t} b_{f,y}\Big)

Recipe
consumption :math:`\sum_f a_{f,i}\, p_{s,t,f}` is drawn from input material i's stock
balance (see :mod:`models.families.stock`), so inputs obey all their own policies.

Where a domestic-share target forces production, whole modules must exist to make it
(a valid inequality: it removes no plan, only fractional module counts of the LP relaxation):

.. math:: \sum_{f \in F_{i,t}} n_{f,t} \ge N_{i,t} = \Big\lceil \max_s \underline\eta_{s,i,t} D_{s,i,t}
    \,/\, \max_{f \in F_{i,t}} c_f \Big\rceil

since :math:`\sum_f p_{s,t,f} \ge \underline\eta D` and :math:`p_{s,t,f} \le c_f n_{f,t}` (ramp-up only lowers
the capacity). The
LP relaxation would otherwise build just the fraction of a module the target needs (bundled
example: the LP bound rises 0.13 %, a third of its gap to the optimum).
"""

from __future__ import annotations

from models.families.expr import row, total, unit_row
from models.families.recourse import built, own_builds_index
from models.params.domestic import module_floor

SYMBOLS = [
    (r"b_{f,y}", "modules started at facility f in year y (integer, first stage)", "Builds.modules_started"),
    (r"n_{f,t}", "modules producing at f in year t (expression)", "Builds.modules_producing"),
    (r"p_{s,t,f}", "units produced at f in year t, scenario s (variable)", "Production.quantity"),
    (r"n^{0}_f", "existing modules", "Facilities.existing_modules"),
    (r"\bar n_f", "most modules that can exist", "Facilities.max_modules"),
    (r"\underline n_f", "least modules that exist by the last year", "Facilities.min_modules"),
    (r"c_f", "units per year per module", "Facilities.module_capacity"),
    (r"\ell_f", "build lead time in years", "Facilities.build_years"),
    (r"\rho_f", "share of a new module's capacity in its first producing year", "Facilities.ramp_up"),
    (r"y^{0}_f", "earliest build start", "Facilities.earliest_year"),
    (r"a_{f,i}", "units of input i per unit of output at facility f", "Recipes.quantity_per_unit, facility, input_material"),
    (r"F_{i,t}", "facilities making material i that could produce in year t", "Facilities.material"),
    (r"N_{i,t}", "least modules producing i in t that a domestic-share target implies", "derived"),
]


def build_bounds(m, f, y):
    r""":math:`0 \le b_{f,y} \le \bar n_f - n^{0}_f`."""
    dd = m.data.domestic
    return (0, dd.max_modules[f] - dd.existing[f])


def modules_producing_rule(m, f, t):
    r""":math:`n_{f,t} = n^{0}_f + \sum_{y + \ell_f \le t} b_{f,y}`."""
    dd = m.data.domestic
    return dd.existing[f] + total(m.b[f, y] for y in dd.producing[(f, t)])


def max_modules_rule(m, f, s=None):
    r"""Existing plus all started modules: :math:`n^{0}_f + \sum_y b_{f,y} \le \bar n_f` (with
    recourse, also for each scenario's own builds, :mod:`models.families.recourse`)."""
    dd = m.data.domestic
    return unit_row(m, [built(m, s, f, y) for y in m.ix.build_years_of[f]], "<=", dd.max_modules[f] - dd.existing[f])


def min_modules_rule(m, f, s=None):
    r"""Required modules exist by the last year :math:`Y` (existing ones count):
    :math:`n_{f,Y} = n^{0}_f + \sum_y b_{f,y} \ge \underline n_f` (every build produces by
    :math:`Y`). No start year left: infeasible."""
    dd = m.data.domestic
    return unit_row(m, [built(m, s, f, y) for y in m.ix.build_years_of[f]], ">=", dd.min_modules[f] - dd.existing[f])


def production_capacity_rule(m, s, t, f):
    r""":math:`p_{s,t,f} \le c_f \big(n_{f,t} - (1 - \rho_f) \sum_{y + \ell_f = t} b_{f,y}\big)`."""
    dd = m.data.domestic
    cap = dd.module_capacity[f]
    return row(m, [(1, m.ix.p[(s, t, f)])] + [(-cap * ramp_share(dd, f, y, t), built(m, s, f, y))
                                              for y in dd.producing[(f, t)]], "<=", cap * dd.existing[f])


def ramp_share(dd, f, start, t) -> float:
    """Share of the capacity of a module started in ``start`` that produces in year ``t``."""
    return dd.ramp_up.get(f, 1.0) if start + dd.build_years[f] == t else 1.0


def module_floor_rule(m, i, t, s=None):
    r"""Whole modules a domestic-share target forces:
    :math:`\sum_{f \in F_{i,t}} n_{f,t} \ge N_{i,t}` (with recourse, per scenario: its own
    builds against its own target)."""
    dd = m.data.domestic
    facilities = m.ix.producers_of[(i, t)]
    builds = [built(m, s, f, y) for f in facilities for y in dd.producing[(f, t)]]
    return unit_row(m, builds, ">=", module_floor(m.data, i, t, s) - sum(dd.existing[f] for f in facilities))


# ---- index functions ---------------------------------------------------------------------

def production_index(d):
    dd = d.domestic
    return [(s, t, f) for s in d.scenarios for (f, t) in dd.producing if dd.module_capacity[f] > 0]


def min_modules_index(d):
    """Facilities asked for more modules than exist."""
    return list(d.domestic.min_modules)


def max_modules_index(d):
    """Facilities whose builds could exceed max_modules in total (more than one start year)."""
    dd = d.domestic
    years_of: dict[str, int] = {}
    for f, _y in dd.builds:
        years_of[f] = years_of.get(f, 0) + 1
    return [f for f, n in years_of.items() if n > 1]


def module_floor_index(d, scenario: bool = False):
    """(material, year) where a domestic-share target needs more modules than exist; with recourse
    (``scenario``) instead (material, year, scenario) for every scenario, each with its own floor."""
    if d.recourse != scenario:
        return []
    dd = d.domestic
    keys = sorted({(i, y) for (i, y, _s), share in d.policy.get("min_domestic_share").items() if share > 0})
    out = []
    for i, y in keys:
        existing = sum(dd.existing[f] for f in dd.material if dd.material[f] == i and (f, y) in dd.producing
                       and dd.module_capacity[f] > 0)
        out += [(i, y, s) if scenario else (i, y) for s in (d.scenarios if scenario else [None])
                if module_floor(d, i, y, s) > existing]
    return out


def own_index(d, facilities) -> list[tuple]:
    """(facility, scenario) of ``facilities`` where a scenario has builds of its own (recourse)."""
    own = {(f, s) for (s, f, _y) in own_builds_index(d)}
    return [(f, s) for f in facilities for s in d.scenarios if (f, s) in own]
