"""Comparing saved plans: deltas are the difference of the plans' own figures, input
differences list exactly the cells that changed, any number of plans."""

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.plans.compare import DELTA, compare_plans, input_differences, plan_names, write_comparison
from planner.schema.dataset import Source, from_records
from planner.plans.saved_plan import read_plan

from .cases import HAND_COSTS, edit_cells, rich_records, write_hand_plan


def _summary_of(path: Path) -> dict:
    """The plan's Summary as written, read with openpyxl (not through planner code)."""
    wb = load_workbook(path, read_only=True)
    return {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    """Plan A: the hand plan. Plan B: its inputs with two cells changed (S1's LI price
    10 -> 12, LI demand in 2027 10 -> 11), other costs and 2 more t of LI from S1 in 2026
    in the ban scenario."""
    folder = tmp_path_factory.mktemp("cmp")
    a = write_hand_plan(folder / "baseline.xlsx", charts=False)
    settings, records = rich_records()
    records["Offers"][0]["unit_cost"] = 12.0
    records["Demand"][1]["quantity"] = 11
    dataset_b = from_records(settings, records, Source(name="rich-b.xlsx", sha256="c" * 64))
    costs_b = dict(HAND_COSTS) | {"purchases_ex_works": 200.0, "shortage": 10.0, "cvar": 150.0}
    b = write_hand_plan(folder / "cheaper-li.xlsx", dataset=dataset_b, objective=sum(costs_b.values()),
                        costs=costs_b, charts=False)
    edit_cells(b, [("Sourcing", {"scenario": "ban", "year": 2026, "material": "LI"}, "quantity", 13.0)])
    return a, b


@pytest.fixture(scope="module")
def saved_two(two_plans):
    return [read_plan(p) for p in two_plans]


@pytest.fixture(scope="module")
def comparison(saved_two):
    return compare_plans(saved_two)


def test_summary_deltas_are_b_minus_a_of_the_plans_own_figures(two_plans, comparison):
    a, b = two_plans
    summary = comparison.summary.set_index("metric")
    assert list(comparison.summary.columns) == ["metric", "baseline", "cheaper-li", DELTA]
    sa, sb = _summary_of(a), _summary_of(b)
    keys = ["objective"] + [k for k in sa if k.startswith("cost.")]
    assert len(keys) == 15
    for key in keys:
        assert summary.loc[key, "baseline"] == sa[key]
        assert summary.loc[key, "cheaper-li"] == sb[key]
        assert summary.loc[key, DELTA] == pytest.approx(sb[key] - sa[key], abs=1e-12)
    assert summary.loc["cost.purchases_ex_works", DELTA] == pytest.approx(200.0 - HAND_COSTS["purchases_ex_works"])
    assert summary.loc["status", DELTA] is None  # same text: no delta


def test_purchase_deltas_by_country_and_material(comparison):
    p = comparison.purchases.set_index(["material", "country"])
    # A: LI from AU, expected over the two scenarios: 0.5 (10 + 4) + 0.5 (11 + 2) = 13.5
    # B: ban 2026 is 13 instead of 11, so 14.5
    assert p.loc[("LI", "AU"), "baseline"] == pytest.approx(13.5)
    assert p.loc[("LI", "AU"), "cheaper-li"] == pytest.approx(14.5)
    assert p.loc[("LI", "AU"), DELTA] == pytest.approx(1.0)
    assert p.loc[("ORE", "CN"), DELTA] == 0.0
    by_year = comparison.purchases_by_year.set_index(["material", "country", "year"])
    assert by_year.loc[("LI", "AU", 2026), DELTA] == pytest.approx(1.0)
    assert by_year.loc[("LI", "AU", 2027), DELTA] == 0.0


def test_input_differences_list_exactly_the_two_changed_cells(comparison):
    rows = comparison.inputs.to_dict("records")
    assert rows == [
        {"sheet": "Demand", "key": "material=LI, year=2027", "column": "quantity", "baseline": 10.0,
         "cheaper-li": 11.0},
        {"sheet": "Offers", "key": "supplier=S1, material=LI", "column": "unit_cost", "baseline": 10.0,
         "cheaper-li": 12.0},
    ]
    assert any("different inputs" in w for w in comparison.warnings)


def test_sheets_without_a_key_are_compared_by_row(tmp_path, two_plans, saved_two):
    a = two_plans[0]
    b = Path(tmp_path / "b.xlsx")
    b.write_bytes(a.read_bytes())
    edit_cells(b, [("Input.Disruptions", {"scenario": "ban"}, "capacity_factor", 0.25)])
    rows = input_differences([saved_two[0], read_plan(b)], ["baseline", "b"]).to_dict("records")
    assert rows == [{"sheet": "Disruptions", "key": "row 2", "column": "capacity_factor", "baseline": 0.5,
                     "b": 0.25}]


def test_three_plans_side_by_side_without_delta_and_version_warning(tmp_path, two_plans, saved_two):
    c = Path(tmp_path / "third.xlsx")
    c.write_bytes(two_plans[0].read_bytes())
    edit_cells(c, [("Summary", {"metric": "planner_version"}, "value", "9.9.9")])
    comparison = compare_plans(saved_two + [read_plan(c)])
    assert list(comparison.summary.columns) == ["metric", "baseline", "cheaper-li", "third"]
    assert list(comparison.purchases.columns) == ["material", "country", "baseline", "cheaper-li", "third"]
    assert any("different planner versions" in w and "third 9.9.9" in w for w in comparison.warnings)
    # two cells differ between A and B; C has A's inputs
    assert len(comparison.inputs) == 2 and (comparison.inputs["third"] == comparison.inputs["baseline"]).all()


def test_plans_with_the_same_stem_are_named_by_folder(tmp_path, two_plans):
    a = two_plans[0]
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.xlsx").write_bytes(a.read_bytes())
    plans = [read_plan(tmp_path / "x" / "plan.xlsx"), read_plan(tmp_path / "y" / "plan.xlsx")]
    assert plan_names(plans) == ["x/plan", "y/plan"]
    assert input_differences(plans, plan_names(plans)).empty


def test_comparison_workbook_has_the_sheets_and_a_native_chart(tmp_path, comparison):
    path = write_comparison(comparison, tmp_path / "cmp.xlsx")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Summary", "Charts", "Purchases", "Purchases by year", "Contracts", "Builds",
                             "Financing", "Input differences", "Plans"]
    header = next(wb["Summary"].iter_rows(values_only=True))
    assert header == ("metric", "baseline", "cheaper-li", DELTA)
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert '<grouping val="clustered"' in chart and "'Charts'!" in chart and chart.count("<ser>") == 2
