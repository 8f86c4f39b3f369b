"""models.analysis.resolve: a re-solve after a change equals a fresh build-and-solve of the changed dataset."""

from __future__ import annotations

import pytest

from planner.schema.dataset import Dataset, from_records
from planner.instances.orlib import orlib_dataset, published_optimum

from models import solve_dataset
from models.outcome import Status
from models.analysis.resolve import Resolver


def _fresh(res: Resolver) -> float:
    copy = Dataset(dict(res.dataset.settings), {k: t.copy() for k, t in res.dataset.tables.items()})
    out = solve_dataset(copy)
    assert out.status == Status.OPTIMAL, out.message
    return out.objective


def _sourcing_dataset():
    """Two scenarios (an export ban), CVaR, policies of several families, a domestic facility."""
    settings = {"home_country": "IN", "first_year": 2025, "years": 3, "discount_rate": 0.05, "time_limit_s": 60,
                "mip_gap": 0.0, "cvar_weight": 0.5, "cvar_alpha": 0.5, "carbon_price": 10.0}
    records = {
        "Countries": [{"country": "IN", "name": "India", "risk": 0.05, "allied": True},
                      {"country": "CN", "name": "CN", "risk": 0.6, "tariff": 0.1},
                      {"country": "AU", "name": "AU", "risk": 0.1, "allied": True},
                      {"country": "CL", "name": "CL", "risk": 0.2, "allied": True}],
        "Materials": [{"material": "M", "name": "m", "sector": "mineral", "unit": "t", "holding_cost": 1.0},
                      {"material": "C", "name": "c", "sector": "mineral", "unit": "t"}],
        "Demand": [{"material": "M", "year": y, "quantity": 100.0 + 10 * k} for k, y in enumerate(range(2025, 2028))],
        "Suppliers": [{"supplier": "S-CN", "country": "CN", "capacity": 300.0, "qualification_cost": 500.0},
                      {"supplier": "S-AU", "country": "AU", "green_certified": True},
                      {"supplier": "S-CL", "country": "CL", "qualification_cost": 300.0},
                      {"supplier": "S-CN2", "country": "CN"}],
        "Offers": [{"supplier": "S-CN", "material": "M", "unit_cost": 80.0, "carbon_intensity": 2.0},
                   {"supplier": "S-AU", "material": "M", "unit_cost": 120.0, "capacity": 150.0, "contract_cost": 200.0},
                   {"supplier": "S-CL", "material": "M", "unit_cost": 100.0, "min_order": 20.0},
                   {"supplier": "S-CN2", "material": "C", "unit_cost": 20.0},
                   {"supplier": "S-AU", "material": "C", "unit_cost": 30.0}],
        "Facilities": [{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 40.0, "max_modules": 3,
                        "capex_per_module": 2000.0, "unit_cost": 60.0, "build_years": 1, "green": True}],
        "Recipes": [{"facility": "F", "input_material": "C", "quantity_per_unit": 2.0}],
        "Policies": [{"material": "M", "max_country_share": 0.7, "min_green_share": 0.2},
                     {"material": "M", "year": 2026, "min_stock_share": 0.1}],
        "Scenarios": [{"scenario": "base", "probability": 0.7}, {"scenario": "ban", "probability": 0.3}],
        "Disruptions": [{"scenario": "ban", "country": "CN", "from_year": 2026, "capacity_factor": 0.0,
                         "price_factor": 1.0}],
    }
    return from_records(settings, records)


def test_price_change_on_orlib_cap41_updates_in_place():
    res = Resolver(orlib_dataset("cap41"))
    first = res.solve()
    assert first.objective == pytest.approx(published_optimum("cap41"), rel=1e-6)
    # make a warehouse expensive for several customers: the assignment must change
    for customer in ("C001", "C002", "C003", "C010"):
        res.set_price("W01", customer, 1e4)
    assert res.mode == "update"
    second = res.solve()
    assert second.status == Status.OPTIMAL
    assert second.objective == pytest.approx(_fresh(res), rel=1e-6)


@pytest.mark.parametrize("change", [
    ("price", "S-CN", "M", 95.0),
    ("price", "S-AU", "C", 5.0),
    ("policy", "max_country_share", "M", None, None, 0.5),
    ("policy", "min_green_share", "M", None, "ban", 0.4),       # a new, more specific row
    ("policy", "min_stock_share", "M", 2026, None, None),       # a row's constraint disappears
    ("policy", "min_stock_share", "M", 2027, "base", 0.3),      # a constraint that did not exist
])
def test_change_then_resolve_equals_fresh_solve(change):
    res = Resolver(_sourcing_dataset())
    assert res.solve().status == Status.OPTIMAL
    if change[0] == "price":
        res.set_price(*change[1:])
    else:
        res.set_policy(*change[1:])
    assert res.mode == "update"
    out = res.solve()
    assert out.status == Status.OPTIMAL
    assert out.objective == pytest.approx(_fresh(res), rel=1e-6)
    # the cost breakdown is read from the updated Pyomo expressions: it adds up to the objective
    assert sum(out.costs.values()) == pytest.approx(out.objective, rel=1e-6)


def test_change_that_adds_variables_rebuilds():
    res = Resolver(_sourcing_dataset())
    res.solve()
    res.set_policy("max_supplier_share", "C", None, None, 0.6)  # needs total-supply variables for C
    assert res.mode == "rebuild"
    out = res.solve()
    assert out.objective == pytest.approx(_fresh(res), rel=1e-6)


def test_several_changes_in_a_row():
    res = Resolver(_sourcing_dataset())
    res.solve()
    res.set_price("S-CL", "M", 70.0)
    res.solve()
    res.set_policy("max_country_share", "M", None, None, 0.55)
    res.set_price("S-CN", "M", 60.0)
    out = res.solve()
    assert res.mode == "update"
    assert out.objective == pytest.approx(_fresh(res), rel=1e-6)
