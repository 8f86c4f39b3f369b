"""models.highs.handoff / HighsSession: the arrays HiGHS receives are the Pyomo model (correctness only)."""

from __future__ import annotations

import os
import tempfile

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.contrib.solver.solvers.highs import Highs as PyomoHighs
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from planner.instances.generate import generate_dataset

from models.build import build_model
from models.params.data import build_data
from models.highs.handoff import compile_model
from models.highs.session import HighsSession


def _lp_optimum(h) -> float:
    n = h.getNumCol()
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    h.setOptionValue("output_flag", False)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def _tiny():
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2, 3], bounds=(0, 10))
    m.y = pyo.Var(within=pyo.Binary)
    m.le = pyo.Constraint(expr=m.x[1] + 2 * m.x[2] <= 8)
    m.ge = pyo.Constraint(expr=m.x[2] + m.x[3] >= 3)
    m.eq = pyo.Constraint(expr=m.x[1] - m.x[3] == 1)
    m.rng = pyo.Constraint(expr=pyo.inequality(1, m.x[1] + m.x[2] + m.x[3], 7))
    m.link = pyo.Constraint(expr=m.x[3] <= 5 * m.y)
    m.obj = pyo.Objective(expr=3 * m.x[1] + 2 * m.x[2] + 4 * m.x[3] + m.y + 7, sense=pyo.maximize)
    return m


def test_small_instance_lp_relaxation_matches_the_lp_file_route():
    model = build_model(build_data(generate_dataset("small", 0)))
    session = HighsSession(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.lp")
        model.write(path, io_options={"symbolic_solver_labels": False})
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(path)
    assert session.size[1] == h.getNumRow()
    # HiGHS itself works in scaled units (models.highs.scaling)
    assert _lp_optimum(session.highs) * session.objective_scale == pytest.approx(_lp_optimum(h), rel=1e-9)


def test_duals_and_values_match_pyomo_persistent_interface():
    a, b = _tiny(), _tiny()
    for m in (a, b):
        m.y.domain = pyo.UnitInterval  # an LP, so both interfaces have duals
        m.y.fix(1)
    ours = HighsSession(a)
    run = ours.run()
    assert run.has_solution
    ours.load_values()
    theirs = PyomoHighs()
    res = theirs.solve(b)
    assert run.objective == pytest.approx(res.incumbent_objective)
    for name in ("le", "ge", "eq", "rng", "link"):
        con_a, con_b = getattr(a, name), getattr(b, name)
        assert ours.duals([con_a])[con_a] == pytest.approx(res.solution_loader.get_duals([con_b])[con_b], abs=1e-9)
    for j in (1, 2, 3):
        assert a.x[j].value == pytest.approx(b.x[j].value)
    # the maps agree with HiGHS' own arrays
    values = ours.primal()
    assert values[ours.column(a.x[2])] == pytest.approx(a.x[2].value)
    assert ours.rows[ours.row(a.eq)] is a.eq


def test_repeated_column_and_zero_coefficient_in_a_row():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.y = pyo.Var(bounds=(0, None))
    # x + x + 0*y >= 4 written term by term: HiGHS gets one entry 2x
    body = LinearExpression([m.x, m.x, MonomialTermExpression((0.0, m.y))])
    m.c = pyo.Constraint(expr=body >= 4)
    m.obj = pyo.Objective(expr=m.x + m.y)
    c = compile_model(m)
    assert c.num_nz == 1 and c.value[0] == 2.0
    s = HighsSession(m)
    assert s.run().objective == pytest.approx(2.0)


def test_fix_columns_gives_an_lp_with_duals_and_unfix_restores_the_mip():
    m = _tiny()
    s = HighsSession(m)
    mip = s.run()
    s.load_values()
    s.fix_columns([m.y])
    lp = s.run()
    assert lp.objective == pytest.approx(mip.objective)
    assert set(s.duals([m.le, m.link])) == {m.le, m.link}
    s.unfix_columns([m.y])
    assert not m.y.fixed
    assert s.highs.getLp().integrality_[s.column(m.y)] == highspy.HighsVarType.kInteger
    assert s.run().objective == pytest.approx(mip.objective)


def test_changes_pushed_to_highs_equal_a_fresh_hand_off():
    m = _tiny()
    s = HighsSession(m)
    s.run()
    m.x[2].setub(2)
    m.z = pyo.Var(bounds=(0, 4))
    m.extra = pyo.Constraint(expr=m.z + m.x[1] <= 6)
    m.le.set_value(m.x[1] + m.x[2] + m.z <= 9)
    m.obj.set_value(3 * m.x[1] + 2 * m.x[2] + 4 * m.x[3] + m.y + 5 * m.z)
    m.ge.deactivate()
    s.update()
    s.add_columns([m.z])
    s.add_rows([m.extra])
    s.update_rows([m.le, m.ge])
    s.update_objective()
    pushed = s.run()
    fresh = HighsSession(m).run()
    assert pushed.objective == pytest.approx(fresh.objective)


def test_scaled_units_read_back_as_the_models_own():
    # The tiny LP with its columns declared in units of 8, 64 and 512 (models.highs.scaling):
    # HiGHS sees other numbers, but objective, values, duals, reduced costs and row activities
    # read through the session equal Pyomo's persistent interface on the unscaled model.
    a, b = _tiny(), _tiny()
    for m in (a, b):
        m.y.domain = pyo.UnitInterval
        m.y.fix(1)
    a.column_unit = {"x": lambda j: 2.0 ** (3 * j)}
    ours = HighsSession(a)
    assert list(ours.scaling.col[[ours.column(a.x[j]) for j in (1, 2, 3)]]) == [8.0, 64.0, 512.0]
    assert ours.objective_scale != 1.0
    run = ours.run()
    ours.load_values()
    theirs = PyomoHighs()
    res = theirs.solve(b)
    assert run.objective == pytest.approx(res.incumbent_objective, rel=1e-12)
    for j in (1, 2, 3):
        assert a.x[j].value == pytest.approx(b.x[j].value, rel=1e-12)
    cons = ("le", "ge", "eq", "rng", "link")
    duals = ours.duals([getattr(a, n) for n in cons])
    for name in cons:
        assert duals[getattr(a, name)] == pytest.approx(res.solution_loader.get_duals([getattr(b, name)])[
            getattr(b, name)], abs=1e-9)
    rc_ours = ours.reduced_costs([a.x[j] for j in (1, 2, 3)])
    rc_theirs = res.solution_loader.get_reduced_costs([b.x[j] for j in (1, 2, 3)])
    for j in (1, 2, 3):
        assert rc_ours[a.x[j]] == pytest.approx(rc_theirs[b.x[j]], abs=1e-9)
    arrays = ours.lp_arrays()
    assert arrays["row_value"][ours.row(a.rng)] == pytest.approx(a.x[1].value + a.x[2].value + a.x[3].value)
    assert (arrays["row_lower"][ours.row(a.rng)], arrays["row_upper"][ours.row(a.rng)]) == (1.0, 7.0)
    assert arrays["col_upper"][ours.column(a.x[3])] == 10.0
    # a start in model units comes back as the same plan
    ours.use_solution(ours.primal())
    assert [ours.primal()[ours.column(a.x[j])] for j in (1, 2, 3)] == pytest.approx([a.x[j].value for j in (1, 2, 3)])


def test_scaling_gives_the_unscaled_lp_optimum_with_money_and_quantities():
    # The bundled example's LP relaxation (money in USD, up to 8e8) handed over scaled and
    # unscaled: the same optimum, the scaled one within HiGHS' comfortable ranges.
    from inputs.example_data import example_records, example_settings
    from planner.schema.dataset import from_records

    model = build_model(build_data(from_records(example_settings(), example_records())))
    scaled, plain = HighsSession(model), HighsSession(model, scale=False)
    for s in (scaled, plain):
        s.relax_integrality(True)
    assert scaled.run().objective == pytest.approx(plain.run().objective, rel=1e-9)
    lp = scaled.highs.getLp()
    values = np.abs(np.asarray(lp.a_matrix_.value_))
    assert values.max() / values.min() < 1e5 < 1e10 < float(np.abs(plain.highs.getLp().a_matrix_.value_).max() /
                                                             np.abs(plain.highs.getLp().a_matrix_.value_).min())


class _Undervaluing:
    """A HiGHS that reports its solution and bound ``by`` lower than the solution costs, as HiGHS
    1.16 does when a start stays the incumbent (HighsSession._checked)."""

    def __init__(self, h, by: float):
        self._h, self._by = h, by

    def __getattr__(self, name):
        return getattr(self._h, name)

    def getInfo(self):
        info = self._h.getInfo()
        info.objective_function_value -= self._by
        info.mip_dual_bound -= self._by
        return info


def test_a_mip_objective_is_the_cost_of_the_solution_returned_and_a_claimed_gap_is_checked():
    # min 3a + 5b + 4c with a + b + c >= 2 (binaries): optimum 7 (a and c). Reported 2 lower in
    # HiGHS' units, with the bound: the session gives the solution's own cost 7, and as the
    # (lowered) bound is then not within mip_rel_gap of it, no longer calls it proven.
    from models.highs.options import SolverOptions

    m = pyo.ConcreteModel()
    m.x = pyo.Var(["a", "b", "c"], within=pyo.Binary)
    m.need = pyo.Constraint(expr=sum(m.x.values()) >= 2)
    m.obj = pyo.Objective(expr=3 * m.x["a"] + 5 * m.x["b"] + 4 * m.x["c"])
    s = HighsSession(m)
    assert s.run(SolverOptions(mip_gap=1e-6)).objective == pytest.approx(7)
    s._h = _Undervaluing(s._h, 2.0)
    run = s.run(SolverOptions(mip_gap=1e-6))
    assert run.objective == pytest.approx(7) and run.bound == pytest.approx(7 - 2.0 * s.objective_scale)
    assert run.termination.name == "unknown"
    # with a start, the session runs once more without it and keeps the better plan
    s.set_start(s.primal())
    again = s.run(SolverOptions(mip_gap=1e-6, time_limit_s=30))
    assert again.objective == pytest.approx(7) and s.primal()[s.column(m.x["b"])] == pytest.approx(0)
