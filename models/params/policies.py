"""Resolve the Policies sheet into one value per (column, material, year, scenario), and the
Excel row each value came from.

Precedence (:mod:`planner.schema.precedence`, the rule validation reads the sheet by too): among
the rows that match a (material, year, scenario) and give a value for a column, the row that
names the most of material / year / scenario wins; ``*`` and blanks name nothing. Equally
specific matching rows that disagree are an input error (ValueError); validation reports them
per cell before a model is built.

``min_suppliers`` is horizon-wide: resolved per material only (a row naming the material
beats a ``*`` row; the row's year and scenario are ignored).

The Excel rows are kept so that what is reported about a value after the solve (marginal
values, the infeasibility diagnosis) names the row that gave it without reading the Dataset
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any

from planner.schema.manifest import policy_columns
from planner.schema.precedence import HORIZON_WIDE, Scope, policy_scope, winners

from models.params.tables import blank, col, excel_rows

Point = tuple[str, int, str]  # (material, year, scenario)


@dataclass
class PolicyData:
    #: column -> {(material, year, scenario): value}; only resolved, non-blank values.
    values: dict[str, dict[Point, float]] = field(default_factory=dict)
    #: material -> least number of contracted offers.
    min_suppliers: dict[str, int] = field(default_factory=dict)
    #: column -> {key of the value (material for min_suppliers): Excel row of the Policies row
    #: that gave it; None for rows not read from a sheet}
    rows: dict[str, dict[Any, int | None]] = field(default_factory=dict)

    def get(self, column: str) -> dict[Point, float]:
        return self.values.get(column, {})

    def row(self, column: str, key) -> int | None:
        """Excel row of the Policies row that gave ``column`` at ``key`` ((material, year, scenario),
        or the material for min_suppliers)."""
        return self.rows.get(column, {}).get(key)


def _rows_by_scope(policies) -> dict[str, dict[Scope, tuple[float, int | None]]]:
    """column -> {scope: (value, Excel row of the first row giving it)}; same-scope conflicts raise."""
    mats, yrs, scs = col(policies, "material"), col(policies, "year"), col(policies, "scenario")
    rows = excel_rows(policies)
    out: dict[str, dict[Scope, tuple[float, int | None]]] = {}
    for c in policy_columns():
        by_scope: dict[Scope, tuple[float, int | None]] = {}
        for m, y, s, v, r in zip(mats, yrs, scs, col(policies, c), rows):
            if blank(v):
                continue
            scope = policy_scope(c, m, y, s)
            if scope in by_scope and by_scope[scope][0] != float(v):
                raise ValueError(f"Policies: rows {by_scope[scope][1]} and {r} give different {c} "
                                 f"({by_scope[scope][0]} vs {float(v)}) for material {m!r}, year {scope[1]}, "
                                 f"scenario {scope[2]}")
            by_scope.setdefault(scope, (float(v), r))
        if by_scope:
            out[c] = by_scope
    return out


def resolve(policies, materials: list[str], years: list[int], scenarios: list[str]) -> PolicyData:
    """Resolve every policy column for every (material, year, scenario)."""
    data = PolicyData()
    if policies is None or len(policies) == 0:
        return data
    for c, by_scope in _rows_by_scope(policies).items():
        named = {scope[0] for scope in by_scope}
        applies = materials if None in named else [m for m in materials if m in named]
        if c in HORIZON_WIDE:
            points = [(m, None, None) for m in applies]
        else:
            points = list(product(applies, years, scenarios))
        resolved, origin = {}, {}
        for point in points:
            top = winners(by_scope, point)
            if not top:
                continue
            value, row = by_scope[top[0]]
            for other in top[1:]:
                if by_scope[other][0] != value:
                    raise ValueError(f"Policies: equally specific rows {_shown(top[0])} and {_shown(other)} give "
                                     f"different {c} ({value} vs {by_scope[other][0]}) for material {point[0]!r}"
                                     + ("" if c in HORIZON_WIDE else f", year {point[1]}, scenario {point[2]!r}"))
            resolved[point] = value
            origin[point] = row
        if c == "min_suppliers":
            data.min_suppliers = {m: int(round(v)) for (m, _y, _s), v in resolved.items() if int(round(v)) > 0}
            data.rows[c] = {m: origin[(m, None, None)] for m in data.min_suppliers}
        else:
            data.values[c] = resolved
            data.rows[c] = origin
    return data


def _shown(scope: Scope) -> tuple:
    """A scope as the sheet writes it (``*`` for every material)."""
    return ("*" if scope[0] is None else scope[0],) + tuple(scope[1:])
