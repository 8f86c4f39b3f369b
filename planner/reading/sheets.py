"""Raw tables from the workbook: header row, then value rows, nothing typed yet.

openpyxl parses the (pre-scanned) bytes in ``read_only`` and ``data_only``
mode; rows are iterated with ``values_only`` and a column cap equal to the
header width, so a stray cell at XFD1048576 neither allocates the grid nor
stretches every row: the table ends after :attr:`Limits.max_empty_rows` fully
empty rows, with a warning when the sheet's recorded extent goes further.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from planner import manifest
from planner.problems import InputError, Problem, cell_ref, show
from planner.reading.limits import Limits
from planner.reading.zipscan import SheetScan, ZipScan


def norm(name: Any) -> str:
    """Names are matched ignoring case and surrounding spaces."""
    return "" if name is None else str(name).strip().casefold()


@dataclass
class RawSheet:
    """One manifest sheet as found in the file."""

    name: str  # manifest name
    title: str  # as written in the file
    #: manifest column name -> 1-based column index in the file
    columns: dict[str, int]
    #: value tuples, one per non-empty data row, in file column order up to the header width
    rows: list[tuple[Any, ...]]
    excel_rows: list[int]
    #: cells (row, column index) whose value must not be reported as blank again
    #: (a formula without a saved value, or covered by a merged range)
    flagged: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row

    def is_flagged(self, row: int, col: int) -> bool:
        if (row, col) in self.flagged:
            return True
        return any(c0 <= col <= c1 and r0 <= row <= r1 for c0, r0, c1, r1 in self.merged)


@dataclass
class RawWorkbook:
    sheets: dict[str, RawSheet]  # by manifest name
    problems: list[Problem]


def read_sheets(data: bytes, scan: ZipScan, limits: Limits) -> RawWorkbook:
    """Read every manifest sheet found in the workbook into a :class:`RawSheet`."""
    problems: list[Problem] = []
    try:
        wb = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise InputError([Problem("", "", "", type(exc).__name__,
                                  f"an .xlsx workbook openpyxl can open ({exc})")]) from None
    try:
        parts = {p.name: p for p in scan.sheets}
        wanted = {norm(s.name): s for s in manifest.SHEETS}
        info = {norm(n) for n in manifest.INFO_SHEETS}
        found: dict[str, str] = {}
        for title in wb.sheetnames:
            key = norm(title)
            part = parts.get(title)
            state = part.state if part else "visible"
            if key in wanted:
                sheet = wanted[key]
                if sheet.name in found:
                    problems.append(Problem(title, "", "", title, f"one sheet named {sheet.name}; the workbook "
                                            f"also has {found[sheet.name]!r}"))
                    continue
                found[sheet.name] = title
                if state != "visible":
                    problems.append(Problem(sheet.name, "", "", f"{state} sheet {title!r}",
                                            "a visible sheet (it is read anyway)", "warning"))
            elif key not in info:
                hidden = f" ({state})" if state != "visible" else ""
                problems.append(Problem(title, "", "", f"sheet {title!r}{hidden}",
                                        f"one of the template's sheets{_hint(key, wanted)}; it is ignored",
                                        "warning"))
        sheets: dict[str, RawSheet] = {}
        for sheet in manifest.SHEETS:
            title = found.get(sheet.name)
            if title is None:
                if sheet.required:
                    problems.append(Problem(sheet.name, "", "", "(missing)",
                                            f"a sheet named {sheet.name} (required){_hint(norm(sheet.name), {norm(t): t for t in wb.sheetnames}, True)}"))
                continue
            ws = wb[title]
            if not hasattr(ws, "iter_rows"):  # a chartsheet
                problems.append(Problem(sheet.name, "", "", "a chart sheet", "a worksheet with a table"))
                continue
            part = parts.get(title)
            sheet_scan = scan.scans.get(part.path, SheetScan()) if part else SheetScan()
            raw = _read_sheet(ws, sheet, sheet_scan, limits, problems)
            if raw is not None:
                sheets[sheet.name] = raw
    except InputError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces while iterating
        raise InputError(problems + [Problem("", "", "", type(exc).__name__,
                                             f"a readable workbook ({exc})")]) from None
    finally:
        wb.close()
    return RawWorkbook(sheets, problems)


def _hint(key: str, names: dict[str, Any], reverse: bool = False) -> str:
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    if not close:
        return ""
    target = names[close[0]]
    label = target if isinstance(target, str) else target.name
    return f" (found {label!r}: rename it?)" if reverse else f" (did you mean {label!r}?)"


def _read_sheet(ws, sheet: manifest.Sheet, scan: SheetScan, limits: Limits,
                problems: list[Problem]) -> RawSheet | None:
    name = sheet.name
    extent_cols = ws.max_column or limits.max_columns
    width_cap = min(extent_cols, limits.max_columns)
    header_row = next(ws.iter_rows(min_row=1, max_row=1, max_col=width_cap, values_only=True), ())
    header = list(header_row)
    while header and (header[-1] is None or (isinstance(header[-1], str) and not header[-1].strip())):
        header.pop()
    if ws.max_column and ws.max_column > limits.max_columns and len(header) >= limits.max_columns:
        problems.append(Problem(name, "", "", f"{ws.max_column:,} columns",
                                f"at most {limits.max_columns:,} columns (Limits.max_columns); the rest is "
                                "ignored", "warning"))
    width = len(header)
    by_name = {norm(c.name): c.name for c in sheet.columns}
    columns: dict[str, int] = {}
    for idx, text in enumerate(header, start=1):
        key = norm(text)
        where = cell_ref(name, idx, 1)
        if key == "":
            continue
        if key in by_name:
            col = by_name[key]
            if col in columns:
                problems.append(Problem(name, where, col, show(text),
                                        f"each column once; {col} is already column "
                                        f"{get_column_letter(columns[col])}"))
            else:
                columns[col] = idx
        else:
            problems.append(Problem(name, where, show(text), show(text),
                                    f"one of the columns of {name}{_hint(key, by_name)}; it is ignored",
                                    "warning"))
    for col in sheet.columns:
        if col.required and col.name not in columns:
            close = difflib.get_close_matches(norm(col.name), [norm(h) for h in header if h is not None],
                                              n=1, cutoff=0.75)
            hint = f" (found {close[0]!r}: rename it?)" if close else ""
            problems.append(Problem(name, f"{name}!1:1", col.name, "(missing)",
                                    f"a column named {col.name} in row 1 (required){hint}"))

    rows: list[tuple[Any, ...]] = []
    excel_rows: list[int] = []
    last_row = 1
    stopped_at: int | None = None
    if width:
        empty_run = 0
        for row_number, values in enumerate(
                ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
            if _is_empty(values):
                empty_run += 1
                if empty_run >= limits.max_empty_rows:
                    stopped_at = row_number
                    break
                continue
            empty_run = 0
            if len(rows) >= limits.max_rows:
                problems.append(Problem(name, f"{name}!{row_number}:{row_number}", "", f"more than "
                                        f"{limits.max_rows:,} rows", f"at most {limits.max_rows:,} data rows "
                                        "per sheet (Limits.max_rows; the CLI can raise it)"))
                break
            if len(values) < width:
                values = tuple(values) + (None,) * (width - len(values))
            rows.append(tuple(values))
            excel_rows.append(row_number)
            last_row = row_number
    if stopped_at is not None and (ws.max_row or 0) > stopped_at:
        problems.append(Problem(name, f"{name}!{stopped_at}:{stopped_at}", "",
                                f"cells down to row {ws.max_row:,}",
                                f"a table without {limits.max_empty_rows:,} empty rows inside it; rows below "
                                f"{last_row} after the gap are ignored", "warning"))
    raw = RawSheet(name, ws.title, columns, rows, excel_rows)
    for ref, formula in scan.formulas:
        if not ref:
            problems.append(Problem(name, "", "", formula, "a typed value or a formula with a saved result "
                                    "(open and save the workbook in Excel)"))
            continue
        c0, r0, _, _ = range_boundaries(ref)
        in_header = r0 == 1 and c0 <= limits.max_columns
        in_body = c0 <= width and (stopped_at is None or r0 < stopped_at)
        if not (in_header or in_body):
            continue
        raw.flagged.add((r0, c0))
        problems.append(Problem(name, f"{name}!{ref}", _column_at(columns, c0), formula,
                                "a value: this formula has no saved result (the file was written by a "
                                "program, not saved by Excel); type the value, or open and save the "
                                "workbook in Excel"))
    for ref in scan.merges:
        try:
            c0, r0, c1, r1 = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if None in (c0, r0) or c0 > max(width, 1) or r0 > last_row:
            continue  # outside the table
        raw.merged.append((c0, r0, c1 or c0, r1 or r0))
        problems.append(Problem(name, f"{name}!{get_column_letter(c0)}{r0}", _column_at(columns, c0),
                                f"merged cells {ref}", "one value per cell: unmerge the cells and fill each "
                                "one"))
    return raw


def _column_at(columns: dict[str, int], idx: int) -> str:
    for col, pos in columns.items():
        if pos == idx:
            return col
    return ""


def _is_empty(values: tuple[Any, ...]) -> bool:
    for v in values:
        if v is None:
            continue
        if isinstance(v, str) and not v.strip():
            continue
        return False
    return True
