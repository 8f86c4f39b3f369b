"""The units the solver works in: a quantity unit per material and one money unit.

The workbook may count a material in tonnes or kilograms and money in dollars or thousands
of dollars; the model itself is written in those units. HiGHS, though, does best when the
values it handles are of order one to a few hundred (models.highs.scaling), so the hand-off
measures each material's quantities in units of :math:`Q_i` and money in units of :math:`M`,
both powers of two derived here from the data:

- :math:`Q_i` near a 16th of the material's typical yearly quantity: its peak demand, else
  what the facilities using it as an input could consume at full capacity, else what its
  producers could make, else its largest offer capacity;
- :math:`M` near a 16th of the typical capex of a module, else of a financing limit, else of
  a one-off cost (qualification, contract), else 1.

Nothing here changes the model's meaning: the session converts every value it reads back.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

#: Scaled typical values land near this.
TARGET = 16.0


def power_of_two(value: float) -> float:
    """The power of two nearest ``value`` on a log scale (1 for a value <= 0)."""
    return 2.0 ** round(math.log2(value)) if value > 0 and math.isfinite(value) else 1.0


@dataclass
class Units:
    quantity: dict[str, float] = field(default_factory=dict)  # material -> units of its quantities
    money: float = 1.0


def _median(values) -> float:
    values = [v for v in values if v > 0]
    return statistics.median(values) if values else 0.0


def typical_quantities(materials, demand, supply, domestic) -> dict[str, float]:
    """Per material, the typical yearly quantity (see the module docstring; 0 if nothing says)."""
    out = {i: 0.0 for i in materials}
    for (i, _y), qty in demand.items():
        out[i] = max(out[i], qty)
    need: dict[str, float] = {}
    make: dict[str, float] = {}
    for f, inputs in domestic.recipes.items():
        full = domestic.module_capacity[f] * domestic.max_modules[f]
        for i, qpu in inputs:
            need[i] = need.get(i, 0.0) + qpu * full
    for f, i in domestic.material.items():
        make[i] = max(make.get(i, 0.0), domestic.module_capacity[f] * domestic.max_modules[f])
    offered: dict[str, float] = {}
    for key, cap in supply.buy_cap.items():
        i = supply.material[key[2]]
        offered[i] = max(offered.get(i, 0.0), cap)
    for i in materials:
        for fallback in (need, make, offered):
            if out[i] > 0:
                break
            out[i] = fallback.get(i, 0.0)
    return out


def derive(materials, demand, supply, domestic) -> Units:
    """The units of a model (see the module docstring)."""
    typical = typical_quantities(materials, demand, supply, domestic)
    quantity = {i: power_of_two(q / TARGET) for i, q in typical.items()}
    money = 0.0
    for values in ((domestic.capex[f] for f, _y in domestic.builds),
                   (domestic.limit[k] for k in domestic.sources),
                   [*supply.sup_qual_cost.values(), *supply.contract_cost.values()]):
        money = _median(values)
        if money > 0:
            break
    return Units(quantity, power_of_two(money / TARGET))
