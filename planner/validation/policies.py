"""Equally specific Policies rows that disagree (SPEC §1 Policies, docs/decisions.md).

The precedence rule is :mod:`planner.schema.precedence` (the model's parameters resolve the
sheet by it too): for each (material, year, scenario) and each target column, the matching rows
that give a value are ranked by how many of material (not ``*``), year and scenario they name;
the most specific wins. Two rows are in conflict when, at some (material, year, scenario) of the
horizon, they are both among the most specific matching rows and give different values.
Horizon-wide columns (``min_suppliers``) are scoped by their material only.

Both rows of a conflict are reported.
"""

from __future__ import annotations

from itertools import product
from typing import Any, Iterator

from planner.schema import manifest
from planner.schema.precedence import HORIZON_WIDE, Scope, covers, overlap, policy_scope, rank
from planner.validation.tables import Report, Typed


def check_conflicts(t: Typed, materials: list[str], years: list[int] | None, scenarios: list[str],
                    report: Report) -> None:
    if not len(t):
        return
    v = t.values
    for col in manifest.policy_columns():
        rows = [i for i, x in enumerate(v[col]) if x is not None and t.ok(col, i)
                and all(t.ok(k, i) for k in ("material", "year", "scenario"))]
        if len(rows) < 2:
            continue
        rows_scopes = {i: policy_scope(col, v["material"][i], v["year"][i], v["scenario"][i]) for i in rows}
        if col in HORIZON_WIDE:
            horizon_years: list[Any] = [None]
            scen: list[Any] = [None]
        else:
            horizon_years = list(years) if years else sorted({y for _, y, _ in rows_scopes.values() if y})
            scen = list(scenarios)
        higher_by_spec: dict[int, list[Scope]] = {}
        for i in rows:
            higher_by_spec.setdefault(rank(rows_scopes[i]), []).append(rows_scopes[i])
        for a, b in _candidate_pairs(rows, rows_scopes, v[col]):
            spec = rank(rows_scopes[a])
            higher = [sc for k, scs in higher_by_spec.items() if k > spec for sc in scs]
            inter = overlap(rows_scopes[a], rows_scopes[b])
            if inter is None:
                continue
            point = _uncovered(inter, higher, materials, horizon_years, scen)
            if point is None:
                continue
            where = _describe(point, col in HORIZON_WIDE)
            for me, other in ((a, b), (b, a)):
                report.add("Policies", t.where(col, me), col, t.values[col][me],
                           f"one value among equally specific rows; row {t.excel_rows[other]} gives "
                           f"{_fmt(t.values[col][other])} for {where} (make one row more specific, or give "
                           "both the same value)")


def _candidate_pairs(rows: list[int], scopes: dict[int, Scope], values: list[Any]) -> Iterator[tuple[int, int]]:
    """Pairs of equally specific rows that overlap and disagree, without comparing all pairs.

    Rows are grouped by which of material/year/scenario they name (their pattern); two
    rows overlap when they agree on every dimension both name, so each row is only
    compared with the rows of an equally specific pattern that share those values.
    """
    by_pattern: dict[tuple[bool, ...], list[int]] = {}
    for i in rows:
        by_pattern.setdefault(tuple(x is not None for x in scopes[i]), []).append(i)
    patterns = sorted(by_pattern)
    seen: set[tuple[int, int]] = set()
    for pa in patterns:
        for pb in patterns:
            if pb < pa or sum(pa) != sum(pb):
                continue
            shared = [d for d in range(3) if pa[d] and pb[d]]
            index: dict[tuple[Any, ...], list[int]] = {}
            for j in by_pattern[pb]:
                index.setdefault(tuple(scopes[j][d] for d in shared), []).append(j)
            for i in by_pattern[pa]:
                for j in index.get(tuple(scopes[i][d] for d in shared), ()):
                    if i == j or values[i] == values[j]:
                        continue
                    pair = (min(i, j), max(i, j))
                    if pair not in seen:
                        seen.add(pair)
                        yield pair


def _points(scope: Scope, materials: list[str], years: list[Any], scenarios: list[Any]) -> Iterator[Scope]:
    ms = [scope[0]] if scope[0] is not None else (materials or [None])
    ys = [scope[1]] if scope[1] is not None else (years or [None])
    ss = [scope[2]] if scope[2] is not None else (scenarios or [None])
    return product(ms, ys, ss)  # type: ignore[return-value]


def _uncovered(inter: Scope, higher: list[Scope], materials: list[str], years: list[Any],
               scenarios: list[Any]) -> Scope | None:
    """A point of ``inter`` that no more specific row covers, or None."""
    relevant = [h for h in higher if overlap(h, inter) is not None]
    if not relevant:
        return inter
    for point in _points(inter, materials, years, scenarios):
        if not any(covers(h, point) for h in relevant):
            return point
    return None


def _describe(point: Scope, horizon_wide: bool) -> str:
    m, y, s = point
    if horizon_wide:
        return f"material {m if m is not None else '*'}"
    return (f"material {m if m is not None else '* (every)'}, year {y if y is not None else '(every)'}, "
            f"scenario {s if s is not None else '(every)'}")


def _fmt(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else f"{v:g}" if isinstance(v, float) else str(v)
