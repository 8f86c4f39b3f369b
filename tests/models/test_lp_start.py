"""models.highs.lp_start: a first plan from the LP relaxation, before (or instead of) the MIP.

Each optimum and LP bound is argued by hand in the test's comment, or is OR-Library's
published optimum.
"""

from __future__ import annotations

import numpy as np
import pytest
from model_builders import country, dataset, demand, offer, solve, supplier
from pyomo.contrib.solver.common.results import TerminationCondition

from planner.instances.orlib import orlib_dataset, published_optimum

from models import solve_dataset
from models.highs import lp_start
from models.build import build_model
from models.params.data import build_data
from models.outcome import SolveOptions, Status
from models.highs.session import HighsSession, RunResult


def _two_suppliers(capacity: float | None):
    """Demand 10 of M, none of it short; suppliers A and B abroad, each with a
    qualification cost of 100 and unit cost 1 (plus joint capacity ``capacity``)."""
    cap = {} if capacity is None else {"capacity": capacity}
    return dataset(Countries=[country("IN"), country("X")],
                   Suppliers=[supplier("A", "X", qualification_cost=100, **cap),
                              supplier("B", "X", qualification_cost=100, **cap)],
                   Offers=[offer("A", "M", 1), offer("B", "M", 1)],
                   Demand=[demand("M", 2025, 10)],
                   Policies=[{"material": "*", "max_shortage_share": 0.0}])


def test_integral_lp_is_a_proven_plan_without_the_mip():
    # Uncapacitated: q_A <= 10 w_A and q_A + q_B = 10 make the LP pay 100 for one supplier,
    # so the LP optimum 10 + 100 = 110 is integral; its plan is proven, no MIP runs.
    out = solve(_two_suppliers(None), lp_start=True)
    assert out.objective == pytest.approx(110)
    assert out.bound == pytest.approx(110)
    assert "start_lp" in out.timings and "mip" not in out.timings
    assert out.solver["lp_start"].startswith("LP bound 110")


def test_fractional_lp_bound_then_the_mip_proves_the_optimum():
    # Capacity 6 each: both suppliers are needed, optimum 2 * 100 + 10 = 210. The LP only
    # needs w_A + w_B >= 10/6 (q <= 6 w), so its bound is 1000/6 + 10 = 176.67 < 210:
    # the start's plan is not proven by it and the full MIP runs, ending at 210.
    out = solve(_two_suppliers(6), lp_start=True)
    assert out.objective == pytest.approx(210)
    assert out.bound == pytest.approx(210)
    assert "mip" in out.timings
    assert float(out.solver["lp_start"].split(";")[0].removeprefix("LP bound ")) == pytest.approx(1000 / 6 + 10)


@pytest.mark.parametrize("name", ["cap41", "cap131"])
def test_orlib_with_the_lp_start_reaches_the_published_optimum(name):
    out = solve(orlib_dataset(name), lp_start=True)
    assert out.objective == pytest.approx(published_optimum(name), rel=1e-6)
    assert "start_lp" in out.timings


def test_a_mip_stopped_without_a_plan_keeps_the_start_plan():
    # The full MIP stopped (time limit) before any plan: the result is the start's plan
    # with the stronger of the two bounds, and the session holds that plan's values.
    session = HighsSession(build_model(build_data(_two_suppliers(6))))
    values = np.arange(session.size[0], dtype=float)
    start = lp_start.LpStart(lp_bound=176.0, values=values, objective=210.0, fixed=1, free=1, seconds={})
    stopped = RunResult(TerminationCondition.maxTimeLimit, False, None, 150.0, 1.0)
    run = lp_start.combine(stopped, start, session, rel_gap=0.0)
    assert (run.has_solution, run.objective, run.bound) == (True, 210.0, 176.0)
    assert run.termination == TerminationCondition.maxTimeLimit
    assert np.array_equal(session.primal(), values)
    # within the gap of the LP bound: proven
    assert lp_start.combine(stopped, start, session, rel_gap=0.2).termination == \
        TerminationCondition.convergenceCriteriaSatisfied


def test_auto_is_on_only_for_large_models_with_integers():
    session = HighsSession(build_model(build_data(_two_suppliers(6))))
    assert lp_start.wanted(session, None) is False
    assert lp_start.wanted(session, True) is True
    cap = HighsSession(build_model(build_data(orlib_dataset("capb", 5000))))
    assert cap.size[0] >= lp_start.AUTO_MIN_COLUMNS and lp_start.wanted(cap, None) is True


def test_an_infeasible_lp_ends_the_solve_as_infeasible():
    # Demand 10, no shortage allowed, supplier capacity 6 each but B is gone: the LP is
    # already infeasible, so the MIP is too and is not run.
    ds = _two_suppliers(6)
    ds.tables["Offers"] = ds.tables["Offers"].iloc[:1].copy()
    out = solve_dataset(ds, SolveOptions(lp_start=True))
    assert out.status == Status.INFEASIBLE
    assert "start_lp" in out.timings and "mip" not in out.timings
