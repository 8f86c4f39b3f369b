"""Which row of a scoped sheet gives a value: the precedence rule, written once.

SPEC §1 Policies (docs/decisions.md "Policy precedence"): a row's *scope* is the part of
(material, year, scenario) it names; ``*`` and blank cells name nothing (``None`` here). A row
applies at a point when every part it names equals the point's. Among the rows that apply at a
point and give a value for a column, the one naming the most parts wins; two winners that
disagree are an input error.

Both readers of the sheet use these functions: validation (:mod:`planner.validation.policies`,
which rows conflict, reported per cell) and the model's parameters
(:mod:`models.params.policies`, the value at each point and the Excel row it came from). It lives
in planner.schema because that is the layer both import: validation must not import models/
(the layering test, tests/test_layering.py), and models/ already builds on planner.schema.

Scopes are tuples of any length, so a sheet with another scope (e.g. (country, material)) can
use the same rule.
"""

from __future__ import annotations

from itertools import product
from typing import Any, Iterable, Mapping

from planner.schema.dataset import blank

#: The material cell naming every material.
WILDCARD = "*"
#: Policies columns resolved per material over the whole horizon: a row's year and scenario are
#: not part of their scope (SPEC: min_suppliers is horizon-wide).
HORIZON_WIDE = frozenset({"min_suppliers"})

Scope = tuple  # parts named, None where a part names nothing (every)


def _named(value: Any) -> bool:
    return not (blank(value) or value == WILDCARD)


def policy_scope(column: str, material: Any, year: Any, scenario: Any) -> Scope:
    """The scope a Policies row gives ``column``: (material, year, scenario) with None where the
    cell is blank or ``*``; a horizon-wide column's row names its material only."""
    m = str(material) if _named(material) else None
    if column in HORIZON_WIDE:
        return (m, None, None)
    return (m, int(year) if _named(year) else None, str(scenario) if _named(scenario) else None)


def rank(scope: Scope) -> int:
    """How many parts ``scope`` names: the more, the higher its precedence."""
    return sum(part is not None for part in scope)


def covers(scope: Scope, point: Scope) -> bool:
    """``scope`` applies at ``point`` (every part it names equals the point's)."""
    return all(s is None or s == p for s, p in zip(scope, point))


def overlap(a: Scope, b: Scope) -> Scope | None:
    """The scope of the points both ``a`` and ``b`` apply to, or None when there is none."""
    out = []
    for x, y in zip(a, b):
        if x is not None and y is not None and x != y:
            return None
        out.append(x if x is not None else y)
    return tuple(out)


def candidates(point: Scope) -> Iterable[Scope]:
    """Every scope that applies at ``point`` (material first, then year, then scenario named or not)."""
    return product(*((part, None) if part is not None else (None,) for part in point))


def winners(given: Mapping[Scope, Any], point: Scope) -> list[Scope]:
    """The scopes of ``given`` that apply at ``point`` with the highest rank, in the order of
    :func:`candidates` (empty when none applies). More than one winner with different values is
    a conflict, for the caller to report."""
    best: list[Scope] = []
    best_rank = -1
    for scope in candidates(point):
        if scope not in given:
            continue
        r = rank(scope)
        if r > best_rank:
            best, best_rank = [scope], r
        elif r == best_rank:
            best.append(scope)
    return best
