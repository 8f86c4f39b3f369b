"""models.highs.quick_plan: a feasible plan in seconds, before the LP start (the any-size plan)."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from planner.instances.generate import generate_dataset

from models.build import build_model
from models.highs import quick_plan
from models.highs.session import HighsSession
from models.outcome import SolveOptions, Status
from models.params.data import build_data
from models.solve import solve_dataset


def _violations(model, tol=1e-6) -> list[str]:
    """Every active row and bound of ``model`` checked with Pyomo's own evaluation (a second method)."""
    out = []
    for con in model.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(con.body)
        lo, up = con.lower, con.upper
        if lo is not None and body < pyo.value(lo) - tol * max(1.0, abs(pyo.value(lo))):
            out.append(con.name)
        if up is not None and body > pyo.value(up) + tol * max(1.0, abs(pyo.value(up))):
            out.append(con.name)
    for v in model.component_data_objects(pyo.Var):
        if v.value is None or (v.lb is not None and v.value < v.lb - tol) or (v.ub is not None and v.value > v.ub + tol):
            out.append(v.name)
        elif v.is_integer() and abs(v.value - round(v.value)) > 1e-9:
            out.append(v.name)
    return out


def _load(session, quick) -> None:
    """The quick plan into the Pyomo variables (raises if there is none)."""
    assert quick.values is not None, quick.reason
    session.use_solution(quick.values)
    session.load_values()


def test_quick_plan_of_a_generated_instance_is_a_plan_and_costs_at_least_the_lp_bound():
    model = build_model(build_data(generate_dataset("small", 0)))
    session = HighsSession(model)
    quick = quick_plan.find(session)
    _load(session, quick)
    assert _violations(model) == []
    assert pyo.value(model.obj.expr) == pytest.approx(quick.objective, rel=1e-9)
    session.relax_integrality(True)
    lp_bound = session.run().objective
    assert quick.objective >= lp_bound


def test_quick_plan_contracts_the_min_orders_when_leaving_them_out_leaves_no_plan():
    # The only green supply of M needs a min order of 50 a year while demand is 10 and no
    # shortage is allowed: without the min-order contract the green share (0.5) is out of reach;
    # with it the forced 50 t go to stock, which is allowed, so the second attempt (every min
    # order contracted) is a plan.
    from model_builders import country, dataset, demand, offer, supplier

    ds = dataset({"years": 2}, Countries=[country("IN"), country("X")],
                 Suppliers=[supplier("G", "X", green_certified=True), supplier("B", "X")],
                 Offers=[offer("G", "M", 5, min_order=50), offer("B", "M", 1)],
                 Demand=[demand("M", 2025, 10), demand("M", 2026, 10)],
                 Policies=[{"material": "M", "min_green_share": 0.5, "max_shortage_share": 0.0}])
    model = build_model(build_data(ds))
    session = HighsSession(model)
    quick = quick_plan.find(session)
    _load(session, quick)
    assert _violations(model) == []
    assert model.z[0].value == 1  # the min-order offer is contracted


def test_a_time_limit_too_short_for_the_lp_start_still_ends_with_a_plan():
    # No time for the LP relaxation or the MIP: the quick plan is the plan, not proven optimal.
    out = solve_dataset(generate_dataset("small", 0), SolveOptions(time_limit_s=0.0, lp_start=True, marginals=False))
    assert out.status is Status.TIME_LIMIT
    assert out.objective is not None and out.tables["Sourcing"].quantity.sum() > 0
    assert out.timings["start_quick_plan"] > 0


def test_the_quick_plan_finishes_even_when_the_time_limit_has_passed():
    # The limit already over when the LP start begins (a loaded machine, a short limit): the quick
    # plan still finishes, since without it there would be no plan at all; the LP gets no time.
    import time

    from models.highs import lp_start
    from models.highs.options import SolverOptions

    session = HighsSession(build_model(build_data(generate_dataset("small", 0))))
    start = lp_start.find_start(session, SolverOptions(time_limit_s=1.0), deadline=time.perf_counter() - 100.0)
    assert start.values is not None and start.lp_bound is None
    assert start.objective == pytest.approx(quick_plan.find(session).objective, rel=1e-9)


def test_a_tidied_quick_plan_carries_the_cvar_of_its_own_scenario_costs():
    # One year, demand 100; A (X) at 10 (100 a year), C (Y) at 15, B (X) at 20 with a qualification cost of 50
    # that no plan needs. "ban" halves A. The quick plan qualifies every supplier, so its CVaR
    # (alpha 0.9, two scenarios at 0.5: the worst scenario's cost) is settled at ban's 1,300
    # (50 x 10 + 50 x 15 + 50); releasing B's idle qualification makes ban cost 1,250, and the
    # plan's CVaR must follow: objective = (1,000 + 1,250) / 2 + 1 x 1,250 = 2,375 (2,425 stale).
    import time

    from models.analysis import tidy
    from models.highs import lp_start
    from models.highs.options import SolverOptions
    from model_builders import country, dataset, demand, offer, supplier

    ds = dataset({"years": 1, "cvar_weight": 1.0, "cvar_alpha": 0.9},
                 Countries=[country("IN"), country("X"), country("Y")],
                 Suppliers=[supplier("A", "X"), supplier("C", "Y"), supplier("B", "X", qualification_cost=50)],
                 Offers=[offer("A", "M", 10, capacity=100), offer("C", "M", 15), offer("B", "M", 20)],
                 Demand=[demand("M", 2025, 100)],
                 Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
                 Disruptions=[{"scenario": "ban", "supplier": "A", "capacity_factor": 0.5}])
    model = build_model(build_data(ds))
    session = HighsSession(model)
    start = lp_start.find_start(session, SolverOptions(time_limit_s=1.0), deadline=time.perf_counter() - 100.0)
    assert start.objective == pytest.approx((1050 + 1300) / 2 + 1300)  # B qualified in the quick plan
    session.use_solution(start.values)
    session.load_values()
    assert tidy.release_idle_binaries(model) == ["qualification of B"]
    assert tidy.settle_cvar(model, session.evaluator()) == ["the CVaR's value-at-risk"]
    assert model.eta.value == pytest.approx(1250)
    assert session.evaluator()(model.obj.expr) == pytest.approx(1125 + 1250)
    assert tidy.settle_cvar(model, session.evaluator()) == []  # settled once and for all
