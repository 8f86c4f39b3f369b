"""Optional non-anticipativity (Settings ``nonanticipative``; docs/decisions.md "Scenarios see
their own future"): scenarios share their yearly decisions until their data diverge; and the
recourse of Settings ``recourse_builds`` (SPEC §4 Levers): builds, draws and contracts adapt by
scenario only from then.

The divergence year d_s of scenario s is the first year of any Disruptions row of s
(from_year) or any Policies row naming s (its year; blank: first_year); never if none.
Any two scenarios s, t make the same purchases (per offer), production (per facility) and
shortages (per material) in every year y < min(d_s, d_t). Checked against the scenario that
diverges last, which is equivalent.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.plans.audit.data import AuditData
from planner.plans.audit.findings import Finding, num, where


def divergence(d: AuditData) -> dict[str, float]:
    out = {s: math.inf for s in d.probs.index}
    for s, y in zip(d.disruptions["scenario"], d.disruptions["from_year"]):
        if s in out:
            out[s] = min(out[s], d.first if pd.isna(y) else float(y))
    pol = d.plan.dataset["Policies"]
    for s, y in zip(pol["scenario"].fillna(""), pol["year"]):
        if s in out:
            out[s] = min(out[s], d.first if pd.isna(y) else float(y))
    return out


def check_nonanticipativity(d: AuditData) -> list[Finding]:
    if not bool(d.plan.dataset.settings.get("nonanticipative")) or len(d.probs) < 2:
        return []
    div = divergence(d)
    ref = reference(div)
    tables = (
        ("purchases", "Sourcing", d.sourcing, ["supplier", "material"]),
        ("production", "Production", d.production, ["facility"]),
        ("shortage", "Shortages", d.plan.tables["Shortages"], ["material"]),
    )
    out: list[Finding] = []
    for words, sheet, table, keys in tables:
        if table.empty:
            continue
        values = table.groupby(["scenario", "year"] + keys)["quantity"].sum()
        for s in d.probs.index:
            if s != ref:
                until = min(div[s], div[ref])
                out += _differences(d, values, keys, s, ref, until, "nonanticipativity", sheet,
                                    f"{words} {{mine}}, but {{theirs}} in scenario {ref}: the scenarios' data do "
                                    f"not differ before {_year(until)}")
    return out


def reference(div: dict[str, float]) -> str:
    """The scenario that diverges last (the first listed on ties): the others are compared with it."""
    return max(div, key=lambda s: div[s])


def check_recourse(d: AuditData) -> list[Finding]:
    """Builds, draws and late contracts against ``recourse_builds``. With d_s and the reference r as
    above, L_s = min(d_s, d_r): scenario s's modules started and draws in years before L_s are r's;
    a late contract of s (a Contracts row naming it) is signed in L_s (r: the latest L of the others).
    Without recourse_builds (or with one scenario) builds and draws are one plan for every
    scenario and no contract is late."""
    scenarios = list(d.probs.index)
    recourse = bool(d.plan.dataset.settings.get("recourse_builds")) and len(scenarios) > 1
    div = divergence(d)
    ref = reference(div)
    own = {s: (min(div[s], div[ref]) if recourse else math.inf) for s in scenarios if s != ref}
    signed = own | ({ref: max(own.values())} if own else {})
    out: list[Finding] = []
    for sheet in ("Builds", "Financing"):
        table = d.plan.tables[sheet]
        if "scenario" not in table.columns or table.empty:
            continue
        if not recourse:
            out.append(Finding("recourse", sheet, "scenario", "builds and draws listed per scenario, but Settings "
                               "recourse_builds is off (or there is one scenario): they are one plan for every "
                               "scenario"))
        named = table["scenario"].where(table["scenario"].notna(), "").astype(str)
        for name in sorted(set(named) - set(scenarios)):
            out.append(Finding("recourse", sheet, where(scenario=name), "no such scenario in Input.Scenarios"))
    if d.by_scenario:
        draws = d.draws.groupby(["plan", "year", "source", "facility"])["draw"].sum()
        started = d.started.reorder_levels(["plan", "year", "facility"])
        for words, sheet, values, keys in (("modules started", "Builds", started, ["facility"]),
                                           ("draw", "Financing", draws, ["source", "facility"])):
            for s in own:
                out += _differences(d, values, keys, s, ref, own[s], "recourse", sheet,
                                    f"{words} {{mine}}, but {{theirs}} in scenario {ref}: a scenario's builds and "
                                    f"draws are its own only from {_year(own[s])}, the first year its data or "
                                    f"{ref}'s diverge")
    for row in d.contracts[d.contracts["scenario"] != ""].itertuples(index=False):
        at = where(scenario=row.scenario, supplier=row.supplier, material=row.material)
        if not recourse:
            out.append(Finding("recourse", "Contracts", at, "a contract of one scenario only, but Settings "
                               "recourse_builds is off: contracts are signed once for every scenario"))
        elif row.scenario not in signed:
            out.append(Finding("recourse", "Contracts", at, "no such scenario in Input.Scenarios"))
        elif row.signed_year != signed[row.scenario]:
            out.append(Finding("recourse", "Contracts", at, f"signed in {_year(row.signed_year)}, but the scenario "
                               f"may sign its own contracts only in {_year(signed[row.scenario])} (when it parts "
                               "from the others)", found=row.signed_year, expected=signed[row.scenario]))
    return out


def _differences(d: AuditData, values: pd.Series, keys: list[str], s: str, ref: str, until: float, check: str,
                 sheet: str, message: str) -> list[Finding]:
    """Where scenario s's ``values`` (indexed scenario or plan, year, *keys) differ from ref's in the
    years before ``until``; ``message`` formatted with ``mine`` and ``theirs``."""
    shared = [y for y in d.years if y < until]
    if not shared:
        return []
    mine = values[values.index.get_level_values(0) == s].droplevel(0)
    theirs = values[values.index.get_level_values(0) == ref].droplevel(0)
    mine = mine[mine.index.get_level_values(0).isin(shared)]
    theirs = theirs[theirs.index.get_level_values(0).isin(shared)]
    index = mine.index.union(theirs.index)
    a = mine.reindex(index).fillna(0.0).to_numpy(float)
    b = theirs.reindex(index).fillna(0.0).to_numpy(float)
    out = []
    for i in np.flatnonzero(np.abs(a - b) > d.qty_tol(np.maximum(np.abs(a), np.abs(b)))):
        key = index[i]
        out.append(Finding(check, sheet, where(scenario=s, year=key[0], **dict(zip(keys, key[1:]))),
                           message.format(mine=num(a[i]), theirs=num(b[i])), found=a[i], expected=b[i]))
    return out


def _year(value: float) -> str:
    return "the end of the horizon" if math.isinf(value) else str(int(value))
