"""docs/formulation.md is current, and every template column is accounted for in it: in a family's
SYMBOLS table (it enters the math) or in models.families.columns.NOT_IN_THE_MATH (it does not).
Data-driven: a column added to the manifest fails here until it is one or the other."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from models.families import columns
from models.outcome import TABLE_COLUMNS
from planner.schema import manifest

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("build_formulation", ROOT / "docs" / "build_formulation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def template_columns() -> list[str]:
    """Every column of the manifest as Sheet.column, each Settings key as Settings.key."""
    out = [f"Settings.{c.name}" for c in manifest.SETTINGS]
    return out + [f"{sheet.name}.{c.name}" for sheet in manifest.SHEETS for c in sheet.columns]


def test_docs_formulation_is_current():
    assert (ROOT / "docs" / "formulation.md").read_text() == _builder().build(), (
        "docs/formulation.md is out of date: run python docs/build_formulation.py")


def test_every_template_column_enters_a_symbol_or_is_listed_as_not_in_the_math():
    by_column = columns.symbols_by_column()
    unaccounted = [c for c in template_columns() if c not in by_column and c not in columns.NOT_IN_THE_MATH]
    assert not unaccounted, (f"{unaccounted}: add each to the SYMBOLS table of the family it enters "
                             "(models/families/*.py), or to NOT_IN_THE_MATH in models/families/columns.py")
    both = [c for c in columns.NOT_IN_THE_MATH if c in by_column]
    assert not both, f"{both} enter a symbol and are listed as not entering the math"


def test_symbol_tables_name_real_columns():
    known = set(template_columns())
    plan = {f"{sheet}.{c}" for sheet, cols in TABLE_COLUMNS.items() for c in cols}  # where a variable is shown
    stray = [c for c in columns.symbols_by_column() if c not in known | plan]
    assert not stray, f"SYMBOLS name columns that do not exist: {stray}"
    assert set(columns.NOT_IN_THE_MATH) <= known


def test_every_family_with_symbols_has_a_section():
    listed = {module for _title, module in _builder().FAMILIES}
    missing = [m.__name__ for m in columns.family_modules() if m.__name__ not in listed]
    assert not missing, f"add {missing} to FAMILIES in docs/build_formulation.py"


def test_sources_are_read_as_written():
    assert columns.sources("Financing.annual_rate, tenor_years") == ["Financing.annual_rate", "Financing.tenor_years"]
    assert columns.sources("Materials.shortage_penalty / Settings.shortage_penalty") == [
        "Materials.shortage_penalty", "Settings.shortage_penalty"]
    assert columns.sources("derived") == [] and columns.sources("Summary cost.pli_subsidy") == []
