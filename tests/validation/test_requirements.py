"""Facilities.min_modules and Offers.must_contract that the data itself rules out are bad input
(planner.validation.requirements), each reported at its cell."""

from __future__ import annotations

import pytest

from planner.io.reading import read_bytes
from planner.io.reading.overrides import parse_all
from planner.schema.problems import InputError

from input_helpers import base, workbook_bytes


def _sheets():
    sheets = base()  # horizon 2025..2029; CN is not sanctioned yet
    sheets["Facilities"] = [["facility", "kind", "material", "module_capacity", "max_modules", "existing_modules",
                             "build_years", "earliest_year", "min_modules"],
                            ["F", "refinery", "Li", 10, 3, 1, 2, 2027, None]]
    return sheets


def problems(*sets: str) -> list:
    with pytest.raises(InputError) as exc:
        read_bytes(workbook_bytes(_sheets()), "in.xlsx", overrides=parse_all(sets))
    return exc.value.problems


def test_valid_requirements_are_read():
    d = read_bytes(workbook_bytes(_sheets()), "in.xlsx", overrides=parse_all(
        ["Facilities[facility=F].min_modules=3", "Offers[supplier=S2,material=Li].must_contract=yes"])).dataset
    assert d["Facilities"]["min_modules"].tolist() == [3]
    assert d["Offers"]["must_contract"].tolist() == [False, True, False]


def test_min_modules_above_max_modules():
    [p] = problems("Facilities[facility=F].min_modules=4")
    assert p.cell.endswith("at Facilities!I2") and p.expected == "at most max_modules (3)"


def test_min_modules_that_no_build_can_reach_by_the_last_year():
    # started from 2028 with a lead time of 2, a module produces from 2030 > 2029
    [p] = problems("Facilities[facility=F].earliest_year=2028", "Facilities[facility=F].min_modules=2")
    assert p.column == "min_modules" and "produces from 2030, after the last year 2029" in p.expected
    problems_none = read_bytes(workbook_bytes(_sheets()), "in.xlsx", overrides=parse_all(
        ["Facilities[facility=F].earliest_year=2028", "Facilities[facility=F].min_modules=1"]))
    assert problems_none.dataset is not None  # the existing module is enough


def test_must_contract_on_a_sanctioned_country_or_an_undeliverable_min_order():
    [p] = problems("Countries[country=CN].sanctioned=true", "Offers[supplier=S1].must_contract=true")
    assert p.cell.endswith("at Offers!F2") and "sanctioned country CN" in p.expected
    [p] = problems("Offers[supplier=S1].capacity=0", "Offers[supplier=S1].min_order=5",
                   "Offers[supplier=S1].must_contract=true")
    assert "min_order of 5 a year but its capacity is 0" in p.expected
