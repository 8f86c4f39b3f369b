"""Financing: PV of repayments, limits, green_only."""

import pytest

from model_builders import country, dataset, demand, offer, solve, supplier

from models.params.domestic import pv_factor


def plant_dataset(financing, green=False):
    # 1 year; demand 100; imports at 100/unit; plant: capex 1000, build_years 0, lifetime 1
    # (share 1), unit cost 0 -> building is worth it under any financing below 10,000.
    return dataset({"discount_rate": 0.1}, Countries=[country("IN"), country("X")],
                   Suppliers=[supplier("A", "X")], Offers=[offer("A", "M", 100)],
                   Demand=[demand("M", 2025, 100)],
                   Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 100,
                                "max_modules": 1, "capex_per_module": 1000, "build_years": 0,
                                "lifetime_years": 1, "green": green}],
                   Financing=financing)


def test_pv_factor():
    # rate 0, tenor 2, discount 0.1: 0.5/1.1 + 0.5/1.21 = 0.867769; budget 1; grant 0.
    assert pv_factor("multilateral_loan", 0.0, 2, 0.1) == pytest.approx(0.5 / 1.1 + 0.5 / 1.21)
    assert pv_factor("budget", 0.05, 10, 0.1) == 1.0
    assert pv_factor("grant", 0.05, 10, 0.1) == 0.0
    # annuity at the discount rate itself is worth exactly what was drawn
    assert pv_factor("bond", 0.1, 7, 0.1) == pytest.approx(1.0)


def test_cheaper_loan_is_limited():
    # Loan L (rate 0, tenor 2: PV 0.867769/unit) limited to 600; the budget pays the rest at 1.
    # Cost = 600 x 0.867769 + 400 = 920.661.
    out = solve(plant_dataset([
        {"source": "L", "kind": "multilateral_loan", "limit": 600, "tenor_years": 2},
        {"source": "B", "kind": "budget", "limit": 10_000}]))
    draws = out.tables["Financing"].set_index("source").draw
    assert draws["L"] == pytest.approx(600) and draws["B"] == pytest.approx(400)
    assert out.objective == pytest.approx(600 * (0.5 / 1.1 + 0.5 / 1.21) + 400)
    assert out.costs["financing"] == pytest.approx(out.objective)


def test_green_only_source_cannot_fund_non_green_plant():
    # A free green-only grant cannot fund the non-green plant: the budget pays 1000.
    # Make the plant green and the grant pays: cost 0.
    sources = [{"source": "G", "kind": "grant", "limit": 10_000, "green_only": True},
               {"source": "B", "kind": "budget", "limit": 10_000}]
    out = solve(plant_dataset(sources, green=False))
    assert out.objective == pytest.approx(1000)
    assert set(out.tables["Financing"].source) == {"B"}
    assert solve(plant_dataset(sources, green=True)).objective == pytest.approx(0)


def test_arrangement_fee_and_min_draw():
    # Loan L (rate 0, tenor 2: PV 0.867769/unit) with an arrangement fee of 200 costs
    # 867.77 + 200 = 1067.8 > 1000, so the budget pays alone: 1000, no fee.
    out = solve(plant_dataset([
        {"source": "L", "kind": "multilateral_loan", "limit": 10_000, "tenor_years": 2, "arrangement_fee": 200},
        {"source": "B", "kind": "budget", "limit": 10_000}]))
    assert out.objective == pytest.approx(1000)
    assert out.costs["arrangement_fees"] == 0
    # Same loan without fee but min_draw 2000: using it costs 2000 x 0.867769 = 1735.5 > 1000.
    out = solve(plant_dataset([
        {"source": "L", "kind": "multilateral_loan", "limit": 10_000, "tenor_years": 2, "min_draw": 2000},
        {"source": "B", "kind": "budget", "limit": 10_000}]))
    assert out.objective == pytest.approx(1000)
    # With a fee of 50 only, the loan wins: 867.77 + 50 = 917.77.
    out = solve(plant_dataset([
        {"source": "L", "kind": "multilateral_loan", "limit": 10_000, "tenor_years": 2, "arrangement_fee": 50},
        {"source": "B", "kind": "budget", "limit": 10_000}]))
    assert out.objective == pytest.approx(1000 * (0.5 / 1.1 + 0.5 / 1.21) + 50)
    assert out.costs["arrangement_fees"] == pytest.approx(50)
