"""The bundled example: the committed workbooks match their generator, and the data is sane.

The committed ``planner/data/example.xlsx`` (the default of ``trust-planner solve``) and
``planner/data/template.xlsx`` must be what ``inputs/build_inputs.py`` writes today: compared
cell by cell after reading both back with openpyxl (not byte for byte). If this fails,
run ``python inputs/build_inputs.py`` and commit the result.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inputs import build_inputs
from inputs.example_data import example_notes, example_records, example_settings
from planner.schema import manifest
from planner.schema.dataset import from_records

ROOT = Path(__file__).resolve().parents[2]
INPUTS = build_inputs.DATA

RECORDS = example_records()
SETTINGS = example_settings()
FIRST = int(SETTINGS["first_year"])
YEARS = list(range(FIRST, FIRST + int(SETTINGS["years"])))
LAST = YEARS[-1]


def _ids(sheet: str) -> list[str]:
    return [row[manifest.ID_COLUMN[sheet]] for row in RECORDS[sheet]]


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


# ------------------------------------------------------------- committed workbooks


@pytest.mark.parametrize("name, build", [
    (build_inputs.EXAMPLE_NAME, build_inputs.build_example),
    (build_inputs.TEMPLATE_NAME, build_inputs.build_template),
])
def test_committed_workbook_matches_generator(tmp_path, name, build):
    committed = INPUTS / name
    assert committed.exists(), f"{committed} missing: run python inputs/build_inputs.py"
    fresh = build(tmp_path / name)
    old, new = _sheet_values(committed), _sheet_values(fresh)
    assert list(old) == list(new), "sheets differ: run python inputs/build_inputs.py"
    for sheet in new:
        assert len(old[sheet]) == len(new[sheet]), f"{name}!{sheet}: row count differs"
        for r, (a, b) in enumerate(zip(old[sheet], new[sheet]), start=1):
            assert a == b, f"{name}!{sheet} row {r}: committed {a} != generated {b}"


def test_example_workbook_has_every_sheet_and_notes():
    values = _sheet_values(INPUTS / build_inputs.EXAMPLE_NAME)
    for sheet in manifest.SHEETS:
        assert sheet.name in values
    assert manifest.NOTES_SHEET in values
    notes = values[manifest.NOTES_SHEET]
    assert notes[0][:2] == ("topic", "text")
    assert [tuple(r[:2]) for r in notes[1:]] == example_notes()
    settings = {row[0]: row[1] for row in values["Settings"][1:]}
    for key, value in SETTINGS.items():
        assert settings[key] == value
    for sheet, rows in RECORDS.items():
        assert len(values[sheet]) == len(rows) + 1, sheet


def test_example_workbook_reads_back_as_the_records():
    """Reading example.xlsx gives, without warnings, the Dataset that from_records builds."""
    if importlib.util.find_spec("planner.validation") is None:
        pytest.skip("reader/validation not available yet")
    from planner.io.reading import read_input

    result = read_input(INPUTS / build_inputs.EXAMPLE_NAME)
    assert not result.warnings, result.warnings
    ref = from_records(SETTINGS, RECORDS)
    for key, value in ref.settings.items():
        assert result.dataset.settings[key] == value, key
    for sheet, table in ref.tables.items():
        got = result.dataset.tables[sheet].drop(columns="excel_row").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, table.drop(columns="excel_row"), check_dtype=False, obj=sheet)


# ------------------------------------------------------------------ data sanity


def test_records_use_manifest_columns_and_unique_keys():
    for sheet_name, rows in RECORDS.items():
        sheet = manifest.sheet(sheet_name)
        for row in rows:
            assert set(row) <= set(sheet.column_names), (sheet_name, row)
            for col in sheet.columns:
                if col.required:
                    assert row.get(col.name) not in (None, ""), (sheet_name, col.name, row)
        if sheet.key:
            keys = Counter(tuple(row[k] for k in sheet.key) for row in rows)
            assert not [k for k, n in keys.items() if n > 1], sheet_name
    for key in SETTINGS:
        assert key in manifest.SETTINGS_BY_KEY


def test_size_is_moderate_and_covers_the_brief():
    assert len(RECORDS["Materials"]) >= 6 and {r["sector"] for r in RECORDS["Materials"]} == {"mineral", "pharma"}
    assert len(RECORDS["Countries"]) >= 10
    assert 20 <= len(RECORDS["Suppliers"]) <= 35
    assert 25 <= len(RECORDS["Offers"]) <= 60
    assert len(YEARS) == 10 and FIRST == 2026 and SETTINGS["home_country"] == "IN"
    assert {r["scenario"] for r in RECORDS["Scenarios"]} == {"base", "cn_controls", "drc_quota", "high_ev", "slow_ev"}
    kinds = {r["kind"] for r in RECORDS["Facilities"]}
    assert {"refinery", "pharma_park"} <= kinds
    assert {r["kind"] for r in RECORDS["Financing"]} >= {"multilateral_loan", "budget", "grant"}
    # every lever of SPEC §4 is used but recourse_builds (a what-if in the README)
    assert any(r.get("demand_factor", 1) != 1 for r in RECORDS["Disruptions"])
    assert any("pli_rate" in r for r in RECORDS["Facilities"]) and any("pli_cap" in r for r in RECORDS["Facilities"])
    assert any(r.get("ramp_up", 1) < 1 for r in RECORDS["Facilities"])
    assert any(r.get("grace_years") for r in RECORDS["Financing"])
    assert any(r.get("qualified") for r in RECORDS["Suppliers"])
    assert any(r.get("qualification_years") for r in RECORDS["Suppliers"])
    assert any("min_import_price" in r for r in RECORDS["Tariffs"])


def test_every_reference_exists():
    materials, countries = set(_ids("Materials")), set(_ids("Countries"))
    suppliers, facilities = set(_ids("Suppliers")), set(_ids("Facilities"))
    scenarios = set(_ids("Scenarios"))
    assert SETTINGS["home_country"] in countries
    for row in RECORDS["Suppliers"]:
        assert row["country"] in countries, row
    for row in RECORDS["Offers"]:
        assert row["supplier"] in suppliers and row["material"] in materials, row
    for row in RECORDS["Demand"]:
        assert row["material"] in materials and row["year"] in YEARS, row
    for row in RECORDS["Facilities"]:
        assert row["material"] in materials, row
    for row in RECORDS["Recipes"]:
        assert row["facility"] in facilities and row["input_material"] in materials, row
    for row in RECORDS["Policies"]:
        assert row["material"] in materials | {"*"}, row
        assert row.get("year") is None or row["year"] in YEARS, row
        assert row.get("scenario") is None or row["scenario"] in scenarios, row
    for row in RECORDS["Disruptions"]:
        assert row["scenario"] in scenarios, row
        assert row.get("country") is None or row["country"] in countries, row
        assert row.get("supplier") is None or row["supplier"] in suppliers, row
        assert row.get("material") is None or row["material"] in materials, row
    used = {r["material"] for r in RECORDS["Offers"]} | {r["material"] for r in RECORDS["Facilities"]}
    assert used == materials, "every material has a source and every source a material"


def test_values_in_range():
    assert math.isclose(sum(r["probability"] for r in RECORDS["Scenarios"]), 1.0, abs_tol=1e-9)
    assert any(r["scenario"] == "base" for r in RECORDS["Scenarios"])
    for row in RECORDS["Countries"]:
        assert 0 <= row["risk"] <= 1 and 0 <= row.get("tariff", 0) <= 1, row
    for row in RECORDS["Suppliers"]:
        assert 0 <= row.get("risk", 0) <= 1 and row.get("capacity", 1) > 0, row
    for row in RECORDS["Offers"]:
        assert row["unit_cost"] > 0 and row.get("capacity", 1) > 0, row
        assert FIRST <= row.get("available_from", FIRST) <= LAST, row
    for row in RECORDS["Facilities"]:
        assert row.get("existing_modules", 0) <= row["max_modules"], row
        assert 2 <= row.get("build_years", 2) <= 5, row
        assert FIRST <= row.get("earliest_year", FIRST) <= LAST, row
    for row in RECORDS["Financing"]:
        assert row.get("min_draw", 0) <= row["limit"], row
    for row in RECORDS["Disruptions"]:
        assert 0 <= row.get("capacity_factor", 1) <= 1 and row.get("price_factor", 1) > 0, row
        assert row.get("to_year", LAST) >= row.get("from_year", FIRST), row
    assert {r["unit"] for r in RECORDS["Materials"]} == {"t"}, "one unit (t) for every material"
    home = next(r for r in RECORDS["Countries"] if r["country"] == SETTINGS["home_country"])
    assert not home.get("sanctioned", False)
    for row in RECORDS["Tariffs"]:
        assert 0 <= row.get("ad_valorem", 0) <= 1 and row.get("to_year", LAST) >= row.get("from_year", FIRST), row


def test_demand_only_on_final_products_and_intermediates_are_consumed():
    inputs = {r["input_material"] for r in RECORDS["Recipes"]}
    with_demand = {r["material"] for r in RECORDS["Demand"] if r["quantity"] > 0}
    assert not inputs & with_demand
    assert set(_ids("Materials")) == inputs | with_demand
    by_material = defaultdict(dict)
    for r in RECORDS["Demand"]:
        by_material[r["material"]][r["year"]] = r["quantity"]
    for material, series in by_material.items():
        assert sorted(series) == YEARS, material
        values = [series[y] for y in YEARS]
        assert values == sorted(values), f"{material}: demand grows"


def test_probabilities_and_policy_rows_do_not_conflict():
    seen: dict[tuple, dict[str, float]] = {}
    for row in RECORDS["Policies"]:
        scope = (row["material"], row.get("year"), row.get("scenario"))
        for col in manifest.policy_columns():
            if col in row:
                prev = seen.setdefault(scope, {})
                assert prev.get(col, row[col]) == row[col], (scope, col)
                prev[col] = row[col]
        assert any(col in row for col in manifest.policy_columns()), row
    # a '*' row with a year would tie with a material row without one (an input error if
    # they disagree): the example keeps '*' rows year-less.
    assert all(row.get("year") is None for row in RECORDS["Policies"] if row["material"] == "*")


def _landed(offer: dict, countries: dict) -> float:
    # the Tariffs rows name materials only (every origin alike): they do not reorder the offers
    assert all("country" not in r for r in RECORDS["Tariffs"])
    return offer["unit_cost"] * (1 + countries[offer["country"]].get("tariff", 0)) + offer.get("freight_cost", 0)


def test_china_is_the_cheapest_largest_processor():
    countries = {r["country"]: r for r in RECORDS["Countries"]}
    supplier_country = {r["supplier"]: r["country"] for r in RECORDS["Suppliers"]}
    offers = [dict(o, country=supplier_country[o["supplier"]]) for o in RECORDS["Offers"]
              if not countries[supplier_country[o["supplier"]]].get("sanctioned")]
    processed = {"LI2CO3", "NDPR", "DYTB", "NDFEB", "ANODE", "COSO4", "PAP", "PCM", "PENG", "APA", "AMOX"}
    for material in processed:
        mine = [o for o in offers if o["material"] == material]
        cheapest = min(mine, key=lambda o: _landed(o, countries))
        assert cheapest["country"] == "CN", material
        cn_cap = sum(o["capacity"] for o in mine if o["country"] == "CN")
        assert cn_cap >= max(o["capacity"] for o in mine if o["country"] != "CN"), material


def _offer_capacity(scenario: str, year: int) -> dict[str, float]:
    """Usable foreign capacity per material: offers x disruption factors, capped by suppliers."""
    countries = {r["country"]: r for r in RECORDS["Countries"]}
    suppliers = {r["supplier"]: r for r in RECORDS["Suppliers"]}
    per_supplier: dict[str, dict[str, float]] = defaultdict(dict)
    for o in RECORDS["Offers"]:
        s = suppliers[o["supplier"]]
        if countries[s["country"]].get("sanctioned") or o.get("available_from", FIRST) > year:
            continue
        factor = 1.0
        for d in RECORDS["Disruptions"]:
            if d["scenario"] != scenario or not d.get("from_year", FIRST) <= year <= d.get("to_year", LAST):
                continue
            if d.get("country") not in (None, s["country"]) or d.get("supplier") not in (None, o["supplier"]):
                continue
            if d.get("material") not in (None, o["material"]):
                continue
            factor *= d.get("capacity_factor", 1.0)
        per_supplier[o["supplier"]][o["material"]] = factor * o.get("capacity", s.get("capacity", math.inf))
    total: dict[str, float] = defaultdict(float)
    for name, caps in per_supplier.items():
        joint = suppliers[name].get("capacity", math.inf)
        scale = min(1.0, joint / sum(caps.values())) if sum(caps.values()) else 1.0
        for material, cap in caps.items():
            total[material] += cap * scale
    return total


def _demand_factor(scenario: str, material: str, year: int) -> float:
    factor = 1.0
    for d in RECORDS["Disruptions"]:
        if d["scenario"] == scenario and d.get("material") in (None, material) \
                and d.get("from_year", FIRST) <= year <= d.get("to_year", LAST):
            factor *= d.get("demand_factor", 1.0)
    return factor


def _domestic_capacity(year: int) -> dict[str, float]:
    cap: dict[str, float] = defaultdict(float)
    for f in RECORDS["Facilities"]:
        start = max(FIRST, f.get("earliest_year", FIRST))
        modules = f["max_modules"] if start + f.get("build_years", 2) <= year else f.get("existing_modules", 0)
        cap[f["material"]] += modules * f["module_capacity"]
    return cap


@pytest.mark.parametrize("scenario, year", list(itertools.product(
    [r["scenario"] for r in RECORDS["Scenarios"]], YEARS)))
def test_capacity_covers_demand_and_recipe_needs(scenario, year):
    """A coarse feasibility check: foreign plus buildable domestic capacity covers final
    demand, and inputs cover what the domestic facilities need to meet the rest."""
    foreign, domestic = _offer_capacity(scenario, year), _domestic_capacity(year)
    demand = {r["material"]: r["quantity"] * _demand_factor(scenario, r["material"], year)
              for r in RECORDS["Demand"] if r["year"] == year}
    need: dict[str, float] = defaultdict(float)
    facilities = {f["facility"]: f for f in RECORDS["Facilities"]}
    recipe_of = defaultdict(list)
    for r in RECORDS["Recipes"]:
        recipe_of[facilities[r["facility"]]["material"]].append(r)
    for material, quantity in demand.items():
        assert foreign[material] + domestic[material] >= quantity, (scenario, year, material)
        made_here = max(0.0, quantity - foreign[material])
        for r in recipe_of[material]:
            need[r["input_material"]] += made_here * r["quantity_per_unit"]
    for material, quantity in need.items():
        assert foreign[material] + domestic[material] >= quantity, (scenario, year, material)


def test_dataset_builds():
    dataset = from_records(SETTINGS, RECORDS)
    assert dataset.years == YEARS
    assert len(dataset["Offers"]) == len(RECORDS["Offers"])


# ------------------------------------------------------------------------ solving


@pytest.fixture(scope="module")
def solved():
    if importlib.util.find_spec("models.solve") is None:
        pytest.skip("models.solve not available")
    from models.solve import solve_dataset

    dataset = from_records(SETTINGS, RECORDS)
    return dataset, solve_dataset(dataset)


def test_example_solves_to_optimal_and_meets_demand(solved):
    from models.outcome import Status

    dataset, outcome = solved
    assert outcome.status is Status.OPTIMAL, outcome.message
    shortages = outcome.tables.get("Shortages")
    assert shortages is None or shortages["quantity"].sum() <= 1e-6 * sum(r["quantity"] for r in RECORDS["Demand"])


def test_example_plan_uses_the_policy_levers(solved):
    dataset, outcome = solved
    builds = outcome.tables["Builds"]
    assert builds["modules_started"].sum() > 0, "some domestic capacity is built"
    assert outcome.tables["Financing"]["draw"].sum() > 0, "financing is used"
    contracts = outcome.tables["Contracts"]
    assert (contracts["country"] != "CN").sum() > 0, "partner-country suppliers are contracted"


def _base_kpi(outcome, material: str, column: str) -> dict[int, float]:
    k = outcome.tables["KPIs"]
    k = k[(k["scenario"] == "base") & (k["material"] == material)]
    return dict(zip(k["year"], k[column]))


def test_pap_cap_binds_once_the_pli_years_end(solved):
    """PAP from China lands at 3,500 x 1.0825 + 60 = 3,848.75 USD/t; a PLI plant makes it at 4,200,
    less 10 % of 4,300 = 430 in 2026-2027 (3,770; held a year it would cost 3,870). So the plants run
    while PLI lasts and China supplies only what their 25,500 t cannot: 0.76 t per t of paracetamol
    is 24,320 t in 2026, 25,536 t in 2027; from 2028 China is cheaper and the 50 % cap binds exactly."""
    _, outcome = solved
    share = _base_kpi(outcome, "PAP", "top_country_share")
    assert [share.get(y, 0.0) for y in (2026, 2027)] == pytest.approx([0.0, 36 / 25_536], abs=1e-6)
    assert [share[y] for y in range(2028, LAST + 1)] == pytest.approx([0.5] * (LAST - 2027), abs=1e-6)
    assert _base_kpi(outcome, "PCM", "domestic_share")[2026] == pytest.approx(1.0), "the API is not imported"


def test_six_apa_comes_from_china_once_the_pli_years_end(solved):
    """6-APA from China lands at 30,000 x 1.0825 + 200 = 32,675 USD/t after 2026 (the minimum import
    price of 37,000 holds in 2026 only); Kakinada makes it from 2 t Pen-G at 6,000 + 2 x 14,000 =
    34,000 once PLI ends (Pen-G from China lands at 17,520, dearer than Kakinada's 14,000). With no
    cap on 6-APA, China supplies all of it from 2029 (2028 still draws on 6-APA made in 2027)."""
    _, outcome = solved
    share = _base_kpi(outcome, "APA", "top_country_share")
    assert [share[y] for y in range(2029, LAST + 1)] == pytest.approx([1.0] * (LAST - 2028), abs=1e-6)
    country = _base_kpi(outcome, "APA", "top_country")
    assert {country[y] for y in range(2029, LAST + 1)} == {"CN"}


def test_the_example_plan_is_verified_by_check(solved, tmp_path):
    """The audit recomputes the plan (Tariffs floors and duties, PLI windows and caps, grace years,
    ramp-up, demand factors, qualification delays) from the plan file alone."""
    from planner.io.plan import write_plan
    from planner.plans.check import audit_plan
    from planner.plans.saved_plan import read_plan

    dataset, outcome = solved
    path = write_plan(tmp_path / "example-plan.xlsx", outcome, dataset, charts=False)
    audit = audit_plan(read_plan(path))
    assert audit.findings == []
    assert audit.recomputation.objective == pytest.approx(outcome.objective, rel=1e-9)
