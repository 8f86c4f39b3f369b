"""Small helpers to read Dataset tables column-wise (no pandas row loops)."""

from __future__ import annotations

from typing import Any

from planner.schema.dataset import blank  # noqa: F401 - the params modules read it from here


def col(table, name: str) -> list[Any]:
    """A table column as a plain list."""
    return table[name].tolist()


def num(value: Any, default: float = 0.0) -> float:
    """A number, ``default`` when blank."""
    return default if blank(value) else float(value)


def opt(value: Any) -> float | None:
    """A number, None when blank (e.g. a capacity with no limit)."""
    return None if blank(value) else float(value)


def excel_rows(table) -> list[int | None]:
    """The Excel row of each record of a Dataset table; None where it was not read from a sheet
    (0: synthesised, e.g. by from_records or an added override row)."""
    return [None if blank(r) or int(r) <= 0 else int(r) for r in col(table, "excel_row")]
