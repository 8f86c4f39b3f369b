"""Hostile and broken files are refused quickly, with bounded memory, as problems."""

from __future__ import annotations

import time
import tracemalloc
import zlib

import openpyxl
import pytest

from input_helpers import (base, deflated_zeros, members_of, problems, raw_zip, rezip, sheet_part,
                           workbook_bytes, write)
from planner.schema.problems import InputError
from planner.io.reading import Limits, defused, read_bytes, read_input

GiB = 1024 ** 3


def _only(found):
    assert len(found) == 1, found
    return found[0]


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True
    assert defused()


def test_not_an_xlsx_at_all(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("planner notes, not a workbook\n")
    p = _only(problems(path))
    assert p.sheet == "" and "this is a text file (CSV?)" in p.expected and "save it as" in p.expected
    path.write_bytes(b"\x00\x01binary")
    assert "a zip file starting with PK" in _only(problems(path)).expected


def test_old_xls_is_named(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    assert ".xls" in _only(problems(path)).expected


def test_empty_file_and_directory(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert "empty" in _only(problems(tmp_path / "empty.xlsx")).expected
    assert "directory" in _only(problems(tmp_path)).expected


def test_missing_file(tmp_path):
    assert "readable file" in _only(problems(tmp_path / "nope.xlsx")).expected


def test_truncated_zip(tmp_path):
    data = workbook_bytes(base())
    for cut in (len(data) // 2, len(data) - 10):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        assert "truncated" in _only(problems(path)).expected


def test_corrupt_part(tmp_path):
    data = bytearray(workbook_bytes(base()))
    mid = len(data) // 3
    data[mid:mid + 40] = bytes(40)
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    assert problems(path)  # an InputError, whatever the damage hit


def _bomb_workbook(declared: int, mib: int = 2048) -> bytes:
    """A valid workbook whose Offers sheet is replaced by ``mib`` MiB of deflated zeros."""
    data = workbook_bytes(base())
    target = sheet_part(data, "Offers")
    members = []
    for name, body, method, crc, size in members_of(data):
        if name == target:
            members.append((name, deflated_zeros(mib), zlib.DEFLATED, 0, declared))
        else:
            members.append((name, body, method, crc, size))
    return raw_zip(members)


def _refused_fast(data: bytes, limits: Limits = Limits()) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as info:
            read_bytes(data, "bomb.xlsx", limits)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 5, elapsed
    assert peak < 64 * 1024 * 1024, peak
    return _only(info.value.problems).expected


def test_zip_bomb_with_honest_header_is_refused_from_the_directory():
    data = _bomb_workbook(declared=2 * GiB)
    assert len(data) < 4 * 1024 * 1024
    assert "Limits.max_unpacked_bytes" in _refused_fast(data)


def test_zip_bomb_with_lying_header_is_refused_while_streaming():
    # The header claims 5,000 bytes; the data would inflate to 2 GiB.
    assert "header" in _refused_fast(_bomb_workbook(declared=5000))


def test_zip_bomb_under_the_ratio_limit_stops_at_the_byte_cap():
    limits = Limits(max_ratio=1e9, max_unpacked_bytes=64 * 1024 * 1024)
    assert "max_unpacked_bytes" in _refused_fast(_bomb_workbook(declared=2 * GiB - 1, mib=200), limits)


def test_compression_ratio_limit_while_streaming():
    # Honest header below the unpacked cap, but a ratio no sheet has.
    limits = Limits(max_unpacked_bytes=600 * 1024 * 1024)
    data = _bomb_workbook(declared=20 * 1024 * 1024, mib=20)
    assert "ratio" in _refused_fast(data, limits)


def test_too_many_entries():
    data = workbook_bytes(base())
    assert "max_entries" in _only(_problems_bytes(data, Limits(max_entries=5))).expected


def test_file_size_limit(tmp_path):
    path = write(tmp_path)
    assert "max_file_bytes" in _only(problems(path, Limits(max_file_bytes=1000))).expected


def _problems_bytes(data: bytes, limits: Limits = Limits()):
    with pytest.raises(InputError) as info:
        read_bytes(data, "x.xlsx", limits)
    return info.value.problems


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_entities_are_refused(encoding):
    data = workbook_bytes(base())
    xml = BILLION_LAUGHS.decode().encode(encoding)
    bad = rezip(data, {sheet_part(data, "Materials"): xml})
    p = _only(_problems_bytes(bad))
    assert "DTD" in p.expected and "DOCTYPE" in p.value


def test_external_entity_in_shared_part_is_refused():
    data = workbook_bytes(base())
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&x;'
           b'</Relationships>')
    assert "DTD" in _only(_problems_bytes(rezip(data, {"_rels/.rels": xxe}))).expected


def test_malformed_sheet_xml_is_a_problem_not_a_traceback():
    data = workbook_bytes(base())
    bad = rezip(data, {sheet_part(data, "Demand"): b"<worksheet><sheetData><row><c r='A1'>"})
    assert _problems_bytes(bad)


def test_stray_cell_at_xfd1048576_is_read_quickly(tmp_path):
    books = base()
    data = workbook_bytes(books)
    wb = openpyxl.load_workbook(__import__("io").BytesIO(data))
    wb["Offers"]["XFD1048576"] = "stray"
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    started = time.perf_counter()
    dataset, warnings = read_input(path)
    assert time.perf_counter() - started < 5
    assert len(dataset["Offers"]) == 3
    assert any(w.sheet == "Offers" and "ignored" in w.expected for w in warnings)


def test_rows_beyond_max_rows_are_an_error(tmp_path):
    books = base()
    books["Demand"].append(["Co", 2026, 5])
    p = _only(problems(write(tmp_path, books), Limits(max_rows=3)))
    assert p.sheet == "Demand" and p.row == 5 and "max_rows" in p.expected


def test_input_file_is_unchanged_by_reading(tmp_path):
    import hashlib

    path = write(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    stat = path.stat()
    dataset, _ = read_input(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before == dataset.source.sha256
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert dataset.source.name == "in.xlsx" and dataset.source.size_bytes == stat.st_size
