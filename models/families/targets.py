"""The policy registry: per target column of the Policies sheet, everything the code knows about it.

One :class:`Target` per column, read by

- :mod:`models.build`: the constraint component, its index (the rows where the target can bind)
  and its rule, declared in this order;
- :mod:`models.analysis.groups`, :mod:`models.analysis.marginals` and
  :mod:`models.analysis.diagnosis`: what one unit of the target is a share of (``basis``), which
  way tightening goes, whether the value is a share (priced per percentage point too), whether
  it is priced at all, and what a plan realises of it;
- :mod:`models.analysis.resolve`: which component to re-make when a resolved value changes;
- docs/build_formulation.py: the table of targets in docs/formulation.md.

A new target is a column in the manifest (planner.schema.manifest), one entry here, and its
index, rule and realised value in :mod:`models.families.policies`; a target whose basis is
supply also needs its dilution ratio in the big-Ms (``models.params.supply.DILUTION``).
tests/models/test_targets.py holds the manifest, this table, the built model and the big-Ms to
each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from models.families import policies as P

Basis = Literal["supply", "demand", "count"]


@dataclass(frozen=True)
class Target:
    column: str  # the Policies column
    family: str  # the model's constraint component (m.<family>)
    rule: Callable  # the row rule, (m, *index) -> relation
    index: Callable  # (ModelData, Lookups) -> the indices where the target can bind
    realised: Callable  # (m, s, i, y) -> what the current plan realises, in the units of the value
    #: what one unit of the value stands for: a share of total supply, of demand, or a count
    basis: Basis
    #: the value is a share (the Marginal values sheet also gives a value per percentage point)
    share: bool
    #: when rows are made (the index function, in words)
    binds: str
    #: rows compare with the total-supply variable S (only where such a cap exists is S a variable)
    total_supply: bool = False
    #: rows per member of the material's supply (one per foreign country, one per supplier), named
    #: in the marginal value's note when they bind
    per: str = ""
    #: the infeasibility diagnosis' sentence when the target cannot be met ({what}: the target and
    #: its row; {reach}: what the smallest relaxation reaches; {target}: the value as written)
    unmet: str = "{what} cannot be met: the least reachable is {reach}; the target is {target}."

    @property
    def tightening_lowers(self) -> bool:
        """A cap (``max_*``) is tightened by lowering it, a minimum (``min_*``) by raising it."""
        return not self.column.startswith("min_")

    @property
    def priced(self) -> bool:
        """Marginal values price it: a whole-number target over contracts the LP holds fixed is not."""
        return self.basis != "count"


#: In the order the model declares the constraints (HiGHS' row order: keep it).
TARGETS: tuple[Target, ...] = (
    Target("max_country_share", "country_share", P.country_share_rule, P.country_share_index,
           P.country_share_realised, "supply", True, "value < 1; a row per foreign country supplying the material",
           total_supply=True, per="country"),
    Target("max_supplier_share", "supplier_share", P.supplier_share_rule, P.supplier_share_index,
           P.supplier_share_realised, "supply", True, "value < 1; a row per supplier of the material",
           total_supply=True, per="supplier"),
    Target("max_avg_risk", "avg_risk", P.avg_risk_rule, P.avg_risk_index, P.avg_risk_realised, "supply", False,
           "some source of the material is riskier than the value"),
    Target("min_green_share", "green_share", P.green_share_rule, P.green_share_index, P.green_share_realised,
           "supply", True, "value > 0 and some source of the material is not green",
           unmet="{what} can reach at most {reach} with the green suppliers and facilities; the target is {target}."),
    Target("max_carbon_intensity", "carbon_intensity", P.carbon_intensity_rule, P.carbon_intensity_index,
           P.carbon_intensity_realised, "supply", False, "some source of the material emits more than the value"),
    Target("min_domestic_share", "domestic_share", P.domestic_share_rule, P.domestic_share_index,
           P.domestic_share_realised, "demand", True, "value x demand > 0",
           unmet="{what} can reach at most {reach} with the existing and candidate facilities (their modules, lead "
                 "times and financing); the target is {target}."),
    Target("max_non_allied_share", "non_allied_share", P.non_allied_share_rule, P.non_allied_share_index,
           P.non_allied_share_realised, "supply", True, "value < 1 and some offer of the material is non-allied",
           total_supply=True),
    Target("min_suppliers", "min_suppliers", P.min_suppliers_rule, P.min_suppliers_index, P.min_suppliers_realised,
           "count", False, "value > 0 (one row per material, horizon-wide)",
           unmet="{what}: at most {reach} offers can be contracted; the target is {target}."),
    Target("min_stock_share", "min_stock", P.min_stock_rule, P.min_stock_index, P.min_stock_realised, "demand", True,
           "value x demand > 0",
           unmet="{what}: closing stock can reach at most {reach} of demand; the target is {target}."),
    Target("max_shortage_share", "max_shortage", P.max_shortage_rule, P.max_shortage_index,
           P.max_shortage_realised, "demand", True, "value < 1 and the material has demand that year",
           unmet="{what} (service level): unmet demand cannot go below {reach} of demand with the capacities "
                 "available; the target is {target}."),
)

BY_COLUMN: dict[str, Target] = {t.column: t for t in TARGETS}
BY_FAMILY: dict[str, Target] = {t.family: t for t in TARGETS}


def indices(d, ix) -> dict[str, list]:
    """The index of every target's component (only where it can bind), and of ``S``, the total
    supply, as a variable only where a cap compares with it."""
    out = {t.family: t.index(d, ix) for t in TARGETS}
    referred = {k[:3] for t in TARGETS if t.total_supply for k in out[t.family]}
    out["S"] = sorted(referred, key=str)
    return out
