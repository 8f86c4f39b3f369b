"""An incumbent that pays for a qualification or a source it does not use gets them released."""

import pyomo.environ as pyo
import pytest

from models.build import build_model
from models.params.data import build_data
from models.analysis.tidy import release_idle_binaries
from planner.schema.dataset import from_records


def _model():
    # one material, demand 10; suppliers A (qualification 100, price 5) and B (qualification 40, price 9);
    # a candidate module with capex 50 and a loan with a fee of 7
    return build_model(build_data(from_records(
        {"home_country": "IN", "first_year": 2026, "years": 1, "discount_rate": 0.0},
        {"Materials": [{"material": "M", "name": "M", "sector": "mineral", "unit": "t"}],
         "Demand": [{"material": "M", "year": 2026, "quantity": 10}],
         "Countries": [{"country": "IN", "name": "Home", "risk": 0.1}, {"country": "X", "name": "X", "risk": 0.2}],
         "Suppliers": [{"supplier": "A", "country": "X", "qualification_cost": 100},
                       {"supplier": "B", "country": "X", "qualification_cost": 40}],
         "Offers": [{"supplier": "A", "material": "M", "unit_cost": 5},
                    {"supplier": "B", "material": "M", "unit_cost": 9}],
         "Facilities": [{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 5,
                         "max_modules": 1, "capex_per_module": 50, "build_years": 0}],
         "Financing": [{"source": "L", "kind": "bond", "limit": 100, "arrangement_fee": 7}]})))


def test_idle_qualification_and_source_are_released_and_the_cost_falls_by_their_price():
    m = _model()
    for v in m.component_data_objects(pyo.Var):
        v.set_value(0)
    # a feasible but wasteful incumbent: buy all 10 from A, yet also qualify B and open L
    (key_a,) = [k for k in m.q if m.data.supply.supplier[k[2]] == "A"]
    m.q[key_a].set_value(10)
    m.w["A"].set_value(1)
    m.w["B"].set_value(1)
    m.v["L"].set_value(1)
    before = pyo.value(m.obj)
    assert before == pytest.approx(100 + 50 + 40 + 7)
    assert sorted(release_idle_binaries(m)) == ["qualification of B", "use of L"]
    assert m.w["A"].value == 1 and m.w["B"].value == 0 and m.v["L"].value == 0
    assert pyo.value(m.obj) == pytest.approx(150)
    # every constraint still holds
    for c in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(c.body)
        assert (c.lower is None or body >= pyo.value(c.lower) - 1e-9) and (
            c.upper is None or body <= pyo.value(c.upper) + 1e-9), c.name
