"""Infeasible models: the diagnosis names what conflicts and the smallest relaxation, and that
relaxation admits a plan."""

import pytest

import cases
from model_builders import dataset, demand, offer, supplier, country
from models.analysis.diagnosis import diagnose
from models.outcome import Status
from models.solve import solve_dataset


def test_min_domestic_share_beyond_the_refinery_names_target_and_reachable():
    ds = cases.domestic_share(0.30)
    assert solve_dataset(ds).status is Status.INFEASIBLE
    d = diagnose(ds)
    assert d.proven
    [policy] = d.policies  # only the conflicting target: not max_avg_risk (row 8)
    assert (policy.column, policy.material, policy.year, policy.scenario, policy.excel_row) == \
        ("min_domestic_share", "LI", 2029, "base", 7)
    assert policy.target == pytest.approx(0.30)
    assert policy.reachable == pytest.approx(0.18)
    assert "can reach at most 0.18" in policy.message and "the target is 0.3" in policy.message
    # or keep the target and allow a second module (2 x 18 = 36 >= 30)
    [limit] = d.limits
    assert (limit.column, limit.subject, limit.target, limit.reachable, limit.excel_row) == \
        ("Facilities.max_modules", "REF", 1, 2, 3)
    # the reported relaxations admit a plan
    assert solve_dataset(cases.domestic_share(policy.reachable)).status is Status.OPTIMAL
    assert solve_dataset(cases.domestic_share(0.30, max_modules=int(limit.reachable))).status is Status.OPTIMAL


def test_capacity_against_service_level_names_both():
    ds = cases.service_level()
    assert solve_dataset(ds).status is Status.INFEASIBLE
    d = diagnose(ds)
    [policy] = d.policies
    assert (policy.column, policy.material, policy.year) == ("max_shortage_share", "M", 2025)
    assert (policy.target, policy.reachable) == (0.0, pytest.approx(0.2))
    assert "service level" in policy.message
    # raising A's capacity (60 -> 80) is the smaller relative increase than B's (20 -> 40)
    [limit] = d.limits
    assert (limit.kind, limit.column, limit.subject, limit.excel_row) == ("capacity", "Suppliers.capacity", "A", 2)
    assert (limit.target, limit.reachable) == (60, pytest.approx(80))
    assert solve_dataset(cases.service_level(shortage=policy.reachable)).status is Status.OPTIMAL
    assert solve_dataset(cases.service_level(capacity_a=limit.reachable)).status is Status.OPTIMAL


def test_min_suppliers_beyond_the_offers_has_no_limit_to_raise():
    # two offers of M exist, three contracted offers are required
    ds = dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X"), supplier("B", "X")],
                 Offers=[offer("A", "M", 10), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)],
                 Policies=[{"material": "M", "min_suppliers": 3}])
    d = diagnose(ds)
    [policy] = d.conflicts
    assert (policy.column, policy.target, policy.reachable) == ("min_suppliers", 3, 2)
    assert "No capacity, financing or max_modules limit" in d.message


def test_a_feasible_model_has_nothing_to_explain():
    d = diagnose(cases.country_cap(0.6))
    assert d.feasible and d.conflicts == [] and d.table().empty
