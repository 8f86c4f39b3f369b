"""The bundled example: India's sourcing plan for six critical products, 2026-2035.

``inputs/build_inputs.py`` writes these records to ``planner/data/example.xlsx``, the
workbook that ``trust-planner solve`` solves when given no input. Everything here is
ILLUSTRATIVE: plausible orders of magnitude for a national planner's first run, not
forecasts, quotes or official figures, and every company name is fictional.

The story in one paragraph: India needs lithium carbonate, NdPr oxide, spherical
graphite and cobalt sulphate for its battery and magnet industry, and paracetamol
and amoxicillin APIs for its medicines. One country (CN) is the cheapest and largest
processor of all of them. Policy caps the share of any one foreign country, raises
domestic shares step by step, asks for green and low-risk supply and a strategic
reserve, and the plan must hold up if CN stops exporting rare earths and graphite
(and rations lithium chemicals and KSMs) from 2027, or if the DRC cuts cobalt
exports. The levers: partner-country suppliers, domestic refineries and bulk-drug
parks with production-linked incentives (PLI), and cheap multilateral and green
finance.

Units: every material is in tonnes (t), pharma too (1 t = 1,000 kg, so paracetamol at
4,300 USD/t is 4.30 USD/kg). Money is in USD; costs per unit are USD per tonne.

Rows are written as tuples under a column tuple, one row per line, so the file reads
like the sheet; ``None`` is a blank cell (the manifest default applies).
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
    "carbon_price": 20.0,
    "cvar_alpha": 0.9,
    "cvar_weight": 0.0,
    "time_limit_s": 60.0,
    "mip_gap": 0.0001,
}

# -------------------------------------------------------------------------- Materials
# Intermediates (SPOD, REC, GRAPH_NAT, COOH, PAP, APA) have no demand: recipes consume
# them. Final products carry a small opening stock (about a month or two of demand).

MATERIAL_COLUMNS = ("material", "name", "sector", "unit", "shortage_penalty", "initial_stock", "holding_cost")
MATERIALS = [
    ("SPOD", "Spodumene concentrate (SC6, ~6% Li2O)", "mineral", "t", None, 0, 30),
    ("LI2CO3", "Lithium carbonate, battery grade", "mineral", "t", None, 1_000, 600),
    ("REC", "Mixed rare-earth concentrate", "mineral", "t", None, 0, 150),
    ("NDPR", "NdPr oxide (neodymium-praseodymium)", "mineral", "t", None, 300, 3_000),
    ("GRAPH_NAT", "Natural flake graphite concentrate (~95% C)", "mineral", "t", None, 0, 20),
    ("GRAPH_SPH", "Spherical coated graphite (battery anode material)", "mineral", "t", None, 1_500, 250),
    ("COOH", "Cobalt hydroxide (~35% Co)", "mineral", "t", None, 0, 300),
    ("COSO4", "Cobalt sulphate, battery grade (20.5% Co)", "mineral", "t", None, 400, 300),
    ("PAP", "Para-aminophenol (KSM of paracetamol)", "pharma", "t", None, 0, 100),
    ("PCM", "Paracetamol API", "pharma", "t", None, 3_000, 200),
    ("APA", "6-aminopenicillanic acid, 6-APA (KSM of amoxicillin)", "pharma", "t", None, 0, 900),
    ("AMOX", "Amoxicillin trihydrate API", "pharma", "t", None, 500, 1_100),
]

# ----------------------------------------------------------------------------- Demand
# Final products only, t/year, 2026..2035. Battery materials follow an EV and
# cell-manufacturing ramp (ACC PLI giga-factories from about 2027); NdPr follows EV
# traction motors and wind; the APIs grow with domestic formulation output.

DEMAND: dict[str, list[float]] = {
    #            2026    2027    2028    2029    2030    2031    2032    2033    2034    2035
    "LI2CO3":    [8_000, 11_000, 14_500, 18_500, 23_000, 27_500, 31_500, 35_500, 39_000, 42_000],
    "NDPR":      [1_200, 1_450, 1_700, 2_000, 2_300, 2_650, 3_000, 3_350, 3_700, 4_000],
    "GRAPH_SPH": [9_000, 12_500, 16_500, 21_000, 26_000, 31_000, 35_500, 40_000, 45_000, 50_000],
    "COSO4":     [2_500, 3_000, 3_600, 4_200, 4_800, 5_400, 6_000, 6_600, 7_300, 8_000],
    "PCM":       [30_000, 31_500, 33_000, 34_700, 36_400, 38_200, 40_100, 42_100, 44_200, 46_400],
    "AMOX":      [5_000, 5_200, 5_400, 5_600, 5_850, 6_100, 6_350, 6_600, 6_850, 7_100],
}

# -------------------------------------------------------------------------- Countries
# risk: illustrative 0..1 score for supply interruption to India (political
# alignment, record of export controls or ore-export bans, conflict, concentration).
# tariff: illustrative average ad valorem duty incl. trade remedies; 0 under a trade
# agreement (ECTA, CEPA, AIFTA, PTA) or LDC duty-free access. allied: partner economy
# under an alliance or trade / critical-minerals agreement.

COUNTRY_COLUMNS = ("country", "name", "risk", "tariff", "allied", "sanctioned")
COUNTRIES = [
    ("IN", "India (home)", 0.05, 0.00, True, False),
    ("CN", "China", 0.60, 0.05, False, False),
    ("AU", "Australia", 0.08, 0.00, True, False),
    ("JP", "Japan", 0.05, 0.00, True, False),
    ("KR", "Republic of Korea", 0.10, 0.00, True, False),
    ("US", "United States", 0.08, 0.03, True, False),
    ("DE", "Germany (EU)", 0.05, 0.05, True, False),
    ("FI", "Finland (EU)", 0.05, 0.05, True, False),
    ("MY", "Malaysia", 0.15, 0.00, True, False),
    ("ID", "Indonesia", 0.30, 0.00, True, False),
    ("CL", "Chile", 0.20, 0.02, True, False),
    ("AR", "Argentina", 0.35, 0.05, False, False),
    ("BR", "Brazil", 0.25, 0.05, False, False),
    ("CD", "DR Congo", 0.65, 0.00, False, False),
    ("MZ", "Mozambique", 0.45, 0.00, False, False),
    ("TZ", "Tanzania", 0.35, 0.00, False, False),
    ("RU", "Russia (sanctioned, illustrative)", 0.80, 0.05, False, True),
]

# -------------------------------------------------------------------------- Suppliers
# Fictional companies. capacity: joint t/year over all their offers.
# qualification_cost: audits, sample qualification, for APIs the regulatory change
# (DMF / site approval); risk: company-specific (ownership, ESG, single site).

SUPPLIER_COLUMNS = ("supplier", "country", "capacity", "qualification_cost", "risk", "green_certified")
SUPPLIERS = [
    # lithium
    ("Pilbara-style Spodumene Co", "AU", 200_000, 1.0 * M, 0.03, False),
    ("Yilgarn Lithium Minerals", "AU", 120_000, 0.8 * M, 0.05, True),
    ("Minas Spodumene Mineracao", "BR", 50_000, 0.8 * M, 0.10, True),
    ("Jiangxi Lithium Salt Works", "CN", 60_000, 0.5 * M, 0.05, False),
    ("Sichuan Lithium Chemicals", "CN", 25_000, 0.5 * M, 0.05, False),
    ("Atacama Brine Lithium SA", "CL", 15_000, 1.2 * M, 0.05, True),
    ("Puna Salar Lithium SA", "AR", 12_000, 1.5 * M, 0.15, False),
    ("Gwangyang-style Lithium Chemical", "KR", 8_000, 0.8 * M, 0.02, False),
    # rare earths
    ("Outback Rare Earths Pty", "AU", 25_000, 1.0 * M, 0.03, True),
    ("Mojave Rare Earths Inc", "US", 16_000, 1.5 * M, 0.10, False),
    ("Inner Mongolia RE Separation Co", "CN", 6_000, 1.0 * M, 0.05, False),
    ("Kuantan-style RE Separation Sdn Bhd", "MY", 1_500, 1.2 * M, 0.05, False),
    ("Kyushu Rare Earth Refining KK", "JP", 600, 1.0 * M, 0.02, True),
    ("Ural Rare Metals JSC", "RU", 8_000, 0.5 * M, 0.20, False),
    # graphite
    ("Heilongjiang Graphite & Anode Co", "CN", 140_000, 0.6 * M, 0.05, False),
    ("Cabo Delgado Graphite Lda", "MZ", 60_000, 0.8 * M, 0.20, False),
    ("Mahenge Flake Graphite Ltd", "TZ", 40_000, 0.8 * M, 0.10, True),
    ("Yeongil Bay Anode Co", "KR", 8_000, 1.0 * M, 0.02, True),
    ("Chiba Carbon Anode KK", "JP", 4_000, 1.0 * M, 0.02, False),
    ("Appalachian Graphite Anode LLC", "US", 6_000, 1.2 * M, 0.08, True),
    # cobalt
    ("Katanga Copper-Cobalt SARL", "CD", 12_000, 0.8 * M, 0.25, False),
    ("Sulawesi HPAL Nickel-Cobalt", "ID", 9_000, 1.0 * M, 0.10, False),
    ("Kalgoorlie Nickel-Cobalt Pty", "AU", 2_000, 0.8 * M, 0.05, True),
    ("Zhejiang Cobalt Chemicals", "CN", 10_000, 0.5 * M, 0.05, False),
    ("Bothnia Cobalt Refinery Oy", "FI", 2_500, 1.0 * M, 0.03, True),
    # pharma: KSMs and APIs
    ("Hebei KSM & API Co", "CN", 60_000, 0.6 * M, 0.05, False),
    ("Shandong Paracetamol Works", "CN", 35_000, 0.6 * M, 0.08, False),
    ("Rhein Aminophenol GmbH", "DE", 12_000, 0.9 * M, 0.03, True),
    ("Inner Mongolia Fermentation Co", "CN", 15_000, 0.8 * M, 0.08, False),
    ("Shanxi Beta-Lactam Co", "CN", 5_000, 0.6 * M, 0.10, False),
    ("Bavaria Antibiotics GmbH", "DE", 3_000, 1.2 * M, 0.03, True),
]

# ----------------------------------------------------------------------------- Offers
# unit_cost: ex-works USD/t; freight USD/t to an Indian port; carbon tCO2e/t;
# min_order t/year in every year from available_from once contracted (offtake);
# contract_cost: one-off USD. Chinese offers are the cheapest and largest.

OFFER_COLUMNS = ("supplier", "material", "unit_cost", "capacity", "freight_cost", "carbon_intensity",
                 "min_order", "contract_cost", "available_from")
OFFERS = [
    # spodumene concentrate SC6 (~1,100-1,300 USD/t)
    ("Pilbara-style Spodumene Co", "SPOD", 1_150, 200_000, 60, 0.35, None, 0.5 * M, None),
    ("Yilgarn Lithium Minerals", "SPOD", 1_100, 120_000, 65, 0.30, 30_000, 1.0 * M, 2030),
    ("Minas Spodumene Mineracao", "SPOD", 1_300, 50_000, 110, 0.25, None, 0.6 * M, 2028),
    # lithium carbonate (~12,500-14,500 USD/t)
    ("Jiangxi Lithium Salt Works", "LI2CO3", 12_500, 60_000, 150, 15.0, None, 0.3 * M, None),
    ("Sichuan Lithium Chemicals", "LI2CO3", 12_900, 25_000, 150, 14.0, None, 0.3 * M, None),
    ("Atacama Brine Lithium SA", "LI2CO3", 13_800, 15_000, 350, 3.0, 2_000, 0.8 * M, None),
    ("Puna Salar Lithium SA", "LI2CO3", 13_300, 12_000, 380, 4.0, None, 1.0 * M, 2028),
    ("Gwangyang-style Lithium Chemical", "LI2CO3", 14_500, 8_000, 200, 9.0, None, 0.5 * M, None),
    # mixed rare-earth concentrate (priced net of by-product credits)
    ("Outback Rare Earths Pty", "REC", 6_200, 25_000, 120, 1.0, None, 0.5 * M, None),
    ("Mojave Rare Earths Inc", "REC", 6_600, 15_000, 300, 1.2, None, 0.5 * M, None),
    # NdPr oxide (~60,000-78,000 USD/t)
    ("Inner Mongolia RE Separation Co", "NDPR", 60_000, 6_000, 300, 30.0, None, 0.3 * M, None),
    ("Kuantan-style RE Separation Sdn Bhd", "NDPR", 70_000, 1_500, 250, 18.0, 300, 0.8 * M, None),
    ("Kyushu Rare Earth Refining KK", "NDPR", 78_000, 600, 400, 12.0, None, 0.5 * M, None),
    ("Mojave Rare Earths Inc", "NDPR", 74_000, 1_000, 400, 15.0, None, 0.8 * M, 2028),
    ("Ural Rare Metals JSC", "NDPR", 55_000, 3_000, 350, 28.0, None, 0.3 * M, None),
    # natural flake graphite (~550-700 USD/t)
    ("Heilongjiang Graphite & Anode Co", "GRAPH_NAT", 550, 80_000, 80, 0.6, None, 0.2 * M, None),
    ("Cabo Delgado Graphite Lda", "GRAPH_NAT", 650, 60_000, 90, 0.4, 10_000, 0.6 * M, 2028),
    ("Mahenge Flake Graphite Ltd", "GRAPH_NAT", 700, 40_000, 95, 0.3, None, 0.5 * M, 2028),
    # spherical coated graphite, anode grade (~4,200-7,500 USD/t)
    ("Heilongjiang Graphite & Anode Co", "GRAPH_SPH", 4_200, 60_000, 120, 9.0, None, 0.3 * M, None),
    ("Yeongil Bay Anode Co", "GRAPH_SPH", 6_800, 8_000, 150, 5.0, None, 0.5 * M, None),
    ("Chiba Carbon Anode KK", "GRAPH_SPH", 7_200, 4_000, 180, 6.0, None, 0.5 * M, None),
    ("Appalachian Graphite Anode LLC", "GRAPH_SPH", 7_500, 6_000, 420, 4.0, None, 0.6 * M, None),
    # cobalt hydroxide (~7,000-8,200 USD/t)
    ("Katanga Copper-Cobalt SARL", "COOH", 7_000, 12_000, 250, 2.5, None, 0.4 * M, None),
    ("Sulawesi HPAL Nickel-Cobalt", "COOH", 7_600, 6_000, 150, 6.0, None, 0.4 * M, 2027),
    ("Kalgoorlie Nickel-Cobalt Pty", "COOH", 8_200, 2_000, 180, 2.0, None, 0.4 * M, None),
    # cobalt sulphate (~6,400-7,800 USD/t)
    ("Zhejiang Cobalt Chemicals", "COSO4", 6_400, 10_000, 120, 8.0, None, 0.3 * M, None),
    ("Bothnia Cobalt Refinery Oy", "COSO4", 7_800, 2_500, 300, 3.0, None, 0.5 * M, None),
    ("Sulawesi HPAL Nickel-Cobalt", "COSO4", 7_200, 3_000, 150, 9.0, None, 0.4 * M, 2028),
    ("Ural Rare Metals JSC", "COSO4", 5_900, 5_000, 350, 7.0, None, 0.3 * M, None),
    # para-aminophenol, KSM (~2.2-3.1 USD/kg)
    ("Hebei KSM & API Co", "PAP", 2_200, 40_000, 60, 3.5, None, 0.2 * M, None),
    ("Shandong Paracetamol Works", "PAP", 2_350, 20_000, 60, 3.5, None, 0.2 * M, None),
    ("Rhein Aminophenol GmbH", "PAP", 3_100, 8_000, 150, 2.0, None, 0.3 * M, None),
    # paracetamol API (~4.3-6.2 USD/kg)
    ("Hebei KSM & API Co", "PCM", 4_300, 30_000, 80, 5.0, None, 0.3 * M, None),
    ("Shandong Paracetamol Works", "PCM", 4_600, 20_000, 80, 5.0, None, 0.3 * M, None),
    ("Rhein Aminophenol GmbH", "PCM", 6_200, 5_000, 200, 3.0, None, 0.4 * M, None),
    # 6-APA, KSM (~17-23 USD/kg)
    ("Inner Mongolia Fermentation Co", "APA", 17_000, 8_000, 200, 15.0, None, 0.3 * M, None),
    ("Shanxi Beta-Lactam Co", "APA", 18_000, 3_000, 200, 15.0, None, 0.3 * M, None),
    ("Bavaria Antibiotics GmbH", "APA", 23_000, 1_500, 300, 8.0, None, 0.4 * M, None),
    # amoxicillin trihydrate API (~21-30 USD/kg)
    ("Inner Mongolia Fermentation Co", "AMOX", 21_000, 9_000, 250, 20.0, None, 0.3 * M, None),
    ("Shanxi Beta-Lactam Co", "AMOX", 22_500, 3_000, 250, 20.0, None, 0.3 * M, None),
    ("Bavaria Antibiotics GmbH", "AMOX", 30_000, 1_500, 300, 10.0, None, 0.4 * M, None),
]

# ------------------------------------------------------------------------- Facilities
# Candidate domestic capacity. Costs: capex USD/module, fixed opex USD/module-year,
# unit_cost USD/t of output excluding recipe inputs (reagents, energy, labour),
# pli_subsidy USD/t (production-linked incentive). Existing modules: one rare-earth
# separation line and one beach-sand monazite mine (public-sector style), and
# paracetamol and amoxicillin lines that today run on imported KSMs.

FACILITY_COLUMNS = ("facility", "name", "kind", "material", "module_capacity", "max_modules",
                    "existing_modules", "capex_per_module", "fixed_opex_per_module", "unit_cost", "build_years",
                    "earliest_year", "carbon_intensity", "green", "pli_subsidy", "risk", "lifetime_years", "location")
FACILITIES = [
    ("LI_REFINERY_GJ", "Gujarat lithium refinery",
     "refinery", "LI2CO3", 10_000, 4, 0, 250 * M, 10 * M, 2_800, 3, 2027,
     9.0, False, 500, 0.05, 25, "Coastal SEZ, Gujarat"),
    ("NDPR_REFINERY_OD", "Odisha rare-earth separation",
     "refinery", "NDPR", 500, 6, 1, 60 * M, 3 * M, 14_000, 3, 2026,
     20.0, False, 3_000, 0.05, 25, "Rare-earth park, Odisha"),
    ("REC_MINE_KL", "Kerala monazite mine",
     "mine", "REC", 2_500, 3, 1, 30 * M, 2 * M, 5_000, 3, 2027,
     1.5, False, None, 0.05, 20, "Beach-sand monazite, Kerala coast"),
    ("GRAPHITE_ANODE_OD", "Odisha graphite anode plant",
     "refinery", "GRAPH_SPH", 10_000, 6, 0, 60 * M, 6 * M, 3_200, 2, 2026,
     4.0, True, 200, 0.05, 25, "Renewable-powered industrial park, Odisha"),
    ("GRAPHITE_MINE_JH", "Jharkhand graphite mine",
     "mine", "GRAPH_NAT", 15_000, 3, 0, 20 * M, 2 * M, 600, 2, 2027,
     0.5, False, None, 0.08, 20, "Palamu belt, Jharkhand"),
    ("COBALT_REFINERY_MH", "Maharashtra cobalt refinery",
     "refinery", "COSO4", 3_000, 3, 0, 30 * M, 2 * M, 1_400, 2, 2026,
     3.0, False, None, 0.05, 25, "Chemical zone, Maharashtra"),
    ("BATTERY_RECYCLING_KA", "Karnataka battery recycling",
     "recycling", "COSO4", 1_000, 4, 0, 15 * M, 1 * M, 6_200, 2, 2027,
     1.0, True, None, 0.05, 15, "E-waste recycling cluster, Karnataka"),
    ("PAP_KSM_PARK_GJ", "Gujarat PAP plant (KSM)",
     "pharma_park", "PAP", 8_000, 4, 0, 20 * M, 1.5 * M, 2_500, 2, 2026,
     2.5, False, 300, 0.05, 20, "Bulk-drug park, Gujarat"),
    ("PCM_API_PARK_GJ", "Gujarat paracetamol plant",
     "pharma_park", "PCM", 6_000, 6, 2, 25 * M, 1.2 * M, 2_600, 2, 2026,
     3.0, False, 250, 0.05, 20, "Bulk-drug park, Gujarat"),
    ("APA_FERMENTATION_AP", "Andhra 6-APA fermentation",
     "pharma_park", "APA", 1_000, 3, 0, 60 * M, 4 * M, 17_500, 3, 2026,
     12.0, False, 2_500, 0.05, 20, "Bulk-drug park, Andhra Pradesh"),
    ("AMOX_API_PARK_HP", "Himachal amoxicillin plant",
     "pharma_park", "AMOX", 1_500, 5, 2, 40 * M, 3 * M, 9_000, 2, 2026,
     6.0, True, 1_000, 0.05, 20, "Bulk-drug park, Himachal Pradesh"),
]

# ---------------------------------------------------------------------------- Recipes
# t of input per t of output (yields included). Mines, recycling (black mass bought
# in unit_cost) and the PAP and 6-APA plants (commodity chemicals and fermentation
# feedstock in unit_cost) have no recipe rows.

RECIPE_COLUMNS = ("facility", "input_material", "quantity_per_unit")
RECIPES = [
    ("LI_REFINERY_GJ", "SPOD", 7.5),         # ~7.5 t SC6 per t Li2CO3
    ("NDPR_REFINERY_OD", "REC", 8.0),        # NdPr ~12% of the concentrate, after losses
    ("GRAPHITE_ANODE_OD", "GRAPH_NAT", 2.4),  # spheronisation yield ~40-45%
    ("COBALT_REFINERY_MH", "COOH", 0.62),    # 20.5% Co out of 35% Co hydroxide, ~95% recovery
    ("PCM_API_PARK_GJ", "PAP", 0.76),        # stoichiometric 0.72 at ~95% yield
    ("AMOX_API_PARK_HP", "APA", 0.58),       # stoichiometric 0.52 at ~90% yield
]

# -------------------------------------------------------------------------- Financing
# A draw's cost is the present value of its repayments at the 8% planning rate: about
# 0.59 per USD for the 1.8%/20-year multilateral loan, 0.95 for the green bond, 1.00
# for the budget, 1.19 for the PPP; the grant is free but small.

FINANCING_COLUMNS = ("source", "kind", "limit", "annual_rate", "tenor_years", "arrangement_fee", "min_draw",
                     "green_only", "available_from")
FINANCING = [
    ("MDB_LOAN", "multilateral_loan", 600 * M, 0.018, 20, 1.5 * M, 100 * M, False, 2027),
    ("GREEN_BOND", "green_bond", 300 * M, 0.068, 10, 0.5 * M, 50 * M, True, None),
    ("UNION_BUDGET", "budget", 200 * M, 0.0, 0, None, None, False, None),
    ("PPP_VGF", "ppp", 800 * M, 0.11, 15, 2 * M, 50 * M, False, None),
    ("MISSION_GRANT", "grant", 40 * M, 0.0, 0, None, None, False, None),
]

# --------------------------------------------------------------------------- Policies
# '*' rows are the standing rules; material rows override them, material-and-year
# rows override those (ramps). Blank year = every year; blank scenario = every one.

POLICY_COLUMNS = ("material", "year", "scenario", "max_country_share", "max_supplier_share", "max_avg_risk",
                  "min_green_share", "max_carbon_intensity", "min_domestic_share", "max_non_allied_share",
                  "min_suppliers", "min_stock_share", "max_shortage_share")


def _policy(material: str, year: int | None = None, **targets: float) -> dict[str, Any]:
    return {"material": material, "year": year, **targets}


def _ramp(material: str, steps: dict[tuple[int, int], dict[str, float]]) -> list[dict[str, Any]]:
    """Material-and-year rows: ``{(from, to): targets}`` for every year from..to."""
    return [_policy(material, year, **targets)
            for (start, end), targets in steps.items() for year in range(start, end + 1)]


POLICIES: list[dict[str, Any]] = [
    # standing rules for every material
    _policy("*", max_country_share=0.5, max_avg_risk=0.5, max_shortage_share=0.1),
    # ores and concentrates: geology concentrates supply, so looser caps
    _policy("SPOD", max_country_share=0.8),
    _policy("COOH", max_country_share=0.6, max_avg_risk=0.6),
    # lithium carbonate: green (low-carbon brine) share, non-allied cap, self-reliance ramp
    _policy("LI2CO3", min_green_share=0.15, max_non_allied_share=0.6),
    *_ramp("LI2CO3", {(2030, 2032): {"min_domestic_share": 0.15},
                      (2033, 2035): {"min_domestic_share": 0.3}}),
    # NdPr oxide: strategic. Three contracted suppliers, low risk, 3-month reserve, no shortage,
    # tighter country cap from 2028, domestic ramp 0 -> 0.2 -> 0.4
    _policy("NDPR", max_avg_risk=0.35, min_suppliers=3, min_stock_share=0.25, max_shortage_share=0.0),
    *_ramp("NDPR", {(2028, 2028): {"max_country_share": 0.4},
                    (2029, 2031): {"max_country_share": 0.4, "min_domestic_share": 0.2},
                    (2032, 2035): {"max_country_share": 0.4, "min_domestic_share": 0.4}}),
    # spherical graphite: green share from 2030
    *_ramp("GRAPH_SPH", {(2030, 2035): {"min_green_share": 0.25}}),
    # essential medicines: no shortage; paracetamol buffer stock; domestic ramps
    _policy("PCM", min_stock_share=0.1, max_shortage_share=0.0),
    *_ramp("PCM", {(2028, 2030): {"min_domestic_share": 0.4},
                   (2031, 2035): {"min_domestic_share": 0.5}}),
    _policy("AMOX", min_domestic_share=0.4, min_suppliers=2, max_shortage_share=0.0),
    *_ramp("AMOX", {(2030, 2035): {"min_domestic_share": 0.6}}),
]

# ------------------------------------------------------------ Scenarios and disruptions

SCENARIO_COLUMNS = ("scenario", "probability", "description")
SCENARIOS = [
    ("base", 0.7, "Trade as today: Chinese processors supply at list prices within the policy caps."),
    ("cn_export_controls", 0.2, "From 2027 the dominant processing country bans exports of NdPr oxide and "
     "graphite, halves lithium-chemical exports, and rations KSMs (PAP, 6-APA) in 2027-2029; prices "
     "elsewhere rise."),
    ("cobalt_shock", 0.1, "DR Congo cuts cobalt exports to 30% in 2029-2031 (export quota); cobalt "
     "hydroxide and sulphate prices jump worldwide."),
]

DISRUPTION_COLUMNS = ("scenario", "country", "supplier", "material", "from_year", "to_year",
                      "capacity_factor", "price_factor")
DISRUPTIONS = [
    ("cn_export_controls", "CN", None, "NDPR", 2027, None, 0.0, 1.0),
    ("cn_export_controls", "CN", None, "GRAPH_SPH", 2027, None, 0.0, 1.0),
    ("cn_export_controls", "CN", None, "GRAPH_NAT", 2027, None, 0.0, 1.0),
    ("cn_export_controls", "CN", None, "LI2CO3", 2027, None, 0.5, 1.3),
    ("cn_export_controls", "CN", None, "PAP", 2027, 2029, 0.5, 1.5),
    ("cn_export_controls", "CN", None, "APA", 2027, 2029, 0.5, 1.5),
    ("cn_export_controls", None, None, "NDPR", 2027, None, 1.0, 1.4),       # ex-China price premium
    ("cn_export_controls", None, None, "GRAPH_SPH", 2027, None, 1.0, 1.25),
    ("cobalt_shock", "CD", None, None, 2029, 2031, 0.3, 1.0),
    ("cobalt_shock", None, None, "COOH", 2029, 2031, 1.0, 1.6),
    ("cobalt_shock", None, None, "COSO4", 2029, 2031, 1.0, 1.5),
]

# ------------------------------------------------------------------------------ Notes

NOTES: list[tuple[str, str]] = [
    ("About this example",
     "The bundled example of trust-planner: an ILLUSTRATIVE ten-year (2026-2035) sourcing plan for India "
     "covering four battery and magnet materials and two essential-medicine APIs. Every number is a "
     "plausible order of magnitude chosen to show how the planner works; none is a forecast, a quote or an "
     "official statistic, and every company name is fictional. Replace the data with your own before using "
     "a plan for decisions."),
    ("Units",
     "Every material is measured in tonnes (t), pharmaceuticals too: 1 t = 1,000 kg, so paracetamol at "
     "4,300 USD/t is 4.30 USD/kg. Money is in USD (undiscounted in the inputs); unit costs, freight, PLI "
     "and holding costs are USD per tonne, capex and fees are USD. Carbon intensity is tCO2e per tonne; "
     "the carbon price of 20 USD/tCO2e is an illustrative shadow price."),
    ("Materials and recipes",
     "Six chains: spodumene concentrate -> lithium carbonate (refinery, 7.5 t SC6 per t); mixed rare-earth "
     "concentrate -> NdPr oxide (separation refinery, 8 t per t); natural flake graphite -> spherical "
     "coated graphite anode material (2.4 t per t); cobalt hydroxide -> cobalt sulphate (0.62 t per t); "
     "para-aminophenol (KSM) -> paracetamol API (0.76 t per t); 6-APA (KSM) -> amoxicillin API (0.58 t per "
     "t). Demand is given only for the six final products; the intermediates are consumed by domestic "
     "facilities and can be imported, mined, or made in KSM plants."),
    ("Demand",
     "Battery-material demand follows an illustrative EV and cell-manufacturing ramp (lithium carbonate "
     "8 kt to 42 kt, spherical graphite 9 kt to 50 kt, cobalt sulphate 2.5 kt to 8 kt); NdPr oxide grows "
     "with EV traction motors and wind (1.2 kt to 4 kt); paracetamol (~5%/yr) and amoxicillin (~4%/yr) grow "
     "with domestic formulation output."),
    ("China's position",
     "The headline facts the example rests on (illustrative, rounded): about 60% of the world's rare-earth "
     "processing is in one country, which also dominates graphite anode, lithium-chemical and cobalt "
     "refining; India sources about 70% of its API and KSM imports from that same country. The example "
     "therefore makes Chinese offers the cheapest and largest for every processed material, so the "
     "country caps, domestic targets and the export-control scenario have a visible cost."),
    ("Countries and risk",
     "Risk scores (0..1) are illustrative judgements of the chance that supply to India is interrupted: "
     "political alignment, past use of export controls or ore-export bans, conflict and governance, and "
     "concentration. Partners under trade or critical-minerals agreements (Australia, Japan, Korea, the "
     "US, the EU, ASEAN members, Chile) are marked allied; least-developed-country suppliers enter duty "
     "free. Russia is marked sanctioned purely to illustrate the flag: its offers exist but cannot be used."),
    ("Prices",
     "Ex-works prices sit in recent ranges (illustrative): spodumene SC6 ~1,100-1,300 USD/t; lithium "
     "carbonate ~12,500-14,500 USD/t; NdPr oxide ~60,000-78,000 USD/t; natural flake graphite ~550-700 "
     "USD/t; spherical graphite ~4,200-7,500 USD/t; cobalt hydroxide ~7,000-8,200 USD/t; cobalt sulphate "
     "~6,400-7,800 USD/t; para-aminophenol ~2.2-3.1 USD/kg; paracetamol ~4.3-6.2 USD/kg; 6-APA ~17-23 "
     "USD/kg; amoxicillin ~21-30 USD/kg. Rare-earth concentrate is priced net of by-product credits."),
    ("Domestic facilities and PLI",
     "Candidate domestic capacity: a lithium refinery, a rare-earth separation refinery (one line exists), "
     "a beach-sand monazite mine (one module exists), a graphite anode plant (renewable powered, green), a "
     "graphite mine, a cobalt sulphate refinery, battery recycling (green), and bulk-drug-park plants for "
     "PAP, paracetamol (two lines exist), 6-APA fermentation and amoxicillin (two lines exist, green). "
     "Production-linked incentives are modelled as a per-tonne subsidy, in the spirit of India's PLI "
     "schemes for bulk drugs and KSMs and for advanced-chemistry-cell batteries, and of the National "
     "Critical Mineral Mission; the amounts are illustrative, not scheme rates. Counting capex, domestic "
     "production costs more than Chinese imports (PLI narrows the gap) and about as much as or less than "
     "allied imports, except NdPr oxide, where small separation lines cost more than any import: they are "
     "built for security, not price."),
    ("Financing",
     "Five sources (illustrative terms): a multilateral development-bank loan (1.8%, 20 years, 600 M USD, "
     "from 2027), a sovereign green bond for green facilities only (6.8%, 10 years, 300 M USD), the Union "
     "budget (200 M USD, paid at once), a PPP with viability-gap funding (11%, 15 years, 800 M USD) and a "
     "small mission grant (40 M USD). Discounted at 8%, a dollar drawn costs about 0.59 (loan), 0.95 "
     "(green bond), 1.00 (budget) and 1.19 (PPP)."),
    ("Policies",
     "Standing rules: no foreign country above 50% of any material's supply, supply-weighted risk at most "
     "0.5, at most 10% shortage. Ores are allowed more concentration (spodumene 80%, cobalt hydroxide "
     "60%). Lithium carbonate: at least 15% green, at most 60% from non-allied countries, domestic share "
     "15% from 2030 and 30% from 2033. NdPr oxide: country cap 40% from 2028, risk at most 0.35, at least "
     "three contracted suppliers, a three-month strategic reserve (25% of demand), no shortage, domestic "
     "share 20% from 2029 and 40% from 2032. Spherical graphite: at least 25% green from 2030. "
     "Paracetamol: no shortage, a 10% buffer stock, domestic share 40% from 2028 and 50% from 2031. "
     "Amoxicillin: no shortage, two contracted suppliers, domestic share 40%, 60% from 2030."),
    ("Scenarios",
     "base (70%): trade as today. cn_export_controls (20%): from 2027 the dominant processor bans NdPr "
     "oxide and graphite exports, halves lithium-chemical exports (+30% price) and halves KSM exports in "
     "2027-2029 (+50% price); NdPr and spherical graphite cost 40% and 25% more elsewhere. cobalt_shock "
     "(10%): DR Congo ships only 30% of its cobalt in 2029-2031; cobalt hydroxide +60%, sulphate +50%. "
     "Contracts, qualifications, builds and financing are decided once and must work in every scenario."),
    ("Solver settings",
     "mip_gap is 0.01%: the objective is about 7 billion USD of discounted cost, so the plan is proven within "
     "about 0.7 M USD of the best possible; a looser gap (0.2% is about 14 M USD) would be larger than the cost "
     "of many single policy changes, and a comparison of two plans could not tell such a change from solver "
     "tolerance. cvar_weight 0 means risk-neutral (expected cost); raise it to weigh the costliest scenario "
     "more."),
    ("What to look at in the plan",
     "KPIs by scenario: where the country cap holds Chinese supply at its limit, how far domestic shares "
     "exceed the policy ramps, and how supply is replaced when exports stop. Builds and Financing: which "
     "domestic lines are built, when, and which source pays (the cheap loan and the grant first, the PPP "
     "last). Contracts: the partner-country suppliers qualified as insurance for the disruption scenarios. "
     "Marginal values: which targets cost the most to tighten."),
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
    }


def example_notes() -> list[tuple[str, str]]:
    """Notes sheet of the example: (topic, text) rows."""
    return list(NOTES)
