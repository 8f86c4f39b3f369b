"""The policy registry (models.families.targets) against the manifest, the built model and the
big-Ms: a new Policies column cannot be half wired."""

import pyomo.environ as pyo

from model_builders import country, dataset, demand, offer, supplier

from models.build import build_model
from models.families import policies, targets
from models.params.data import build_data
from models.params.supply import DILUTION
from planner.schema.manifest import policy_columns


def test_every_policies_column_has_exactly_one_target():
    columns = [t.column for t in targets.TARGETS]
    assert sorted(columns) == sorted(policy_columns())
    assert len(set(columns)) == len(columns)
    families = [t.family for t in targets.TARGETS]
    assert len(set(families)) == len(families)


def test_rules_indices_and_values_live_in_the_policies_family():
    for t in targets.TARGETS:
        for function in (t.rule, t.index, t.realised):
            assert function.__module__ == policies.__name__, (t.column, function)
        assert t.basis in ("supply", "demand", "count")


def test_every_supply_share_target_is_diluted_in_the_big_ms():
    # a ratio of supply may need extra supply to dilute forced volumes: without its dilution ratio
    # the big-Ms of models.params.supply could cut off the optimum
    assert set(DILUTION) == {t.column for t in targets.TARGETS if t.basis == "supply"}


def _every_target_can_bind():
    # X (foreign, not allied, risky, emitting) and Y (foreign, allied, green) supply M; a domestic
    # facility makes M. Every target is set where its row can bind: caps below 1 with a source
    # above them, minimums above 0 with a source below them, demand in the year.
    every = {"max_country_share": 0.6, "max_supplier_share": 0.7, "max_avg_risk": 0.2, "min_green_share": 0.3,
             "max_carbon_intensity": 1.0, "min_domestic_share": 0.1, "max_non_allied_share": 0.8,
             "min_suppliers": 2, "min_stock_share": 0.1, "max_shortage_share": 0.5}
    assert set(every) == set(policy_columns())  # a new column needs a value here too
    return dataset(Countries=[country("IN"), country("X", risk=0.5), country("Y", allied=True)],
                   Suppliers=[supplier("A", "X"), supplier("B", "Y", green_certified=True)],
                   Offers=[offer("A", "M", 10, carbon_intensity=2.0), offer("B", "M", 20)],
                   Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 100,
                                "max_modules": 1, "existing_modules": 1, "unit_cost": 15}],
                   Demand=[demand("M", 2025, 100)], Policies=[{"material": "M"} | every])


def test_every_target_builds_its_rows_where_it_can_bind():
    m = build_model(build_data(_every_target_can_bind()))
    for t in targets.TARGETS:
        component = getattr(m, t.family)
        assert isinstance(component, pyo.Constraint), t.family
        assert len(component) > 0, f"{t.column}: no rows for a value that can bind"
    # S is a variable exactly where a cap compares with it
    assert list(m.S.index_set()) == [("base", "M", 2025)]


def test_targets_that_cannot_bind_build_no_rows():
    # caps at 1 (or above every source), minimums at 0: no rows, and no total-supply variable
    loose = {"max_country_share": 1.0, "max_supplier_share": 1.0, "max_avg_risk": 0.9, "min_green_share": 0.0,
             "max_carbon_intensity": 5.0, "min_domestic_share": 0.0, "max_non_allied_share": 1.0,
             "min_suppliers": 0, "min_stock_share": 0.0, "max_shortage_share": 1.0}
    ds = _every_target_can_bind()
    ds.tables["Policies"].loc[0, list(loose)] = list(loose.values())
    m = build_model(build_data(ds))
    for t in targets.TARGETS:
        assert len(getattr(m, t.family)) == 0, t.column
    assert len(m.S) == 0
