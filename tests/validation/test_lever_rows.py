"""Rows of the levers (SPEC §4) that their cells allow but the model cannot read are bad input
(planner.validation.levers), each reported at its cell; a Tariffs sheet is read as written."""

from __future__ import annotations

import pytest

from planner.io.reading import read_bytes
from planner.io.reading.overrides import parse_all
from planner.schema.problems import InputError

from input_helpers import base, workbook_bytes


def _sheets():
    sheets = base()  # horizon 2025..2029
    sheets["Tariffs"] = [["country", "material", "from_year", "to_year", "ad_valorem", "specific_duty",
                          "min_import_price"],
                         ["CN", None, None, None, 0.1, None, None],
                         [None, "Li", 2026, 2026, None, None, 90]]
    sheets["Financing"] = [["source", "kind", "limit", "annual_rate", "tenor_years", "grace_years"],
                           ["JICA", "multilateral_loan", 100, 0.027, 30, 10]]
    sheets["Facilities"] = [["facility", "kind", "material", "module_capacity", "max_modules", "pli_rate",
                             "pli_reference_price", "pli_from_year", "pli_to_year"],
                            ["F", "refinery", "Li", 10, 3, 0.1, 100, 2026, 2028]]
    return sheets


def read(*sets: str):
    return read_bytes(workbook_bytes(_sheets()), "in.xlsx", overrides=parse_all(sets))


def problems(*sets: str) -> list:
    with pytest.raises(InputError) as exc:
        read(*sets)
    return exc.value.problems


def test_lever_columns_and_the_tariffs_sheet_are_read():
    result = read()
    d = result.dataset
    assert not result.warnings
    t = d["Tariffs"]
    assert t["country"].tolist() == ["CN", ""] and t["material"].tolist() == ["", "Li"]
    assert t["min_import_price"].tolist()[1] == 90 and t["from_year"].isna().tolist() == [True, False]
    assert d["Financing"]["grace_years"].tolist() == [10] and d["Financing"]["guarantee_fee"].tolist() == [0]
    assert d["Facilities"]["ramp_up"].tolist() == [1.0]
    assert d["Suppliers"]["qualified"].tolist() == [False, False]


def test_grace_years_must_leave_years_to_repay():
    [p] = problems("Financing[source=JICA].grace_years=30")
    assert p.cell.endswith("Financing!F2") and p.expected.startswith("fewer than tenor_years (30)")


def test_windows_end_after_they_start():
    [p] = problems("Facilities[facility=F].pli_to_year=2025")
    assert p.cell.endswith("Facilities!I2") and p.expected == "a year not before pli_from_year (2026)"
    [p] = problems("Tariffs[material=Li].to_year=2025")
    assert p.cell.endswith("Tariffs!D3") and p.expected == "a year not before from_year (2026)"


def test_equally_specific_tariff_rows_that_disagree():
    # (CN, blank) and (blank, Li) both name one of country and material; for CN's Li in 2026
    # they give different ad valorem rates
    found = problems("Tariffs[material=Li].ad_valorem=0.2")
    assert sorted(p.cell.split("!")[-1] for p in found) == ["E2", "E3"]
    assert "row 3 gives 0.2 for country CN, material Li, year 2026" in found[0].expected
    # a (CN, Li) row is more specific than both: no conflict left
    assert read("Tariffs[material=Li].ad_valorem=0.2", "Tariffs+[country=CN,material=Li,ad_valorem=0]").dataset
    # the same value is no conflict; nor are windows that do not overlap
    assert read("Tariffs[material=Li].ad_valorem=0.1").dataset
    assert read("Tariffs[material=Li].ad_valorem=0.2", "Tariffs[country=CN].from_year=2027").dataset


def test_a_tariffs_row_naming_the_home_country_is_a_warning():
    result = read("Tariffs+[country=IN,material=Li,ad_valorem=0.3]")
    [w] = result.warnings
    assert (w.sheet, w.column, w.value) == ("Tariffs", "country", "IN") and "applies to nothing" in w.expected


def test_recourse_builds_with_one_scenario_is_a_warning():
    # base() has two scenarios: no warning there; with "base" alone nothing can diverge
    assert not read("Settings.recourse_builds=true").warnings
    sheets = _sheets()
    sheets["Scenarios"] = [["scenario", "probability"], ["base", 1]]
    del sheets["Disruptions"]
    result = read_bytes(workbook_bytes(sheets), "in.xlsx", overrides=parse_all(["Settings.recourse_builds=true"]))
    [w] = result.warnings
    assert (w.sheet, w.column) == ("Settings", "recourse_builds") and "one scenario" in w.expected


def test_a_demand_factor_on_a_row_naming_a_country_is_a_warning():
    result = read("Disruptions[scenario=ban].demand_factor=1.2")
    [w] = result.warnings
    assert w.column == "demand_factor" and "whatever its origin" in w.expected
