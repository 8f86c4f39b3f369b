"""Figures the plan reports beside its decisions, recomputed (models/analysis/results.py conventions,
docs/decisions.md "KPIs"):

- Sourcing: ``landed_unit_cost = price + duty + freight`` (undiscounted; planner.plans.audit.data) and
  ``cost = quantity × landed_unit_cost × df(y)``
- Financing: ``pv_cost = draw × PV(source, y) × share(f, y)``
- Contracts: the qualification_cost column sums to the qualification costs the contracts need
- KPIs, per scenario, year, material: demand, supply, imports (purchases from foreign
  countries), domestic production, shortage; domestic share (of demand), top foreign
  country share, supplier HHI, average risk, green share and carbon intensity (of supply)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.plans.audit.costs import Recomputation, _contract_costs, pv_factor
from planner.plans.audit.data import AuditData
from planner.plans.audit.findings import Finding, Tolerance, num, where
from planner.plans.audit.policies import supply_terms


def check_reports(d: AuditData, flows: pd.DataFrame, r: Recomputation) -> list[Finding]:
    return _sourcing(d) + _financing(d, r) + _contracts(d, r) + _kpis(d, flows)


def _money_tol(r: Recomputation) -> Tolerance:
    return Tolerance(max(1.0, sum(abs(v) for v in r.components.values())))


def _sourcing(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    src = d.sourcing
    if src.empty:
        return out
    keys = pd.MultiIndex.from_frame(src[["supplier", "material"]])
    src = src[keys.isin(d.offers.index)]
    if src.empty:
        return out
    o = d.offers.reindex(pd.MultiIndex.from_frame(src[["supplier", "material"]]))
    _, pf = d.factors(src)
    price, duty = d.prices(src, pf)
    landed = price + duty + o["freight_cost"].to_numpy(float)
    cost = src["quantity"].to_numpy(float) * landed * d.df(src["year"].to_numpy(float))
    shown_landed = src["landed_unit_cost"].to_numpy(float)
    shown_cost = src["cost"].to_numpy(float)
    for i, row in enumerate(src.itertuples(index=False)):
        at = where(scenario=row.scenario, year=row.year, material=row.material, supplier=row.supplier)
        if not np.isnan(shown_landed[i]) and abs(shown_landed[i] - landed[i]) > 1e-6 * (1 + abs(landed[i])):
            out.append(Finding("reported figure", "Sourcing", at, f"landed_unit_cost {num(shown_landed[i])}, but "
                               f"max(unit_cost × price factor, min import price) × (1 + ad valorem) + specific "
                               f"duty + freight = {num(landed[i])}",
                               found=shown_landed[i], expected=landed[i]))
        if not np.isnan(shown_cost[i]) and abs(shown_cost[i] - cost[i]) > 1e-6 * (1 + abs(cost[i])):
            out.append(Finding("reported figure", "Sourcing", at, f"cost {num(shown_cost[i])}, but quantity × landed "
                               f"unit cost × discount factor = {num(cost[i])}", found=shown_cost[i], expected=cost[i]))
    return out


def _financing(d: AuditData, r: Recomputation) -> list[Finding]:
    out: list[Finding] = []
    draws = d.draws
    if not d.has_financing or draws.empty:
        return out
    for row in draws.itertuples(index=False):
        if row.source not in d.financing.index or row.facility not in d.facilities.index or pd.isna(row.pv_cost):
            continue
        pv = float(pv_factor(d, d.financing.loc[row.source], [row.year])[0])
        share = float(d.lifetime_share(pd.Series([row.facility]), pd.Series([row.year]))[0])
        cost = row.draw * pv * share
        if abs(row.pv_cost - cost) > 1e-6 * (1 + abs(cost)):
            out.append(Finding("reported figure", "Financing", where(source=row.source, facility=row.facility,
                                                                     year=row.year),
                               f"pv_cost {num(row.pv_cost)}, but draw × present value of its repayments × lifetime "
                               f"share = {num(cost)}", found=row.pv_cost, expected=cost))
    return out


def _contracts(d: AuditData, r: Recomputation) -> list[Finding]:
    """The qualification_cost column against the qualifications the contracts need: at the start, and
    (recourse) each scenario's late ones, undiscounted as the column shows them."""
    shown = d.contracts["qualification_cost"].fillna(0.0).sum() if len(d.contracts) else 0.0
    shared = d.contracts[d.contracts["scenario"] == ""]
    _, mine, at_start = _contract_costs(d, shared, set())
    for s in d.probs.index:
        mine += _contract_costs(d, d.contracts[d.contracts["scenario"] == s], at_start)[1]
    if abs(shown - mine) > _money_tol(r)(mine):
        return [Finding("reported figure", "Contracts", "qualification_cost", f"the column sums to {num(shown)}, but "
                        f"the qualification cost of the contracted suppliers is {num(mine)}", found=shown,
                        expected=mine)]
    return []


def _kpis(d: AuditData, flows: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    kpis = d.plan.tables["KPIs"]
    if kpis.empty:
        return out
    grid = flows.index
    terms = supply_terms(d, grid)
    supply = (flows["purchases"] + flows["production"]).to_numpy(float)
    src = d.sourcing.assign(country=d.sourcing["supplier"].map(d.suppliers["country"]).fillna(""))
    by = ["scenario", "year", "material"]
    imports = src[src["country"] != d.home].groupby(by)["quantity"].sum().reindex(grid).fillna(0.0).to_numpy(float)
    hhi = _hhi(d, grid, supply)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = lambda a: np.where(supply > 1e-6, a / supply, np.nan)  # noqa: E731
        demand = flows["demand"].to_numpy(float)
        expected = {
            "demand": demand, "supply": supply, "imports": imports,
            "domestic_production": flows["production"].to_numpy(float),
            "shortage": flows["shortage"].to_numpy(float),
            "domestic_share": np.where(demand > 0, flows["production"].to_numpy(float) / demand, np.nan),
            "top_country_share": share(terms["top_country"]), "supplier_hhi": hhi,
            "avg_risk": share(terms["risk"]), "green_share": share(terms["green"]),
            "carbon_intensity": share(terms["carbon"]),
        }
    position = pd.Series(np.arange(len(grid)), index=grid)
    tol = d.qty_tol
    for row in kpis.itertuples(index=False):
        key = (row.scenario, row.year, row.material)
        if key not in position.index:
            out.append(Finding("reported figure", "KPIs", where(scenario=row.scenario, year=row.year,
                                                                material=row.material),
                               "a row for a scenario, year or material the plan does not have"))
            continue
        i = position[key]
        for col, values in expected.items():
            shown = getattr(row, col)
            mine = values[i]
            if pd.isna(shown) or np.isnan(mine):
                continue
            limit = tol(mine) if col in ("demand", "supply", "imports", "domestic_production", "shortage") \
                else 1e-6 * (1 + abs(mine))
            if abs(shown - mine) > limit:
                out.append(Finding("reported figure", "KPIs", where(scenario=row.scenario, year=row.year,
                                                                    material=row.material),
                                   f"{col} {num(shown)}, recomputed from the decisions {num(mine)}", found=shown,
                                   expected=mine))
    return out


def _hhi(d: AuditData, grid: pd.MultiIndex, supply: np.ndarray) -> np.ndarray:
    by = ["scenario", "year", "material"]
    src = d.sourcing.assign(source="supplier:" + d.sourcing["supplier"].astype(str))
    parts = [src.groupby(by + ["source"])["quantity"].sum()]
    prod = d.production.assign(material=d.production["output"].where(d.production["output"] != "",
                                                                     d.production["material"]),
                                   source="facility:" + d.production["facility"].astype(str))
    parts.append(prod.groupby(by + ["source"])["quantity"].sum())
    both = pd.concat([p for p in parts if len(p)]) if any(len(p) for p in parts) else pd.Series(dtype=float)
    if both.empty:
        return np.full(len(grid), np.nan)
    total = pd.Series(supply, index=grid)
    frame = both.reset_index(name="q")
    frame["total"] = total.reindex(pd.MultiIndex.from_frame(frame[by])).to_numpy(float)
    frame = frame[frame["total"] > 1e-6]
    frame["sq"] = (frame["q"] / frame["total"]) ** 2
    hhi = frame.groupby(by)["sq"].sum().reindex(grid).to_numpy(float)
    return np.where(supply > 1e-6, hhi, np.nan)
