"""Compile a linear Pyomo model into HiGHS' arrays and pass it in one call.

This is the fast hand-off behind :class:`models.highs.session.HighsSession` (see
benchmarks/RESULTS.md for the candidates measured). It needs neither scipy nor a
file: every active constraint becomes exactly one HiGHS row ``lower <= a·x <= upper``
(equalities and ranges are *not* split and no row is negated, so a row's dual is the
constraint's dual as HiGHS reports it), every Var of the model one column, in
``component_data_objects`` order, and the matrix goes to ``Highs.passModel`` row-wise.

Constraint bodies built as one ``LinearExpression`` (``models.families.expr.row``) are read straight
from their arguments. Sums, negations, products and quotients by numbers and named
Expressions (the cost components, compiled once and reused by the objective and every CVaR
row) are walked here; anything else linear (e.g. mutable Params) goes through Pyomo's own
``LinearRepnVisitor``. A fixed Var stays a column with both bounds at its value, so unfixing
it is a bound change (only inside an expression the visitor handles is it folded into the
constant, as Pyomo's writers do).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import (DivisionExpression, LinearExpression, MonomialTermExpression,
                                           NegationExpression, ProductExpression, SumExpression)
from pyomo.core.base.var import VarData
from pyomo.core.expr.numvalue import native_numeric_types, value
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression
from pyomo.repn.linear import LinearRepnVisitor

from models.highs.status import checked

INF = highspy.kHighsInf
#: Pyomo minor versions this compiler was tested with: it reads private attributes of Pyomo's
#: expressions, constraints and variables (``_args_``, ``_nargs``, ``_expr``, ``_strict``, ``_lb``,
#: ``_ub``, ``_value``, ``_fixed``, ``_domain``). pyproject.toml pins the same range and
#: tests/models/test_handoff_guard.py fails when the attributes or the expression types change.
TESTED_PYOMO = ("6.9", "6.10")
_MONO = MonomialTermExpression
_VARDATA = VarData
_SUM = SumExpression
_NEG = NegationExpression
_PRODUCT = ProductExpression
_DIVISION = DivisionExpression


def _concat(parts: list) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate (columns, coefficients) arrays, adding up a column that appears twice."""
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.concatenate([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
    val = np.concatenate([p[1] for p in parts]) if len(parts) > 1 else parts[0][1]
    uniq, inverse = np.unique(idx, return_inverse=True)
    if uniq.shape[0] == idx.shape[0] and len(parts) == 1:
        return idx, val
    return uniq, np.bincount(inverse, weights=val, minlength=uniq.shape[0])


class NonlinearModelError(ValueError):
    """The model has a term HiGHS cannot take (only linear models are compiled)."""


class UnknownExpressionError(NonlinearModelError):
    """An expression type the compiler does not read itself (only with ``LinearCompiler(strict=True)``)."""


@dataclass
class Compiled:
    """The model as HiGHS arrays plus the maps back to Pyomo."""

    columns: list  # VarData per column
    col_of: dict[int, int]  # id(VarData) -> column
    rows: list  # ConstraintData per row
    row_of: dict[Any, int]  # ConstraintData -> row
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray  # uint8: 0 continuous, 1 integer
    cost: np.ndarray
    offset: float
    sense: int  # 1 minimise, -1 maximise
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray  # CSR row starts (int32, n_rows + 1)
    index: np.ndarray  # CSR column indices (int32)
    value: np.ndarray  # CSR values (float64)
    timings: dict[str, float] = field(default_factory=dict)
    #: the compiler used, its named cost Expressions still compiled (for fast evaluation later)
    compiler: "LinearCompiler | None" = None

    @property
    def num_col(self) -> int:
        return len(self.columns)

    @property
    def num_row(self) -> int:
        return len(self.rows)

    @property
    def num_nz(self) -> int:
        return int(self.index.shape[0])


class LinearCompiler:
    """Turns constraint bodies and the objective into (columns, coefficients, constant).

    Named Expressions (the cost components) are compiled once per :meth:`reset` and
    reused wherever they appear (the objective and every CVaR row).
    """

    def __init__(self, col_of: dict[int, int], strict: bool = False):
        self.col_of = col_of
        #: refuse what only Pyomo's own visitor can read, instead of falling back to it (the guard
        #: test: every expression type of the model is one this compiler reads itself)
        self.strict = strict
        self._visitor = None
        self._named: dict[int, tuple[np.ndarray, np.ndarray, float]] = {}

    def reset(self) -> None:
        """Forget compiled named Expressions (after they were changed)."""
        self._named = {}
        self._visitor = None

    def _visit(self, expr):
        if self._visitor is None:
            self._visitor = LinearRepnVisitor({})
        visitor = self._visitor
        repn = visitor.walk_expression(expr)
        if repn.nonlinear is not None:
            raise NonlinearModelError(f"nonlinear term in {expr}")
        col_of = self.col_of
        idx: list[int] = []
        val: list[float] = []
        for vid, coef in repn.linear.items():
            if vid not in col_of:  # a variable outside the model (a fixed one is folded)
                raise NonlinearModelError(f"a variable of {expr} is not a column of the model")
            idx.append(col_of[vid])
            val.append(float(value(coef)))
        return idx, val, float(value(repn.constant))

    def _collect(self, expr, mult: float, parts: list) -> float:
        """Add ``mult * expr``'s terms to ``parts`` as (columns, coefficients) arrays; return its constant."""
        cls = expr.__class__
        if cls in native_numeric_types:
            return mult * expr
        if cls is LinearExpression:
            fast = self._linear(expr)
            if fast is not None:
                idx, val, const = fast
                parts.append((np.asarray(idx, dtype=np.int64), np.asarray(val, dtype=float) * mult))
                return mult * const
            const = 0.0
            for arg in expr.args:
                const += self._collect(arg, mult, parts)
            return const
        if cls is _VARDATA or expr.is_variable_type():
            j = self.col_of.get(id(expr))
            if j is None:
                raise NonlinearModelError(f"{expr.name} is not a column of the model")
            parts.append((np.array([j], dtype=np.int64), np.array([mult])))
            return 0.0
        if cls is _MONO:
            coef, var = expr._args_
            j = self.col_of.get(id(var))
            if j is not None and coef.__class__ in native_numeric_types:
                parts.append((np.array([j], dtype=np.int64), np.array([mult * coef])))
                return 0.0
        if expr.is_named_expression_type():
            key = id(expr)
            hit = self._named.get(key)
            if hit is None:
                sub: list = []
                const = self._collect(expr.expr, 1.0, sub)
                idx, val = _concat(sub)
                hit = self._named[key] = (idx, val, const)
            if hit[0].shape[0]:
                parts.append((hit[0], hit[1] * mult))
            return mult * hit[2]
        if cls is _SUM:
            const = 0.0
            for arg in expr.args:
                const += self._collect(arg, mult, parts)
            return const
        if cls is _NEG:
            return self._collect(expr.args[0], -mult, parts)
        if cls is _PRODUCT:
            x, y = expr.args
            if x.__class__ in native_numeric_types:
                return self._collect(y, mult * x, parts)
            if y.__class__ in native_numeric_types:
                return self._collect(x, mult * y, parts)
        if cls is _DIVISION:
            x, y = expr.args
            if y.__class__ in native_numeric_types:
                return self._collect(x, mult / y, parts)
        if not expr.is_potentially_variable():
            return mult * float(value(expr))
        if self.strict:
            raise UnknownExpressionError(f"the hand-off does not read {cls.__module__}.{cls.__name__} itself: {expr}")
        idx, val, const = self._visit(expr)
        parts.append((np.asarray(idx, dtype=np.int64), np.asarray(val, dtype=float) * mult))
        return mult * const

    def linear(self, body):
        """``(columns, coefficients, constant)`` of a linear expression."""
        if body.__class__ is LinearExpression:
            fast = self._linear(body)
            return fast if fast is not None else self._general(body)
        if body.__class__ in native_numeric_types:
            return [], [], float(body)
        j = self.col_of.get(id(body))
        if j is not None:
            return [j], [1.0], 0.0
        return self._general(body)

    def _linear(self, body):
        """The fast path: a LinearExpression of plain numbers, columns and (number x column) terms."""
        get = self.col_of.get
        idx: list[int] = []
        val: list[float] = []
        add_i, add_v = idx.append, val.append
        const = 0.0
        args = body._args_
        if len(args) != body._nargs:
            args = args[:body._nargs]
        mono, vardata, native = _MONO, _VARDATA, native_numeric_types
        for arg in args:
            cls = arg.__class__
            if cls is mono:
                coef, var = arg._args_
                j = get(id(var))
                if j is None or coef.__class__ not in native:
                    return None
                add_i(j)
                add_v(coef)
            elif cls is vardata:
                j = get(id(arg))
                if j is None:
                    return None
                add_i(j)
                add_v(1.0)
            elif cls in native:
                const += arg
            else:
                j = get(id(arg))
                if j is None:  # not a plain VarData
                    return None
                add_i(j)
                add_v(1.0)
        return idx, val, const

    def _general(self, body):
        parts: list = []
        const = self._collect(body, 1.0, parts)
        idx, val = _concat(parts)
        return idx.tolist(), val.tolist(), const

    def row(self, con):
        """``(columns, coefficients, lower, upper)`` of a constraint, constants moved to the bounds."""
        expr = con._expr
        cls = expr.__class__
        lb = ub = None
        if cls is InequalityExpression and not expr._strict:
            lhs, rhs = expr._args_
            if rhs.__class__ in native_numeric_types:
                body, ub = lhs, rhs
            elif lhs.__class__ in native_numeric_types:
                lb, body = lhs, rhs
            else:
                lb, body, ub = con.to_bounded_expression(True)
        elif cls is EqualityExpression:
            lhs, rhs = expr._args_
            if rhs.__class__ in native_numeric_types:
                body, lb, ub = lhs, rhs, rhs
            else:
                lb, body, ub = con.to_bounded_expression(True)
        else:
            lb, body, ub = con.to_bounded_expression(True)
        idx, val, const = self.linear(body)
        lower = -INF if lb is None else float(lb) - const
        upper = INF if ub is None else float(ub) - const
        return idx, val, lower, upper


def columns_of(model) -> tuple[list, dict[int, int]]:
    columns = list(model.component_data_objects(pyo.Var, descend_into=True, sort=False))
    return columns, {id(v): j for j, v in enumerate(columns)}


def column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower, upper bounds (the value for a fixed Var) and integrality of each column."""
    n = len(columns)
    lower = np.empty(n)
    upper = np.empty(n)
    integ = np.zeros(n, dtype=np.uint8)
    domains: dict[int, tuple] = {}
    native = native_numeric_types
    for j, v in enumerate(columns):
        dom = v._domain
        info = domains.get(id(dom))
        if info is None:
            dlb, dub, step = dom.get_interval()
            if step not in (0, 1):
                raise NonlinearModelError(f"{v.name}: unsupported domain {dom}")
            info = domains[id(dom)] = (dlb, dub, step)
        dlb, dub, step = info
        if step == 1:
            integ[j] = 1
        if v._fixed:
            lower[j] = upper[j] = float(v._value)
            continue
        lb, ub = v._lb, v._ub
        if (lb is None or lb.__class__ in native) and (ub is None or ub.__class__ in native):
            if lb is None:
                lb = dlb
            elif dlb is not None and dlb > lb:
                lb = dlb
            if ub is None:
                ub = dub
            elif dub is not None and dub < ub:
                ub = dub
        else:
            lb, ub = v.bounds
        lower[j] = -INF if lb is None else lb
        upper[j] = INF if ub is None else ub
    return lower, upper, integ


def objective_of(model):
    objectives = list(model.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if len(objectives) > 1:
        raise ValueError("the model has more than one active objective")
    return objectives[0] if objectives else None


def compile_objective(compiler: LinearCompiler, obj, n_col: int) -> tuple[np.ndarray, float, int]:
    cost = np.zeros(n_col)
    if obj is None:
        return cost, 0.0, 1
    idx, val, const = compiler.linear(obj.expr)
    np.add.at(cost, np.asarray(idx, dtype=np.int64), np.asarray(val, dtype=float))
    return cost, const, 1 if obj.sense == pyo.minimize else -1


def compile_model(model, strict: bool = False) -> Compiled:
    """Every Var, active Constraint and the active Objective of ``model`` as HiGHS arrays
    (``strict``: refuse an expression the compiler would hand to Pyomo's visitor)."""
    t = {}
    tick = time.perf_counter()
    columns, col_of = columns_of(model)
    lower, upper, integ = column_bounds(columns)
    t["columns"] = time.perf_counter() - tick

    tick = time.perf_counter()
    compiler = LinearCompiler(col_of, strict)
    rows = list(model.component_data_objects(pyo.Constraint, active=True, descend_into=True, sort=False))
    n_row = len(rows)
    row_lower = np.empty(n_row)
    row_upper = np.empty(n_row)
    lengths = np.empty(n_row, dtype=np.int64)
    all_idx: list[int] = []
    all_val: list[float] = []
    extend_i, extend_v = all_idx.extend, all_val.extend
    row = compiler.row
    for r, con in enumerate(rows):
        idx, val, lo, up = row(con)
        row_lower[r] = lo
        row_upper[r] = up
        lengths[r] = len(idx)
        extend_i(idx)
        extend_v(val)
    t["rows"] = time.perf_counter() - tick

    tick = time.perf_counter()
    start = np.zeros(n_row + 1, dtype=np.int64)
    np.cumsum(lengths, out=start[1:])
    index = np.fromiter(all_idx, dtype=np.int32, count=len(all_idx))
    values = np.fromiter(all_val, dtype=np.float64, count=len(all_val))
    del all_idx, all_val
    start, index, values = _clean_csr(start, index, values, len(columns))
    t["arrays"] = time.perf_counter() - tick

    tick = time.perf_counter()
    cost, offset, sense = compile_objective(compiler, objective_of(model), len(columns))
    t["objective"] = time.perf_counter() - tick
    return Compiled(columns, col_of, rows, {con: r for r, con in enumerate(rows)}, lower, upper, integ, cost,
                    offset, sense, row_lower, row_upper, start.astype(np.int32), index, values, t, compiler)


def _clean_csr(start: np.ndarray, index: np.ndarray, values: np.ndarray, n_col: int):
    """Drop zero coefficients and merge a column repeated within a row (HiGHS refuses both)."""
    n_row = start.shape[0] - 1
    width = max(n_col, 1)
    row_id = np.repeat(np.arange(n_row, dtype=np.int64), np.diff(start))
    if index.shape[0] > 1:
        key = row_id * width + index
        if np.any(key[1:] <= key[:-1]):  # not increasing: there may be a repeated column
            order = np.argsort(key, kind="stable")
            sk = key[order]
            if np.any(sk[1:] == sk[:-1]):
                uniq, inverse = np.unique(sk, return_inverse=True)
                values = np.bincount(inverse, weights=values[order], minlength=uniq.shape[0])
                row_id = uniq // width
                index = (uniq - row_id * width).astype(np.int32)
    keep = values != 0.0
    if not keep.all():
        row_id, index, values = row_id[keep], index[keep], values[keep]
    start = np.zeros(n_row + 1, dtype=np.int64)
    if row_id.shape[0]:
        np.cumsum(np.bincount(row_id, minlength=n_row), out=start[1:])
    return start, index, values


def pass_model(h: highspy.Highs, c: Compiled) -> None:
    """Hand ``c`` to ``h`` in one call (row-wise matrix); raises if HiGHS refuses it."""
    checked(h.passModel(
        c.num_col, c.num_row, c.num_nz, 0,
        2,  # a_format: row-wise
        0,  # q_format
        c.sense, c.offset,
        c.cost, c.col_lower, c.col_upper, c.row_lower, c.row_upper,
        c.start[:-1].astype(np.int32), c.index, c.value,
        np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0),
        c.integrality.astype(np.int32),
    ), "passModel")
