r"""Optional non-anticipativity: scenarios share their yearly decisions until they diverge.

In the SPEC's two-stage program, purchases, production, stock and shortage are decided
per scenario with the whole horizon in view, so a scenario whose export ban starts in
2029 may stock up in 2026–2028 because it "knows" the ban is coming. With the Settings
key ``nonanticipative`` set to true, a scenario's decisions in the years before it
diverges equal those of the reference scenario :math:`r` (the one that diverges last):

.. math::
    q_{s,y,o} = q_{r,y,o}, \quad p_{s,y,f} = p_{r,y,f}, \quad u_{s,i,y} = u_{r,i,y}
    \qquad \forall\, y < \min(d_s, d_r)

where :math:`d_s` (:mod:`models.params.scenarios`) is the first year in which a Disruptions
row of :math:`s` applies or a Policies row naming :math:`s` applies. Equal stock then follows from the balance.
Any two scenarios agree up to the earlier of their divergence years, through :math:`r`.
The default (false) is the SPEC's two-stage program.
"""

from __future__ import annotations

import math

from models.families.expr import row
from models.params.scenarios import reference

SYMBOLS = [
    (r"d_s", "first year scenario s differs from the others (disruption or scenario policy)",
     "Disruptions.from_year, Policies.year"),
    (r"r", "reference scenario: the one that diverges last", "derived"),
    (r"\mathbb{1}^{na}", "1 when scenarios may not anticipate: the rows above exist only then",
     "Settings.nonanticipative"),
]


def shared_years(d) -> dict[str, list[int]]:
    """Per non-reference scenario, the years whose decisions equal the reference's."""
    if not d.nonanticipative or len(d.scenarios) < 2:
        return {}
    r = reference(d.divergence, d.scenarios)
    limit = {s: min(d.divergence.get(s, math.inf), d.divergence.get(r, math.inf)) for s in d.scenarios}
    return {s: [y for y in d.years if y < limit[s]] for s in d.scenarios if s != r}


def equal_index(d, keys) -> list[tuple]:
    """(s, y, k) of ``keys`` (tuples (s, y, k)) that must equal the reference's (r, y, k)."""
    years = shared_years(d)
    if not years:
        return []
    r = reference(d.divergence, d.scenarios)
    present = set(keys)
    allowed = {(s, y) for s, ys in years.items() for y in ys}
    return [(s, y, k) for (s, y, k) in keys if (s, y) in allowed and (r, y, k) in present]


def shortage_index(d, keys) -> list[tuple]:
    """(s, i, y) shortages that must equal the reference's."""
    years = shared_years(d)
    if not years:
        return []
    r = reference(d.divergence, d.scenarios)
    allowed = {(s, y) for s, ys in years.items() for y in ys}
    present = set(keys)
    return [(s, i, y) for (s, i, y) in keys if (s, y) in allowed and (r, i, y) in present]


def equal_purchase_rule(m, s, y, o):
    r""":math:`q_{s,y,o} = q_{r,y,o}`."""
    r = reference(m.data.divergence, m.data.scenarios)
    return row(m, [(1, m.ix.q[(s, y, o)]), (-1, m.ix.q[(r, y, o)])], "==", 0.0)


def equal_production_rule(m, s, y, f):
    r""":math:`p_{s,y,f} = p_{r,y,f}`."""
    r = reference(m.data.divergence, m.data.scenarios)
    return row(m, [(1, m.ix.p[(s, y, f)]), (-1, m.ix.p[(r, y, f)])], "==", 0.0)


def equal_shortage_rule(m, s, i, y):
    r""":math:`u_{s,i,y} = u_{r,i,y}`."""
    r = reference(m.data.divergence, m.data.scenarios)
    return row(m, [(1, m.short[s, i, y]), (-1, m.short[r, i, y])], "==", 0.0)
