"""Seeded mutants of a valid input workbook, for the fuzz harness (test_fuzz.py).

A :class:`Workbook` holds the parts of an .xlsx as bytes; :func:`mutant` applies one to three
operators chosen by ``random.Random(seed)`` and returns the new bytes and what was done (so a
failing mutant is reproduced from its seed alone). Operators work on the sheet XML directly
(a cell replaced, a row removed, a header cleared or misspelt, a sheet renamed or dropped), or
on the stored value of a cell against its type (what a damaged file holds), or on the zip
itself (truncated, a flipped byte). Values come from :data:`VALUES`: the extremes, the
near-misses and the invisible characters that real users and broken files produce.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from planner.schema import manifest

#: Values a cell may be set to: numbers at and beyond the largest values, text where numbers
#: go, ids with invisible characters, Excel errors, formulas without a saved value.
VALUES: list[object] = [
    0, -1, -0.0, 0.5, 1, 2, 50, 100, 1e-300, 1e6, 1e12, 1e14, 1e15, 1e20, 1e300, 2 ** 53, 123456789.123,
    manifest.MAX_QUANTITY, manifest.MAX_MONEY, manifest.MAX_UNIT_MONEY, manifest.MAX_RATIO, manifest.MAX_COUNT,
    "", " ", "abc", "1,234.5", "50%", "1e3", "nan", "inf", "-", "TRUE", "yes", "2025-01-01", "LI\u200b", "Li",
    "CN", "\u00a0AU", "*", "x" * 300, "Ünïcödé", "[red]x[/red]", "=SUM(A1:A2)", True, False,
    ("error", "#N/A"), ("error", "#DIV/0!"), ("formula", "1+1"),
]

_CELL_RE = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_ROW_RE = re.compile(rb'<row r="([0-9]+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_SHEET_RE = re.compile(rb'<sheet name="([^"]*)"[^>]*?/>')


@dataclass
class Workbook:
    parts: dict[str, bytes]
    #: sheet name -> its worksheet part
    sheets: dict[str, str]

    @classmethod
    def from_bytes(cls, data: bytes) -> "Workbook":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        names = [m.decode() for m in _SHEET_RE.findall(parts["xl/workbook.xml"])]
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        targets = {}
        for tag in re.findall(r"<Relationship\b[^>]*>", rels):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
            targets[attrs["Id"]] = attrs["Target"]
        ids = re.findall(r'<sheet name="[^"]*"[^>]*?r:id="(rId\d+)"', parts["xl/workbook.xml"].decode())
        sheets = {}
        for name, rid in zip(names, ids):
            target = targets[rid].lstrip("/")
            sheets[name] = target if target.startswith("xl/") else "xl/" + target
        return cls(parts, sheets)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, body in self.parts.items():
                z.writestr(name, body)
        return out.getvalue()

    def copy(self) -> "Workbook":
        return Workbook(dict(self.parts), dict(self.sheets))


def mutant(base: Workbook, seed: int) -> tuple[bytes, list[str]]:
    """The bytes of mutant ``seed`` of ``base`` and the list of what was changed."""
    rng = random.Random(seed)
    wb = base.copy()
    done: list[str] = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(_XML_OPERATORS)
        done.append(op(wb, rng))
    data = wb.to_bytes()
    if rng.random() < 0.04:
        data, what = _zip_damage(data, rng)
        done.append(what)
    return data, done


# ---- operators on the sheet XML -------------------------------------------------------------

def _cells(xml: bytes) -> list[re.Match]:
    return list(_CELL_RE.finditer(xml))


def _pick_sheet(wb: Workbook, rng: random.Random) -> tuple[str, str]:
    name = rng.choice(sorted(wb.sheets))
    return name, wb.sheets[name]


def _cell_xml(ref: bytes, value: object) -> bytes:
    r = b'<c r="' + ref + b'"'
    if isinstance(value, tuple) and value[0] == "error":
        return r + b' t="e"><v>' + value[1].encode() + b"</v></c>"
    if isinstance(value, tuple) and value[0] == "formula":
        return r + b"><f>" + value[1].encode() + b"</f></c>"  # no saved value
    if isinstance(value, bool):
        return r + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, (int, float)):
        return r + b' t="n"><v>' + repr(float(value)).encode() + b"</v></c>"
    return r + b' t="inlineStr"><is><t xml:space="preserve">' + escape(str(value)).encode() + b"</t></is></c>"


def set_cell(wb: Workbook, rng: random.Random) -> str:
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    cells = _cells(xml)
    if not cells:
        return f"{name}: no cell to set"
    cell = rng.choice(cells)
    value = rng.choice(VALUES)
    ref = cell.group(1) + cell.group(2)
    wb.parts[part] = xml[:cell.start()] + _cell_xml(ref, value) + xml[cell.end():]
    return f"{name}!{ref.decode()} = {value!r}"


def clear_cell(wb: Workbook, rng: random.Random) -> str:
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    cells = _cells(xml)
    if not cells:
        return f"{name}: no cell to clear"
    cell = rng.choice(cells)
    wb.parts[part] = xml[:cell.start()] + xml[cell.end():]
    return f"{name}!{(cell.group(1) + cell.group(2)).decode()} cleared"


def edit_header(wb: Workbook, rng: random.Random) -> str:
    """A header cell cleared, misspelt (a letter dropped), or replaced by an unknown name."""
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    headers = [c for c in _cells(xml) if c.group(2) == b"1"]
    if not headers:
        return f"{name}: no header"
    cell = rng.choice(headers)
    text = re.search(rb"<t[^>]*>(.*?)</t>", cell.group(0))
    word = text.group(1).decode() if text else ""
    kind = rng.choice(("blank", "typo", "unknown", "case"))
    new = {"blank": None, "typo": word[:-1], "unknown": "notes", "case": f"  {word.upper()} "}[kind]
    ref = cell.group(1) + cell.group(2)
    body = b"" if new is None else _cell_xml(ref, new)
    wb.parts[part] = xml[:cell.start()] + body + xml[cell.end():]
    return f"{name}!{ref.decode()} header {word!r} -> {new!r}"


def remove_row(wb: Workbook, rng: random.Random) -> str:
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    rows = list(_ROW_RE.finditer(xml))
    if not rows:
        return f"{name}: no row"
    row = rng.choice(rows)
    wb.parts[part] = xml[:row.start()] + xml[row.end():]
    return f"{name} row {row.group(1).decode()} removed"


def copy_row_below(wb: Workbook, rng: random.Random) -> str:
    """A data row repeated below the table (a duplicate id or key)."""
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    rows = list(_ROW_RE.finditer(xml))
    if len(rows) < 2:
        return f"{name}: no data row"
    row = rng.choice(rows[1:])
    last = max(int(r.group(1)) for r in rows) + 1
    number = row.group(1)
    copy = re.sub(rb'(r="[A-Z]*)' + number + rb'"', lambda m: m.group(1) + str(last).encode() + b'"', row.group(0))
    end = xml.rindex(b"</sheetData>")
    wb.parts[part] = xml[:end] + copy + xml[end:]
    return f"{name} row {number.decode()} copied to row {last}"


def damage_cell(wb: Workbook, rng: random.Random) -> str:
    """A cell whose stored value does not fit its type, as a broken file holds it."""
    name, part = _pick_sheet(wb, rng)
    xml = wb.parts[part]
    cells = _cells(xml)
    if not cells:
        return f"{name}: no cell to damage"
    cell = rng.choice(cells)
    ref = cell.group(1) + cell.group(2)
    body = rng.choice((b' t="n"><v>abc</v></c>', b' t="s"><v>999</v></c>', b' t="b"><v>7</v></c>',
                       b' t="zz"><v>1</v></c>', b' t="d"><v>not a date</v></c>', b'><v>1.5.5</v></c>'))
    wb.parts[part] = xml[:cell.start()] + b'<c r="' + ref + b'"' + body + xml[cell.end():]
    return f"{name}!{ref.decode()} damaged: {body.decode()}"


def rename_sheet(wb: Workbook, rng: random.Random) -> str:
    name = rng.choice(sorted(wb.sheets))
    new = rng.choice((name.lower(), name + "s", "Sheet1", f" {name} "))
    book = wb.parts["xl/workbook.xml"]
    wb.parts["xl/workbook.xml"] = book.replace(b'<sheet name="' + escape(name).encode() + b'"',
                                               b'<sheet name="' + escape(new).encode() + b'"', 1)
    wb.sheets[new] = wb.sheets.pop(name)
    return f"sheet {name!r} renamed {new!r}"


def drop_sheet(wb: Workbook, rng: random.Random) -> str:
    name = rng.choice(sorted(wb.sheets))
    book = wb.parts["xl/workbook.xml"]
    wb.parts["xl/workbook.xml"] = re.sub(rb'<sheet name="' + re.escape(escape(name).encode()) + rb'"[^>]*?/>', b"",
                                         book, count=1)
    del wb.sheets[name]
    return f"sheet {name!r} dropped"


_XML_OPERATORS = [set_cell, set_cell, set_cell, set_cell, clear_cell, edit_header, remove_row, copy_row_below,
                  damage_cell, rename_sheet, drop_sheet]


# ---- operators on the zip ------------------------------------------------------------------

def _zip_damage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    if rng.random() < 0.5:
        cut = rng.randrange(len(data) // 4, len(data))
        return data[:cut], f"truncated at byte {cut} of {len(data)}"
    pos = rng.randrange(len(data))
    return data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:], f"byte {pos} flipped"
