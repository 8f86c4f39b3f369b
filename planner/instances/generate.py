"""Seeded synthetic planning instances in the SPEC's input format.

``generate_dataset(size, seed)`` builds a :class:`~planner.schema.dataset.Dataset` with the
structure of a real national sourcing plan:

- **Countries**: the home country, one *dominant* country (cheapest, largest, not
  allied, risky, tariffed), allied partner economies, non-allied countries and one
  sanctioned country (medium and up).
- **Materials** in *families*. A mineral family is a concentrate (intermediate) and a
  refined product (final demand); a pharma family is a key starting material (KSM) and
  an intermediate (both intermediates) and an API (final demand). From ``large`` up a
  shared reagent per sector (sulphuric acid, a process solvent) is an input of every
  refinery / pharma park. Final demand grows a few percent a year.
- **Suppliers** with several offers each, supplier (joint) and offer capacities, some
  min_orders, contract costs, late ``available_from`` and qualification costs; the
  dominant country holds a large share of suppliers and capacity.
- **Facilities**: a refinery per mineral family (concentrate -> refined), two pharma
  parks per pharma family (KSM -> intermediate -> API), some domestic mines, recyclers
  and KSM plants; some with existing modules, green ones, PLI subsidies.
- **Financing**: the sovereign budget and, by size, a multilateral loan, a grant, a
  green bond, a bond, PPP and FDI.
- **Policies**: a country-concentration cap (relaxed in the export-ban scenario), a
  risk cap (tighter for rare earths), a green-sourcing target for refined minerals, a
  domestic-share ramp for a few final products, supplier caps, minimum suppliers,
  non-allied caps and a service level for APIs, a strategic stock for some materials.
- **Scenarios**: base, an export ban by the dominant country for part of the horizon,
  and (by size) a targeted ban on rare earths and pharma inputs, a price shock and a
  partner disruption.

Feasible by construction: every material has a *backbone* of three offers in three
distinct allied, never-disrupted-below-0.8 countries, green-certified and low-risk,
without min_order, from suppliers whose joint capacity covers those offers; each
backbone offer can carry 60 % of the material's peak requirement (peak final demand
plus strategic stock, or for an input the consumption of every facility using it at
full capacity). Buying a third of the need from each backbone offer therefore meets
every cap, risk, green, supplier-share, non-allied and service policy in every
scenario; domestic-share targets start only once a module built in the first year
produces, cover at most 35 % of demand, and the target facilities can reach 60 %;
the budget source can fund every module of every facility.

Money is in thousands of US dollars (Settings currency ``kUSD``); gallium and germanium
are traded by the kilogram, everything else by the tonne, so prices, capacities and
capex stay within a few orders of magnitude of each other (solver numerics).

Deterministic: one ``numpy.random.Generator(PCG64(seed))``, draws in a fixed order,
no dependence on set or dict ordering. Construction is vectorised; the national size
is built in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from planner.schema.dataset import Dataset, Source, from_records

FIRST_YEAR = 2026
#: Money is in thousands of US dollars (prices 0.1..a few hundred kUSD per unit, capex per
#: module up to ~1e5 kUSD), which keeps the model's coefficients in a range HiGHS handles well.
CURRENCY = "kUSD"
MONEY = 1e-3  # kUSD per USD
#: Families traded by the kilogram (high value, small volumes).
KG_FAMILIES = ("GA", "GE")
HOME = "HOME"
DOMINANT = "DOM"
SANCTIONED = "SAN"


@dataclass(frozen=True)
class SizeSpec:
    mineral_families: int
    pharma_families: int
    reagents: bool
    suppliers: int
    offers: int
    years: int
    scenarios: int
    allied: int
    non_allied: int
    sanctioned: bool
    domestic_targets: int  # final products with a domestic-share ramp
    time_limit_s: float
    mip_gap: float
    cvar_weight: float
    carbon_price: float


SIZES: dict[str, SizeSpec] = {
    "small": SizeSpec(2, 1, False, 40, 110, 5, 2, 4, 1, False, 1, 60.0, 0.001, 0.0, 0.0),
    "medium": SizeSpec(4, 3, False, 120, 600, 8, 3, 6, 3, True, 2, 120.0, 0.005, 0.0, 25.0),
    # large is risk-neutral: with cvar_weight 0.2 HiGHS needs > 5 minutes (gap 2 % at 300 s);
    # national keeps CVaR (settings={"cvar_weight": ...} turns it on for any size)
    "large": SizeSpec(7, 5, True, 300, 2000, 10, 4, 10, 5, True, 4, 300.0, 0.01, 0.0, 40.0),
    "national": SizeSpec(11, 7, True, 640, 5400, 15, 5, 14, 7, True, 8, 600.0, 0.01, 0.2, 50.0),
}

# (code, concentrate name, refined name, refined price USD/t, concentrate price USD/t,
#  concentrate per t refined, peak demand t/yr, home deposit, recyclable)
MINERALS: list[tuple[str, str, str, float, float, float, float, bool, bool]] = [
    ("LI", "Spodumene concentrate", "Lithium hydroxide", 15_000, 1_100, 6.5, 40_000, True, True),
    ("RE", "Mixed rare-earth carbonate", "NdPr oxide", 65_000, 9_000, 3.0, 6_000, True, False),
    ("GR", "Natural graphite flake", "Spherical graphite", 3_500, 800, 2.2, 120_000, True, False),
    ("CO", "Cobalt hydroxide", "Cobalt sulphate", 7_000, 20_000, 0.3, 15_000, False, True),
    ("NI", "Nickel matte", "Nickel sulphate", 4_500, 13_000, 0.3, 60_000, False, True),
    ("MN", "Manganese ore", "High-purity manganese sulphate", 1_200, 180, 3.5, 80_000, True, False),
    ("SI", "High-purity quartz", "Polysilicon", 9_000, 400, 6.0, 30_000, True, False),
    ("W", "Tungsten concentrate", "Ammonium paratungstate", 40_000, 14_000, 1.6, 2_500, False, False),
    ("V", "Vanadium slag", "Vanadium pentoxide", 8_000, 900, 5.0, 5_000, True, False),
    ("GA", "Crude gallium", "Refined gallium (6N)", 500_000, 250_000, 1.1, 60, False, False),
    ("GE", "Germanium concentrate", "Germanium metal", 1_800_000, 300_000, 4.0, 40, False, False),
    ("SB", "Antimony concentrate", "Antimony trioxide", 20_000, 8_000, 1.5, 4_000, False, False),
    ("TI", "Ilmenite", "Titanium sponge", 9_000, 300, 8.0, 20_000, True, False),
]

# (code, API name, API price USD/t, peak demand t/yr)
APIS: list[tuple[str, str, float, float]] = [
    ("PCM", "Paracetamol", 5_500, 40_000),
    ("AMX", "Amoxicillin", 30_000, 6_000),
    ("MET", "Metformin", 6_000, 25_000),
    ("CIP", "Ciprofloxacin", 35_000, 2_500),
    ("AZI", "Azithromycin", 120_000, 800),
    ("IBU", "Ibuprofen", 12_000, 8_000),
    ("ATV", "Atorvastatin", 250_000, 300),
    ("CLA", "Clavulanic acid", 180_000, 600),
    ("PEN", "Penicillin G", 25_000, 3_000),
    ("CEF", "Ceftriaxone", 220_000, 400),
    ("LOS", "Losartan", 90_000, 500),
    ("OME", "Omeprazole", 70_000, 900),
]


@dataclass
class _Materials:
    ids: list[str]
    names: list[str]
    sector: np.ndarray  # 0 mineral, 1 pharma
    price: np.ndarray
    final: np.ndarray  # bool: has final demand
    peak: np.ndarray  # peak final demand (0 for intermediates)
    family: np.ndarray  # family index (-1 for reagents)
    role: list[str]  # conc, refined, ksm, int, api, reagent
    unit: list[str]


def _materials(spec: SizeSpec, rng: np.random.Generator) -> _Materials:
    ids: list[str] = []
    names: list[str] = []
    sector: list[int] = []
    price: list[float] = []
    peak: list[float] = []
    family: list[int] = []
    role: list[str] = []
    unit: list[str] = []
    nm, npf = spec.mineral_families, spec.pharma_families
    noise = rng.lognormal(0.0, 0.15, size=(nm + npf, 2))
    for k in range(nm):
        code, conc, refined, p_ref, p_conc, _, dem, _, _ = MINERALS[k % len(MINERALS)]
        suffix = "" if k < len(MINERALS) else str(k // len(MINERALS) + 1)
        per_kg = code in KG_FAMILIES
        if per_kg:  # USD/t -> USD/kg, t -> kg
            p_ref, p_conc, dem = p_ref / 1000, p_conc / 1000, dem * 1000
        unit += ["kg", "kg"] if per_kg else ["t", "t"]
        ids += [f"{code}{suffix}-CONC", f"{code}{suffix}-REF"]
        names += [conc + (f" {suffix}" if suffix else ""), refined + (f" {suffix}" if suffix else "")]
        sector += [0, 0]
        price += [p_conc * noise[k, 0], p_ref * noise[k, 0]]
        peak += [0.0, dem * noise[k, 1]]
        family += [k, k]
        role += ["conc", "refined"]
    for k in range(npf):
        code, api, p_api, dem = APIS[k % len(APIS)]
        suffix = "" if k < len(APIS) else str(k // len(APIS) + 1)
        c = code + suffix
        ids += [f"{c}-KSM", f"{c}-INT", f"{c}-API"]
        names += [f"{api} key starting material", f"{api} advanced intermediate", f"{api} API"]
        sector += [1, 1, 1]
        p = p_api * noise[nm + k, 0]
        price += [0.25 * p, 0.5 * p, p]
        peak += [0.0, 0.0, dem * noise[nm + k, 1]]
        family += [nm + k] * 3
        role += ["ksm", "int", "api"]
        unit += ["t", "t", "t"]
    if spec.reagents:
        ids += ["H2SO4", "SOLV"]
        names += ["Sulphuric acid", "Process solvent (DMF)"]
        sector += [0, 1]
        price += [120.0, 1_400.0]
        peak += [0.0, 0.0]
        family += [-1, -1]
        role += ["reagent", "reagent"]
        unit += ["t", "t"]
    peak_arr = np.array(peak)
    return _Materials(ids, names, np.array(sector), np.array(price) * MONEY, peak_arr > 0, peak_arr,
                      np.array(family), role, unit)


def generate_dataset(size: str, seed: int = 0, *, settings: dict[str, Any] | None = None) -> Dataset:
    """A synthetic, feasible-by-construction instance: ``small``, ``medium``, ``large`` or
    ``national`` (>= 40 materials, >= 600 suppliers, >= 5,000 offers, 15 years, 5 scenarios).

    ``settings`` overrides Settings keys (e.g. ``{"cvar_weight": 0.2, "time_limit_s": 60}``).
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    spec = SIZES[size]
    rng = np.random.default_rng(seed)
    years = spec.years
    year_list = np.arange(FIRST_YEAR, FIRST_YEAR + years)
    last_year = int(year_list[-1])

    # ---------------------------------------------------------------- countries
    n_all, n_non = spec.allied, spec.non_allied
    c_ids = [HOME, DOMINANT] + [f"P{i + 1:02d}" for i in range(n_all)] + [f"N{i + 1:02d}" for i in range(n_non)]
    c_names = ["Home country", "Dominant processing country"] + [f"Partner economy {i + 1}" for i in range(n_all)] \
        + [f"Non-allied country {i + 1}" for i in range(n_non)]
    if spec.sanctioned:
        c_ids.append(SANCTIONED)
        c_names.append("Sanctioned country")
    n_c = len(c_ids)
    allied = np.zeros(n_c, bool)
    allied[0] = True
    allied[2:2 + n_all] = True
    c_risk = np.zeros(n_c)
    c_risk[0] = 0.05
    c_risk[1] = 0.55
    c_risk[2:2 + n_all] = np.round(rng.uniform(0.03, 0.15, n_all), 3)
    c_risk[2 + n_all:2 + n_all + n_non] = np.round(rng.uniform(0.25, 0.6, n_non), 3)
    c_tariff = np.zeros(n_c)
    c_tariff[1] = 0.10
    c_tariff[2:2 + n_all] = np.round(rng.choice([0.0, 0.0, 0.025, 0.05], n_all), 3)
    c_tariff[2 + n_all:2 + n_all + n_non] = np.round(rng.uniform(0.05, 0.15, n_non), 3)
    c_price = np.ones(n_c)  # price level of the country's suppliers
    c_price[1] = 0.72
    c_price[2:2 + n_all] = rng.uniform(0.95, 1.3, n_all)
    c_price[2 + n_all:2 + n_all + n_non] = rng.uniform(0.85, 1.1, n_non)
    c_freight = rng.uniform(0.01, 0.08, n_c)  # share of material price
    c_freight[1] = 0.02
    c_carbon = rng.uniform(0.6, 1.4, n_c)
    c_carbon[1] = 1.8
    if spec.sanctioned:
        c_risk[-1] = 0.9
        c_tariff[-1] = 0.0
        c_price[-1] = 0.6
    countries = [
        {"country": c_ids[i], "name": c_names[i], "risk": float(c_risk[i]), "tariff": float(c_tariff[i]),
         "allied": bool(allied[i]), "sanctioned": bool(spec.sanctioned and i == n_c - 1)}
        for i in range(n_c)
    ]
    allied_idx = np.arange(2, 2 + n_all)

    # ---------------------------------------------------------------- materials and demand
    mats = _materials(spec, rng)
    n_m = len(mats.ids)
    growth = rng.uniform(0.02, 0.09, n_m)
    k = np.arange(years)
    # demand grows to its peak in the last year
    demand = mats.peak[:, None] * (1 + growth[:, None]) ** (k[None, :] - (years - 1))
    demand *= rng.lognormal(0.0, 0.03, size=demand.shape)
    demand = np.round(demand, 1)
    demand[~mats.final] = 0.0
    peak = demand.max(axis=1)

    # ---------------------------------------------------------------- facilities and recipes
    fac: dict[str, list[Any]] = {k_: [] for k_ in ("id", "kind", "mat", "cap", "maxm", "exist", "green", "risk",
                                                    "build", "earliest", "unit_cost", "pli", "lifetime",
                                                    "location", "carbon")}
    recipes: list[tuple[int, int, float]] = []  # (facility index, input material, qty)
    mat_index = {m: i for i, m in enumerate(mats.ids)}
    reagent = {0: mat_index.get("H2SO4"), 1: mat_index.get("SOLV")}
    states = ["Gujarat", "Odisha", "Andhra Pradesh", "Telangana", "Tamil Nadu", "Karnataka", "Maharashtra",
              "Jharkhand", "Himachal Pradesh", "Rajasthan"]
    final_idx = np.flatnonzero(mats.final)
    # domestic-share targets: the first finals of a deterministic random order, alternating sectors
    order = rng.permutation(final_idx)
    targets: list[int] = []
    for sec in (0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1):
        cand = [int(i) for i in order if mats.sector[i] == sec and int(i) not in targets]
        if cand and len(targets) < spec.domestic_targets:
            targets.append(cand[0])
    fac_draw = rng.random((n_m, 8))

    def add_facility(kind: str, out: int, cap_scale: float, r: np.ndarray, target: bool) -> int:
        module_cap = float(np.round(cap_scale * (0.06 + 0.08 * r[0]), 1))
        reach = 0.6 if target else 0.3 + 0.4 * r[1]
        maxm = int(np.ceil(reach * cap_scale / module_cap)) if module_cap > 0 else 0
        exist = int(r[2] < 0.25 and kind in ("refinery", "recycling"))
        build = 2 if (target or r[3] < 0.6) else 3
        earliest = FIRST_YEAR if target or r[4] < 0.5 else FIRST_YEAR + int(1 + 3 * r[4])
        fac["id"].append(f"{kind[:3].upper()}-{mats.ids[out]}")
        fac["kind"].append(kind)
        fac["mat"].append(out)
        fac["cap"].append(module_cap)
        fac["maxm"].append(max(maxm + exist, 1))
        fac["exist"].append(exist)
        fac["green"].append(bool(r[5] < 0.4))
        fac["risk"].append(float(np.round(0.03 + 0.07 * r[6], 3)))
        fac["build"].append(build)
        fac["earliest"].append(min(earliest, last_year))
        fac["unit_cost"].append(float(np.round(mats.price[out] * (0.2 + 0.25 * r[7]), 4)))
        fac["pli"].append(float(np.round(mats.price[out] * 0.06 * r[0], 4)) if kind != "mine" else 0.0)
        fac["lifetime"].append(int(20 + 10 * r[1]))
        fac["location"].append(states[int(r[2] * len(states)) % len(states)])
        fac["carbon"].append(float(np.round((0.5 + r[3]) * (2.0 if mats.sector[out] == 0 else 8.0), 3)))
        return len(fac["id"]) - 1

    for fam in range(spec.mineral_families):
        conc, ref = 2 * fam, 2 * fam + 1
        mineral = MINERALS[fam % len(MINERALS)]
        scale = float(peak[ref])
        f_ref = add_facility("refinery", ref, scale, fac_draw[ref], ref in targets)
        recipes.append((f_ref, conc, float(np.round(mineral[5] * (0.9 + 0.2 * fac_draw[conc, 0]), 3))))
        if reagent[0] is not None:
            recipes.append((f_ref, reagent[0], float(np.round(0.5 + 1.5 * fac_draw[conc, 1], 3))))
        if mineral[7]:  # home deposit: a domestic mine for the concentrate
            add_facility("mine", conc, scale * mineral[5], fac_draw[conc], False)
        if mineral[8]:  # battery recycling of the refined product
            add_facility("recycling", ref, 0.3 * scale, fac_draw[ref, ::-1], False)
    base = 2 * spec.mineral_families
    for fam in range(spec.pharma_families):
        ksm, inter, api = base + 3 * fam, base + 3 * fam + 1, base + 3 * fam + 2
        scale = float(peak[api])
        f_api = add_facility("pharma_park", api, scale, fac_draw[api], api in targets)
        q_int = float(np.round(1.2 + 0.4 * fac_draw[inter, 0], 3))
        recipes.append((f_api, inter, q_int))
        if reagent[1] is not None:
            recipes.append((f_api, reagent[1], float(np.round(0.2 + 0.6 * fac_draw[inter, 1], 3))))
        f_int = add_facility("pharma_park", inter, scale * q_int, fac_draw[inter], False)
        recipes.append((f_int, ksm, float(np.round(1.3 + 0.7 * fac_draw[ksm, 0], 3))))
        if fac_draw[ksm, 1] < 0.3:  # a KSM plant from domestic feedstock
            add_facility("pharma_park", ksm, scale * q_int * 1.5, fac_draw[ksm], False)
    n_f = len(fac["id"])
    f_mat = np.array(fac["mat"])
    f_full = np.array(fac["cap"]) * np.array(fac["maxm"])  # full capacity of each facility
    r_fac = np.array([r[0] for r in recipes], dtype=int)
    r_in = np.array([r[1] for r in recipes], dtype=int)
    r_qty = np.array([r[2] for r in recipes])
    # peak requirement per material: final demand (+ strategic stock) or full-capacity consumption
    need = peak * 1.25
    np.add.at(need, r_in, r_qty * f_full[r_fac])
    need = np.maximum(need, 1.0)
    # concentrates etc. without final demand: size the market by the need
    market = np.where(mats.final, peak, need)

    # ---------------------------------------------------------------- suppliers
    n_m_sec = [np.flatnonzero(mats.sector == s) for s in (0, 1)]
    n_back = 3 * n_m
    if spec.suppliers < n_back + 10:
        raise ValueError("size spec: too few suppliers for the backbone")
    n_s = spec.suppliers
    s_ids = [f"S{i + 1:04d}" for i in range(n_s)]
    s_country = np.empty(n_s, dtype=int)
    s_sector = np.empty(n_s, dtype=int)
    # backbone: 3 suppliers per material in 3 distinct allied countries
    back_c = np.array([rng.choice(allied_idx, 3, replace=False) for _ in range(n_m)])  # (n_m, 3)
    s_country[:n_back] = back_c.ravel()
    s_sector[:n_back] = np.repeat(mats.sector, 3)
    back_mat = np.repeat(np.arange(n_m), 3)
    # the others: dominant ~35 %, allied ~35 %, non-allied ~22 %, sanctioned the rest
    n_rest = n_s - n_back
    groups = [np.array([1]), allied_idx, np.arange(2 + n_all, 2 + n_all + n_non)]
    weights = [0.35, 0.35, 0.22]
    if spec.sanctioned:
        groups.append(np.array([n_c - 1]))
        weights.append(0.08)
    w = np.array(weights) / sum(weights)
    g = rng.choice(len(groups), n_rest, p=w)
    pick = rng.random(n_rest)
    s_country[n_back:] = [int(groups[gi][int(p * len(groups[gi]))]) for gi, p in zip(g, pick)]
    s_sector[n_back:] = (rng.random(n_rest) < 0.5).astype(int)
    s_risk = np.round(rng.beta(2, 12, n_s), 3)
    s_risk[:n_back] = np.round(rng.uniform(0.0, 0.08, n_back), 3)
    s_green = rng.random(n_s) < np.where(allied[s_country], 0.45, 0.12)
    s_green[:n_back] = True
    s_scale = rng.lognormal(0.0, 0.5, n_s) * np.where(s_country == 1, 2.5, 1.0)
    s_price = rng.lognormal(0.0, 0.06, n_s)

    # ---------------------------------------------------------------- offers
    # eligible pairs: supplier x material of its sector; pick exactly spec.offers of them
    pair_s, pair_m = [], []
    for sec in (0, 1):
        ss = np.flatnonzero(s_sector == sec)
        mm = n_m_sec[sec]
        pair_s.append(np.repeat(ss, len(mm)))
        pair_m.append(np.tile(mm, len(ss)))
    pair_s_a = np.concatenate(pair_s)
    pair_m_a = np.concatenate(pair_m)
    key = rng.random(len(pair_s_a))
    is_back = (pair_s_a < n_back) & (back_mat[np.minimum(pair_s_a, n_back - 1)] == pair_m_a)
    key[is_back] = -2.0
    # every supplier offers at least one material: its lowest-key pair goes first
    order_pairs = np.lexsort((key, pair_s_a))
    first = np.ones(len(order_pairs), bool)
    first[1:] = pair_s_a[order_pairs][1:] != pair_s_a[order_pairs][:-1]
    key[order_pairs[first]] = np.minimum(key[order_pairs[first]], -1.0)
    n_o = min(spec.offers, len(key))
    chosen = np.sort(np.argsort(key, kind="stable")[:n_o])
    o_s, o_m = pair_s_a[chosen], pair_m_a[chosen]
    o_back = is_back[chosen]
    o_c = s_country[o_s]
    # capacities
    n_off_m = np.bincount(o_m, minlength=n_m)
    typical = market[o_m] * 3.0 / np.maximum(n_off_m[o_m], 1)  # world ~3x home market
    o_cap = np.round(typical * s_scale[o_s] * rng.lognormal(0.0, 0.4, n_o), 1)
    o_cap[o_back] = np.round(0.6 * need[o_m[o_back]], 1) + 1.0
    cap_blank = (rng.random(n_o) < 0.15) & ~o_back
    # supplier joint capacity: backbone part in full, 70-100 % of the rest
    back_sum = np.bincount(o_s[o_back], weights=o_cap[o_back], minlength=n_s)
    rest_sum = np.bincount(o_s[~o_back], weights=o_cap[~o_back], minlength=n_s)
    s_cap = np.round(back_sum + rest_sum * rng.uniform(0.7, 1.0, n_s), 1)
    s_cap = np.maximum(s_cap, 1.0)
    # prices
    o_price = mats.price[o_m] * c_price[o_c] * s_price[o_s] * rng.lognormal(0.0, 0.05, n_o)
    o_price = np.round(o_price, 4)
    o_freight = np.round(mats.price[o_m] * c_freight[o_c] * rng.uniform(0.7, 1.3, n_o), 4)
    o_carbon = np.round(np.where(mats.sector[o_m] == 0, 3.0, 12.0) * c_carbon[o_c] * rng.lognormal(0, 0.2, n_o), 3)
    annual_value = o_price * np.minimum(o_cap, market[o_m])
    o_min = np.where((rng.random(n_o) < 0.15) & ~o_back, np.round(o_cap * rng.uniform(0.1, 0.3, n_o), 1), 0.0)
    o_contract = np.where(rng.random(n_o) < 0.35, np.round(annual_value * rng.uniform(0.002, 0.01, n_o), 1), 0.0)
    late = (rng.random(n_o) < 0.1) & ~o_back
    o_from = np.where(late, FIRST_YEAR + rng.integers(1, min(5, years) + 1, n_o), FIRST_YEAR)
    o_from = np.minimum(o_from, last_year)
    value_s = np.bincount(o_s, weights=annual_value, minlength=n_s)
    s_qual = np.round(value_s * rng.uniform(0.005, 0.02, n_s), 0)
    suppliers = [
        {"supplier": s_ids[i], "country": c_ids[s_country[i]], "capacity": float(s_cap[i]),
         "qualification_cost": float(s_qual[i]), "risk": float(s_risk[i]), "green_certified": bool(s_green[i])}
        for i in range(n_s)
    ]
    offers = [
        {"supplier": s_ids[o_s[i]], "material": mats.ids[o_m[i]], "unit_cost": float(o_price[i]),
         "capacity": None if cap_blank[i] else float(o_cap[i]), "freight_cost": float(o_freight[i]),
         "carbon_intensity": float(o_carbon[i]), "min_order": float(o_min[i]),
         "contract_cost": float(o_contract[i]), "available_from": int(o_from[i])}
        for i in range(n_o)
    ]

    # ---------------------------------------------------------------- materials, demand, facilities
    stock_mats = [i for i in range(n_m) if mats.role[i] in ("refined", "api") and mats.ids[i].startswith(
        ("RE-", "GA-", "GE-", "AMX-", "PCM-", "W-"))]
    essential = [i for i in range(n_m) if mats.role[i] == "api"]
    materials = []
    for i in range(n_m):
        row: dict[str, Any] = {"material": mats.ids[i], "name": mats.names[i],
                               "sector": "mineral" if mats.sector[i] == 0 else "pharma", "unit": mats.unit[i],
                               "holding_cost": float(np.round(0.02 * mats.price[i], 5))}
        if i in stock_mats:
            row["initial_stock"] = float(np.round(0.1 * demand[i, 0], 1))
        if i in essential:
            row["shortage_penalty"] = float(np.round(20 * mats.price[i], 2))
        materials.append(row)
    dem_m, dem_y = np.nonzero(demand > 0)
    demand_rows = [{"material": mats.ids[m], "year": int(year_list[y]), "quantity": float(demand[m, y])}
                   for m, y in zip(dem_m, dem_y)]
    cap_arr = np.array(fac["cap"])
    capex = np.round(cap_arr * mats.price[f_mat] * np.where(np.array(fac["kind"]) == "mine", 1.2, 1.8), 0)
    facilities = [
        {"facility": fac["id"][f], "kind": fac["kind"][f], "material": mats.ids[fac["mat"][f]],
         "module_capacity": float(cap_arr[f]), "max_modules": int(fac["maxm"][f]),
         "existing_modules": int(fac["exist"][f]), "capex_per_module": float(capex[f]),
         "fixed_opex_per_module": float(np.round(0.04 * capex[f], 1)), "unit_cost": float(fac["unit_cost"][f]),
         "build_years": int(fac["build"][f]), "earliest_year": int(fac["earliest"][f]),
         "carbon_intensity": float(fac["carbon"][f]), "green": bool(fac["green"][f]),
         "pli_subsidy": float(fac["pli"][f]), "risk": float(fac["risk"][f]),
         "lifetime_years": int(fac["lifetime"][f]), "location": fac["location"][f]}
        for f in range(n_f)
    ]
    recipe_rows = [{"facility": fac["id"][f], "input_material": mats.ids[m], "quantity_per_unit": q}
                   for f, m, q in recipes]

    # ---------------------------------------------------------------- financing
    total_capex = float(np.sum(capex * np.maximum(np.array(fac["maxm"]) - np.array(fac["exist"]), 0)))
    total_capex = max(total_capex, 1.0)
    fin_all = [
        {"source": "BUDGET", "kind": "budget", "limit": np.round(1.2 * total_capex, 0)},
        {"source": "MDB-LOAN", "kind": "multilateral_loan", "limit": np.round(0.3 * total_capex, 0),
         "annual_rate": 0.02, "tenor_years": 20, "arrangement_fee": np.round(0.003 * total_capex, 0),
         "min_draw": np.round(0.03 * total_capex, 0)},
        {"source": "PLI-GRANT", "kind": "grant", "limit": np.round(0.03 * total_capex, 0),
         "available_from": FIRST_YEAR + min(2, years - 1)},
        {"source": "GREEN-BOND", "kind": "green_bond", "limit": np.round(0.2 * total_capex, 0),
         "annual_rate": 0.045, "tenor_years": 10, "arrangement_fee": np.round(0.001 * total_capex, 0),
         "green_only": True},
        {"source": "SOV-BOND", "kind": "bond", "limit": np.round(0.5 * total_capex, 0), "annual_rate": 0.07,
         "tenor_years": 10},
        {"source": "PPP", "kind": "ppp", "limit": np.round(0.25 * total_capex, 0), "annual_rate": 0.09,
         "tenor_years": 15, "arrangement_fee": np.round(0.002 * total_capex, 0)},
        {"source": "FDI", "kind": "fdi", "limit": np.round(0.25 * total_capex, 0), "annual_rate": 0.11,
         "tenor_years": 12},
    ]
    n_fin = {"small": 3, "medium": 5, "large": 7, "national": 7}[size]
    financing = [{k_: (float(v) if isinstance(v, (float, np.floating)) else v) for k_, v in r.items()}
                 for r in fin_all[:n_fin]]

    # ---------------------------------------------------------------- scenarios and disruptions
    sc_all = [
        ("base", 0.45, "Business as usual"),
        ("dom_ban", 0.2, "Export ban by the dominant country on every material for part of the horizon"),
        ("dom_targeted", 0.15, "Dominant country bans rare-earth and pharma-input exports; prices rise"),
        ("price_shock", 0.12, "Price shock in the dominant country and a supply cut in a non-allied country"),
        ("partner_disruption", 0.08, "A partner economy loses 20 % of capacity; a large supplier fails"),
    ][:spec.scenarios]
    total_p = sum(p for _, p, _ in sc_all)
    probs = [round(p / total_p, 6) for _, p, _ in sc_all]
    probs[0] = round(1.0 - sum(probs[1:]), 6)
    scenarios = [{"scenario": s, "probability": p, "description": d} for (s, _, d), p in zip(sc_all, probs)]
    ban_from = FIRST_YEAR + min(2, years - 1)
    ban_to = min(ban_from + max(2, years // 3), last_year)
    disruptions: list[dict[str, Any]] = [
        {"scenario": "dom_ban", "country": DOMINANT, "from_year": ban_from, "to_year": ban_to,
         "capacity_factor": 0.0},
        {"scenario": "dom_ban", "country": "", "from_year": ban_from, "to_year": ban_to,
         "price_factor": 1.25},
    ]
    sc_names = {s for s, _, _ in sc_all}
    if "dom_targeted" in sc_names:
        targeted = [i for i in range(n_m) if mats.ids[i].startswith("RE-") or mats.role[i] in ("ksm", "int")]
        for i in targeted:
            disruptions.append({"scenario": "dom_targeted", "country": DOMINANT, "material": mats.ids[i],
                                "from_year": FIRST_YEAR + 1, "capacity_factor": 0.0})
        disruptions.append({"scenario": "dom_targeted", "country": DOMINANT, "price_factor": 1.3})
    if "price_shock" in sc_names:
        non_allied_ids = [c_ids[i] for i in range(2 + n_all, 2 + n_all + n_non)]
        disruptions.append({"scenario": "price_shock", "country": DOMINANT, "price_factor": 1.6,
                            "from_year": FIRST_YEAR + 1})
        disruptions.append({"scenario": "price_shock", "country": non_allied_ids[0], "capacity_factor": 0.5,
                            "price_factor": 1.2})
    if "partner_disruption" in sc_names:
        partner = c_ids[int(allied_idx[rng.integers(0, n_all)])]
        disruptions.append({"scenario": "partner_disruption", "country": partner, "capacity_factor": 0.8,
                            "from_year": FIRST_YEAR + 3, "to_year": min(FIRST_YEAR + 6, last_year)})
        non_back = np.arange(n_back, n_s)
        big = int(non_back[np.argmax(s_cap[n_back:])])
        disruptions.append({"scenario": "partner_disruption", "supplier": s_ids[big], "capacity_factor": 0.0,
                            "from_year": FIRST_YEAR + 2})

    # ---------------------------------------------------------------- policies
    policies: list[dict[str, Any]] = [
        {"material": "*", "max_country_share": 0.6, "max_avg_risk": 0.4},
    ]
    if "dom_ban" in sc_names and len(sc_all) > 1:
        # an emergency relaxation of the concentration cap while the dominant country is out
        policies.append({"material": "*", "scenario": "dom_ban", "max_country_share": 0.75})
    for i in range(n_m):
        if mats.ids[i].startswith("RE-"):
            policies.append({"material": mats.ids[i], "max_avg_risk": 0.3})
    for i in range(n_m):
        if mats.role[i] == "refined":
            policies.append({"material": mats.ids[i], "min_green_share": 0.3})
        if mats.role[i] == "api":
            policies.append({"material": mats.ids[i], "max_supplier_share": 0.5, "max_non_allied_share": 0.5,
                             "min_suppliers": 2, "max_shortage_share": 0.02})
    for i in stock_mats:
        policies.append({"material": mats.ids[i], "year": FIRST_YEAR + min(1, years - 1), "min_stock_share": 0.05})
        for y in range(FIRST_YEAR + 2, last_year + 1):
            policies.append({"material": mats.ids[i], "year": y, "min_stock_share": 0.1})
    # domestic-share ramp: from the first year a module built at once produces, up to the target
    tgt_share = np.round(rng.uniform(0.2, 0.35, len(targets)), 2)
    fac_of = {fac["mat"][f]: f for f in range(n_f) if fac["kind"][f] in ("refinery", "pharma_park")}
    for t, i in enumerate(targets):
        k0 = fac["build"][fac_of[i]]
        ramp_years = max(1, (years - k0) // 2)
        for kk in range(k0, years):
            share = float(np.round(tgt_share[t] * min(1.0, (kk - k0 + 1) / ramp_years), 3))
            policies.append({"material": mats.ids[i], "year": FIRST_YEAR + kk, "min_domestic_share": share})

    all_settings = {
        "home_country": HOME,
        "first_year": FIRST_YEAR,
        "years": years,
        "currency": CURRENCY,
        "discount_rate": 0.08,
        "carbon_price": spec.carbon_price * MONEY,
        "cvar_alpha": 0.9,
        "cvar_weight": spec.cvar_weight,
        "time_limit_s": spec.time_limit_s,
        "mip_gap": spec.mip_gap,
    } | dict(settings or {})
    records = {
        "Materials": materials,
        "Demand": demand_rows,
        "Countries": countries,
        "Suppliers": suppliers,
        "Offers": offers,
        "Facilities": facilities,
        "Recipes": recipe_rows,
        "Financing": financing,
        "Policies": policies,
        "Scenarios": scenarios,
        "Disruptions": disruptions,
    }
    return from_records(all_settings, records, Source(name=f"generated:{size}:seed={seed}"))
