"""Every run of a HighsSession: each way a solve offers HiGHS a start goes through the start
check (HighsSession._checked, ab73cb8); every HighsStatus a call returns is checked; every
option is set on every run, so no run inherits one from an earlier run."""

from __future__ import annotations

import logging

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
from model_builders import country, dataset, demand, offer, supplier

from models import solve_dataset
from models.analysis.resolve import Resolver
from models.highs.options import SolverOptions
from models.highs.session import HighsSession
from models.highs.status import HighsCallError
from models.outcome import SolveOptions, Status
from models.warm.decisions import Decisions

# ------------------------------------------------------------- a HiGHS that undervalues its starts


class _UndervaluesStarts:
    """A HiGHS that, as HiGHS 1.16 does when it carries a start wrongly into its presolved model,
    reports the objective and bound of a MIP run that began from a solution 10 % below what the
    solution it returns costs. Runs without a start are reported as they are. ``runs``: per MIP or
    LP run, whether it began from a solution."""

    made: list["_UndervaluesStarts"] = []

    def __init__(self):
        self._h = _REAL_HIGHS()
        self.runs: list[bool] = []
        _UndervaluesStarts.made.append(self)

    def __getattr__(self, name):
        return getattr(self._h, name)

    def startSolve(self):
        self.runs.append(bool(self._h.getSolution().value_valid))
        return self._h.startSolve()

    def getInfo(self):
        info = self._h.getInfo()
        if self.runs and self.runs[-1] and info.mip_node_count != -1:
            info.objective_function_value *= 0.9
            info.mip_dual_bound *= 0.9
        return info


_REAL_HIGHS = highspy.Highs


@pytest.fixture
def undervaluing(monkeypatch):
    """Every session of the test gets an _UndervaluesStarts (quick plans keep a real HiGHS: they
    call run, not startSolve, and are LPs)."""
    _UndervaluesStarts.made = []
    monkeypatch.setattr(highspy, "Highs", _UndervaluesStarts)
    return _UndervaluesStarts.made


def _two(b_cost: float = 11.0):
    """Demand 100 of M in 2025, no shortage, at most 60 % from one country: A (country X) at 10
    with qualification 50, B (Y) at ``b_cost`` without. Both are needed; at b_cost 11 the optimum
    is A 60 + B 40 = 600 + 440 + 50 = 1090 (B 60 + A 40: 1110). Its LP relaxation qualifies A
    only in part, so the LP start does not prove the quick plan and the MIP runs from it."""
    return dataset(Countries=[country("IN"), country("X"), country("Y")],
                   Suppliers=[supplier("A", "X", qualification_cost=50), supplier("B", "Y")],
                   Offers=[offer("A", "M", 10), offer("B", "M", b_cost)], Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "M", "max_country_share": 0.6, "max_shortage_share": 0.0}])


_SAVED = Decisions(name="saved", contracts={("A", "M"), ("B", "M")}, qualified={"A"},
                   purchases={("base", 2025, "A", "M"): 60.0, ("base", 2025, "B", "M"): 40.0})


def _checked_after_a_start(made) -> None:
    """Some MIP run began from a solution, and a run without one followed it (the re-run)."""
    runs = [r for highs in made for r in highs.runs]
    assert True in runs, "no run began from a start: the path was not exercised"
    last_started = max(i for i, r in enumerate(runs) if r)
    assert False in runs[last_started + 1:], runs


@pytest.mark.parametrize("how", ["lp start", "saved plan", "stable re-plan"])
def test_every_start_of_a_fresh_solve_goes_through_the_start_check(undervaluing, how):
    # the start is the optimal plan (the quick plan finds A 60 + B 40, the saved decisions are
    # it): HiGHS reports it at 0.9 x 1090 = 981 with a bound as low; the session takes the
    # plan's own cost, sees the gap and runs again without the start, which proves 1090
    options = {"lp start": dict(lp_start=True), "saved plan": dict(start=_SAVED),
               "stable re-plan": dict(start=_SAVED, stable=True)}[how]
    out = solve_dataset(_two(), SolveOptions(marginals=False, mip_gap=1e-6, **options))
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(1090)
    _checked_after_a_start(undervaluing)


def test_the_previous_plan_of_a_re_solve_and_a_sweep_goes_through_the_start_check(undervaluing):
    # first solve: no start (1090); then B at 10.5: the previous plan A 60 + B 40 is the start
    # and still optimal (600 + 420 + 50 = 1070; B 60 + A 40: 630 + 400 + 50 = 1080)
    resolver = Resolver(_two(), SolveOptions(marginals=False, mip_gap=1e-6, lp_start=False))
    assert resolver.solve().objective == pytest.approx(1090)
    assert undervaluing[-1].runs == [False]
    resolver.set_price("B", "M", 10.5)
    out = resolver.solve()
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(1070)
    _checked_after_a_start(undervaluing)


# ------------------------------------------------------------------------------ HighsStatus checked


def _binaries() -> HighsSession:
    """min 3a + 5b + 4c, a + b + c >= 2, binaries: optimum 7 (a and c)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(["a", "b", "c"], within=pyo.Binary)
    m.need = pyo.Constraint(expr=sum(m.x.values()) >= 2)
    m.obj = pyo.Objective(expr=3 * m.x["a"] + 5 * m.x["b"] + 4 * m.x["c"])
    return HighsSession(m)


def test_a_call_highs_refuses_is_an_internal_error_naming_the_call():
    s = _binaries()
    with pytest.raises(HighsCallError, match="changeColsBounds"):  # column 7 of 3
        s._call("changeColsBounds", 1, np.array([7], dtype=np.int32), np.array([0.0]), np.array([1.0]))
    with pytest.raises(HighsCallError, match="setSolution"):
        s._call("setSolution", 1, np.array([5], dtype=np.int32), np.array([1.0]))
    with pytest.raises(HighsCallError, match="setOptionValue"):  # HiGHS has no such option
        s.run(SolverOptions().with_highs(no_such_option=1))
    with pytest.raises(HighsCallError, match="setOptionValue"):  # below its range
        s.run(SolverOptions(mip_gap=-1.0))
    assert s.run(SolverOptions(mip_gap=1e-6)).objective == pytest.approx(7)  # the session still works


def test_a_warning_from_highs_is_logged(caplog):
    s = _binaries()
    with caplog.at_level(logging.WARNING, logger="models.highs"):
        s.set_start(np.array([0.5, 0.0, 0.0]))  # a binary at 0.5: HiGHS takes it with a warning
    assert "setSolution" in caplog.text and "kWarning" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="models.highs"):
        s.set_start(np.array([1.0, 0.0, 1.0]))
    assert caplog.text == ""


# ------------------------------------------------------------------------- every option, every run


def _option(s: HighsSession, name: str):
    return s.highs.getOptionValue(name)[1]


def test_a_run_never_inherits_an_option_from_an_earlier_run():
    s = _binaries()
    default_gap = _option(s, "mip_rel_gap")
    first = s.run(SolverOptions(time_limit_s=30, mip_gap=0.5, threads=1), only_this_run={"mip_max_improving_sols": 1})
    assert first.has_solution
    assert (_option(s, "time_limit"), _option(s, "mip_rel_gap"), _option(s, "mip_max_improving_sols")) == (30, 0.5, 1)
    s.clear_solution()
    second = s.run(SolverOptions())  # no time limit, HiGHS' gap, every improving solution
    assert _option(s, "time_limit") == float("inf") and _option(s, "mip_rel_gap") == default_gap
    assert _option(s, "mip_max_improving_sols") == 2147483647 and _option(s, "threads") == 0
    assert second.objective == pytest.approx(7) and second.termination.name == "convergenceCriteriaSatisfied"
