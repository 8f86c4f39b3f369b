"""write_input_workbook's fast rows: the same bytes as openpyxl's cells, much sooner."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from planner.io import workbook_style
from planner.schema import manifest
from planner.io.reading import read_input
from planner.io.template import write_input_workbook


def _openpyxl_rows(monkeypatch) -> None:
    def append_rows(ws, rows):
        for row in rows:
            ws.append(row)

    monkeypatch.setattr(workbook_style, "append_rows", append_rows)


def _both(tmp_path, monkeypatch, tables, settings=None, notes=None) -> tuple[bytes, bytes]:
    """(fast bytes, openpyxl bytes); ``_both.fast`` counts the sheets written as fast rows."""
    _both.fast = 0
    spliced = workbook_style._splice

    def counting(xml, rows):
        _both.fast += 1
        return spliced(xml, rows)

    with monkeypatch.context() as m:
        m.setattr(workbook_style, "_splice", counting)
        fast = write_input_workbook(tmp_path / "fast.xlsx", tables, settings, notes).read_bytes()
    with monkeypatch.context() as m:
        _openpyxl_rows(m)
        slow = write_input_workbook(tmp_path / "slow.xlsx", tables, settings, notes).read_bytes()
    return fast, slow


def _mixed_offers(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    texts = ["S1", " padded ", "a&b<c>\"'", "=not a formula?", "#N/A", "#DIV/0!", "é中文", "line\nbreak",
             "\r\nx", "tab\t", "x" * 40000, "123", "  ", ""]
    return pd.DataFrame({
        "supplier": [texts[i % len(texts)] for i in range(n)],
        "material": np.where(rng.random(n) < 0.5, "Li", None),
        "unit_cost": rng.normal(100, 50, n),
        "capacity": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 10**6, n).astype(float)),
        "freight_cost": [[0.1 + 0.2, 1e-300, 1e20, -0.0, 12345678901234567890, 2.5, 3][i % 7] for i in range(n)],
        "min_order": np.arange(n) % 3 == 0,  # booleans in a number column
        "available_from": rng.integers(2026, 2035, n).astype(float),
        "my_note": [[None, 7, 2.0, True, "note", np.int64(5), np.float32(0.5)][i % 7] for i in range(n)],
    })


def test_fast_rows_are_byte_identical_to_openpyxl_cells(tmp_path, monkeypatch):
    tables = {"Offers": _mixed_offers(300),
              "Materials": pd.DataFrame({"material": ["Li", "Co"], "name": ["Lithium", None],
                                         "sector": ["mineral", "pharma"], "unit": ["t", "t"]})}
    fast, slow = _both(tmp_path, monkeypatch, tables, {"first_year": 2030}, [("why", "test")])
    assert _both.fast == 2
    assert fast == slow


def test_values_openpyxl_must_handle_fall_back_to_it(tmp_path, monkeypatch):
    offers = _mixed_offers(20)
    offers["my_note"] = [dt.datetime(2026, 1, 1)] * 20  # a date: openpyxl writes it with a date style
    offers["capacity"] = math.inf
    fast, slow = _both(tmp_path, monkeypatch, {"Offers": offers})
    assert _both.fast == 0
    assert fast == slow


def test_illegal_characters_raise_as_before(tmp_path):
    offers = _mixed_offers(5)
    offers.loc[2, "supplier"] = "bad\x01"
    with pytest.raises(IllegalCharacterError):
        write_input_workbook(tmp_path / "bad.xlsx", {"Offers": offers})


def test_dimension_validations_and_round_trip(tmp_path):
    n = 2500
    offers = pd.DataFrame({"supplier": [f"S{i % 7}" for i in range(n)], "material": ["Li", "Co"] * (n // 2),
                           "unit_cost": np.arange(n) + 0.5})
    offers = offers.drop_duplicates(["supplier", "material"]).reset_index(drop=True)
    suppliers = pd.DataFrame({"supplier": [f"S{i}" for i in range(7)], "country": ["AU"] * 7})
    materials = pd.DataFrame({"material": ["Li", "Co"], "name": ["Lithium", "Cobalt"],
                              "sector": ["mineral", "mineral"], "unit": ["t", "t"]})
    countries = pd.DataFrame({"country": ["AU", "IN"], "name": ["Australia", "India"], "risk": [0.1, 0.0]})
    demand = pd.DataFrame({"material": ["Li"], "year": [2025], "quantity": [10.0]})
    path = write_input_workbook(tmp_path / "in.xlsx", {"Offers": offers, "Suppliers": suppliers,
                                                       "Materials": materials, "Countries": countries,
                                                       "Demand": demand},
                                {"home_country": "IN", "first_year": 2025, "years": 3})
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb["Offers"].max_row == len(offers) + 1
    assert wb["Offers"].max_column == len(manifest.sheet("Offers").columns)
    wb.close()
    dataset, warnings = read_input(path)
    assert not warnings
    assert dataset["Offers"]["unit_cost"].tolist() == offers["unit_cost"].tolist()
    assert dataset["Offers"]["excel_row"].tolist() == list(range(2, len(offers) + 2))


def test_append_rows_once_per_sheet_and_nothing_below(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["a", "b"])
    workbook_style.append_rows(ws, [[1, 2], [3, None]])
    with pytest.raises(ValueError):
        workbook_style.append_rows(ws, [[5, 6]])
    ws["A9"] = "below"
    with pytest.raises(ValueError):
        workbook_style.workbook_bytes(wb)


def test_fast_rows_with_number_formats_read_back_as_openpyxl_cells():
    # one format for a column, one per row (units that vary by row), General (None) and blanks
    rows = [["Li", 2026, 1500.0, 0.25, None], ["Co", 2027, 869.9999999999999, None, "x"], ["Li", 2028, 0.0, 1.0, ""]]
    formats = [None, "0", ['#,##0.0" t"', '#,##0.0" kg"', '#,##0.0" t"'], "0.0%", "#,##0"]

    def workbook(fast: bool) -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["material", "year", "quantity", "share", "note"])
        if fast:
            workbook_style.append_rows(ws, rows, formats)
            assert ws in workbook_style._ROWS  # really the fast path
        else:
            for row in rows:
                ws.append(row)
                for column, fmt in enumerate(formats, start=1):
                    fmt = fmt if fmt is None or isinstance(fmt, str) else fmt[ws._current_row - 2]
                    if fmt is not None and row[column - 1] is not None:
                        ws.cell(ws._current_row, column).number_format = fmt
        return workbook_style.workbook_bytes(wb)

    def cells(data: bytes) -> list:
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        return [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]

    # the same cells and formats (the style table may number them in another order)
    assert cells(workbook(True)) == cells(workbook(False))
    cells = openpyxl.load_workbook(io.BytesIO(workbook(True))).active
    assert cells["C2"].number_format == '#,##0.0" t"' and cells["C3"].number_format == '#,##0.0" kg"'
    assert (cells["B2"].number_format, cells["D2"].number_format, cells["A2"].number_format) == ("0", "0.0%",
                                                                                                "General")


def test_row_formats_must_match_the_rows():
    ws = openpyxl.Workbook().active
    with pytest.raises(ValueError, match="2 row formats for 3 rows"):
        workbook_style.append_rows(ws, [[1], [2], [3]], [["0", "0"]])
