"""The plan workbook (SPEC section 2): written whole or not at all, formatted for reading.

A plan carries its inputs (the Input.<sheet> copies), so it can be compared and
audited without the input file. It opens on a "Read me" sheet (what the plan is, its
status in plain words, what "discounted to first_year" means, each sheet in a line);
the Summary gives each metric's unit, money totals in millions and its meaning. Every
sheet has a styled, frozen, filterable header whose notes give each column's meaning and
unit (planner.io.plan_terms), number formats (money #,##0, shares as percentages,
quantities with their material's unit in the cell, years as years), widths that fit, and
a print setup (landscape, one page wide, header row on every page; the Read me and
Summary on one page).

Data rows go through planner.io.workbook_style.append_rows (plain values written as
sheet XML with their number formats, ~20x faster than openpyxl cells: a 100,000-row
Input.Offers copy no longer dominates writing); the small Summary is written as cells,
wrapped. The workbook is saved by workbook_style.workbook_bytes into a temporary file
beside the target that replaces it only once complete (workbook_style.write_atomic).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from models.outcome import TABLE_COLUMNS, SolveOutcome
from planner import __version__
from planner.io.plan_terms import (COLUMN_TERMS, FORMATS, INPUT_PURPOSE, SHEET_PURPOSES, column_term,
                                   input_column_format, money_text, quantity_format, status_sentence,
                                   summary_term)
from planner.io.workbook_style import (BOLD, HEADER_FILL, HEADER_FONT, MAX_WIDTH, MIN_WIDTH, TITLE_FONT, WRAP,
                                       ColumnFormat, append_rows, header_note, print_setup, workbook_bytes,
                                       wrapped_height, write_atomic)
from planner.schema import manifest
from planner.schema.dataset import Dataset
from planner.schema.numbers import number_or_none

#: Plan sheets in the order they appear; Marginal values only when computed.
READ_ME = "Read me"
SUMMARY = "Summary"
SUMMARY_COLUMNS = ("metric", "value", "unit", "in millions", "meaning")
RESULT_SHEETS = ("KPIs", "Sourcing", "Contracts", "Builds", "Production", "Financing", "Stock", "Shortages")
MARGINAL_SHEET = "Marginal values"
CHART_SHEET = "Charts"
INPUT_PREFIX = "Input."
#: Rows whose shown text sets a column's width.
WIDTH_SAMPLE = 200


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
    rows += list(outcome.start.items())  # start.* and stable.* (models.warm), when solved from a plan
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
    """Write the plan workbook atomically and return its path: a Read me sheet first, the
    Summary, the result sheets, `extra_sheets`, Charts (unless `charts` is false) and the
    Input copies; every sheet formatted for reading and printing (planner.io.plan_terms)."""
    rows = summary_rows(outcome, dataset, extra_summary)
    sheets: dict[str, pd.DataFrame] = {SUMMARY: summary_frame(rows, dataset)}
    for name in RESULT_SHEETS:
        sheets[name] = outcome.tables.get(name, pd.DataFrame(columns=list(TABLE_COLUMNS[name])))
    sheets.update(extra_sheets or {})
    sheets.update(input_copies(dataset))
    layouts = plan_layouts(sheets, dataset)
    decorations = [lambda wb, _ws: add_read_me(wb, dict(rows), dataset, list(sheets))]
    if charts:
        chart = _chart_decorator(sheets, dataset, outcome)
        if chart is not None:
            decorations.insert(0, chart)
    write_workbook_atomic(path, sheets, decorate=lambda wb, ws: [d(wb, ws) for d in decorations], layouts=layouts,
                          kind="plan")
    return path


def _chart_decorator(sheets: dict[str, pd.DataFrame], dataset: Dataset, outcome: SolveOutcome):
    """Add the Charts sheet (planner.io.charts) before the Input copies."""
    from planner.io.charts import add_chart_sheet, plan_chart_blocks

    blocks = plan_chart_blocks(sheets, dataset, outcome.costs)
    if not blocks:
        return None
    before = next((name for name in sheets if name.startswith(INPUT_PREFIX)), None)
    return lambda wb, _worksheets: add_chart_sheet(wb, blocks, before=before)


# ------------------------------------------------------------------ how each sheet reads


@dataclass(frozen=True)
class SheetLayout:
    """How a sheet is shown: a number format per column (workbook_style.ColumnFormat), a note
    per header (meaning and unit), and whether it prints on one page."""

    formats: tuple[ColumnFormat, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    one_page: bool = False
    #: Columns shown wrapped, by name -> width (a small sheet: written as openpyxl cells,
    #: each row as high as its wrapped text).
    wrap: Mapping[str, float] = field(default_factory=dict)


def summary_frame(rows: list[tuple[str, Any]], dataset: Dataset) -> pd.DataFrame:
    """The Summary sheet: metric and value (what read_plan reads), then the unit, money totals
    in millions, and what the metric means."""
    currency = str(dataset.settings.get("currency") or "")
    first_year = dataset.first_year
    records = []
    for metric, value in rows:
        kind, meaning = summary_term(metric)
        unit = {"money": f"{currency}, discounted to {first_year}", "seconds": "seconds"}.get(kind, "")
        money = kind == "money" and isinstance(value, (int, float)) and not isinstance(value, bool)
        records.append((metric, value, unit, value if money else None, meaning))
    return pd.DataFrame(records, columns=list(SUMMARY_COLUMNS))


def _summary_layout(frame: pd.DataFrame) -> SheetLayout:
    kinds = [summary_term(m)[0] for m in frame["metric"]]
    value_formats = [FORMATS.get(kind) for kind in kinds]
    millions = [FORMATS["millions"] if kind == "money" else None for kind in kinds]
    notes = {"metric": "Name of the figure (cost.<component> for each cost component).",
             "value": "The figure; money in the input currency, discounted to first_year.",
             "unit": "Unit of the value.",
             "in millions": "Money totals in millions of the currency (the same value, shown shorter).",
             "meaning": "What the figure is."}
    return SheetLayout((None, value_formats, None, millions, None), notes, one_page=True,
                       wrap={"metric": 24, "value": 22, "unit": 23, "meaning": 62})


def plan_layouts(sheets: Mapping[str, pd.DataFrame], dataset: Dataset) -> dict[str, SheetLayout]:
    """Number formats and header notes of every plan sheet: result sheets from
    planner.io.plan_terms (quantities per row in their material's unit), Input copies from
    the manifest's units."""
    currency = str(dataset.settings.get("currency") or "")
    first_year = dataset.first_year
    mats = dataset["Materials"]
    units = dict(zip(mats["material"].astype(str), mats["unit"].astype(str)))
    fac = dataset["Facilities"]
    facility_material = dict(zip(fac["facility"].astype(str), fac["material"].astype(str)))
    layouts: dict[str, SheetLayout] = {}
    for name, frame in sheets.items():
        if name == SUMMARY:
            layouts[name] = _summary_layout(frame)
        elif name.startswith(INPUT_PREFIX):
            layouts[name] = _input_layout(name[len(INPUT_PREFIX):], frame)
        elif name in COLUMN_TERMS:
            formats, notes = [], {}
            for column in frame.columns:
                kind, meaning = column_term(name, str(column), currency, first_year)
                notes[str(column)] = meaning
                if kind in ("quantity", "capacity"):
                    material = frame["material"] if "material" in frame.columns else \
                        frame["facility"].astype(str).map(facility_material)
                    per_material = {m: quantity_format(u, kind == "capacity", kind) for m, u in units.items()}
                    formats.append(material.astype(str).map(per_material).where(lambda f: f.notna(), None).tolist())
                else:
                    formats.append(FORMATS.get(kind))
            layouts[name] = SheetLayout(tuple(formats), notes)
    return layouts


def _input_layout(sheet_name: str, frame: pd.DataFrame) -> SheetLayout:
    """An Input copy: years as years, money as money; each header's note from the manifest."""
    from planner.io.template import column_note

    if sheet_name not in manifest.SHEETS_BY_NAME:
        return SheetLayout()
    columns = {c.name: c for c in manifest.sheet(sheet_name).columns}
    if sheet_name == "Settings":
        return SheetLayout(notes={"key": "Setting name.", "value": "Its value as solved (defaults filled in)."})
    formats, notes = [], {}
    for name in frame.columns:
        col = columns.get(str(name))
        formats.append(input_column_format(col.unit) if col is not None else None)
        if col is not None:
            notes[str(name)] = column_note(col)
    return SheetLayout(tuple(formats), notes)


# ------------------------------------------------------------------ the Read me sheet


def add_read_me(wb: Workbook, summary: Mapping[str, Any], dataset: Dataset, sheet_names: list[str]) -> None:
    """The first sheet: what the plan is, its status in plain words, what "discounted to
    first_year" means, and each sheet in a line."""
    from planner.schema.names import names_of

    ws = wb.create_sheet(READ_ME, 0)
    wb.active = 0
    names = names_of(dataset)
    s = dataset.settings
    currency = str(s.get("currency") or "")
    first, last = dataset.years[0], dataset.years[-1]
    scen = dataset["Scenarios"]
    scenarios = ", ".join(f"{sid} {p:.0%}" for sid, p in zip(scen["scenario"], scen["probability"]))
    rate = float(s.get("discount_rate") or 0.0)
    later = first + 4
    example = 1_000_000 * (1 + rate) ** -(later - first)
    cvar = float(s.get("cvar_weight") or 0.0)
    objective = summary.get("objective")
    lines: list[tuple[str, str]] = [
        ("What this plan is",
         f"The least-cost way found by trust-planner {summary.get('planner_version', __version__)} to meet the "
         f"demand for {len(dataset['Materials'])} materials in {names.country_name(names.home)} from {first} to "
         f"{last}: which foreign offers to contract, how much to buy from which country, which domestic facilities "
         f"to build and when, and how to finance them, under the input's policy targets and "
         f"{len(scen)} scenario{'' if len(scen) == 1 else 's'} ({scenarios}). Solved from "
         f"{summary.get('input_file', '')} "
         f"on {summary.get('created_at', '')}."),
        ("Status", status_sentence(str(summary.get("status", "")), number_or_none(objective),
                                   number_or_none(summary.get("best_bound")), number_or_none(summary.get("gap")),
                                   currency)),
        ("Total cost",
         f"{money_text(number_or_none(objective), currency)}: the expected discounted cost over the scenarios"
         + (f" plus {cvar:g} x CVaR at {float(s.get('cvar_alpha') or 0):g} of the scenario costs (risk aversion)"
            if cvar > 0 else "")
         + ". The Summary sheet breaks it into its components."),
        ("Money",
         f"Every amount is in {currency or 'the input currency'}. \"Discounted to {first}\" (first_year) means an "
         f"amount paid in a later year is divided by (1 + discount rate) for each year after {first}: at the "
         f"input's discount_rate of {rate:.1%}, 1,000,000 {currency} paid in {later} counts as "
         f"{example:,.0f} {currency}. Costs summed that way compare as of {first}. Prices per unit "
         "(landed_unit_cost) and financing draws are not discounted; each column's header note says which."),
        ("Expected",
         "\"Expected\" figures weigh each scenario by its probability. Purchases, production, stock and "
         "shortages are decided per scenario; contracts, builds and financing once for all scenarios."),
        ("Quantities",
         "In each material's own unit, shown in the cell (for example 1,500.0 t; capacities per year). "
         "Hover over a column header for its meaning and unit. Shares are percentages."),
        ("Printing", "Every sheet prints landscape, one page wide, with its header row on every page; the "
                     "Summary prints on one page; each chart on the Charts sheet has its own page."),
        ("", ""),
        ("Sheet", "What it holds"),
    ]
    shown = [READ_ME] + [n for n in sheet_names if not n.startswith(INPUT_PREFIX)]
    if CHART_SHEET in wb.sheetnames and CHART_SHEET not in shown:
        shown.append(CHART_SHEET)
    for name in shown:
        lines.append((name, SHEET_PURPOSES.get(name, "")))
    inputs = [n for n in sheet_names if n.startswith(INPUT_PREFIX)]
    if inputs:
        lines.append((f"{INPUT_PREFIX}<sheet>", INPUT_PURPOSE.format(
            sheet=", ".join(n[len(INPUT_PREFIX):] for n in inputs))))
    widths = (22, 110)
    ws.append([f"Sourcing plan: {summary.get('input_file', '')}", ""])
    ws["A1"].font = TITLE_FONT
    for label, text in lines:
        ws.append([label, text])
        ws.row_dimensions[ws._current_row].height = wrapped_height(zip((label, text), widths))
        for cell in ws[ws._current_row]:
            cell.alignment = WRAP
        ws.cell(ws._current_row, 1).font = BOLD
    for cell in ws[2 + lines.index(("Sheet", "What it holds"))]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    print_setup(ws, title_rows=None, one_page=True)


# ------------------------------------------------------------------ writing


def write_workbook_atomic(path: Path, sheets: dict[str, pd.DataFrame],
                          decorate: Any = None, layouts: Mapping[str, SheetLayout] | None = None,
                          kind: str | None = None) -> None:
    """Write `sheets` (name -> table) to `path`, whole or not at all (the workbook is
    built in memory, turned into bytes by planner.io.workbook_style.workbook_bytes and
    written by its write_atomic, which also gives the file the user's usual permissions).
    Every sheet gets a styled, frozen header with filters and the print setup of
    workbook_style.print_setup; `layouts` adds number formats and header notes by sheet.

    `decorate(workbook, worksheets)` may add sheets (charts) before saving; it must
    not write below the data rows of the given worksheets (append_rows' rule). `kind`
    (plan, comparison, diagnosis) marks the file as ours (planner.io.targets).
    """
    wb = Workbook()
    wb.remove(wb.active)  # the default "Sheet": the plan's sheets are exactly `sheets`
    worksheets = {}
    layouts = layouts or {}
    for name, frame in sheets.items():
        worksheets[name] = _write_sheet(wb, name, frame, layouts.get(name, SheetLayout()))
    if decorate is not None:
        decorate(wb, worksheets)
    # the document's own created time is the real one (a plan is not a committed file)
    write_atomic(path, workbook_bytes(wb, timestamp=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
                                      kind=kind))


def _write_sheet(wb: Workbook, name: str, frame: pd.DataFrame, layout: SheetLayout):
    ws = wb.create_sheet(title=name)
    columns = [str(c) for c in frame.columns]
    sample = frame.head(WIDTH_SAMPLE)
    for idx, col in enumerate(columns, start=1):
        fmt = layout.formats[idx - 1] if idx - 1 < len(layout.formats) else None
        formats = fmt if isinstance(fmt, list) else [fmt] * len(sample)
        texts = [_shown(v, f) for v, f in zip(sample.iloc[:, idx - 1], formats)]
        # +3: room for the filter button
        width = max([len(col) + 3] + [len(t) + 1 for t in texts])
        ws.column_dimensions[get_column_letter(idx)].width = min(max(MIN_WIDTH, width), MAX_WIDTH)
    for col, width in layout.wrap.items():
        if col in columns:
            ws.column_dimensions[get_column_letter(columns.index(col) + 1)].width = width
    ws.freeze_panes = "A2"
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx, value=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        note = layout.notes.get(col)
        if note:
            cell.comment = header_note(note)
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    print_setup(ws, one_page=layout.one_page)
    if layout.wrap:
        _append_wrapped(ws, frame, layout)
    else:
        # the data rows as sheet XML below the header (append_rows falls back to
        # ws.append for a sheet holding values it does not write itself, e.g. dates)
        append_rows(ws, _rows(frame), layout.formats)
    return ws


def _append_wrapped(ws, frame: pd.DataFrame, layout: SheetLayout) -> None:
    """A small sheet as openpyxl cells: formats, wrapped columns, rows as high as their text."""
    columns = [str(c) for c in frame.columns]
    wrapped = {columns.index(c): width for c, width in layout.wrap.items() if c in columns}
    # text columns after the first keep a space from the numbers on their left
    texts = {col for col in wrapped if col and frame.iloc[:, col].map(lambda v: v is None or isinstance(v, str)).all()}
    aligned = {col: Alignment(wrap_text=col in wrapped, vertical="top", horizontal="left" if col in texts else None,
                              indent=1 if col in texts else 0) for col in range(len(columns))}
    for index, values in enumerate(_rows(frame)):
        ws.append(values)
        number = ws._current_row
        for col, fmt in enumerate(layout.formats):
            fmt = fmt if fmt is None or isinstance(fmt, str) else fmt[index]
            if fmt is not None and values[col] is not None:
                ws.cell(number, col + 1).number_format = fmt
        for col, alignment in aligned.items():
            ws.cell(number, col + 1).alignment = alignment
        ws.row_dimensions[number].height = wrapped_height((values[c], w) for c, w in wrapped.items())


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


def _shown(value: Any, fmt: str | None) -> str:
    """About the text a cell shows in its number format (for column widths)."""
    v = _cell_value(value)
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if not fmt:
        return f"{v:,.2f}" if isinstance(v, float) and not v.is_integer() else str(v)
    unit = fmt.split('"')[1] if fmt.count('"') >= 2 else ""
    if fmt.endswith(',,"M"'):
        return f"{v / 1e6:,.1f}M"
    if "%" in fmt:
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        return f"{v * 100:,.{decimals}f}%"
    decimals = len(fmt.split('"')[0].split(".")[1]) if "." in fmt.split('"')[0] else 0
    thousands = "," if "," in fmt else ""
    return f"{v:{thousands}.{decimals}f}{unit}"
