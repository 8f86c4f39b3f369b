"""The pydantic models of the input (planner.schema.records) say what the manifest says: a
field per column with its type, range, choices and default, and validation uses them."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from planner.schema import manifest, records
from planner.schema.dataset import blank, from_records

_SHEETS = [s for s in manifest.SHEETS if s.name != "Settings"]


@pytest.mark.parametrize("sheet", _SHEETS, ids=lambda s: s.name)
def test_each_row_model_has_the_manifest_columns_with_their_ranges_and_defaults(sheet):
    model = records.row_model(sheet.name)
    assert list(model.model_fields) == list(sheet.column_names)
    for col in sheet.columns:
        field = model.model_fields[col.name]
        assert field.is_required() == col.required, col.name
        lo, hi = records.bounds(model, col.name)
        if col.kind == "integer" and col.unit == "year" and not col.in_horizon:  # the sensible years
            assert (lo, hi) == (col.minimum or manifest.YEAR_RANGE[0], col.maximum or manifest.YEAR_RANGE[1])
        else:
            assert (lo, hi) == (col.minimum, col.maximum), col.name
        if not col.required:
            assert field.default == col.default, col.name


def test_settings_model_applies_the_manifest_defaults_and_refuses_out_of_range_values():
    typed = records.SETTINGS_MODEL.model_validate({"first_year": 2030.0, "years": 5.0, "home_country": "IN"})
    values = typed.model_dump()
    assert (values["first_year"], values["years"]) == (2030, 5) and type(values["first_year"]) is int
    for col in manifest.SETTINGS:
        if col.default is not None:
            assert values[col.name] == col.default, col.name
    with pytest.raises(ValidationError) as exc:
        records.SETTINGS_MODEL.model_validate({"mip_gap": 1.5, "years": 0})
    assert {e["loc"][0] for e in exc.value.errors()} == {"mip_gap", "years"}


def test_a_row_model_refuses_what_the_manifest_refuses():
    offer = records.row_model("Offers")
    good = offer.model_validate({"supplier": "S", "material": "M", "unit_cost": 5.0})
    assert good.freight_cost == 0.0 and good.capacity is None and good.available_from == manifest.FIRST_YEAR
    for bad in ({"supplier": "S", "material": "M"},  # unit_cost required
                {"supplier": "S", "material": "M", "unit_cost": -1.0},
                {"supplier": "S", "material": "M", "unit_cost": 1.0, "available_from": 1700}):
        with pytest.raises(ValidationError):
            offer.model_validate(bad)
    facility = records.row_model("Facilities")
    with pytest.raises(ValidationError):
        facility.model_validate({"facility": "F", "kind": "castle", "material": "M", "module_capacity": 1,
                                 "max_modules": 1})


def test_out_of_range_names_the_positions_a_column_breaks():
    # capacity: 0..MAX_QUANTITY; blanks pass
    values = [1.0, None, -2.0, manifest.MAX_QUANTITY, manifest.MAX_QUANTITY * 10]
    assert records.out_of_range("Offers", "capacity", values) == [2, 4]
    assert records.out_of_range("Offers", "available_from", [1899.0, 1900.0, 2300.0, 2301.0]) == [0, 3]


def test_defaults_are_applied_once_for_records_and_workbooks_alike():
    # from_records fills blanks the way validation does (the same function): the first year for
    # available_from, the manifest's default elsewhere, NaN where there is none
    ds = from_records({"home_country": "IN", "first_year": 2031, "years": 2},
                      {"Offers": [{"supplier": "S", "material": "M", "unit_cost": 3, "freight_cost": "  "}]})
    row = ds["Offers"].iloc[0]
    assert row["available_from"] == 2031 and row["freight_cost"] == 0.0 and math.isnan(row["capacity"])
    assert records.defaults("Offers", 2031)["available_from"] == 2031
    assert ds.settings["discount_rate"] == 0.08


@pytest.mark.parametrize("value, is_blank", [(None, True), (float("nan"), True), ("", True), ("  ", True),
                                             (0, False), (0.0, False), ("x", False), (False, False)])
def test_blank(value, is_blank):
    assert blank(value) is is_blank
