"""Marginal values: hand-argued costs of tightening a target or a limit by one unit as written."""

import math

import pytest

from model_builders import country, dataset, demand, offer, solve, supplier

import cases
from models.outcome import SolveOptions
from models.solve import solve_dataset


def _row(out, policy, **where):
    t = out.marginals
    t = t[t.policy == policy]
    for k, v in where.items():
        t = t[t[k] == v]
    assert len(t) == 1, out.marginals
    return t.iloc[0]


def test_country_share_cap_costs_200_per_unit_of_share():
    # 60 from A at 10 + 40 from B at 12 = 1080. Tightening the cap by 1.0 (100 points) would move
    # 100 units from 10 to 12: +200, i.e. 2 per percentage point.
    out = solve(cases.country_cap(0.6))
    assert out.objective == pytest.approx(1080)
    row = _row(out, "max_country_share", material="M", year=2025, scenario="base")
    assert row.value == pytest.approx(0.6)
    assert row.marginal_value == pytest.approx(200)
    assert row.per_percentage_point == pytest.approx(2)
    assert row.excel_row == 2
    assert "lowering" in row.note and "X" in row.note  # the cap binds for country X


def test_min_domestic_share_costs_500_per_unit_of_share():
    out = solve(cases.domestic_floor())
    assert out.objective == pytest.approx(1150)
    row = _row(out, "min_domestic_share", material="M")
    assert row.marginal_value == pytest.approx(500)
    assert row.per_percentage_point == pytest.approx(5)
    assert "raising" in row.note


def test_supplier_capacity_costs_the_price_difference():
    # A (X) at 10 up to 60, B (Y) at 12: 60 x 10 + 40 x 12 = 1080. One unit less of A's capacity
    # moves one unit to B: +2 per unit of capacity; B's capacity of 80 is not binding (40 bought).
    ds = dataset(Countries=[country("IN"), country("X"), country("Y")],
                 Suppliers=[supplier("A", "X", capacity=60, excel_row=2), supplier("B", "Y")],
                 Offers=[offer("A", "M", 10), offer("B", "M", 12, capacity=80)], Demand=[demand("M", 2025, 100)])
    out = solve(ds)
    assert out.objective == pytest.approx(1080)
    row = _row(out, "Suppliers.capacity", subject="A")
    assert (row.value, row.marginal_value, row.excel_row) == (60, pytest.approx(2), 2)
    assert math.isnan(row.per_percentage_point)
    assert "Offers.capacity" not in set(out.marginals.policy)


def test_slack_targets_are_not_listed_and_the_sheet_can_be_skipped():
    # a cap of 1.0 is no constraint and nothing has a capacity: nothing binds, nothing is listed
    out = solve(cases.country_cap(1.0))
    assert out.marginals is not None and out.marginals.empty
    skipped = solve_dataset(cases.country_cap(0.6), SolveOptions(marginals=False))
    assert skipped.marginals is None and skipped.objective == pytest.approx(1080)
