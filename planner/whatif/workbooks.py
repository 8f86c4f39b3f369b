"""The workbooks of the what-if commands: a results table, an Excel-native chart of it, and
each point's plan (the same plan workbook `solve` writes) when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from planner.io.charts import ChartBlock, add_chart_sheet
from planner.io.plan import MARGINAL_SHEET, write_plan, write_workbook_atomic
from planner.schema.dataset import Dataset
from planner.whatif.tasks import PointResult


def write_table(path: Path, sheet: str, frame: pd.DataFrame, charts: list[ChartBlock],
                extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """``frame`` on ``sheet`` (plus ``extra`` sheets), then a Chart sheet with ``charts``."""
    sheets = {sheet: frame} | (extra or {})
    write_workbook_atomic(path, sheets, decorate=lambda wb, _ws: add_chart_sheet(wb, charts, title="Chart")
                          if charts else None, kind="table")
    return path


def sweep_chart(frame: pd.DataFrame, axes: list[str]) -> list[ChartBlock]:
    """Objective against the first axis; one series per value of the second axis, if any."""
    ok = frame[frame["objective"].notna()]
    if not len(ok) or not pd.api.types.is_numeric_dtype(ok[axes[0]]):
        return []
    if len(axes) > 1:
        data = ok.pivot_table(index=axes[0], columns=axes[1], values="objective", aggfunc="first")
        data.columns = [f"{axes[1]}={c}" for c in data.columns]
    else:
        data = ok.set_index(axes[0])[["objective"]]
    data = data.reset_index()
    return [ChartBlock(f"Objective by {axes[0]}", data, kind="scatter", y_title="objective (expected, discounted)",
                       x_title=axes[0])]


def plan_path(directory: Path, prefix: str, index: int) -> Path:
    """Where point ``index`` (0-based) has its plan: ``DIR/<prefix>-<index + 1>.xlsx`` (known before
    solving, so the commands check every such file in their pre-flight)."""
    return directory / f"{_slug(prefix)}-{index + 1:03d}.xlsx"


def write_plans(directory: Path, prefix: str, results: list[PointResult], datasets: list[Dataset],
                summary: dict[str, str] | None = None) -> list[Path]:
    """Each point's full plan at :func:`plan_path` (points without a plan are skipped), with
    ``summary`` rows added to each plan's Summary.

    Raises planner.io.targets.TargetError, before writing any, if one of those files exists
    and is not a file of ours (planner.io.targets.file_kind): the commands' pre-flight has
    checked them already; this catches a file put there while the points were solved."""
    from planner.io.targets import TargetError, file_kind

    chosen = [(plan_path(directory, prefix, r.index), r, dataset)
              for r, dataset in zip(results, datasets) if r.has_plan and r.tables is not None]
    for path, _, _ in chosen:
        if path.exists() and file_kind(path) is None:
            raise TargetError(f"{path} exists and was not written by trust-planner; no plan was written. Choose "
                              "another folder, or move the file away first.")
    written = []
    for path, r, dataset in chosen:
        outcome = r.outcome()
        extra = {MARGINAL_SHEET: outcome.marginals} if outcome.marginals is not None else None
        write_plan(path, outcome, dataset, extra_summary=summary, extra_sheets=extra)
        written.append(path)
    return written


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "point"
