"""Objective: discounting, the default shortage penalty, and costs adding up."""

import pytest

from model_builders import country, dataset, demand, material, offer, solve, supplier

from models import solve_dataset
from models.params.data import build_data
from models.outcome import SolveOptions, Status, TABLE_COLUMNS


def test_discounting():
    # 2 years at 8% would be 1000 + 1000/1.08; at 10%: 1000 + 1000/1.1 = 1909.0909.
    ds = dataset({"years": 2, "discount_rate": 0.1}, Countries=[country("IN"), country("X")],
                 Suppliers=[supplier("A", "X")], Offers=[offer("A", "M", 10)],
                 Demand=[demand("M", 2025, 100), demand("M", 2026, 100)])
    out = solve(ds)
    assert out.objective == pytest.approx(1000 + 1000 / 1.1)
    assert out.tables["Sourcing"].set_index("year").cost[2026] == pytest.approx(1000 / 1.1)


def test_default_shortage_penalty():
    # Offer landed 10 x 1.5 + 1 = 16, capacity 30; demand 50 -> penalty 160: 20 short x 160 = 3200
    # + 30 x 16 = 480 -> 3680.
    ds = dataset(Countries=[country("IN"), country("X", tariff=0.5)], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 10, freight_cost=1, capacity=30)], Demand=[demand("M", 2025, 50)])
    out = solve(ds)
    assert out.objective == pytest.approx(3680)
    assert out.costs["shortage"] == pytest.approx(3200)
    assert out.tables["Shortages"].quantity.tolist() == pytest.approx([20])
    # No offers: 10 x the highest facility unit cost (7 -> 70); nothing at all: 1,000,000;
    # a Settings value applies where the material gives none; the material's own value wins.
    ds = dataset({"shortage_penalty": None}, Materials=[material("P"), material("Q"), material("R", shortage_penalty=3)],
                 Facilities=[{"facility": "F", "kind": "mine", "material": "P", "module_capacity": 1,
                              "max_modules": 1, "unit_cost": 7}])
    assert build_data(ds).penalty == {"P": 70.0, "Q": 1_000_000.0, "R": 3.0}
    ds = dataset({"shortage_penalty": 42}, Materials=[material("P"), material("R", shortage_penalty=3)])
    assert build_data(ds).penalty == {"P": 42.0, "R": 3.0}


def rich_dataset(with_financing: bool):
    # Everything at once: 3 years at 5%, two scenarios, CVaR, carbon price, holding, shortage,
    # qualification and contract costs, tariffs and freight, a green plant with opex, PLI and recipes.
    fin = [{"source": "L", "kind": "green_bond", "limit": 300, "annual_rate": 0.03, "tenor_years": 5,
            "arrangement_fee": 7},
           {"source": "B", "kind": "budget", "limit": 10_000}] if with_financing else []
    return dataset(
        {"years": 3, "discount_rate": 0.05, "carbon_price": 2.0, "cvar_weight": 0.5, "cvar_alpha": 0.8},
        Materials=[material("M", holding_cost=0.3, shortage_penalty=60, initial_stock=5), material("R")],
        Countries=[country("IN"), country("X", tariff=0.1, risk=0.4), country("Y", allied=True)],
        Suppliers=[supplier("A", "X", qualification_cost=30), supplier("B", "Y", capacity=50)],
        Offers=[offer("A", "M", 10, freight_cost=1, carbon_intensity=0.5, min_order=20, contract_cost=15),
                offer("B", "M", 13, carbon_intensity=0.2), offer("B", "R", 2, freight_cost=0.5)],
        Demand=[demand("M", y, 60) for y in (2025, 2026, 2027)],
        Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 30,
                     "max_modules": 2, "capex_per_module": 400, "fixed_opex_per_module": 20, "unit_cost": 3,
                     "pli_subsidy": 1, "build_years": 1, "green": True, "lifetime_years": 10,
                     "carbon_intensity": 0.1}],
        Recipes=[{"facility": "F", "input_material": "R", "quantity_per_unit": 1.5}],
        Scenarios=[{"scenario": "base", "probability": 0.7}, {"scenario": "ban", "probability": 0.3}],
        Disruptions=[{"scenario": "ban", "country": "X", "from_year": 2026, "capacity_factor": 0.0},
                     {"scenario": "ban", "supplier": "B", "price_factor": 1.4}],
        Financing=fin)


@pytest.mark.parametrize("with_financing", [False, True])
def test_costs_add_up_to_objective(with_financing):
    out = solve(rich_dataset(with_financing))
    expected_keys = {"qualification", "contracts", "arrangement_fees", "purchases_ex_works", "tariffs",
                     "freight", "production", "pli_subsidy", "fixed_opex", "holding", "shortage", "carbon",
                     "cvar", "financing" if with_financing else "capex"}
    assert set(out.costs) == expected_keys
    assert sum(out.costs.values()) == pytest.approx(out.objective, rel=1e-9)
    assert out.costs["pli_subsidy"] <= 0
    for name, columns in TABLE_COLUMNS.items():
        assert tuple(out.tables[name].columns) == columns, name
    # the Sourcing table's cost column is the discounted purchase cost (with tariffs and freight)
    src = out.tables["Sourcing"]
    probs = src.scenario.map({"base": 0.7, "ban": 0.3})
    assert (src.cost * probs).sum() == pytest.approx(
        out.costs["purchases_ex_works"] + out.costs["tariffs"] + out.costs["freight"])


def test_time_limit_outcome_is_consistent():
    # A zero time limit either finds nothing (NO_SOLUTION) or returns a plan marked TIME_LIMIT
    # (or proves the tiny model optimal in presolve); never raises.
    out = solve_dataset(rich_dataset(True), SolveOptions(time_limit_s=0.0))
    assert out.status in (Status.NO_SOLUTION, Status.TIME_LIMIT, Status.OPTIMAL)
    assert (out.objective is not None) == out.status.has_plan
