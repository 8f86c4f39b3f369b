"""The input workbook: the blank template, or a filled one from tables.

:func:`write_input_workbook` writes, from the manifest:

- an ``Instructions`` sheet (what each sheet means and how to fill it),
- optionally a ``Notes`` sheet (topic, text),
- ``Settings`` as key/value rows (every key of the manifest),
- every other manifest sheet with its headers in manifest order, a note on each
  header (meaning, kind, unit, default, required, allowed values), dropdowns for
  choice, boolean and reference columns (references through defined names over
  the id column of the referenced sheet, e.g. ``material_ids``), a frozen,
  bold, filled header row and readable widths.

The file is byte-for-byte deterministic for the same data and written
atomically (see :mod:`planner.io.workbook_style`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.io import workbook_style
from planner.schema import manifest
from planner.schema.manifest import Column, Sheet
from planner.schema.problems import figure

#: Rows below the data that dropdowns and id ranges still cover, for new rows.
SPARE_ROWS = 1000
#: Rows sampled to size column widths.
_WIDTH_SAMPLE = 200
_BOOLEAN_LIST = '"TRUE,FALSE"'

KIND_TEXT = {
    "id": "id (text)",
    "text": "text",
    "number": "number",
    "integer": "whole number",
    "boolean": "true/false (also yes/no, 1/0)",
    "choice": "one of a list",
}


def id_range_name(sheet_name: str) -> str:
    """Defined name over the id column of ``sheet_name`` (``material_ids``)."""
    return f"{manifest.ID_COLUMN[sheet_name]}_ids"


def default_text(col: Column) -> str:
    """How a blank cell of ``col`` is read, for people."""
    if col.required:
        return "required"
    if col.default == manifest.FIRST_YEAR:
        return "first_year (Settings)"
    if col.default is None or col.default == "":
        return "no value"
    if isinstance(col.default, bool):
        return "true" if col.default else "false"
    if isinstance(col.default, float) and col.default.is_integer():
        return str(int(col.default))
    return str(col.default)


def allowed_text(col: Column) -> str:
    """Allowed values of ``col`` in words ("" when any value of its kind)."""
    parts: list[str] = []
    if col.choices:
        parts.append("one of " + ", ".join(col.choices))
    if col.kind == "boolean":
        parts.append("true/false, yes/no, 1/0")
    if col.ref:
        ref = f"an id of {col.ref}"
        if col.wildcard:
            ref += " or * (every)"
        parts.append(ref)
    if col.minimum is not None and col.maximum is not None:
        parts.append(f"{figure(col.minimum)} to {figure(col.maximum)}")
    elif col.minimum is not None:
        parts.append(f">= {figure(col.minimum)}")
    elif col.maximum is not None:
        parts.append(f"<= {figure(col.maximum)}")
    if col.in_horizon:
        parts.append("inside the planning horizon")
    elif col.kind == "integer" and col.unit == "year" and col.minimum is None and col.maximum is None:
        parts.append("a year from {} to {}".format(*manifest.YEAR_RANGE))
    return "; ".join(parts)


def column_note(col: Column) -> str:
    """Text of the note on a header cell (or a Settings key)."""
    lines = [col.description, f"Kind: {KIND_TEXT[col.kind]}"]
    if col.unit:
        lines.append(f"Unit: {col.unit}")
    if col.required:
        lines.append("Required")
    elif col.default is None or col.default == "":
        lines.append("Optional; may stay blank")
    else:
        lines.append(f"Optional; blank = {default_text(col)}")
    allowed = allowed_text(col)
    if allowed:
        lines.append(f"Allowed: {allowed}")
    return "\n".join(lines)


def write_input_workbook(path: str | os.PathLike[str],
                         tables: dict[str, pd.DataFrame] | None = None,
                         settings: dict[str, Any] | None = None,
                         notes: list[tuple[str, str]] | None = None) -> Path:
    """Write a styled input workbook to ``path``; returns the path.

    ``tables`` maps manifest sheet names to DataFrames with manifest column
    names (missing columns are left blank, an ``excel_row`` column is dropped,
    other extra columns are written after the manifest's). ``settings`` maps
    Settings keys to values (keys not given are written with their default, or
    blank). ``tables=None`` and ``settings=None`` give the blank template.
    """
    tables = tables or {}
    settings = settings or {}
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb.create_sheet(manifest.INSTRUCTIONS_SHEET))
    if notes:
        _notes(wb.create_sheet(manifest.NOTES_SHEET), notes)
    row_counts = {name: len(frame) for name, frame in tables.items()}
    for sheet in manifest.SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet.name == "Settings":
            _settings(ws, settings, row_counts)
        else:
            _table(ws, sheet, tables.get(sheet.name), row_counts)
    for ref_sheet, id_col in manifest.ID_COLUMN.items():
        last = row_counts.get(ref_sheet, 0) + 1 + SPARE_ROWS
        letter = get_column_letter(manifest.sheet(ref_sheet).column_names.index(id_col) + 1)
        name = id_range_name(ref_sheet)
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"{_sheet_ref(ref_sheet)}!${letter}$2:${letter}${last}")
    return workbook_style.save_workbook(wb, path)


def _sheet_ref(name: str) -> str:
    return name if name.isidentifier() else quote_sheetname(name)


def _instructions(ws: Worksheet) -> None:
    lines: list[tuple[str, str]] = [
        ("trust-planner input workbook", ""),
        ("", ""),
        ("How to fill", "Every sheet has its column names in row 1 and one record per row below. Do not "
         "rename sheets or columns (case and surrounding spaces do not matter). Hover over a column "
         "name to read its meaning, unit, default and whether it is required; red headers are "
         "required. Blank optional cells take the default. IDs are text; years are whole numbers; "
         "true/false columns also accept yes/no and 1/0. Type values, not formulas, or save the "
         "workbook in Excel so every formula has a saved result. Do not merge cells."),
        ("Settings", "One setting per row: key in column A, value in column B."),
        ("Reference", "Every sheet, column, unit and default is described in the template reference "
         "that comes with trust-planner: `trust-planner reference` prints it (`trust-planner reference > "
         "template-reference.md` saves it)."),
        ("", ""),
        ("Sheet", "What one row means"),
    ]
    for sheet in manifest.SHEETS:
        need = "required" if sheet.required else "optional"
        text = f"One row per {sheet.row_meaning} ({need})."
        if sheet.notes:
            text += " " + sheet.notes
        lines.append((sheet.name, text))
    for row in lines:
        ws.append(list(row))
    ws["A1"].font = workbook_style.TITLE_FONT
    header_row = 7
    for cell in ws[header_row]:
        cell.font = workbook_style.HEADER_FONT
        cell.fill = workbook_style.HEADER_FILL
    for row in ws.iter_rows(min_row=2):
        if row[0].row != header_row:
            row[0].font = workbook_style.BOLD
        row[1].alignment = workbook_style.WRAP
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100


def _notes(ws: Worksheet, notes: list[tuple[str, str]]) -> None:
    ws.append(["topic", "text"])
    for topic, text in notes:
        ws.append([str(topic), str(text)])
    workbook_style.style_header(ws)
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = workbook_style.WRAP
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100


def _settings(ws: Worksheet, settings: dict[str, Any], row_counts: dict[str, int]) -> None:
    sheet = manifest.sheet("Settings")
    ws.append(list(sheet.column_names))
    _header_notes(ws, sheet.columns)
    workbook_style.style_header(ws, [c.required for c in sheet.columns])
    known = manifest.SETTINGS_BY_KEY
    keys = [c.name for c in manifest.SETTINGS] + [k for k in settings if k not in known]
    for key in keys:
        col = known.get(key)
        if key in settings:
            value = settings[key]
        else:
            value = None if col is None or col.default == manifest.FIRST_YEAR else col.default
        ws.append([key, _cell_value(value, col.kind if col else "text")])
        if col is not None:
            ws.cell(ws.max_row, 1).comment = workbook_style.header_note(column_note(col))
            if col.required:
                ws.cell(ws.max_row, 1).font = workbook_style.BOLD
            dv = _validation(col)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(f"B{ws.max_row}")
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 24


def _table(ws: Worksheet, sheet: Sheet, frame: pd.DataFrame | None, row_counts: dict[str, int]) -> None:
    names = list(sheet.column_names)
    extra: list[str] = []
    if frame is not None:
        extra = [str(c) for c in frame.columns if c not in names and c != "excel_row"]
    ws.append(names + extra)
    _header_notes(ws, sheet.columns)
    workbook_style.style_header(ws, [c.required for c in sheet.columns] + [False] * len(extra))
    kinds = [c.kind for c in sheet.columns] + ["text"] * len(extra)
    n = 0
    samples: list[list[Any]] = [[h] for h in names + extra]
    if frame is not None and len(frame):
        n = len(frame)
        columns = [frame[c].tolist() if c in frame.columns else [None] * n for c in names + extra]
        rows = [[_cell_value(v, k) for v, k in zip(row, kinds)] for row in zip(*columns)]
        for values in rows[:_WIDTH_SAMPLE]:
            for sample, value in zip(samples, values):
                sample.append(value)
        # as ws.append, but written as sheet XML at save time: ~20x faster for large tables
        workbook_style.append_rows(ws, rows)
    last = n + 1 + SPARE_ROWS
    for idx, col in enumerate(sheet.columns, start=1):
        dv = _validation(col)
        if dv is not None:
            letter = get_column_letter(idx)
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
    for idx, sample in enumerate(samples, start=1):
        # +2 leaves room for the header's filter-free look and the note marker.
        workbook_style.set_width(ws, get_column_letter(idx), sample)


def _header_notes(ws: Worksheet, columns: Iterable[Column]) -> None:
    for idx, col in enumerate(columns, start=1):
        ws.cell(1, idx).comment = workbook_style.header_note(column_note(col))




def _validation(col: Column) -> DataValidation | None:
    if col.kind == "choice" and col.choices:
        formula = '"' + ",".join(col.choices) + '"'
        prompt = "One of: " + ", ".join(col.choices)
    elif col.kind == "boolean":
        formula, prompt = _BOOLEAN_LIST, "TRUE or FALSE (yes/no and 1/0 are accepted too)"
    elif col.ref and col.ref in manifest.ID_COLUMN:
        formula = id_range_name(col.ref)
        prompt = f"An id of the {col.ref} sheet" + (", or * for every one" if col.wildcard else "")
    else:
        return None
    dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required)
    dv.promptTitle = col.name[:32]
    dv.prompt = prompt[:255]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorTitle = "Not in the list"
    dv.error = prompt[:255]
    if col.wildcard:
        # '*' is not in the id range: warn instead of refusing.
        dv.errorStyle = "warning"
    return dv


def _cell_value(value: Any, kind: str) -> Any:
    """A Python value for an openpyxl cell (None for blank)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind in ("id", "text", "choice") and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind in ("id", "text", "choice") and not isinstance(value, str):
        return str(value)
    return value
