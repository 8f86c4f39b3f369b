"""Validation of the raw tables into a :class:`planner.schema.dataset.Dataset`.

Every check runs and appends to one report; only then, if any error was found,
:class:`planner.schema.problems.InputError` is raised with all of them (and the
warnings). Modules, by concern:

- :mod:`.values`     cell values to typed values (numbers, whole numbers, booleans, choices)
- :mod:`.tables`     per sheet: types, required cells, ranges, duplicate keys
- :mod:`.settings`   the Settings key/value sheet
- :mod:`.crosscheck` references across sheets, horizon, probabilities, home_country
- :mod:`.policies`   equally specific Policies rows that disagree
- :mod:`.requirements` required builds and contracts the data rules out, existing modules
- :mod:`.magnitudes` products of inputs beyond what the solver takes
- :mod:`.levers`     rows of the levers (demand factors, grace, PLI and tariff windows, tariff conflicts)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.schema import dataset as ds
from planner.schema import manifest
from planner.schema.dataset import Dataset, Source
from planner.schema.problems import InputError, Problem
from planner.io.reading.sheets import RawWorkbook
from planner.validation import crosscheck, levers, magnitudes, policies, requirements
from planner.validation.settings import parse_settings
from planner.validation.tables import Report, Typed, check_keys, empty_typed, type_sheet

_SHEET_ORDER = {s.name: i for i, s in enumerate(manifest.SHEETS)}


def validate(raw: RawWorkbook, source: Source | None = None) -> tuple[Dataset, list[Problem]]:
    """The Dataset and the warnings; raises InputError with every error found."""
    report = Report()
    report.extend(raw.problems)
    settings = parse_settings(raw.sheets.get("Settings"), report)
    typed: dict[str, Typed] = {}
    for sheet in manifest.SHEETS:
        if sheet.name == "Settings":
            continue
        rs = raw.sheets.get(sheet.name)
        typed[sheet.name] = type_sheet(rs, sheet, report) if rs is not None else empty_typed(sheet)
        check_keys(typed[sheet.name], report)
    ids = crosscheck.id_sets(typed)
    crosscheck.check_not_empty(typed, report)
    crosscheck.check_references(typed, ids, report)
    crosscheck.check_settings_refs(settings, ids, typed, report)
    crosscheck.check_horizon(typed, settings, report)
    crosscheck.check_disruption_years(typed["Disruptions"], settings, report)
    crosscheck.check_probabilities(typed["Scenarios"], report)
    levers.check_demand_factors(typed["Disruptions"], report)
    levers.check_grace(typed["Financing"], report)
    levers.check_recourse(settings, typed["Scenarios"], report)
    levers.check_windows(typed["Facilities"], "pli_from_year", "pli_to_year", report)
    levers.check_windows(typed["Tariffs"], "from_year", "to_year", report)
    levers.check_tariff_conflicts(typed["Tariffs"], settings, report)
    levers.check_home_tariffs(typed["Tariffs"], settings, report)
    crosscheck.check_policy_rows(typed["Policies"], report)
    requirements.check_existing_modules(typed["Facilities"], report)
    requirements.check_min_modules(typed["Facilities"], settings, report)
    magnitudes.check_products(typed, settings, report)
    requirements.check_must_contract(typed["Offers"], typed["Suppliers"], typed["Countries"], report)
    horizon = settings.horizon
    years = list(range(horizon[0], horizon[1] + 1)) if horizon else None
    policies.check_conflicts(typed["Policies"], sorted(ids["Materials"]), years, sorted(ids["Scenarios"]),
                             report)

    problems = sorted(report.items, key=_order)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        raise InputError(errors, warnings)
    first_year = int(settings.values["first_year"])
    tables = {name: to_frame(t, first_year) for name, t in typed.items()}
    if not len(tables["Scenarios"]):
        tables["Scenarios"] = ds.from_records(settings.values, {})["Scenarios"]
    return Dataset(settings.values, tables, source or Source()), warnings


def _order(p: Problem) -> tuple[Any, ...]:
    return (0 if p.sheet == "" else 1, _SHEET_ORDER.get(p.sheet, len(_SHEET_ORDER)), p.row or 0,
            _col_number(p.cell), p.column)


def _col_number(cell: str) -> int:
    letters = "".join(ch for ch in cell.split("!")[-1] if ch.isalpha())
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def to_frame(t: Typed, first_year: int) -> pd.DataFrame:
    """The Dataset table of a sheet: manifest columns, defaults applied, excel_row."""
    return ds.table(t.sheet, t.values, t.excel_rows, first_year)
