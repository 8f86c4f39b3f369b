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
    ref = max(div, key=lambda s: div[s])  # latest to diverge
    tables = (
        ("purchases", "Sourcing", d.sourcing, ["supplier", "material"]),
        ("production", "Production", d.production, ["facility"]),
        ("shortage", "Shortages", d.plan.tables["Shortages"], ["material"]),
    )
    out: list[Finding] = []
    tol = d.qty_tol
    for words, sheet, table, keys in tables:
        if table.empty:
            continue
        values = table.groupby(["scenario", "year"] + keys)["quantity"].sum()
        for s in d.probs.index:
            if s == ref:
                continue
            shared = [y for y in d.years if y < min(div[s], div[ref])]
            if not shared:
                continue
            mine = values[values.index.get_level_values(0) == s].droplevel(0)
            theirs = values[values.index.get_level_values(0) == ref].droplevel(0)
            mine = mine[mine.index.get_level_values(0).isin(shared)]
            theirs = theirs[theirs.index.get_level_values(0).isin(shared)]
            index = mine.index.union(theirs.index)
            a = mine.reindex(index).fillna(0.0).to_numpy(float)
            b = theirs.reindex(index).fillna(0.0).to_numpy(float)
            for i in np.flatnonzero(np.abs(a - b) > tol(np.maximum(np.abs(a), np.abs(b)))):
                key = index[i]
                out.append(Finding("nonanticipativity", sheet,
                                   where(scenario=s, year=key[0], **dict(zip(keys, key[1:]))),
                                   f"{words} {num(a[i])}, but {num(b[i])} in scenario {ref}: the scenarios' data "
                                   f"do not differ before {_year(min(div[s], div[ref]))}", found=a[i],
                                   expected=b[i]))
    return out


def check_recourse(d: AuditData) -> list[Finding]:
    """Builds, draws and late contracts against ``recourse_builds``. With d_s and the reference r as
    above, L_s = min(d_s, d_r): scenario s's modules started and draws in years before L_s are r's;
    a late contract of s (a Contracts row naming it) is signed in L_s (r: the latest L of the others).
    Without recourse_builds (or with one scenario) every scenario's are the same and none is late."""
    scenarios = list(d.probs.index)
    recourse = bool(d.plan.dataset.settings.get("recourse_builds")) and len(scenarios) > 1
    div = divergence(d)
    ref = max(div, key=lambda s: div[s])
    own = {s: (min(div[s], div[ref]) if recourse else math.inf) for s in scenarios if s != ref}
    signed = own | ({ref: max(own.values())} if own else {})
    out: list[Finding] = []
    if d.by_scenario:
        draws = d.draws.groupby(["plan", "year", "source", "facility"])["draw"].sum()
        started = d.started.reorder_levels(["plan", "year", "facility"])
        for words, sheet, values, keys in (("modules started", "Builds", started, ["facility"]),
                                           ("draw", "Financing", draws, ["source", "facility"])):
            for s in own:
                shared = [y for y in d.years if y < own[s]]
                out += _differences(d, values, keys, s, ref, shared, words, sheet, own[s])
    for row in d.contracts[d.contracts["scenario"] != ""].itertuples(index=False):
        at = where(scenario=row.scenario, supplier=row.supplier, material=row.material)
        if not recourse:
            out.append(Finding("recourse", "Contracts", at, "a contract of one scenario only, but Settings "
                               "recourse_builds is off: contracts are signed once for every scenario"))
        elif row.scenario in signed and row.signed_year != signed[row.scenario]:
            out.append(Finding("recourse", "Contracts", at, f"signed in {num(row.signed_year)}, but the scenario "
                               f"may sign its own contracts in {_year(signed[row.scenario])} (when it parts from "
                               "the others)", found=row.signed_year, expected=signed[row.scenario]))
    return out


def _differences(d: AuditData, values: pd.Series, keys: list[str], s: str, ref: str, shared: list[int],
                 words: str, sheet: str, until: float) -> list[Finding]:
    """Where scenario s's ``values`` (indexed plan, year, *keys) differ from ref's in the ``shared`` years."""
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
        out.append(Finding("recourse", sheet, where(scenario=s, year=key[0], **dict(zip(keys, key[1:]))),
                           f"{words} {num(a[i])}, but {num(b[i])} in scenario {ref}: the scenarios part only in "
                           f"{_year(until)}", found=a[i], expected=b[i]))
    return out


def _year(value: float) -> str:
    return "the end of the horizon" if math.isinf(value) else str(int(value))
