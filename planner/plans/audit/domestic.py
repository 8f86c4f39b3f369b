"""Domestic capacity and its financing: the Builds, Production and Financing sheets
(SPEC: Facilities, Recipes, Financing; docs/decisions.md: lifetime share, financing cover).

Builds, per facility f and start year y, started(f, y) whole and ≥ 0:

- ``earliest_year ≤ y`` and ``y + build_years ≤ last_year`` (a build must produce inside
  the horizon)
- ``existing_modules + Σ_y started(f, y) ≤ max_modules``, and ``≥ min_modules`` (every
  build produces by the last year, so this counts the modules that exist then)
- the sheet's modules_producing and capacity agree with ``producing(f, y)``

Production, per scenario s, year y, facility f: ``0 ≤ x(s, y, f) ≤ capacity(f, y)`` (a module
in its first producing year at its ramp_up share), of the facility's own material. Recipe consumption enters the stock
balance (planner.plans.audit.balance).

With recourse_builds the plan lists builds and draws per scenario: each scenario's are checked
on their own (planner.plans.audit.recourse checks that they agree before the scenario diverges).

Financing (only with a Financing sheet), draws d(source, f, y) ≥ 0:

- cover: ``Σ_source d(source, f, y) ≥ capex_per_module × started(f, y)``
- limit: ``Σ_{f, y} d(source, f, y) ≤ limit``; min_draw: a used source draws ≥ min_draw
- green_only sources fund only green facilities; no draw before available_from
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.plans.audit.data import AuditData, of_plan
from planner.plans.audit.findings import Finding, Tolerance, num, where


def check_builds(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    fac = d.facilities
    tol = Tolerance(max([1.0] + [float(v) for v in fac["max_modules"].fillna(0)]))
    builds = d.plan.tables["Builds"]
    plans = builds["scenario"].where(builds["scenario"].notna(), "").astype(str) if d.by_scenario \
        else pd.Series([""] * len(builds), index=builds.index)
    for plan, row in zip(plans, builds.itertuples(index=False)):
        at = _at(plan, facility=row.facility, year=row.year)
        if row.facility not in fac.index:
            out.append(Finding("build", "Builds", at, "no such facility in Input.Facilities"))
            continue
        started = 0.0 if pd.isna(row.modules_started) else float(row.modules_started)
        f = fac.loc[row.facility]
        if row.year not in d.years and any(not pd.isna(v) and v != 0 for v in
                                           (row.modules_started, row.modules_producing, row.capacity)):
            out.append(Finding("build timing", "Builds", at, f"a record for a year outside the horizon "
                               f"{d.first}-{d.last}"))
            continue
        if started < -tol(0):
            out.append(Finding("build", "Builds", at, f"negative modules started {num(started)}", found=started))
        if abs(started - round(started)) > 1e-6:
            out.append(Finding("whole modules", "Builds", at, f"modules started {num(started)} is not a whole "
                               "number", found=started))
        if started > tol(0):
            if row.year < f["earliest_year"]:
                out.append(Finding("build timing", "Builds", at, f"build starts before earliest_year "
                                   f"{int(f['earliest_year'])}", found=started, expected=0.0))
            if row.year + f["build_years"] > d.last or row.year < d.first:
                out.append(Finding("build timing", "Builds", at,
                                   f"a module started in {row.year} with build_years {int(f['build_years'])} "
                                   f"would not produce inside the horizon {d.first}-{d.last}", found=started,
                                   expected=0.0))
        if (plan, row.facility, row.year) in d.producing.index:
            producing = d.producing[(plan, row.facility, row.year)]
            shown = row.modules_producing
            if not pd.isna(shown) and abs(shown - producing) > tol(producing):
                out.append(Finding("modules producing", "Builds", at,
                                   f"modules_producing {num(shown)} but existing modules and the builds started "
                                   f"at least build_years before give {num(producing)}", found=shown,
                                   expected=producing))
            capacity = d.capacity[(plan, row.facility, row.year)]
            if not pd.isna(row.capacity) and abs(row.capacity - capacity) > d.qty_tol(capacity):
                out.append(Finding("capacity", "Builds", at, f"capacity {num(row.capacity)} but "
                                   f"{num(producing)} modules × {num(f['module_capacity'])}"
                                   + (f" (new ones at ramp_up {num(f['ramp_up'])})" if f["ramp_up"] != 1 else "")
                                   + f" = {num(capacity)}", found=row.capacity, expected=capacity))
    total = d.started.groupby(level=["plan", "facility"]).sum()
    for plan in d.plans:
        mine = of_plan(total, plan)
        out += _check_min_modules(fac, mine, tol, plan)
        for f_id, started in mine.items():
            if f_id not in fac.index:
                continue
            f = fac.loc[f_id]
            existing = 0.0 if pd.isna(f["existing_modules"]) else float(f["existing_modules"])
            if existing + started - f["max_modules"] > tol(f["max_modules"]):
                out.append(Finding("module limit", "Builds", _at(plan, facility=f_id),
                                   f"existing {num(existing)} + started {num(started)} modules exceed max_modules "
                                   f"{num(f['max_modules'])}", found=existing + started, expected=f["max_modules"]))
    return out


def _at(plan: str, **keys) -> str:
    """Where a finding about builds or draws is: with the scenario whose plan it is, if any."""
    return where(scenario=plan, **keys) if plan else where(**keys)


def _check_min_modules(fac: pd.DataFrame, started: pd.Series, tol: Tolerance, plan: str) -> list[Finding]:
    out: list[Finding] = []
    for f_id, f in fac.iterrows():
        least = 0.0 if pd.isna(f["min_modules"]) else float(f["min_modules"])
        existing = 0.0 if pd.isna(f["existing_modules"]) else float(f["existing_modules"])
        exist = existing + float(started.get(f_id, 0.0))
        if least - exist > tol(least):
            out.append(Finding("module minimum", "Builds", _at(plan, facility=f_id),
                               f"existing {num(existing)} + started {num(exist - existing)} modules fall short of "
                               f"min_modules {num(least)}", found=exist, expected=least))
    return out


def check_production(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    prod = d.production
    fac = d.facilities
    tol = d.qty_tol
    for row in prod.itertuples(index=False):
        at = where(scenario=row.scenario, year=row.year, facility=row.facility)
        if row.facility not in fac.index:
            out.append(Finding("production", "Production", at, "no such facility in Input.Facilities",
                               found=row.quantity))
            continue
        if row.material and row.material != row.output:
            out.append(Finding("production", "Production", at, f"material {row.material} but the facility "
                               f"produces {row.output}"))
        if row.quantity < -tol(0):
            out.append(Finding("non-negativity", "Production", at, f"negative production {num(row.quantity)}",
                               found=row.quantity, expected=0.0))
        if row.scenario not in d.probs.index:
            out.append(Finding("production", "Production", at, f"unknown scenario {row.scenario}"))
        if row.year not in d.years:
            out.append(Finding("production", "Production", at, f"year outside the horizon {d.first}-{d.last}"))
    known = prod[prod["facility"].isin(fac.index)]
    agg = known.groupby(["scenario", "year", "facility"])["quantity"].sum()
    for (s, y, f_id), qty in agg.items():
        producing = d.producing.get((d.plan_of(s), f_id, y), 0.0)
        cap = d.capacity.get((d.plan_of(s), f_id, y), 0.0)
        if qty - cap > tol(cap):
            out.append(Finding("facility capacity", "Production", where(scenario=s, year=y, facility=f_id),
                               f"production {num(qty)} exceeds capacity {num(cap)} ({num(producing)} modules "
                               f"producing × {num(fac.at[f_id, 'module_capacity'])}, new ones at their ramp-up "
                               "share)", found=qty, expected=cap))
    return out


def capex_by_build(d: AuditData) -> pd.Series:
    """capex_per_module × started per (plan, facility, year), for known facilities."""
    started = d.started[d.started.index.get_level_values("facility").isin(d.facilities.index)]
    unit = started.index.get_level_values("facility").map(d.facilities["capex_per_module"]).to_numpy(float)
    return pd.Series(started.to_numpy(float) * np.nan_to_num(unit), index=started.index)


def money_tolerance(d: AuditData) -> Tolerance:
    capex = capex_by_build(d)
    values = [1.0, float(capex.abs().max()) if len(capex) else 0.0, float(d.draws["draw"].abs().max())
              if len(d.draws) else 0.0]
    return Tolerance(max(values))


def check_financing(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    draws = d.draws
    tol = money_tolerance(d)
    if not d.has_financing:
        for row in draws[draws["draw"].abs() > tol(0)].itertuples(index=False):
            out.append(Finding("financing", "Financing", _at(row.plan, source=row.source, facility=row.facility,
                                                             year=row.year),
                               "a draw, but the input has no Financing sheet", found=row.draw, expected=0.0))
        return out
    src = d.financing
    fac = d.facilities
    for row in draws.itertuples(index=False):
        at = _at(row.plan, source=row.source, facility=row.facility, year=row.year)
        if row.source not in src.index:
            out.append(Finding("financing", "Financing", at, "no such source in Input.Financing", found=row.draw))
            continue
        if row.facility not in fac.index:
            out.append(Finding("financing", "Financing", at, "no such facility in Input.Facilities",
                               found=row.draw))
            continue
        if row.draw < -tol(0):
            out.append(Finding("non-negativity", "Financing", at, f"negative draw {num(row.draw)}", found=row.draw))
        if row.draw > tol(0):
            s = src.loc[row.source]
            if s["green_only"] and not fac.at[row.facility, "green"]:
                out.append(Finding("green-only financing", "Financing", at, f"draw {num(row.draw)} from a green_only "
                                   "source for a facility that is not green", found=row.draw, expected=0.0))
            if not pd.isna(s["available_from"]) and row.year < s["available_from"]:
                out.append(Finding("financing availability", "Financing", at, f"draw {num(row.draw)} before the "
                                   f"source's available_from {int(s['available_from'])}", found=row.draw,
                                   expected=0.0))
            if row.year not in d.years:
                out.append(Finding("financing", "Financing", at, f"year outside the horizon {d.first}-{d.last}",
                                   found=row.draw))

    covered = draws.groupby(["plan", "facility", "year"])["draw"].sum()
    for (plan, f_id, y), capex in capex_by_build(d).items():
        drawn = float(covered.get((plan, f_id, y), 0.0))
        if capex - drawn > tol(capex):
            out.append(Finding("financing cover", "Financing", _at(plan, facility=f_id, year=y),
                               f"draws {num(drawn)} do not cover the capex {num(capex)} of the modules started",
                               found=drawn, expected=capex))
    totals = draws.groupby(["plan", "source"])["draw"].sum()
    for (plan, s_id), total in totals.items():
        if s_id not in src.index:
            continue
        s = src.loc[s_id]
        if total - s["limit"] > tol(s["limit"]):
            out.append(Finding("financing limit", "Financing", _at(plan, source=s_id),
                               f"total draw {num(total)} exceeds the limit {num(s['limit'])}", found=total,
                               expected=s["limit"]))
        if total > tol(0) and s["min_draw"] - total > tol(s["min_draw"]):
            out.append(Finding("financing min_draw", "Financing", _at(plan, source=s_id),
                               f"total draw {num(total)} below the source's min_draw {num(s['min_draw'])}",
                               found=total, expected=s["min_draw"]))
    return out
