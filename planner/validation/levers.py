"""Rows of the levers (SPEC §4 Levers) that their own cells allow but the model cannot read.

- Disruptions ``demand_factor`` other than 1 on a row naming a country or supplier (a warning):
  demand belongs to a material, not to an origin, so the factor applies to the row's
  material(s) whatever the country or supplier.
- Financing ``grace_years`` at least ``tenor_years``: no year would be left to repay in.
- Facilities ``pli_to_year`` before ``pli_from_year``; Tariffs ``to_year`` before ``from_year``.
- Tariffs rows equally specific that give different values for the same country, material
  and year (planner.schema.tariffs: the most specific row wins).
- Tariffs rows naming the home country (a warning): the sheet holds import measures, and a home
  supplier's sales are not imports, so no Tariffs row applies to them (docs/decisions.md "Tariffs").
- Settings ``recourse_builds`` true with fewer than two scenarios (a warning): with nothing to
  diverge from, no build can adapt, and the planner should know the setting did nothing.
"""

from __future__ import annotations

from planner.schema import tariffs
from planner.validation.settings import Settings
from planner.validation.tables import Report, Typed


def check_demand_factors(t: Typed, report: Report) -> None:
    v = t.values
    for i, factor in enumerate(v["demand_factor"]):
        if factor is None or factor == 1 or not t.ok("demand_factor", i):
            continue
        named = [c for c in ("country", "supplier") if v[c][i] is not None]
        if named:
            report.add(t.sheet.name, t.where("demand_factor", i), "demand_factor", factor,
                       f"a row without a {' or '.join(named)}: demand_factor multiplies the demand of the row's "
                       f"material(s) whatever its origin, so the {' and '.join(named)} named here does not limit "
                       "it (a row of its own says so)", "warning")


def check_home_tariffs(t: Typed, settings: Settings, report: Report) -> None:
    home = settings.values.get("home_country")
    for i, country in enumerate(t.values["country"]):
        if home is not None and country == home and t.ok("country", i):
            report.add(t.sheet.name, t.where("country", i), "country", country,
                       "a foreign country or blank: the home country's own suppliers pay no import measure, so "
                       "this row applies to nothing", "warning")


def check_recourse(settings: Settings, scenarios: Typed, report: Report) -> None:
    if settings.values.get("recourse_builds") is not True:
        return
    named = {s for s in scenarios.values["scenario"] if s is not None}
    if len(named) < 2:
        report.add("Settings", settings.where("recourse_builds"), "recourse_builds", True,
                   "false, or a second scenario on the Scenarios sheet: with one scenario no data diverge, so "
                   "no build, draw or contract can adapt and the setting changes nothing", "warning")


def check_grace(t: Typed, report: Report) -> None:
    v = t.values
    for i, grace in enumerate(v["grace_years"]):
        if not grace or not (t.ok("grace_years", i) and t.ok("tenor_years", i)) or v["kind"][i] in ("budget", "grant"):
            continue
        tenor = v["tenor_years"][i] or 0
        if grace >= tenor:
            report.add(t.sheet.name, t.where("grace_years", i), "grace_years", int(grace),
                       f"fewer than tenor_years ({int(tenor)}): the repayments follow the grace years within the "
                       "tenor")
            t.mark("grace_years", i)


def check_windows(t: Typed, first: str, last: str, report: Report) -> None:
    """A window's last year not before its first (blank ends are open)."""
    for i, (a, b) in enumerate(zip(t.values[first], t.values[last])):
        if a is None or b is None or not (t.ok(first, i) and t.ok(last, i)):
            continue
        if b < a:
            report.add(t.sheet.name, t.where(last, i), last, int(b), f"a year not before {first} ({int(a)})")
            t.mark(last, i)


def check_tariff_conflicts(t: Typed, settings: Settings, report: Report) -> None:
    horizon = settings.horizon
    if len(t) < 2 or horizon is None:
        return
    v = t.values
    scope = ("country", "material", "from_year", "to_year")
    rows = [tariffs.make_row(v["country"][i], v["material"][i], v["from_year"][i], v["to_year"][i],
                             {c: v[c][i] for c in tariffs.COLUMNS if t.ok(c, i)}, i)
            for i in range(len(t)) if all(t.ok(c, i) for c in scope)]
    countries = {r.country for r in rows if r.country} | {""}
    materials = {r.material for r in rows if r.material} | {""}
    for column, a, b, (country, material, year) in tariffs.conflicts(rows, countries, materials,
                                                                    range(horizon[0], horizon[1] + 1)):
        where = ", ".join(part for part in (
            "" if tariffs.is_stand_in(country) else f"country {country}",
            "" if tariffs.is_stand_in(material) else f"material {material}", f"year {year}") if part)
        for me, other in ((a, b), (b, a)):
            report.add(t.sheet.name, t.where(column, me.excel_row), column, me.values[column],
                       f"one value among equally specific rows; row {t.excel_rows[other.excel_row]} gives "
                       f"{other.values[column]:g} for {where} (make one row more specific, or give both the "
                       "same value)")
