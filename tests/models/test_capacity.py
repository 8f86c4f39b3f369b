"""Domestic capacity: builds with lead time, recipes."""

import pytest

from model_builders import bought, country, dataset, demand, material, offer, solve, supplier


def facility(fid: str, mat: str, **kw):
    return {"facility": fid, "kind": "refinery", "material": mat, "module_capacity": 100,
            "max_modules": 1} | kw


def test_build_lead_time():
    # 2025-2028, demand 100/yr, imports at 20. One module (capex 500, unit cost 5, build_years 2,
    # lifetime 2) started in 2025 produces only from 2027: imports 2 x 100 x 20 = 4000,
    # production 2 x 100 x 5 = 1000, capex 500 x share min(1, 2/2) = 500 -> 5500 (no build: 8000).
    ds = dataset({"years": 4}, Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 20)], Demand=[demand("M", y, 100) for y in range(2025, 2029)],
                 Facilities=[facility("F", "M", capex_per_module=500, unit_cost=5, build_years=2,
                                      lifetime_years=2)])
    out = solve(ds)
    assert out.objective == pytest.approx(5500)
    b = out.tables["Builds"].set_index("year")
    assert b.modules_started[2025] == 1
    assert 2026 not in b.index or b.modules_producing[2026] == 0  # lead time: not yet producing
    assert b.modules_producing[2027] == 1
    assert bought(out, "A", 2026) == pytest.approx(100) and bought(out, "A", 2027) == 0
    assert out.costs["capex"] == pytest.approx(500)


def test_lifetime_share_of_late_build():
    # Same, lifetime 4: the only build (2025) produces 2 of its 4 lifetime years inside the
    # horizon -> capex charged 500 x 2/4 = 250; objective 4000 + 1000 + 250 = 5250.
    ds = dataset({"years": 4}, Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                 Offers=[offer("A", "M", 20)], Demand=[demand("M", y, 100) for y in range(2025, 2029)],
                 Facilities=[facility("F", "M", capex_per_module=500, unit_cost=5, build_years=2,
                                      lifetime_years=4)])
    assert solve(ds).objective == pytest.approx(5250)


def test_recipe_inputs_obey_their_own_policies():
    # Plant F (existing module) makes 10 P at unit cost 1 from 2 R per unit; P imports cost 100.
    # R from R1 at 3 or R2 at 4, R has max_supplier_share 0.5: 20 R = 10 x 3 + 10 x 4 = 70.
    # Total 10 + 70 = 80 (without the R policy it would be 70).
    ds = dataset(Materials=[material("P"), material("R")],
                 Countries=[country("IN"), country("X")],
                 Suppliers=[supplier("I", "X"), supplier("R1", "X"), supplier("R2", "X")],
                 Offers=[offer("I", "P", 100), offer("R1", "R", 3), offer("R2", "R", 4)],
                 Demand=[demand("P", 2025, 10)],
                 Facilities=[facility("F", "P", existing_modules=1, unit_cost=1)],
                 Recipes=[{"facility": "F", "input_material": "R", "quantity_per_unit": 2}],
                 Policies=[{"material": "R", "max_supplier_share": 0.5}])
    out = solve(ds)
    assert out.objective == pytest.approx(80)
    assert bought(out, "R1") == pytest.approx(10) and bought(out, "R2") == pytest.approx(10)
    assert out.tables["Production"].quantity.sum() == pytest.approx(10)


def _floor_case(**policy):
    # 2025-2026, demand 100 in 2026, imports at 10. F: modules of 30 t (capex 300, unit cost 10,
    # lead time 1 year, lifetime 1: charged in full). A domestic share of 0.5 needs 50 t at home:
    # 5/3 module, so 2 whole modules (capex 600); 100 t at 10 either way -> optimum 1,600.
    return dataset({"years": 2}, Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                   Offers=[offer("A", "M", 10)], Demand=[demand("M", 2026, 100)],
                   Facilities=[facility("F", "M", module_capacity=30, max_modules=5, capex_per_module=300,
                                        unit_cost=10, build_years=1, lifetime_years=1)],
                   Policies=[{"material": "M", "year": 2026, "min_domestic_share": 0.5} | policy])


def _lp_bound(model) -> float:
    from models.highs.session import HighsSession

    session = HighsSession(model)
    session.relax_integrality(True)
    return session.run().objective


def test_module_floor_keeps_the_optimum_and_tightens_the_lp_bound():
    from models.build import build_model
    from models.params.data import build_data

    ds = _floor_case()
    assert solve(ds).objective == pytest.approx(1600)
    model = build_model(build_data(ds))
    assert [k for k in model.module_floor] == [("M", 2026)]
    # the LP relaxation with the floor already pays for 2 modules; without it for 5/3 (1,500)
    assert _lp_bound(model) == pytest.approx(1600)
    model.module_floor.deactivate()
    assert _lp_bound(model) == pytest.approx(1500)


def test_module_floor_counts_existing_modules_and_rounds_by_the_largest_module():
    from models.build import build_model
    from models.params.domestic import module_floor
    from models.params.data import build_data

    # 50 t needed: with one existing 30 t module, one more (n >= 2 of which 1 exists)
    ds = _floor_case()
    ds.tables["Facilities"].loc[0, "existing_modules"] = 1
    d = build_data(ds)
    assert module_floor(d, "M", 2026) == 2
    model = build_model(d)
    con = model.module_floor["M", 2026]
    assert con.lower == 1 and [v.name for v in con.body.args] == ["b[F,2025]"]
    # a 0.3 share needs 30 t = exactly one module: no fractional rounding up beyond it
    assert module_floor(build_data(_floor_case(min_domestic_share=0.3)), "M", 2026) == 1
