"""Bad input that used to pass or to come back without a cell (issue 11 items 4-6, 8; issue 15
item 6): data under a blank or misspelt header, values the solver cannot take, damaged cells,
existing modules above the maximum, invisible characters and near-miss ids, a share written
as a percentage, files that are not .xlsx workbooks."""

from __future__ import annotations

import copy
import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from input_helpers import base, entries, one, problems, rezip, sheet_part, workbook_bytes, write
from models.outcome import SolveOptions, Status
from models.solve import solve_dataset
from planner.io.reading import read_input, read_raw
from planner.io.reading.sheets import RawWorkbook
from planner.io.template import write_input_workbook
from planner.schema import manifest
from planner.schema.problems import InputError, figure
from planner.validation import validate
from planner.validation.magnitudes import MAX_SCENARIO_UNIT_COST
from tests.plans.cases import rich_dataset


@pytest.fixture(scope="module")
def rich_raw(tmp_path_factory):
    """The rich two-year case as a template-written workbook (every manifest column present),
    read once: each test changes cells of the raw read and validates it again."""
    ds = rich_dataset()
    path = write_input_workbook(tmp_path_factory.mktemp("rich") / "rich.xlsx", ds.tables, ds.settings)
    return read_raw(path.read_bytes(), path.name)


def _with(raw_input, edits: list[tuple[str, str, object]]):
    """Problems (errors) validating the raw read with (sheet, column, value) set in the first
    data row (Settings: the row of that key, added if missing); [] when valid."""
    sheets = dict(raw_input.raw.sheets)
    for sheet_name, column, value in edits:
        s = sheets[sheet_name]
        rows, excel_rows = list(s.rows), list(s.excel_rows)
        if sheet_name == "Settings":
            keys = [r[s.columns["key"] - 1] for r in rows]
            if column in keys:
                i = keys.index(column)
                rows[i] = (column, value)
            else:
                rows.append((column, value))
                excel_rows.append(max(excel_rows) + 1)
        else:
            row = list(rows[0])
            row[s.columns[column] - 1] = value
            rows[0] = tuple(row)
        sheets[sheet_name] = replace(s, rows=rows, excel_rows=excel_rows)
    try:
        validate(RawWorkbook(sheets, list(raw_input.raw.problems)), raw_input.source)
    except InputError as exc:
        return exc.problems
    return []


# ---- item 4: values under a blank or unknown header -----------------------------------------

def _example_with_header(tmp_path: Path, sheet: str, column: str, header) -> Path:
    from planner import cli

    wb = load_workbook(cli.EXAMPLE)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(1, col).value = header
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def test_a_blank_header_over_values_is_an_error_naming_the_cells(tmp_path):
    # the issue's case: country caps silently dropped (the example's 10: NdPr, NdFeB 2028-2035, PAP;
    # rows 2-12, row 11 holding NdFeB's 2027 reserve only), the plan that much cheaper
    found = problems(_example_with_header(tmp_path, "Policies", "max_country_share", None))
    p = one(found, sheet="Policies")
    assert p.cell == "Policies!D2:D12" and p.value == "10 value(s) under a blank header"
    assert "a column name in Policies!D1 (the template has max_country_share in this column)" in p.expected


def test_a_misspelt_header_over_values_is_an_error_an_extra_column_a_warning(tmp_path):
    found = problems(_example_with_header(tmp_path, "Policies", "max_country_share", "max_country_shar"))
    p = one(found, cell="Policies!D1")
    assert "did you mean 'max_country_share'?" in p.expected and "10 value(s) below would be ignored" in p.expected
    sheets = base()
    sheets["Offers"][0].append("notes")  # SPEC: an unknown extra column is allowed (a warning)
    sheets["Offers"][1].append("preferred supplier")
    dataset, warnings = read_input(write(tmp_path, sheets))
    w = one(warnings, cell="Offers!F1")
    assert w.severity == "warning" and "it and its 1 value(s) are ignored" in w.expected


def test_values_right_of_the_last_header_are_found(tmp_path):
    # clearing the last header shortens the header row: its column is still looked at
    sheets = base()
    sheets["Offers"][0][4] = None  # available_from
    p = one(problems(write(tmp_path, sheets)), sheet="Offers")
    assert p.cell == "Offers!E3" and "(the template has capacity in this column)" not in p.expected


# ---- item 5: values the solver cannot take, refused at the cell ------------------------------

def _numeric_columns():
    for sheet in manifest.SHEETS:
        for col in sheet.columns:
            if col.kind in ("number", "integer"):
                yield sheet.name, col
    for col in manifest.SETTINGS:
        if col.kind in ("number", "integer"):
            yield "Settings", col


def test_every_numeric_column_has_a_largest_value():
    # years are held to the horizon or manifest.YEAR_RANGE instead
    lacking = [f"{s}.{c.name}" for s, c in _numeric_columns() if c.maximum is None and c.unit != "year"]
    assert lacking == []


def test_every_value_above_its_largest_is_refused_at_its_cell_with_the_reason(rich_raw):
    for sheet, col in _numeric_columns():
        if col.maximum is None:
            continue
        over = col.maximum * 10 if col.maximum >= 1 else col.maximum + 1
        found = [p for p in _with(rich_raw, [(sheet, col.name, over)]) if p.column == col.name]
        assert len(found) == 1, (sheet, col.name, found)
        assert "at most" in found[0].expected or " to " in found[0].expected, found[0]
        if col.maximum_note:
            assert "larger unit" in found[0].expected


@pytest.mark.parametrize("sheet, column, value", [
    ("Demand", "quantity", 1e20), ("Offers", "capacity", 1e300), ("Facilities", "capex_per_module", 1e300),
    ("Recipes", "quantity_per_unit", 1e300), ("Financing", "min_draw", 1e15), ("Settings", "cvar_weight", 1e300),
    ("Settings", "carbon_price", 1e300),
])
def test_the_issues_extreme_values_are_refused(rich_raw, sheet, column, value):
    # each reached HiGHS before: "HiGHS refused the model" (exit 1) or "no plan in 0.0 s" (exit 4)
    found = _with(rich_raw, [(sheet, column, value)])
    assert [p.column for p in found] == [column] and "at most" in found[0].expected


def test_the_solver_takes_every_column_at_its_largest_value(tmp_path):
    # the bounds are not arbitrary: HiGHS takes the model with each of them at once (it refused
    # matrix coefficients above 1e15); the products held by planner.validation.magnitudes are
    # kept at their own limits: carbon price x intensity, and one price factor per offer and year
    ds = rich_dataset()
    for sheet in manifest.SHEETS:
        if sheet.name in ds.tables and len(ds.tables[sheet.name]):
            t = ds.tables[sheet.name].copy()
            for col in sheet.columns:
                if col.kind == "number" and col.maximum is not None and col.name != "probability":
                    t[col.name] = col.maximum
            ds.tables[sheet.name] = t
    ds.settings.update(carbon_price=manifest.MAX_UNIT_MONEY / manifest.MAX_RATIO,
                       shortage_penalty=manifest.MAX_UNIT_MONEY, cvar_weight=100.0)
    path = write_input_workbook(tmp_path / "largest.xlsx", ds.tables, ds.settings)
    dataset, _ = read_input(path)  # valid input
    outcome = solve_dataset(dataset, SolveOptions(time_limit_s=30, marginals=False))
    assert outcome.status in (Status.OPTIMAL, Status.TIME_LIMIT, Status.INFEASIBLE, Status.UNBOUNDED), \
        outcome.message


def test_products_beyond_the_solver_are_refused_at_the_cell_that_drives_them(rich_raw):
    # carbon cost of a unit: 1e9 per tCO2e x 1e6 tCO2e per unit = 1e15
    found = _with(rich_raw, [("Settings", "carbon_price", 1e9), ("Offers", "carbon_intensity", 1e6)])
    p = one(found, column="carbon_intensity")
    assert p.cell == "Offers!F2" and "carbon cost of a unit, 1e15" in p.expected
    # two Disruptions rows of price factor 100 on AU's offer in 2027 multiply to 10,000:
    # 1e11 x 10,000 x (1 + tariff 0.1) + freight = 1.1e15 > 5e14
    raw = copy.deepcopy(rich_raw)
    dis = raw.raw.sheets["Disruptions"]
    pf = dis.columns["price_factor"] - 1
    doubled = [tuple(100.0 if i == pf else v for i, v in enumerate(row)) for row in dis.rows * 2]
    raw.raw.sheets["Disruptions"] = replace(dis, rows=doubled, excel_rows=[2, 3])
    p = one(_with(raw, [("Offers", "unit_cost", 1e11)]), column="unit_cost")
    assert p.cell == "Offers!C2" and "scenario ban, year 2027" in p.expected
    assert "Disruptions rows 2, 3 multiply to 10,000" in p.expected and figure(MAX_SCENARIO_UNIT_COST) in p.expected
    # 1e10 x 10,000 x 1.1 is below 5e14 (refused for another reason only: 5e9 times the median price)
    assert [p.expected for p in _with(raw, [("Offers", "unit_cost", 1e10)])] == [
        "at most 2e7: 1e7 times the median price of a unit in this workbook (2, Offers and Facilities unit_cost); "
        "costs per unit further apart than that are beyond what the solver tells apart (is the unit right?)"]


# ---- issue 15 item 6: a share written as a percentage, near-miss and invisible ids -----------

def test_a_share_written_as_50_gets_the_hint_half(rich_raw):
    p = one(_with(rich_raw, [("Countries", "risk", 50)]), column="risk")
    assert p.expected == "a share from 0 to 1 (0.5? a share is written 0.5 for 50%)"


def test_an_id_that_nearly_matches_gets_did_you_mean(tmp_path):
    sheets = base()
    sheets["Suppliers"][2][1] = "AUS"
    p = one(problems(write(tmp_path, sheets)), cell="Suppliers!B3")
    assert p.expected == "an id of the Countries sheet (did you mean 'AU'?)"


def test_an_id_with_a_zero_width_space_shows_the_invisible_character(tmp_path):
    sheets = base()
    sheets["Offers"][1][1] = "Li\u200b"
    p = one(problems(write(tmp_path, sheets)), cell="Offers!B2")
    assert p.value == "Li<U+200B>"  # shown, not identical to the valid id
    assert "invisible character(s) U+200B ZERO WIDTH SPACE; did you mean 'Li'?" in p.expected


# ---- item 6: damaged cells, existing modules ------------------------------------------------

@pytest.mark.parametrize("old, new, cell, why", [
    (b'<c r="C2" t="n"><v>100</v>', b'<c r="C2" t="n"><v>abc</v>', "Offers!C2", "a number, as the cell's type says"),
    (b'<c r="A2" t="inlineStr"><is><t>S1</t></is></c>', b'<c r="A2" t="s"><v>999</v></c>', "Offers!A2",
     "an entry of the workbook's shared-strings table"),
])
def test_a_damaged_cell_is_named_and_the_workbook_said_damaged(tmp_path, old, new, cell, why):
    data = workbook_bytes(base())
    part = sheet_part(data, "Offers")
    xml = dict(entries(data))[part]
    assert old in xml
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(rezip(data, {part: xml.replace(old, new)}))
    p = one(problems(path), cell=cell)
    assert why in p.expected and "the workbook is damaged" in p.expected


def test_existing_modules_above_max_modules_is_refused(rich_raw):
    found = _with(rich_raw, [("Facilities", "existing_modules", 3)])  # max_modules 2
    p = one(found, column="existing_modules")
    assert p.expected.startswith("at most max_modules (2)")


# ---- item 8: files that are not workbooks ---------------------------------------------------

def test_a_fifo_or_device_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert "not a regular file" in problems(fifo)[0].expected  # reading it would block forever
    if os.path.exists("/dev/zero"):
        p = problems(Path("/dev/zero"))[0]
        assert "not a regular file" in p.expected and "bytes" not in p.value


def test_an_ods_file_is_told_to_be_saved_as_xlsx(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:  # what LibreOffice writes: mimetype first, stored
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    path = tmp_path / "plan.ods"
    path.write_bytes(out.getvalue())
    assert "OpenDocument file (.ods" in problems(path)[0].expected and "save it as an Excel workbook (.xlsx)" \
        in problems(path)[0].expected
