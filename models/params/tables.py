"""Small helpers to read Dataset tables column-wise (no pandas row loops)."""

from __future__ import annotations

from typing import Any


def col(table, name: str) -> list[Any]:
    """A table column as a plain list."""
    return table[name].tolist()


def blank(value: Any) -> bool:
    """True for a blank cell: None, NaN or an empty string."""
    return value is None or (isinstance(value, float) and value != value) or value == ""


def num(value: Any, default: float = 0.0) -> float:
    """A number, ``default`` when blank."""
    return default if blank(value) else float(value)


def opt(value: Any) -> float | None:
    """A number, None when blank (e.g. a capacity with no limit)."""
    return None if blank(value) else float(value)
