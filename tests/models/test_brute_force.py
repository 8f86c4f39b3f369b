"""The MIP against a brute force on random one-material, one-year instances.

Suppliers each carry a qualification cost, a capacity, a minimum order and a price
(some with a contract cost too). For every subset of suppliers to qualify, the cheapest
purchase is found by a greedy that is exact for one material and one year: take every
chosen supplier's minimum order, then fill the remaining demand from the cheapest
chosen suppliers below the shortage penalty; anything left is short. The best subset's
cost is the optimum the model must reproduce.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.outcome import Status
from models.solve import solve_dataset
from planner.schema.dataset import from_records

PENALTY = 50.0

supplier = st.fixed_dictionaries({
    "qualification_cost": st.sampled_from([0.0, 20.0, 75.0, 300.0]),
    "contract_cost": st.sampled_from([0.0, 0.0, 15.0]),
    "capacity": st.integers(5, 60).map(float),
    "min_order": st.sampled_from([0.0, 0.0, 10.0, 25.0]),
    "unit_cost": st.integers(3, 60).map(float),
})


def brute_force(suppliers: list[dict], demand: float) -> float:
    best = float("inf")
    for chosen in itertools.product([False, True], repeat=len(suppliers)):
        picked = [s for s, c in zip(suppliers, chosen) if c]
        # a minimum order above capacity cannot be contracted
        if any(s["min_order"] > s["capacity"] for s in picked):
            continue
        cost = sum(s["qualification_cost"] + s["contract_cost"] for s in picked)
        bought = sum(s["min_order"] for s in picked)
        cost += sum(s["min_order"] * s["unit_cost"] for s in picked)
        for s in sorted(picked, key=lambda s: s["unit_cost"]):
            if s["unit_cost"] >= PENALTY:
                break
            take = min(s["capacity"] - s["min_order"], max(0.0, demand - bought))
            cost += take * s["unit_cost"]
            bought += take
        cost += PENALTY * max(0.0, demand - bought)
        best = min(best, cost)
    return best


def dataset(suppliers: list[dict], demand: float):
    return from_records(
        {"home_country": "IN", "first_year": 2026, "years": 1, "shortage_penalty": PENALTY, "mip_gap": 0.0},
        {"Materials": [{"material": "M", "name": "M", "sector": "mineral", "unit": "t"}],
         "Demand": [{"material": "M", "year": 2026, "quantity": demand}],
         "Countries": [{"country": "IN", "name": "Home", "risk": 0.1}, {"country": "X", "name": "X", "risk": 0.3}],
         "Suppliers": [{"supplier": f"S{k}", "country": "X", "capacity": s["capacity"],
                        "qualification_cost": s["qualification_cost"]} for k, s in enumerate(suppliers)],
         "Offers": [{"supplier": f"S{k}", "material": "M", "unit_cost": s["unit_cost"],
                     "min_order": s["min_order"], "contract_cost": s["contract_cost"]}
                    for k, s in enumerate(suppliers)]},
    )


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(suppliers=st.lists(supplier, min_size=1, max_size=5), demand=st.integers(0, 150).map(float))
def test_mip_matches_brute_force(suppliers, demand):
    outcome = solve_dataset(dataset(suppliers, demand))
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(brute_force(suppliers, demand), rel=1e-6, abs=1e-6)
