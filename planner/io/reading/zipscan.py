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
   cells holding a formula without a saved (cached) value, which a reader of
   saved values would silently read as blank, and the cells holding an Excel
   error (``#N/A``...), which the fast reader would also read as blank;
6. it also records what the fast reader (:mod:`python_calamine`, which loads a
   whole sheet into a dense grid) would allocate: the real extent of each
   worksheet's cells (largest row and column of any cell, or that a cell has no
   readable position), and any shared-strings table announcing more strings
   than its part can hold (``<sst uniqueCount>`` is reserved up front). The
   reader uses the fast path only when these are plausible (see
   :mod:`.sheets`); otherwise it streams the sheet with openpyxl.
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

from planner.schema.problems import InputError, Problem
from planner.io.reading.limits import Limits

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
    #: (cell reference, text like "#N/A") of cells holding an Excel error value.
    errors: list[tuple[str, str]] = field(default_factory=list)
    #: Largest row and column (1-based) of any cell element, valued or not.
    max_row: int = 0
    max_col: int = 0
    #: A cell whose position could not be read (no ``r`` attribute, odd reference):
    #: its place depends on its neighbours, so the extent above is no bound.
    unplaced: bool = False
    #: Unpacked size of the sheet's XML.
    xml_bytes: int = 0

    @property
    def cells_bound(self) -> int | None:
        """Cells of the dense grid spanning every cell (None when unbounded)."""
        return None if self.unplaced else self.max_row * self.max_col


@dataclass
class ZipScan:
    sheets: list[SheetPart]
    scans: dict[str, SheetScan]  # by part path
    unpacked_bytes: int = 0
    #: Why a reader that trusts declared counts must not read this file (empty: it may).
    implausible: list[str] = field(default_factory=list)


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
    implausible: list[str] = []

    def stream(path: str, sink: Callable[[bytes], None] | None = None, keep: bool = False) -> bytes:
        done.add(path)
        info = by_name[path]
        watch = _CountWatch(info.file_size)

        def both(chunk: bytes) -> None:
            watch.feed(chunk)
            if sink is not None:
                sink(chunk)

        kept = _stream_entry(data, info, limits, budget, both, keep)
        problem = watch.close()
        if problem:
            implausible.append(f"{path}: {problem}")
        return kept

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
            scanner.result.xml_bytes = info.file_size
            scans[info.filename] = scanner.result
        else:
            stream(info.filename)
    return ZipScan(sheets, scans, budget.used, implausible)


def _check_magic(data: bytes, name: str) -> None:
    if not data:
        raise _fail(name, "an .xlsx workbook; the file is empty")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(name, "an .xlsx workbook; this is an old-format .xls or a password-protected file: "
                    "open it in Excel and save it as .xlsx without a password")
    if data[:2] != b"PK":
        if _looks_like_text(data[:4096]):
            raise _fail(name, "an .xlsx workbook; this is a text file (CSV?): open it in Excel or LibreOffice "
                        "and save it as an Excel workbook (.xlsx)")
        raise _fail(name, "an .xlsx workbook (a zip file starting with PK); the file is something else")
    if data[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument" in data[38:120]:
        raise _fail(name, "an .xlsx workbook; this is an OpenDocument file (.ods, e.g. from LibreOffice): "
                    "save it as an Excel workbook (.xlsx) with File > Save As")


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
        text = head[:exc.start].decode("utf-8")  # the sample cut a character in two
    return bool(text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text.lstrip("\ufeff"))


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
        # The substring tests are the regex's literal parts, searched at memchr speed.
        if (b"<!" in window or b"<\x00!" in window) and _DTD_RE.search(window):
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

# Cell extent (see _SheetScanner._extent).
_CANON_REF_RE = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_ODD_CELL_RE = re.compile(rb'<c(?! r="[A-Z]{1,3}+[1-9][0-9]{0,6}+")[\s/>]')
_ANY_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])([^>]*)>")
_R_ATTR_RE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LOOSE_REF_RE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
# Error cells: a cheap trigger, then the type of each cell.
_ERROR_T_RE = re.compile(rb"""t\s*=\s*["']e["']""")
_ANY_TYPE_RE = re.compile(rb"""(?:^|\s)t\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Shared-strings counts (see _CountWatch).
_SST_OPEN_RE = re.compile(rb"[<:]sst[\s/>]")
_SST_TAG_RE = re.compile(rb"""sst((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
#: A start tag cut by the end of the chunk (possessive: no backtracking).
_SST_PARTIAL_RE = re.compile(rb"""sst(?:\s|[^\s=/>"']++|=|"[^"]*+"?|'[^']*+'?)*+/?""")
_UNIQUE_RE = re.compile(rb"""(?:^|\s)uniqueCount\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_CAP = 64 * 1024


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _greater(s: str, low: str, high: str, first: str) -> str:
    """Regex for words over [low-high] greater than ``s``: longer (not starting below
    ``first``), or as long and greater letter by letter."""
    alts = [f"[{first}-{high}][{low}-{high}]{{{len(s)},}}"]
    for i, ch in enumerate(s):
        if ch != high:
            rest = len(s) - i - 1
            alts.append(s[:i] + f"[{chr(ord(ch) + 1)}-{high}]" + (f"[{low}-{high}]{{{rest}}}" if rest else ""))
    return "|".join(alts)


def _beyond_re(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """Matches a cell start tag beyond (max_row, max_col), or not of the plain
    ``<c r="B12"`` form (another prefix, attribute order, spacing or reference)."""
    cols = _greater(_column_letters(max_col), "A", "Z", "A") if max_col else "[A-Z]{1,3}"
    rows = _greater(str(max_row), "0", "9", "1") if max_row else "[1-9][0-9]*"
    # Possessive quantifiers: a reference is read once per alternative, never re-split.
    return re.compile(
        rb'<c(?: r="(?:(?:' + cols.encode() + rb')[0-9]|[A-Z]{1,3}+(?:' + rows.encode() + rb')")'
        rb'|(?! r="[A-Z]{1,3}+[1-9][0-9]{0,6}+")[\s/>])')


class _SheetScanner:
    """Finds merged ranges, formulas without a cached value, error cells and the
    cells' extent in streamed sheet XML."""

    def __init__(self) -> None:
        self.result = SheetScan()
        self._pending = b""
        self._beyond_key: tuple[int, int] | None = None
        self._beyond = _beyond_re(0, 0)

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
        self._extent(text)
        if (b'"e"' in text or b"'e'" in text) and _ERROR_T_RE.search(text):
            self._errors(text)
        if (b"<f" in text or b":f" in text) and _HAS_F_RE.search(text):
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

    def _extent(self, text: bytes) -> None:
        """Raise max_row/max_col to cover every cell of ``text`` (or set ``unplaced``).

        Fast path, for the cells Excel, openpyxl and most writers produce
        (``<c r="B12"`` first): take the last such reference of the chunk, then one
        regex pass looks for any cell beyond the extent so far or written any
        other way; only then is every cell of the chunk parsed.
        """
        res = self.result
        if res.unplaced:
            return
        pos = text.rfind(b'<c r="')
        if pos >= 0:
            last = _CANON_REF_RE.match(text, pos)
            if last is not None:
                res.max_col = max(res.max_col, _column_number(last.group(1)))
                res.max_row = max(res.max_row, int(last.group(2)))
        key = (res.max_row, res.max_col)
        if key != self._beyond_key:
            self._beyond = _beyond_re(*key)
            self._beyond_key = key
        if self._beyond.search(text) or b":c" in text:
            self._exact_extent(text)

    def _exact_extent(self, text: bytes) -> None:
        res = self.result
        if not _ODD_CELL_RE.search(text) and b":c" not in text:
            # every cell is written <c r="B12" ...: collect the references in one pass
            refs = _CANON_REF_RE.findall(text)
            if refs:
                res.max_col = max(res.max_col, max(_column_number(c) for c in {c for c, _ in refs}))
                res.max_row = max(res.max_row, max(int(r) for r in {r for _, r in refs}))
            return
        for tag in _ANY_CELL_RE.finditer(text):
            attr = _R_ATTR_RE.search(tag.group(1) or b"")
            ref = _LOOSE_REF_RE.fullmatch(attr.group(1) or attr.group(2) or b"") if attr else None
            if ref is None or int(ref.group(2)) == 0:
                res.unplaced = True
                return
            res.max_col = max(res.max_col, _column_number(ref.group(1).upper()))
            res.max_row = max(res.max_row, int(ref.group(2)))

    def _errors(self, text: bytes) -> None:
        for cell in _CELL_RE.finditer(text):
            attrs = cell.group(1)
            t = _ANY_TYPE_RE.search(attrs)
            if t is None or (t.group(1) or t.group(2)) != b"e":
                continue
            v = _V_RE.search(cell.group(2) or b"")
            value = unescape((v.group(1) or b"").decode("utf-8", "replace")) if v else ""
            attr = _R_ATTR_RE.search(attrs)
            ref = _LOOSE_REF_RE.fullmatch(attr.group(1) or attr.group(2) or b"") if attr else None
            if ref and value:
                self.result.errors.append((ref.group(0).decode().upper(), value))


class _CountWatch:
    """Finds ``<sst uniqueCount="N">`` start tags (any prefix) in a part's stream.

    A reader may reserve room for N strings before reading one; N larger than
    the part could hold (each ``<si/>`` takes at least 5 bytes) is a lie that
    would cost gigabytes. :attr:`problem` says what was wrong, or "".
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.tail = b""
        self.problem = ""

    def feed(self, chunk: bytes) -> None:
        if self.problem:
            return
        window = self.tail + chunk
        self.tail = window[-8:]
        if b"sst" not in window:
            return
        for m in _SST_OPEN_RE.finditer(window):
            tag = _SST_TAG_RE.match(window, m.start() + 1)
            if tag is None:
                if _SST_PARTIAL_RE.fullmatch(window, m.start() + 1) is None:
                    continue  # not a start tag (text such as "ratio:sst x")
                if len(window) - m.start() <= _TAG_CAP:
                    self.tail = window[m.start():]  # the tag may end in the next chunk
                else:
                    self.problem = "a shared-strings start tag that does not end"
                return
            count = _UNIQUE_RE.search(tag.group(1))
            text = (count.group(1) or count.group(2) or b"").strip() if count else b""
            if text.lstrip(b"+").isdigit() and int(text) > self.size // 5 + 16:
                self.problem = f"uniqueCount={int(text):,} strings in a part of {self.size:,} bytes"
                return

    def close(self) -> str:
        return self.problem


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
