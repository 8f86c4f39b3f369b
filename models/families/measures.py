r"""Trade-off measures of a plan, for the frontier's ε-constraint (SPEC §4 ``frontier``).

Not part of the planning model: :mod:`models.analysis.frontier` adds them to a built model.
Every share is horizon-wide and supply-weighted over years and scenarios, a share of the
material's expected total supply:

.. math::
    D_i = \sum_s p_s \sum_y S_{s,i,y}, \qquad
    S_{s,i,y} = \sum_{o \in O_i} q_{s,y,o} + \sum_{f \in F_i} p_{s,y,f}

- ``top_country_share[i]``: :math:`\max_c N^{c}_i / D_i`, :math:`N^{c}_i = \sum_s p_s \sum_y
  \sum_{o \in O_{i,c}} q_{s,y,o}` over foreign countries c (the home country is not an import);
- ``non_allied_share[i]``: purchases from non-allied countries over :math:`D_i`;
- ``avg_risk[i]``: :math:`\sum \varrho_o q + \sum \varrho_f p` over :math:`D_i`;
- ``domestic_share[i]``: domestic production over :math:`D_i` (higher is better);
- ``green_share[i]``: green purchases and production over :math:`D_i` (higher is better);
- ``cvar``: :math:`\mathrm{CVaR}_\alpha` of scenario cost (:mod:`models.families.risk`).

A ratio measure held to :math:`\varepsilon` is linear: :math:`N - \varepsilon D \le 0` (a
"lower is better" measure; one row per country for the top country share) or
:math:`N - \varepsilon D \ge 0` (higher is better).
"""

from __future__ import annotations

from models.families.expr import linear, row

SYMBOLS = [
    (r"D_i", "expected total supply of material i over the horizon", "derived"),
    (r"N^{c}_i", "expected purchases of i from foreign country c over the horizon", "derived"),
    (r"\varepsilon", "the value a measure is held to (a frontier point)", "trust-planner frontier"),
]

#: Measure -> True when lower values are better.
LOWER_IS_BETTER = {"top_country_share": True, "non_allied_share": True, "avg_risk": True,
                   "domestic_share": False, "green_share": False, "cvar": True}


def supply_terms(m, material: str) -> list[tuple[float, object]]:
    """:math:`D_i` as (coefficient, variable) pairs."""
    d = m.data
    pairs = [(d.prob[s], v) for (s, y, o), v in m.ix.q.items() if d.supply.material[o] == material]
    pairs += [(d.prob[s], v) for (s, y, f), v in m.ix.p.items() if d.domestic.material[f] == material]
    return pairs


def numerator_terms(m, kind: str, material: str) -> list[list[tuple[float, object]]]:
    """The numerators :math:`N` of a ratio measure as (coefficient, variable) pairs: one list per
    foreign country for the top country share, else one list."""
    d = m.data
    sd, dd = d.supply, d.domestic
    buys = [(d.prob[s], o, v) for (s, y, o), v in m.ix.q.items() if sd.material[o] == material]
    makes = [(d.prob[s], f, v) for (s, y, f), v in m.ix.p.items() if dd.material[f] == material]
    if kind == "top_country_share":
        by_country: dict[str, list] = {}
        for p, o, v in buys:
            if sd.foreign[o]:
                by_country.setdefault(sd.country[o], []).append((p, v))
        return [by_country[c] for c in sorted(by_country)]
    if kind == "non_allied_share":
        return [[(p, v) for p, o, v in buys if sd.non_allied[o]]]
    if kind == "avg_risk":
        return [[(p * sd.risk[o], v) for p, o, v in buys if sd.risk[o]]
                + [(p * dd.risk[f], v) for p, f, v in makes if dd.risk[f]]]
    if kind == "domestic_share":
        return [[(p, v) for p, f, v in makes]]
    if kind == "green_share":
        return [[(p, v) for p, o, v in buys if sd.green[o]] + [(p, v) for p, f, v in makes if dd.green[f]]]
    raise KeyError(kind)


def ratio(m, kind: str, material: str):
    """(numerator expressions, denominator expression) of a ratio measure."""
    return [linear(n) for n in numerator_terms(m, kind, material)], linear(supply_terms(m, material))


def epsilon_rule(m, kind: str, numerator: list, supply: list, epsilon: float):
    r"""Hold a ratio measure to :math:`\varepsilon`: :math:`N - \varepsilon D \le 0` (lower is
    better) or :math:`\ge 0`."""
    return row(m, merged(list(numerator) + [(-epsilon * c, v) for c, v in supply]),
               "<=" if LOWER_IS_BETTER[kind] else ">=")


def merged(pairs) -> list[tuple[float, object]]:
    """(coefficient, variable) pairs with each variable once (a solver row takes each column once)."""
    out: dict[int, list] = {}
    for c, v in pairs:
        if id(v) in out:
            out[id(v)][0] += c
        else:
            out[id(v)] = [c, v]
    return [(c, v) for c, v in out.values() if c != 0.0]
