"""The bundled example: India's sourcing plan for five critical supply chains, 2026-2035.

``inputs/build_inputs.py`` writes these records to ``planner/data/example.xlsx``, the
workbook that ``trust-planner solve`` solves when given no input. The figures rest on public
sources registered in ``docs/example-sources.md`` (each with its source, year and URL; the
ids in brackets below, e.g. [P1], are that register's); what no source gave is marked
ILLUSTRATIVE (a judgement for the example) or UNVERIFIED (found only in a weak source).
Company names are fictional stand-ins ("Kakinada-style") for the kind of plant a source
describes.

The story: India's exposure is not where the brief puts it. Paracetamol API capacity exceeds
demand; its chokepoint is para-aminophenol (PAP), 98 % Chinese in 2020 [P1, P2], now partly
replaced by two PLI plants [P4]. For amoxicillin it is penicillin G and 6-APA, where one
Kakinada complex (15 kt Pen-G, 3.6 kt 6-APA, ramping up [P12, P13, P17]) competes with
Chinese prices below the new minimum import prices [P18, P19]. For magnets it is Dy/Tb and
finished NdFeB, which China licensed in April 2025 [R6]; for cells it is anode graphite and
lithium chemicals for a cell industry with 1 GWh of its 50 GWh target installed [B1]; for
cobalt a DRC quota at 44 % of 2024 output [C2, C3]. The plan prices keeping any one country
under half of India's NdPr, magnet and PAP supply, and shows how much of it PLI and a
JICA-like loan pay.

Units: every material in tonnes (t), pharma too (paracetamol at 4,300 USD/t is 4.30 USD/kg);
money in USD (INR at 86.6 or 92 per USD, the rate on the date of each measure [F13]).

Rows are written as tuples under a column tuple, one row per line, so the file reads like the
sheet; ``None`` is a blank cell (the manifest default applies).
"""

from __future__ import annotations

from typing import Any, Iterable

FIRST_YEAR = 2026
YEARS = 10
LAST_YEAR = FIRST_YEAR + YEARS - 1
M = 1_000_000  # USD million, for readability

# --------------------------------------------------------------------------- Settings

SETTINGS: dict[str, Any] = {
    "home_country": "IN",
    "first_year": FIRST_YEAR,
    "years": YEARS,
    "currency": "USD",
    "discount_rate": 0.08,
    "cvar_alpha": 0.9,
    "cvar_weight": 0.0,
    "time_limit_s": 60.0,
    "mip_gap": 0.0001,
}

# -------------------------------------------------------------------------- Materials
# Intermediates (SPOD, NDPR, DYTB, GRAPH_NAT, COOH, PAP, PENG, APA) have no demand: recipes
# consume them. holding_cost: about 3 % of the price a year (ILLUSTRATIVE). NdFeB's opening
# stock is 2.5 weeks of demand: "2-3 weeks of supply left" in May 2025 [R7].

MATERIAL_COLUMNS = ("material", "name", "sector", "unit", "shortage_penalty", "initial_stock", "holding_cost")
MATERIALS = [
    ("SPOD", "Spodumene concentrate (SC6)", "mineral", "t", None, 0, 30),
    ("LI2CO3", "Lithium carbonate, battery grade", "mineral", "t", None, 0, 330),
    ("NDPR", "NdPr oxide", "mineral", "t", None, 0, 2_100),
    ("DYTB", "Dysprosium and terbium oxides (80:20)", "mineral", "t", None, 0, 10_000),
    ("NDFEB", "Sintered NdFeB magnets", "mineral", "t", None, 150, 750),
    ("GRAPH_NAT", "Natural flake graphite (94-95 % C)", "mineral", "t", None, 0, 15),
    ("ANODE", "Battery anode material (coated graphite)", "mineral", "t", None, 0, 100),
    ("COOH", "Cobalt hydroxide (~35 % Co)", "mineral", "t", None, 0, 130),
    ("COSO4", "Cobalt sulphate, battery grade (20.5 % Co)", "mineral", "t", None, 0, 110),
    ("PAP", "Para-aminophenol (KSM of paracetamol)", "pharma", "t", None, 0, 100),
    ("PCM", "Paracetamol API", "pharma", "t", None, 0, 130),
    ("PENG", "Penicillin G potassium, industrial (KSM)", "pharma", "t", None, 0, 500),
    ("APA", "6-aminopenicillanic acid, 6-APA (KSM)", "pharma", "t", None, 0, 900),
    ("AMOX", "Amoxicillin trihydrate API", "pharma", "t", None, 0, 650),
]

# ----------------------------------------------------------------------------- Demand
# Final products only, t/year. Battery materials follow domestic cell output (GWh): 1 GWh
# installed of the ACC PLI's 50 GWh in Dec 2025 [B1], the 50 GWh reached in 2030 and 110 GWh
# by 2035 (ILLUSTRATIVE, below the 178 GWh announced [B2]); anode material ~1,000 t/GWh [B6,
# weak], lithium carbonate ~700 t/GWh [B17, UNVERIFIED], cobalt sulphate 1,000 t plus 80 t/GWh
# (LFP > 80 % of cells [C8]; ILLUSTRATIVE). NdFeB: "above 7,000 t by 2030" [R15], not the
# 53.7 kt of all permanent magnets [R5]. Paracetamol: ~2,000 t/month in 2020 [P8], +5 %/yr.
# Amoxicillin: ILLUSTRATIVE (no tonnage found; 6-APA imports of INR 3,490 crore in FY24 [P16]).

GWH = [5, 12, 22, 35, 50, 60, 72, 85, 98, 110]
DEMAND: dict[str, list[float]] = {
    "ANODE": [1_000 * g for g in GWH],
    "LI2CO3": [700 * g for g in GWH],
    "COSO4": [1_000 + 80 * g for g in GWH],
    #            2026    2027    2028    2029    2030    2031    2032    2033    2034    2035
    "NDFEB":    [3_000, 3_800, 4_700, 5_800, 7_000, 7_600, 8_200, 8_800, 9_400, 10_000],
    "PCM":      [32_000, 33_600, 35_300, 37_000, 38_900, 40_800, 42_900, 45_000, 47_300, 49_600],
    "AMOX":     [8_000, 8_300, 8_600, 8_900, 9_200, 9_500, 9_800, 10_200, 10_500, 10_900],
}

# -------------------------------------------------------------------------- Countries
# risk: ILLUSTRATIVE 0..1 judgement of the chance supply to India is interrupted. allied:
# partners under a trade or critical-minerals agreement (Quad, CEPA/ECTA, ASEAN FTA, the
# India-EU FTA concluded 27 Jan 2026 [F12]). Duties are on the Tariffs sheet, not here.

COUNTRY_COLUMNS = ("country", "name", "risk", "tariff", "allied", "sanctioned")
COUNTRIES = [
    ("IN", "India (home)", 0.05, None, True, None),
    ("CN", "China", 0.60, None, False, None),
    ("AU", "Australia", 0.08, None, True, None),
    ("JP", "Japan", 0.05, None, True, None),
    ("KR", "Republic of Korea", 0.10, None, True, None),
    ("US", "United States", 0.10, None, True, None),
    ("EU", "European Union", 0.05, None, True, None),
    ("MY", "Malaysia", 0.15, None, True, None),
    ("CL", "Chile", 0.20, None, True, None),
    ("AR", "Argentina", 0.35, None, False, None),
    ("CD", "DR Congo", 0.65, None, False, None),
    ("ID", "Indonesia", 0.30, None, True, None),
    ("MZ", "Mozambique", 0.45, None, False, None),
]

# -------------------------------------------------------------------------- Suppliers
# Fictional stand-ins. capacity: joint t/year. qualified: trades with India today (Chinese
# processors [P2, P16, R5, B16]); the others cost a qualification (audits, samples; for APIs
# and KSMs a DMF / site change, two years) - ILLUSTRATIVE amounts.

SUPPLIER_COLUMNS = ("supplier", "country", "capacity", "qualification_cost", "risk", "green_certified",
                    "qualified", "qualification_years")
SUPPLIERS = [
    # lithium
    ("Pilbara-style Spodumene", "AU", None, 1.0 * M, 0.03, None, None, None),
    ("Jiangxi-style Lithium Salt", "CN", None, None, 0.05, None, True, None),
    ("Atacama-style Brine Lithium", "CL", None, 1.2 * M, 0.05, None, None, 1),
    ("Puna-style Salar Lithium", "AR", None, 1.5 * M, 0.15, None, None, 1),
    # rare earths and magnets
    ("Inner Mongolia-style RE Separation", "CN", None, None, 0.05, None, True, None),
    ("Kuantan-style RE Separation", "MY", None, 1.0 * M, 0.05, None, None, 1),
    ("Mojave-style Rare Earths", "US", None, 1.5 * M, 0.10, None, None, 1),
    ("Ningbo-style Magnets", "CN", None, None, 0.05, None, True, None),
    ("Takefu-style Magnets", "JP", None, 1.0 * M, 0.02, None, None, 1),
    ("Hanau-style Magnets", "EU", None, 1.0 * M, 0.03, None, None, 1),
    # graphite and anode
    ("Heilongjiang-style Graphite", "CN", None, None, 0.05, None, True, None),
    ("Balama-style Graphite", "MZ", None, 0.5 * M, 0.20, None, None, None),
    ("Shanghai-style Anode", "CN", None, None, 0.05, None, True, None),
    ("Pohang-style Anode", "KR", None, 1.0 * M, 0.02, None, None, 1),
    # cobalt
    ("Katanga-style Cobalt", "CD", None, 0.5 * M, 0.25, None, None, None),
    ("Sulawesi-style HPAL", "ID", None, 0.8 * M, 0.10, None, None, 1),
    ("Zhejiang-style Cobalt Chemicals", "CN", None, None, 0.05, None, True, None),
    ("Kokkola-style Cobalt Refinery", "EU", None, 1.0 * M, 0.03, None, None, 1),
    # pharma: KSMs and APIs
    ("Hebei-style KSM and API", "CN", None, None, 0.05, None, True, None),
    ("Inner Mongolia-style Fermentation", "CN", None, None, 0.08, None, True, None),
    ("Shanxi-style Beta-Lactam", "CN", None, None, 0.10, None, True, None),
    ("Rhine-style Aminophenol", "EU", None, 0.9 * M, 0.03, None, None, 2),
    ("Tyrol-style Antibiotics", "EU", None, 1.2 * M, 0.03, None, None, 2),
]

# ----------------------------------------------------------------------------- Offers
# unit_cost: ex-works USD/t (sources in docs/example-sources.md); freight USD/t to an Indian
# port (ILLUSTRATIVE); capacity t/year offered to India (ILLUSTRATIVE).

OFFER_COLUMNS = ("supplier", "material", "unit_cost", "capacity", "freight_cost", "available_from")
OFFERS = [
    # spodumene SC6: price UNVERIFIED (not in the register), ~1,000 USD/t
    ("Pilbara-style Spodumene", "SPOD", 1_000, 400_000, 60, None),
    # lithium carbonate: China 73,450 CNY/t in Sep 2025 [B14]; Chile/Argentina at China's 2024
    # average import price 11,597 USD/t [B13]
    ("Jiangxi-style Lithium Salt", "LI2CO3", 10_300, 60_000, 150, None),
    ("Atacama-style Brine Lithium", "LI2CO3", 11_600, 25_000, 350, None),
    ("Puna-style Salar Lithium", "LI2CO3", 11_800, 15_000, 380, None),
    # NdPr oxide: 55-88 USD/kg in 2025 [R11, R12]; Lynas Malaysia ~9 kt/yr [R19], a premium
    ("Inner Mongolia-style RE Separation", "NDPR", 70_000, 8_000, 300, None),
    ("Kuantan-style RE Separation", "NDPR", 75_000, 1_500, 250, None),
    ("Mojave-style Rare Earths", "NDPR", 78_000, 1_000, 400, 2027),
    # Dy/Tb oxides 80:20: China ~225 / ~800 USD/kg (Jan 2025) [R10]; Europe 250-310 / 930-1,000
    # before the controls [R8]
    ("Inner Mongolia-style RE Separation", "DYTB", 340_000, 300, 500, None),
    ("Kuantan-style RE Separation", "DYTB", 420_000, 40, 500, None),
    # sintered NdFeB: N35 ~20-22 USD/kg [R14, weak]; EV grades with Dy more (ILLUSTRATIVE)
    ("Ningbo-style Magnets", "NDFEB", 25_000, 12_000, 300, None),
    ("Takefu-style Magnets", "NDFEB", 40_000, 1_500, 400, None),
    ("Hanau-style Magnets", "NDFEB", 42_000, 1_000, 500, None),
    # flake graphite: 470-510 USD/t FOB China (Mar 2024) [B9]
    ("Heilongjiang-style Graphite", "GRAPH_NAT", 490, 150_000, 80, None),
    ("Balama-style Graphite", "GRAPH_NAT", 500, 100_000, 90, None),
    # anode material: coated grades UNVERIFIED; uncoated spherical 2,000-2,100 USD/t [B10]
    ("Shanghai-style Anode", "ANODE", 3_500, 150_000, 120, None),
    ("Pohang-style Anode", "ANODE", 6_000, 20_000, 150, None),
    # cobalt hydroxide: 5.60 USD/lb payable (Jan 2025) [C4] x 35 % Co x 2,204.6 lb/t
    ("Katanga-style Cobalt", "COOH", 4_300, 20_000, 250, None),
    ("Sulawesi-style HPAL", "COOH", 4_800, 6_000, 150, 2027),
    # cobalt sulphate: China 3,556 USD/t (Jan 2025) [C5]
    ("Zhejiang-style Cobalt Chemicals", "COSO4", 3_600, 15_000, 120, None),
    ("Kokkola-style Cobalt Refinery", "COSO4", 4_800, 3_000, 300, None),
    # PAP: China FOB UNVERIFIED; India's market 350-700 INR/kg [P5]
    ("Hebei-style KSM and API", "PAP", 3_500, 40_000, 60, None),
    ("Rhine-style Aminophenol", "PAP", 5_000, 8_000, 150, None),
    # paracetamol: 4,810 USD/t FOB Shanghai (Q2 2023), 3,800 CFR Houston (Q3 2024) [P9, P10]
    ("Hebei-style KSM and API", "PCM", 4_300, 30_000, 80, None),
    ("Rhine-style Aminophenol", "PCM", 6_000, 5_000, 200, None),
    # Pen-G: 6-9.5 USD/BOU in 2020 [P21]; today's China price UNVERIFIED, below the MIP [P18]
    ("Inner Mongolia-style Fermentation", "PENG", 16_000, 20_000, 200, None),
    ("Tyrol-style Antibiotics", "PENG", 28_000, 3_000, 300, None),
    # 6-APA: China price UNVERIFIED, below the MIP of 37 USD/kg [P18, P22]
    ("Inner Mongolia-style Fermentation", "APA", 30_000, 12_000, 200, None),
    ("Shanxi-style Beta-Lactam", "APA", 31_000, 5_000, 200, None),
    ("Tyrol-style Antibiotics", "APA", 45_000, 1_500, 300, None),
    # amoxicillin trihydrate: 21,312 USD/t China (Q3 2025) [P19]
    ("Inner Mongolia-style Fermentation", "AMOX", 21_300, 10_000, 250, None),
    ("Shanxi-style Beta-Lactam", "AMOX", 22_500, 4_000, 250, None),
    ("Tyrol-style Antibiotics", "AMOX", 32_000, 1_500, 300, None),
]

# ------------------------------------------------------------------------- Facilities
# Existing: IREL's separation line [R17], two PLI PAP plants of 13.5 and 12 kt [P4], paracetamol
# lines above 20 kt at one maker alone [P6, P7], the Kakinada Pen-G (15 kt) and 6-APA (3.6 kt)
# plants [P12, P13], amoxicillin lines. Candidates: a lithium refinery (5 years to first output,
# then a ramp-up year [F8]; ~30,000 USD per t/yr [F9]), more separation, REPM magnet lines
# (5 x 1,200 t [R16]), anode plants on both routes (synthetic ~84 % of China's output [B7]),
# a cobalt sulphate plant, PAP, paracetamol, Pen-G, 6-APA and amoxicillin lines. capex,
# opex and unit costs not cited are ILLUSTRATIVE.
#
# PLI: bulk drugs [P23] pay 10 % of sales for chemical KSMs (PAP) FY2022-23..FY2027-28 and, for
# fermentation products (Pen-G, 6-APA), 20/20/20/20/15/5 % FY2023-24..FY2028-29. The example
# enters each as one window in calendar years: PAP 10 % in 2026-2027; Pen-G and 6-APA 20 % in
# 2026-2027 (the rates left from 2026, 20 + 15 + 5, add up to 2 x 20). REPM magnets [R16]: INR
# 6,450 crore sales-linked over 5 years for 6,000 t/yr, i.e. up to INR 1,290 crore (~140 M USD)
# a year, ~23,400 USD/t if all of it is made (INR 92/USD), paid 2028-2032 after 2 years' build.

FACILITY_COLUMNS = ("facility", "name", "kind", "material", "module_capacity", "max_modules", "existing_modules",
                    "capex_per_module", "fixed_opex_per_module", "unit_cost", "build_years", "earliest_year",
                    "pli_subsidy", "pli_rate", "pli_reference_price", "pli_from_year", "pli_to_year", "pli_cap",
                    "ramp_up", "location")
FACILITIES = [
    ("LI_REFINERY", "Lithium refinery", "refinery", "LI2CO3", 10_000, 4, 0, 300 * M, 9 * M, 3_000, 5, None,
     None, None, None, None, None, None, 0.5, "Coastal SEZ, Gujarat"),
    ("NDPR_SEPARATION", "Rare-earth separation (IREL-style)", "refinery", "NDPR", 250, 6, 1, 50 * M, 2 * M, 80_000,
     4, None, None, None, None, None, None, None, 0.5, "Chavara / Odisha"),
    ("MAGNET_REPM", "NdFeB magnet line (REPM)", "refinery", "NDFEB", 1_200, 5, 0, 60 * M, 2 * M, 10_000, 2, None,
     23_400, None, None, 2028, 2032, 140 * M, 0.5, "Magnet park"),
    ("ANODE_SYNTHETIC", "Synthetic graphite anode plant", "refinery", "ANODE", 10_000, 8, 0, 50 * M, 1.5 * M, 3_700,
     2, None, None, None, None, None, None, None, 0.6, "Industrial park, Odisha"),
    ("ANODE_NATURAL", "Natural graphite anode plant", "refinery", "ANODE", 10_000, 4, 0, 35 * M, 1.2 * M, 2_300, 2,
     None, None, None, None, None, None, None, 0.6, "Industrial park, Odisha"),
    ("COBALT_SULPHATE", "Cobalt sulphate plant", "refinery", "COSO4", 3_000, 3, 0, 30 * M, 1 * M, 800, 3, None,
     None, None, None, None, None, None, 0.6, "Chemical zone, Maharashtra"),
    ("PAP_PLI", "PAP plants (PLI)", "pharma_park", "PAP", 12_750, 4, 2, 60 * M, 1.5 * M, 4_200, 2, None,
     None, 0.10, 4_300, 2026, 2027, None, 0.7, "Gujarat"),
    ("PCM_API", "Paracetamol API lines", "pharma_park", "PCM", 8_000, 8, 6, 25 * M, 0.8 * M, 600, 2, None,
     None, None, None, None, None, None, None, "Telangana / Gujarat"),
    ("PENG_FERMENTATION", "Pen-G fermentation (Kakinada-style)", "pharma_park", "PENG", 15_000, 2, 1, 297 * M, 8 * M,
     14_000, 3, None, None, 0.20, 16_000, 2026, 2027, None, 0.45, "Kakinada SEZ, Andhra Pradesh"),
    ("APA_PLANT", "6-APA plant (Kakinada-style)", "pharma_park", "APA", 3_600, 3, 1, 60 * M, 2 * M, 6_000, 2, None,
     None, 0.20, 30_000, 2026, 2027, None, 0.5, "Kakinada SEZ, Andhra Pradesh"),
    ("AMOX_API", "Amoxicillin API lines", "pharma_park", "AMOX", 3_000, 5, 2, 40 * M, 1 * M, 2_500, 2, None,
     None, None, None, None, None, None, None, "Himachal Pradesh / Telangana"),
]

# ---------------------------------------------------------------------------- Recipes
# t of input per t of output (yields included).

RECIPE_COLUMNS = ("facility", "input_material", "quantity_per_unit")
RECIPES = [
    ("LI_REFINERY", "SPOD", 7.5),            # ~7.5 t SC6 per t Li2CO3 (ILLUSTRATIVE)
    ("MAGNET_REPM", "NDPR", 0.36),            # Nd 29-32.5 wt % as oxide, plus losses [R13]
    ("MAGNET_REPM", "DYTB", 0.02),            # Dy 0.2-6 wt %, an EV grade near 2 % [R13]
    ("ANODE_NATURAL", "GRAPH_NAT", 2.4),      # spheronisation yield ~40-45 % (ILLUSTRATIVE)
    ("COBALT_SULPHATE", "COOH", 0.62),        # 20.5 % Co out of 35 % Co at ~95 % recovery
    ("PCM_API", "PAP", 0.76),                 # 0.722 t at 100 % yield (stoichiometry), ~95 %
    ("APA_PLANT", "PENG", 2.0),               # Aurobindo's plan: 12,000 t Pen-G into 6,000 t 6-APA [P15]
    ("AMOX_API", "APA", 0.58),                # 0.516 t at 100 % yield (stoichiometry), ~90 %
]

# -------------------------------------------------------------------------- Financing
# A JICA-like yen loan: 2.70 %, 30 years including 10 years' grace (Oct 2025 terms, lower-middle
# income, preferential [F4]); its PV at the 8 % planning rate is about 0.48 per USD drawn. The
# National Critical Mineral Mission budget (INR 16,300 crore over FY25-FY31 [F7]; a share here);
# REPM's capital subsidy (INR 750 crore ~ 80 M USD [R16]) as a grant. Limits ILLUSTRATIVE.

FINANCING_COLUMNS = ("source", "kind", "limit", "annual_rate", "tenor_years", "grace_years", "available_from")
FINANCING = [
    ("JICA_LIKE_LOAN", "multilateral_loan", 1_000 * M, 0.027, 30, 10, None),
    ("NCMM_BUDGET", "budget", 500 * M, None, None, None, None),
    ("REPM_CAPITAL_SUBSIDY", "grant", 80 * M, None, None, None, None),
]

# --------------------------------------------------------------------------- Policies
# The caps the README prices: no foreign country above half of India's supply of NdPr oxide,
# NdFeB magnets (from 2028, when new lines can run) and PAP. A magnet reserve of ~5 weeks from
# 2027 [R7]; no shortage of the two essential medicines.

POLICY_COLUMNS = ("material", "year", "scenario", "max_country_share", "min_stock_share", "max_shortage_share")


def _policy(material: str, year: int | None = None, **targets: float) -> dict[str, Any]:
    return {"material": material, "year": year, **targets}


POLICIES: list[dict[str, Any]] = [
    _policy("NDPR", max_country_share=0.5),
    *[_policy("NDFEB", year, max_country_share=0.5, min_stock_share=0.1) for year in range(2028, LAST_YEAR + 1)],
    _policy("NDFEB", 2027, min_stock_share=0.1),
    _policy("PAP", max_country_share=0.5),
    _policy("PCM", max_shortage_share=0.0),
    _policy("AMOX", max_shortage_share=0.0),
]

# ------------------------------------------------------------ Scenarios and disruptions
# Probabilities are judgement (ILLUSTRATIVE).

SCENARIO_COLUMNS = ("scenario", "probability", "description")
SCENARIOS = [
    ("base", 0.45, "Trade as in 2025: Chinese processors supply at 2024-25 prices; demand as on the Demand sheet."),
    ("cn_controls", 0.2, "From 2027 China's licensing of medium and heavy rare earths and magnets (April 2025) and of "
     "graphite (December 2023) tightens again: a quarter of Dy/Tb and half of magnets, anode material and flake "
     "graphite get licences; Dy/Tb cost three times as much elsewhere. NdPr oxide is not controlled."),
    ("drc_quota", 0.15, "The DRC's cobalt export quotas of 2026-2027 (96.6 kt a year, 44 % of 2024 output) bind: "
     "Congolese hydroxide falls to 44 %, hydroxide prices double and sulphate rises 80 %."),
    ("high_ev", 0.1, "Fast EV adoption from 2028: battery materials and magnets half again as much."),
    ("slow_ev", 0.1, "Slow EV adoption from 2028 (20 % of sales by 2030 instead of 30 %): two thirds of the base."),
]

DISRUPTION_COLUMNS = ("scenario", "country", "supplier", "material", "from_year", "to_year", "capacity_factor",
                      "price_factor", "demand_factor")
EV_MATERIALS = ("LI2CO3", "ANODE", "COSO4", "NDFEB")
DISRUPTIONS = [
    # April 2025: licences for Sm, Gd, Tb, Dy, Lu, Sc, Y and magnets containing them [R6]; a
    # licensing regime, not a ban; Europe's Dy/Tb prices x ~3 [R8]; graphite licences [B11]
    ("cn_controls", "CN", None, "DYTB", 2027, None, 0.25, None, None),
    ("cn_controls", "CN", None, "NDFEB", 2027, None, 0.5, None, None),
    ("cn_controls", "CN", None, "ANODE", 2027, None, 0.5, None, None),
    ("cn_controls", "CN", None, "GRAPH_NAT", 2027, None, 0.5, None, None),
    ("cn_controls", None, None, "DYTB", 2027, None, None, 3.0, None),
    # DRC: ban from 22 Feb 2025, quotas 96.6 kt a year in 2026-2027 [C1, C2] of ~220 kt [C3];
    # hydroxide 5.60 -> 12 USD/lb [C4]; sulphate 3,556 -> 6,394 USD/t [C5]
    ("drc_quota", "CD", None, None, 2026, 2027, 0.44, None, None),
    ("drc_quota", None, None, "COOH", 2026, 2027, None, 2.1, None),
    ("drc_quota", None, None, "COSO4", 2026, 2027, None, 1.8, None),
    # EV adoption: 178 GWh announced [B2]; 20 % by FY30 (CareEdge) against EV30@30 [B4]
    *[("high_ev", None, None, m, 2028, None, None, None, 1.5) for m in EV_MATERIALS],
    *[("slow_ev", None, None, m, 2028, None, None, None, 0.67) for m in EV_MATERIALS],
]

# ---------------------------------------------------------------------------- Tariffs
# Duties as they are: 0 % basic customs duty on lithium, cobalt and rare-earth raw materials and
# 2.5 % on natural graphite since the July 2024 budget [F1, F2]; chapter-29 organics 7.5 % plus
# the 10 % social welfare surcharge on it (8.25 %) [P27; the lines of the four APIs/KSMs
# UNVERIFIED]; anode material and magnets 7.5 % (UNVERIFIED [F3]). The minimum import prices on
# Pen-G, 6-APA and amoxicillin, all origins, for one year from 29 Jan 2026 [P18] (INR 2,216 /
# 3,405 / 2,733 per kg at INR 92). No anti-dumping duty on Chinese paracetamol is in force: the
# 2013-2018 duty of 787 USD/t lapsed [P11] (a what-if: README, --set).

TARIFF_COLUMNS = ("country", "material", "from_year", "to_year", "ad_valorem", "specific_duty", "min_import_price")
PHARMA = ("PAP", "PCM", "PENG", "APA", "AMOX")
TARIFFS = [
    *[(None, m, None, None, 0.0, None, None) for m in ("SPOD", "LI2CO3", "NDPR", "DYTB", "COOH", "COSO4")],
    (None, "GRAPH_NAT", None, None, 0.025, None, None),
    (None, "ANODE", None, None, 0.075, None, None),
    (None, "NDFEB", None, None, 0.075, None, None),
    *[(None, m, None, None, 0.0825, None, None) for m in PHARMA],
    (None, "PENG", 2026, 2026, None, None, 24_100),
    (None, "APA", 2026, 2026, None, None, 37_000),
    (None, "AMOX", 2026, 2026, None, None, 29_700),
]

# ------------------------------------------------------------------------------ Notes

NOTES: list[tuple[str, str]] = [
    ("About this example",
     "trust-planner's bundled example: India's sourcing of lithium, rare-earth magnets, battery graphite, cobalt, "
     "paracetamol and amoxicillin, 2026-2035, built on public figures. Each figure below names its source in "
     "brackets, an id of the register docs/example-sources.md (source, year and web address of each). Figures "
     "marked ILLUSTRATIVE are judgements made for the example; UNVERIFIED ones were found only in weak sources. "
     "Company names are fictional stand-ins. Replace the data with your own before using a plan for decisions."),
    ("Where the dependency is",
     "Paracetamol API capacity exceeds demand (Granules India alone 22,000 t/yr in 2020 [P6]; about 6,000 t a month "
     "from half a dozen makers [P7] against ~2,000 t a month needed [P8]); the chokepoint is its key starting "
     "material PAP: India imported 28,576 t in 2020, over 98 % from China [P1, P2]; PLI plants of 13,500 and 12,000 "
     "t/yr now exist [P4] and China's share was about 80 % in 2023 [P3]. The brief's '70 % of APIs from one "
     "country' is about all APIs [P26]. For amoxicillin it is penicillin G and 6-APA: the Kakinada complex makes "
     "15,000 t/yr Pen-G and 3,600 t/yr 6-APA since 2024 [P12, P13] and ran at 40-50 % in 2025 [P17]; 77 % of "
     "Pen-G and 94 % of 6-APA imports were Chinese in FY24 [P16]."),
    ("Rare earths",
     "China mined about 69 % of the world's rare earths in 2024 (270 of 390 kt REO) [R1] - the brief's '60 %' is "
     "nearer this - and refined about 92 % in 2023 [R3]; the 91 % for 2024 in the issue is UNVERIFIED. India's "
     "FY25 imports of 53,748 t were all permanent magnets, 93 % from China [R5]; by value (INR 1,744 crore) at "
     "most ~9-10 kt of it can be NdFeB, so the example's NdFeB demand follows the 'above 7,000 t by 2030' "
     "projection [R15]. China's April 2025 controls licensed Sm, Gd, Tb, Dy, Lu, Sc, Y and magnets containing "
     "them, not NdPr [R6]; Europe's Dy/Tb prices roughly tripled [R8]. Magnet recipe 0.36 t NdPr oxide and 0.02 t "
     "Dy/Tb oxide per t [R13]. IREL made ~40 t Nd in FY25 [R17]."),
    ("Batteries",
     "Cell output: 1 GWh installed of the 50 GWh ACC PLI target (Dec 2025) [B1]; the example reaches 50 GWh in "
     "2030 and 110 GWh in 2035 (ILLUSTRATIVE; 178 GWh announced [B2]). About 1,000 t of anode graphite per GWh "
     "[B6, weak] and ~700 t lithium carbonate per GWh [B17, UNVERIFIED]. Synthetic graphite was 84.4 % of China's "
     "anode output in 2024 [B7]: both routes are candidates. Flake graphite 470-510 USD/t [B9]; coated anode "
     "material prices UNVERIFIED (uncoated spherical 2,000-2,100 USD/t [B10]). Lithium carbonate 73,450 CNY/t in "
     "China (Sep 2025) [B14]; China's imports averaged 11,597 USD/t in 2024 [B13]."),
    ("Cobalt",
     "The DRC banned cobalt exports from 22 Feb 2025 and set quotas of 96,600 t a year for 2026 and 2027 [C1, C2], "
     "about 44 % of its ~220 kt 2024 output [C3]. Hydroxide went from 5.60 to 12 USD/lb [C4], sulphate from 3,556 "
     "to 6,394 USD/t [C5]: the drc_quota scenario. LFP is over 80 % of new EV cells in China [C8], so cobalt "
     "demand stays small."),
    ("Customs duties",
     "Tariffs sheet, duties as they are: 0 % basic customs duty on lithium, cobalt and rare-earth raw materials "
     "and 2.5 % on graphite since July 2024 [F1, F2]; 8.25 % on the APIs and KSMs (7.5 % + 10 % surcharge, chapter "
     "29 [P27]; their exact lines UNVERIFIED); 7.5 % on anode material and magnets (UNVERIFIED [F3]). Minimum import "
     "prices (CIF) on Pen-G, 6-APA and amoxicillin from 29 Jan 2026, all origins, for one year: INR 2,216 / 3,405 / "
     "2,733 per kg, i.e. 24,100 / 37,000 / 29,700 USD/t [P18]; amoxicillin from China sold at 21,312 USD/t in Q3 "
     "2025 [P19], so the floor binds. There is no anti-dumping duty on Chinese paracetamol in force (787 USD/t in "
     "2013-2018, not renewed [P11]); nor on amoxicillin (revoked 2022). A what-if adds it: --set "
     "'Tariffs+[country=CN,material=PCM,specific_duty=787]'."),
    ("PLI and other incentives",
     "Bulk-drug PLI [P23]: 10 % of sales for chemical KSMs (PAP) FY2022-23..FY2027-28, entered as 2026-2027; for "
     "fermentation products 20/20/20/20/15/5 % FY2023-24..FY2028-29 - the sheet has one rate per facility, so "
     "Pen-G and 6-APA get 20 % in 2026-2027, whose total equals the 20 + 15 + 5 % left from 2026 (the closest "
     "single window). Reference prices: PAP 4,300 USD/t (INR 370/kg, the low end of India's market price [P5]), "
     "Pen-G 16,000, 6-APA 30,000 USD/t (ILLUSTRATIVE). REPM magnets [R16]: INR 6,450 crore sales-linked over 5 "
     "years for 6,000 t/yr, entered as 23,400 USD/t, at most 140 M USD a year, 2028-2032; per-beneficiary caps of "
     "the bulk-drug scheme UNVERIFIED (an illustration: ~INR 120 crore/yr for a 5,000 t Pen-G plant [P24])."),
    ("Domestic facilities",
     "Existing: one separation line (IREL-style), two PAP plants of 12,750 t (13,500 + 12,000 [P4]), paracetamol "
     "lines of 48,000 t, the Kakinada-style Pen-G module (15,000 t, capex ~297 M USD [P14]) and 6-APA module "
     "(3,600 t), amoxicillin lines. A lithium refinery takes 5 years to first output and then ramps up (Kwinana: "
     "full capacity 18 months later [F8]) at ~30,000 USD per t/yr of capacity [F9]; new Pen-G modules start at "
     "45 % (40-50 % in their second year [P17]). No new mine: discovery to production averaged 16 years [F11]. "
     "Other capex, opex and unit costs are ILLUSTRATIVE."),
    ("Financing",
     "A JICA-like yen loan at 2.70 % over 30 years with 10 years' grace (JICA's Oct 2025 terms for lower-middle "
     "income countries, preferential [F4]; Mumbai Metro line 3 got 1.80 % in 2024 [F6]). JICA repays equal "
     "principal in yen [F5]; the model repays a level annuity after the grace years, a small difference (its PV "
     "is slightly lower), and carries no exchange-rate risk. National Critical Mineral Mission budget (INR 16,300 "
     "crore over FY25-FY31 [F7]; 500 M USD here) and REPM's capital subsidy (INR 750 crore, ~80 M USD [R16]) as a "
     "grant. Discounted at 8 %, a dollar of the loan costs about 0.48."),
    ("Scenarios",
     "base 45 %; cn_controls 20 % (from 2027 a quarter of Chinese Dy/Tb and half of Chinese magnets, anode and flake "
     "graphite licensed; Dy/Tb x3 elsewhere [R6, R8, B11]); drc_quota 15 % (2026-2027 [C1-C5]); high_ev 10 % "
     "(battery materials and magnets x1.5 from 2028 [B2]); slow_ev 10 % (x0.67 from 2028, 20 % EV share by FY30 "
     "instead of 30 % [B4]). Probabilities and the licensed shares are judgement (ILLUSTRATIVE). Builds, contracts "
     "and financing are decided once for every scenario; Settings recourse_builds lets them adapt."),
    ("Policies",
     "No foreign country above half of India's supply of NdPr oxide, of NdFeB magnets (from 2028) and of PAP; a "
     "magnet reserve of 10 % of a year's demand from 2027 (India had 2-3 weeks of magnets left in May 2025 [R7]); "
     "no shortage of paracetamol or amoxicillin. The README measures what the caps cost."),
    ("Units and conversions",
     "Every material in tonnes; money in USD. INR converted at 86.6/USD (Jan 2025) or 92.0/USD (Jan 2026) [F13], "
     "CNY at about 7.1-7.3/USD (an assumption). Stoichiometry: 0.722 t PAP per t paracetamol, 0.516 t 6-APA per t "
     "amoxicillin trihydrate at 100 % yield; Aurobindo plans 2 t Pen-G per t 6-APA [P15]."),
    ("Solver settings",
     "mip_gap 0.01 %: the objective is several billion USD of discounted cost, so the plan is proven within a few "
     "hundred thousand USD of the best possible, well below the cost of the policies compared. cvar_weight 0 "
     "means risk-neutral (expected cost)."),
]

# ----------------------------------------------------------------------------- API


def _rows(columns: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    columns = tuple(columns)
    out = []
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"row {row!r} has {len(row)} values for {len(columns)} columns")
        out.append({c: v for c, v in zip(columns, row) if v is not None})
    return out


def example_settings() -> dict[str, Any]:
    """Settings sheet of the example (key -> value)."""
    return dict(SETTINGS)


def example_records() -> dict[str, list[dict[str, Any]]]:
    """Every input sheet of the example: sheet name -> rows keyed by manifest column names."""
    demand = [{"material": m, "year": FIRST_YEAR + k, "quantity": q}
              for m, quantities in DEMAND.items() for k, q in enumerate(quantities)]
    return {
        "Materials": _rows(MATERIAL_COLUMNS, MATERIALS),
        "Demand": demand,
        "Countries": _rows(COUNTRY_COLUMNS, COUNTRIES),
        "Suppliers": _rows(SUPPLIER_COLUMNS, SUPPLIERS),
        "Offers": _rows(OFFER_COLUMNS, OFFERS),
        "Facilities": _rows(FACILITY_COLUMNS, FACILITIES),
        "Recipes": _rows(RECIPE_COLUMNS, RECIPES),
        "Financing": _rows(FINANCING_COLUMNS, FINANCING),
        "Policies": [{k: v for k, v in row.items() if v is not None} for row in POLICIES],
        "Scenarios": _rows(SCENARIO_COLUMNS, SCENARIOS),
        "Disruptions": _rows(DISRUPTION_COLUMNS, DISRUPTIONS),
        "Tariffs": _rows(TARIFF_COLUMNS, TARIFFS),
    }


def example_notes() -> list[tuple[str, str]]:
    """Notes sheet of the example: (topic, text) rows."""
    return list(NOTES)
