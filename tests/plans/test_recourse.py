"""Settings ``recourse_builds`` (SPEC §4 Levers) end to end through the command line: a workbook
written by the template writer, solved, the plan's Builds, Financing and Contracts per scenario,
verified by ``check``, a tampered copy caught, compared, reported, and used as ``--start``.

The case (tests/models/test_column_effects.py's base with a third year): years 2026-2028,
discount rate 0, scenarios "base" and "ban" (0.5 each); final material P, demand 100 a year,
holding cost 10; input R. SB (country B) sells P at 10, SA (A) P at 12 (contract cost 100) and R
at 1; refinery F has one module of 40 a year at unit cost 5 + 1 R (6 a unit); a second module
(max_modules 2) costs 420, builds in 1 year, lives 2 years, paid from a budget line (no interest:
its cost is the capex times the share of the lifetime inside the horizon, as without financing).
In "ban", B delivers nothing from 2027: the scenarios diverge in 2027.

- base: F 40 at 6 + SB 60 at 10 each year: 3 x 840 = 2520.
- ban: 2026 as base, 840. Without SB it buys from SA (holding P bought in 2026 costs 10 + 10
  a year, more than 12), so it signs SA's contract, late, in 2027 (100, paid in "ban" only:
  signed at the start it would cost 100 in both). 2027: F 40 + SA 60, 960. A module started in
  2027 (its own year) produces in 2028, the last year: share 1/2 of 420 = 210 against
  40 x (12 - 6) = 240 saved; 2028: F 80 + SA 20, 720. ban: 840 + 960 + 720 + 210 + 100 = 2830.
- A shared module started in 2026 (share 1, 420 in both) saves 2 x 160 in base and 2 x 240 in
  ban: 400 expected < 420, so no shared build; "ban" cannot start its own in 2026 (before 2027).

Objective: 0.5 x 2520 + 0.5 x 2830 = 2675.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner import cli
from planner.io.template import write_input_workbook
from planner.plans.check import check_plan
from planner.plans.saved_plan import read_plan
from planner.schema.dataset import from_records

from .cases import edit_cell

SETTINGS = {"home_country": "IN", "first_year": 2026, "years": 3, "discount_rate": 0.0, "recourse_builds": True}
RECORDS = {
    "Materials": [{"material": "P", "name": "Product", "sector": "mineral", "unit": "t", "holding_cost": 10},
                  {"material": "R", "name": "Raw", "sector": "mineral", "unit": "t"}],
    "Demand": [{"material": "P", "year": y, "quantity": 100} for y in (2026, 2027, 2028)],
    "Countries": [{"country": "IN", "name": "Home", "risk": 0.1},
                  {"country": "A", "name": "Ally", "risk": 0.2, "allied": True},
                  {"country": "B", "name": "Other", "risk": 0.6}],
    "Suppliers": [{"supplier": "SA", "country": "A"}, {"supplier": "SB", "country": "B"}],
    "Offers": [{"supplier": "SA", "material": "P", "unit_cost": 12, "contract_cost": 100},
               {"supplier": "SB", "material": "P", "unit_cost": 10},
               {"supplier": "SA", "material": "R", "unit_cost": 1}],
    "Facilities": [{"facility": "F", "kind": "refinery", "material": "P", "module_capacity": 40, "max_modules": 2,
                    "existing_modules": 1, "unit_cost": 5, "capex_per_module": 420, "lifetime_years": 2,
                    "build_years": 1}],
    "Recipes": [{"facility": "F", "input_material": "R", "quantity_per_unit": 1}],
    "Financing": [{"source": "BUD", "kind": "budget", "limit": 1000}],
    "Scenarios": [{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
    "Disruptions": [{"scenario": "ban", "country": "B", "from_year": 2027, "capacity_factor": 0.0}],
}
OBJECTIVE = 0.5 * 2520 + 0.5 * 2830


def _run(*args):
    result = CliRunner().invoke(cli.app, [*map(str, args)], env={"COLUMNS": "200"})
    return result, " ".join((result.stdout + result.stderr).split())


def _sheet(path: Path, name: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name, engine="openpyxl")


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recourse")
    ds = from_records(SETTINGS, RECORDS)
    workbook = write_input_workbook(folder / "recourse.xlsx", ds.tables, ds.settings)
    plan = folder / "recourse-plan.xlsx"
    result, text = _run("solve", "--quiet", workbook, "-o", plan)
    assert result.exit_code == 0, text
    return workbook, plan


def test_the_plan_builds_and_contracts_per_scenario_at_the_argued_optimum(solved):
    _workbook, plan = solved
    assert read_plan(plan).objective == pytest.approx(OBJECTIVE, rel=1e-9)
    builds = _sheet(plan, "Builds")
    assert list(builds.columns[:3]) == ["scenario", "facility", "year"]
    started = builds[builds["modules_started"] > 0]
    assert started[["scenario", "facility", "year", "modules_started"]].values.tolist() == [["ban", "F", 2027, 1]]
    assert builds.set_index(["scenario", "year"]).loc[("ban", 2028), "capacity"] == 80
    assert builds.set_index(["scenario", "year"]).loc[("base", 2028), "capacity"] == 40
    financing = _sheet(plan, "Financing")
    assert financing[["scenario", "source", "facility", "year", "draw"]].values.tolist() == [
        ["ban", "BUD", "F", 2027, 420]]
    contracts = _sheet(plan, "Contracts")
    late = contracts[contracts["scenario"].notna()]
    assert late[["scenario", "signed_year", "supplier", "material", "contract_cost"]].values.tolist() == [
        ["ban", 2027, "SA", "P", 100]]
    costs = read_plan(plan).costs
    assert costs["contracts"] == pytest.approx(50) and costs["financing"] == pytest.approx(105)


def test_check_verifies_the_plan(solved):
    result, text = _run("check", solved[1])
    assert result.exit_code == 0, text
    assert "is verified" in text and "objective 2,675" in text


@pytest.mark.parametrize("sheet, match, column, value, says", [
    # "ban" builds in 2026, before its data (and base's) diverge in 2027
    ("Builds", {"scenario": "ban", "year": 2026}, "modules_started", 1,
     "modules started 1, but 0 in scenario base: a scenario's builds and draws are its own only from 2027"),
    # the late contract signed at the start, in "ban" only
    ("Contracts", {"scenario": "ban"}, "signed_year", 2026, "signed in 2026, but the scenario may sign its own "
                                                            "contracts only in 2027"),
])
def test_check_fails_a_plan_that_decides_apart_before_the_divergence(solved, tmp_path, sheet, match, column, value,
                                                                     says):
    path = Path(shutil.copy(solved[1], tmp_path / "tampered.xlsx"))
    edit_cell(path, sheet, match, column, value)
    findings = [f for f in check_plan(read_plan(path)) if f.check == "recourse"]
    assert len(findings) == 1 and says in findings[0].message
    result, text = _run("check", path)
    assert result.exit_code == 1 and "recourse" in text


def test_check_fails_builds_per_scenario_when_the_setting_is_off(solved, tmp_path):
    path = Path(shutil.copy(solved[1], tmp_path / "off.xlsx"))
    edit_cell(path, "Input.Settings", {"key": "recourse_builds"}, "value", False)
    messages = {f.message for f in check_plan(read_plan(path)) if f.check == "recourse"}
    assert any("recourse_builds is off" in m for m in messages)


def test_compare_and_report_show_builds_per_scenario(solved, tmp_path):
    _workbook, plan = solved
    result, text = _run("compare", plan, plan, "-o", tmp_path / "cmp.xlsx")
    assert result.exit_code == 0, text
    # expected over scenarios: the module and its draw are in "ban" (probability 0.5) only
    summary = _sheet(tmp_path / "cmp.xlsx", "Summary").set_index("metric")
    assert summary.loc["modules_started"].iloc[0] == 0.5 and summary.loc["financing_drawn"].iloc[0] == 210
    assert _sheet(tmp_path / "cmp.xlsx", "Builds")[["facility", "year"]].values.tolist() == [["F", 2027]]
    result, text = _run("compare", plan, plan, "--material", "P", "-o", tmp_path / "cmp-p.xlsx")
    assert result.exit_code == 0 and "│ F │ 2027 │ 0.50 │ 0.50 │" in text
    contracts = _sheet(tmp_path / "cmp.xlsx", "Contracts")
    assert "late in ban (2027)" in contracts.astype(str).values
    result, text = _run("report", plan, "-o", tmp_path / "report.html")
    assert result.exit_code == 0, text
    html = (tmp_path / "report.html").read_text()
    assert "(in ban)" in html and "<th>scenarios</th>" in html


def test_solve_starts_from_the_plan(solved, tmp_path):
    workbook, plan = solved
    again = tmp_path / "again.xlsx"
    result, text = _run("solve", workbook, "--start", plan, "-o", again)
    assert result.exit_code == 0, text
    # every decision of the plan, the scenario's own build, draw and late contract too, has a column
    assert "0 dropped, 0 repaired" in text
    assert read_plan(again).objective == pytest.approx(OBJECTIVE, rel=1e-9)
