"""Pre-scan of the .xlsx zip, from memory, before openpyxl touches it.

Everything here works on the bytes of the file already in memory and refuses a
hostile file before it can cost much time or memory:

1. the end-of-central-directory record is read by hand, so a zip declaring more
   entries than :attr:`Limits.max_entries` is refused before Python's zipfile
   builds its directory;
2. the directory's declared sizes are checked (total unpacked size, the
   unpacked/packed ratio of each entry, encryption, compression method);
3. every entry is then decompressed by *streaming* its raw deflate data with
   zlib in bounded chunks: an entry producing more than its header declares
   (a lying header), more than the remaining total budget or above the ratio
   limit is refused at once, so a 2 GiB sheet of zeros costs a few megabytes
   of decompression. The size and CRC-32 must then match the header, which is
   what openpyxl's zipfile reader will trust afterwards;
4. every entry is searched for ``<!DOCTYPE`` / ``<!ENTITY`` (UTF-8 and UTF-16):
   the parts of an .xlsx never need one, and refusing them stops entity
   expansion attacks (billion laughs) whatever XML parser runs later;
5. while streaming each worksheet, the scan collects its merged ranges and the
   cells holding a formula without a saved (cached) value, which openpyxl in
   ``data_only`` mode would silently read as blank.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from posixpath import dirname, join, normpath
from typing import Callable

from defusedxml import ElementTree as SafeET

from planner.problems import InputError, Problem
from planner.reading.limits import Limits

_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024
#: Parts kept in memory for parsing here (package and workbook relations).
_KEEP_CAP = 64 * 1024 * 1024

_DTD_RE = re.compile(rb"<!(?i:doctype|entity)|<\x00!\x00(?i:d|e)\x00|\x00<\x00!\x00(?i:d|e)")
_DTD_OVERLAP = 16

_NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_MAIN_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_DOC = "/officeDocument"
_WORKSHEET = "/worksheet"


def _fail(value: str, expected: str) -> InputError:
    return InputError([Problem("", "", "", value, expected)])


@dataclass
class SheetPart:
    """A sheet as the workbook lists it."""

    name: str
    path: str  # zip entry name, e.g. "xl/worksheets/sheet1.xml"
    state: str = "visible"  # visible, hidden, veryHidden
    is_worksheet: bool = True


@dataclass
class SheetScan:
    """What the streaming scan found in one worksheet part."""

    merges: list[str] = field(default_factory=list)
    #: (cell reference like "C4", formula text) of formulas without a saved value.
    formulas: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ZipScan:
    sheets: list[SheetPart]
    scans: dict[str, SheetScan]  # by part path
    unpacked_bytes: int = 0


def prescan(data: bytes, limits: Limits, name: str = "input") -> ZipScan:
    """Check the zip in ``data``; raise :class:`InputError` when it is unsafe or not an .xlsx."""
    _check_magic(data, name)
    _check_entry_count(data, limits)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error) as exc:
        raise _fail(name, f"an .xlsx workbook; the file is not a readable zip (corrupt or truncated: {exc})")
    _check_directory(infos, limits)
    by_name = {info.filename: info for info in infos}
    budget = _Budget(limits.max_unpacked_bytes)

    done: set[str] = set()

    def stream(path: str, sink: Callable[[bytes], None] | None = None, keep: bool = False) -> bytes:
        done.add(path)
        return _stream_entry(data, by_name[path], limits, budget, sink, keep)

    if "_rels/.rels" not in by_name:
        raise _fail(name, "an .xlsx workbook; the zip has no _rels/.rels (not an Office document)")
    root_rels = _parse(stream("_rels/.rels", keep=True), "_rels/.rels")
    workbook_path = _target(root_rels, "", _OFFICE_DOC) or "xl/workbook.xml"
    if workbook_path not in by_name:
        raise _fail(name, f"an .xlsx workbook; the zip has no workbook part ({workbook_path})")
    workbook = _parse(stream(workbook_path, keep=True), workbook_path)
    rels_path = join(dirname(workbook_path), "_rels", workbook_path.rsplit("/", 1)[-1] + ".rels")
    rels = _parse(stream(rels_path, keep=True), rels_path) if rels_path in by_name else None
    sheets = _sheets(workbook, rels, dirname(workbook_path))

    scans: dict[str, SheetScan] = {}
    sheet_paths = {s.path for s in sheets if s.is_worksheet}
    for info in infos:
        if info.filename in done or info.is_dir():
            continue
        if info.filename in sheet_paths:
            scanner = _SheetScanner()
            stream(info.filename, scanner.feed)
            scanner.close()
            scans[info.filename] = scanner.result
        else:
            stream(info.filename)
    return ZipScan(sheets, scans, budget.used)


def _check_magic(data: bytes, name: str) -> None:
    if not data:
        raise _fail(name, "an .xlsx workbook; the file is empty")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(name, "an .xlsx workbook; this is an old-format .xls or a password-protected file: "
                    "open it in Excel and save it as .xlsx without a password")
    if data[:2] != b"PK":
        raise _fail(name, "an .xlsx workbook (a zip file starting with PK); the file is something else")


def _check_entry_count(data: bytes, limits: Limits) -> None:
    """Read the entry count of the end-of-central-directory record by hand."""
    tail_start = max(0, len(data) - (65535 + 22))
    pos = data.rfind(b"PK\x05\x06", tail_start)
    if pos < 0 or pos + 22 > len(data):
        raise _fail("zip directory", "an .xlsx workbook; the zip's end record is missing (truncated file?)")
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count == 0xFFFF:
        loc = data.rfind(b"PK\x06\x07", max(0, pos - 20), pos)
        if loc >= 0 and loc + 20 <= len(data):
            eocd64 = struct.unpack_from("<Q", data, loc + 8)[0]
            if eocd64 + 40 <= len(data) and data[eocd64:eocd64 + 4] == b"PK\x06\x06":
                count = struct.unpack_from("<Q", data, eocd64 + 32)[0]
    if count > limits.max_entries:
        raise _fail(f"{count:,} zip entries", f"at most {limits.max_entries:,} parts (Limits.max_entries)")


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise _fail(f"{len(infos):,} zip entries", f"at most {limits.max_entries:,} parts (Limits.max_entries)")
    names: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in names:
            raise _fail(info.filename, "each part once; the zip holds this part twice (crafted file?)")
        names.add(info.filename)
        if info.flag_bits & 0x1:
            raise _fail(info.filename, "an unencrypted workbook; save it without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _fail(info.filename, f"stored or deflated parts; compression method {info.compress_type} "
                        "is not used by Excel")
        total += info.file_size
        if info.file_size > limits.max_unpacked_bytes:
            raise _fail(f"{info.filename}: {info.file_size:,} bytes unpacked",
                        f"at most {limits.max_unpacked_bytes:,} bytes (Limits.max_unpacked_bytes)")
        if info.file_size > limits.ratio_floor_bytes and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _fail(f"{info.filename}: packed {info.file_size / max(info.compress_size, 1):,.0f}:1",
                        f"a compression ratio of at most {limits.max_ratio:g}:1 (zip bomb?)")
    if total > limits.max_unpacked_bytes:
        raise _fail(f"{total:,} bytes unpacked in all",
                    f"at most {limits.max_unpacked_bytes:,} bytes (Limits.max_unpacked_bytes)")


class _Budget:
    def __init__(self, cap: int):
        self.cap = cap
        self.used = 0


def _stream_entry(data: bytes, info: zipfile.ZipInfo, limits: Limits, budget: _Budget,
                  sink: Callable[[bytes], None] | None, keep: bool) -> bytes:
    """Decompress one entry in bounded chunks, checking every limit as it goes."""
    name = info.filename
    off = info.header_offset
    if off < 0 or off + 30 > len(data) or data[off:off + 4] != b"PK\x03\x04":
        raise _fail(name, "a readable zip part; its local header is missing (corrupt or truncated file)")
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise _fail(name, "a complete zip part; the file ends inside it (truncated file)")
    raw = memoryview(data)[start:end]
    kept: list[bytes] = []
    produced = 0
    crc = 0
    tail = b""

    def emit(chunk: bytes, consumed: int) -> None:
        nonlocal produced, crc, tail
        produced += len(chunk)
        budget.used += len(chunk)
        if produced > info.file_size:
            raise _fail(f"{name}: more than the {info.file_size:,} bytes its header declares",
                        "a part as large as its zip header says (crafted or corrupt file; zip bomb?)")
        if budget.used > budget.cap:
            raise _fail(f"more than {budget.cap:,} bytes unpacked",
                        f"at most {budget.cap:,} bytes (Limits.max_unpacked_bytes)")
        if produced > limits.ratio_floor_bytes and produced > limits.max_ratio * max(consumed, 1):
            raise _fail(f"{name}: packed more than {limits.max_ratio:g}:1",
                        f"a compression ratio of at most {limits.max_ratio:g}:1 (zip bomb?)")
        crc = zlib.crc32(chunk, crc)
        window = tail + chunk
        if _DTD_RE.search(window):
            raise _fail(f"{name}: a DOCTYPE or ENTITY declaration",
                        "plain XML parts without DTDs (entity expansion attack?)")
        tail = window[-_DTD_OVERLAP:]
        if sink is not None:
            sink(chunk)
        if keep:
            if produced > _KEEP_CAP:
                raise _fail(name, f"a workbook part under {_KEEP_CAP:,} bytes")
            kept.append(chunk)

    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), _OUT_CHUNK):
            piece = bytes(raw[pos:pos + _OUT_CHUNK])
            emit(piece, pos + len(piece))
    else:
        inflater = zlib.decompressobj(-15)
        consumed = 0
        try:
            for pos in range(0, len(raw), _IN_CHUNK):
                piece = raw[pos:pos + _IN_CHUNK]
                consumed += len(piece)
                out = inflater.decompress(piece, _OUT_CHUNK)
                emit(out, consumed)
                while inflater.unconsumed_tail:
                    out = inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK)
                    emit(out, consumed)
                if inflater.eof:
                    break
            out = inflater.flush()
            if out:
                emit(out, consumed)
        except zlib.error as exc:
            raise _fail(name, f"a readable zip part; its compressed data is corrupt ({exc})")
        if not inflater.eof:
            raise _fail(name, "a complete zip part; its compressed data ends early (truncated file)")
    if produced != info.file_size:
        raise _fail(f"{name}: {produced:,} bytes, header says {info.file_size:,}",
                    "a part as large as its zip header says (corrupt file)")
    if crc != info.CRC:
        raise _fail(name, "a zip part whose checksum matches (corrupt file)")
    return b"".join(kept)


def _parse(xml: bytes, path: str):
    try:
        return SafeET.fromstring(xml, forbid_dtd=True)
    except Exception as exc:  # defusedxml and expat raise several kinds
        raise _fail(path, f"well-formed XML in the workbook part ({type(exc).__name__}: {exc})")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _target(rels, base_dir: str, type_suffix: str, rel_id: str | None = None) -> str | None:
    for rel in rels:
        if _local(rel.tag) != "Relationship":
            continue
        if rel_id is not None and rel.get("Id") != rel_id:
            continue
        if rel_id is None and not (rel.get("Type") or "").endswith(type_suffix):
            continue
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            return None
        if target.startswith("/"):
            return normpath(target.lstrip("/"))
        return normpath(join(base_dir, target)) if base_dir else normpath(target)
    return None


def _sheets(workbook, rels, base_dir: str) -> list[SheetPart]:
    parts: list[SheetPart] = []
    for elem in workbook.iter():
        if _local(elem.tag) != "sheet":
            continue
        rel_id = elem.get(f"{{{_NS_MAIN_R}}}id") or elem.get("id") or ""
        path = _target(rels, base_dir, "", rel_id) if rels is not None else None
        is_ws = False
        if rels is not None:
            for rel in rels:
                if rel.get("Id") == rel_id:
                    is_ws = (rel.get("Type") or "").endswith(_WORKSHEET)
        parts.append(SheetPart(elem.get("name") or "", path or "", elem.get("state") or "visible", is_ws))
    return parts


# --- the streaming worksheet scanner -------------------------------------------------

_BOUNDARY_RE = re.compile(rb"</(?:\w+:)?(?:c|row|sheetData)>|<(?:\w+:)?mergeCell\b[^>]*/>")
_HAS_F_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_F_RE = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V_RE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_REF_RE = re.compile(rb"\br=\"([A-Za-z]{1,3}[0-9]{1,7})\"")
_TYPE_RE = re.compile(rb"\bt=\"(\w+)\"")
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"")
#: Without a boundary in this many bytes, cut at the last '>' (degenerate XML).
_PENDING_CAP = 8 * 1024 * 1024


class _SheetScanner:
    """Finds merged ranges and formulas without a cached value in streamed sheet XML."""

    def __init__(self) -> None:
        self.result = SheetScan()
        self._pending = b""

    def feed(self, chunk: bytes) -> None:
        buf = self._pending + chunk
        cut = _last_boundary(buf)
        if cut == 0 and len(buf) > _PENDING_CAP:
            cut = buf.rfind(b">") + 1
        if cut:
            self._scan(buf[:cut])
            self._pending = buf[cut:]
        else:
            self._pending = buf

    def close(self) -> None:
        if self._pending:
            self._scan(self._pending)
            self._pending = b""

    def _scan(self, text: bytes) -> None:
        if _HAS_F_RE.search(text):
            for cell in _CELL_RE.finditer(text):
                body = cell.group(2)
                if not body:
                    continue
                f = _F_RE.search(body)
                if f is None:
                    continue
                v = _V_RE.search(body)
                attrs = cell.group(1)
                t = _TYPE_RE.search(attrs)
                cell_type = t.group(1) if t else b"n"
                if v is not None and (v.group(1) or cell_type == b"str"):
                    continue  # a saved result (possibly the empty string of a text formula)
                ref = _REF_RE.search(attrs)
                formula = unescape((f.group(1) or b"").decode("utf-8", "replace"))
                self.result.formulas.append(
                    (ref.group(1).decode().upper() if ref else "", f"={formula}" if formula else "(shared formula)"))
        if b"mergeCell" in text:
            self.result.merges.extend(m.group(1).decode("ascii", "replace") for m in _MERGE_RE.finditer(text))


def _last_boundary(buf: bytes) -> int:
    # Search backwards in growing windows: boundaries are dense in real sheets.
    size = 4096
    while True:
        start = max(0, len(buf) - size)
        last = None
        for last in _BOUNDARY_RE.finditer(buf, start):
            pass
        if last is not None:
            return last.end()
        if start == 0:
            return 0
        size *= 4
