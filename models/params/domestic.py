"""Domestic-side sets and parameters: facilities, builds, recipes, financing.

Builds (f, y) exist only for start years whose modules would produce inside the
horizon (y >= earliest_year, y + build_years <= last year); production (f, t) only
where some module could produce. Lifetime shares and financing present-value
factors follow docs/decisions.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.schema.dataset import Dataset

from models.params.tables import blank, col, excel_rows, num


@dataclass
class DomesticData:
    facilities: list[str] = field(default_factory=list)
    material: dict[str, str] = field(default_factory=dict)
    module_capacity: dict[str, float] = field(default_factory=dict)
    max_modules: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    #: Facilities.min_modules, only where it asks for more than the existing modules
    min_modules: dict[str, int] = field(default_factory=dict)
    capex: dict[str, float] = field(default_factory=dict)
    fixed_opex: dict[str, float] = field(default_factory=dict)
    unit_cost: dict[str, float] = field(default_factory=dict)
    build_years: dict[str, int] = field(default_factory=dict)
    carbon: dict[str, float] = field(default_factory=dict)
    green: dict[str, bool] = field(default_factory=dict)
    #: production-linked incentive per unit: pli_subsidy + pli_rate x pli_reference_price
    pli: dict[str, float] = field(default_factory=dict)
    #: facility -> (first, last) year PLI is paid (the horizon's ends where blank)
    pli_years: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: facility -> most PLI paid in a year, only where capped
    pli_cap: dict[str, float] = field(default_factory=dict)
    #: share of a new module's capacity in its first producing year
    ramp_up: dict[str, float] = field(default_factory=dict)
    risk: dict[str, float] = field(default_factory=dict)
    #: (f, y): modules may start at f in y
    builds: list[tuple[str, int]] = field(default_factory=list)
    #: (f, y) -> share of a module's lifetime producing inside the horizon
    share: dict[tuple[str, int], float] = field(default_factory=dict)
    #: (f, t) -> start years whose modules produce in t; only where f can produce in t
    producing: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    #: facility -> [(input material, quantity per unit)]
    recipes: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    #: input material -> [(facility, quantity per unit)]
    consumers: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    # financing
    has_financing: bool = False
    sources: list[str] = field(default_factory=list)
    limit: dict[str, float] = field(default_factory=dict)
    fee: dict[str, float] = field(default_factory=dict)
    min_draw: dict[str, float] = field(default_factory=dict)
    pv_factor: dict[str, float] = field(default_factory=dict)
    #: (k, f, y): source k may fund builds at f started in y
    draws: list[tuple[str, str, int]] = field(default_factory=list)
    #: sources needing a use binary (arrangement fee or minimum draw)
    use_bin: list[str] = field(default_factory=list)
    #: Excel rows the facilities and sources were read from (None: not from a sheet), for messages
    facility_row: dict[str, int | None] = field(default_factory=dict)
    source_row: dict[str, int | None] = field(default_factory=dict)


def lifetime_share(last_year: int, start: int, build_years: int, lifetime: int) -> float:
    """min(1, max(0, last_year - (start + build_years) + 1) / lifetime)."""
    return min(1.0, max(0, last_year - (start + build_years) + 1) / lifetime)


def pv_factor(kind: str, rate: float, tenor: int, discount: float, grace: int = 0, fee: float = 0.0) -> float:
    """PV, at the draw year, of repaying one unit drawn (SPEC §1 Financing, §4 Levers).

    Years j = 1..tenor after the draw: interest only (``rate``) in the first ``grace`` years, then
    a level annuity at ``rate`` over the remaining ``tenor - grace`` years; in every year a
    guarantee ``fee`` on the balance outstanding at its start. Every payment counts (also after
    the horizon), discounted at the planning rate. Tenor 0: paid in the draw year (1). A grant
    costs 0; a budget source is rate 0, tenor 0 (1).
    """
    if kind == "grant":
        return 0.0
    if kind == "budget" or tenor <= 0:
        return 1.0
    grace = min(max(grace, 0), tenor - 1)
    left = tenor - grace
    annuity = rate / (1.0 - (1.0 + rate) ** -left) if rate > 0 else 1.0 / left
    pv, balance = 0.0, 1.0
    for j in range(1, tenor + 1):
        interest = rate * balance
        payment = interest if j <= grace else annuity
        pv += (payment + fee * balance) * (1.0 + discount) ** -j
        balance -= payment - interest
    return pv


def build(dataset: Dataset, years: list[int], df: dict[int, float], discount: float) -> DomesticData:
    d = DomesticData()
    fac = dataset["Facilities"]
    first, last = years[0], years[-1]
    lifetime: dict[str, int] = {}
    earliest: dict[str, int] = {}
    _incentives(d, fac, first, last)
    for (f, m, mc, mx, ex, cx, fo, uc, by, ey, ci, gr, pl, rk, lt, rate, ref) in zip(
            col(fac, "facility"), col(fac, "material"), col(fac, "module_capacity"), col(fac, "max_modules"),
            col(fac, "existing_modules"), col(fac, "capex_per_module"), col(fac, "fixed_opex_per_module"),
            col(fac, "unit_cost"), col(fac, "build_years"), col(fac, "earliest_year"),
            col(fac, "carbon_intensity"), col(fac, "green"), col(fac, "pli_subsidy"), col(fac, "risk"),
            col(fac, "lifetime_years"), col(fac, "pli_rate"), col(fac, "pli_reference_price")):
        d.facilities.append(f)
        d.material[f], d.module_capacity[f] = m, num(mc)
        d.max_modules[f], d.existing[f] = int(num(mx)), int(num(ex))
        d.capex[f], d.fixed_opex[f], d.unit_cost[f] = num(cx), num(fo), num(uc)
        d.build_years[f] = int(by)  # blank cells hold the manifest's default (planner.schema.records)
        d.carbon[f], d.green[f], d.pli[f], d.risk[f] = num(ci), bool(gr), num(pl), float(rk)
        d.pli[f] += num(rate) * num(ref)
        lifetime[f] = max(1, int(lt))
        earliest[f] = first if blank(ey) else int(ey)

    d.facility_row = dict(zip(col(fac, "facility"), excel_rows(fac)))
    d.ramp_up = {f: float(r) for f, r in zip(col(fac, "facility"), col(fac, "ramp_up"))}
    for f, least in zip(col(fac, "facility"), col(fac, "min_modules")):
        if int(num(least)) > d.existing[f]:
            d.min_modules[f] = int(num(least))
    for f in d.facilities:
        if d.max_modules[f] > d.existing[f]:
            starts = [y for y in years if y >= earliest[f] and y + d.build_years[f] <= last]
            d.builds.extend((f, y) for y in starts)
            d.share.update({(f, y): lifetime_share(last, y, d.build_years[f], lifetime[f]) for y in starts})
    starts_of = defaultdict(list)
    for f, y in d.builds:
        starts_of[f].append(y)
    for f in d.facilities:
        # a zero-capacity module still "produces" (pays fixed opex); models.families.capacity
        # gives it no production variable
        for t in years:
            producing = [y for y in starts_of[f] if y + d.build_years[f] <= t]
            if d.existing[f] > 0 or producing:
                d.producing[(f, t)] = producing

    rec = dataset["Recipes"]
    for f, m_in, qpu in zip(col(rec, "facility"), col(rec, "input_material"), col(rec, "quantity_per_unit")):
        if f in d.material and num(qpu) > 0:
            d.recipes.setdefault(f, []).append((m_in, float(qpu)))
            d.consumers.setdefault(m_in, []).append((f, float(qpu)))

    _financing(d, dataset["Financing"], discount)
    return d


def _incentives(d: DomesticData, fac, first: int, last: int) -> None:
    """The years PLI is paid and its yearly cap (SPEC §4 Levers); the amount per unit is ``d.pli``."""
    for f, lo, hi, cap in zip(col(fac, "facility"), col(fac, "pli_from_year"), col(fac, "pli_to_year"),
                              col(fac, "pli_cap")):
        d.pli_years[f] = (first if blank(lo) else int(lo), last if blank(hi) else int(hi))
        if not blank(cap):
            d.pli_cap[f] = float(cap)


def pli_paid(d: DomesticData, f: str, year: int) -> float:
    """PLI per unit produced at ``f`` in ``year`` (0 outside its years)."""
    lo, hi = d.pli_years.get(f, (year, year))
    return d.pli.get(f, 0.0) if lo <= year <= hi else 0.0


def _financing(d: DomesticData, fin, discount: float) -> None:
    """Sources, their PV factors, and the (source, facility, year) draws they may make."""
    if fin is None or len(fin) == 0:
        return
    d.has_financing = True
    d.source_row = dict(zip(col(fin, "source"), excel_rows(fin)))
    available: dict[str, int] = {}
    green_only: dict[str, bool] = {}
    for k, kind, lim, rate, tenor, fee, mind, go, af, grace, guarantee in zip(
            col(fin, "source"), col(fin, "kind"), col(fin, "limit"), col(fin, "annual_rate"),
            col(fin, "tenor_years"), col(fin, "arrangement_fee"), col(fin, "min_draw"), col(fin, "green_only"),
            col(fin, "available_from"), col(fin, "grace_years"), col(fin, "guarantee_fee")):
        d.sources.append(k)
        d.limit[k], d.fee[k], d.min_draw[k] = num(lim), num(fee), num(mind)
        d.pv_factor[k] = pv_factor(kind, num(rate), int(num(tenor)), discount, int(num(grace)), num(guarantee))
        available[k] = -10**9 if blank(af) else int(af)
        green_only[k] = bool(go)
    d.draws = [(k, f, y) for (f, y) in d.builds if d.capex[f] > 0 for k in d.sources
               if y >= available[k] and (d.green[f] or not green_only[k]) and d.limit[k] > 0]
    used = {k for k, _f, _y in d.draws}
    d.use_bin = [k for k in d.sources if k in used and (d.fee[k] > 0 or d.min_draw[k] > 0)]


#: A required module count this close above a whole number rounds down (floating-point noise;
#: a smaller count only weakens the module floor, so it stays valid).
ROUNDING_TOL = 1e-6


def module_floor(d, i: str, t: int, scenario: str | None = None) -> int:
    """Whole modules producing ``i`` in ``t`` that its domestic-share targets need (``d`` a
    ModelData; models.families.capacity.module_floor_rule): ceil(max_s share x its demand / the largest
    module of a facility that can make i in t), or of ``scenario``'s alone; 0 without a target or a
    producer."""
    dd = d.domestic
    caps = [dd.module_capacity[f] for f in dd.material if dd.material[f] == i and (f, t) in dd.producing
            and dd.module_capacity[f] > 0]
    need = max((share * d.demand_in(s, i, t) for (mi, y, s), share in d.policy.get("min_domestic_share").items()
                if mi == i and y == t and scenario in (None, s)), default=0.0)
    if not caps or need <= 0:
        return 0
    return max(0, math.ceil(need / max(caps) - ROUNDING_TOL))
