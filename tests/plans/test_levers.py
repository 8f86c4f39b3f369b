"""The levers of SPEC §4 end to end: a workbook written by the template writer, read and
validated, solved, written as a plan, read back and verified by ``check``, at an optimum
argued by hand; and ``check`` catching a plan that ignores them.

One small case uses every lever but recourse (tests/plans/test_recourse.py): years 2026-2027,
discount rate 0, two equally likely scenarios; final material P (demand 100 a year, holding 3),
input R.

- SA (allied A) sells P at 12 and R at 1; already ``qualified``, so its qualification cost of
  100 is not paid. SB (B) sells P at 10, but the Tariffs floor of 11 on P (every origin) lifts
  its price to 11 and a specific duty of 0.5 on (B, P) adds to it: landed 11.5; SB's
  ``qualification_years`` 1 means it delivers only from 2027.
- F makes P from 1 R at unit cost 5 (6 with R): one module of 40 exists; PLI of 10 % of sales at
  a reference price of 20 (2 a unit, 80 a year) is capped at 50 a year. A second module (capex 50,
  lifetime 1, build 1 year) started in 2026 gives only ``ramp_up`` 0.5 x 40 = 20 in 2027, and
  saves 20 x (11.5 - 6) = 110 there; the loan funding it (10 %, 2 years, 1 year's grace, 1 %
  guarantee fee) costs per unit 0.1 + 0.01 in year 1 and 1.1 + 0.01 in year 2: 1.22, so 61.
- Scenario "high": demand x1.5 in 2027 (``demand_factor``).

2026, both scenarios: F 40 (240, PLI -50), SA 60 at 12 (720): 910.
2027 base: F 60 (360, PLI -50), SB 40 at 11.5 (460): 770. 2027 high: F 60 (310), SB 90 (1035): 1345.
Objective: 910 + 61 + 0.5 x 770 + 0.5 x 1345 = 2028.5.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.solve import solve_dataset
from planner.io.plan import write_plan
from planner.io.reading import read_input
from planner.io.template import write_input_workbook
from planner.plans.check import audit_plan, check_plan
from planner.plans.saved_plan import read_plan
from planner.schema.dataset import from_records

from .cases import edit_cell

SETTINGS = {"home_country": "IN", "first_year": 2026, "years": 2, "discount_rate": 0.0}
RECORDS = {
    "Materials": [{"material": "P", "name": "Product", "sector": "mineral", "unit": "t", "holding_cost": 3},
                  {"material": "R", "name": "Raw", "sector": "mineral", "unit": "t"}],
    "Demand": [{"material": "P", "year": 2026, "quantity": 100}, {"material": "P", "year": 2027, "quantity": 100}],
    "Countries": [{"country": "IN", "name": "Home", "risk": 0.1},
                  {"country": "A", "name": "Ally", "risk": 0.2, "allied": True},
                  {"country": "B", "name": "Other", "risk": 0.6}],
    "Suppliers": [{"supplier": "SA", "country": "A", "qualification_cost": 100, "qualified": True},
                  {"supplier": "SB", "country": "B", "qualification_years": 1}],
    "Offers": [{"supplier": "SA", "material": "P", "unit_cost": 12},
               {"supplier": "SB", "material": "P", "unit_cost": 10},
               {"supplier": "SA", "material": "R", "unit_cost": 1}],
    "Facilities": [{"facility": "F", "kind": "refinery", "material": "P", "module_capacity": 40, "max_modules": 2,
                    "existing_modules": 1, "unit_cost": 5, "capex_per_module": 50, "lifetime_years": 1,
                    "build_years": 1, "ramp_up": 0.5, "pli_rate": 0.1, "pli_reference_price": 20,
                    "pli_from_year": 2026, "pli_to_year": 2030, "pli_cap": 50}],
    "Recipes": [{"facility": "F", "input_material": "R", "quantity_per_unit": 1}],
    "Financing": [{"source": "L", "kind": "multilateral_loan", "limit": 1000, "annual_rate": 0.1,
                   "tenor_years": 2, "grace_years": 1, "guarantee_fee": 0.01}],
    "Tariffs": [{"material": "P", "min_import_price": 11},
                {"country": "B", "material": "P", "specific_duty": 0.5}],
    "Scenarios": [{"scenario": "base", "probability": 0.5}, {"scenario": "high", "probability": 0.5}],
    "Disruptions": [{"scenario": "high", "material": "P", "from_year": 2027, "demand_factor": 1.5}],
}
OBJECTIVE = 910 + 61 + 0.5 * 770 + 0.5 * 1345


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("levers")
    ds = from_records(SETTINGS, RECORDS)
    workbook = write_input_workbook(folder / "levers.xlsx", ds.tables, ds.settings)
    dataset, warnings = read_input(workbook)
    assert not warnings
    outcome = solve_dataset(dataset)
    plan = write_plan(folder / "levers-plan.xlsx", outcome, dataset, charts=False)
    return outcome, plan


def test_every_lever_gives_the_argued_optimum_and_check_verifies_the_plan(solved):
    outcome, plan = solved
    assert outcome.objective == pytest.approx(OBJECTIVE, rel=1e-9)
    audit = audit_plan(read_plan(plan))
    assert audit.findings == []
    assert audit.recomputation.objective == pytest.approx(OBJECTIVE, rel=1e-9)
    assert audit.recomputation.components == pytest.approx(outcome.costs, rel=1e-9, abs=1e-9)
    assert sum(outcome.costs.values()) == pytest.approx(outcome.objective, rel=1e-12)
    # the decisions argued: the ramped module, the loan, SB from 2027 at 11.5, PLI at its cap
    builds = outcome.tables["Builds"].set_index(["facility", "year"])
    assert builds.loc[("F", 2026), "modules_started"] == 1 and builds.loc[("F", 2027), "capacity"] == 60
    assert outcome.tables["Financing"]["draw"].tolist() == pytest.approx([50])
    src = outcome.tables["Sourcing"]
    sb = src[src["supplier"] == "SB"]
    assert set(sb["year"]) == {2027} and sb["landed_unit_cost"].tolist() == pytest.approx([11.5, 11.5])
    assert outcome.costs["pli_subsidy"] == pytest.approx(-100)
    assert outcome.costs["qualification"] == 0


@pytest.mark.parametrize("sheet, match, column, value, check", [
    # a full first year for the new module, ramp-up ignored
    ("Builds", {"facility": "F", "year": 2027}, "capacity", 80.0, "capacity"),
    # SB's landed cost without the floor and the duty
    ("Sourcing", {"scenario": "base", "year": 2027, "supplier": "SB"}, "landed_unit_cost", 10.0, "reported figure"),
])
def test_check_catches_a_plan_that_ignores_a_lever(solved, tmp_path, sheet, match, column, value, check):
    path = Path(shutil.copy(solved[1], tmp_path / "tampered.xlsx"))
    edit_cell(path, sheet, match, column, value)
    assert check in {f.check for f in check_plan(read_plan(path))}


def test_check_spares_home_suppliers_from_the_tariffs_as_the_model_does(tmp_path):
    """A home supplier SH (IN) at 10.8 under the floor of 11 that the Tariffs sheet puts on P from
    every origin: the floor is an import measure, so SH sells at 10.8 and beats SB (11.5) and SA (12);
    the audit prices SH the same way (a floor applied to SH would be a finding)."""
    records = {sheet: [dict(r) for r in rows] for sheet, rows in RECORDS.items()}
    records["Suppliers"].append({"supplier": "SH", "country": "IN"})
    records["Offers"].append({"supplier": "SH", "material": "P", "unit_cost": 10.8})
    dataset = from_records(SETTINGS, records)
    outcome = solve_dataset(dataset)
    src = outcome.tables["Sourcing"]
    sh = src[src["supplier"] == "SH"]
    assert len(sh) and sh["landed_unit_cost"].tolist() == pytest.approx([10.8] * len(sh))
    assert set(src["supplier"]) == {"SH", "SA"}  # SA only for the input R
    plan = write_plan(tmp_path / "home-plan.xlsx", outcome, dataset, charts=False)
    audit = audit_plan(read_plan(plan))
    assert audit.findings == []
    assert audit.recomputation.objective == pytest.approx(outcome.objective, rel=1e-9)
