"""Guards on the hand-written hand-off (models.highs.handoff), which reads private attributes of
Pyomo's expressions, constraints and variables: it must fail here, loudly, when Pyomo changes
them, not hand HiGHS a wrong model.

- the installed Pyomo is a minor version the compiler was tested with, and pyproject.toml pins
  exactly those;
- the private attributes hold what the compiler reads them as;
- every expression type of a model in which every constraint family has rows is one the
  compiler reads itself (``strict``: no fallback to Pyomo's own visitor), and every row it
  compiles equals Pyomo's own linear representation of the constraint (a second method).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pyomo
import pyomo.environ as pyo
import pytest
from packaging.specifiers import SpecifierSet
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression
from pyomo.repn.linear import LinearRepnVisitor

from model_builders import country, dataset, demand, offer, supplier

from models.build import build_model
from models.highs import handoff
from models.params.data import build_data
from planner.io.reading import read_workbook
from planner.schema.dataset import from_records

ROOT = Path(__file__).resolve().parents[2]


def _pyomo_requirement() -> SpecifierSet:
    text = (ROOT / "pyproject.toml").read_text()
    spec = re.search(r'"pyomo\s*([^"]*)"', text)
    assert spec, "pyproject.toml names no pyomo requirement"
    return SpecifierSet(spec.group(1))


def test_pyomo_is_a_tested_minor_version_and_pinned_to_those():
    installed = ".".join(pyomo.version.version.split(".")[:2])
    assert installed in handoff.TESTED_PYOMO, (
        f"Pyomo {pyomo.version.version} is not among the versions models/highs/handoff.py was tested with "
        f"{handoff.TESTED_PYOMO}: run tests/models/test_handoff_guard.py and tests/models/test_handoff.py on it, "
        "then add it to TESTED_PYOMO and pyproject.toml")
    spec = _pyomo_requirement()
    for minor in handoff.TESTED_PYOMO:
        assert spec.contains(f"{minor}.0"), f"pyproject.toml's pyomo{spec} excludes tested {minor}"
    major, low = map(int, max(handoff.TESTED_PYOMO, key=lambda v: tuple(map(int, v.split(".")))).split("."))
    assert not spec.contains(f"{major}.{low + 1}.0"), f"pyproject.toml's pyomo{spec} admits an untested minor version"
    lowest = min(handoff.TESTED_PYOMO, key=lambda v: tuple(map(int, v.split("."))))
    major, low = map(int, lowest.split("."))
    assert low == 0 or not spec.contains(f"{major}.{low - 1}.99"), f"pyomo{spec} admits a version below {lowest}"


def test_the_private_attributes_hold_what_the_compiler_reads():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(1.0, 4.0), initialize=2.0)
    m.b = pyo.Var(within=pyo.Binary)
    mono = MonomialTermExpression((3.0, m.b))
    assert mono._args_ == (3.0, m.b)
    body = LinearExpression([m.x, mono, 5.0])
    assert body._nargs == 3 and tuple(body._args_[:body._nargs]) == (m.x, mono, 5.0)
    le = InequalityExpression((body, 7.0), False)
    assert le._args_ == (body, 7.0) and le._strict is False
    eq = EqualityExpression((body, 7.0))
    assert eq._args_ == (body, 7.0)
    m.c = pyo.Constraint(expr=le)
    assert m.c._expr is le
    assert (m.x._lb, m.x._ub, m.x._value, m.x._fixed) == (1.0, 4.0, 2.0, False)
    m.x.fix(3.0)
    assert (m.x._fixed, m.x._value) == (True, 3.0)
    assert m.b._domain.get_interval() == (0, 1, 1)
    # and the compiler reads them so: x + 3 b + 5 <= 7 is the row x + 3 b <= 2
    compiler = handoff.LinearCompiler({id(m.x): 0, id(m.b): 1}, strict=True)
    assert compiler.row(m.c) == ([0, 1], [1.0, 3.0], -handoff.INF, 2.0)


def test_an_expression_type_the_compiler_does_not_read_fails_loudly():
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.p = pyo.Param(mutable=True, initialize=2.0)
    m.c = pyo.Constraint(expr=m.p * m.x <= 1)  # a mutable Param times a Var: Pyomo's visitor reads it
    compiler = handoff.LinearCompiler({id(m.x): 0}, strict=True)
    with pytest.raises(handoff.UnknownExpressionError, match="does not read"):
        compiler.row(m.c)
    assert handoff.LinearCompiler({id(m.x): 0}).row(m.c) == ([0], [2.0], -handoff.INF, 1.0)


def _every_family() -> list:
    """The bundled example with CVaR and non-anticipativity, and a tiny case with what the example
    has no rows for (a supplier's qualification, a must-contract offer and one with a min order, a
    least module count and a module floor, supplier shares, carbon intensity, average risk, green,
    non-allied and domestic shares, a least number of suppliers, a capped production incentive), and
    that case with recourse."""
    example = read_workbook(ROOT / "planner" / "data" / "example.xlsx")
    example = dataclasses.replace(example, settings=example.settings | {"nonanticipative": True, "cvar_weight": 0.2})
    tiny = dataset(
        {"years": 2, "cvar_weight": 0.2},
        Countries=[country("IN"), country("X", risk=0.5), country("Y", allied=True)],
        Suppliers=[supplier("A", "X", qualification_cost=5.0, capacity=300.0),
                   supplier("B", "Y", green_certified=True)],
        Offers=[offer("A", "M", 10, carbon_intensity=2.0, min_order=5.0), offer("B", "M", 20, must_contract=True)],
        Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 50, "max_modules": 3,
                     "existing_modules": 1, "min_modules": 2, "build_years": 0, "capex_per_module": 100.0,
                     "unit_cost": 15, "pli_subsidy": 1.0, "pli_cap": 20.0}],
        Financing=[{"source": "K", "kind": "bond", "limit": 1000.0, "annual_rate": 0.05, "tenor_years": 5,
                    "min_draw": 10.0}],
        Demand=[demand("M", 2025, 100), demand("M", 2026, 120)],
        Policies=[{"material": "M", "max_supplier_share": 0.7, "max_carbon_intensity": 1.0, "max_avg_risk": 0.3,
                   "min_green_share": 0.1, "max_non_allied_share": 0.8, "min_suppliers": 1,
                   "min_domestic_share": 0.6}])
    # the same with recourse (models.families.recourse): a scenario diverging in the second year
    # decides its own builds, draws and late contracts from then
    adapting = dataclasses.replace(tiny, settings=tiny.settings | {"recourse_builds": True}, tables=tiny.tables | {
        "Scenarios": from_records(tiny.settings, {"Scenarios": [{"scenario": "base", "probability": 0.5},
                                                                {"scenario": "ban", "probability": 0.5}]})["Scenarios"],
        "Disruptions": from_records(tiny.settings, {"Disruptions": [{"scenario": "ban", "country": "X",
                                                                     "from_year": 2026, "capacity_factor": 0.5}]})[
            "Disruptions"]})
    return [build_model(build_data(example)), build_model(build_data(tiny)), build_model(build_data(adapting))]


def test_every_family_is_compiled_by_the_compilers_own_paths_as_pyomo_reads_it():
    models = _every_family()
    families = {c.local_name for m in models for c in m.component_objects(pyo.Constraint, active=True) if len(c)}
    declared = {c.local_name for c in models[0].component_objects(pyo.Constraint, active=True)}
    assert declared <= families, f"no rows for {sorted(declared - families)}: give them rows in _every_family"
    for m in models:
        compiled = handoff.compile_model(m, strict=True)  # UnknownExpressionError on a type it does not read
        visitor = LinearRepnVisitor({})
        for r, con in enumerate(compiled.rows):
            a, b = compiled.start[r], compiled.start[r + 1]
            ours = dict(zip(compiled.index[a:b].tolist(), compiled.value[a:b].tolist()))
            lower, body, upper = con.to_bounded_expression(True)
            repn = visitor.walk_expression(body)
            theirs = {}
            for vid, coef in repn.linear.items():
                j = compiled.col_of[vid]
                theirs[j] = theirs.get(j, 0.0) + float(coef)
            theirs = {j: c for j, c in theirs.items() if c != 0.0}
            assert ours.keys() == theirs.keys(), con.name
            assert np.allclose([ours[j] for j in theirs], list(theirs.values()), rtol=1e-12, atol=0), con.name
            const = float(pyo.value(repn.constant))
            want_lo = -handoff.INF if lower is None else float(pyo.value(lower)) - const
            want_up = handoff.INF if upper is None else float(pyo.value(upper)) - const
            assert compiled.row_lower[r] == pytest.approx(want_lo, rel=1e-12, abs=1e-9), con.name
            assert compiled.row_upper[r] == pytest.approx(want_up, rel=1e-12, abs=1e-9), con.name
