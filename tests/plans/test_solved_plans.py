"""The audit on plans the solver wrote (models.solve -> planner.io.plan.write_plan): it
verifies them, its recomputed objective is the solver's, and it rejects a tampered copy."""

import shutil
from pathlib import Path

import pytest

from models.solve import solve_dataset
from planner.plans.check import audit_plan, check_plan
from planner.schema.dataset import Source, from_records
from planner.io.plan import write_plan
from planner.plans.saved_plan import read_plan

from .cases import edit_cell, rich_records


def _solve_and_write(path: Path, settings: dict, records: dict):
    dataset = from_records(settings, records, Source(name="case.xlsx", sha256="b" * 64))
    outcome = solve_dataset(dataset)
    assert outcome.status.has_plan, outcome.message
    return write_plan(path, outcome, dataset, charts=False), outcome


@pytest.fixture(scope="module")
def rich_solved(tmp_path_factory):
    """Two scenarios with an AU disruption, a refinery with a recipe, budget and a green
    loan, CVaR weight 0.5, policies."""
    settings, records = rich_records()
    return _solve_and_write(tmp_path_factory.mktemp("rich") / "rich-plan.xlsx", settings, records)


def test_check_verifies_a_solved_plan_with_scenarios_financing_and_recipes(rich_solved):
    path, outcome = rich_solved
    saved = read_plan(path)
    audit = audit_plan(saved)
    assert audit.findings == []
    r = audit.recomputation
    assert r.objective == pytest.approx(outcome.objective, rel=1e-9)
    assert r.components == pytest.approx(outcome.costs, rel=1e-9, abs=1e-9)
    # the plan really uses what the test is about
    assert len(saved.tables["Financing"]) and len(saved.tables["Production"]) and outcome.costs["cvar"] > 0


def test_check_rejects_the_solved_plan_with_one_purchase_changed_by_one_unit(rich_solved, tmp_path):
    path = Path(shutil.copy(rich_solved[0], tmp_path / "tampered.xlsx"))
    saved = read_plan(path)
    row = saved.tables["Sourcing"].iloc[0]
    edit_cell(path, "Sourcing", {"scenario": row.scenario, "year": int(row.year), "material": row.material,
                                 "supplier": row.supplier}, "quantity", float(row.quantity) + 1)
    checks = {(f.check, f.where) for f in check_plan(read_plan(path))}
    assert ("stock balance", f"scenario={row.scenario}, year={row.year}, material={row.material}") in checks
    assert ("objective", "objective") in checks


def test_check_verifies_a_solved_plan_paying_capex_without_financing(tmp_path):
    settings, records = rich_records()
    del records["Financing"]
    settings["cvar_weight"] = 0.0
    records["Policies"].append({"material": "LI", "year": 2027, "max_country_share": 0.3})
    path, outcome = _solve_and_write(tmp_path / "capex-plan.xlsx", settings, records)
    audit = audit_plan(read_plan(path))
    assert audit.findings == []
    assert audit.recomputation.components["capex"] == pytest.approx(outcome.costs["capex"], rel=1e-9)
    assert outcome.costs["capex"] > 0
    assert audit.recomputation.objective == pytest.approx(outcome.objective, rel=1e-9)


def test_recomputed_objective_equals_the_solvers_for_a_tiny_case(tmp_path):
    # demand 10; S1 sells at 10 up to 6, S2 at 12 without limit: 6 x 10 + 4 x 12 = 108
    settings = {"home_country": "IN", "first_year": 2026, "years": 1}
    records = {
        "Materials": [{"material": "LI", "name": "Lithium", "sector": "mineral", "unit": "t"}],
        "Countries": [{"country": "IN", "name": "India", "risk": 0.1}, {"country": "AU", "name": "Aus", "risk": 0.1}],
        "Suppliers": [{"supplier": "S1", "country": "AU"}, {"supplier": "S2", "country": "AU"}],
        "Offers": [{"supplier": "S1", "material": "LI", "unit_cost": 10.0, "capacity": 6},
                   {"supplier": "S2", "material": "LI", "unit_cost": 12.0}],
        "Demand": [{"material": "LI", "year": 2026, "quantity": 10}],
    }
    path, outcome = _solve_and_write(tmp_path / "tiny.xlsx", settings, records)
    audit = audit_plan(read_plan(path))
    assert outcome.objective == pytest.approx(108.0)
    assert audit.recomputation.objective == pytest.approx(outcome.objective, rel=1e-12)
    assert audit.findings == []


def test_check_verifies_a_solved_nonanticipative_plan(tmp_path):
    settings, records = rich_records()
    settings["nonanticipative"] = True
    path, outcome = _solve_and_write(tmp_path / "na-plan.xlsx", settings, records)
    saved = read_plan(path)
    audit = audit_plan(saved)
    assert audit.findings == []
    assert audit.recomputation.objective == pytest.approx(outcome.objective, rel=1e-9)
    sourcing = saved.tables["Sourcing"]
    in_2026 = sourcing[sourcing["year"] == 2026].groupby("scenario")["quantity"].sum()
    assert in_2026["ban"] == in_2026["base"]  # the ban cannot be anticipated in 2026
