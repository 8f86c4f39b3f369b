"""`--set` overrides (planner.io.reading.overrides): parsed, applied to the raw cells before
validation, validated like cells, and every problem in a cell they wrote names them."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner
from openpyxl import load_workbook

from planner.cli import app
from planner.io.reading import read_bytes, read_raw
from planner.io.reading.overrides import OverrideError, parse, parse_all
from planner.schema.problems import InputError

from input_helpers import base, workbook_bytes

DATA = workbook_bytes(base())


def read(*texts: str):
    return read_bytes(DATA, "in.xlsx", overrides=parse_all(texts)).dataset


def errors(*texts: str) -> list:
    with pytest.raises(InputError) as exc:
        read(*texts)
    return exc.value.problems


def test_parse_names_ignore_case_and_values_may_be_quoted():
    o = parse(" offers [ Supplier = 'S, [1]' , MATERIAL=Li ] . Unit_Cost = 70 ")
    assert (o.sheet, o.where, o.column, o.value) == ("Offers", (("supplier", "S, [1]"), ("material", "Li")),
                                                     "unit_cost", "70")
    assert parse("Suppliers[supplier=\"it\"\"s\"].risk=0.1").where == (("supplier", 'it"s'),)
    assert parse("Materials[material=Li].name='Lithium, battery grade'").value == "Lithium, battery grade"
    assert parse("Materials[material=Li].name=a=b [c]").value == "a=b [c]"  # the rest of the text
    setting = parse("settings.Carbon_Price=50")
    assert (setting.sheet, setting.where, setting.column, setting.value) == ("Settings", (("key", "carbon_price"),),
                                                                            "value", "50")
    added = parse("Policies+[material=Li, year=2026, max_country_share=0.4]")
    assert added.adds_row and added.where == (("material", "Li"), ("year", "2026"), ("max_country_share", "0.4"))
    assert parse("Policies[material=Li].max_country_share=0.5").with_value(0.1 + 0.2).text == \
        "Policies[material=Li].max_country_share=0.3"


@pytest.mark.parametrize("text, expected", [
    ("Offerz[supplier=S1].unit_cost=1", "did you mean Offers?"),
    ("Offers[suplier=S1].unit_cost=1", "did you mean supplier?"),
    ("Offers[supplier=S1].unitcost=1", "did you mean unit_cost?"),
    ("Settings.carbonprice=1", "did you mean carbon_price?"),
    ("Offers[supplier='S1].unit_cost=1", "a closing '"),
    ("Offers[supplier=S1]unit_cost=1", ".COLUMN=VALUE"),
    ("Offers[supplier=S1].unit_cost", "=VALUE"),
    ("Offers+[]", "the new row's cells"),
    ("Offers[supplier=S1,supplier=S2].unit_cost=1", "each column once"),
])
def test_a_malformed_override_is_named_with_what_was_expected(text, expected):
    with pytest.raises(OverrideError) as exc:
        parse(text)
    assert exc.value.problem.cell == f"--set {text}"
    assert expected in exc.value.problem.expected


def test_set_changes_exactly_the_matching_rows():
    d = read("Offers[supplier=S2].unit_cost=70", "Offers[material=Li, supplier=S1].capacity=")
    offers = d["Offers"].set_index(["supplier", "material"])
    assert offers.loc[("S2", "Li"), "unit_cost"] == 70 and offers.loc[("S2", "Co"), "unit_cost"] == 70
    assert offers.loc[("S1", "Li"), "unit_cost"] == 100  # not matched
    assert math.isnan(offers.loc[("S1", "Li"), "capacity"])  # an empty value blanks the cell


def test_a_blank_selector_matches_blank_cells_and_a_year_matches_as_a_number():
    d = read("Policies[material=Li, year=].max_country_share=0.3")
    assert sorted(d["Policies"]["max_country_share"]) == [0.3, 0.6]
    d = read("Offers[available_from=2027].unit_cost=1")  # 2027 matches the cell 2027 (a number)
    assert list(d["Offers"]["unit_cost"]) == [100, 1, 50]


def test_a_column_the_sheet_lacks_is_added_blank_elsewhere():
    d = read("Offers[supplier=S1].freight_cost=7")
    assert list(d["Offers"]["freight_cost"]) == [7, 0, 0]  # the others take the default


def test_settings_set_a_listed_key_or_add_an_absent_one():
    d = read("Settings.years=3", "Settings.carbon_price=25")
    assert d.settings["years"] == 3 and d.settings["carbon_price"] == 25


def test_an_added_row_is_read_like_a_row_of_the_sheet():
    d = read("Policies+[material=Co, year=2026, min_green_share=0.2]")
    row = d["Policies"].iloc[-1]
    assert (row["material"], row["year"], row["min_green_share"]) == ("Co", 2026, 0.2)
    assert math.isnan(row["max_country_share"])
    d = read("Recipes+[facility=F, input_material=Co, quantity_per_unit=1]",
             "Facilities+[facility=F, kind=refinery, material=Li, module_capacity=10, max_modules=2]")
    assert list(d["Facilities"]["facility"]) == ["F"] and list(d["Recipes"]["input_material"]) == ["Co"]


def test_overrides_apply_in_order_and_the_source_lists_them():
    d = read("Offers[supplier=S1].unit_cost=1", "Offers[supplier=S1].unit_cost=2")
    assert d["Offers"]["unit_cost"].iloc[0] == 2
    assert d.source.overrides == ("Offers[supplier=S1].unit_cost=1", "Offers[supplier=S1].unit_cost=2")


def test_a_bad_value_is_reported_at_the_override_and_the_cell_it_wrote():
    [p] = errors("Offers[supplier=S1].unit_cost=-5")
    assert p.cell == "--set Offers[supplier=S1].unit_cost=-5 at Offers!C2" and p.row == 2
    assert (p.column, p.value, p.expected) == ("unit_cost", "-5", "a value of at least 0 (not negative)")
    [p] = errors("Settings.mip_gap=2")
    assert p.cell.startswith("--set Settings.mip_gap=2") and p.expected.startswith("a share from 0 to 1")


def test_a_bad_added_row_names_the_override_not_a_row_of_the_file():
    [p] = errors("Policies+[material=Zn, max_country_share=0.5]")
    assert p.cell == "--set Policies+[material=Zn, max_country_share=0.5]" and p.column == "material"


def test_an_override_matching_no_row_is_bad_input_with_a_hint():
    [p] = errors("Offers[supplier=S-1].unit_cost=1")
    assert p.cell == "--set Offers[supplier=S-1].unit_cost=1"
    assert "matches no row" in p.expected and "did you mean supplier=S1?" in p.expected
    [p] = errors("Facilities[facility=F].max_modules=2")  # the workbook has no Facilities sheet
    assert "a workbook with a Facilities sheet" in p.expected


def test_the_read_cells_are_not_changed_by_an_override():
    raw = read_raw(DATA, "in.xlsx")
    changed = raw.validate(parse_all(["Offers[supplier=S1].unit_cost=1", "Offers+[supplier=S1, material=Co, "
                                                                          "unit_cost=3]"])).dataset
    assert len(changed["Offers"]) == 4
    again = raw.validate().dataset
    assert len(again["Offers"]) == 3 and again["Offers"]["unit_cost"].iloc[0] == 100


def test_solve_with_set_records_the_overrides_and_the_values_used(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(DATA)
    before = path.read_bytes()
    plan = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(app, ["solve", str(path), "-q", "-o", str(plan), "--no-marginals",
                                      "--set", "Offers[supplier=S2, material=Co].unit_cost=44"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(plan, read_only=True)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["override.1"] == "Offers[supplier=S2, material=Co].unit_cost=44"
    offers = list(wb["Input.Offers"].iter_rows(values_only=True))
    assert offers[3][:3] == ("S2", "Co", 44)
    assert path.read_bytes() == before

    bad = tmp_path / "bad.xlsx"
    result = CliRunner().invoke(app, ["solve", str(path), "-q", "-o", str(bad), "--set", "Offers[supplier=S9].unit_cost=1"])
    assert result.exit_code == 2 and not bad.exists()
    result = CliRunner().invoke(app, ["validate", str(path), "--set", "Offers[supplier=S1].unit_cost=1"])
    assert result.exit_code == 0 and "1 override" in result.output
