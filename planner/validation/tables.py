"""One sheet at a time: typed values, required cells, ranges, duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.schema import records
from planner.schema.manifest import Column, Sheet
from planner.schema.problems import Problem, cell_ref, figure, show, visible
from planner.io.reading.sheets import RawSheet
from planner.validation.values import convert, expected_text

class Report:
    """Collects problems; every check appends here, nothing raises midway."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, sheet: str, cell: str, column: str, value: Any, expected: str,
            severity: str = "error") -> None:
        self.items.append(Problem(sheet, cell, column, visible(value) if isinstance(value, str) else show(value),
                                  expected, severity))  # type: ignore[arg-type]

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)


@dataclass
class Typed:
    """A sheet's typed values, column by column (None = blank), before defaults."""

    sheet: Sheet
    values: dict[str, list[Any]]
    excel_rows: list[int]
    #: 1-based column index of each manifest column in the file (manifest position if absent)
    positions: dict[str, int]
    present: bool = True
    #: row indices whose value in a column is already reported (skip further checks)
    bad: dict[str, set[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.excel_rows)

    def where(self, col: str, i: int) -> str:
        return cell_ref(self.sheet.name, self.positions[col], self.excel_rows[i])

    def ok(self, col: str, i: int) -> bool:
        return i not in self.bad.get(col, ())

    def mark(self, col: str, i: int) -> None:
        self.bad.setdefault(col, set()).add(i)


def empty_typed(sheet: Sheet, present: bool = False) -> Typed:
    return Typed(sheet, {c.name: [] for c in sheet.columns}, [],
                 {c.name: i for i, c in enumerate(sheet.columns, start=1)}, present)


def type_sheet(raw: RawSheet, sheet: Sheet, report: Report) -> Typed:
    """Convert every cell of ``raw``; report wrong types, blank required cells and ranges."""
    n = len(raw.rows)
    positions = {c.name: i for i, c in enumerate(sheet.columns, start=1)}
    positions.update(raw.columns)
    typed = Typed(sheet, {}, raw.excel_rows, positions, True)
    for col in sheet.columns:
        idx = raw.columns.get(col.name)
        if idx is None:
            typed.values[col.name] = [None] * n
            continue
        raw_values = [row[idx - 1] for row in raw.rows]
        values, bad = convert(col, raw_values)
        for i, expected in bad:
            report.add(sheet.name, typed.where(col.name, i), col.name, show(raw_values[i]), expected)
            typed.mark(col.name, i)
        typed.values[col.name] = values
        if col.required:
            want = expected_text(col)
            for i, v in enumerate(values):
                if v is None and typed.ok(col.name, i) and not raw.is_flagged(raw.excel_rows[i], idx):
                    report.add(sheet.name, typed.where(col.name, i), col.name, "(blank)",
                               f"{want} (required)")
                    typed.mark(col.name, i)
        _check_range(typed, col, report)
    return typed


def _check_range(typed: Typed, col: Column, report: Report) -> None:
    """Values outside the range of the column's pydantic field (planner.schema.records), the
    whole column in one validation."""
    if col.kind not in ("number", "integer"):
        return
    name = typed.sheet.name
    values = typed.values[col.name]
    lo, hi = records.bounds(records.row_model(name), col.name)
    for i in records.out_of_range(name, col.name, values):
        report.add(name, typed.where(col.name, i), col.name, show(values[i]), range_text(col, lo, hi, values[i]))
        typed.mark(col.name, i)


def range_text(col: Column, lo: float | None, hi: float | None, value: float | None = None) -> str:
    """What the range of ``col`` is, in words; given the ``value`` found, the side it breaks
    (with the reason for a maximum, and "0.5?" for a share written as a percentage)."""
    what = "a year" if col.unit == "year" else ("a share" if col.unit.startswith("share") else "a value")
    if what != "a value" and lo is not None and hi is not None:
        text = f"{what} from {figure(lo)} to {figure(hi)}"
        if what == "a share" and value is not None and hi == 1 and 1 < value <= 100:
            text += f" ({figure(value / 100)}? a share is written 0.5 for 50%)"
        return text
    if lo is not None and (value is None or value < lo or hi is None):
        return f"{what} of at least {figure(lo)}" + (" (not negative)" if lo == 0 else "")
    note = f"; {col.maximum_note}" if col.maximum_note else ""
    return f"{what} of at most {figure(hi)}{note}"


def check_keys(typed: Typed, report: Report) -> None:
    """Duplicate ids / keys: every repeat is reported, naming the first row."""
    key = typed.sheet.key
    if not key or not len(typed):
        return
    columns = [typed.values[k] for k in key]
    first: dict[tuple[Any, ...], int] = {}
    for i, parts in enumerate(zip(*columns)):
        if any(p is None for p in parts):
            continue
        j = first.setdefault(parts, i)
        if j != i:
            label = ", ".join(str(p) for p in parts)
            report.add(typed.sheet.name, typed.where(key[0], i), key[0], label,
                       f"a unique {' + '.join(key)}; row {typed.excel_rows[j]} already has {label}")
