"""The Settings sheet: one key/value row per setting, typed by the manifest."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from planner.schema import manifest, records
from planner.schema.problems import cell_ref, show
from planner.io.reading.sheets import RawSheet, norm
from planner.validation.tables import Report, range_text
from planner.validation.values import convert, expected_text

SHEET = "Settings"


@dataclass
class Settings:
    values: dict[str, Any]
    #: key -> Excel row of its value, for problems found later (home_country)
    rows: dict[str, int] = field(default_factory=dict)
    value_column: int = 2
    #: keys whose value is unusable (already reported)
    bad: set[str] = field(default_factory=set)

    def where(self, key: str) -> str:
        row = self.rows.get(key)
        return cell_ref(SHEET, self.value_column, row) if row else ""

    @property
    def horizon(self) -> tuple[int, int] | None:
        fy, n = self.values.get("first_year"), self.values.get("years")
        if fy is None or n is None or {"first_year", "years"} & self.bad:
            return None
        return int(fy), int(fy) + int(n) - 1


def parse_settings(raw: RawSheet | None, report: Report) -> Settings:
    known = {norm(c.name): c for c in manifest.SETTINGS}
    found: dict[str, Any] = {}
    out = Settings({})
    if raw is not None:
        key_col = raw.columns.get("key")
        val_col = raw.columns.get("value")
        if key_col is None or val_col is None:
            raw = None  # missing column already reported
        else:
            out.value_column = val_col
    if raw is not None:
        for row, excel_row in zip(raw.rows, raw.excel_rows):
            key_raw, value_raw = row[key_col - 1], row[val_col - 1]
            key_cell = cell_ref(SHEET, key_col, excel_row)
            value_cell = cell_ref(SHEET, val_col, excel_row)
            key = norm(key_raw)
            if not key:
                report.add(SHEET, key_cell, "key", "(blank)", "a setting name (key) for the value "
                           f"{show(value_raw)}")
                continue
            col = known.get(key)
            if col is None:
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
                hint = f" (did you mean {close[0]}?)" if close else ""
                report.add(SHEET, key_cell, "key", show(key_raw),
                           f"a known setting{hint}; it is ignored", "warning")
                continue
            if col.name in out.rows:
                report.add(SHEET, key_cell, col.name, show(key_raw),
                           f"each setting once; row {out.rows[col.name]} already sets {col.name}")
                continue
            out.rows[col.name] = excel_row
            [value], bad = convert(col, [value_raw])
            if bad:
                report.add(SHEET, value_cell, col.name, show(value_raw), bad[0][1])
                out.bad.add(col.name)
                continue
            if value is None:
                if col.required and not raw.is_flagged(excel_row, val_col):
                    report.add(SHEET, value_cell, col.name, "(blank)", f"{expected_text(col)} (required)")
                    out.bad.add(col.name)
                continue
            found[col.name] = value
        for col in manifest.SETTINGS:
            if col.required and col.name not in out.rows:
                report.add(SHEET, "", col.name, "(missing)",
                           f"a row with key {col.name} and its value: {col.description} (required)")
                out.bad.add(col.name)
    else:
        out.bad.update(c.name for c in manifest.SETTINGS if c.required)
    out.values = _typed(found, out, report)
    return out


def _typed(found: dict[str, Any], out: Settings, report: Report) -> dict[str, Any]:
    """``found`` validated by the Settings model (planner.schema.records): ranges checked, whole
    numbers made int, every default applied. A value out of range is reported at its cell and
    left at its default."""
    columns = {c.name: c for c in manifest.SETTINGS}
    while True:
        try:
            return records.SETTINGS_MODEL.model_validate(found).model_dump()
        except ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0])
                value = found.pop(name)
                lo, hi = records.bounds(records.SETTINGS_MODEL, name)
                report.add(SHEET, out.where(name), name, show(value), range_text(columns[name], lo, hi, value))
                out.bad.add(name)
