"""The input workbook writer: blank template, filled workbook, determinism, round trip."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from input_helpers import problems, write
from planner.schema import manifest
from planner.io.reading import read_input, read_workbook
from planner.io.template import id_range_name, write_input_workbook


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    write_input_workbook(path)
    return path


def test_blank_template_has_every_sheet_and_header_in_manifest_order(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [manifest.INSTRUCTIONS_SHEET] + [s.name for s in manifest.SHEETS]
    for sheet in manifest.SHEETS:
        ws = wb[sheet.name]
        header = [c.value for c in ws[1]]
        assert header == list(sheet.column_names), sheet.name
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        for cell, col in zip(ws[1], sheet.columns):
            note = cell.comment.text
            assert col.description in note and ("Required" in note) == col.required
    settings = {r[0]: r[1] for r in wb["Settings"].iter_rows(min_row=2, values_only=True)}
    assert list(settings) == [c.name for c in manifest.SETTINGS]
    assert settings["discount_rate"] == 0.08 and settings["home_country"] is None


def test_dropdowns_and_named_id_ranges(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.defined_names[id_range_name("Materials")].attr_text == "Materials!$A$2:$A$1001"
    formulas = {}
    for sheet in ("Materials", "Countries", "Offers", "Policies"):
        for dv in wb[sheet].data_validations.dataValidation:
            for ref in str(dv.sqref).split():
                formulas[(sheet, ref.split(":")[0])] = (dv.formula1, dv.errorStyle)
    assert formulas[("Materials", "C2")][0] == '"mineral,pharma"'
    assert formulas[("Countries", "E2")][0] == '"TRUE,FALSE"'
    assert formulas[("Offers", "B2")][0] == "material_ids"
    assert formulas[("Policies", "A2")] == ("material_ids", "warning")  # '*' allowed


def test_deterministic_bytes(tmp_path):
    tables = {"Materials": pd.DataFrame({"material": ["Li"], "name": ["Lithium"], "sector": ["mineral"],
                                         "unit": ["t"]})}
    a = write_input_workbook(tmp_path / "a.xlsx", tables, {"first_year": 2030}, [("why", "test")])
    b = write_input_workbook(tmp_path / "b.xlsx", tables, {"first_year": 2030}, [("why", "test")])
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(io.BytesIO(a.read_bytes())) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_atomic_write_leaves_no_temp_files_and_replaces(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    write_input_workbook(target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert target.read_bytes()[:2] == b"PK"


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    from planner.io import workbook_style
    from planner.io.targets import WriteFailed

    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(workbook_style.os, "replace", boom)
    with pytest.raises(WriteFailed, match="the previous file is unchanged"):
        write_input_workbook(target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_blank_template_reads_as_problems_not_a_traceback(blank):
    found = problems(blank)
    assert {("Settings", "home_country"), ("Settings", "first_year"), ("Settings", "years")} <= {
        (p.sheet, p.column) for p in found}


def test_round_trip_of_a_dataset(tmp_path):
    first = read_workbook(write(tmp_path))
    tables = {name: frame.drop(columns="excel_row") for name, frame in first.tables.items()}
    path = write_input_workbook(tmp_path / "again.xlsx", tables, first.settings, [("a", "b")])
    again, warnings = read_input(path)
    assert not warnings
    assert again.settings == first.settings
    for name, frame in first.tables.items():
        got = again[name].drop(columns="excel_row").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, frame.drop(columns="excel_row"), obj=name)


def test_template_reference_doc_is_current():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "docs" / "build_template_reference.py"
    spec = importlib.util.spec_from_file_location("build_template_reference", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUT.read_text(encoding="utf-8") == module.render(), \
        "docs/template.md is out of date: run python docs/build_template_reference.py"
