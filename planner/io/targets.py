"""Where a command may write: the checks every writing command runs before it reads anything.

A command that writes (``solve -o/--explain/--log/--plots/--report``, ``compare -o``, ``template``,
``generate -o``, ``plots``, ``report``, ``sweep``/``frontier -o/--plans``, ``alternatives -o``) hands its inputs and output targets to :func:`check_targets`
first, so a mistake in a path costs no solve and destroys nothing. A target is refused when

- it is one of the command's inputs (the same file once paths and links are resolved, e.g.
  ``-o ./sub/../IN`` or a link to IN), or another target of the same command;
- it is a folder where a file is wanted, a file where a folder is wanted, not a regular
  file (a FIFO, a device), or lies below a file (``plan.xlsx/out.xlsx``);
- its folder cannot be written (no permission, read-only file system) or it is read-only;
- it is an existing file that trust-planner did not write, or one that holds a user's work.

What counts as a file of ours (:func:`file_kind`), and so may be replaced:

- a plan, comparison, diagnosis or what-if table workbook: core properties ``creator`` =
  ``trust-planner`` and ``category`` = ``trust-planner plan`` / ``... comparison`` / ``... table`` (the
  marker :func:`category` writes); workbooks written before the marker existed are
  recognised by ``creator`` and a first sheet ``Summary``;
- an input workbook of ours (blank template, generated instance) that nothing has saved
  since: ``creator`` = ``trust-planner``, an ``Instructions`` sheet, and the document's
  modified time still the fixed stamp our writer gives it (Excel, LibreOffice and openpyxl
  stamp the time of every save, so a filled-in template is the user's and is kept);
- an empty file (it holds nothing to lose);
- a HiGHS log: its first line is our header (:data:`LOG_HEADER`) or what HiGHS writes
  first (its banner ``Running HiGHS``, or ``MIP|LP ... has N rows; M cols``);
- a chart PNG: its ``Software`` text chunk is :data:`PNG_SOFTWARE`;
- an HTML report: its first 4 KB hold ``<meta name="generator" content="trust-planner``.

Replacing a file of ours is announced (:meth:`Checked.note`). Everything here only looks
(``stat``, a read of at most a few KB, and a probe file created and removed at once in the
folder that will be written); nothing is left behind.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal
from xml.etree import ElementTree

#: The marker in a workbook's core properties: ``creator`` and ``category`` = PREFIX + kind.
CREATOR = "trust-planner"
CATEGORY_PREFIX = "trust-planner "
#: Output workbooks that may replace one another ("table": a sweep, frontier or alternatives table).
OUTPUT_KINDS = ("plan", "comparison", "diagnosis", "table")
#: The first line trust-planner writes into a HiGHS log file (``solve --log``).
LOG_HEADER = "# trust-planner: HiGHS log"
#: The ``Software`` text chunk of chart PNGs we write.
PNG_SOFTWARE = "trust-planner"
#: What HiGHS itself writes first: its banner, or the size of the model it runs.
_HIGHS_LOG_RE = re.compile(rb"Running HiGHS |(?:LP|MIP|QP)\s.{0,200}?has \d+ rows; \d+ cols")
_HTML_MARKER = b'<meta name="generator" content="trust-planner'
#: The document time of input workbooks we write (planner.io.workbook_style.FIXED_TIMESTAMP).
_UNTOUCHED_STAMP = "2000-01-01T00:00:00Z"
_SNIFF_BYTES = 4096
_MAX_PART_BYTES = 1 << 20

Want = Literal["file", "folder"]
_KIND_WORDS = {"plan": "plan", "comparison": "comparison", "diagnosis": "diagnosis", "table": "what-if table",
               "input": "blank template "
               "or generated input", "output": "plan or comparison", "empty": "empty file", "log": "HiGHS log", "png": "chart",
               "report": "report"}


class TargetError(Exception):
    """An output target that must not be written; the message is a plain sentence."""


class WriteFailed(Exception):
    """Writing a file failed (disk full, file system gone read-only...); the message is a
    plain sentence that says the previous file, if any, is unchanged
    (raised by planner.io.workbook_style.write_atomic)."""


@dataclass(frozen=True)
class Target:
    """One place a command writes: ``path`` (a file, or a folder of files for ``want="folder"``)
    given by ``option`` (how the user named it: ``-o``, ``--log``, ``PATH``)."""

    path: Path
    option: str
    want: Want = "file"


@dataclass
class Checked:
    """The outcome of :func:`check_targets`: the files of ours that writing will replace
    (target path -> what it is, e.g. "plan"), to say so once written."""

    replaces: dict[Path, str] = field(default_factory=dict)

    def note(self, path: Path) -> str | None:
        """``replaced the previous plan at PATH``, if writing ``path`` replaced a file of ours."""
        what = self.replaces.get(path)
        return f"replaced the previous {what} at {path}" if what else None


def category(kind: str) -> str:
    """The core-property ``category`` marking a workbook of ``kind`` as ours."""
    return CATEGORY_PREFIX + kind


def check_targets(targets: Iterable[Target], inputs: Iterable[Path | None] = ()) -> Checked:
    """Refuse (TargetError) any target that must not be written; see the module docstring."""
    targets = [t for t in targets if t.path is not None]
    inputs = [Path(i) for i in inputs if i is not None]
    checked = Checked()
    for n, target in enumerate(targets):
        try:
            _not_an_input(target, inputs)
            for other in targets[:n]:
                if _same(target.path, other.path):
                    raise TargetError(f"{other.option} and {target.option} both name {target.path}: "
                                      "give each its own file.")
            if target.want == "folder":
                _check_folder(target)
            else:
                kind = _check_file(target)
                if kind:
                    checked.replaces[target.path] = _KIND_WORDS.get(kind, kind)
        except OSError as exc:  # e.g. a folder on the way that may not be looked into
            raise TargetError(f"{target.option} {target.path} cannot be used: {exc.strerror or exc}.") from None
    return checked


def _not_an_input(target: Target, inputs: list[Path]) -> None:
    for source in inputs:
        if _same(target.path, source):
            raise TargetError(f"{target.option} {target.path} is the input {source}: trust-planner never writes "
                              "over its input. Choose another name.")


def _same(a: Path, b: Path) -> bool:
    """Same file (links and ``..`` resolved; hard links by inode), or the same path to be."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def _check_folder(target: Target) -> None:
    path = target.path
    if path.exists():
        if not path.is_dir():
            raise TargetError(f"{target.option} {path} is a file; it needs a folder for the chart files.")
        _check_writable(target, path)
        return
    _check_parent(target, path)


def _check_file(target: Target) -> str | None:
    """None for a new file, else the kind of the file of ours it replaces (file_kind)."""
    path = target.path
    if path.is_dir():
        raise TargetError(f"{target.option} {path} is a folder; give a file name (e.g. {path / 'plan.xlsx'}).")
    _check_parent(target, path.parent)
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TargetError(f"{target.option} {path} cannot be used: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise TargetError(f"{target.option} {path} is not a regular file (a pipe or a device): give a file name.")
    kind = file_kind(path)
    if kind is None:
        raise TargetError(f"{target.option} {path} exists and was not written by trust-planner (or holds your "
                          "edits); it is left alone. Choose another name, or move the file away first.")
    if not os.access(path, os.W_OK):
        raise TargetError(f"{target.option} {path} is read-only; it is left alone.")
    return kind


def _check_parent(target: Target, folder: Path) -> None:
    """The nearest existing folder on the way to ``folder`` must be a folder we may write in
    (what is missing below it is created when writing)."""
    probe = folder if str(folder) else Path(".")
    while not probe.exists() and not probe.is_symlink():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise TargetError(f"{target.option} {target.path} cannot be created: {probe} is a file, not a folder.")
    _check_writable(target, probe)


def _check_writable(target: Target, folder: Path) -> None:
    """A file can be created in ``folder``: tried for real (a temporary file, removed at once),
    since permission bits say nothing for root and nothing of read-only or pseudo file systems."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            raise TargetError(f"{target.option} {target.path} cannot be written: {folder} is on a read-only "
                              "file system.")
        fd, probe = tempfile.mkstemp(prefix=".trust-planner-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise TargetError(f"{target.option} {target.path} cannot be written: no file can be created in "
                          f"{folder} ({exc.strerror or exc}).") from None


# ---- recognising our own files --------------------------------------------------------------

def file_kind(path: Path) -> str | None:
    """What file of ours ``path`` is (``plan``, ``comparison``, ``diagnosis``, ``output`` for an
    unmarked older plan or comparison, ``input`` for an untouched input workbook, ``empty``,
    ``log``, ``png``, ``report``), or None when it is not ours or holds a user's work."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return workbook_kind(path)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png" if _png_software(head) == PNG_SOFTWARE else None
    if head.startswith(LOG_HEADER.encode()) or _HIGHS_LOG_RE.match(head):
        return "log"
    if _HTML_MARKER in head:
        return "report"
    return None


def workbook_kind(path: Path) -> str | None:
    """The kind of an .xlsx written by trust-planner (see the module docstring), else None."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = _part(archive, "docProps/core.xml")
            book = _part(archive, "xl/workbook.xml")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    props = _core_properties(core)
    if props.get("creator") != CREATOR:
        return None
    marked = props.get("category", "")
    if marked.startswith(CATEGORY_PREFIX) and marked[len(CATEGORY_PREFIX):] in OUTPUT_KINDS:
        return marked[len(CATEGORY_PREFIX):]
    sheets = _sheet_names(book)
    if sheets[:1] == ["Summary"]:
        return "output"
    if "Instructions" in sheets and props.get("modified") == _UNTOUCHED_STAMP:
        return "input"
    return None


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > _MAX_PART_BYTES:
        raise ValueError(name)
    return archive.read(info)


def _core_properties(xml: bytes) -> dict[str, str]:
    if b"<!" in xml:  # no DTD or entities in a part we parse
        return {}
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return {}
    return {el.tag.rsplit("}", 1)[-1]: (el.text or "").strip() for el in root}


def _sheet_names(xml: bytes) -> list[str]:
    return [m.decode("utf-8", "replace") for m in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)]


def _png_software(head: bytes) -> str | None:
    """The ``Software`` tEXt chunk among the first chunks of a PNG (matplotlib writes its
    metadata right after the header)."""
    pos = 8
    while pos + 8 <= len(head):
        length = int.from_bytes(head[pos:pos + 4], "big")
        kind = head[pos + 4:pos + 8]
        body = head[pos + 8:pos + 8 + length]
        if kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            if key == b"Software":
                return value.decode("latin-1")
        if kind == b"IDAT":
            return None
        pos += 12 + length
    return None
