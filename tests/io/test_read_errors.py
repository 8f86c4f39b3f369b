"""Malformed inputs: each problem names the sheet, the Excel cell (or row) and the column."""

from __future__ import annotations

import pytest

from input_helpers import base, one, problems, rezip, sheet_part, workbook_bytes, write
from planner.schema.problems import InputError
from planner.io.reading import read_input


def test_missing_required_sheet(tmp_path):
    books = base()
    del books["Offers"]
    p = one(problems(write(tmp_path, books)), sheet="Offers")
    assert p.cell == "" and p.value == "(missing)" and "required" in p.expected


def test_misspelled_sheet_is_missing_and_named_in_the_hint(tmp_path):
    books = base()
    books["Ofers"] = books.pop("Offers")
    found = problems(write(tmp_path, books))
    assert "Ofers" in one(found, sheet="Offers").expected


def test_missing_required_column(tmp_path):
    books = base()
    for row in books["Offers"]:
        del row[2]  # unit_cost
    p = one(problems(write(tmp_path, books)), sheet="Offers", column="unit_cost")
    assert p.cell == "Offers!1:1" and p.row == 1


def test_wrong_type_number(tmp_path):
    books = base()
    books["Offers"][2][2] = "cheap"  # row 3, column C
    p = one(problems(write(tmp_path, books)), cell="Offers!C3")
    assert (p.sheet, p.column, p.value, p.row) == ("Offers", "unit_cost", "cheap", 3)
    assert "number" in p.expected


def test_number_written_as_percent_text_gets_a_hint(tmp_path):
    books = base()
    books["Countries"][3][2] = "10%"
    p = one(problems(write(tmp_path, books)), cell="Countries!C4")
    assert "0.05" in p.expected


def test_non_whole_year(tmp_path):
    books = base()
    books["Demand"][1][1] = 2025.5
    p = one(problems(write(tmp_path, books)), cell="Demand!B2")
    assert p.column == "year" and "whole number" in p.expected


def test_bad_boolean(tmp_path):
    books = base()
    books["Countries"][2][4] = "maybe"
    p = one(problems(write(tmp_path, books)), cell="Countries!E3")
    assert p.column == "allied" and p.value == "maybe" and "yes/no" in p.expected


def test_out_of_range_share(tmp_path):
    books = base()
    books["Countries"][1][2] = 1.5
    p = one(problems(write(tmp_path, books)), cell="Countries!C2")
    assert p.column == "risk" and "0 to 1" in p.expected


def test_negative_quantity(tmp_path):
    books = base()
    books["Demand"][2][2] = -1
    p = one(problems(write(tmp_path, books)), cell="Demand!C3")
    assert p.column == "quantity" and p.value == "-1" and "not negative" in p.expected


def test_year_outside_horizon(tmp_path):
    books = base()
    books["Demand"][3][1] = 2040
    p = one(problems(write(tmp_path, books)), cell="Demand!B4")
    assert "2025..2029" in p.expected


def test_available_from_must_be_a_sensible_year(tmp_path):
    books = base()
    books["Offers"][1][4] = 27
    p = one(problems(write(tmp_path, books)), cell="Offers!E2")
    assert p.column == "available_from" and "1900 to 2300" in p.expected


def test_unknown_reference(tmp_path):
    books = base()
    books["Offers"][3][1] = "Ni"
    p = one(problems(write(tmp_path, books)), cell="Offers!B4")
    assert (p.column, p.value) == ("material", "Ni") and "Materials" in p.expected


def test_reference_in_wrong_case_gets_a_hint(tmp_path):
    books = base()
    books["Suppliers"][1][1] = "cn"
    p = one(problems(write(tmp_path, books)), cell="Suppliers!B2")
    assert "'CN'" in p.expected


def test_duplicate_id(tmp_path):
    books = base()
    books["Materials"].append(["Li", "Lithium again", "mineral", "t"])
    p = one(problems(write(tmp_path, books)), cell="Materials!A4")
    assert p.column == "material" and "row 2" in p.expected


def test_duplicate_composite_key(tmp_path):
    books = base()
    books["Offers"].append(["S1", "Li", 99, None, None])
    p = one(problems(write(tmp_path, books)), cell="Offers!A5")
    assert "supplier + material" in p.expected and "row 2" in p.expected


def test_probabilities_not_summing_to_one(tmp_path):
    books = base()
    books["Scenarios"][2][1] = 0.3
    p = one(problems(write(tmp_path, books)), sheet="Scenarios")
    assert (p.cell, p.column) == ("Scenarios!B2:B3", "probability") and "1.1" in p.value


def test_conflicting_equally_specific_policies_reports_both_rows(tmp_path):
    books = base()
    books["Policies"].append(["Li", None, None, 0.4])  # row 4 disagrees with row 3
    found = problems(write(tmp_path, books))
    a = one(found, cell="Policies!D3")
    b = one(found, cell="Policies!D4")
    assert "row 4" in a.expected and "row 3" in b.expected
    assert a.column == b.column == "max_country_share"


def test_equally_specific_rows_of_different_scopes_conflict_where_they_overlap(tmp_path):
    books = base()
    books["Policies"] = [["material", "year", "scenario", "max_country_share"],
                         ["Li", None, None, 0.5],
                         ["*", 2026, None, 0.7]]
    found = problems(write(tmp_path, books))
    assert "year 2026" in one(found, cell="Policies!D2").expected
    one(found, cell="Policies!D3")


def test_overlap_resolved_by_a_more_specific_row_is_fine(tmp_path):
    books = base()
    books["Policies"] = [["material", "year", "scenario", "max_country_share"],
                         ["Li", None, None, 0.5],
                         ["*", 2026, None, 0.7],
                         ["Li", 2026, None, 0.6]]
    read_input(write(tmp_path, books))


def test_min_suppliers_conflict_ignores_year(tmp_path):
    books = base()
    books["Policies"] = [["material", "year", "scenario", "min_suppliers"],
                         ["Li", 2025, None, 2],
                         ["Li", 2026, None, 3]]
    found = problems(write(tmp_path, books))
    one(found, cell="Policies!D2")
    one(found, cell="Policies!D3")


def test_formula_without_cached_value_is_reported_not_blank(tmp_path):
    books = base()
    books["Offers"][1][2] = "=10+1"  # openpyxl writes the formula without a saved result
    p = one(problems(write(tmp_path, books)), cell="Offers!C2")
    assert (p.column, p.value) == ("unit_cost", "=10+1") and "saved result" in p.expected


def test_formula_with_cached_value_reads_the_value(tmp_path):
    books = base()
    books["Offers"][1][2] = "=10+1"
    data = workbook_bytes(books)
    part = sheet_part(data, "Offers")
    import zipfile, io
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).replace(b"<f>10+1</f><v />", b"<f>10+1</f><v>11</v>")
    path = tmp_path / "cached.xlsx"
    path.write_bytes(rezip(data, {part: xml}))
    assert read_input(path).dataset["Offers"]["unit_cost"].tolist()[0] == 11.0


def test_merged_cells_in_a_table(tmp_path):
    path = write(tmp_path, merges={"Materials": ["B2:B3"]})
    p = one(problems(path), cell="Materials!B2")
    assert p.column == "name" and "B2:B3" in p.value
    # the covered cell B3 is not reported again as a blank required cell
    assert not [q for q in problems(path) if q.cell == "Materials!B3"]


def test_missing_settings_key(tmp_path):
    books = base()
    books["Settings"] = [r for r in books["Settings"] if r[0] != "years"]
    p = one(problems(write(tmp_path, books)), sheet="Settings", column="years")
    assert p.value == "(missing)"


def test_bad_settings_value_and_unknown_home_country(tmp_path):
    books = base()
    books["Settings"][2][1] = "next year"
    books["Settings"][1][1] = "XX"
    found = problems(write(tmp_path, books))
    assert one(found, cell="Settings!B3").column == "first_year"
    assert "Countries" in one(found, cell="Settings!B2", column="home_country").expected


def test_blank_required_cell_and_bad_choice(tmp_path):
    books = base()
    books["Materials"][1][1] = None
    books["Materials"][2][2] = "metal"
    found = problems(write(tmp_path, books))
    assert "required" in one(found, cell="Materials!B2").expected
    assert "mineral, pharma" in one(found, cell="Materials!C3").expected


def test_disruption_ending_before_it_starts(tmp_path):
    books = base()
    books["Disruptions"] = [["scenario", "from_year", "to_year"], ["ban", 2028, 2026]]
    assert one(problems(write(tmp_path, books)), cell="Disruptions!C2").column == "to_year"


def test_every_problem_is_reported_at_once_and_sorted(tmp_path):
    books = base()
    books["Offers"][2][2] = "cheap"
    books["Demand"][2][2] = -1
    books["Countries"][2][4] = "maybe"
    with pytest.raises(InputError) as info:
        read_input(write(tmp_path, books))
    cells = [p.cell for p in info.value.problems]
    assert cells == ["Demand!C3", "Countries!E3", "Offers!C3"]  # manifest sheet order, then row


def test_date_in_a_year_column(tmp_path):
    import datetime

    books = base()
    books["Demand"][1][1] = datetime.datetime(2025, 1, 1)
    p = one(problems(write(tmp_path, books)), cell="Demand!B2")
    assert "not a date" in p.expected


def test_duplicate_settings_key_and_unknown_key_warning(tmp_path):
    books = base()
    books["Settings"] += [["years", 6], ["discount rate", 0.05]]
    with pytest.raises(InputError) as info:
        read_input(write(tmp_path, books))
    assert info.value.problems[0].cell == "Settings!A5" and "row 4" in info.value.problems[0].expected
    warning = one(info.value.warnings, cell="Settings!A6")
    assert "discount_rate" in warning.expected


def test_policy_reference_to_unknown_scenario_and_year_outside_horizon(tmp_path):
    books = base()
    books["Policies"].append(["Li", 2031, "boom", 0.3])
    found = problems(write(tmp_path, books))
    assert one(found, cell="Policies!B4").column == "year"
    assert one(found, cell="Policies!C4").column == "scenario"
