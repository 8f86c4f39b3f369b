"""Policies: precedence rule and a few targets."""

import pytest

from model_builders import bought, country, dataset, demand, material, offer, solve, supplier

from models.params.policies import resolve
from models.outcome import Status
from models import solve_dataset
from planner.schema.dataset import from_records


def _policies(rows):
    return from_records({"home_country": "IN", "first_year": 2025, "years": 2},
                        {"Policies": rows}).tables["Policies"]


def test_precedence_most_specific_row_wins():
    # '*' 0.5 < material M 0.8 < M in 2026 0.6 < M in 2026 in scenario 'ban' 0.4.
    table = _policies([{"material": "*", "max_country_share": 0.5},
                       {"material": "M", "max_country_share": 0.8},
                       {"material": "M", "year": 2026, "max_country_share": 0.6},
                       {"material": "M", "year": 2026, "scenario": "ban", "max_country_share": 0.4},
                       {"material": "*", "min_green_share": 0.1}])
    got = resolve(table, ["M", "N"], [2025, 2026], ["base", "ban"]).get("max_country_share")
    assert got[("M", 2025, "base")] == 0.8
    assert got[("M", 2026, "base")] == 0.6
    assert got[("M", 2026, "ban")] == 0.4
    assert got[("N", 2026, "ban")] == 0.5
    # a column is resolved on its own: the '*' green row still applies to M
    green = resolve(table, ["M", "N"], [2025, 2026], ["base", "ban"]).get("min_green_share")
    assert green[("M", 2026, "ban")] == 0.1


def test_resolved_values_keep_the_excel_row_they_came_from():
    # the rows of test_precedence_most_specific_row_wins, at Excel rows 2..5; min_suppliers: the row
    # naming M (row 7, year 2026) beats the '*' row (row 6) in every year, since it is horizon-wide
    table = _policies([{"material": "*", "max_country_share": 0.5, "excel_row": 2},
                       {"material": "M", "max_country_share": 0.8, "excel_row": 3},
                       {"material": "M", "year": 2026, "max_country_share": 0.6, "excel_row": 4},
                       {"material": "M", "year": 2026, "scenario": "ban", "max_country_share": 0.4, "excel_row": 5},
                       {"material": "*", "min_suppliers": 1, "excel_row": 6},
                       {"material": "M", "year": 2026, "min_suppliers": 2, "excel_row": 7}])
    data = resolve(table, ["M", "N"], [2025, 2026], ["base", "ban"])
    assert data.row("max_country_share", ("M", 2025, "base")) == 3
    assert data.row("max_country_share", ("M", 2026, "base")) == 4
    assert data.row("max_country_share", ("M", 2026, "ban")) == 5
    assert data.row("max_country_share", ("N", 2026, "ban")) == 2
    assert data.min_suppliers == {"M": 2, "N": 1}
    assert data.row("min_suppliers", "M") == 7 and data.row("min_suppliers", "N") == 6
    # a row not read from a sheet (excel_row 0) names no row
    assert resolve(_policies([{"material": "M", "max_avg_risk": 0.3}]), ["M"], [2025], ["base"]).row(
        "max_avg_risk", ("M", 2025, "base")) is None


def test_precedence_equal_specificity_conflict_raises():
    # (M, blank year) and (*, 2025) both name one thing and disagree for (M, 2025).
    table = _policies([{"material": "M", "max_country_share": 0.8},
                       {"material": "*", "year": 2025, "max_country_share": 0.3}])
    with pytest.raises(ValueError, match="equally specific"):
        resolve(table, ["M"], [2025, 2026], ["base"])
    # agreeing values are fine
    ok = _policies([{"material": "M", "max_country_share": 0.3},
                    {"material": "*", "year": 2025, "max_country_share": 0.3}])
    assert resolve(ok, ["M"], [2025], ["base"]).get("max_country_share")[("M", 2025, "base")] == 0.3


def test_precedence_changes_the_plan():
    # A (X) 10, B (Y) 12, demand 100. '*' caps a country at 0.5 but M's own row allows 0.8:
    # 80 x 10 + 20 x 12 = 1040 (with 0.5 it would be 1100).
    ds = dataset(Countries=[country("IN"), country("X"), country("Y")],
                 Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                 Offers=[offer("A", "M", 10), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)],
                 Policies=[{"material": "*", "max_country_share": 0.5},
                           {"material": "M", "max_country_share": 0.8}])
    assert solve(ds).objective == pytest.approx(1040)


def test_green_share_and_avg_risk_bind():
    # A (X, risk 0.5) 10, B (Y, risk 0, green) 20, demand 100.
    # min_green_share 0.3 -> 30 from B: 70 x 10 + 30 x 20 = 1300.
    # Add max_avg_risk 0.2 -> A <= 40 (0.5 A <= 0.2 x 100): 40 x 10 + 60 x 20 = 1600.
    base = dict(Countries=[country("IN"), country("X", risk=0.5), country("Y")],
                Suppliers=[supplier("A", "X"), supplier("B", "Y", green_certified=True)],
                Offers=[offer("A", "M", 10), offer("B", "M", 20)], Demand=[demand("M", 2025, 100)])
    out = solve(dataset(**base, Policies=[{"material": "M", "min_green_share": 0.3}]))
    assert out.objective == pytest.approx(1300)
    assert out.tables["KPIs"].green_share.iloc[0] == pytest.approx(0.3)
    out = solve(dataset(**base, Policies=[{"material": "M", "min_green_share": 0.3, "max_avg_risk": 0.2}]))
    assert out.objective == pytest.approx(1600)
    assert out.tables["KPIs"].avg_risk.iloc[0] == pytest.approx(0.2)


def test_min_suppliers_and_non_allied():
    # min_suppliers 2 with contract costs 5 each: both A and B contracted even though only A is used:
    # 100 x 10 + 2 x 5 = 1010. X non-allied with max_non_allied_share 0.25: 75 from B (Y allied):
    # 25 x 10 + 75 x 12 + 10 = 1160.
    base = dict(Countries=[country("IN"), country("X"), country("Y", allied=True)],
                Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                Offers=[offer("A", "M", 10, contract_cost=5), offer("B", "M", 12, contract_cost=5)],
                Demand=[demand("M", 2025, 100)])
    out = solve(dataset(**base, Policies=[{"material": "M", "min_suppliers": 2}]))
    assert out.objective == pytest.approx(1010)
    assert len(out.tables["Contracts"]) == 2
    out = solve(dataset(**base, Policies=[{"material": "M", "min_suppliers": 2, "max_non_allied_share": 0.25}]))
    assert out.objective == pytest.approx(1160)


def test_stock_and_service_level():
    # One year, A at 10, demand 100, min_stock_share 0.5 -> closing stock >= 50: buy 150 -> 1500.
    # max_shortage_share 0 ('*') with N having no source at all -> infeasible.
    ds = dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 10)], Demand=[demand("M", 2025, 100)],
                 Policies=[{"material": "M", "min_stock_share": 0.5}])
    out = solve(ds)
    assert out.objective == pytest.approx(1500)
    bad = dataset(Materials=[material("M"), material("N")], Countries=[country("IN"), country("X")],
                  Suppliers=[supplier("A", "X")], Offers=[offer("A", "M", 10)],
                  Demand=[demand("M", 2025, 100), demand("N", 2025, 5)],
                  Policies=[{"material": "*", "max_shortage_share": 0}])
    assert solve_dataset(bad).status == Status.INFEASIBLE


def test_min_domestic_share_without_facility_is_infeasible():
    ds = dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 10)], Demand=[demand("M", 2025, 100)],
                 Policies=[{"material": "M", "min_domestic_share": 0.2}])
    out = solve_dataset(ds)
    assert out.status == Status.INFEASIBLE and out.objective is None
