"""Numbers as the benchmark tables print them (shared by run.py and gaps.py)."""

from __future__ import annotations

import statistics


def median(values):
    """The median of the values that are not None (None if there are none)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(x, digits=1):
    """A table cell: '-' for None, thousands separators, ``digits`` decimals for floats."""
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"
