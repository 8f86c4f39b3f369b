"""Comparing saved plans: deltas are the difference of the plans' own figures, input
differences list exactly the cells that changed, any number of plans."""

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.plans.compare import compare_plans, input_differences, plan_names, write_comparison
from planner.schema.dataset import Source, from_records
from planner.plans.saved_plan import read_plan

from planner.plans.intervals import delta_label, high_label, low_label, note_label

from .cases import HAND_COST_BAN, HAND_COST_BASE, HAND_COSTS, edit_cells, rich_records, write_hand_plan


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


DELTA = delta_label("cheaper-li", "baseline")


def test_summary_deltas_are_b_minus_a_of_the_plans_own_figures(two_plans, comparison):
    a, b = two_plans
    summary = comparison.summary.set_index("metric")
    assert list(comparison.summary.columns) == ["metric", "baseline", "cheaper-li", DELTA, low_label(DELTA),
                                                high_label(DELTA), note_label(DELTA)]
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


def test_three_plans_each_later_plan_gets_its_delta_against_the_first(tmp_path, two_plans, saved_two):
    c = Path(tmp_path / "third.xlsx")
    c.write_bytes(two_plans[0].read_bytes())
    edit_cells(c, [("Summary", {"metric": "planner_version"}, "value", "9.9.9"),
                   ("Sourcing", {"scenario": "base", "year": 2026, "material": "LI"}, "quantity", 12.0)])
    comparison = compare_plans(saved_two + [read_plan(c)])
    b_delta, c_delta = delta_label("cheaper-li", "baseline"), delta_label("third", "baseline")
    assert comparison.deltas == [b_delta, c_delta]
    columns = list(comparison.summary.columns)
    assert columns[:4] == ["metric", "baseline", "cheaper-li", "third"]
    assert columns[4:] == [b_delta, low_label(b_delta), high_label(b_delta), note_label(b_delta),
                           c_delta, low_label(c_delta), high_label(c_delta), note_label(c_delta)]
    summary = comparison.summary.set_index("metric")
    # C has A's Summary: no objective delta; B's purchases cost 200 against A's
    assert summary.loc["objective", c_delta] == 0.0
    assert summary.loc["cost.purchases_ex_works", b_delta] == pytest.approx(200.0 - HAND_COSTS["purchases_ex_works"])
    assert summary.loc["cost.purchases_ex_works", c_delta] == 0.0
    assert list(comparison.purchases.columns) == ["material", "country", "baseline", "cheaper-li", "third",
                                                  b_delta, c_delta]
    p = comparison.purchases.set_index(["material", "country"])
    # LI from AU, expected: A 13.5; B 14.5 (ban 2026: 13); C 14.5 (base 2026: 12)
    assert p.loc[("LI", "AU"), b_delta] == pytest.approx(1.0)
    assert p.loc[("LI", "AU"), c_delta] == pytest.approx(1.0)
    assert p.loc[("ORE", "CN"), c_delta] == 0.0
    assert list(comparison.contracts.columns)[-2:] == [b_delta, c_delta]
    assert any("different planner versions" in w and "third 9.9.9" in w for w in comparison.warnings)
    # two cells differ between A and B; C has A's inputs
    assert len(comparison.inputs) == 2 and (comparison.inputs["third"] == comparison.inputs["baseline"]).all()


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    """Three plans of the hand case with made-up objectives and bounds (their decisions are
    the hand plan's; only the Summary matters here):
    A: objective 1000, bound 990 (slack 10);
    B: objective 1050, bound 1040 (slack 10), purchases +30 and shortage +20 against A;
    C: objective 1005, bound 980 (slack 25), a time-limit plan."""
    from models.outcome import Status

    folder = tmp_path_factory.mktemp("bounded")
    costs_b = dict(HAND_COSTS) | {"purchases_ex_works": HAND_COSTS["purchases_ex_works"] + 30.0,
                                  "shortage": HAND_COSTS["shortage"] + 20.0}
    paths = [write_hand_plan(folder / "a.xlsx", objective=1000.0, bound=990.0, charts=False),
             write_hand_plan(folder / "b.xlsx", objective=1050.0, bound=1040.0, costs=costs_b, charts=False),
             write_hand_plan(folder / "c.xlsx", objective=1005.0, bound=980.0, status=Status.TIME_LIMIT,
                             charts=False)]
    return compare_plans([read_plan(p) for p in paths])


def test_objective_delta_lies_in_the_interval_of_the_bounds(bounded):
    # B - A of the optima lies in [L_B - z_A, z_B - L_A] = [1040 - 1000, 1050 - 990] = [40, 60]:
    # B's model proven dearer; C - A in [980 - 1000, 1005 - 990] = [-20, 15]: contains 0.
    summary = bounded.summary.set_index("metric")
    b, c = bounded.deltas
    row = summary.loc["objective"]
    assert (row[b], row[low_label(b)], row[high_label(b)], row[note_label(b)]) == (50.0, 40.0, 60.0,
                                                                                    "proven higher")
    assert (row[c], row[low_label(c)], row[high_label(c)], row[note_label(c)]) == (5.0, -20.0, 15.0,
                                                                                    "within solver tolerance")


def test_cost_components_have_no_interval_but_the_tolerance_flag(bounded):
    # components have no bound: no interval. The tolerance is the objective interval's
    # width, slack A + slack B = 10 + 10 = 20: shortage +20 is within it, purchases +30 not.
    summary = bounded.summary.set_index("metric")
    b, c = bounded.deltas
    shortage, purchases = summary.loc["cost.shortage"], summary.loc["cost.purchases_ex_works"]
    assert shortage[b] == pytest.approx(20.0) and shortage[note_label(b)] == "within solver tolerance"
    assert purchases[b] == pytest.approx(30.0)
    assert purchases[note_label(b)] == "beyond the tolerance (no bound per component)"
    assert pd.isna(purchases[low_label(b)]) and pd.isna(purchases[high_label(b)])
    # C's components equal A's: nothing to qualify
    assert purchases[c] == 0.0 and purchases[note_label(c)] == ""
    # metrics that are not costs get no note
    assert pd.isna(summary.loc["avg_risk", note_label(b)])


def test_the_cvar_itself_gets_no_tolerance_flag():
    # objective = expected cost + w x CVaR: the gap bounds the weighted part (cost.cvar, a component
    # like the others) but says nothing of the CVaR at its own scale (1/w larger; with w = 0 not at all)
    from planner.plans.intervals import is_component

    assert is_component("cost.cvar") and is_component("expected_cost") and not is_component("cvar")


def test_the_workbook_carries_every_delta_its_interval_and_flag(tmp_path, bounded):
    path = write_comparison(bounded, tmp_path / "cmp.xlsx")
    rows = list(load_workbook(path, read_only=True)["Summary"].iter_rows(values_only=True))
    header, by_metric = rows[0], {r[0]: r for r in rows[1:]}
    c = delta_label("c", "a")
    objective = by_metric["objective"]
    assert objective[header.index(c)] == 5.0
    assert objective[header.index(low_label(c))] == -20.0 and objective[header.index(high_label(c))] == 15.0
    assert objective[header.index(note_label(c))] == "within solver tolerance"
    plans = list(load_workbook(path, read_only=True)["Plans"].iter_rows(values_only=True))
    assert plans[0][:6] == ("plan", "file", "status", "objective", "best_bound", "gap")
    assert [r[4] for r in plans[1:4]] == [990.0, 1040.0, 980.0]


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
    assert header[:4] == ("metric", "baseline", "cheaper-li", DELTA)
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    # one series: cheaper-li's change against baseline (tests/report/test_compare_views.py: its values)
    assert '<grouping val="clustered"' in chart and "'Charts'!" in chart and chart.count("<ser>") == 1


def test_without_cvar_the_expected_cost_delta_has_the_objective_interval(tmp_path):
    # cvar_weight 0: the objective is the expected cost, 0.5 x base + 0.5 x ban of the hand plan
    # (the same decisions in both plans). A proven to a bound 10 below, B to 25 below: both
    # deltas are 0, and the difference of the optima lies in [L_B - z_A, z_B - L_A] = [-25, 10]
    # for the objective and so for the expected cost (a component, it had no interval before).
    settings, records = rich_records()
    dataset = from_records(settings | {"cvar_weight": 0.0}, records, Source(name="rich.xlsx", sha256="a" * 64))
    expected = 0.5 * HAND_COST_BASE + 0.5 * HAND_COST_BAN
    paths = [write_hand_plan(tmp_path / f"{name}.xlsx", dataset, objective=expected, bound=expected - below,
                             charts=False) for name, below in (("a", 10.0), ("b", 25.0))]
    summary = compare_plans([read_plan(p) for p in paths]).summary.set_index("metric")
    b = delta_label("b", "a")
    columns = [b, low_label(b), high_label(b), note_label(b)]
    assert summary.loc["expected_cost", b] == pytest.approx(0.0, abs=1e-6)
    assert list(summary.loc["objective", columns]) == [0.0, -25.0, 10.0, "within solver tolerance"]
    assert list(summary.loc["expected_cost", columns[1:]]) == [-25.0, 10.0, "within solver tolerance"]
    # with CVaR weighed (the rich case's 0.5), the expected cost stays a component: no interval
    assert pd.isna(compare_plans([read_plan(write_hand_plan(tmp_path / f"w{n}.xlsx", objective=1000.0, bound=990.0,
                                                            charts=False)) for n in "ab"])
                   .summary.set_index("metric").loc["expected_cost", low_label(delta_label("wb", "wa"))])
