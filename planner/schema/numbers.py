"""Reading a number back from a cell a person or a program may have left blank or filled with text."""

from __future__ import annotations

import math
from typing import Any


def number_or_none(value: Any) -> float | None:
    """``value`` as a finite number, else None (blank, true/false, text, NaN, infinity).

    Booleans are refused although ``float(True)`` works: a true/false cell is never a figure.
    """
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
