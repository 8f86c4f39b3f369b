"""The validated input: what the reader hands to the model, and the plan copies.

A :class:`Dataset` is pure data (no Excel, no Pyomo):

- ``settings``: every Settings key of the manifest, typed, defaults applied
  (``shortage_penalty`` stays ``None`` when blank: the model derives it).
- ``tables``: one pandas DataFrame per input sheet of the manifest except
  Settings, always present (an absent optional sheet gives an empty table,
  Scenarios gives the single scenario ``base`` with probability 1). Columns are
  exactly the manifest's column names in manifest order, plus ``excel_row``
  (the Excel row number the record came from, 0 for synthesised rows).
  Types: ``id``/``text``/``choice`` -> str ("" when blank);
  ``number`` -> float (NaN when blank without default); ``integer`` -> float
  holding whole numbers (NaN when blank without default) so blanks survive;
  ``boolean`` -> bool. Defaults of the manifest are applied, including
  ``first_year`` for the year columns whose default is the first planning year.
- ``source``: where the data came from (file name and SHA-256 of its bytes, and the
  overrides applied to its cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.schema import manifest
from planner.schema import records as schemas


@dataclass(frozen=True)
class Source:
    name: str = "<memory>"
    sha256: str = ""
    size_bytes: int = 0
    #: the ``--set`` overrides applied to the file's cells, as written (planner.io.reading.overrides)
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    settings: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    source: Source = field(default_factory=Source)

    def __getitem__(self, sheet: str) -> pd.DataFrame:
        return self.tables[sheet]

    @property
    def first_year(self) -> int:
        return int(self.settings["first_year"])

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + int(self.settings["years"])))


def empty_table(sheet_name: str) -> pd.DataFrame:
    """An empty table with the manifest's columns (and ``excel_row``)."""
    sheet = manifest.sheet(sheet_name)
    return pd.DataFrame({c: pd.Series(dtype=_dtype(sheet.column(c).kind)) for c in sheet.column_names}
                        | {"excel_row": pd.Series(dtype="int64")})


def _dtype(kind: str) -> str:
    return {"number": "float64", "integer": "float64", "boolean": "bool"}.get(kind, "object")


def from_records(settings: dict[str, Any], records: dict[str, list[dict[str, Any]]],
                 source: Source | None = None) -> Dataset:
    """Build a Dataset from plain Python records, applying manifest defaults.

    For tests, generators and the OR-Library mapping: no validation happens here,
    so records must already be well formed (use the reader for untrusted input).
    """
    full_settings = schemas.settings_defaults() | dict(settings)
    first_year = int(full_settings["first_year"])
    tables: dict[str, pd.DataFrame] = {}
    for sheet in manifest.SHEETS:
        if sheet.name == "Settings":
            continue
        rows = records.get(sheet.name)
        if rows is None and sheet.name == "Scenarios":
            rows = [{"scenario": "base", "probability": 1.0, "description": "Single scenario (default)"}]
        tables[sheet.name] = _table(sheet, rows or [], first_year)
    return Dataset(full_settings, tables, source or Source())


def _table(sheet: manifest.Sheet, rows: list[dict[str, Any]], first_year: int) -> pd.DataFrame:
    columns = {c.name: [_typed(c, row.get(c.name)) for row in rows] for c in sheet.columns}
    return table(sheet, columns, [int(row.get("excel_row", 0)) for row in rows], first_year)


def _typed(col: manifest.Column, value: Any) -> Any:
    """A record's value as validation types a cell: None when blank."""
    if blank(value):
        return None
    if col.kind in ("number", "integer"):
        return float(value)
    if col.kind == "boolean":
        return bool(value)
    return str(value).strip()


def table(sheet: manifest.Sheet, columns: dict[str, list[Any]], excel_rows: list[int], first_year: int
          ) -> pd.DataFrame:
    """The Dataset table of ``sheet`` from its typed values column by column (None: blank): the
    one place the manifest's defaults are applied (planner.schema.records.defaults), for the
    validated workbook and for plain records alike."""
    if not excel_rows:
        return empty_table(sheet.name)
    fill = schemas.defaults(sheet.name, first_year)
    data: dict[str, pd.Series] = {}
    for col in sheet.columns:
        default = fill[col.name]
        if col.kind in ("number", "integer"):
            default, dtype = float("nan") if default is None else float(default), "float64"
        elif col.kind == "boolean":
            default, dtype = bool(default) if default is not None else False, "bool"
        else:
            default, dtype = "" if default is None else str(default), "object"
        data[col.name] = pd.Series([default if v is None else v for v in columns[col.name]], dtype=dtype)
    data["excel_row"] = pd.Series(excel_rows, dtype="int64")
    return pd.DataFrame(data)


def blank(value: Any) -> bool:
    """A blank cell: None, NaN, or text of spaces only (the one definition, for every table)."""
    return value is None or (isinstance(value, float) and value != value) or \
        (isinstance(value, str) and not value.strip())
