"""Small builders for input workbooks used by the reading tests.

``BASE`` is a small valid input as lists of rows (header first), so each test can
change exactly one cell and know its Excel address: list index 0 is row 1.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from planner.schema.problems import InputError, Problem
from planner.io.reading import Limits, read_input

BASE: dict[str, list[list[Any]]] = {
    "Settings": [["key", "value"], ["home_country", "IN"], ["first_year", 2025], ["years", 5]],
    "Materials": [["material", "name", "sector", "unit"],
                  ["Li", "Lithium", "mineral", "t"],
                  ["Co", "Cobalt", "mineral", "t"]],
    "Demand": [["material", "year", "quantity"], ["Li", 2025, 10], ["Li", 2026, 12], ["Co", 2025, 5]],
    "Countries": [["country", "name", "risk", "tariff", "allied"],
                  ["IN", "India", 0, None, True],
                  ["CN", "China", 0.6, 0.05, False],
                  ["AU", "Australia", 0.1, None, "yes"]],
    "Suppliers": [["supplier", "country"], ["S1", "CN"], ["S2", "AU"]],
    "Offers": [["supplier", "material", "unit_cost", "capacity", "available_from"],
               ["S1", "Li", 100, 50, None],
               ["S2", "Li", 120, None, 2027],
               ["S2", "Co", 50, None, None]],
    "Scenarios": [["scenario", "probability"], ["base", 0.8], ["ban", 0.2]],
    "Disruptions": [["scenario", "country", "capacity_factor"], ["ban", "CN", 0]],
    "Policies": [["material", "year", "scenario", "max_country_share"],
                 ["*", None, None, 0.6],
                 ["Li", None, None, 0.5]],
}


def base() -> dict[str, list[list[Any]]]:
    return copy.deepcopy(BASE)


def workbook_bytes(sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = (),
                   merges: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write(tmp_path: Path, sheets: dict[str, list[list[Any]]] | None = None, name: str = "in.xlsx",
          **kw: Any) -> Path:
    path = tmp_path / name
    path.write_bytes(workbook_bytes(base() if sheets is None else sheets, **kw))
    return path


def problems(path: Path, limits: Limits = Limits()) -> list[Problem]:
    """The errors reading ``path`` raises (fails the test when it reads fine)."""
    try:
        read_input(path, limits)
    except InputError as exc:
        assert exc.problems, "InputError without problems"
        return exc.problems
    raise AssertionError(f"{path.name} was read without errors")


def one(found: list[Problem], **match: Any) -> Problem:
    """The single problem with these attributes (sheet=..., cell=..., column=...)."""
    hits = [p for p in found if all(getattr(p, k) == v for k, v in match.items())]
    assert len(hits) == 1, f"expected one problem matching {match}, got {hits} among {found}"
    return hits[0]


def entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some parts replaced (and parts it lacks added at the end)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        names = set()
        for name, body in entries(data):
            names.add(name)
            z.writestr(name, replace.get(name, body))
        for name, body in replace.items():
            if name not in names:
                z.writestr(name, body)
    return out.getvalue()


def sheet_part(data: bytes, sheet_name: str) -> str:
    """The zip entry of a sheet written by :func:`workbook_bytes` (sheets are numbered in order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    names = [part.split('"')[0] for part in wb_xml.split('<sheet name="')[1:]]
    return f"xl/worksheets/sheet{names.index(sheet_name) + 1}.xml"


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, stored bytes, method, crc, declared unpacked size).

    Lets a test declare any size (a lying header) and store pre-compressed data.
    """
    out = io.BytesIO()
    central = []
    for name, body, method, crc, size in members:
        offset = out.tell()
        raw_name = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(body),
                              size, len(raw_name), 0))
        out.write(raw_name)
        out.write(body)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                                   len(body), size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    start = out.tell()
    for record in central:
        out.write(record)
    size_cd = out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size_cd, start, 0))
    return out.getvalue()


def deflated_zeros(mib: int) -> bytes:
    """Raw deflate data that inflates to ``mib`` MiB of zero bytes, built in milliseconds.

    After a full flush deflate restarts without history, so the compressed form of
    each further MiB of zeros is the same bytes: repeat them instead of compressing
    gigabytes.
    """
    zeros = bytes(1024 * 1024)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    assert comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH) == again
    return first + again * (mib - 1) + comp.flush()


def members_of(data: bytes) -> list[tuple[str, bytes, int, int, int]]:
    """The parts of a real workbook as :func:`raw_zip` members (stored, honest sizes)."""
    return [(name, body, 0, zlib.crc32(body), len(body)) for name, body in entries(data)]
