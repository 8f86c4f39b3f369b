"""Helpers shared by the constraint rules.

A rule whose terms all vanish (no variable exists on one side) would hand Pyomo a
plain boolean. ``row`` turns a satisfied constant relation into Skip and a
violated one into ``never >= 1`` on a variable fixed by its bounds at 0, so the
solver, not Python, reports the model infeasible.

``linear`` builds a LinearExpression straight from (coefficient, variable) pairs:
much faster than summing Pyomo terms for the long sums of a national-size model.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression

TOL = 1e-9


def linear(pairs, constant: float = 0.0):
    """``constant + sum(c * v for c, v in pairs)`` as one LinearExpression (``constant`` if empty).

    Unit coefficients enter as bare variables (no monomial object per term).
    """
    args = [v if c == 1 else MonomialTermExpression((c, v)) for c, v in pairs]
    if not args:
        return constant
    if constant:
        args.insert(0, constant)
    return LinearExpression(args)


def total(variables, constant: float = 0.0):
    """Sum of variables (each with coefficient 1)."""
    args = list(variables)
    if not args:
        return constant
    if constant:
        args.insert(0, constant)
    return LinearExpression(args)


# ---- constraints with every variable in one LinearExpression ----------------------------
#
# A rule returns ``row(m, pairs, sense, rhs)``: every variable on the left as one
# LinearExpression, a plain number on the right; the same relation ``lhs <= rhs`` would
# give, built without intermediate sums. The hand-off (models.highs.handoff) reads the
# LinearExpression's arguments directly instead of walking a tree of sums and products.

def _relation_of(m, args, sense: str, rhs: float):
    if not args:
        ok = {"<=": -rhs <= TOL, ">=": -rhs >= -TOL, "==": abs(rhs) <= TOL}[sense]
        return pyo.Constraint.Skip if ok else m.never >= 1
    body = LinearExpression(args)
    if sense == "<=":
        return InequalityExpression((body, rhs), False)
    if sense == ">=":
        return InequalityExpression((rhs, body), False)
    return EqualityExpression((body, rhs))


def row(m, pairs, sense: str, rhs: float = 0.0):
    """``sum(c * v for c, v in pairs)`` ``sense`` ``rhs``; Skip or ``never >= 1`` when no term is left."""
    return _relation_of(m, [v if c == 1 else MonomialTermExpression((c, v)) for c, v in pairs], sense, rhs)


def unit_row(m, variables, sense: str, rhs: float = 0.0, extra=()):
    """``sum(variables) + sum(c * v for c, v in extra)`` ``sense`` ``rhs`` (see :func:`row`)."""
    args = list(variables)
    args.extend(v if c == 1 else MonomialTermExpression((c, v)) for c, v in extra)
    return _relation_of(m, args, sense, rhs)
