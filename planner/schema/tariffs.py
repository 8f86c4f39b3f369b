"""The Tariffs sheet resolved: which duty and price floor apply to a country, material and year.

A row applies to (country, material, year) when its country and material are blank or equal
and the year lies in from_year..to_year (blanks: the whole horizon). For each column
(``ad_valorem``, ``specific_duty``, ``min_import_price``) separately, among the applying
rows that give a value, the one naming the most of country and material wins (SPEC §4
Levers; docs/decisions.md "Tariffs"); the years do not rank. Equally specific applying rows
that give different values are an input error (:func:`conflicts`, reported by validation).

Pure Python: validation reports conflicts from it and the model's parameters
(:mod:`models.params.supply`) resolve with it. The rule itself (a scope applies where every part
it names matches; more parts named, higher precedence) is :mod:`planner.schema.precedence`'s, on
the scope (country, material); the year window only decides whether a row applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from planner.schema.dataset import blank
from planner.schema.precedence import covers, rank

COLUMNS = ("ad_valorem", "specific_duty", "min_import_price")


@dataclass(frozen=True)
class TariffRow:
    """One Tariffs row: its scope (None = every) and the columns it gives."""

    country: str | None
    material: str | None
    first: int | None
    last: int | None
    values: dict[str, float]
    excel_row: int = 0

    @property
    def scope(self) -> tuple:
        return (self.country, self.material)

    @property
    def rank(self) -> int:
        """How many of country and material the row names (2 beats 1 beats 0)."""
        return rank(self.scope)

    def applies(self, country: str, material: str, year: int) -> bool:
        return (covers(self.scope, (country, material))
                and (self.first is None or year >= self.first) and (self.last is None or year <= self.last))


def make_row(country: Any, material: Any, first: Any, last: Any, values: dict[str, Any],
             excel_row: int = 0) -> TariffRow:
    """A TariffRow from cell values (blank ids, years and columns as None, "" or NaN)."""
    return TariffRow(None if blank(country) else str(country), None if blank(material) else str(material),
                     None if blank(first) else int(first), None if blank(last) else int(last),
                     {c: float(v) for c, v in values.items() if not blank(v)}, excel_row)


def rows_of(table) -> list[TariffRow]:
    """The rows of a Dataset's Tariffs table (a DataFrame with the manifest's columns)."""
    if table is None or len(table) == 0:
        return []
    excel = table["excel_row"].tolist() if "excel_row" in table.columns else [0] * len(table)
    columns = {c: table[c].tolist() for c in COLUMNS}
    return [make_row(c, m, a, b, {k: columns[k][i] for k in COLUMNS}, int(excel[i]))
            for i, (c, m, a, b) in enumerate(zip(table["country"].tolist(), table["material"].tolist(),
                                                  table["from_year"].tolist(), table["to_year"].tolist()))]


def winners(rows: Iterable[TariffRow], column: str, country: str, material: str,
            year: int) -> list[TariffRow]:
    """The most specific applying rows that give ``column`` (several only on a tie)."""
    best: list[TariffRow] = []
    for row in rows:
        if column not in row.values or not row.applies(country, material, year):
            continue
        if not best or row.rank > best[0].rank:
            best = [row]
        elif row.rank == best[0].rank:
            best.append(row)
    return best


@dataclass
class Tariffs:
    """Resolved measures, cached per (country, material, year)."""

    rows: list[TariffRow]
    _cache: dict[tuple[str, str, int], dict[str, float]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def at(self, country: str, material: str, year: int) -> dict[str, float]:
        """The columns some row sets for (country, material, year): column -> value (the first of
        a tie; validation has refused ties that disagree)."""
        key = (country, material, year)
        if key not in self._cache:
            out = {}
            for c in COLUMNS:
                best = winners(self.rows, c, country, material, year)
                if best:
                    out[c] = best[0].values[c]
            self._cache[key] = out
        return self._cache[key]


def conflicts(rows: list[TariffRow], countries: Iterable[str], materials: Iterable[str],
              years: Iterable[int]) -> list[tuple[str, TariffRow, TariffRow, tuple[str, str, int]]]:
    """(column, row, other row, (country, material, year)) for each pair of equally specific rows
    that win together somewhere and disagree; each pair once, at its first such point.

    Only countries and materials the rows name can tell rows apart, so the points looked at are
    those named ones plus one stand-in for all others, and the years where a window starts or ends.
    """
    if len(rows) < 2:
        return []
    other = "\0other"
    named_c = sorted({r.country for r in rows if r.country is not None} & set(countries)) + [other]
    named_m = sorted({r.material for r in rows if r.material is not None} & set(materials)) + [other]
    years = sorted(years)
    marks = {years[0]} | {y for r in rows for y in (r.first, None if r.last is None else r.last + 1)
                           if y is not None and years[0] <= y <= years[-1]}
    out, seen = [], set()
    for c in named_c:
        for m in named_m:
            for y in sorted(marks):
                for col in COLUMNS:
                    best = winners(rows, col, c, m, y)
                    for a, b in zip(best, best[1:]):
                        pair = (col, a.excel_row, b.excel_row)
                        if a.values[col] != b.values[col] and pair not in seen:
                            seen.add(pair)
                            out.append((col, a, b, (c, m, y)))
    return out


def is_stand_in(name: str) -> bool:
    """True for the stand-in :func:`conflicts` uses for every country or material no row names."""
    return name.startswith("\0")
