"""The plan writer against openpyxl's write-only mode, on the same plan (a script, not a test).

    python benchmarks/writer_modes.py large national --repeat 5

Both write the plan's tables (Summary, result sheets, Marginal values, Input copies) as the
plan has them: a styled header with notes, column widths, frozen header, filter, print setup,
and each cell's number format. Charts and the Read me sheet are left out of both (they are
the same small openpyxl code either way). Then the guarantees a plan needs: the creator and
category that mark it as ours, and a fixed timestamp on every zip entry.

- ``ours``: planner.io.plan's writer: openpyxl cells for headers, the data rows written as sheet
  XML by planner.io.workbook_style.append_rows and spliced into openpyxl's output;
- ``write_only``: ``Workbook(write_only=True)``, every row through ``ws.append``, cells with a
  number format as ``WriteOnlyCell``; its bytes are given the same fixed zip dates.

Both files are read back (openpyxl, read-only) and compared cell by cell: values and number
formats must agree, or the timing means nothing. Prints the median wall and CPU seconds of each
over the repeats, interleaved (ours, write-only, ours, ...), with the load average. Plans come
from benchmarks/plan_writing.py's cache (solved once).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def plan_tables(outcome, dataset):
    """(sheets, layouts) as planner.io.plan.write_plan builds them."""
    from planner.io.plan import (MARGINAL_SHEET, RESULT_SHEETS, SUMMARY, TABLE_COLUMNS, input_copies, plan_layouts,
                                 summary_frame, summary_rows)
    import dataclasses

    import pandas as pd

    for f in dataclasses.fields(outcome):  # a cached plan may predate a field: its default
        if f.name not in vars(outcome) and f.default_factory is not dataclasses.MISSING:
            setattr(outcome, f.name, f.default_factory())
    sheets = {SUMMARY: summary_frame(summary_rows(outcome, dataset), dataset)}
    for name in RESULT_SHEETS:
        sheets[name] = outcome.tables.get(name, pd.DataFrame(columns=list(TABLE_COLUMNS[name])))
    if outcome.marginals is not None:
        sheets[MARGINAL_SHEET] = outcome.marginals
    sheets.update(input_copies(dataset))
    return sheets, plan_layouts(sheets, dataset)


def write_ours(path: Path, sheets, layouts) -> None:
    from planner.io.plan import write_workbook_atomic

    write_workbook_atomic(path, sheets, layouts=layouts, kind="plan")


def write_only(path: Path, sheets, layouts) -> None:
    """The same sheets through openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    from planner.io import targets
    from planner.io.plan import SheetLayout, _rows
    from planner.io.workbook_style import (_ZIP_DATE, HEADER_FILL, HEADER_FONT, MAX_WIDTH, MIN_WIDTH, header_note,
                                           print_setup, write_atomic)

    wb = Workbook(write_only=True)
    wb.properties.creator = targets.CREATOR
    wb.properties.category = targets.category("plan")
    for name, frame in sheets.items():
        layout = layouts.get(name, SheetLayout())
        ws = wb.create_sheet(title=name)
        columns = [str(c) for c in frame.columns]
        for idx, col in enumerate(columns, start=1):  # widths as ours sets them (from the header only here)
            ws.column_dimensions[get_column_letter(idx)].width = min(max(MIN_WIDTH, len(col) + 3), MAX_WIDTH)
        ws.freeze_panes = "A2"
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
        ws.PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4  # a constant print_setup reads, absent from write-only sheets
        print_setup(ws, one_page=layout.one_page)
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            note = layout.notes.get(col)
            if note:
                cell.comment = header_note(note)
            header.append(cell)
        ws.append(header)
        formats = list(layout.formats)
        for index, values in enumerate(_rows(frame)):
            row = []
            for col, value in enumerate(values):
                fmt = formats[col] if col < len(formats) else None
                fmt = fmt if fmt is None or isinstance(fmt, str) else fmt[index]
                if fmt is None or value is None:
                    row.append(value)
                else:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt
                    row.append(cell)
            ws.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    write_atomic(path, out.getvalue())


def cells(path: Path) -> dict:
    """sheet -> [(value, number format) per cell, row by row] (number formats of blank cells left out)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[(c.value, c.number_format if c.value is not None else None) for c in row]
                         for row in ws.iter_rows()]
    wb.close()
    return out


def _strip(rows):
    """Rows without trailing blank cells (the two writers pad short rows differently)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == (None, None):
            row.pop()
        out.append(row)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=["large", "national"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "trust-planner-plans")
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    from plan_writing import solved

    for case in args.cases:
        outcome, dataset = solved(case, args.cache, args.time_limit)
        sheets, layouts = plan_tables(outcome, dataset)
        rows = sum(len(f) for f in sheets.values())
        times = {"ours": ([], []), "write_only": ([], [])}
        loads = []
        with tempfile.TemporaryDirectory() as tmp:
            paths = {"ours": Path(tmp) / "ours.xlsx", "write_only": Path(tmp) / "write_only.xlsx"}
            for _ in range(args.repeat):
                for mode, writer in (("ours", write_ours), ("write_only", write_only)):
                    wall, cpu = time.perf_counter(), time.process_time()
                    writer(paths[mode], sheets, layouts)
                    times[mode][0].append(time.perf_counter() - wall)
                    times[mode][1].append(time.process_time() - cpu)
                    loads.append(os.getloadavg()[0])
            a, b = cells(paths["ours"]), cells(paths["write_only"])
            same = a.keys() == b.keys() and all(_strip(a[s]) == _strip(b[s]) for s in a)
            sizes = {mode: p.stat().st_size for mode, p in paths.items()}
        print(f"{case}: {len(sheets)} sheets, {rows:,} rows; same values and formats: {same}; "
              f"load {min(loads):.1f}-{max(loads):.1f}")
        for mode, (walls, cpus) in times.items():
            print(f"  {mode:10s} wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s "
                  f"(median of {args.repeat}; CPU {min(cpus):.2f}-{max(cpus):.2f}), {sizes[mode] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
