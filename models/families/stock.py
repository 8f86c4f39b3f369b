r"""Stock balance per scenario, material and year.

.. math::
    I_{s,i,y} = I_{s,i,y-1} + \sum_{o \in O_i} q_{s,y,o} + \sum_{f \in F_i} p_{s,y,f}
        - \sum_f a_{f,i}\, p_{s,y,f} - (D_{s,i,y} - u_{s,i,y})

with :math:`I_{s,i,y_0-1} = I^{0}_i`, :math:`I \ge 0` and :math:`0 \le u_{s,i,y} \le D_{s,i,y}`. A scenario's
demand is the Demand sheet's times the demand factors of its matching Disruptions rows:
:math:`D_{s,i,y} = \phi^{d}_{s,i,y} D_{i,y}`.
A surplus bought to meet a min order stays in stock.
"""

from __future__ import annotations

from models.families.expr import row, total

SYMBOLS = [
    (r"I_{s,i,y}", "closing stock of material i (variable)", "Stock.closing_stock"),
    (r"u_{s,i,y}", "unmet demand (shortage) of material i (variable)", "Shortages.quantity"),
    (r"I^{0}_i", "stock before the first year", "Materials.initial_stock"),
    (r"D_{i,y}", "demand of material i in year y (rows of one material and year add up)",
     "Demand.quantity, material, year"),
    (r"\phi^{d}_{s,i,y}", "product of the matching demand factors (1 where none)", "Disruptions.demand_factor"),
    (r"D_{s,i,y}", "demand in scenario s", "derived"),
    (r"h_i", "holding cost per unit of closing stock per year", "Materials.holding_cost"),
    (r"\lambda_i", "shortage penalty per unit", "Materials.shortage_penalty / Settings.shortage_penalty"),
]


def shortage_bounds(m, s, i, y):
    r""":math:`0 \le u_{s,i,y} \le D_{s,i,y}`."""
    return (0.0, m.data.demand_in(s, i, y))


def supply(m, s, i, y):
    r"""Total supply :math:`S_{s,i,y} = \sum_{o \in O_i} q_{s,y,o} + \sum_{f \in F_i} p_{s,y,f}`."""
    q, p = m.ix.q, m.ix.p
    return total([q[(s, y, o)] for o in m.ix.buys_of.get((s, i, y), ())]
                 + [p[(s, y, f)] for f in m.ix.producers_of.get((i, y), ())])


def balance_rule(m, s, i, y):
    r"""Closing stock = previous + supply - recipe use - met demand:
    :math:`I_{s,i,y} = I_{s,i,y-1} + S_{s,i,y} - \sum_f a_{f,i} p_{s,y,f} - (D_{s,i,y} - u_{s,i,y})`."""
    d = m.data
    stock = m.stock
    demand = d.demand_in(s, i, y)
    q, p = m.ix.q, m.ix.p
    # stock - previous stock - purchases - production + recipe use - shortage = -demand (+ initial stock)
    pairs = [(1, stock[s, i, y])]
    rhs = -demand
    if y == d.first_year:
        rhs += d.initial_stock[i]
    else:
        pairs.append((-1, stock[s, i, y - 1]))
    pairs += [(-1, q[(s, y, o)]) for o in m.ix.buys_of.get((s, i, y), ())]
    pairs += [(-1, p[(s, y, f)]) for f in m.ix.producers_of.get((i, y), ())]
    pairs += [(qpu, p[(s, y, f)]) for f, qpu in m.ix.consumers_of.get((y, i), ())]
    if demand > 0:
        pairs.append((-1, m.short[s, i, y]))
    return row(m, pairs, "==", rhs)


def stock_index(d):
    return [(s, i, y) for s in d.scenarios for i in d.materials for y in d.years]


def shortage_index(d):
    return [(s, i, y) for s in d.scenarios for (i, y) in d.demand]
