"""Where a worksheet is damaged, when a reader fails on it.

A cell's stored value must fit its type: a number cell (no ``t``, or ``t="n"``) holds a
number, a shared-string cell (``t="s"``) an index into the shared-strings table, a boolean
(``t="b"``) 0 or 1, a date (``t="d"``) an ISO date. Excel never writes anything else, but a
program or a broken copy can, and the readers then fail with ``invalid literal for int()``
or ``list index out of range`` and no cell. :func:`damaged_cells` is run on the sheet a
reader failed on (so it costs nothing on a sound workbook) and names those cells.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from html import unescape
from io import BytesIO

from planner.schema.problems import Problem, show

#: Cells named per sheet; the rest are counted.
SHOWN = 20

_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_V_RE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_REF_RE = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7})["']""")
_TYPE_RE = re.compile(rb"""\bt\s*=\s*["'](\w*)["']""")
_SI_RE = re.compile(rb"<(?:\w+:)?si[\s/>]")
_FIX = "the workbook is damaged: open it in Excel (or LibreOffice), retype the cell and save"


def damaged_cells(data: bytes, part: str, sheet: str) -> list[Problem]:
    """A problem for each cell of worksheet ``part`` whose stored value does not fit its type."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            xml = archive.read(part)
            strings = next((n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")), None)
            count = len(_SI_RE.findall(archive.read(strings))) if strings else 0
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return []
    found: list[Problem] = []
    more = 0
    for cell in _CELL_RE.finditer(xml):
        attrs, body = cell.group(1), cell.group(2) or b""
        v = _V_RE.search(body)
        if v is None:
            continue
        t = _TYPE_RE.search(attrs)
        kind = t.group(1).decode("ascii", "replace") if t else "n"
        text = unescape((v.group(1) or b"").decode("utf-8", "replace"))
        why = _misfit(kind, text, count)
        if why is None:
            continue
        if len(found) >= SHOWN:
            more += 1
            continue
        ref = _REF_RE.search(attrs)
        where = f"{sheet}!{ref.group(1).decode().upper()}" if ref else f"{sheet} (a cell without a position)"
        found.append(Problem(sheet, where, "", show(text), f"{why}; {_FIX}"))
    if more:
        found.append(Problem(sheet, "", "", f"{more} more damaged cell(s)", _FIX))
    return found


def _misfit(kind: str, text: str, strings: int) -> str | None:
    """Why ``text`` cannot be the stored value of a cell of type ``kind`` (None if it can)."""
    if kind == "n":
        return None if _is_number(text) else "a number, as the cell's type says (it stores text)"
    if kind == "s":
        if text.strip().isdigit() and int(text) < strings:
            return None
        return (f"an entry of the workbook's shared-strings table (it has {strings}), as the cell's type says; "
                "the index is broken")
    if kind == "b":
        return None if text.strip() in ("0", "1") else "TRUE or FALSE (0 or 1), as the cell's type says"
    if kind == "d":
        try:
            datetime.fromisoformat(text.strip())
            return None
        except ValueError:
            return "a date, as the cell's type says"
    if kind in ("e", "str", "inlineStr"):
        return None
    return f"a cell type Excel writes (found type {kind!r})"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
