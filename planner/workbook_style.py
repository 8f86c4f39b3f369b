"""Shared look and deterministic, atomic saving of the workbooks we write.

The input template (:mod:`planner.template`) uses these helpers; the plan writer
may too. Two guarantees matter to users and tests:

- **Deterministic bytes.** The same data gives the same file, byte for byte:
  the document properties carry a fixed timestamp and every zip entry a fixed
  date, so a committed example can be checked against its generator.
- **Atomic write.** The file is written to a temporary file in the target's
  directory and moved over the target with :func:`os.replace`: a reader sees the
  old file or the new one, never a half-written one.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

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


def set_width(ws: Worksheet, letter: str, texts: list[Any]) -> None:
    """Set a readable column width from a sample of the column's texts."""
    longest = max((len(str(t)) for t in texts if t is not None), default=0)
    ws.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes, identical for identical content."""
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.properties.creator = "trust-planner"
    wb.properties.lastModifiedBy = None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # ExcelWriter directly: openpyxl's save_workbook would stamp "now".
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temp file + os.replace)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
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
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save deterministically and atomically."""
    return write_atomic(path, workbook_bytes(wb))
