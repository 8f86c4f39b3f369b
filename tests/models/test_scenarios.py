"""Scenarios, disruptions and CVaR (two-stage stochastic program)."""

import pytest

from model_builders import bought, country, dataset, demand, material, offer, solve, supplier

from models.params.data import build_data


def two_suppliers(scenarios, disruptions, contract_cost, price_b=12.0, settings=None):
    return dataset(settings, Materials=[material("M", shortage_penalty=100)],
                   Countries=[country("IN"), country("X"), country("Y")],
                   Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                   Offers=[offer("A", "M", 10, contract_cost=contract_cost),
                           offer("B", "M", price_b, contract_cost=contract_cost)],
                   Demand=[demand("M", 2025, 100)], Scenarios=scenarios, Disruptions=disruptions)


def test_export_ban_makes_dual_sourcing_optimal():
    # base (p .5) / ban (p .5: X exports nothing, capacity_factor 0 on an uncapacitated offer).
    # Contracts cost 50 each, shortage 100/unit, demand 100.
    #   A only: 50 + .5 x 1000 + .5 x 10000 = 5550;  B only: 50 + 1200 = 1250;
    #   both:  100 + .5 x 1000 + .5 x 1200 = 1200  <- optimal (first-stage hedge).
    ds = two_suppliers([{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
                       [{"scenario": "ban", "country": "X", "capacity_factor": 0.0}], contract_cost=50)
    out = solve(ds)
    assert out.objective == pytest.approx(1200)
    assert set(out.tables["Contracts"].supplier) == {"A", "B"}
    assert bought(out, "A", scenario="base") == pytest.approx(100)
    assert bought(out, "A", scenario="ban") == 0 and bought(out, "B", scenario="ban") == pytest.approx(100)


def test_disruption_factors_multiply_and_scale_min_order():
    # Two matching rows (0.5 on country X, 0.5 on material M) multiply to 0.25 of capacity 100
    # and of min order 40; the price factors 2 and 1.5 multiply to 3.
    ds = dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 10, capacity=100, min_order=40)], Demand=[demand("M", 2025, 100)],
                 Scenarios=[{"scenario": "s", "probability": 1.0}],
                 Disruptions=[{"scenario": "s", "country": "X", "capacity_factor": 0.5, "price_factor": 2},
                              {"scenario": "s", "material": "M", "capacity_factor": 0.5, "price_factor": 1.5}])
    sd = build_data(ds).supply
    key = ("s", 2025, 0)
    assert sd.buy_cap[key] == pytest.approx(25) and sd.min_req[key] == pytest.approx(10)
    assert sd.landed(key) == pytest.approx(30)


def test_cvar_shifts_plan_to_safer_supplier():
    # base p .9, shock p .1 (A's price x3). Contracts 200 each; A 10, B 12.5.
    #   A only: 200 + 1000 (base) / 200 + 3000 (shock): E = 1400, CVaR_.9 = 3200
    #   B only: 200 + 1250 in both: E = 1450, CVaR = 1450
    #   both:   400 + 1000 / 400 + 1250: E = 1425, CVaR = 1650
    # Risk-neutral: A only (1400). cvar_weight 1: B only (1450 + 1450 = 2900 < 3075 < 4600).
    scen = [{"scenario": "base", "probability": 0.9}, {"scenario": "shock", "probability": 0.1}]
    dis = [{"scenario": "shock", "supplier": "A", "price_factor": 3.0}]
    out = solve(two_suppliers(scen, dis, contract_cost=200, price_b=12.5))
    assert out.objective == pytest.approx(1400)
    assert set(out.tables["Contracts"].supplier) == {"A"}
    out = solve(two_suppliers(scen, dis, contract_cost=200, price_b=12.5,
                              settings={"cvar_weight": 1.0, "cvar_alpha": 0.9}))
    assert out.objective == pytest.approx(2900)
    assert set(out.tables["Contracts"].supplier) == {"B"}
    assert out.costs["cvar"] == pytest.approx(1450)
    assert sum(out.costs.values()) == pytest.approx(out.objective)
