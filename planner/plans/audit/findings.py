"""What the audit reports: one :class:`Finding` per violated constraint or mismatched figure,
and the tolerance used to tell a violation from solver round-off."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Relative and absolute (times the plan's scale) tolerance of every comparison.
REL_TOL = 1e-6
ABS_TOL = 1e-6


@dataclass(frozen=True)
class Finding:
    """One violation or mismatch found in a saved plan."""

    #: Which constraint family or figure: "stock balance", "offer capacity", "cost", ...
    check: str
    #: The plan sheet holding the offending value (or the input copy at fault).
    sheet: str
    #: The record: "scenario=base, year=2026, material=LI".
    where: str
    #: What is wrong, with the figures: "purchases 12 exceed capacity 10".
    message: str
    found: float | None = None
    expected: float | None = None

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{self.check} ({self.sheet}){where}: {self.message}"


@dataclass(frozen=True)
class Tolerance:
    """``ABS_TOL × scale + REL_TOL × |reference|`` (scale: the plan's magnitude)."""

    scale: float

    def __call__(self, reference=0.0):
        return ABS_TOL * self.scale + REL_TOL * np.abs(reference)


def where(**keys) -> str:
    return ", ".join(f"{k}={_fmt_key(v)}" for k, v in keys.items())


def _fmt_key(value) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def num(value: float) -> str:
    """A figure in a message: whole numbers plainly, others with up to 6 significant digits."""
    value = float(value)
    if value == 0:
        return "0"
    if abs(value) >= 1e4 or value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"
