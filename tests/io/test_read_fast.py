"""The fast reader (python-calamine) reads what the streaming reader (openpyxl) reads,
and is only used where the pre-scan bounds what it allocates."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from input_helpers import base, entries, rezip, sheet_part, workbook_bytes
from planner.io.reading import Limits, read_bytes
from planner.io.reading import sheets as sheets_mod
from planner.io.reading.sheets import calamine_usable, read_sheets
from planner.io.reading.zipscan import _SheetScanner, prescan

pytestmark = pytest.mark.skipif(not calamine_usable(), reason="python-calamine not installed or not as expected")


def _kind(v: Any) -> str:
    # whole numbers: openpyxl gives int for "2025", calamine float; the validation treats both alike
    return "number" if type(v) in (int, float) else type(v).__name__


def _same(data: bytes, limits: Limits = Limits()) -> None:
    """Both readers give the same raw workbook: problems, columns, rows, types, flags."""
    scan = prescan(data, limits)
    fast = read_sheets(data, scan, limits, fast=True)
    slow = read_sheets(data, scan, limits, fast=False)
    assert fast.problems == slow.problems
    assert fast.sheets.keys() == slow.sheets.keys()
    for name, a in fast.sheets.items():
        b = slow.sheets[name]
        assert (a.title, a.columns, a.excel_rows, a.flagged, a.merged) == \
            (b.title, b.columns, b.excel_rows, b.flagged, b.merged), name
        assert a.rows == b.rows, name
        assert [[_kind(v) for v in r] for r in a.rows] == [[_kind(v) for v in r] for r in b.rows], name


def _grids(data: bytes, monkeypatch) -> dict[str, str]:
    """Which reader read each sheet: title -> "fast" / "streaming"."""
    used: dict[str, str] = {}
    fast_cls, slow_cls = sheets_mod._CalamineGrid, sheets_mod._OpenpyxlGrid

    class Fast(fast_cls):
        def __init__(self, title, *a):
            used[title] = "fast"
            super().__init__(title, *a)

    class Slow(slow_cls):
        def __init__(self, ws):
            used[ws.title] = "streaming"
            super().__init__(ws)

    monkeypatch.setattr(sheets_mod, "_CalamineGrid", Fast)
    monkeypatch.setattr(sheets_mod, "_OpenpyxlGrid", Slow)
    scan = prescan(data, Limits())
    read_sheets(data, scan, Limits())
    return used


# ------------------------------------------------------------------ same values


def test_base_is_read_fast_and_the_same(monkeypatch):
    data = workbook_bytes(base())
    _same(data)
    used = _grids(data, monkeypatch)
    assert set(used.values()) == {"fast"} and "Offers" in used


def test_every_kind_of_value_reads_the_same():
    books = base()
    books["Offers"][0] += ["freight_cost", "carbon_intensity", "contract_cost", "note"]
    values = [
        [" 10 ", "1,5", "10%", "#N/A"],  # numbers as text, an Excel error
        [dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 1, 12, 30), dt.date(2024, 2, 29), dt.time(6, 0)],
        [True, False, 0, -0.0],
        [1e-300, 12345678901234, 2025.5, " x "],
        ["=1+1", "é ü ß 中文", "x" * 3000, "tab\tand\nnewline"],
        [None, None, None, "=A1"],
        [dt.timedelta(hours=30), "#DIV/0!", "a&b<c>", 1.0],
    ]
    books["Offers"] = books["Offers"][:1] + [[f"S{i}", "Li", 1 + i, None, 2030] + extra
                                             for i, extra in enumerate(values)]
    books["Demand"][1][1] = dt.datetime(2025, 1, 1)  # a date in a year column
    _same(workbook_bytes(books))


def test_gaps_offsets_merges_hidden_and_wide_sheets_read_the_same():
    books = base()
    books["Demand"] += [[None] * 3] * 5 + [["Co", 2026, 5]]
    books["Countries"] = [[None] + row for row in books["Countries"]]  # table starts in column B
    books["Materials"][0] += [f"extra{i}" for i in range(30)]  # columns beyond Z
    books["Materials"][1] += list(range(30))
    books["Scenarios"] = [[None, None]] + books["Scenarios"]  # header not in row 1
    books["Policies"] += [[None] * 4] * 1000 + [["Co", None, None, 0.5]]  # below a 1000-row gap
    data = workbook_bytes(books, hidden=("Suppliers",), merges={"Materials": ["B2:B3"]})
    _same(data)
    _same(data, Limits(max_empty_rows=3, max_columns=8))


def test_formulas_with_and_without_saved_values_read_the_same():
    books = base()
    books["Offers"][1][2] = "=10+1"
    books["Offers"][2][2] = "=10+2"
    data = workbook_bytes(books)
    part = sheet_part(data, "Offers")
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).replace(b"<f>10+2</f><v />", b"<f>10+2</f><v>12</v>")
    _same(rezip(data, {part: xml}))


def _with_shared_strings(data: bytes) -> bytes:
    """The workbook as Excel stores it: shared strings, rows with spans and x14ac attributes."""
    import re

    strings: dict[bytes, int] = {}
    cell = re.compile(rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is>(<t(?: xml:space="preserve")?>.*?</t>)'
                      rb'</is></c>', re.S)

    def shared(m):
        index = strings.setdefault(m.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2) or b"", index)

    parts = dict(entries(data))
    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            xml = cell.sub(shared, parts[name]).replace(b' t="n">', b">")
            parts[name] = re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:9" x14ac:dyDescent="0.25"', xml).replace(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"', 1)
    _add_shared_strings(parts, (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(strings), len(strings)) + b"".join(b"<si>" + s + b"</si>" for s in strings) + b"</sst>"))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rezip(data, parts)


def _add_shared_strings(parts: dict[str, bytes], sst: bytes) -> None:
    """Put ``sst`` in ``parts`` as the shared-strings part, with its workbook relationship."""
    parts["xl/sharedStrings.xml"] = sst
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def test_shared_strings_workbook_reads_the_same(monkeypatch):
    books = base()
    books["Offers"].append(["S1", "Co", " 7 ", "x & <y>", None])
    data = _with_shared_strings(workbook_bytes(books))
    assert b"sharedStrings" in data
    _same(data)
    assert set(_grids(data, monkeypatch).values()) == {"fast"}


def test_text_differences_do_not_change_the_dataset(monkeypatch):
    """Known differences, all in text the validation strips: calamine trims text not marked
    xml:space="preserve" (Excel marks it; openpyxl does not mark whitespace-only text) and
    reads "<v> 7 </v>" as text, not 7. (It also reads an Excel escape like _x000D_ as the
    character it stands for, where openpyxl keeps the escape.)"""
    books = base()
    books["Materials"][1][1] = "Lithium"
    books["Demand"][1][2] = 10
    books["Offers"][1][4] = "   "  # whitespace only: blank either way
    data = workbook_bytes(books)
    parts = dict(entries(data))
    materials, demand = sheet_part(data, "Materials"), sheet_part(data, "Demand")
    parts[materials] = parts[materials].replace(b"<t>Lithium</t>", b"<t xml:space='default'>  Lithium </t>")
    parts[demand] = parts[demand].replace(b"<v>10</v>", b"<v> 10 </v>")
    data = rezip(data, parts)
    fast = read_bytes(data)
    monkeypatch.setattr(sheets_mod, "calamine_usable", lambda: False)
    slow = read_bytes(data)
    assert fast.warnings == slow.warnings
    for name, table in slow.dataset.tables.items():
        assert table.equals(fast.dataset.tables[name]), name
    assert fast.dataset.settings == slow.dataset.settings


def test_random_tables_read_the_same():
    rng = random.Random(7)
    pool = [None, "", "x y", "Li", " Co ", "#DIV/0!", "TRUE", "x&y", 0, 1, -3, 2.5, 1e20, True, False,
            dt.datetime(2026, 5, 4), dt.datetime(2026, 5, 4, 8, 0)]
    books = base()
    header = books["Offers"][0] + ["a", "b", "c"]
    books["Offers"] = [header] + [[rng.choice(pool) for _ in header] for _ in range(400)]
    _same(workbook_bytes(books))


def test_example_workbook_reads_the_same():
    _same((Path(__file__).resolve().parents[2] / "planner" / "data" / "example.xlsx").read_bytes())


# ------------------------------------------------------------------ bounded allocation


def _stray(ref: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(base())))
    wb["Offers"][ref] = "stray"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("ref, reader", [("XFD1048576", "streaming"), ("A1048576", "streaming"),
                                         ("XFD1", "fast"), ("Z900", "fast")])
def test_stray_cells_choose_the_reader_by_extent(ref, reader, monkeypatch):
    data = _stray(ref)
    _same(data)
    assert _grids(data, monkeypatch)["Offers"] == reader


def _lying_shared_strings(data: bytes) -> bytes:
    parts = dict(entries(data))
    _add_shared_strings(parts, b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                               b'uniqueCount="4000000000"><si><t>x</t></si></sst>')
    return rezip(data, parts)


def _unplaced_far_cell(data: bytes) -> bytes:
    part = sheet_part(data, "Offers")
    xml = dict(entries(data))[part].replace(
        b"</sheetData>", b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return rezip(data, {part: xml})


def test_hostile_counts_and_positions_are_streamed(monkeypatch):
    data = workbook_bytes(base())
    lying = _lying_shared_strings(data)
    assert prescan(lying, Limits()).implausible
    assert set(_grids(lying, monkeypatch).values()) == {"streaming"}
    unplaced = _unplaced_far_cell(data)
    offers = prescan(unplaced, Limits()).scans[sheet_part(data, "Offers")]
    assert offers.unplaced and offers.cells_bound is None
    assert _grids(unplaced, monkeypatch)["Offers"] == "streaming"
    _same(unplaced)


def test_hostile_files_read_within_a_small_address_space(tmp_path):
    """Each of these makes calamine reserve tens to hundreds of GB (the process aborts)
    if the guards let it read them; under a 4 GB address-space limit they must read."""
    data = workbook_bytes(base())
    files = {"xfd.xlsx": _stray("XFD1048576"), "sst.xlsx": _lying_shared_strings(data),
             "noref.xlsx": _unplaced_far_cell(data)}
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    script = textwrap.dedent(f"""
        import resource, sys
        from pathlib import Path
        from planner.io.reading import read_input
        from planner.schema.problems import InputError
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        for path in sorted(Path({str(tmp_path)!r}).glob("*.xlsx")):
            try:
                read_input(path)
            except InputError:
                pass
            print(path.name, "ok")
    """)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["noref.xlsx", "ok", "sst.xlsx", "ok", "xfd.xlsx", "ok"]


def test_error_cells_are_text_not_blank():
    books = base()
    books["Offers"][1][3] = "#N/A"  # capacity: optional, so a blank would silently mean "no limit"
    with pytest.raises(Exception) as info:
        read_bytes(workbook_bytes(books))
    assert any(p.cell == "Offers!D2" and p.value == "#N/A" for p in info.value.problems)


# ------------------------------------------------------------------ the extent scan


def _sheet_xml(cells: list[tuple[int, int]], odd: set[int]) -> bytes:
    """Cells in the given order; those in ``odd`` written another legal way."""
    parts = []
    for i, (row, col) in enumerate(cells):
        ref = openpyxl.utils.get_column_letter(col) + str(row)
        if i in odd:
            style = i % 3
            parts.append([f"<c s='1' r='{ref}'><v>1</v></c>", f'<x:c r="{ref}"><x:v>1</x:v></x:c>',
                          f'<c\nr="{ref}"/>'][style])
        else:
            parts.append(f'<c r="{ref}" t="n"><v>{i}</v></c>')
    body = "".join(f'<row r="{r}">{p}</row>' for (r, _), p in zip(cells, parts))
    return f'<worksheet xmlns="x"><sheetData>{body}</sheetData></worksheet>'.encode()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384)), min_size=1, max_size=60),
       st.sets(st.integers(0, 59), max_size=5), st.integers(1, 200), st.booleans())
def test_extent_covers_every_cell(cells, odd, chunk, sort):
    if sort:
        cells = sorted(cells)
    xml = _sheet_xml(cells, odd)
    scanner = _SheetScanner()
    for i in range(0, len(xml), chunk):
        scanner.feed(xml[i:i + chunk])
    scanner.close()
    scan = scanner.result
    assert not scan.unplaced
    assert scan.max_row == max(r for r, _ in cells) and scan.max_col == max(c for _, c in cells)


def test_cells_without_reference_are_unplaced():
    scanner = _SheetScanner()
    scanner.feed(b'<worksheet><sheetData><row r="1"><c r="A1"/><c t="s"><v>0</v></c></row></sheetData>')
    scanner.close()
    assert scanner.result.unplaced


@pytest.mark.parametrize("cut", [1, 3, 5, 12, 20, 31])
def test_lying_string_count_is_found_wherever_the_chunks_split(cut):
    from planner.io.reading.zipscan import _CountWatch

    xml = b'<x:sst xmlns:x="m" uniqueCount = "4000000000"><x:si><x:t>a:sst b</x:t></x:si></x:sst>'
    watch = _CountWatch(len(xml))
    for i in range(0, len(xml), cut):
        watch.feed(xml[i:i + cut])
    assert "uniqueCount=4,000,000,000" in watch.close()
    honest = _CountWatch(100)
    honest.feed(b'<sst uniqueCount="3"><si><t>ratio:sst x</t></si></sst>')
    assert honest.close() == ""
