"""Equally specific Policies rows that disagree (SPEC §1 Policies, docs/decisions.md).

For each (material, year, scenario) and each target column, the matching rows
that give a value are ranked by how many of material (not ``*``), year and
scenario they name; the most specific wins. Two rows are in conflict when, at
some (material, year, scenario) of the horizon, they are both among the most
specific matching rows and give different values. ``min_suppliers`` is
horizon-wide: only its material counts (year and scenario are not used).

Both rows of a conflict are reported.
"""

from __future__ import annotations

from itertools import product
from typing import Any, Iterator

from planner import manifest
from planner.validation.tables import Report, Typed

Scope = tuple[Any, Any, Any]  # material or None (= every), year or None, scenario or None


def check_conflicts(t: Typed, materials: list[str], years: list[int] | None, scenarios: list[str],
                    report: Report) -> None:
    if not len(t):
        return
    scopes: list[Scope] = []
    for i in range(len(t)):
        m = t.values["material"][i]
        y = t.values["year"][i]
        s = t.values["scenario"][i]
        scopes.append((None if m in (None, "*") else m, None if y is None else int(y), s))
    for col in manifest.policy_columns():
        rows = [i for i, v in enumerate(t.values[col]) if v is not None and t.ok(col, i)
                and all(t.ok(k, i) for k in ("material", "year", "scenario"))]
        if len(rows) < 2:
            continue
        if col == "min_suppliers":
            rows_scopes = {i: (scopes[i][0], None, None) for i in rows}
            horizon_years: list[Any] = [None]
            scen: list[Any] = [None]
        else:
            rows_scopes = {i: scopes[i] for i in rows}
            horizon_years = list(years) if years else sorted({y for _, y, _ in rows_scopes.values() if y})
            scen = list(scenarios)
        by_spec: dict[int, list[int]] = {}
        for i in rows:
            by_spec.setdefault(_spec(rows_scopes[i]), []).append(i)
        for spec, members in by_spec.items():
            higher = [i for i in rows if _spec(rows_scopes[i]) > spec]
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    va, vb = t.values[col][a], t.values[col][b]
                    if va == vb:
                        continue
                    inter = _intersect(rows_scopes[a], rows_scopes[b])
                    if inter is None:
                        continue
                    point = _uncovered(inter, [rows_scopes[h] for h in higher], materials, horizon_years, scen)
                    if point is None:
                        continue
                    where = _describe(point, col)
                    for me, other, v_other in ((a, b, vb), (b, a, va)):
                        report.add("Policies", t.where(col, me), col, t.values[col][me],
                                   f"one value among equally specific rows; row {t.excel_rows[other]} gives "
                                   f"{_fmt(v_other)} for {where} (make one row more specific, or give both "
                                   "the same value)")


def _spec(scope: Scope) -> int:
    return sum(x is not None for x in scope)


def _intersect(a: Scope, b: Scope) -> Scope | None:
    out = []
    for x, y in zip(a, b):
        if x is not None and y is not None and x != y:
            return None
        out.append(x if x is not None else y)
    return tuple(out)  # type: ignore[return-value]


def _matches(scope: Scope, point: Scope) -> bool:
    return all(s is None or s == p for s, p in zip(scope, point))


def _points(scope: Scope, materials: list[str], years: list[Any], scenarios: list[Any]) -> Iterator[Scope]:
    ms = [scope[0]] if scope[0] is not None else (materials or [None])
    ys = [scope[1]] if scope[1] is not None else (years or [None])
    ss = [scope[2]] if scope[2] is not None else (scenarios or [None])
    return product(ms, ys, ss)  # type: ignore[return-value]


def _uncovered(inter: Scope, higher: list[Scope], materials: list[str], years: list[Any],
               scenarios: list[Any]) -> Scope | None:
    """A point of ``inter`` that no more specific row covers, or None."""
    relevant = [h for h in higher if _intersect(h, inter) is not None]
    if not relevant:
        return inter
    for point in _points(inter, materials, years, scenarios):
        if not any(_matches(h, point) for h in relevant):
            return point
    return None


def _describe(point: Scope, col: str) -> str:
    m, y, s = point
    if col == "min_suppliers":
        return f"material {m if m is not None else '*'}"
    return (f"material {m if m is not None else '* (every)'}, year {y if y is not None else '(every)'}, "
            f"scenario {s if s is not None else '(every)'}")


def _fmt(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else f"{v:g}" if isinstance(v, float) else str(v)
