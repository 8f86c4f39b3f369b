"""Charts planners read: Excel-native charts (openpyxl.chart) inside plan and comparison
workbooks, and the same charts as PNG files (matplotlib, optional).

A chart in Excel references cells, so each chart comes with its data table, written on
a ``Charts`` sheet beside the chart. Plan charts (expected over scenarios, i.e.
probability-weighted; with one scenario that is the base scenario):

- supply by country for each material over the years (stacked columns; domestic
  production is the home country's "(domestic production)" part)
- domestic capacity build-up per material (stacked columns by facility)
- the cost breakdown (expected discounted cost per component)

Materials, countries and facilities are named as a reader knows them
(planner.schema.names). The Charts sheet prints one chart per page (a page break
between blocks), landscape, one page wide.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.io.plan_terms import cost_label
from planner.schema.dataset import Dataset
from planner.schema.names import names_of

CHART_SHEET = "Charts"
#: The origin of domestic production among supply origins (country ids hold no parentheses).
DOMESTIC = "(domestic)"
#: A chart's width and height on the sheet, cm: about the width of a landscape A4 page.
_CHART_CM = (24.0, 9.0)
#: Rows the chart covers (rows of 15 points, 0.53 cm).
_CHART_ROWS = 18
#: Widths of the data columns under a chart: the categories, then one narrow column per series.
_FIRST_WIDTH, _DATA_WIDTH = 30, 12


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed (PNG export only; Excel charts need nothing extra)."""


@dataclass
class ChartBlock:
    """One chart and its data: the first column holds the categories, each further
    column is a series."""

    title: str
    data: pd.DataFrame
    #: "stacked" (stacked columns), "clustered" (side-by-side columns), "bar" (one series) or
    #: "scatter" (lines with markers over a numeric first column, e.g. a sweep or a frontier).
    kind: str = "stacked"
    y_title: str = ""
    x_title: str = ""


# ------------------------------------------------------------------ chart data


def plan_chart_blocks(tables: Mapping[str, pd.DataFrame], dataset: Dataset,
                      costs: Mapping[str, float]) -> list[ChartBlock]:
    """The charts of one plan, from its result tables, inputs and cost components."""
    blocks = supply_blocks(tables, dataset) + capacity_blocks(tables, dataset)
    cost = cost_block(costs, dataset)
    if cost is not None:
        blocks.append(cost)
    return blocks


def _probabilities(dataset: Dataset) -> pd.Series:
    scen = dataset["Scenarios"]
    return pd.Series(scen["probability"].to_numpy(float), index=scen["scenario"].astype(str)) \
        .groupby(level=0).sum()


#: Most materials given a supply chart: a plan over hundreds of materials (OR-Library
#: capb has 1,000) would otherwise carry a chart per material that nobody reads.
MAX_SUPPLY_CHARTS = 24


def supply_by_origin(tables: Mapping[str, pd.DataFrame], dataset: Dataset) -> pd.DataFrame:
    """Supply per scenario, material, year and origin: the supplier's country for purchases,
    :data:`DOMESTIC` for domestic production. Columns scenario, material, year, origin, quantity."""
    suppliers = dataset["Suppliers"].drop_duplicates("supplier").set_index("supplier")["country"]
    parts = []
    src = tables.get("Sourcing")
    if src is not None and len(src):
        country = src["country"].where(src["country"].astype(str) != "", src["supplier"].map(suppliers))
        parts.append(pd.DataFrame({"scenario": src["scenario"], "material": src["material"], "year": src["year"],
                                   "origin": country, "quantity": src["quantity"]}))
    prod = tables.get("Production")
    if prod is not None and len(prod):
        parts.append(pd.DataFrame({"scenario": prod["scenario"], "material": prod["material"], "year": prod["year"],
                                   "origin": DOMESTIC, "quantity": prod["quantity"]}))
    if not parts:
        return pd.DataFrame(columns=["scenario", "material", "year", "origin", "quantity"])
    flows = pd.concat(parts, ignore_index=True)
    flows["year"] = flows["year"].astype(int)
    flows["quantity"] = flows["quantity"].fillna(0.0).astype(float)
    return flows


def expected_supply(flows: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """:func:`supply_by_origin` weighted by scenario probability and summed over scenarios."""
    weighted = flows.assign(quantity=flows["quantity"] * flows["scenario"].map(_probabilities(dataset)).fillna(0.0))
    return weighted.groupby(["material", "year", "origin"], as_index=False)["quantity"].sum()


def expected_totals(table: pd.DataFrame, dataset: Dataset, keys: list[str], value: str) -> pd.Series:
    """``value`` summed per ``keys``; where ``table`` has a scenario column (purchases, or the builds
    and draws of a plan solved with Settings recourse_builds) each row weighted by its scenario's
    probability: the expectation over scenarios."""
    if table is None or table.empty:
        return pd.Series(dtype=float)
    amount = table[value].fillna(0.0).astype(float)
    if "scenario" in table.columns:
        amount = amount * table["scenario"].astype(str).map(_probabilities(dataset)).fillna(0.0)
    return amount.groupby([table[k] for k in keys]).sum()


def supply_tables(flows: pd.DataFrame, materials: list[str], years: list[int]) -> dict[str, pd.DataFrame]:
    """Each material's supply as a year x origin table: origins by total supply, largest
    first, domestic production last; origins that never supply left out (one grouping for
    all materials: a pivot per material cost ~15 ms each)."""
    wide = flows.groupby(["material", "year", "origin"])["quantity"].sum().unstack("origin", fill_value=0.0)
    present = set(wide.index.get_level_values("material"))
    out = {}
    for material in materials:
        if material not in present:
            out[material] = pd.DataFrame(index=pd.Index(years, name="year"))
            continue
        table = wide.loc[material].reindex(years, fill_value=0.0)
        totals = table.sum()
        order = [c for c in totals.sort_values(ascending=False, kind="stable").index
                 if c != DOMESTIC and abs(table[c]).sum() > 1e-9]
        if DOMESTIC in table.columns and abs(table[DOMESTIC]).sum() > 1e-9:
            order.append(DOMESTIC)
        out[material] = table[order].rename_axis(None, axis=1).rename_axis("year")
    return out


def supply_blocks(tables: Mapping[str, pd.DataFrame], dataset: Dataset) -> list[ChartBlock]:
    """Per material (the first MAX_SUPPLY_CHARTS in Materials order that are supplied):
    expected supply by country (and domestic production) per year."""
    names = names_of(dataset)
    flows = supply_by_origin(tables, dataset)
    if flows.empty:
        return []
    expected = expected_supply(flows, dataset)
    supplied = set(expected["material"])
    charted = [m for m in dataset["Materials"]["material"].astype(str) if m in supplied][:MAX_SUPPLY_CHARTS]
    blocks = []
    tables = supply_tables(expected, charted, dataset.years)
    for material in charted:
        pivot = tables[material]
        if pivot.shape[1] == 0:
            continue
        data = pivot.reset_index()
        data.columns = ["year"] + [names.domestic if c == DOMESTIC else names.country(c) for c in pivot.columns]
        blocks.append(ChartBlock(f"Supply of {names.material(material)} by country (expected)", data, "stacked",
                                 y_title=names.unit(material), x_title="year"))
    return blocks


def capacity_blocks(tables: Mapping[str, pd.DataFrame], dataset: Dataset) -> list[ChartBlock]:
    """Per material with domestic facilities: capacity per facility per year (expected over scenarios
    in a plan solved with Settings recourse_builds)."""
    builds = tables.get("Builds")
    fac = dataset["Facilities"]
    if builds is None or builds.empty or fac.empty:
        return []
    out_material = dict(zip(fac["facility"].astype(str), fac["material"].astype(str)))
    cap = builds.assign(material=builds["facility"].map(out_material))
    names = names_of(dataset)
    blocks = []
    # expected over scenarios where builds differ by scenario (Settings recourse_builds)
    wide = expected_totals(cap, dataset, ["material", "year", "facility"], "capacity").unstack("facility",
                                                                                              fill_value=0.0)
    for material in [m for m in dataset["Materials"]["material"].astype(str) if m in set(cap["material"])]:
        pivot = wide.loc[material].reindex(dataset.years, fill_value=0.0)
        pivot = pivot[[c for c in pivot.columns if pivot[c].abs().sum() > 1e-9]]
        if pivot.shape[1] == 0:
            continue
        data = pivot.reset_index()
        data.columns = ["year"] + [names.facility(c) for c in pivot.columns]
        unit = names.unit(material)
        title = f"Domestic capacity for {names.material(material)}" + (" (expected)" if "scenario" in cap else "")
        blocks.append(ChartBlock(title, data, "stacked",
                                 y_title=f"{unit}/year" if unit else "per year", x_title="year"))
    return blocks


def cost_block(costs: Mapping[str, float], dataset: Dataset | None = None) -> ChartBlock | None:
    rows = [(cost_label(name), float(value)) for name, value in costs.items()
            if value is not None and not math.isnan(float(value)) and abs(float(value)) > 1e-9]
    if not rows:
        return None
    currency = str((dataset.settings.get("currency") if dataset is not None else "") or "")
    data = pd.DataFrame(rows, columns=["component", "expected discounted cost"])
    return ChartBlock("Cost breakdown (expected, discounted)", data, "bar", y_title=currency)


# ------------------------------------------------------------------ Excel


def add_chart_sheet(wb, blocks: list[ChartBlock], title: str = CHART_SHEET, before: str | None = None):
    """Write `blocks` on a new sheet of `wb`, placed before the sheet titled `before` if
    given. Each block prints on its own page: its title, the chart, then the chart's data
    (header names wrapped in narrow columns, so the page is about as wide as the chart).
    Returns the sheet."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from planner.io.workbook_style import BOLD, TITLE_FONT, WRAP, print_setup

    ws = wb.create_sheet(title=title)
    n_columns = max([2] + [b.data.shape[1] for b in blocks])
    ws.column_dimensions["A"].width = _FIRST_WIDTH
    for idx in range(2, n_columns + 1):
        ws.column_dimensions[get_column_letter(idx)].width = _DATA_WIDTH
    row = 1
    for number, block in enumerate(blocks):
        if number:
            ws.row_breaks.append(Break(id=row - 1))  # each chart starts a printed page: none is cut
        data = block.data
        n_rows, n_cols = data.shape
        _append(ws, [block.title], font=TITLE_FONT)
        anchor = row + 1
        for _ in range(_CHART_ROWS):
            _append(ws, [])
        header_row = anchor + _CHART_ROWS
        _append(ws, list(data.columns), font=BOLD)
        longest = max(len(str(c)) for c in data.columns[1:]) if n_cols > 1 else 0
        ws.row_dimensions[header_row].height = 15 * max(1, -(-longest // (_DATA_WIDTH - 1)))
        for cell in ws[header_row]:
            cell.alignment = WRAP
        for values in data.itertuples(index=False, name=None):
            _append(ws, [_plain(v) for v in values])
            for col in range(2, n_cols + 1):
                ws.cell(row=ws._current_row, column=col).number_format = "#,##0"
        _append(ws, [])

        if block.kind == "scatter":
            ws.add_chart(_scatter(ws, block, header_row), f"A{anchor}")
            row = ws._current_row + 1
            continue
        chart = BarChart()
        chart.type = "col" if block.kind != "bar" else "bar"
        if block.kind == "stacked":
            chart.grouping = "stacked"
            chart.overlap = 100
        else:
            chart.grouping = "clustered"
        chart.title = block.title
        chart.y_axis.title = block.y_title or None
        chart.x_axis.title = block.x_title or None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.width, chart.height = _CHART_CM
        if n_rows and n_cols > 1:
            values = Reference(ws, min_col=2, max_col=n_cols, min_row=header_row, max_row=header_row + n_rows)
            chart.add_data(values, titles_from_data=True)
            cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + n_rows)
            if data.iloc[:, 0].map(lambda v: isinstance(v, str)).any():
                for series in chart.series:
                    series.cat = AxDataSource(strRef=StrRef(f=str(cats)))
            else:
                chart.set_categories(cats)
        if block.kind == "bar":
            chart.legend = None
        ws.add_chart(chart, f"A{anchor}")
        row = ws._current_row + 1
    print_setup(ws, title_rows=None)
    if before is not None and before in wb.sheetnames:
        offset = wb.sheetnames.index(before) - wb.sheetnames.index(title)
        wb.move_sheet(title, offset)
    return ws


def _scatter(ws, block: ChartBlock, header_row: int):
    """Each further column of ``block.data`` against its first (numeric) column."""
    from openpyxl.chart import Reference, ScatterChart, Series

    n_rows, n_cols = block.data.shape
    chart = ScatterChart()
    chart.title = block.title
    chart.style = 13
    chart.y_axis.title = block.y_title or None
    chart.x_axis.title = block.x_title or None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = _CHART_CM
    xs = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + n_rows)
    for col in range(2, n_cols + 1):
        ys = Reference(ws, min_col=col, min_row=header_row, max_row=header_row + n_rows)
        series = Series(ys, xs, title_from_data=True)
        series.marker.symbol = "circle"
        chart.series.append(series)
    return chart


def _append(ws, values: list, font=None) -> None:
    ws.append(values)
    if font is not None:
        # only the cells just appended: ws[row] would add styled blank cells up to the sheet's widest row
        for col in range(1, len(values) + 1):
            ws.cell(row=ws._current_row, column=col).font = font


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# ------------------------------------------------------------------ PNG


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartsUnavailable("PNG charts need matplotlib: pip install 'trust-planner[plots]'") from None
    return plt


def export_pngs(blocks: list[ChartBlock], directory: str | Path, prefix: str) -> list[Path]:
    """One PNG per chart block in `directory`, named `<prefix>-<chart title>.png`, each
    written whole or not at all and marked as ours (planner.io.targets.PNG_SOFTWARE).

    Raises planner.io.targets.TargetError, before writing any, if a file of that name
    exists that is not a chart of ours."""
    from planner.io.targets import PNG_SOFTWARE, TargetError, file_kind
    from planner.io.workbook_style import write_atomic

    directory = Path(directory)
    images = {directory / f"{_slug(prefix)}-{_slug(block.title)}.png": _png(block, PNG_SOFTWARE)
              for block in blocks}
    for path in images:
        if path.exists() and file_kind(path) not in ("png", "empty"):
            raise TargetError(f"{path} exists and is not a chart written by trust-planner; no chart was written. "
                              "Choose another folder, or move the file away first.")
    return [write_atomic(path, data) for path, data in images.items()]


def _png(block: ChartBlock, software: str) -> bytes:
    """One chart as PNG bytes, with ``software`` as its Software text chunk."""
    plt = _pyplot()
    data = block.data.set_index(block.data.columns[0])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    fig.subplots_adjust(left=0.2 if block.kind == "bar" else 0.1, right=0.97, top=0.9,
                        bottom=0.25 if block.kind == "clustered" else 0.14)
    try:
        if block.kind == "bar":
            data.iloc[:, 0].plot.barh(ax=ax, color="#1F4E78")
            ax.invert_yaxis()
            ax.set_xlabel(block.y_title)
            ax.set_ylabel("")
        else:
            text = any(isinstance(v, str) for v in data.index)
            data.plot.bar(ax=ax, stacked=block.kind == "stacked", rot=35 if text else 0)
            if text:
                for label in ax.get_xticklabels():
                    label.set_horizontalalignment("right")
            ax.set_ylabel(block.y_title)
            ax.set_xlabel(block.x_title)
            ax.legend(fontsize="small", frameon=False)
        ax.set_title(block.title)
        ax.grid(axis="y" if block.kind != "bar" else "x", alpha=0.3)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=100, metadata={"Software": software})
        return out.getvalue()
    finally:
        plt.close(fig)


def export_plan_pngs(plan, directory: str | Path) -> list[Path]:
    """The plan charts of a :class:`~planner.plans.saved_plan.SavedPlan` as PNG files."""
    return export_pngs(plan_chart_blocks(plan.tables, plan.dataset, plan.costs), directory, plan.name)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "chart"
