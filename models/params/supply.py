"""Supply-side sets and parameters: offers, landed costs, disruptions, big-Ms.

Offers of sanctioned countries get no index at all. A purchase index (s, y, o)
exists only if the offer is available in y and its effective capacity in (s, y)
is positive (docs/decisions.md "Disruptions and capacity").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planner.schema.dataset import Dataset
from planner.schema.tariffs import Tariffs, rows_of

from models.params.tables import blank, col, excel_rows, num, opt

Buy = tuple[str, int, int]  # (scenario, year, offer)


@dataclass
class SupplyData:
    # every offer row (for the default shortage penalty)
    all_offer_material: list[str] = field(default_factory=list)
    all_offer_landed: list[float] = field(default_factory=list)
    # modelled (non-sanctioned) offers, by offer number o
    offers: list[int] = field(default_factory=list)
    supplier: dict[int, str] = field(default_factory=dict)
    material: dict[int, str] = field(default_factory=dict)
    country: dict[int, str] = field(default_factory=dict)
    unit_cost: dict[int, float] = field(default_factory=dict)
    tariff: dict[int, float] = field(default_factory=dict)
    #: (year, offer) -> (ad valorem, specific duty, minimum import price) where a Tariffs row applies
    duty: dict[tuple[int, int], tuple[float, float, float]] = field(default_factory=dict)
    freight: dict[int, float] = field(default_factory=dict)
    carbon: dict[int, float] = field(default_factory=dict)
    min_order: dict[int, float] = field(default_factory=dict)
    contract_cost: dict[int, float] = field(default_factory=dict)
    #: offers with Offers.must_contract true
    must_contract: set[int] = field(default_factory=set)
    #: first year the offer can deliver: its available_from, and for a supplier the plan must
    #: qualify, first_year + Suppliers.qualification_years
    available_from: dict[int, int] = field(default_factory=dict)
    #: the offer's own available_from (blank: first_year)
    listed_from: dict[int, int] = field(default_factory=dict)
    #: supplier -> years from qualifying to its first delivery (0 for one already qualified)
    delay: dict[str, int] = field(default_factory=dict)
    risk: dict[int, float] = field(default_factory=dict)
    green: dict[int, bool] = field(default_factory=dict)
    non_allied: dict[int, bool] = field(default_factory=dict)
    foreign: dict[int, bool] = field(default_factory=dict)
    # suppliers
    sup_capacity: dict[str, float | None] = field(default_factory=dict)
    sup_qual_cost: dict[str, float] = field(default_factory=dict)
    sup_country: dict[str, str] = field(default_factory=dict)
    #: Offers.capacity as written (None: blank, the supplier's capacity applies), by offer
    capacity: dict[int, float | None] = field(default_factory=dict)
    #: Excel rows the offers and suppliers were read from (None: not from a sheet), for messages
    offer_row: dict[int, int | None] = field(default_factory=dict)
    sup_row: dict[str, int | None] = field(default_factory=dict)
    # disruption factors, only where != 1, keyed (scenario, year, offer)
    cap_factor: dict[Buy, float] = field(default_factory=dict)
    price_factor: dict[Buy, float] = field(default_factory=dict)
    # purchase index and its parameters
    buy: list[Buy] = field(default_factory=list)
    buy_cap: dict[Buy, float] = field(default_factory=dict)  # only finite capacities
    min_req: dict[Buy, float] = field(default_factory=dict)  # min_order x capacity factor, > 0
    big_m: dict[Buy, float] = field(default_factory=dict)
    #: offers that must stay uncontracted (a min order they can never deliver)
    blocked: set[int] = field(default_factory=set)
    contract_bin: list[int] = field(default_factory=list)
    qual_bin: list[str] = field(default_factory=list)

    def price(self, key: Buy) -> float:
        """Unit price before duty: max(unit_cost x price_factor, min_import_price)."""
        o = key[2]
        paid = self.unit_cost[o] * self.price_factor.get(key, 1.0)
        duty = self.duty.get((key[1], o))
        return max(paid, duty[2]) if duty else paid

    def duties(self, key: Buy) -> float:
        """Duty per unit: price x ad valorem (the Tariffs row's, else the country's) + specific duty."""
        duty = self.duty.get((key[1], key[2]))
        if duty is None:
            return self.price(key) * self.tariff[key[2]]
        return self.price(key) * duty[0] + duty[1]

    def landed(self, key: Buy) -> float:
        """max(unit_cost x price_factor, min_import_price) x (1 + ad valorem) + specific duty + freight
        (SPEC §4 Tariffs; docs/decisions.md "Price factor")."""
        return self.price(key) + self.duties(key) + self.freight[key[2]]


def build(dataset: Dataset, years: list[int], scenarios: list[str], materials: set[str]) -> SupplyData:
    d = SupplyData()
    ctry = dataset["Countries"]
    c_tariff = dict(zip(col(ctry, "country"), (num(t) for t in col(ctry, "tariff"))))
    c_risk = dict(zip(col(ctry, "country"), (num(t) for t in col(ctry, "risk"))))
    c_allied = dict(zip(col(ctry, "country"), col(ctry, "allied")))
    c_sanct = dict(zip(col(ctry, "country"), col(ctry, "sanctioned")))
    home = str(dataset.settings["home_country"])

    sup = dataset["Suppliers"]
    s_ids = col(sup, "supplier")
    d.sup_country = dict(zip(s_ids, col(sup, "country")))
    d.sup_capacity = dict(zip(s_ids, (opt(v) for v in col(sup, "capacity"))))
    qualified = dict(zip(s_ids, col(sup, "qualified")))
    # an already qualified supplier costs nothing to qualify and delivers at once
    d.sup_qual_cost = {u: 0.0 if qualified[u] else num(v) for u, v in zip(s_ids, col(sup, "qualification_cost"))}
    d.delay = {u: 0 if qualified[u] else int(num(v)) for u, v in zip(s_ids, col(sup, "qualification_years"))}
    d.sup_row = dict(zip(s_ids, excel_rows(sup)))
    s_risk = dict(zip(s_ids, (num(v) for v in col(sup, "risk"))))
    s_green = dict(zip(s_ids, col(sup, "green_certified")))

    off = dataset["Offers"]
    first = years[0]
    tariffs = Tariffs(rows_of(dataset["Tariffs"]))
    offer_cap: dict[int, float | None] = {}
    rows = excel_rows(off)
    for o, (u, m, uc, cap, fr, ci, mo, cc, af, must) in enumerate(zip(
            col(off, "supplier"), col(off, "material"), col(off, "unit_cost"), col(off, "capacity"),
            col(off, "freight_cost"), col(off, "carbon_intensity"), col(off, "min_order"),
            col(off, "contract_cost"), col(off, "available_from"), col(off, "must_contract"))):
        c = d.sup_country.get(u, "")
        tariff = c_tariff.get(c, 0.0)
        # the Tariffs sheet holds import measures: a home supplier's sales are not imports
        duty = _duties(tariffs, c, m, years, tariff) if tariffs and c != home else {}
        d.all_offer_material.append(m)
        # the highest landed cost over the horizon (no price factor): it prices a shortage
        untaxed = [float(uc) * (1.0 + tariff)] if len(duty) < len(years) else []
        d.all_offer_landed.append(max(untaxed + [max(float(uc), floor) * (1.0 + av) + spec
                                                 for av, spec, floor in duty.values()]) + num(fr))
        if c_sanct.get(c, False) or m not in materials:
            continue  # a sanctioned country's offers get no variables at all
        d.offers.append(o)
        d.supplier[o], d.material[o], d.country[o] = u, m, c
        d.unit_cost[o], d.tariff[o], d.freight[o] = float(uc), tariff, num(fr)
        d.carbon[o], d.min_order[o], d.contract_cost[o] = num(ci), num(mo), num(cc)
        d.listed_from[o] = first if blank(af) else int(af)
        d.available_from[o] = max(d.listed_from[o], first + d.delay.get(u, 0))
        d.duty.update({(y, o): v for y, v in duty.items()})
        if must:
            d.must_contract.add(o)
        d.risk[o] = 1.0 - (1.0 - c_risk.get(c, 0.0)) * (1.0 - s_risk.get(u, 0.0))
        d.green[o] = bool(s_green.get(u, False))
        d.foreign[o] = c != home
        d.non_allied[o] = c != home and not bool(c_allied.get(c, False))
        # effective base capacity: the offer's, else the supplier's, else unlimited
        cap_o = opt(cap)
        d.capacity[o], d.offer_row[o] = cap_o, rows[o]
        offer_cap[o] = cap_o if cap_o is not None else d.sup_capacity.get(u)

    _disruptions(d, dataset["Disruptions"], years, set(scenarios))
    _purchase_index(d, offer_cap, years, scenarios)
    return d


def _duties(tariffs: Tariffs, country: str, material: str, years: list[int],
             tariff: float) -> dict[int, tuple[float, float, float]]:
    """Per year where a Tariffs row applies: (ad valorem, specific duty, minimum import price); the
    country's tariff where no row sets the ad valorem."""
    out = {}
    for y in years:
        at = tariffs.at(country, material, y)
        if at:
            out[y] = (at.get("ad_valorem", tariff), at.get("specific_duty", 0.0), at.get("min_import_price", 0.0))
    return out


def set_binaries(d: SupplyData, min_suppliers: dict[str, int]) -> None:
    """Contract binaries only where needed, qualification binaries only where they cost.

    z[o]: the offer has a contract cost, a min order, or its material a min_suppliers policy; or
    it must be contracted (then also when it can deliver nothing: a contract it pays for).
    w[u]: the supplier has a qualification cost (a free qualification needs no decision).
    """
    live = {key[2] for key in d.buy}
    d.contract_bin = [o for o in d.offers if o in live and (
        d.contract_cost[o] > 0 or d.min_order[o] > 0 or d.material[o] in min_suppliers) or o in d.must_contract]
    contracted = live | d.must_contract
    d.qual_bin = sorted({d.supplier[o] for o in contracted if d.sup_qual_cost.get(d.supplier[o], 0.0) > 0})


def _disruptions(d: SupplyData, dis, years: list[int], scenarios: set[str]) -> None:
    """Multiply capacity and price factors of every matching (scenario, year, offer)."""
    if dis is None or len(dis) == 0:
        return
    by_country, by_supplier, by_material = defaultdict(set), defaultdict(set), defaultdict(set)
    for o in d.offers:
        by_country[d.country[o]].add(o)
        by_supplier[d.supplier[o]].add(o)
        by_material[d.material[o]].add(o)
    every = set(d.offers)
    for s, c, u, m, fy, ty, cf, pf in zip(col(dis, "scenario"), col(dis, "country"), col(dis, "supplier"),
                                          col(dis, "material"), col(dis, "from_year"), col(dis, "to_year"),
                                          col(dis, "capacity_factor"), col(dis, "price_factor")):
        if s not in scenarios:
            continue
        hit = every
        for value, index in ((c, by_country), (u, by_supplier), (m, by_material)):
            if not blank(value):
                hit = hit & index.get(value, set())
        lo = years[0] if blank(fy) else int(fy)
        hi = years[-1] if blank(ty) else int(ty)
        cf, pf = float(cf), float(pf)  # blank: the manifest defaults (1), applied in the Dataset
        for y in (y for y in years if lo <= y <= hi):
            for o in hit:
                key = (s, y, o)
                if cf != 1.0:
                    d.cap_factor[key] = d.cap_factor.get(key, 1.0) * cf
                if pf != 1.0:
                    d.price_factor[key] = d.price_factor.get(key, 1.0) * pf


def _purchase_index(d: SupplyData, offer_cap: dict[int, float | None], years: list[int],
                    scenarios: list[str]) -> None:
    """(s, y, o) where the offer delivers and its effective capacity is > 0; min-order requirements."""
    cap_factor = d.cap_factor
    for o in d.offers:
        base = offer_cap[o]
        sup_cap = d.sup_capacity.get(d.supplier[o])
        dead = (base is not None and base <= 0) or (sup_cap is not None and sup_cap <= 0)
        mo = d.min_order[o]
        for s in scenarios:
            for y in years:
                if y < d.available_from[o]:
                    continue
                key = (s, y, o)
                cf = cap_factor.get(key, 1.0)
                req = mo * cf
                if dead or cf <= 0:
                    if req > 0:
                        d.blocked.add(o)  # contracted, it would owe a delivery it cannot make
                    continue
                d.buy.append(key)
                if base is not None:
                    d.buy_cap[key] = base * cf
                if req > 0:
                    d.min_req[key] = req
    if d.blocked:
        # a contract it could not honour is impossible, so the offer can never be bought from
        d.buy = [key for key in d.buy if key[2] not in d.blocked]
        d.buy_cap = {k: v for k, v in d.buy_cap.items() if k[2] not in d.blocked}
        d.min_req = {k: v for k, v in d.min_req.items() if k[2] not in d.blocked}


def set_big_m(d: SupplyData, demand, domestic, policy, years: list[int], materials: list[str]) -> None:
    """Big-M of each purchase: its capacity if finite, else a demand-derived bound (both capped
    by that bound, and raised to the min order).

    Bound U(m, y) on useful purchases of m in y: all demand of m from y to the end, plus the
    most the facilities could consume of m as an input over those years, plus the largest
    strategic-stock requirement. Valid because purchase costs are >= 0: any purchase above
    U(m, y) only adds closing stock that no later year needs, so cutting it keeps every
    balance, stock and shortage constraint and does not raise cost. With ratio policies
    (shares of total supply) extra supply may be needed to dilute forced volumes (min orders,
    minimum domestic production); U then adds forced volume x the policies' dilution ratio.
    """
    last = years[-1]
    recipe_max = defaultdict(float)
    for f, inputs in domestic.recipes.items():
        yearly = domestic.module_capacity[f] * domestic.max_modules[f]
        for m_in, qpu in inputs:
            recipe_max[m_in] += qpu * yearly
    stock_req = defaultdict(float)
    for (m, y, _s), share in policy.get("min_stock_share").items():
        stock_req[m] = max(stock_req[m], share * demand.get((m, y), 0.0))
    forced = defaultdict(float)
    for o in d.offers:
        forced[d.material[o]] += d.min_order[o]
    dilution = _dilution(d, domestic, policy)
    bound: dict[tuple[str, int], float] = {}
    for m in materials:
        tail = 0.0
        for y in reversed(years):
            tail += demand.get((m, y), 0.0) + recipe_max[m]
            extra = 0.0
            if dilution.get(m, 0.0) > 0:
                extra = dilution[m] * (forced[m] + max(demand.get((m, t), 0.0) for t in range(y, last + 1)))
            bound[(m, y)] = tail + stock_req[m] + extra * (last - y + 1)
    for key in d.buy:
        u = bound[(d.material[key[2]], key[1])]
        cap = d.buy_cap.get(key)
        m_val = u if cap is None else min(cap, u)
        d.big_m[key] = max(m_val, d.min_req.get(key, 0.0))


def _cap_ratio(v: float, _lo: float, _hi: float) -> float:
    """A cap v on a share: each forced unit may need (1 - v) / v units of other supply."""
    return (1 - v) / v if v > 0 else 0.0


def _least_ratio(g: float, _lo: float, _hi: float) -> float:
    """A least share g: each forced unit (not counting) may need g / (1 - g) units that count."""
    return g / (1 - g) if g < 1 else 0.0


def _average_ratio(v: float, lo: float, hi: float) -> float:
    """A cap v on a supply-weighted average of source values in [lo, hi]: (hi - v) / (v - lo)."""
    return (hi - v) / (v - lo) if v > lo else 0.0


#: Targets on a share of total supply (models.families.targets, basis "supply") -> their dilution
#: ratio, given the value and the least and largest value of the averaged attribute over the
#: material's sources ("risk", "carbon"; None: not an average). In the order the ratios are added.
DILUTION = {"max_country_share": (_cap_ratio, None), "max_supplier_share": (_cap_ratio, None),
            "max_non_allied_share": (_cap_ratio, None), "min_green_share": (_least_ratio, None),
            "max_avg_risk": (_average_ratio, "risk"), "max_carbon_intensity": (_average_ratio, "carbon")}


def _dilution(d: SupplyData, domestic, policy) -> dict[str, float]:
    """Per material, how many units of other supply one forced unit may need (sum over ratio policies)."""
    out: dict[str, float] = defaultdict(float)
    sources = {"risk": defaultdict(list), "carbon": defaultdict(list)}
    for o in d.offers:
        sources["risk"][d.material[o]].append(d.risk[o])
        sources["carbon"][d.material[o]].append(d.carbon[o])
    for f, m in domestic.material.items():
        sources["risk"][m].append(domestic.risk[f])
        sources["carbon"][m].append(domestic.carbon[f])
    worst: dict[tuple[str, str], float] = {}
    for c, (ratio, attribute) in DILUTION.items():
        for (m, _y, _s), v in policy.get(c).items():
            values = sources[attribute].get(m, [0.0]) if attribute else [0.0]
            worst[(c, m)] = max(worst.get((c, m), 0.0), ratio(v, min(values), max(values)))
    for (_c, m), r in worst.items():
        out[m] += r
    return out
