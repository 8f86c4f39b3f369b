"""Policies (SPEC: Policies; docs/decisions.md: policy precedence, min_domestic_share,
min_suppliers), per scenario s, year y, material m, with total supply
``T = purchases + production`` of m in (s, y):

| column | holds when |
| --- | --- |
| max_country_share | purchases from each foreign country ≤ v × T |
| max_supplier_share | purchases from each supplier ≤ v × T |
| max_avg_risk | Σ q × effective risk + Σ x × facility risk ≤ v × T |
| min_green_share | green-certified purchases + green production ≥ v × T |
| max_carbon_intensity | Σ q × offer tCO2e + Σ x × facility tCO2e ≤ v × T |
| min_domestic_share | production ≥ v × demand |
| max_non_allied_share | purchases from non-allied countries ≤ v × T |
| min_stock_share | closing stock ≥ v × demand |
| max_shortage_share | shortage ≤ v × demand |
| min_suppliers | contracted offers of m ≥ v (horizon-wide; most specific by material) |

Precedence: among the rows matching (m, y, s) that give a value for a column, the one
naming the most of material / year / scenario wins; equally specific rows that disagree
are an input error, reported as a finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.schema import manifest
from planner.plans.audit.data import AuditData
from planner.plans.audit.findings import Finding, num, where

SCOPED = tuple(c for c in manifest.policy_columns() if c != "min_suppliers")


def resolve(d: AuditData) -> tuple[pd.DataFrame, list[Finding]]:
    """The target in force for each (scenario, year, material) and column (NaN: none)."""
    grid = d.grid()
    out = pd.DataFrame(index=grid)
    findings: list[Finding] = []
    pol = d.plan.dataset["Policies"]
    s_arr = grid.get_level_values("scenario").to_numpy(object)
    y_arr = grid.get_level_values("year").to_numpy(float)
    m_arr = grid.get_level_values("material").to_numpy(object)
    masks, specs = [], []
    for row in pol.itertuples(index=False):
        mask = np.ones(len(grid), dtype=bool)
        spec = 0
        if row.material != "*":
            mask &= m_arr == row.material
            spec += 1
        if not pd.isna(row.year):
            mask &= y_arr == row.year
            spec += 1
        if row.scenario:
            mask &= s_arr == row.scenario
            spec += 1
        masks.append(mask)
        specs.append(spec)
    for col in SCOPED:
        value = np.full(len(grid), np.nan)
        best = np.full(len(grid), -1)
        clash = np.zeros(len(grid), dtype=bool)
        for mask, spec, v in zip(masks, specs, pol[col].to_numpy(float)):
            if np.isnan(v):
                continue
            win = mask & (spec > best)
            tie = mask & (spec == best) & (value != v)
            clash = np.where(win, False, clash | tie)
            value = np.where(win, v, value)
            best = np.where(win, spec, best)
        out[col] = value
        if clash.any():
            mats = sorted(set(m_arr[clash]))
            findings.append(Finding("policy precedence", "Input.Policies", where(column=col),
                                    f"equally specific rows give different {col} for {int(clash.sum())} "
                                    f"(scenario, year, material) cells, materials {', '.join(mats[:5])}"))
    return out, findings


def min_suppliers(d: AuditData) -> tuple[dict[str, float], list[Finding]]:
    pol = d.plan.dataset["Policies"]
    pol = pol[pol["min_suppliers"].notna()]
    targets: dict[str, float] = {}
    findings: list[Finding] = []
    for m in d.materials:
        rows = pol[pol["material"] == m]
        if rows.empty:
            rows = pol[pol["material"] == "*"]
        values = set(rows["min_suppliers"].astype(float))
        if len(values) > 1:
            findings.append(Finding("policy precedence", "Input.Policies", where(material=m),
                                    f"equally specific rows give different min_suppliers {sorted(values)}"))
        if values:
            targets[m] = max(values)
    return targets, findings


def check_policies(d: AuditData, f: pd.DataFrame) -> list[Finding]:
    targets, out = resolve(d)
    floors, more = min_suppliers(d)
    out += more
    tol = d.qty_tol
    grid = f.index
    terms = supply_terms(d, grid)
    total = (f["purchases"] + f["production"]).to_numpy(float)
    demand = f["demand"].to_numpy(float)
    checks = {
        # column: (lhs, rhs per unit of v, "≤" or "≥", wording)
        "max_country_share": (terms["top_country"], total, "<=", "purchases from the top foreign country"),
        "max_supplier_share": (terms["top_supplier"], total, "<=", "purchases from the top supplier"),
        "max_avg_risk": (terms["risk"], total, "<=", "risk-weighted supply"),
        "min_green_share": (terms["green"], total, ">=", "green supply"),
        "max_carbon_intensity": (terms["carbon"], total, "<=", "tCO2e of supply"),
        "min_domestic_share": (f["production"].to_numpy(float), demand, ">=", "domestic production"),
        "max_non_allied_share": (terms["non_allied"], total, "<=", "purchases from non-allied countries"),
        "min_stock_share": (f["stock"].to_numpy(float), demand, ">=", "closing stock"),
        "max_shortage_share": (f["shortage"].to_numpy(float), demand, "<=", "shortage"),
    }
    for col, (lhs, base, sense, words) in checks.items():
        v = targets[col].to_numpy(float)
        active = ~np.isnan(v)
        rhs = np.where(active, v, 0.0) * base
        excess = (lhs - rhs) if sense == "<=" else (rhs - lhs)
        bad = active & (excess > tol(rhs))
        for i in np.flatnonzero(bad):
            s, y, m = grid[i]
            basis = "total supply" if base is total else "demand"
            out.append(Finding("policy " + col, "Input.Policies", where(scenario=s, year=y, material=m),
                               f"{words} {num(lhs[i])} {'exceeds' if sense == '<=' else 'is below'} "
                               f"{num(v[i])} × {basis} {num(base[i])} = {num(rhs[i])}",
                               found=float(lhs[i]), expected=float(rhs[i])))
    at_start = d.contracts[d.contracts["scenario"] == ""]  # min_suppliers counts the contracts signed at the start
    contracted = at_start.drop_duplicates(["supplier", "material"]).groupby("material").size()
    for m, floor in floors.items():
        have = int(contracted.get(m, 0))
        if have + 1e-9 < floor:
            out.append(Finding("policy min_suppliers", "Contracts", where(material=m),
                               f"{have} contracted offer(s), the policy asks for at least {num(floor)}",
                               found=have, expected=floor))
    return out


def supply_terms(d: AuditData, grid: pd.MultiIndex) -> dict[str, np.ndarray]:
    """Per (scenario, year, material): the top foreign country's and top supplier's
    purchases, and risk-, green-, carbon- and non-allied-weighted supply."""
    src = d.sourcing
    keys = pd.MultiIndex.from_frame(src[["supplier", "material"]]) if len(src) else None
    o = d.offers.reindex(keys) if keys is not None else d.offers.iloc[:0]
    src = src.assign(country=o["country"].fillna("").to_numpy(object) if len(src) else [],
                     eff_risk=o["eff_risk"].fillna(0.0).to_numpy(float) if len(src) else [],
                     green=o["green"].fillna(False).to_numpy(bool) if len(src) else [],
                     ci=o["carbon_intensity"].fillna(0.0).to_numpy(float) if len(src) else [],
                     allied=o["allied"].fillna(False).to_numpy(bool) if len(src) else [])
    by = ["scenario", "year", "material"]
    foreign = src[src["country"] != d.home]
    top_country = foreign.groupby(by + ["country"])["quantity"].sum().groupby(level=by).max()
    top_supplier = src.groupby(by + ["supplier"])["quantity"].sum().groupby(level=by).max()
    q = src["quantity"]
    prod = d.production[d.production["facility"].isin(d.facilities.index)]
    fac = d.facilities
    px = prod["quantity"]
    pf = prod.assign(material=prod["output"],
                     risk=px * prod["facility"].map(fac["risk"]).fillna(0.0),
                     green=px * prod["facility"].map(fac["green"]).fillna(False).astype(float),
                     carbon=px * prod["facility"].map(fac["carbon_intensity"]).fillna(0.0))
    sf = src.assign(risk=q * src["eff_risk"], green=q * src["green"].astype(float), carbon=q * src["ci"],
                    non_allied=q * (~src["allied"]).astype(float))

    def on(series: pd.Series) -> np.ndarray:
        return series.reindex(grid).fillna(0.0).to_numpy(float) if len(series) else np.zeros(len(grid))

    return {
        "top_country": on(top_country),
        "top_supplier": on(top_supplier),
        "risk": on(sf.groupby(by)["risk"].sum()) + on(pf.groupby(by)["risk"].sum()),
        "green": on(sf.groupby(by)["green"].sum()) + on(pf.groupby(by)["green"].sum()),
        "carbon": on(sf.groupby(by)["carbon"].sum()) + on(pf.groupby(by)["carbon"].sum()),
        "non_allied": on(sf.groupby(by)["non_allied"].sum()),
    }
