"""The plan workbook: SPEC sheet names, Summary metrics, Input copies, atomic writing."""

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from models.outcome import TABLE_COLUMNS, SolveOutcome, Status
from planner.io import workbook_style
from planner.schema.dataset import from_records
from planner.io.plan import write_plan
from planner.io.targets import WriteFailed

SPEC_SHEETS = ["Summary", "KPIs", "Sourcing", "Contracts", "Builds", "Production", "Financing", "Stock",
               "Shortages"]


def _dataset():
    return from_records(
        {"home_country": "IN", "first_year": 2026, "years": 2},
        {"Materials": [{"material": "LI", "name": "Lithium", "sector": "mineral", "unit": "t"}],
         "Countries": [{"country": "IN", "name": "India", "risk": 0.1},
                       {"country": "AU", "name": "Australia", "risk": 0.05}],
         "Suppliers": [{"supplier": "S1", "country": "AU"}],
         "Offers": [{"supplier": "S1", "material": "LI", "unit_cost": 10.0}],
         "Demand": [{"material": "LI", "year": 2026, "quantity": 5}]},
    )


def _outcome():
    sourcing = pd.DataFrame([["base", 2026, "LI", "S1", "AU", 5.0, 10.0, 50.0]],
                            columns=TABLE_COLUMNS["Sourcing"])
    return SolveOutcome(Status.OPTIMAL, objective=50.0, bound=50.0, gap=0.0,
                        costs={"purchases_ex_works": 50.0}, tables={"Sourcing": sourcing},
                        solver={"name": "highs", "version": "1.x"})


def test_plan_has_spec_sheets_summary_and_input_copies(tmp_path: Path):
    path = write_plan(tmp_path / "plan.xlsx", _outcome(), _dataset())
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames[: len(SPEC_SHEETS) + 1] == ["Read me"] + SPEC_SHEETS
    assert "Input.Offers" in wb.sheetnames and "Input.Settings" in wb.sheetnames
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["objective"] == 50.0
    assert summary["status"] == "optimal"
    assert summary["cost.purchases_ex_works"] == 50.0
    assert summary["solver.name"] == "highs"
    rows = list(wb["Sourcing"].iter_rows(values_only=True))
    assert rows[0] == TABLE_COLUMNS["Sourcing"]
    assert rows[1] == ("base", 2026, "LI", "S1", "AU", 5, 10, 50)
    offers = list(wb["Input.Offers"].iter_rows(values_only=True))
    # defaults applied in the copy: freight 0, available_from = first_year
    header = offers[0]
    assert offers[1][header.index("freight_cost")] == 0
    assert offers[1][header.index("available_from")] == 2026
    # empty result sheets still carry their headers
    assert next(wb["Shortages"].iter_rows(values_only=True)) == TABLE_COLUMNS["Shortages"]


def test_plan_file_gets_the_usual_permissions(tmp_path: Path):
    # a shared plan must not end up private to its writer (a temp file is created 0600)
    import os

    mask = os.umask(0o022)
    try:
        path = write_plan(tmp_path / "plan.xlsx", _outcome(), _dataset())
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_failed_write_leaves_old_plan_and_no_partial_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"old plan")

    def boom(src, dst):
        raise OSError("disk full")

    # fails at the last step, after the temporary file was written in full
    monkeypatch.setattr(workbook_style.os, "replace", boom)
    with pytest.raises(WriteFailed, match="disk full; the previous file is unchanged"):
        write_plan(target, _outcome(), _dataset())
    assert target.read_bytes() == b"old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_plan_sheets_order_header_style_and_values(tmp_path: Path):
    # normal workbook + append_rows: no default "Sheet", Charts before the Input copies,
    # styled frozen headers, values converted (NaN blank, numpy as Python, lists as text)
    import datetime as dt

    import numpy as np

    extra = {"Notes": pd.DataFrame({"n": [np.int64(3), np.int64(4)], "x": [np.nan, 1.5],
                                    "tags": [["a", "b"], None]}),
             "Dated": pd.DataFrame({"when": [dt.datetime(2026, 1, 2)], "what": ["start"]})}
    path = write_plan(tmp_path / "plan.xlsx", _outcome(), _dataset(), extra_sheets=extra)
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[:len(SPEC_SHEETS) + 4] == ["Read me"] + SPEC_SHEETS + ["Notes", "Dated", "Charts"]
    assert names[len(SPEC_SHEETS) + 4] == "Input.Settings" and "Sheet" not in names
    assert wb.active.title == "Read me"
    for name in ("Summary", "Sourcing", "Input.Offers"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        head = ws["A1"]
        assert head.font.b and head.font.color.rgb.endswith("FFFFFF") and head.fill.fgColor.rgb.endswith("1F4E78")
    assert wb["Sourcing"]["A2"].font.b is not True  # data rows are not bold
    assert list(wb["Notes"].iter_rows(values_only=True)) == [("n", "x", "tags"), (3, None, "['a', 'b']"),
                                                             (4, 1.5, None)]
    assert list(wb["Dated"].iter_rows(values_only=True)) == [("when", "what"), (dt.datetime(2026, 1, 2), "start")]
    assert wb["Charts"]._charts  # charts read back (their ranges point into the Charts sheet)


def test_plan_cells_carry_formats_units_and_print_setup(tmp_path: Path):
    path = write_plan(tmp_path / "plan.xlsx", _outcome(), _dataset())
    wb = load_workbook(path)
    sourcing = wb["Sourcing"]
    # years as years, quantities in the material's unit, prices with cents, money whole
    assert [sourcing.cell(2, c).number_format for c in (2, 6, 7, 8)] == ["0", '#,##0.0" t"', "#,##0.00", "#,##0"]
    notes = {c.value: c.comment.text for c in sourcing[1]}
    assert "USD, discounted to 2026" in notes["cost"] and "not discounted" in notes["landed_unit_cost"]
    summary = {row[0].value: row for row in wb["Summary"].iter_rows(min_row=2)}
    assert [c.value for c in wb["Summary"][1]] == ["metric", "value", "unit", "in millions", "meaning"]
    objective = summary["objective"]
    assert objective[1].number_format == "#,##0" and objective[2].value == "USD, discounted to 2026"
    assert objective[3].value == 50.0 and objective[3].number_format == '#,##0.0,,"M"'
    assert summary["gap"][1].number_format == "0.00%" and summary["status"][3].value is None
    assert summary["cost.purchases_ex_works"][4].value == "Purchases at ex-works prices"
    # every header of a result sheet and of the Summary says what it holds (and its unit)
    for name in SPEC_SHEETS:
        ws = wb[name]
        assert all(cell.comment is not None and cell.comment.text for cell in ws[1]), name
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert ws.print_title_rows == "$1:$1"
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 1, True)
        # the Summary on one page; the long sheets one page wide and as many tall as needed
        assert setup.fitToHeight == (1 if name == "Summary" else 0)
    assert sourcing.auto_filter.ref == "A1:H2"
    assert wb["Input.Offers"]["C1"].comment.text.startswith("Ex-works price per unit.")


def test_read_me_says_what_the_plan_is_its_status_and_discounting(tmp_path: Path):
    path = write_plan(tmp_path / "plan.xlsx", _outcome(), _dataset())
    ws = load_workbook(path)["Read me"]
    text = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}
    assert "India" in text["What this plan is"] and "2026 to 2027" in text["What this plan is"]
    assert text["Status"] == "Optimal: no plan costs less than this one (50 USD)."
    # default discount rate 8 %: 1,000,000 paid in 2030 is 1,000,000 / 1.08^4 = 735,029.9 as of 2026
    assert "Discounted to 2026" in text["Money"] and "735,030 USD" in text["Money"]
    for sheet in ["Summary"] + SPEC_SHEETS[1:] + ["Charts"]:
        assert text[sheet], sheet
    assert ws.page_setup.fitToHeight == 1


def test_status_in_words_says_what_the_gap_means():
    from planner.io.plan_terms import status_sentence

    assert status_sentence("optimal", 7_062_154_068.3, 7_050_371_977.9, 0.0016683, "USD").startswith(
        "Optimal within 0.17 %: this plan costs 7,062.2 million USD, and the solver proved that no plan costs "
        "less than 7,050.4 million USD")
    late = status_sentence("time limit reached: best plan found, not proven optimal", 1000.0, 900.0, 0.1, "EUR")
    assert late.startswith("Not proven optimal") and "up to 10.0 % less" in late
