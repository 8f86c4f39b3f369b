"""Supply family: country caps, min orders, sanctions, landed cost."""

import pytest

from model_builders import bought, country, dataset, demand, material, offer, solve, supplier

from models.params.data import build_data


def test_binding_country_cap():
    # Demand 100; A (country X) at 10, B (country Y) at 12; max_country_share 0.6 caps X at 60
    # units, so 60 x 10 + 40 x 12 = 1080 (without the cap: 1000).
    ds = dataset(Countries=[country("IN"), country("X"), country("Y")],
                 Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                 Offers=[offer("A", "M", 10), offer("B", "M", 12)],
                 Demand=[demand("M", 2025, 100)],
                 Policies=[{"material": "*", "max_country_share": 0.6}])
    out = solve(ds)
    assert out.objective == pytest.approx(1080)
    assert bought(out, "A") == pytest.approx(60)
    assert bought(out, "B") == pytest.approx(40)


def test_min_order_forces_stock():
    # Only supplier A (10/unit), min order 80/yr once contracted; demand 50 in each of 2 years,
    # holding 1/unit-yr. Buy 80 in both years: stock 30 after year 1, 60 after year 2.
    # Cost = 160 x 10 + (30 + 60) x 1 = 1690.
    ds = dataset({"years": 2}, Materials=[material("M", holding_cost=1.0)],
                 Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 10, min_order=80)],
                 Demand=[demand("M", 2025, 50), demand("M", 2026, 50)])
    out = solve(ds)
    assert out.objective == pytest.approx(1690)
    stock = out.tables["Stock"].set_index("year").closing_stock
    assert stock[2025] == pytest.approx(30) and stock[2026] == pytest.approx(60)
    assert out.costs["holding"] == pytest.approx(90)


def test_sanctioned_country_gets_no_variables():
    # S in sanctioned Z sells at 1, B at 12: 100 x 12 = 1200 and nothing from S.
    ds = dataset(Countries=[country("IN"), country("Z", sanctioned=True), country("Y")],
                 Suppliers=[supplier("S", "Z"), supplier("B", "Y")],
                 Offers=[offer("S", "M", 1), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)])
    data = build_data(ds)
    assert all(data.supply.supplier[o] != "S" for (_s, _y, o) in data.supply.buy)
    out = solve(ds)
    assert out.objective == pytest.approx(1200)
    assert bought(out, "S") == 0


def test_landed_cost_tariff_and_freight():
    # A (X, tariff 0.2) 10 + freight 1 -> landed 13; B (Y) 13.5 ex-works, no tariff -> 13.5.
    # A wins for 10 units: ex-works 100, tariffs 20, freight 10, total 130.
    ds = dataset(Countries=[country("IN"), country("X", tariff=0.2), country("Y")],
                 Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                 Offers=[offer("A", "M", 10, freight_cost=1), offer("B", "M", 13.5)],
                 Demand=[demand("M", 2025, 10)])
    out = solve(ds)
    assert out.objective == pytest.approx(130)
    assert (out.costs["purchases_ex_works"], out.costs["tariffs"], out.costs["freight"]) == \
        pytest.approx((100, 20, 10))
    assert out.tables["Sourcing"].landed_unit_cost.tolist() == pytest.approx([13])


def test_qualification_once_with_joint_capacity():
    # A (qualification 100, joint capacity 60) offers M at 1 and N at 1; B sells both at 3.
    # Demand 50 M + 50 N. Qualify A once (100), buy 60 from A (60), 40 from B (120): 280.
    # Without A: 300; qualification must be paid once, not per offer (else 380 > 300).
    ds = dataset(Materials=[material("M"), material("N")],
                 Countries=[country("IN"), country("X")],
                 Suppliers=[supplier("A", "X", capacity=60, qualification_cost=100), supplier("B", "X")],
                 Offers=[offer("A", "M", 1), offer("A", "N", 1), offer("B", "M", 3), offer("B", "N", 3)],
                 Demand=[demand("M", 2025, 50), demand("N", 2025, 50)])
    out = solve(ds)
    assert out.objective == pytest.approx(280)
    assert bought(out, "A") == pytest.approx(60)
    assert out.costs["qualification"] == pytest.approx(100)
