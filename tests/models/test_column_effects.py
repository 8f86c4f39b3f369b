"""Every input column that the model reads changes the optimum as argued by hand.

One small base instance (2 years, discount rate 0 unless a case sets it):

- final material P, demand 100 in 2026 and 2027, holding cost 3 (so buying P a year
  ahead at 10 + 3 never beats buying it when needed at 12); input material R;
- foreign suppliers SA (country A, allied, risk 0.2) and SB (country B, risk 0.6);
  offers SA-P at 12, SB-P at 10, SA-R at 1; no capacities;
- domestic refinery F: one existing module of 40 units/year at unit cost 5, consuming
  1 R per unit (so domestic P costs 5 + 1 = 6), max_modules 1, risk 0.05.

Base optimum: F makes 40 at 6, SB supplies 60 at 10, each year: 2 x 840 = 1680.
Each case changes one or two cells and states the new optimum, argued in its comment.
Labels that the SPEC says are shown only (names, units, sector, facility kind and
location, currency, scenario description) are deliberately not here.
"""

from __future__ import annotations

import copy

import pytest

from models.outcome import Status
from models.solve import solve_dataset
from planner.schema.dataset import from_records

SETTINGS = {"home_country": "IN", "first_year": 2026, "years": 2, "discount_rate": 0.0}
RECORDS = {
    "Materials": [{"material": "P", "name": "Product", "sector": "mineral", "unit": "t", "holding_cost": 3},
                  {"material": "R", "name": "Raw", "sector": "mineral", "unit": "t"}],
    "Demand": [{"material": "P", "year": 2026, "quantity": 100}, {"material": "P", "year": 2027, "quantity": 100}],
    "Countries": [{"country": "IN", "name": "Home", "risk": 0.1},
                  {"country": "A", "name": "Ally", "risk": 0.2, "allied": True},
                  {"country": "B", "name": "Other", "risk": 0.6}],
    "Suppliers": [{"supplier": "SA", "country": "A"}, {"supplier": "SB", "country": "B"}],
    "Offers": [{"supplier": "SA", "material": "P", "unit_cost": 12},
               {"supplier": "SB", "material": "P", "unit_cost": 10},
               {"supplier": "SA", "material": "R", "unit_cost": 1}],
    "Facilities": [{"facility": "F", "kind": "refinery", "material": "P", "module_capacity": 40, "max_modules": 1,
                    "existing_modules": 1, "unit_cost": 5}],
    "Recipes": [{"facility": "F", "input_material": "R", "quantity_per_unit": 1}],
}
BASE = 1680.0
#: A candidate second module: started 2026 it produces from 2027 (build_years 1) and
#: saves 40 x (10 - 6) = 160 in 2027.
CANDIDATE = {"max_modules": 2, "build_years": 1}


def _row(records, sheet, **match):
    rows = [r for r in records[sheet] if all(r.get(k) == v for k, v in match.items())]
    assert len(rows) == 1, (sheet, match)
    return rows[0]


def setting(**values):
    return lambda s, r: s.update(values)


def cell(sheet, match, **values):
    return lambda s, r: _row(r, sheet, **match).update(values)


def add(sheet, *rows):
    return lambda s, r: r.setdefault(sheet, []).extend(copy.deepcopy(list(rows)))


def both(*changes):
    def apply(s, r):
        for change in changes:
            change(s, r)
    return apply


SB_P = {"supplier": "SB", "material": "P"}
SA_P = {"supplier": "SA", "material": "P"}
F = {"facility": "F"}
#: Repayment of 1 at 10% over two years, each year.
ANNUITY = 0.1 / (1 - 1.1 ** -2)
#: Two equally likely scenarios, "base" and "ban" (whose disruptions each case adds).
EVEN = add("Scenarios", {"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5})
BAN_2027 = both(EVEN,
                add("Disruptions", {"scenario": "ban", "country": "B", "from_year": 2027, "capacity_factor": 0.0}))
# In "ban", 2027 is bought from SA: 240 + 60 x 12 = 960, so that scenario costs 840 + 960 = 1800.

#: SA-P at a contract cost of 100, and P dear to hold (10 a unit-year).
LATE_CONTRACT = both(cell("Offers", SA_P, contract_cost=100), cell("Materials", {"material": "P"}, holding_cost=10))

CASES = [
    # --- Settings ---
    ("discount_rate", setting(discount_rate=0.1), 840 + 840 / 1.1),
    ("years", setting(years=1), 840),
    # B becomes home: a country cap of 0.5 then binds on no foreign country (else 1720)
    ("home_country", both(setting(home_country="B"), add("Policies", {"material": "P", "max_country_share": 0.5})),
     BASE),
    # SB emits 1 t/unit at carbon price 5: landed 15 > SA's 12, buy SA: 2 x (240 + 720)
    ("carbon_price", both(setting(carbon_price=5), cell("Offers", SB_P, carbon_intensity=1)), 1920),
    # only 10 + 10 bought + 40 made: shortage 40/yr at the default penalty 10 x 12 = 120
    ("shortage_penalty default", both(cell("Offers", SB_P, capacity=10), cell("Offers", SA_P, capacity=10)),
     2 * (240 + 100 + 120 + 40 * 120)),
    ("Settings.shortage_penalty", both(setting(shortage_penalty=50), cell("Offers", SB_P, capacity=10),
                                       cell("Offers", SA_P, capacity=10)), 2 * (240 + 100 + 120 + 40 * 50)),
    ("Materials.shortage_penalty overrides Settings",
     both(setting(shortage_penalty=50), cell("Materials", {"material": "P"}, shortage_penalty=30),
          cell("Offers", SB_P, capacity=10), cell("Offers", SA_P, capacity=10)), 2 * (240 + 100 + 120 + 40 * 30)),
    # cvar: plans equal in both scenarios (1680, 1800); CVaR_0.9 is the worst, 1800
    ("cvar_weight", both(BAN_2027, setting(cvar_weight=1.0)), 1740 + 1800),
    # CVaR_0.4: tail of 0.6 = 0.5 at 1800 + 0.1 at 1680 -> (900 + 168) / 0.6 = 1780
    ("cvar_alpha", both(BAN_2027, setting(cvar_weight=1.0, cvar_alpha=0.4)), 1740 + 1780),
    # --- Materials ---
    ("initial_stock", cell("Materials", {"material": "P"}, initial_stock=30), BASE - 300),
    # reserve 10 at each year end: 10 extra bought in 2026 (+100), held two years at 2 (+40)
    ("holding_cost", both(add("Policies", {"material": "P", "min_stock_share": 0.1}),
                          cell("Materials", {"material": "P"}, holding_cost=2)), BASE + 100 + 40),
    # --- Demand ---
    ("Demand.quantity", cell("Demand", {"material": "P", "year": 2027}, quantity=110), BASE + 100),
    # --- Countries ---
    ("Countries.tariff", cell("Countries", {"country": "B"}, tariff=0.1), 2 * (240 + 660)),
    # max_avg_risk 0.3: 0.05*40 + 0.6 qB + 0.2 (60 - qB) <= 30 -> qB <= 40, qA = 20: 2 x 880
    ("max_avg_risk", add("Policies", {"material": "P", "max_avg_risk": 0.3}), 1760),
    # B's risk 0.5: 0.3 qB <= 16 -> qB = 160/3, qA = 20/3: 2 x (240 + 1600/3 + 80)
    ("Countries.risk", both(add("Policies", {"material": "P", "max_avg_risk": 0.3}),
                            cell("Countries", {"country": "B"}, risk=0.5)), 2 * (240 + 1600 / 3 + 80)),
    # SB's own risk 0.5: effective 1 - 0.4 x 0.5 = 0.8; 0.6 qB <= 16 -> qB = 80/3
    ("Suppliers.risk", both(add("Policies", {"material": "P", "max_avg_risk": 0.3}),
                            cell("Suppliers", {"supplier": "SB"}, risk=0.5)), 2 * (240 + 800 / 3 + (60 - 80 / 3) * 12)),
    # F's risk 0.3: 12 + 0.4 qB + 12 <= 30 -> qB = 15
    ("Facilities.risk", both(add("Policies", {"material": "P", "max_avg_risk": 0.3}),
                             cell("Facilities", F, risk=0.3)), 2 * (240 + 150 + 45 * 12)),
    # non-allied purchases <= 0.3 x 100: SB 30, SA 30: 2 x 900
    ("max_non_allied_share", add("Policies", {"material": "P", "max_non_allied_share": 0.3}), 1800),
    ("Countries.allied", both(add("Policies", {"material": "P", "max_non_allied_share": 0.3}),
                              cell("Countries", {"country": "B"}, allied=True)), BASE),
    ("Countries.sanctioned", cell("Countries", {"country": "B"}, sanctioned=True), 1920),
    # --- Suppliers ---
    ("Suppliers.country", both(cell("Countries", {"country": "B"}, tariff=0.1),
                               cell("Suppliers", {"supplier": "SB"}, country="A")), BASE),
    ("Suppliers.capacity", cell("Suppliers", {"supplier": "SB"}, capacity=50), 2 * (240 + 500 + 120)),
    ("qualification_cost", cell("Suppliers", {"supplier": "SB"}, qualification_cost=100), BASE + 100),
    # green target 0.5 met by SA only once SA is certified: SA 50, SB 10: 2 x 940
    ("green_certified", both(add("Policies", {"material": "P", "min_green_share": 0.5}),
                             cell("Suppliers", {"supplier": "SA"}, green_certified=True)), 1880),
    # green target 0.4 met by F's 40 once F is green (else nothing green: all short)
    ("Facilities.green", both(add("Policies", {"material": "P", "min_green_share": 0.4}),
                              cell("Facilities", F, green=True)), BASE),
    ("min_green_share without green supply", add("Policies", {"material": "P", "min_green_share": 0.4}),
     2 * 100 * 120),
    # --- Offers ---
    ("Offers.unit_cost", cell("Offers", SB_P, unit_cost=11), 1800),
    ("Offers.capacity", cell("Offers", SB_P, capacity=50), 1720),
    ("freight_cost", cell("Offers", SB_P, freight_cost=1), 1800),
    # SB contracted must take 70 a year: 140 from SB + 60 from F (30 a year) = 1760 < all-SA 1920
    ("min_order", cell("Offers", SB_P, min_order=70), 1400 + 360),
    ("contract_cost", cell("Offers", SB_P, contract_cost=50), BASE + 50),
    # SA-P is never bought, yet contracted: its contract cost is paid
    ("must_contract", cell("Offers", SA_P, contract_cost=50, must_contract=True), BASE + 50),
    # ... and its min order of 20 bought at 12 instead of SB's 10: +2 x 20 x 2
    ("must_contract with min_order", cell("Offers", SA_P, min_order=20, must_contract=True), BASE + 80),
    # SB only from 2027: 2026 from SA (960), 2027 as base (840)
    ("Offers.available_from", cell("Offers", SB_P, available_from=2027), 1800),
    # --- Facilities ---
    ("module_capacity", cell("Facilities", F, module_capacity=50), 2 * (300 + 500)),
    ("existing_modules", cell("Facilities", F, existing_modules=0), 2000),
    ("max_modules + build_years", cell("Facilities", F, **CANDIDATE), BASE - 160),
    # lead time 0: the new module produces in both years: saves 2 x 160
    ("build_years 0", cell("Facilities", F, max_modules=2, build_years=0), BASE - 320),
    ("earliest_year", cell("Facilities", F, max_modules=2, build_years=0, earliest_year=2027), BASE - 160),
    # capex 200 with lifetime 1: its one producing year is a full lifetime, 200 > 160: no build
    ("capex_per_module", cell("Facilities", F, capex_per_module=200, lifetime_years=1, **CANDIDATE), BASE),
    # lifetime 2: only half the capex falls in the horizon: 100 < 160, build
    ("lifetime_years", cell("Facilities", F, capex_per_module=200, lifetime_years=2, **CANDIDATE), BASE - 160 + 100),
    # a second module costing 200 (lifetime 1) saves only 160: built only when required
    ("min_modules", cell("Facilities", F, capex_per_module=200, lifetime_years=1, min_modules=2, **CANDIDATE),
     BASE - 160 + 200),
    ("min_modules reached by the existing module", cell("Facilities", F, min_modules=1), BASE),
    # lead time 2: a module started in 2026 produces only in 2028, after the horizon
    ("min_modules without a start year", cell("Facilities", F, max_modules=2, min_modules=2, build_years=2),
     "infeasible"),
    ("fixed_opex_per_module", cell("Facilities", F, fixed_opex_per_module=30), BASE + 60),
    # an existing module pays its fixed opex even when it can produce nothing
    ("fixed_opex at zero capacity", add("Facilities", {"facility": "Z", "kind": "mine", "material": "P",
                                                       "module_capacity": 0, "max_modules": 1,
                                                       "existing_modules": 1, "fixed_opex_per_module": 30}),
     BASE + 60),
    ("Facilities.unit_cost", cell("Facilities", F, unit_cost=7), BASE + 160),
    ("pli_subsidy", cell("Facilities", F, pli_subsidy=1), BASE - 80),
    ("Facilities.carbon_intensity", both(setting(carbon_price=1), cell("Facilities", F, carbon_intensity=1)),
     BASE + 80),
    # --- Recipes ---
    ("quantity_per_unit", cell("Recipes", F, quantity_per_unit=2), BASE + 80),
    # --- Financing (the candidate module with capex 100, lifetime 1: worth building at cost <= 160) ---
    ("Financing budget", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                              add("Financing", {"source": "BUD", "kind": "budget", "limit": 1000})), BASE - 160 + 100),
    # a 10% loan repaid after one year costs 1.1 per unit at discount rate 0
    ("annual_rate", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                         add("Financing", {"source": "L", "kind": "multilateral_loan", "limit": 1000,
                                           "annual_rate": 0.1, "tenor_years": 1})), BASE - 160 + 110),
    # tenor 2 at 10%: annuity 0.1 / (1 - 1.1^-2) = 0.576190 twice = 1.152381 per unit
    ("tenor_years", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                         add("Financing", {"source": "L", "kind": "multilateral_loan", "limit": 1000,
                                           "annual_rate": 0.1, "tenor_years": 2})),
     BASE - 160 + 100 * 2 * 0.1 / (1 - 1.1 ** -2)),
    # the free grant is limited to 50: 50 free + 50 from the budget
    ("limit", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                   add("Financing", {"source": "G", "kind": "grant", "limit": 50},
                       {"source": "BUD", "kind": "budget", "limit": 1000})), BASE - 160 + 50),
    ("arrangement_fee", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                             add("Financing", {"source": "G", "kind": "grant", "limit": 1000,
                                               "arrangement_fee": 30})), BASE - 160 + 30),
    # drawing at least 150 at 1.1 costs 165 > 160 saved: no build
    ("min_draw", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                      add("Financing", {"source": "L", "kind": "bond", "limit": 1000, "annual_rate": 0.1,
                                        "tenor_years": 1, "min_draw": 150})), BASE),
    ("green_only", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                        add("Financing", {"source": "G", "kind": "green_bond", "limit": 1000, "green_only": True},
                            {"source": "BUD", "kind": "budget", "limit": 1000})), BASE - 160 + 100),
    ("Financing.available_from", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                                      add("Financing", {"source": "G", "kind": "grant", "limit": 1000,
                                                        "available_from": 2027})), BASE),
    # --- Policies ---
    ("max_country_share", add("Policies", {"material": "P", "max_country_share": 0.5}), 1720),
    # with "*" the cap also reaches R, bought only from A: no R, so F makes nothing and
    # P is split 50/50 between A and B: 2 x (500 + 600)
    ("max_country_share *", add("Policies", {"material": "*", "max_country_share": 0.5}), 2200),
    ("max_supplier_share", add("Policies", {"material": "P", "max_supplier_share": 0.5}), 1720),
    ("Policies.year", add("Policies", {"material": "P", "year": 2027, "max_country_share": 0.5}), 840 + 860),
    ("max_carbon_intensity", both(cell("Offers", SB_P, carbon_intensity=1),
                                  add("Policies", {"material": "P", "max_carbon_intensity": 0.5})), 1720),
    # F must supply 50 > its 40: a second module (capex 1000, lifetime 1, so all of it) in 2026,
    # then F makes 80 a year: 2 x (480 + 200) + 1000
    ("min_domestic_share", both(cell("Facilities", F, max_modules=2, build_years=0, capex_per_module=1000,
                                     lifetime_years=1),
                                add("Policies", {"material": "P", "min_domestic_share": 0.5})), 2360),
    ("min_suppliers", both(cell("Offers", SA_P, contract_cost=50),
                           add("Policies", {"material": "P", "min_suppliers": 2})), BASE + 50),
    # 10 extra bought in 2026 and held two years at 3
    ("min_stock_share", add("Policies", {"material": "P", "min_stock_share": 0.1}), BASE + 100 + 60),
    ("max_shortage_share", both(cell("Offers", SB_P, capacity=10), cell("Offers", SA_P, capacity=10),
                                add("Policies", {"material": "P", "max_shortage_share": 0.3})), "infeasible"),
    # --- Levers (SPEC §4) ---
    # demand x1.5 in "ban" 2027: F 40 + SB 110, so "ban" costs 840 + 240 + 1100 = 2180
    ("demand_factor", both(EVEN, add("Disruptions", {"scenario": "ban", "material": "P", "from_year": 2027,
                                                     "demand_factor": 1.5})), 0.5 * 1680 + 0.5 * 2180),
    # no demand in "ban" 2027 (blank material: every one): nothing bought or made that year
    ("demand_factor 0", both(EVEN, add("Disruptions", {"scenario": "ban", "from_year": 2027, "demand_factor": 0})),
     0.5 * 1680 + 0.5 * 840),
    # 10% of sales at a reference price of 20: 2 per unit on F's 40 a year
    ("pli_rate + pli_reference_price", cell("Facilities", F, pli_rate=0.1, pli_reference_price=20), BASE - 160),
    ("pli_from_year", cell("Facilities", F, pli_rate=0.1, pli_reference_price=20, pli_from_year=2027), BASE - 80),
    ("pli_to_year", cell("Facilities", F, pli_rate=0.1, pli_reference_price=20, pli_to_year=2026), BASE - 80),
    # 80 a year earned, 50 paid
    ("pli_cap", cell("Facilities", F, pli_rate=0.1, pli_reference_price=20, pli_cap=50), BASE - 100),
    # the per-unit subsidy obeys the same window and cap: 1 x 40 in 2027 only; 2 x 40 capped at 50 a year
    ("pli_subsidy in its window", cell("Facilities", F, pli_subsidy=1, pli_from_year=2027), BASE - 40),
    ("pli_subsidy within the cap", cell("Facilities", F, pli_subsidy=2, pli_cap=50), BASE - 100),
    # both add up: (1 + 0.1 x 20) x 40 = 120 a year
    ("pli_subsidy beside pli_rate", cell("Facilities", F, pli_subsidy=1, pli_rate=0.1, pli_reference_price=20),
     BASE - 240),
    # the new module gives half its 40 in its first (and only) producing year: saves 20 x 4 = 80
    ("ramp_up", cell("Facilities", F, ramp_up=0.5, **CANDIDATE), BASE - 80),
    # ... which no longer pays for a capex of 100 (lifetime 1): not built
    ("ramp_up against capex", cell("Facilities", F, ramp_up=0.5, capex_per_module=100, lifetime_years=1,
                                   **CANDIDATE), BASE),
    ("Suppliers.qualified", cell("Suppliers", {"supplier": "SB"}, qualification_cost=100, qualified=True), BASE),
    # SB delivers only from 2027: 2026 from SA (960), 2027 as base (840)
    ("qualification_years", cell("Suppliers", {"supplier": "SB"}, qualification_years=1), 1800),
    ("qualification_years of a qualified supplier", cell("Suppliers", {"supplier": "SB"}, qualification_years=1,
                                                         qualified=True), BASE),
    # a 10% loan over 2 years with 1 year's grace, at discount rate 0: 0.1 + 1.1 = 1.2 per unit
    ("grace_years", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                         add("Financing", {"source": "L", "kind": "multilateral_loan", "limit": 1000,
                                           "annual_rate": 0.1, "tenor_years": 2, "grace_years": 1})),
     BASE - 160 + 120),
    # the same loan without grace (annuity 0.576190 a year) and a 1% fee on the balance opening
    # each year: 1 in year 1, 1 - (0.576190 - 0.1) in year 2
    ("guarantee_fee", both(cell("Facilities", F, capex_per_module=100, lifetime_years=1, **CANDIDATE),
                           add("Financing", {"source": "L", "kind": "multilateral_loan", "limit": 1000,
                                             "annual_rate": 0.1, "tenor_years": 2, "guarantee_fee": 0.01})),
     BASE - 160 + 100 * (2 * ANNUITY + 0.01 * (1 + 1 - (ANNUITY - 0.1)))),
    # recourse_builds: "ban" (from 2027) signs SA's contract (cost 100) late, in 2027, paying it in
    # "ban" only: 0.5 x 100 instead of 100 signed at the start for both (holding P costs 10 a year,
    # so 60 bought ahead from SB at 10 + 10 would cost more than 60 from SA at 12 + 100)
    ("recourse_builds: a late contract", both(BAN_2027, LATE_CONTRACT, setting(recourse_builds=True)), 1740 + 50),
    ("recourse_builds off", both(BAN_2027, LATE_CONTRACT), 1740 + 100),
    # ... but a contract signed in 2027 with a supplier that takes a year to qualify delivers too late:
    # signed at the start (for both) it delivers from 2027, in time; SA's R too, so F makes nothing
    # in 2026 (40 more from SB at 10 instead of 6: +160 in each scenario)
    ("recourse_builds: late qualification", both(BAN_2027, LATE_CONTRACT, setting(recourse_builds=True),
                                                 cell("Suppliers", {"supplier": "SA"}, qualification_years=1)),
     1740 + 100 + 160),
    # three years, ban from 2027; a module (capex 420, lifetime 2, build 1 year) saves 160 a year in
    # "base" and 40 x (12 - 6) = 240 in "ban": started in 2026 (share 1) it costs 420 against an
    # expected 400, in 2027 (share 1/2) 210 against 200, so not shared; "ban" alone builds it in 2027
    # (its own year) and saves 240 - 210 = 30: 2640 - 0.5 x 30
    ("recourse_builds: a build", both(BAN_2027, setting(years=3, recourse_builds=True),
                                      add("Demand", {"material": "P", "year": 2028, "quantity": 100}),
                                      cell("Facilities", F, capex_per_module=420, lifetime_years=2, **CANDIDATE)),
     2640 - 15),
    ("recourse_builds off: no build", both(BAN_2027, setting(years=3),
                                           add("Demand", {"material": "P", "year": 2028, "quantity": 100}),
                                           cell("Facilities", F, capex_per_module=420, lifetime_years=2,
                                                **CANDIDATE)), 2640),
    # --- Tariffs (SPEC §4) ---
    ("Tariffs.ad_valorem", add("Tariffs", {"country": "B", "ad_valorem": 0.1}), 2 * (240 + 660)),
    ("Tariffs.ad_valorem replaces the country's", both(cell("Countries", {"country": "B"}, tariff=0.1),
                                                       add("Tariffs", {"country": "B", "ad_valorem": 0})), BASE),
    # SB landed 10 + 1.5 < 12
    ("specific_duty", add("Tariffs", {"country": "B", "material": "P", "specific_duty": 1.5}), 2 * (240 + 690)),
    # every origin's P at least 11 before duty: SB at 11
    ("min_import_price", add("Tariffs", {"material": "P", "min_import_price": 11}), 2 * (240 + 660)),
    # ... in 2027 only
    ("Tariffs years", add("Tariffs", {"material": "P", "from_year": 2027, "to_year": 2027, "min_import_price": 11}),
     840 + 900),
    # the floor applies before the ad valorem: max(10, 11) x 1.1 = 12.1 > SA's 12
    ("min_import_price before ad_valorem", add("Tariffs", {"material": "P", "min_import_price": 11},
                                                {"country": "B", "ad_valorem": 0.1}), 1920),
    # (B, P) names more than (B): its 0 wins for SB-P; R (from A) pays the (R) row's 0.5, so F's
    # unit costs 5 + 1.5
    # a home supplier (IN) at 10.5 beats SB at 10 x 1.1 = 11: a row with a blank country taxes
    # imports only, so the 60 bought come from SH at 10.5 (taxed, SH would cost 11.55 and SB win)
    ("Tariffs spare home suppliers", both(add("Suppliers", {"supplier": "SH", "country": "IN"}),
                                          add("Offers", {"supplier": "SH", "material": "P", "unit_cost": 10.5}),
                                          add("Tariffs", {"material": "P", "ad_valorem": 0.1})),
     2 * (240 + 630)),
    ("most specific Tariffs row wins", add("Tariffs", {"country": "B", "ad_valorem": 0.5},
                                           {"material": "R", "ad_valorem": 0.5},
                                           {"country": "B", "material": "P", "ad_valorem": 0}),
     2 * (40 * (5 + 1.5) + 600)),
    # --- Scenarios and Disruptions ---
    ("export ban", BAN_2027, 0.5 * 1680 + 0.5 * 1800),
    ("Scenarios.probability", both(
        add("Scenarios", {"scenario": "base", "probability": 0.25}, {"scenario": "ban", "probability": 0.75}),
        add("Disruptions", {"scenario": "ban", "country": "B", "from_year": 2027, "capacity_factor": 0.0})),
     0.25 * 1680 + 0.75 * 1800),
    ("Disruptions.from_year", both(
        EVEN,
        add("Disruptions", {"scenario": "ban", "country": "B", "capacity_factor": 0.0})), 0.5 * 1680 + 0.5 * 1920),
    ("Disruptions.to_year", both(
        EVEN,
        add("Disruptions", {"scenario": "ban", "country": "B", "to_year": 2026, "capacity_factor": 0.0})),
     0.5 * 1680 + 0.5 * 1800),
    ("Disruptions.supplier", both(
        EVEN,
        add("Disruptions", {"scenario": "ban", "supplier": "SB", "from_year": 2027, "capacity_factor": 0.0})),
     0.5 * 1680 + 0.5 * 1800),
    # a disruption of R does not touch SB's P
    ("Disruptions.material", both(
        EVEN,
        add("Disruptions", {"scenario": "ban", "supplier": "SB", "material": "R", "capacity_factor": 0.0})), BASE),
    # half of SB's capacity of 100 in 2027: SB 50 + SA 10 -> 860
    ("capacity_factor", both(
        cell("Offers", SB_P, capacity=100),
        EVEN,
        add("Disruptions", {"scenario": "ban", "country": "B", "from_year": 2027, "capacity_factor": 0.5})),
     0.5 * 1680 + 0.5 * (840 + 860)),
    # price x1.3 in 2027: SB at 13 > SA at 12 -> 960 in 2027
    ("price_factor", both(
        EVEN,
        add("Disruptions", {"scenario": "ban", "country": "B", "from_year": 2027, "price_factor": 1.3})),
     0.5 * 1680 + 0.5 * 1800),
    # a policy for one scenario only: the cap binds in "ban" (1720), not in "base"
    ("Policies.scenario", both(
        EVEN,
        add("Policies", {"material": "P", "scenario": "ban", "max_country_share": 0.5})), 0.5 * 1680 + 0.5 * 1720),
]


def solve(change=None):
    settings, records = copy.deepcopy(SETTINGS), copy.deepcopy(RECORDS)
    if change is not None:
        change(settings, records)
    return solve_dataset(from_records(settings, records))


def test_base_optimum():
    outcome = solve()
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(BASE, rel=1e-9)


@pytest.mark.parametrize("name, change, expected", CASES, ids=[c[0] for c in CASES])
def test_column_changes_the_optimum_as_argued(name, change, expected):
    outcome = solve(change)
    if expected == "infeasible":
        assert outcome.status is Status.INFEASIBLE
        return
    assert outcome.status is Status.OPTIMAL, outcome.message
    assert outcome.objective == pytest.approx(expected, rel=1e-7, abs=1e-6)


def test_a_required_contract_without_cost_is_listed_in_contracts():
    """must_contract on an offer that needs no contract decision (no cost, no min order):
    the optimum is unchanged and the contract is in the plan."""
    outcome = solve(cell("Offers", SA_P, must_contract=True))
    assert outcome.objective == pytest.approx(BASE, rel=1e-9)
    contracts = set(zip(outcome.tables["Contracts"]["supplier"], outcome.tables["Contracts"]["material"]))
    assert ("SA", "P") in contracts and ("SB", "P") in contracts
