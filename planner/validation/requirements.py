"""Required decisions the data itself rules out: Facilities.min_modules and Offers.must_contract;
and existing modules beyond max_modules.

- ``min_modules`` at most ``max_modules``; above ``existing_modules`` only if a module
  started from ``earliest_year`` can produce by the last year (``earliest_year +
  build_years <= last year``), since only such builds exist (docs/decisions.md, "Lifetime share").
- ``must_contract`` not on an offer of a sanctioned country (it can be neither contracted
  nor bought from), nor on one with a ``min_order`` whose offer or supplier capacity is 0
  (contracted, it would owe a delivery it can never make).
"""

from __future__ import annotations

from planner.validation.settings import Settings
from planner.validation.tables import Report, Typed


def check_existing_modules(t: Typed, report: Report) -> None:
    """SPEC: existing plus all started modules <= max_modules, so existing alone must fit."""
    v = t.values
    for i, (existing, most) in enumerate(zip(v["existing_modules"], v["max_modules"])):
        if existing is None or most is None or not (t.ok("existing_modules", i) and t.ok("max_modules", i)):
            continue
        if existing > most:
            report.add(t.sheet.name, t.where("existing_modules", i), "existing_modules", existing,
                       f"at most max_modules ({int(most)}): existing plus started modules never exceed it")
            t.mark("existing_modules", i)


def check_min_modules(t: Typed, settings: Settings, report: Report) -> None:
    horizon = settings.horizon
    v = t.values
    for i, least in enumerate(v["min_modules"]):
        if least is None or not all(t.ok(c, i) for c in ("min_modules", "max_modules", "existing_modules")):
            continue
        most, existing = v["max_modules"][i], v["existing_modules"][i] or 0
        if most is not None and least > most:
            report.add(t.sheet.name, t.where("min_modules", i), "min_modules", least,
                       f"at most max_modules ({int(most)})")
        elif horizon is not None and least > existing:
            start = v["earliest_year"][i] if v["earliest_year"][i] is not None else horizon[0]
            lead = v["build_years"][i] if v["build_years"][i] is not None else 2
            if start + lead > horizon[1]:
                report.add(t.sheet.name, t.where("min_modules", i), "min_modules", least,
                           f"at most existing_modules ({int(existing)}): a module started from {int(start)} "
                           f"produces from {int(start + lead)}, after the last year {horizon[1]}")


def check_must_contract(offers: Typed, suppliers: Typed, countries: Typed, report: Report) -> None:
    country_of = dict(zip(suppliers.values["supplier"], suppliers.values["country"]))
    supplier_cap = dict(zip(suppliers.values["supplier"], suppliers.values["capacity"]))
    sanctioned = {c for c, s in zip(countries.values["country"], countries.values["sanctioned"]) if s}
    v = offers.values
    for i, must in enumerate(v["must_contract"]):
        if not must:
            continue
        supplier = v["supplier"][i]
        country = country_of.get(supplier)
        if country in sanctioned:
            report.add(offers.sheet.name, offers.where("must_contract", i), "must_contract", True,
                       f"false: {supplier} is in sanctioned country {country} (its offers can be neither "
                       "contracted nor bought from)")
        elif (v["min_order"][i] or 0) > 0 and 0 in (v["capacity"][i], supplier_cap.get(supplier)):
            report.add(offers.sheet.name, offers.where("must_contract", i), "must_contract", True,
                       f"false: the offer owes a min_order of {v['min_order'][i]:g} a year but its capacity is 0")
