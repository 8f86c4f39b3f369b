"""Overrides (``--set``): changes to the workbook's cells given on the command line (SPEC §4).

They are applied to the raw cells (:class:`planner.io.reading.sheets.RawWorkbook`) before
validation, so an override's value is checked exactly like a cell's, and a problem found in
a cell it wrote names the override instead of a cell that is not in the file. Syntax, one
override per ``--set``:

- ``SHEET[COL=VALUE,...].COLUMN=VALUE``: set COLUMN on every row of SHEET whose named
  columns hold those values (compared as typed values: ``year=2030`` matches 2030.0, a
  blank ``year=`` matches blank cells);
- ``SHEET.COLUMN=VALUE``: set COLUMN on every row of SHEET;
- ``Settings.KEY=VALUE``: set a setting (a row is added when the sheet has none for KEY);
- ``SHEET+[COL=VALUE,...]``: add a row.

Sheet, column and setting names ignore case and surrounding spaces, as the reader's do.
A value inside brackets may be quoted (``'...'`` or ``"..."``, a doubled quote standing for
one) to hold commas, brackets or ``=``; the value after ``.COLUMN=`` is the rest of the text
(quotes around all of it are removed). An empty value blanks the cell. An override that
matches no row, or names an unknown sheet, column or setting, is bad input.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any, Iterable, Sequence

from planner.schema import manifest
from planner.schema.problems import InputError, Problem, cell_ref
from planner.io.reading.sheets import RawSheet, RawWorkbook, norm
from planner.validation.values import convert

SYNTAX = ("SHEET[COLUMN=VALUE,...].COLUMN=VALUE, SHEET.COLUMN=VALUE, Settings.KEY=VALUE or "
          "SHEET+[COLUMN=VALUE,...]")
_QUOTES = "'\""


@dataclass(frozen=True)
class Override:
    """One override, parsed: ``where`` selects rows (or, for an added row, gives its cells)."""

    text: str  # as written, for messages and the plan's Summary
    sheet: str  # manifest name
    where: tuple[tuple[str, str | None], ...]  # (manifest column, value; None = blank)
    column: str | None = None  # the column set; None for an added row
    value: str | None = None  # the value set; None = blank
    target: str = ""  # the text before "=VALUE" (the sweep varies the value of a target)

    @property
    def adds_row(self) -> bool:
        return self.column is None

    @property
    def label(self) -> str:
        return f"--set {self.text}"

    def with_value(self, value: Any) -> Override:
        """The same target set to ``value`` (a number is written as Python prints it)."""
        text = _value_text(value)
        return replace(self, value=text or None, text=f"{self.target}={text}")


class OverrideError(ValueError):
    """An override that cannot be parsed or applied; ``problem`` says which and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def parse(text: str) -> Override:
    """Parse one ``--set`` text; raises :class:`OverrideError`."""
    reader = _Reader(text)
    sheet = _sheet(reader.take_name("[.+"), text)
    if reader.accept("+"):
        cells = _cells(reader, sheet, text)
        if not reader.done():
            raise _syntax(text, f"nothing after the closing ']' of an added row (found {reader.rest()!r})")
        if not cells:
            raise _syntax(text, "the new row's cells inside [...]")
        return Override(text, sheet.name, tuple(cells), target=text)
    where = _cells(reader, sheet, text) if reader.peek() == "[" else []
    if not reader.accept("."):
        raise _syntax(text, "'.COLUMN=VALUE' after the sheet")
    name = reader.take_name("=")
    if not reader.accept("="):
        raise _syntax(text, "'=VALUE' after the column")
    target = text[:reader.pos - 1]
    value = _unquote(reader.rest().strip())
    if sheet.name == "Settings":
        if where:
            raise _syntax(text, "Settings.KEY=VALUE (the Settings sheet has no rows to select)")
        key = _setting(name, text)
        return Override(text, sheet.name, (("key", key),), "value", value or None, target)
    return Override(text, sheet.name, tuple(where), _column(sheet, name, text), value or None, target)


def split_values(text: str) -> list[str]:
    """``v1,v2,...`` as values, each unquoted (a quoted value may hold commas)."""
    reader, values = _Reader(text), []
    while True:
        values.append(reader.take_value(","))
        if reader.done():
            return values
        if not reader.accept(","):
            raise _syntax(text, "values separated by commas")


def parse_all(texts: Iterable[str]) -> list[Override]:
    """Parse every text; raises InputError naming each one that cannot be parsed."""
    parsed, problems = [], []
    for text in texts:
        try:
            parsed.append(parse(text))
        except OverrideError as exc:
            problems.append(exc.problem)
    if problems:
        raise InputError(problems)
    return parsed


# ---- applying ----------------------------------------------------------------------------------------


@dataclass
class Applied:
    """The raw workbook with the overrides applied, and where each override wrote."""

    raw: RawWorkbook
    cells: dict[str, str]  # "Offers!C4" -> "--set ... at Offers!C4" (the last override that wrote it)
    rows: dict[tuple[str, int], str]  # (sheet, Excel row) of an added row -> label

    def relabel(self, problems: Iterable[Problem]) -> list[Problem]:
        """Problems found in cells or rows an override wrote name the override instead."""
        out = []
        for p in problems:
            label = self.cells.get(p.cell) or (self.rows.get((p.sheet, p.row)) if p.row else None)
            out.append(replace(p, cell=label) if label else p)
        return out


def apply(raw: RawWorkbook, overrides: Sequence[Override]) -> Applied:
    """``raw`` with ``overrides`` applied in order (``raw`` itself is not changed). An override
    that matches no row adds its problem to the workbook's problems (validation reports it)."""
    sheets = {name: replace(s, columns=dict(s.columns), rows=list(s.rows), excel_rows=list(s.excel_rows))
              for name, s in raw.sheets.items()}
    applied = Applied(RawWorkbook(sheets, list(raw.problems)), {}, {})
    for override in overrides:
        sheet = sheets.get(override.sheet)
        if sheet is None:
            if not override.adds_row and override.sheet != "Settings":
                applied.raw.problems.append(_problem(override, "(no such sheet)",
                                                     f"a workbook with a {override.sheet} sheet"))
                continue
            sheet = sheets[override.sheet] = RawSheet(override.sheet, override.sheet, {}, [], [])
        if override.adds_row:
            _add_row(sheet, override, dict(override.where), applied)
            continue
        hits = _matching_rows(sheet, override)
        if isinstance(hits, Problem):
            applied.raw.problems.append(hits)
        elif hits:
            idx = _column_index(sheet, override.column)
            for i in hits:
                _write(sheet, i, idx, override.value)
                cell = cell_ref(sheet.name, idx, sheet.excel_rows[i])
                applied.cells[cell] = f"{override.label} at {cell}"
        elif override.sheet == "Settings":  # a setting the sheet does not list: add its row
            _add_row(sheet, override, {"key": dict(override.where)["key"], "value": override.value}, applied)
        else:
            applied.raw.problems.append(_problem(override, "(no row)", _no_match_text(sheet, override)))
    return applied


def _matching_rows(sheet: RawSheet, override: Override) -> list[int] | Problem:
    """Indices of the rows matching every (column, value) of ``override.where``."""
    spec = manifest.sheet(sheet.name)
    hits = list(range(len(sheet.rows)))
    for name, wanted in override.where:
        if sheet.name == "Settings":  # keys are matched like the Settings reader matches them
            idx = sheet.columns.get("key")
            hits = [i for i in hits if idx is not None and norm(sheet.rows[i][idx - 1]) == norm(wanted)]
            continue
        col = spec.column(name)
        [want], bad = convert(col, [wanted])
        if bad:
            return _problem(override, wanted, f"{bad[0][1]} to select {sheet.name} rows by {name}")
        idx = sheet.columns.get(name)
        cells = [sheet.rows[i][idx - 1] if idx else None for i in hits]
        typed, _ = convert(col, cells)
        hits = [i for i, v in zip(hits, typed) if v == want]
    return hits


def _column_index(sheet: RawSheet, column: str) -> int:
    """The 1-based index of ``column`` in ``sheet``, appending it (blank in every row) if absent."""
    idx = sheet.columns.get(column)
    if idx is None:
        width = max([len(r) for r in sheet.rows[:1]] + list(sheet.columns.values()) + [0])
        idx = sheet.columns[column] = width + 1
        sheet.rows[:] = [row + (None,) * (idx - len(row)) for row in sheet.rows]
    return idx


def _write(sheet: RawSheet, i: int, idx: int, value: str | None) -> None:
    row = sheet.rows[i]
    sheet.rows[i] = row[:idx - 1] + (value,) + row[idx:]


def _add_row(sheet: RawSheet, override: Override, cells: dict[str, str | None], applied: Applied) -> None:
    indices = {name: _column_index(sheet, name) for name in cells}
    width = max([len(r) for r in sheet.rows[:1]] + list(sheet.columns.values()))
    values = [None] * width
    for name, value in cells.items():
        values[indices[name] - 1] = value
    excel_row = max(sheet.excel_rows, default=1) + 1  # below the table: a row the file does not have
    sheet.rows.append(tuple(values))
    sheet.excel_rows.append(excel_row)
    applied.rows[(sheet.name, excel_row)] = override.label


def _no_match_text(sheet: RawSheet, override: Override) -> str:
    """What was expected, with the values the first selecting column does hold."""
    conditions = ", ".join(f"{c}={'(blank)' if v is None else v}" for c, v in override.where)
    text = f"a row of {sheet.name} with {conditions}"
    name, wanted = override.where[0]
    idx = sheet.columns.get(name)
    if idx and wanted is not None:
        held = sorted({str(r[idx - 1]).strip() for r in sheet.rows if r[idx - 1] is not None})
        close = difflib.get_close_matches(wanted, held, n=1, cutoff=0.6)
        text += f" (did you mean {name}={close[0]}?)" if close else ""
    return text + "; it matches no row"


def _problem(override: Override, value: str | None, expected: str) -> Problem:
    return Problem(override.sheet, override.label, override.column or "", "(blank)" if value is None else value,
                   expected)


# ---- parsing -----------------------------------------------------------------------------------------


class _Reader:
    """A cursor over the text of one override."""

    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def peek(self) -> str:
        self._skip_spaces()
        return self.text[self.pos:self.pos + 1]

    def accept(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def done(self) -> bool:
        return self.peek() == ""

    def rest(self) -> str:
        return self.text[self.pos:]

    def take_name(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        return self.text[start:self.pos].strip()

    def take_value(self, stops: str) -> str:
        """A value up to one of ``stops`` (outside quotes); quotes removed."""
        self._skip_spaces()
        if self.pos < len(self.text) and self.text[self.pos] in _QUOTES:
            return self._quoted()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        return self.text[start:self.pos].strip()

    def _quoted(self) -> str:
        quote, out = self.text[self.pos], []
        self.pos += 1
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            if ch != quote:
                out.append(ch)
            elif self.text[self.pos:self.pos + 1] == quote:  # a doubled quote stands for one
                out.append(quote)
                self.pos += 1
            else:
                return "".join(out)
        raise _syntax(self.text, f"a closing {quote} after {''.join(out)!r}")

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1


def _cells(reader: _Reader, sheet: manifest.Sheet, text: str) -> list[tuple[str, str | None]]:
    """``[COL=VALUE,...]`` as (manifest column, value) pairs."""
    if not reader.accept("["):
        raise _syntax(text, "'[' after the sheet name")
    cells: list[tuple[str, str | None]] = []
    if reader.accept("]"):
        return cells
    while True:
        name = reader.take_name("=,]")
        if not reader.accept("="):
            raise _syntax(text, f"COLUMN=VALUE inside [...] (found {name!r})")
        column = _column(sheet, name, text)
        value = reader.take_value(",]")
        if column in dict(cells):
            raise _syntax(text, f"each column once inside [...] ({column} is given twice)")
        cells.append((column, value or None))
        if reader.accept("]"):
            return cells
        if not reader.accept(","):
            raise _syntax(text, "',' or ']' after a value inside [...]")


def _sheet(name: str, text: str) -> manifest.Sheet:
    return manifest.sheet(_known(name, [s.name for s in manifest.SHEETS], text, "", "a sheet of the template"))


def _column(sheet: manifest.Sheet, name: str, text: str) -> str:
    return _known(name, sheet.column_names, text, sheet.name, f"a column of {sheet.name}")


def _setting(name: str, text: str) -> str:
    return _known(name, list(manifest.SETTINGS_BY_KEY), text, "Settings", "a setting")


def _known(name: str, names: Sequence[str], text: str, sheet: str, what: str) -> str:
    """The manifest's spelling of ``name`` (matched as the reader matches names), else OverrideError."""
    by_norm = {norm(n): n for n in names}
    if norm(name) in by_norm:
        return by_norm[norm(name)]
    close = difflib.get_close_matches(norm(name), list(by_norm), n=1, cutoff=0.6)
    hint = f" (did you mean {by_norm[close[0]]}?)" if close else ""
    raise OverrideError(Problem(sheet, f"--set {text}", "", name or "(blank)", f"{what}{hint}"))


def _syntax(text: str, expected: str) -> OverrideError:
    return OverrideError(Problem("", f"--set {text}", "", text, f"{expected}; an override reads {SYNTAX}"))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == value[0]:
        return value[1:-1].replace(value[0] * 2, value[0])
    return value


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # 15 digits: a step of 0.1 gives 0.3, not 0.30000000000000004
        return f"{value:.15g}"
    return str(value)
