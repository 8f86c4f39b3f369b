"""Shared look and deterministic, atomic saving of the workbooks we write.

The input template (:mod:`planner.io.template`) and the plan writer
(:mod:`planner.io.plan`, also for comparison and diagnosis workbooks) write their
rows with :func:`append_rows` and save with :func:`workbook_bytes` and
:func:`write_atomic`. Two guarantees matter to users and tests:

- **Deterministic bytes.** The same data gives the same file, byte for byte:
  the document properties carry a fixed timestamp and every zip entry a fixed
  date, so a committed example can be checked against its generator.
- **Atomic write.** The file is written to a temporary file in the target's
  directory and moved over the target with :func:`os.replace`: a reader sees the
  old file or the new one, never a half-written one.

Large tables: :func:`append_rows` writes plain value rows (text, numbers,
booleans, blanks) as sheet XML directly, spliced into openpyxl's output at save
time, byte for byte what openpyxl would write for them (about 20x faster than
openpyxl's cell objects, which cost ~50 s for 100,000 rows). Number formats are
given per column, or per row where a column's unit varies by row; their cells read
back as openpyxl's would (the style table may number them in another order).
Header notes, data validations, defined names, frozen panes and the
``<dimension>`` record stay openpyxl's.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
import tempfile
import weakref
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from planner.io import targets
from planner.io.targets import WriteFailed

#: Timestamp written into every workbook we create (document created/modified).
FIXED_TIMESTAMP = _dt.datetime(2000, 1, 1, 0, 0, 0)
#: Date of every zip entry (the zip format starts in 1980).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
REQUIRED_FILL = PatternFill("solid", fgColor="833C0B")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH = 8
MAX_WIDTH = 60


def style_header(ws: Worksheet, required: list[bool] | None = None) -> None:
    """Bold, filled header row 1 (required columns darker), frozen below it."""
    for idx, cell in enumerate(ws[1]):
        cell.font = HEADER_FONT
        is_required = required is not None and idx < len(required) and required[idx]
        cell.fill = REQUIRED_FILL if is_required else HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def header_note(text: str) -> Comment:
    """A note for a header cell, sized to show its text (hover to read it)."""
    comment = Comment(text, "trust-planner")
    comment.width = 320
    comment.height = 40 + 18 * (text.count("\n") + len(text) // 45)
    return comment


def print_setup(ws: Worksheet, title_rows: str | None = "1:1", one_page: bool = False) -> None:
    """Landscape A4, one page wide (and one page tall if ``one_page``), ``title_rows``
    repeated on every page, the sheet's name and page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A, page &P of &N"


#: Points per line of 11-point text, and characters per unit of column width in wrapped text.
LINE_POINTS = 15.0
_CHARS_PER_WIDTH = 1.15


def wrapped_height(cells: Iterable[tuple[Any, float]]) -> float:
    """Row height, points, that shows every (text, column width) wrapped in full: spreadsheet
    programs do not all size rows to wrapped text they did not lay out themselves."""
    lines = 1
    for text, width in cells:
        per_line = max(1, int(width * _CHARS_PER_WIDTH) - 1)
        count = sum(max(1, -(-len(part) // per_line)) for part in str(text or "").split("\n"))
        lines = max(lines, count)
    return LINE_POINTS * lines


def set_width(ws: Worksheet, letter: str, texts: list[Any]) -> None:
    """Set a readable column width from a sample of the column's texts."""
    longest = max((len(str(t)) for t in texts if t is not None), default=0)
    ws.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


#: A column's number format for append_rows: None (General), one format for every row, or
#: one per row (None entries: General).
ColumnFormat = str | Sequence[str | None] | None


def style_id(ws: Worksheet, number_format: str) -> int:
    """The workbook's cell-style index (the ``s`` attribute of a cell) for a number format,
    registered as openpyxl registers the style of a cell it writes (a cell not placed on the
    sheet: the public ``style_id`` of a styled cell)."""
    cell = Cell(ws)
    cell.number_format = number_format
    return cell.style_id


@dataclass(frozen=True)
class _FastRows:
    xml: bytes  # the <row> elements
    first: int  # first row number
    last: int  # last row number
    dimension: str  # the sheet's extent with these rows, as openpyxl computes it


#: Rows written by append_rows, by worksheet.
_ROWS: "weakref.WeakKeyDictionary[Worksheet, _FastRows]" = weakref.WeakKeyDictionary()
_DIMENSION_RE = re.compile(rb'<dimension ref="[^"]*" />')


class _NotPlain(Exception):
    """A value append_rows leaves to openpyxl (dates, Decimal, inf, illegal characters...)."""


def append_rows(ws: Worksheet, rows: Iterable[list[Any]], formats: Sequence[ColumnFormat] | None = None
                ) -> None:
    """Append value rows below a worksheet's rows, as ``ws.append`` would, once per sheet.

    Rows of plain values (None, str, bool, int, float) are kept as sheet XML and
    spliced in by :func:`workbook_bytes`; nothing may be written to ``ws`` below
    them afterwards (saving checks). Any other value makes every row go through
    ``ws.append`` instead, with openpyxl's own checks and errors.

    ``formats`` gives each column's number format (:data:`ColumnFormat`); the cells
    get it as openpyxl cells with that ``number_format`` would (blank cells are not written).
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if ws in _ROWS:
        raise ValueError(f"append_rows: rows were already appended to {ws.title!r}")
    if not rows:
        return
    first = ws._current_row + 1
    width = max(len(row) for row in rows)
    styles = _column_styles(ws, formats or (), len(rows))
    try:
        if not width:
            raise _NotPlain(rows)
        xml = _rows_xml(rows, first, width, _style_attributes(ws, styles, width)).encode("utf-8")
    except (_NotPlain, UnicodeEncodeError):
        for index, row in enumerate(rows):
            ws.append(row)
            for column, style in enumerate(styles, start=1):
                fmt = style if style is None or isinstance(style, str) else style[index]
                if fmt is not None and column <= len(row) and row[column - 1] is not None:
                    ws.cell(row=ws._current_row, column=column).number_format = fmt
        return
    last = first + len(rows) - 1
    # openpyxl's calculate_dimension: ws.append makes a cell of every value, None too
    top = ws.min_row if ws._cells else first
    right = max(width, ws.max_column) if ws._cells else width
    dimension = f"A{top}:{get_column_letter(right)}{last}"
    _ROWS[ws] = _FastRows(xml, first, last, dimension)
    ws._current_row = last


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _column_styles(ws: Worksheet, formats: Sequence[ColumnFormat], n_rows: int) -> list:
    """Per column: None, a number format, or a list of per-row formats (checked for length)."""
    out: list = []
    for fmt in formats:
        if fmt is None or isinstance(fmt, str):
            out.append(fmt)
        else:
            fmt = list(fmt)
            if len(fmt) != n_rows:
                raise ValueError(f"append_rows: {len(fmt)} row formats for {n_rows} rows on {ws.title!r}")
            out.append(fmt)
    return out


def _style_attributes(ws: Worksheet, styles: list, width: int) -> list:
    """Per column the text put after a cell's reference: '' (General), ' s="N"', or a per-row list."""
    ids: dict[str, str] = {}

    def attribute(fmt: str | None) -> str:
        if fmt is None or fmt == "General":
            return ""
        if fmt not in ids:
            ids[fmt] = f' s="{style_id(ws, fmt)}"'
        return ids[fmt]

    out: list = []
    for column in range(width):
        style = styles[column] if column < len(styles) else None
        out.append(attribute(style) if style is None or isinstance(style, str) else [attribute(f) for f in style])
    return out


def _rows_xml(rows: list[list[Any]], first: int, width: int, attributes: list) -> str:
    """What openpyxl's writer produces for these values (etree_write_cell, write_row);
    ``attributes`` from :func:`_style_attributes`."""
    letters = [get_column_letter(i) for i in range(1, width + 1)]
    illegal = ILLEGAL_CHARACTERS_RE.search
    errors = set(ERROR_CODES)
    out: list[str] = []
    for index, (number, row) in enumerate(enumerate(rows, start=first)):
        n = str(number)
        out.append(f'<row r="{n}">')
        for letter, v, a in zip(letters, row, attributes):
            t = type(v)
            if v is None:
                continue
            if type(a) is list:
                a = a[index]
            if t is str:
                v = v[:32767]
                if illegal(v):
                    raise _NotPlain(v)
                if v == "":
                    out.append(f'<c r="{letter}{n}"{a} t="inlineStr" />')
                elif len(v) > 1 and v[0] == "=":
                    out.append(f'<c r="{letter}{n}"{a}><f>{_escape(v[1:])}</f><v /></c>')
                elif v in errors:
                    out.append(f'<c r="{letter}{n}"{a} t="e"><v>{v}</v></c>')
                else:
                    stripped = v.strip()
                    space = ' xml:space="preserve"' if stripped and stripped != v else ""
                    out.append(f'<c r="{letter}{n}"{a} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>')
            elif t is float or t is int:
                if t is float and not math.isfinite(v):
                    raise _NotPlain(v)
                out.append(f'<c r="{letter}{n}"{a} t="n"><v>{"%.16g" % v}</v></c>')
            elif t is bool:
                out.append(f'<c r="{letter}{n}"{a} t="b"><v>{"1" if v else "0"}</v></c>')
            else:
                raise _NotPlain(v)
        out.append("</row>")
    return "".join(out)


def _splice(xml: bytes, rows: _FastRows) -> bytes:
    """Sheet XML written by openpyxl with the fast rows added and the dimension widened."""
    end = xml.rindex(b"</sheetData>")
    dimension = f'<dimension ref="{rows.dimension}" />'.encode()
    head = _DIMENSION_RE.sub(lambda _: dimension, xml[:end], count=1)
    return head + rows.xml + xml[end:]


def workbook_bytes(wb: Workbook, timestamp: _dt.datetime = FIXED_TIMESTAMP, kind: str | None = None) -> bytes:
    """The workbook as .xlsx bytes, identical for identical content and ``timestamp``
    (the document's created/modified time: fixed for committed files, now for plans).

    ``creator`` and, for an output workbook, ``category`` (``kind``: plan, comparison,
    diagnosis) mark the file as ours: planner.io.targets lets a later command replace it."""
    wb.properties.created = timestamp
    wb.properties.modified = timestamp
    wb.properties.creator = targets.CREATOR
    wb.properties.lastModifiedBy = None
    if kind is not None:
        wb.properties.category = targets.category(kind)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # ExcelWriter directly: openpyxl's save_workbook would stamp "now".
        ExcelWriter(wb, archive).write_data()
    fast = {ws.path.lstrip("/"): _ROWS[ws] for ws in wb.worksheets if ws in _ROWS}
    for ws in wb.worksheets:
        if ws in _ROWS and ws._cells and max(r for r, _ in ws._cells) >= _ROWS[ws].first:
            raise ValueError(f"{ws.title!r}: cells written below the rows of append_rows")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename in fast:
                body = _splice(body, fast[info.filename])
            dst.writestr(fixed, body)
    return out.getvalue()


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temp file + os.replace).

    Any exception, an interrupt too, removes the temporary file; an OSError becomes
    :class:`WriteFailed`."""
    target = Path(path)
    try:
        _write_replacing(target, data)
    except OSError as exc:
        kept = "the previous file is unchanged" if target.exists() else "nothing was written"
        raise WriteFailed(f"could not write {target}: {exc.strerror or exc}; {kept}.") from exc
    return target


def _write_replacing(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save deterministically and atomically."""
    return write_atomic(path, workbook_bytes(wb))
