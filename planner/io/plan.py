"""The plan workbook (SPEC section 2): written whole or not at all.

A plan carries its inputs (the Input.<sheet> copies), so it can be compared and
audited without the input file. Each sheet gets a styled header row (openpyxl
cells) and its data rows through planner.io.workbook_style.append_rows (plain values
written as sheet XML, ~20x faster than openpyxl cells: a 100,000-row
Input.Offers copy no longer dominates writing). The workbook is saved by
workbook_style.workbook_bytes into a temporary file beside the target that
replaces it only once complete (workbook_style.write_atomic).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from models.outcome import TABLE_COLUMNS, SolveOutcome
from planner import __version__
from planner.schema.dataset import Dataset
from planner.io.workbook_style import HEADER_FILL, HEADER_FONT, append_rows, workbook_bytes, write_atomic

#: Plan sheets in the order they appear; Marginal values only when computed.
RESULT_SHEETS = ("KPIs", "Sourcing", "Contracts", "Builds", "Production", "Financing", "Stock", "Shortages")
MARGINAL_SHEET = "Marginal values"
INPUT_PREFIX = "Input."


def summary_rows(outcome: SolveOutcome, dataset: Dataset, extra: dict[str, Any] | None = None
                 ) -> list[tuple[str, Any]]:
    """The Summary sheet as (metric, value) pairs; cost components are `cost.<name>`."""
    rows: list[tuple[str, Any]] = [
        ("status", outcome.status.value),
        ("proven_optimal", outcome.status.name == "OPTIMAL"),
        ("objective", outcome.objective),
        ("best_bound", outcome.bound),
        ("gap", outcome.gap),
        ("solve_seconds", round(outcome.solve_seconds, 3)),
        ("currency", dataset.settings.get("currency")),
    ]
    rows += [(f"cost.{name}", value) for name, value in outcome.costs.items()]
    rows += [
        ("input_file", dataset.source.name),
        ("input_sha256", dataset.source.sha256),
    ]
    rows += [(f"override.{i}", text) for i, text in enumerate(dataset.source.overrides, start=1)]
    rows += [
        ("planner_version", __version__),
    ]
    rows += [(f"solver.{key}", value) for key, value in outcome.solver.items()]
    rows += _provenance(outcome)
    rows += list((extra or {}).items())
    rows.append(("created_at", datetime.now(timezone.utc).isoformat(timespec="seconds")))
    return rows


def _provenance(outcome: SolveOutcome) -> list[tuple[str, Any]]:
    """Versions and timings the solver outcome does not already give: Pyomo and highspy
    package versions, Python, and the seconds of each stage (build, handoff, solve, extract)."""
    import platform
    from importlib import metadata

    given = {key.lower() for key in outcome.solver}
    rows: list[tuple[str, Any]] = []
    for package, key in (("pyomo", "pyomo_version"), ("highspy", "highspy_version")):
        if key not in given:
            try:
                rows.append((f"solver.{key}", metadata.version(package)))
            except metadata.PackageNotFoundError:
                rows.append((f"solver.{key}", "not installed"))
    rows.append(("python_version", platform.python_version()))
    rows += [(f"seconds.{stage}", round(float(sec), 3)) for stage, sec in outcome.timings.items()]
    return rows


def input_copies(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Each input sheet as read, after defaults, under its Input.<sheet> name."""
    settings = pd.DataFrame({"key": list(dataset.settings), "value": list(dataset.settings.values())})
    copies = {f"{INPUT_PREFIX}Settings": settings}
    for name, table in dataset.tables.items():
        copies[f"{INPUT_PREFIX}{name}"] = table.drop(columns=["excel_row"], errors="ignore")
    return copies


def write_plan(path: Path, outcome: SolveOutcome, dataset: Dataset,
               extra_summary: dict[str, Any] | None = None,
               extra_sheets: dict[str, pd.DataFrame] | None = None, charts: bool = True) -> Path:
    """Write the plan workbook atomically and return its path (with a Charts sheet
    unless `charts` is false)."""
    sheets: dict[str, pd.DataFrame] = {
        "Summary": pd.DataFrame(summary_rows(outcome, dataset, extra_summary), columns=["metric", "value"]),
    }
    for name in RESULT_SHEETS:
        sheets[name] = outcome.tables.get(name, pd.DataFrame(columns=list(TABLE_COLUMNS[name])))
    sheets.update(extra_sheets or {})
    sheets.update(input_copies(dataset))
    write_workbook_atomic(path, sheets, decorate=_chart_decorator(sheets, dataset, outcome) if charts else None)
    return path


def _chart_decorator(sheets: dict[str, pd.DataFrame], dataset: Dataset, outcome: SolveOutcome):
    """Add the Charts sheet (planner.io.charts) before the Input copies."""
    from planner.io.charts import add_chart_sheet, plan_chart_blocks

    blocks = plan_chart_blocks(sheets, dataset, outcome.costs)
    if not blocks:
        return None
    before = next((name for name in sheets if name.startswith(INPUT_PREFIX)), None)
    return lambda wb, _worksheets: add_chart_sheet(wb, blocks, before=before)


def write_workbook_atomic(path: Path, sheets: dict[str, pd.DataFrame],
                          decorate: Any = None) -> None:
    """Write `sheets` (name -> table) to `path`, whole or not at all (the workbook is
    built in memory, turned into bytes by planner.io.workbook_style.workbook_bytes and
    written by its write_atomic, which also gives the file the user's usual permissions).

    `decorate(workbook, worksheets)` may add sheets (charts) before saving; it must
    not write below the data rows of the given worksheets (append_rows' rule).
    """
    wb = Workbook()
    wb.remove(wb.active)  # the default "Sheet": the plan's sheets are exactly `sheets`
    worksheets = {}
    for name, frame in sheets.items():
        worksheets[name] = _write_sheet(wb, name, frame)
    if decorate is not None:
        decorate(wb, worksheets)
    # the document's own created time is the real one (a plan is not a committed file)
    write_atomic(path, workbook_bytes(wb, timestamp=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)))


def _write_sheet(wb: Workbook, name: str, frame: pd.DataFrame):
    ws = wb.create_sheet(title=name)
    columns = [str(c) for c in frame.columns]
    for idx, col in enumerate(columns, start=1):
        width = max([len(col)] + [len(_text(v)) for v in frame[frame.columns[idx - 1]].head(200)])
        ws.column_dimensions[get_column_letter(idx)].width = min(max(10, width + 2), 60)
    ws.freeze_panes = "A2"
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx, value=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    # the data rows as sheet XML below the header (append_rows falls back to
    # ws.append for a sheet holding values it does not write itself, e.g. dates)
    append_rows(ws, _rows(frame))
    return ws


def _rows(frame: pd.DataFrame) -> Iterable[Sequence[Any]]:
    for values in frame.itertuples(index=False, name=None):
        yield [_cell_value(v) for v in values]


def _cell_value(value: Any) -> Any:
    """Excel-safe scalar: NaN/None blank, numpy scalars as Python, lists as text."""
    kind = type(value)  # exact types first: nearly all values of large tables, checked fast
    if kind is float:
        return None if math.isnan(value) else value
    if kind is str or kind is int or kind is bool:
        return value
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if value is pd.NA:
        return None
    if isinstance(value, (dict, list, tuple)):
        return str(value)
    return value


def _text(value: Any) -> str:
    v = _cell_value(value)
    if isinstance(v, float):
        return f"{v:,.2f}"
    return "" if v is None else str(v)
