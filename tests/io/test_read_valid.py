"""Valid inputs and near-misses: they read, with warnings where the SPEC says so."""

from __future__ import annotations

import math

import pandas as pd

from input_helpers import base, write
from planner.schema import manifest
from planner.schema.dataset import from_records
from planner.io.reading import read_input, read_workbook


def test_base_reads_with_defaults_and_excel_rows(tmp_path):
    dataset = read_workbook(write(tmp_path))
    assert dataset.settings["first_year"] == 2025 and dataset.settings["years"] == 5
    assert dataset.settings["discount_rate"] == 0.08 and dataset.settings["shortage_penalty"] is None
    offers = dataset["Offers"]
    assert list(offers.columns) == list(manifest.sheet("Offers").column_names) + ["excel_row"]
    assert offers["available_from"].tolist() == [2025.0, 2027.0, 2025.0]  # FIRST_YEAR marker applied
    assert offers["excel_row"].tolist() == [2, 3, 4]
    assert math.isnan(offers["capacity"].iloc[1]) and offers["freight_cost"].tolist() == [0.0] * 3
    countries = dataset["Countries"]
    assert countries["allied"].tolist() == [True, False, True]  # TRUE, FALSE, "yes"
    assert countries["sanctioned"].dtype == bool and not countries["sanctioned"].any()
    assert dataset["Facilities"].empty and list(dataset["Facilities"].columns)[-1] == "excel_row"
    assert dataset["Disruptions"]["from_year"].tolist() == [2025.0]


def test_absent_scenarios_sheet_gives_base(tmp_path):
    books = base()
    del books["Scenarios"], books["Disruptions"]
    books["Policies"] = [["material", "scenario", "max_country_share"], ["Li", "base", 0.5]]
    scenarios = read_workbook(write(tmp_path, books))["Scenarios"]
    assert scenarios["scenario"].tolist() == ["base"] and scenarios["probability"].tolist() == [1.0]


def test_empty_scenarios_sheet_gives_base(tmp_path):
    books = base()
    books["Scenarios"] = [["scenario", "probability"]]
    books["Disruptions"] = [["scenario"]]
    assert read_workbook(write(tmp_path, books))["Scenarios"]["scenario"].tolist() == ["base"]


def test_extra_sheets_columns_and_hidden_sheets_are_warnings(tmp_path):
    books = base()
    books["My notes"] = [["anything"], ["goes"]]
    books["Offers"][0].append("comment")
    books["Offers"][1].append("negotiating")
    books["Instructions"] = [["template's own sheet: no warning"]]
    dataset, warnings = read_input(write(tmp_path, books, hidden=("Suppliers",)))
    assert len(dataset["Offers"]) == 3
    by_sheet = {(w.sheet, w.cell) for w in warnings}
    assert ("My notes", "") in by_sheet
    assert ("Offers", "Offers!F1") in by_sheet
    assert ("Suppliers", "") in by_sheet
    assert all(w.severity == "warning" for w in warnings) and len(warnings) == 3


def test_header_case_and_spaces_and_sheet_name_case(tmp_path):
    books = base()
    books["Offers"][0] = ["  Supplier", "MATERIAL ", " Unit_Cost ", "capacity", "Available_From"]
    books[" offers "] = books.pop("Offers")
    dataset, warnings = read_input(write(tmp_path, books))
    assert not warnings
    assert dataset["Offers"]["unit_cost"].tolist() == [100.0, 120.0, 50.0]


def test_columns_in_any_order_with_blank_rows_and_text_numbers(tmp_path):
    books = base()
    books["Demand"] = [["quantity", "material", "year"], [" 10 ", "Li", "2025"], [None, None, None],
                       [12, "Li", 2026.0]]
    demand = read_workbook(write(tmp_path, books))["Demand"]
    assert demand["quantity"].tolist() == [10.0, 12.0] and demand["year"].tolist() == [2025.0, 2026.0]
    assert demand["excel_row"].tolist() == [2, 4]


def test_numeric_ids_are_text(tmp_path):
    books = base()
    books["Suppliers"].append([101, "AU"])
    books["Offers"].append([101.0, "Co", 60, None, None])
    dataset = read_workbook(write(tmp_path, books))
    assert "101" in dataset["Suppliers"]["supplier"].tolist()
    assert dataset["Offers"]["supplier"].tolist()[-1] == "101"


def test_policy_wildcard_and_blank_scope(tmp_path):
    policies = read_workbook(write(tmp_path))["Policies"]
    assert policies["material"].tolist() == ["*", "Li"]
    assert policies["year"].isna().all() and policies["scenario"].tolist() == ["", ""]


def test_reads_the_same_dataset_as_from_records(tmp_path):
    books = base()
    dataset = read_workbook(write(tmp_path, books))
    records = {}
    for name, rows in books.items():
        if name == "Settings":
            continue
        header = rows[0]
        records[name] = [{h: v for h, v in zip(header, row) if v is not None} for row in rows[1:]]
    records["Countries"][2]["allied"] = True  # "yes"
    ref = from_records({"home_country": "IN", "first_year": 2025, "years": 5}, records)
    assert dataset.settings == ref.settings
    for name, table in ref.tables.items():
        got = dataset[name].drop(columns="excel_row")
        pd.testing.assert_frame_equal(got, table.drop(columns="excel_row"), check_dtype=True, obj=name)


def test_boolean_spellings(tmp_path):
    books = base()
    books["Countries"][0].append("sanctioned")
    for row, value in zip(books["Countries"][1:], [0, "NO", " True "]):
        row.append(value)
    books["Countries"][1][4] = 1
    countries = read_workbook(write(tmp_path, books))["Countries"]
    assert countries["sanctioned"].tolist() == [False, False, True]
    assert countries["allied"].tolist() == [True, False, True]
