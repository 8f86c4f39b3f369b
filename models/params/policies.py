"""Resolve the Policies sheet into one value per (column, material, year, scenario).

Precedence (SPEC §1 Policies, docs/decisions.md "Policy precedence"): among the rows
that match a (material, year, scenario) and give a value for a column, the row that
names the most of material / year / scenario wins; ``*`` and blanks name nothing.
Equally specific matching rows that disagree are an input error (ValueError).

``min_suppliers`` is horizon-wide: resolved per material only (a row naming the
material beats a ``*`` row; the row's year and scenario are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from planner.schema.manifest import policy_columns

from models.params.tables import blank, col

WILDCARD = "*"
#: Columns that bound a share of total supply (homogeneous in supply).
RATIO_COLUMNS = ("max_country_share", "max_supplier_share", "max_avg_risk", "min_green_share",
                 "max_carbon_intensity", "max_non_allied_share")

Key = tuple[str, int | None, str | None]


@dataclass
class PolicyData:
    #: column -> {(material, year, scenario): value}; only resolved, non-blank values.
    values: dict[str, dict[tuple[str, int, str], float]] = field(default_factory=dict)
    #: material -> least number of contracted offers.
    min_suppliers: dict[str, int] = field(default_factory=dict)

    def get(self, column: str) -> dict[tuple[str, int, str], float]:
        return self.values.get(column, {})

    def materials_with(self, columns) -> set[str]:
        return {k[0] for c in columns for k in self.get(c)}


def _rows_by_key(policies) -> dict[str, dict[Key, float]]:
    """column -> {(material or *, year or None, scenario or None): value}; same-key conflicts raise."""
    mats = col(policies, "material")
    yrs = [None if blank(y) else int(y) for y in col(policies, "year")]
    scs = [None if blank(s) else str(s) for s in col(policies, "scenario")]
    rows = col(policies, "excel_row") if "excel_row" in policies.columns else [0] * len(mats)
    out: dict[str, dict[Key, float]] = {}
    for c in policy_columns():
        by_key: dict[Key, float] = {}
        origin: dict[Key, int] = {}
        for m, y, s, v, r in zip(mats, yrs, scs, col(policies, c), rows):
            if blank(v):
                continue
            key = (str(m), y, s)
            if key in by_key and by_key[key] != float(v):
                raise ValueError(f"Policies: rows {origin[key]} and {r} give different {c} "
                                 f"({by_key[key]} vs {float(v)}) for material {m!r}, year {y}, scenario {s}")
            by_key[key] = float(v)
            origin[key] = r
        if by_key:
            out[c] = by_key
    return out


def _pick(by_key: dict[Key, float], candidates: list[Key], column: str, what: str) -> float | None:
    """The value of the most specific candidate key present; equal-specificity conflicts raise."""
    best: float | None = None
    best_rank = -1
    best_key: Key | None = None
    for key in candidates:
        if key not in by_key:
            continue
        rank = (key[0] != WILDCARD) + (key[1] is not None) + (key[2] is not None)
        value = by_key[key]
        if rank > best_rank:
            best, best_rank, best_key = value, rank, key
        elif rank == best_rank and value != best:
            raise ValueError(f"Policies: equally specific rows {best_key} and {key} give different "
                             f"{column} ({best} vs {value}) for {what}")
    return best


def resolve(policies, materials: list[str], years: list[int], scenarios: list[str]) -> PolicyData:
    """Resolve every policy column for every (material, year, scenario)."""
    data = PolicyData()
    if policies is None or len(policies) == 0:
        return data
    by_col = _rows_by_key(policies)
    for c, by_key in by_col.items():
        if c == "min_suppliers":
            data.min_suppliers = _min_suppliers(by_key, materials)
            continue
        named_mats = {k[0] for k in by_key}
        applies = materials if WILDCARD in named_mats else [m for m in materials if m in named_mats]
        resolved = {}
        for m, y, s in product(applies, years, scenarios):
            cands = [(mm, yy, ss) for mm in (m, WILDCARD) for yy in (y, None) for ss in (s, None)]
            v = _pick(by_key, cands, c, f"material {m!r}, year {y}, scenario {s!r}")
            if v is not None:
                resolved[(m, y, s)] = v
        data.values[c] = resolved
    return data


def _min_suppliers(by_key: dict[Key, float], materials: list[str]) -> dict[str, int]:
    """Per material: rows naming it beat ``*`` rows; their year/scenario are ignored."""
    out = {}
    for m in materials:
        for name in (m, WILDCARD):
            vals = {v for k, v in by_key.items() if k[0] == name}
            if len(vals) > 1:
                raise ValueError(f"Policies: rows for material {name!r} give different min_suppliers "
                                 f"{sorted(vals)} (min_suppliers is horizon-wide)")
            if vals:
                value = int(round(vals.pop()))
                if value > 0:
                    out[m] = value
                break
    return out
