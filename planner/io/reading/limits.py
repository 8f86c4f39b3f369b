"""Limits of safe reading: how big and how many, before anything is parsed.

The defaults admit a national-scale workbook (100,000 offer rows is about 5 MB
on disk and 40 MB of sheet XML) with a wide margin, and refuse hostile files
(zip bombs, inflated headers, stray cells at XFD1048576) within seconds and
with bounded memory. The CLI can raise them for an exceptional input.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: Largest input file read into memory (bytes on disk).
    max_file_bytes: int = 200 * MiB
    #: Largest total size of the unpacked zip entries (the XML text of all parts).
    max_unpacked_bytes: int = 512 * MiB
    #: Largest unpacked/packed ratio of one zip entry. Real sheet XML packs about
    #: 5-30x; a zip bomb of zeros packs about 1000x. Entries unpacking to less
    #: than ``ratio_floor_bytes`` are not held to it.
    max_ratio: float = 200.0
    #: Most entries (files) in the zip.
    max_entries: int = 10_000
    #: Most data rows read from one sheet.
    max_rows: int = 500_000
    #: Most columns read from one sheet (the header width is capped to it).
    max_columns: int = 512
    #: A run of this many fully empty rows ends a table.
    max_empty_rows: int = 1_000
    #: Entries smaller than this (unpacked) may have any compression ratio.
    ratio_floor_bytes: int = 1 * MiB

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) <= 0:
                raise ValueError(f"Limits.{f.name} must be positive")

    @classmethod
    def large(cls) -> "Limits":
        """Raised limits for an exceptional input (the CLI's ``--large-input``)."""
        return cls(max_file_bytes=1024 * MiB, max_unpacked_bytes=4096 * MiB, max_ratio=1000.0,
                   max_entries=100_000, max_rows=1_048_576, max_columns=16_384, max_empty_rows=10_000)

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, value, meaning) for the documentation and the CLI help."""
        return [(f.name, _human(f.name, getattr(self, f.name)), _MEANING[f.name]) for f in fields(self)]


_MEANING = {
    "max_file_bytes": "largest input file read into memory",
    "max_unpacked_bytes": "largest total unpacked size of the workbook's parts",
    "max_ratio": "largest unpacked/packed ratio of one part (above the ratio floor)",
    "max_entries": "most parts (zip entries) in the workbook",
    "max_rows": "most data rows read from one sheet",
    "max_columns": "most columns read from one sheet",
    "max_empty_rows": "a run of this many empty rows ends a table; anything below it is ignored "
                      "(with a warning)",
    "ratio_floor_bytes": "parts smaller than this unpacked may have any compression ratio",
}


def _human(name: str, value: float) -> str:
    if name.endswith("_bytes"):
        return f"{value / MiB:,.0f} MiB"
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value:,}"
