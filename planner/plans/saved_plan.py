"""Read a saved plan workbook back: its Summary, result tables and the inputs it carries.

A plan is self-contained (SPEC section 2): the ``Input.<sheet>`` copies are the input
as read, after defaults, so :func:`read_plan` rebuilds the :class:`~planner.schema.dataset.Dataset`
from them with :func:`planner.schema.dataset.from_records`. Comparison and audit work from a
:class:`SavedPlan` alone, never from the original input file or the solver.

Anything that is not a readable plan raises :class:`PlanError` with a one-line message.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from models.outcome import TABLE_COLUMNS
from planner.io.plan import MARGINAL_SHEET
from planner.schema import manifest
from planner.schema.dataset import Dataset, Source, blank, from_records
from planner.schema.numbers import number_or_none

SUMMARY = "Summary"
INPUT_PREFIX = "Input."
#: Result sheets a plan carries (SPEC section 2), with their columns.
RESULT_COLUMNS: dict[str, tuple[str, ...]] = dict(TABLE_COLUMNS)
#: Text columns of the result sheets; every other column is numeric.
TEXT_COLUMNS = frozenset({"scenario", "material", "supplier", "country", "facility", "source", "top_country",
                          "policy"})
#: Integer columns of the result sheets.
INTEGER_COLUMNS = frozenset({"year"})


class PlanError(Exception):
    """The file is not a readable trust-planner plan (message: one line)."""


@dataclass
class SavedPlan:
    """A plan workbook as read back."""

    path: Path
    #: The plan file's stem: how comparisons and reports name the plan.
    name: str
    #: Summary metric -> value, in sheet order.
    summary: dict[str, Any]
    #: Result tables by sheet name (RESULT_COLUMNS first, then any extra columns).
    tables: dict[str, pd.DataFrame]
    #: The inputs rebuilt from the Input.<sheet> copies.
    dataset: Dataset
    #: The Input.<sheet> copies as read (keyed by sheet name without the prefix), with
    #: ``excel_row`` holding the row number in the copy.
    inputs: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Result sheets the workbook lacks (empty tables stand in for them).
    missing_sheets: tuple[str, ...] = ()
    sheetnames: tuple[str, ...] = ()
    #: The Marginal values sheet (policy, material, year, scenario, excel_row, value,
    #: marginal_value, per_percentage_point, ...), None when the plan has none.
    marginals: pd.DataFrame | None = None

    @property
    def status(self) -> str:
        return str(self.summary.get("status", ""))

    @property
    def objective(self) -> float | None:
        return number_or_none(self.summary.get("objective"))

    @property
    def costs(self) -> dict[str, float]:
        """The Summary's cost components (``cost.<name>`` rows), by name."""
        out = {}
        for key, value in self.summary.items():
            if key.startswith("cost."):
                number = number_or_none(value)
                out[key[5:]] = 0.0 if number is None else number
        return out

    @property
    def probabilities(self) -> pd.Series:
        scen = self.dataset["Scenarios"]
        return pd.Series(scen["probability"].to_numpy(float), index=scen["scenario"].astype(str))

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def read_plan(path: str | Path) -> SavedPlan:
    """Read the plan workbook at `path`; raise PlanError (one line) if it is not one."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.exists():
        raise PlanError(f"{path}: no such file")
    if not path.is_file():
        raise PlanError(f"{path}: not a file")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open means: not a workbook
        raise PlanError(f"{path.name} is not a readable Excel workbook ({_one_line(exc)})") from None
    try:
        return _read(path, wb)
    except PlanError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged workbook must not give a traceback
        raise PlanError(f"{path.name} could not be read as a plan ({_one_line(exc)})") from None
    finally:
        wb.close()


def _read(path: Path, wb) -> SavedPlan:
    by_lower = {name.strip().lower(): name for name in wb.sheetnames}
    if SUMMARY.lower() not in by_lower:
        raise PlanError(f"{path.name} is not a trust-planner plan: it has no {SUMMARY} sheet")
    summary = _read_summary(path, wb[by_lower[SUMMARY.lower()]])

    raw_inputs: dict[str, pd.DataFrame] = {}
    for lower, real in by_lower.items():
        if lower.startswith(INPUT_PREFIX.lower()):
            raw_inputs[real[len(INPUT_PREFIX):].strip()] = _frame(_sheet_rows(wb[real]), real, path)
    inputs = {_canonical_sheet(name): frame for name, frame in raw_inputs.items()}
    needed = [s.name for s in manifest.SHEETS if s.required]
    lacking = [n for n in needed if n not in inputs]
    if lacking:
        raise PlanError(f"{path.name} carries no copy of its inputs ({', '.join(INPUT_PREFIX + n for n in lacking)} "
                        "missing): not a complete trust-planner plan")
    dataset = _dataset(path, inputs, summary)

    tables: dict[str, pd.DataFrame] = {}
    missing = []
    for name, columns in RESULT_COLUMNS.items():
        real = by_lower.get(name.lower())
        if real is None:
            missing.append(name)
            empty = pd.DataFrame({**{c: pd.Series(dtype=object) for c in columns},
                                  "excel_row": pd.Series(dtype="int64")})
            tables[name] = _typed(empty, name, path)
            continue
        frame = _frame(_sheet_rows(wb[real]), name, path)
        absent = [c for c in columns if c not in frame.columns]
        if absent and not frame.empty:
            raise PlanError(f"{path.name}: sheet {name} lacks column(s) {', '.join(absent)}")
        for col in absent:
            frame[col] = pd.Series(dtype=object)
        ordered = list(columns) + [c for c in frame.columns if c not in columns]
        tables[name] = _typed(frame[ordered], name, path)
    marginals = None
    if MARGINAL_SHEET.lower() in by_lower:
        marginals = _table_as_written(_sheet_rows(wb[by_lower[MARGINAL_SHEET.lower()]]))
    return SavedPlan(path=path, name=path.stem, summary=summary, tables=tables, dataset=dataset,
                     inputs=inputs, missing_sheets=tuple(missing), sheetnames=tuple(wb.sheetnames),
                     marginals=marginals)


def plan_in_memory(path: str | Path, summary: dict[str, Any], tables: dict[str, pd.DataFrame], dataset: Dataset,
                   marginals: pd.DataFrame | None = None) -> SavedPlan:
    """A SavedPlan of a plan just solved (what read_plan would give for the workbook written
    from the same data), without reading the workbook back: the terminal summary and the
    report of `solve` work from it."""
    path = Path(path)
    full = {}
    for name, columns in RESULT_COLUMNS.items():
        table = tables.get(name)
        full[name] = pd.DataFrame(columns=list(columns)) if table is None else table.reset_index(drop=True)
    inputs = {name: table for name, table in dataset.tables.items()}
    return SavedPlan(path=path, name=path.stem, summary=dict(summary), tables=full, dataset=dataset, inputs=inputs,
                     marginals=marginals)


def _sheet_rows(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def _frame(rows: list[tuple], sheet: str, path: Path) -> pd.DataFrame:
    """Header row + records -> DataFrame (object columns), empty rows dropped, with excel_row."""
    if not rows:
        return pd.DataFrame({"excel_row": pd.Series(dtype="int64")})
    header = [("" if h is None else str(h).strip()) for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if not header:
        return pd.DataFrame({"excel_row": pd.Series(dtype="int64")})
    if "" in header:
        raise PlanError(f"{path.name}: sheet {sheet} has a blank column header")
    if len(set(header)) != len(header):
        raise PlanError(f"{path.name}: sheet {sheet} has a repeated column header")
    records, excel_rows = [], []
    for number, row in enumerate(rows[1:], start=2):
        values = list(row[: len(header)]) + [None] * max(0, len(header) - len(row))
        if all(blank(v) for v in values):
            continue
        records.append(values)
        excel_rows.append(number)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame["excel_row"] = pd.Series(excel_rows, dtype="int64")
    return frame


def _table_as_written(rows: list[tuple]) -> pd.DataFrame:
    """A sheet's header and rows as they are (its own columns only, blank rows dropped)."""
    header = [("" if h is None else str(h).strip()) for h in (rows[0] if rows else ())]
    width = len(header)
    records = [list(r[:width]) + [None] * (width - len(r)) for r in rows[1:] if not all(blank(v) for v in r)]
    return pd.DataFrame(records, columns=header, dtype=object)


def _read_summary(path: Path, ws) -> dict[str, Any]:
    rows = _sheet_rows(ws)
    if not rows or [("" if h is None else str(h).strip().lower()) for h in rows[0][:2]] != ["metric", "value"]:
        raise PlanError(f"{path.name} is not a trust-planner plan: its {SUMMARY} sheet has no metric/value header")
    summary: dict[str, Any] = {}
    for row in rows[1:]:
        if not row or blank(row[0]):
            continue
        summary[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    if "objective" not in summary:
        raise PlanError(f"{path.name} is not a trust-planner plan: its {SUMMARY} sheet has no objective")
    return summary


def _typed(frame: pd.DataFrame, sheet: str, path: Path) -> pd.DataFrame:
    out = {}
    for col in frame.columns:
        if col == "excel_row":
            out[col] = frame[col].astype("int64")
        elif col in TEXT_COLUMNS:
            out[col] = frame[col].map(_id_text).astype(object)
        elif col in RESULT_COLUMNS.get(sheet, ()):
            numbers_ = [_number(v, sheet, col, r, path) for v, r in zip(frame[col], frame["excel_row"])]
            series = pd.Series(numbers_, dtype="float64", index=frame.index)
            if col in INTEGER_COLUMNS:
                if series.isna().any():
                    bad = int(frame["excel_row"][series.isna()].iloc[0])
                    raise PlanError(f"{path.name}: sheet {sheet} row {bad}: {col} is blank")
                fractional = series != series.round()
                if fractional.any():
                    bad = int(frame["excel_row"][fractional].iloc[0])
                    raise PlanError(f"{path.name}: sheet {sheet} row {bad}: {col} is not a whole number")
                series = series.astype("int64")
            out[col] = series
        else:
            out[col] = frame[col]
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def _number(value: Any, sheet: str, col: str, row: int, path: Path) -> float:
    if blank(value):
        return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, numbers.Number):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        raise PlanError(f"{path.name}: sheet {sheet} row {row}: {col} is not a number ({value!r})") from None


def _id_text(value: Any) -> str:
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _canonical_sheet(name: str) -> str:
    for sheet in manifest.SHEETS:
        if sheet.name.lower() == name.strip().lower():
            return sheet.name
    return name


def _dataset(path: Path, inputs: dict[str, pd.DataFrame], summary: dict[str, Any]) -> Dataset:
    settings = _settings(path, inputs["Settings"])
    records: dict[str, list[dict[str, Any]]] = {}
    for sheet in manifest.SHEETS:
        if sheet.name == "Settings" or sheet.name not in inputs:
            continue
        frame = inputs[sheet.name]
        by_lower = {str(c).strip().lower(): c for c in frame.columns}
        rows: list[dict[str, Any]] = []
        for raw in frame.to_dict("records"):
            record: dict[str, Any] = {"excel_row": int(raw["excel_row"])}
            for col in sheet.columns:
                real = by_lower.get(col.name.lower())
                value = None if real is None else raw[real]
                record[col.name] = _input_value(path, sheet.name, col, value, record["excel_row"])
            rows.append(record)
        records[sheet.name] = rows
    source = Source(name=str(summary.get("input_file") or path.name),
                    sha256=str(summary.get("input_sha256") or ""))
    return from_records(settings, records, source)


def _settings(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    cols = {str(c).strip().lower(): c for c in frame.columns}
    if "key" not in cols or "value" not in cols:
        raise PlanError(f"{path.name}: sheet {INPUT_PREFIX}Settings has no key/value header")
    settings: dict[str, Any] = {}
    for key, value, row in zip(frame[cols["key"]], frame[cols["value"]], frame["excel_row"]):
        if blank(key):
            continue
        name = str(key).strip()
        column = manifest.SETTINGS_BY_KEY.get(name.lower())
        if column is None:
            settings[name] = value
            continue
        typed = _input_value(path, "Settings", column, value, int(row))
        if typed is not None or column.default is None:
            settings[column.name] = typed
    for column in manifest.SETTINGS:
        if column.required and blank(settings.get(column.name)):
            raise PlanError(f"{path.name}: {INPUT_PREFIX}Settings has no {column.name}")
    for name in ("first_year", "years"):
        settings[name] = int(settings[name])
    return settings


_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def _input_value(path: Path, sheet: str, col: manifest.Column, value: Any, row: int) -> Any:
    """Type one cell of an Input.<sheet> copy by the manifest (blank stays None)."""
    if blank(value):
        return None
    where = f"{path.name}: {INPUT_PREFIX}{sheet} row {row}, {col.name}"
    if col.kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            try:
                value = float(str(value).strip())
            except ValueError:
                raise PlanError(f"{where}: not a number ({value!r})") from None
        number = float(value)
        if col.kind == "integer":
            if not number.is_integer():
                raise PlanError(f"{where}: not a whole number ({value!r})")
            return int(number)
        return number
    if col.kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, numbers.Number):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise PlanError(f"{where}: not true/false ({value!r})")
    return _id_text(value)




def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
