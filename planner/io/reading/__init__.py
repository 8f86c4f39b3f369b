"""Safe reading of an input workbook into a validated :class:`planner.schema.dataset.Dataset`.

``read_workbook(path)`` reads the file once into memory (at most
``Limits.max_file_bytes``), hashes it (SHA-256, into ``Dataset.source``),
pre-scans the zip from memory (:mod:`.zipscan`: entry count, declared and
streamed sizes, compression ratio, CRC, no DTD/entities, formulas without a
saved value, error cells, merged cells, each sheet's cell extent), then reads
the saved values (:mod:`.sheets`: python-calamine where the scan bounds what it
allocates, openpyxl in read-only, data-only mode otherwise) and validates them
(:mod:`planner.validation`), after applying the ``--set`` overrides to the cells
(:mod:`.overrides`).
Bad input of any kind raises :class:`planner.schema.problems.InputError` listing every
problem found; it never raises anything else for a bad file. The file is only
read, never written.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple, Sequence

import openpyxl.xml

from planner.schema.dataset import Dataset, Source
from planner.schema.problems import InputError, Problem
from planner.io.reading.limits import Limits
from planner.io.reading.overrides import Override
from planner.io.reading.sheets import RawWorkbook, read_sheets
from planner.io.reading.zipscan import prescan

__all__ = ["Limits", "Override", "RawInput", "ReadResult", "read_input", "read_workbook", "read_bytes", "read_raw",
           "defused"]


class ReadResult(NamedTuple):
    """The validated Dataset and the warnings (``dataset, warnings = read_input(path)``)."""

    dataset: Dataset
    warnings: list[Problem]


def defused() -> bool:
    """True when openpyxl parses XML through defusedxml (it does when installed).

    The pre-scan refuses any DOCTYPE/ENTITY declaration, so reading stays safe
    even if an environment variable (``OPENPYXL_DEFUSEDXML=False``) turns it off.
    """
    return bool(openpyxl.xml.DEFUSEDXML)


def read_workbook(path: str | os.PathLike[str], limits: Limits = Limits()) -> Dataset:
    """Read and validate ``path``; raises InputError with every problem found."""
    return read_input(path, limits).dataset


def read_input(path: str | os.PathLike[str], limits: Limits = Limits(),
               overrides: Sequence[Override] = ()) -> ReadResult:
    """Like :func:`read_workbook`, also returning the warnings (unknown sheets, columns...);
    ``overrides`` (:mod:`.overrides`) change cells before validation."""
    file = Path(path)
    data = read_file(file, limits)
    return read_bytes(data, file.name, limits, overrides)


def read_bytes(data: bytes, name: str = "<memory>", limits: Limits = Limits(),
               overrides: Sequence[Override] = ()) -> ReadResult:
    """Read and validate a workbook held in memory."""
    return read_raw(data, name, limits).validate(overrides)


class RawInput(NamedTuple):
    """A workbook's cells as read (nothing typed yet) and where they came from: read once,
    validated with different overrides (the sweep's points)."""

    raw: RawWorkbook
    source: Source

    def validate(self, overrides: Sequence[Override] = ()) -> ReadResult:
        """The validated Dataset of these cells with ``overrides`` applied, and the warnings;
        raises InputError naming an override where a problem is in a cell it wrote."""
        from planner.validation import validate
        from planner.io.reading.overrides import apply

        applied = apply(self.raw, overrides)
        source = replace(self.source, overrides=tuple(o.text for o in overrides)) if overrides else self.source
        try:
            dataset, warnings = validate(applied.raw, source)
        except InputError as exc:
            raise InputError(applied.relabel(exc.problems), applied.relabel(exc.warnings)) from None
        return ReadResult(dataset, applied.relabel(warnings))


def read_raw(data: bytes, name: str = "<memory>", limits: Limits = Limits()) -> RawInput:
    """Pre-scan and read a workbook held in memory, without validating it."""
    if len(data) > limits.max_file_bytes:
        raise _too_big(name, len(data), limits)
    source = Source(name=name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data))
    scan = prescan(data, limits, name)
    return RawInput(read_sheets(data, scan, limits), source)


def read_file(file: Path, limits: Limits = Limits()) -> bytes:
    """The bytes of ``file`` (at most ``limits.max_file_bytes``); InputError if unreadable."""
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(str(file))
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read, /dev/zero never end
            raise InputError([Problem("", "", "", str(file), "an .xlsx file; this is not a regular file (a pipe, "
                                      "a device or a socket)")])
        size = info.st_size
        if size > limits.max_file_bytes:
            raise _too_big(file.name, size, limits)
        with file.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError([Problem("", "", "", str(file), "an .xlsx file, not a directory")]) from None
    except OSError as exc:
        raise InputError([Problem("", "", "", str(file), f"a readable file ({exc.strerror or exc})")]) from None
    if len(data) > limits.max_file_bytes:
        raise _too_big(file.name, len(data), limits)
    return data


def _too_big(name: str, size: int, limits: Limits) -> InputError:
    return InputError([Problem("", "", "", f"{name}: {size:,} bytes",
                               f"a file of at most {limits.max_file_bytes:,} bytes (Limits.max_file_bytes; "
                               "the CLI can raise it)")])
