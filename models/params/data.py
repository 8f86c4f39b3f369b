"""Sets and parameters of the model, derived from a validated Dataset.

Pure Python/pandas (no Pyomo): everything here can be tested on its own. Index
sets are sparse lists of tuples built with comprehensions over table columns
(never the full cross product, never ``iterrows``). Offers are numbered
``0..n-1`` in Offers-sheet order; facilities, suppliers, materials, scenarios
and sources keep their ids.

The supply side (offers, disruptions, big-Ms) lives in :mod:`models.params.supply`,
the domestic side (builds, financing) in :mod:`models.params.domestic`, policy
resolution in :mod:`models.params.policies`; this module assembles them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.schema.dataset import Dataset

from models.params import domestic as data_domestic, policies as data_policies, supply as data_supply, units as data_units
from models.params.scenarios import divergence_years, own_from, reference, signed_from
from models.params.tables import blank, col, num

#: Fallback shortage penalty when nothing else prices a material (SPEC Settings).
FALLBACK_PENALTY = 1_000_000.0


@dataclass
class ModelData:
    """Everything the Pyomo model needs, as plain dicts and lists."""

    # horizon and scenarios
    years: list[int]
    first_year: int
    last_year: int
    df: dict[int, float]
    scenarios: list[str]
    prob: dict[str, float]
    settings: dict[str, Any]
    # materials and demand
    materials: list[str]
    #: demand as the Demand sheet gives it; a scenario's is :meth:`demand_in`
    demand: dict[tuple[str, int], float]
    initial_stock: dict[str, float]
    holding_cost: dict[str, float]
    penalty: dict[str, float]
    home_country: str
    supply: data_supply.SupplyData = field(repr=False)
    domestic: data_domestic.DomesticData = field(repr=False)
    policy: data_policies.PolicyData = field(repr=False)
    #: Settings nonanticipative, and each scenario's first diverging year (models.params.scenarios)
    nonanticipative: bool = False
    divergence: dict[str, float] = field(default_factory=dict)
    #: the units HiGHS measures quantities and money in (models.params.units)
    units: data_units.Units = field(default_factory=data_units.Units)
    #: (scenario, material, year) -> product of the matching Disruptions demand factors, where not 1
    demand_factor: dict[tuple[str, str, int], float] = field(default_factory=dict)
    #: Settings recourse_builds (models.families.recourse): per scenario other than the reference, the
    #: first year its builds and draws are its own; per scenario, the year it may sign late contracts
    recourse: bool = False
    own_from: dict[str, float] = field(default_factory=dict)
    signed_from: dict[str, float] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """The scenario that diverges last (models.params.scenarios.reference)."""
        return reference(self.divergence, self.scenarios)

    def demand_in(self, s: str, i: str, y: int) -> float:
        """Demand of material i in year y in scenario s: the Demand sheet's x Disruptions.demand_factor."""
        return self.demand.get((i, y), 0.0) * self.demand_factor.get((s, i, y), 1.0)

    def peak_demand(self, i: str, y: int) -> float:
        """The largest demand of (i, y) over the scenarios."""
        return max(self.demand_in(s, i, y) for s in self.scenarios)

    @property
    def cvar_weight(self) -> float:
        return float(self.settings.get("cvar_weight") or 0.0)

    @property
    def cvar_alpha(self) -> float:
        return float(self.settings.get("cvar_alpha") or 0.0)

    @property
    def carbon_price(self) -> float:
        return float(self.settings.get("carbon_price") or 0.0)


def discount_factors(years: list[int], rate: float) -> dict[int, float]:
    """df(y) = (1 + rate)^-(y - first_year)."""
    return {y: (1.0 + rate) ** -(y - years[0]) for y in years}


def build_data(dataset: Dataset) -> ModelData:
    """Derive all sets and parameters from ``dataset``."""
    s = dataset.settings
    years = dataset.years
    df = discount_factors(years, float(s.get("discount_rate") or 0.0))
    scen = dataset["Scenarios"]
    scenarios = [str(x) for x in col(scen, "scenario")]
    prob = dict(zip(scenarios, (float(p) for p in col(scen, "probability"))))

    mats = dataset["Materials"]
    materials = [str(x) for x in col(mats, "material")]
    dem = dataset["Demand"]
    horizon = set(years)
    demand: dict[tuple[str, int], float] = {}
    for m, y, qty in zip(col(dem, "material"), col(dem, "year"), col(dem, "quantity")):
        if int(y) in horizon and qty > 0:
            demand[(m, int(y))] = demand.get((m, int(y)), 0.0) + float(qty)

    factors = demand_factors(dataset["Disruptions"], materials, years, set(scenarios))
    policy = data_policies.resolve(dataset["Policies"], materials, years, scenarios)
    supply = data_supply.build(dataset, years, scenarios, set(materials))
    domestic = data_domestic.build(dataset, years, df, float(s.get("discount_rate") or 0.0))
    data_supply.set_binaries(supply, policy.min_suppliers)
    most: dict[tuple[str, int], float] = {}
    for (_s, i, y), f in factors.items():
        most[(i, y)] = max(most.get((i, y), 1.0), f)
    # the big-Ms bound purchases for the scenario of highest demand
    peak = {k: v * most.get(k, 1.0) for k, v in demand.items()}
    data_supply.set_big_m(supply, peak, domestic, policy, years, materials)

    penalty = _penalties(mats, s.get("shortage_penalty"), supply, domestic)
    divergence = divergence_years(dataset)
    recourse = bool(s.get("recourse_builds")) and len(scenarios) > 1
    return ModelData(
        years=years, first_year=years[0], last_year=years[-1], df=df, scenarios=scenarios, prob=prob,
        settings=dict(s), materials=materials, demand=demand,
        initial_stock={m: num(v) for m, v in zip(materials, col(mats, "initial_stock"))},
        holding_cost={m: num(v) for m, v in zip(materials, col(mats, "holding_cost"))},
        penalty=penalty, home_country=str(s["home_country"]), supply=supply, domestic=domestic, policy=policy,
        nonanticipative=bool(s.get("nonanticipative")), divergence=divergence,
        units=data_units.derive(materials, demand, supply, domestic), demand_factor=factors, recourse=recourse,
        own_from=own_from(divergence, scenarios) if recourse else {},
        signed_from=signed_from(divergence, scenarios) if recourse else {},
    )


def demand_factors(dis, materials: list[str], years: list[int], scenarios: set[str]) -> dict:
    """(scenario, material, year) -> product of the demand factors of the Disruptions rows that
    match (material blank = every material; years from_year..to_year), only where not 1."""
    out: dict[tuple[str, str, int], float] = {}
    if dis is None or len(dis) == 0:
        return out
    for s, m, lo, hi, factor in zip(col(dis, "scenario"), col(dis, "material"), col(dis, "from_year"),
                                    col(dis, "to_year"), col(dis, "demand_factor")):
        factor = float(factor)  # blank: the manifest default 1, applied in the Dataset
        if factor == 1.0 or s not in scenarios:
            continue
        first = years[0] if blank(lo) else int(lo)
        last = years[-1] if blank(hi) else int(hi)
        for i in (materials if blank(m) else [m]):
            for y in years:
                if first <= y <= last:
                    out[(s, i, y)] = out.get((s, i, y), 1.0) * factor
    out = {k: v for k, v in out.items() if v != 1.0}
    return out


def _penalties(mats, setting: Any, supply: data_supply.SupplyData,
               domestic: data_domestic.DomesticData) -> dict[str, float]:
    """Shortage penalty per material (docs/decisions.md, "Default shortage penalty").

    The material's own value, else the Settings value, else 10 x the highest base
    landed unit cost among its offers (sanctioned ones included: they still price
    the material) if positive, else 10 x the highest unit cost of facilities producing it if
    positive, else 1,000,000.
    """
    top_offer: dict[str, float] = {}
    for m, landed in zip(supply.all_offer_material, supply.all_offer_landed):
        top_offer[m] = max(top_offer.get(m, 0.0), landed)
    top_fac: dict[str, float] = {}
    for f, m in domestic.material.items():
        top_fac[m] = max(top_fac.get(m, 0.0), domestic.unit_cost[f])
    out = {}
    for m, own in zip(col(mats, "material"), col(mats, "shortage_penalty")):
        if not blank(own):
            out[m] = float(own)
        elif not blank(setting):
            out[m] = float(setting)
        elif top_offer.get(m, 0.0) > 0:
            out[m] = 10.0 * top_offer[m]
        elif top_fac.get(m, 0.0) > 0:
            out[m] = 10.0 * top_fac[m]
        else:
            out[m] = FALLBACK_PENALTY
    return out
