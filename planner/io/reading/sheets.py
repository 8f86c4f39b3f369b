"""Raw tables from the workbook: header row, then value rows, nothing typed yet.

Two readers give the same values (what Excel saved: cached results of
formulas, ``None`` for a blank cell, ``datetime`` for a date, the text of an
error value like ``"#N/A"``):

- **fast**: python-calamine (Rust) reads a whole sheet into a dense grid in
  memory. It runs only on bytes the pre-scan accepted and only when the scan
  bounds what it would allocate: the sheet's cell extent (largest row x
  largest column of any cell, every cell placed by its own reference) under
  :func:`dense_cells_cap`, and no shared-strings table announcing more strings
  than it can hold. Its blanks (``""``) become ``None``, its whole-day dates
  ``datetime``, and the error cells it reads as blank get the pre-scan's text.
- **streaming**: openpyxl in ``read_only`` and ``data_only`` mode, row by row
  with a column cap equal to the header width, for every other sheet (a stray
  cell at XFD1048576, cells without references), and for the whole workbook if
  calamine is missing or cannot open it.

Either way a table ends after :attr:`Limits.max_empty_rows` fully empty rows,
with a warning when the sheet's extent goes further.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from io import BytesIO
from itertools import islice
from typing import Any, Iterator

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from planner.schema import manifest
from planner.schema.problems import InputError, Problem, cell_ref, show
from planner.io.reading.damage import damaged_cells
from planner.io.reading.limits import Limits
from planner.io.reading.zipscan import SheetPart, SheetScan, ZipScan

try:  # the fast reader is optional: without it every sheet is streamed by openpyxl
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - depends on the environment
    CalamineWorkbook = None

#: Bytes per cell of calamine's dense grid (measured: about 30).
DENSE_CELL_BYTES = 32
#: A grid this small (about 32 MB) is fine whatever the sheet's size.
SMALL_GRID_CELLS = 1_000_000


def dense_cells_cap(limits: Limits, xml_bytes: int) -> int:
    """Most cells (rows x columns of a sheet's extent) the fast reader may allocate.

    At most one cell per byte of the sheet's XML (a real table takes 10-40
    bytes per cell; a stray cell far away makes a small sheet span a huge grid),
    but always :data:`SMALL_GRID_CELLS`; and never more than about 20 columns
    of a full-height table at :attr:`Limits.max_rows` (some 320 MB with the
    default limits). A larger or sparser extent is streamed by openpyxl instead.
    """
    ceiling = max(4_000_000, (limits.max_rows + limits.max_empty_rows) * 20)
    return min(ceiling, max(SMALL_GRID_CELLS, xml_bytes))


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


def read_sheets(data: bytes, scan: ZipScan, limits: Limits, fast: bool = True) -> RawWorkbook:
    """Read every manifest sheet found in the workbook into a :class:`RawSheet`.

    ``fast=False`` streams every sheet with openpyxl (the reference reader).
    """
    problems: list[Problem] = []
    with _Workbook(data, scan, limits, fast) as wb:
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
                        problems.append(Problem(title, "", "", title, f"one sheet named {sheet.name}; the "
                                                f"workbook also has {found[sheet.name]!r}"))
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
                        names = {norm(t): t for t in wb.sheetnames}
                        problems.append(Problem(sheet.name, "", "", "(missing)",
                                                f"a sheet named {sheet.name} (required)"
                                                f"{_hint(norm(sheet.name), names, True)}"))
                    continue
                part = parts.get(title)
                sheet_scan = scan.scans.get(part.path, SheetScan()) if part else SheetScan()
                try:
                    grid = wb.grid(title, part, sheet_scan)
                    if grid is None:  # a chartsheet
                        problems.append(Problem(sheet.name, "", "", "a chart sheet", "a worksheet with a table"))
                        continue
                    raw = _read_sheet(grid, sheet, sheet_scan, limits, problems)
                except Exception as exc:  # a reader failing on a damaged sheet: name its cells
                    problems += _damaged(data, part, sheet.name, exc)
                    continue
                if raw is not None:
                    sheets[sheet.name] = raw
        except InputError:
            raise
        except Exception as exc:  # malformed sheet XML surfaces while iterating
            raise InputError(problems + [Problem("", "", "", type(exc).__name__,
                                                 f"a readable workbook ({exc})")]) from None
    return RawWorkbook(sheets, problems)


def _damaged(data: bytes, part: SheetPart | None, sheet: str, exc: Exception) -> list[Problem]:
    """The cells of a sheet a reader failed on whose stored value does not fit their type
    (planner.io.reading.damage), else the sheet named with the reader's error."""
    found = damaged_cells(data, part.path, sheet) if part is not None else []
    return found or [Problem(sheet, "", "", f"{type(exc).__name__}: {exc}",
                             "a readable sheet: the workbook is damaged; open it in Excel (or LibreOffice) and "
                             "save it again")]


class _Grid:
    """One worksheet's values by Excel row, whichever reader holds them."""

    title: str
    #: The sheet's extent (recorded by openpyxl, real for calamine); None if unknown.
    max_row: int | None
    max_column: int | None

    def rows(self, min_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
        """Value tuples (at most ``max_col`` long, ``None`` = blank) from ``min_row`` down."""
        raise NotImplementedError


class _OpenpyxlGrid(_Grid):
    def __init__(self, ws) -> None:
        self.ws = ws
        self.title = ws.title
        self.max_row = ws.max_row
        self.max_column = ws.max_column

    def rows(self, min_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
        return self.ws.iter_rows(min_row=min_row, max_col=max_col, values_only=True)


class _CalamineGrid(_Grid):
    def __init__(self, title: str, sheet, scan: SheetScan) -> None:
        self.title = title
        self.sheet = sheet
        start, end = sheet.start, sheet.end
        self.start = start
        self.max_row = end[0] + 1 if end else 0
        self.max_column = end[1] + 1 if end else 0
        #: error cells (read as blank by calamine): row -> {column index: text}
        self.errors: dict[int, dict[int, str]] = {}
        for ref, text in scan.errors:
            c, r, _, _ = range_boundaries(ref)
            self.errors.setdefault(r, {})[c] = text

    def rows(self, min_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
        if self.start is None:  # no cell holds a value
            return
        # iter_rows pads the rows above the first value, not the columns left of it
        lead = self.start[1]
        pad = [""] * lead
        keep = max(max_col - lead, 0)
        errors = self.errors
        for number, row in enumerate(islice(self.sheet.iter_rows(), min_row - 1, None), start=min_row):
            values = (pad + row[:keep]) if lead else row[:max_col]
            # "" -> None (blank), date -> datetime (openpyxl's type for a whole-day date)
            out = [(v or None) if v.__class__ is str else
                   (datetime.combine(v, _MIDNIGHT) if v.__class__ is date else v) for v in values]
            if errors and number in errors:
                for col, text in errors[number].items():
                    if col <= max_col:
                        out.extend([None] * (col - len(out)))
                        out[col - 1] = text
            yield tuple(out)


_MIDNIGHT = time(0)


class _Workbook:
    """The workbook open in the fast reader, openpyxl, or both (sheet by sheet)."""

    def __init__(self, data: bytes, scan: ZipScan, limits: Limits, fast: bool) -> None:
        self.data = data
        self.limits = limits
        self.fast = None
        self.slow = None
        if fast and not scan.implausible and calamine_usable():
            try:
                book = CalamineWorkbook.from_filelike(BytesIO(data))
            except BaseException as exc:  # noqa: BLE001 - a Rust panic is not an Exception
                _reraise_unless_reader_error(exc)
            else:
                if [m.name for m in book.sheets_metadata] == [p.name for p in scan.sheets]:
                    self.fast = book
                else:
                    book.close()
        if self.fast is None:
            self.slow = self._openpyxl()
        self.sheetnames = [p.name for p in scan.sheets] if self.fast is not None else self.slow.sheetnames

    def _openpyxl(self):
        try:
            return openpyxl.load_workbook(BytesIO(self.data), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on malformed parts
            raise InputError([Problem("", "", "", type(exc).__name__,
                                      f"an .xlsx workbook openpyxl can open ({exc})")]) from None

    def grid(self, title: str, part: SheetPart | None, scan: SheetScan) -> _Grid | None:
        if self.fast is not None and part is not None:
            if not part.is_worksheet:
                return None
            bound = scan.cells_bound
            if bound is not None and bound <= dense_cells_cap(self.limits, scan.xml_bytes):
                try:
                    return _CalamineGrid(title, self.fast.get_sheet_by_name(title), scan)
                except BaseException as exc:  # noqa: BLE001
                    _reraise_unless_reader_error(exc)
        if self.slow is None:
            self.slow = self._openpyxl()
        ws = self.slow[title]
        return _OpenpyxlGrid(ws) if hasattr(ws, "iter_rows") else None

    def __enter__(self) -> "_Workbook":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.fast is not None:
            self.fast.close()
        if self.slow is not None:
            self.slow.close()


_PROBE_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_PROBE_RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
_PROBE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PROBE = {
    "[Content_Types].xml":
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": _PROBE_RELS + f'<Relationship Id="rId1" Type="{_PROBE_TYPE}officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook {_PROBE_NS} xmlns:r="{_PROBE_TYPE[:-1]}"><sheets>'
                       '<sheet name="T" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        _PROBE_RELS + f'<Relationship Id="rId1" Type="{_PROBE_TYPE}worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_PROBE_TYPE}styles" Target="styles.xml"/></Relationships>',
    "xl/styles.xml": f'<styleSheet {_PROBE_NS}><cellXfs count="2"><xf numFmtId="0"/>'
                     '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml":
        f'<worksheet {_PROBE_NS}><sheetData><row r="2"><c r="C2" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="D2"><v>1.5</v></c><c r="E2" t="b"><v>1</v></c></row><row r="3"><c r="C3" t="e"><v>#N/A</v></c>'
        '<c r="D3" s="1"><v>45658</v></c></row></sheetData></worksheet>',
}


@lru_cache(maxsize=1)
def calamine_usable() -> bool:
    """True when python-calamine is installed and reads a probe workbook as this
    module expects: ``start``/``end`` of the values, rows above the first value
    padded and columns left of it not, ``""`` for blank, float, bool and a date.
    Another behaviour (a future version) turns the fast reader off, never wrong."""
    if CalamineWorkbook is None:
        return False
    import zipfile

    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, text in _PROBE.items():
            archive.writestr(name, text)
    try:
        book = CalamineWorkbook.from_filelike(BytesIO(buf.getvalue()))
        try:
            names = [m.name for m in book.sheets_metadata]
            sheet = book.get_sheet_by_name("T")
            rows = [list(r) for r in sheet.iter_rows()]
            start, end = sheet.start, sheet.end
        finally:
            book.close()
    except BaseException as exc:  # noqa: BLE001
        _reraise_unless_reader_error(exc)
        return False
    return (names == ["T"] and start == (1, 2) and end == (2, 4) and len(rows) == 3 and rows[0] == ["", "", ""]
            and rows[1] == ["a", 1.5, True] and type(rows[1][2]) is bool
            and rows[2][0] in ("", "#N/A") and rows[2][2] == ""
            and rows[2][1] in (date(2025, 1, 1), datetime(2025, 1, 1)))


def _reraise_unless_reader_error(exc: BaseException) -> None:
    """Calamine errors (and Rust panics) mean "let openpyxl try"; anything else propagates."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def _hint(key: str, names: dict[str, Any], reverse: bool = False) -> str:
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    if not close:
        return ""
    target = names[close[0]]
    label = target if isinstance(target, str) else target.name
    return f" (found {label!r}: rename it?)" if reverse else f" (did you mean {label!r}?)"


def _read_sheet(ws: _Grid, sheet: manifest.Sheet, scan: SheetScan, limits: Limits,
                problems: list[Problem]) -> RawSheet | None:
    name = sheet.name
    extent_cols = ws.max_column or limits.max_columns
    width_cap = min(extent_cols, limits.max_columns)
    header_row = next(ws.rows(1, width_cap), ())
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
    unknown: dict[int, Any] = {}  # column index -> header text not in the manifest
    repeated: set[int] = set()
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
                repeated.add(idx)
            else:
                columns[col] = idx
        else:
            unknown[idx] = text
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
    # values outside the named columns: right of the header, under a blank or an unknown header
    outside = _Outside(set(columns.values()) | repeated, unknown)
    read_width = _read_width(ws, sheet, scan, limits, width)
    if width:
        empty_run = 0
        for row_number, values in enumerate(ws.rows(2, read_width), start=2):
            if len(values) > width or unknown or len(columns) < width:
                outside.see(row_number, values)
                values = values[:width]
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
    problems += outside.problems(sheet, columns, by_name)
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


#: Columns right of the header (or of the sheet's last template column) searched for values
#: that have no header: a header cleared at the end of the row shortens the header itself.
OUTSIDE_COLUMNS = 16


def _read_width(ws: _Grid, sheet: manifest.Sheet, scan: SheetScan, limits: Limits, width: int) -> int:
    """How many columns of each row to read: the header, and the cells right of it up to the
    sheet's extent, at most :data:`OUTSIDE_COLUMNS` past the wider of the header and the
    sheet's template columns."""
    extent = scan.max_col if scan.max_col and not scan.unplaced else (ws.max_column or width)
    reach = max(width, len(sheet.columns)) + OUTSIDE_COLUMNS
    return max(width, min(extent, reach, limits.max_columns))


class _Outside:
    """Values in columns without a template header (blank or unknown header text), which
    would otherwise be dropped silently while the column's default applies."""

    def __init__(self, headed: set[int], unknown: dict[int, Any]) -> None:
        self.unknown = unknown
        self.skip = headed  # columns with a template header (repeats are reported already)
        #: column index -> [count, first row, last row]
        self.seen: dict[int, list[int]] = {}

    def see(self, row_number: int, values: tuple[Any, ...]) -> None:
        skip = self.skip
        for idx, v in enumerate(values, start=1):
            if idx in skip or v is None or (isinstance(v, str) and not v.strip()):
                continue
            hit = self.seen.get(idx)
            if hit is None:
                self.seen[idx] = [1, row_number, row_number]
            else:
                hit[0] += 1
                hit[2] = row_number

    def problems(self, sheet: manifest.Sheet, columns: dict[str, int], by_name: dict[str, str]) -> list[Problem]:
        """Errors for values under a blank header, or under an unknown header that nearly names a
        template column the sheet lacks (a typo: the values would be lost); a warning for any
        other unknown header (SPEC: extra columns are allowed and ignored)."""
        name = sheet.name
        missing = {key: col for key, col in by_name.items() if col not in columns}
        out: list[Problem] = []
        for idx, text in self.unknown.items():
            count = self.seen.get(idx, [0])[0]
            typo = _hint(norm(text), missing)
            where = cell_ref(name, idx, 1)
            if typo and count:
                out.append(Problem(name, where, show(text), show(text),
                                   f"one of the columns of {name}{typo}; its {count} value(s) below would be "
                                   "ignored and the column's default used"))
            else:
                lost = f"; it and its {count} value(s) are ignored" if count else "; it is ignored"
                out.append(Problem(name, where, show(text), show(text),
                                   f"one of the columns of {name}{_hint(norm(text), by_name)}{lost}", "warning"))
        for idx, (count, first, last) in sorted(self.seen.items()):
            if idx in self.unknown:
                continue
            letter = get_column_letter(idx)
            cells = f"{name}!{letter}{first}" + (f":{letter}{last}" if last != first else "")
            template = sheet.columns[idx - 1].name if idx <= len(sheet.columns) else None
            hint = f" (the template has {template} in this column)" if template and template not in columns else ""
            out.append(Problem(name, cells, "", f"{count} value(s) under a blank header",
                               f"a column name in {name}!{letter}1{hint}: values without a header would be "
                               "ignored"))
        return out


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
