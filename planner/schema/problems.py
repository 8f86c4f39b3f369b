"""Problems found in an input workbook, and the error that carries them.

A :class:`Problem` names where (sheet, Excel cell or row, column), what was
found and what was expected, so the CLI can render a table without knowing
anything about the check that produced it. ``cell`` is written the way Excel
names it, with the sheet: ``"Offers!C4"`` for a cell, ``"Offers!4:4"`` for a
whole row, ``"Scenarios!B2:B5"`` for a range, ``""`` when the problem has no
place (a missing sheet, an unreadable file).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Literal

from openpyxl.utils import get_column_letter

Severity = Literal["error", "warning"]

_ROW_RE = re.compile(r"!\$?[A-Z]*\$?(\d+)")
#: Unicode categories shown as <U+XXXX>: format (zero-width), spaces other than " ", controls.
_INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc", "Co", "Cn"})


@dataclass(frozen=True)
class Problem:
    """One finding about the input. Errors stop the run; warnings do not."""

    sheet: str
    cell: str
    column: str
    value: str
    expected: str
    severity: Severity = "error"

    @property
    def row(self) -> int | None:
        """The Excel row number of the (first) cell, or None."""
        match = _ROW_RE.search(self.cell)
        return int(match.group(1)) if match else None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.cell or self.sheet or "workbook"
        col = f" [{self.column}]" if self.column else ""
        found = f" found {self.value!s}," if self.value != "" else ""
        return f"{self.severity}: {where}{col}:{found} expected {self.expected}"


class InputError(Exception):
    """The input cannot be used; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        first = str(self.problems[0]) if self.problems else "no details"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{len(self.problems)} input problem(s): {first}{more}")


def cell_ref(sheet: str, column_index: int, row: int) -> str:
    """``"Offers!C4"`` from a 1-based column index and an Excel row number."""
    return f"{sheet}!{get_column_letter(column_index)}{row}"


def show(value: Any, limit: int = 60) -> str:
    """A short, printable rendering of a cell value for a problem report."""
    if value is None:
        return "(blank)"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    if isinstance(value, str) and text.strip() != text:
        text = repr(text)
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def visible(text: str) -> str:
    """``text`` with each invisible character (zero-width space, no-break space, a control
    character...) written as ``<U+200B>``, so an id that looks valid shows why it is not."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch if ch == " " or (ch.isprintable() and unicodedata.category(ch) not in _INVISIBLE)
                   else f"<U+{ord(ch):04X}>" for ch in text)


def invisible_characters(text: str) -> list[str]:
    """Names of the invisible characters in ``text`` (``U+200B ZERO WIDTH SPACE``)."""
    return [f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}" for ch in dict.fromkeys(text)
            if ch != " " and (not ch.isprintable() or unicodedata.category(ch) in _INVISIBLE)]


def figure(value: float) -> str:
    """A bound as people read it: 0.5, 100, 10,000, 1e12, 5e14 (one digit and zeros, from a million on)."""
    if not float(value).is_integer():
        return f"{value:g}"
    v = int(value)
    digits = str(abs(v))
    lead = digits.rstrip("0")
    if abs(v) >= 1_000_000 and len(lead) == 1:
        return f"{'-' if v < 0 else ''}{lead}e{len(digits) - 1}"
    return f"{v:,}" if abs(v) >= 10_000 else str(v)


def split(problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for p in problems:
        (errors if p.is_error else warnings).append(p)
    return errors, warnings
