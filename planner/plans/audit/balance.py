"""Stock balance and shortage (SPEC: model semantics), per scenario s, year y, material m:

    stock(s, y, m) = stock(s, y-1, m) [initial_stock before first_year]
                     + purchases(s, y, m) + production(s, y, m)
                     - Σ_f x(s, y, f) × quantity_per_unit(f, m)      (Recipes)
                     - (demand(s, y, m) - shortage(s, y, m))      (demand factors applied)
    stock ≥ 0,  0 ≤ shortage ≤ demand

Missing rows of Stock and Shortages are zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.plans.audit.data import AuditData
from planner.plans.audit.findings import Finding, num, where


def flows(d: AuditData) -> pd.DataFrame:
    """Every (scenario, year, material) with its purchases, production, consumption, demand,
    shortage, opening and closing stock."""
    grid = d.grid()
    frame = pd.DataFrame(index=grid)
    frame["purchases"] = _on(grid, d.sourcing.groupby(["scenario", "year", "material"])["quantity"].sum())
    prod = d.production.assign(material=d.production["output"].where(d.production["output"] != "",
                                                                     d.production["material"]))
    frame["production"] = _on(grid, prod.groupby(["scenario", "year", "material"])["quantity"].sum())
    if len(d.recipes) and len(prod):
        use = prod.merge(d.recipes, on="facility", how="inner")
        use["used"] = use["quantity"] * use["quantity_per_unit"]
        frame["consumption"] = _on(grid, use.groupby(["scenario", "year", "input_material"])["used"].sum()
                                   .rename_axis(["scenario", "year", "material"]))
    else:
        frame["consumption"] = 0.0
    years = grid.get_level_values("year")
    mats = grid.get_level_values("material")
    frame["demand"] = d.scenario_demand(grid)
    frame["shortage"] = _on(grid, d.shortage)
    frame["stock"] = _on(grid, d.stock)
    initial = d.plan.dataset["Materials"].drop_duplicates("material").set_index("material")["initial_stock"]
    previous = frame["stock"].groupby(level=["scenario", "material"]).shift(1)
    first = years == d.first
    opening = np.where(first, mats.map(initial).to_numpy(float), previous.to_numpy(float))
    frame["opening"] = np.nan_to_num(opening)
    return frame


def _on(grid: pd.MultiIndex, series: pd.Series) -> np.ndarray:
    if series is None or len(series) == 0:
        return np.zeros(len(grid))
    return series.reindex(grid).fillna(0.0).to_numpy(float)


def check_balance(d: AuditData, f: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    tol = d.qty_tol
    grid = f.index
    out += _off_grid(d, grid)
    inflow = f["opening"] + f["purchases"] + f["production"]
    expected = inflow - f["consumption"] - (f["demand"] - f["shortage"])
    gap = (f["stock"] - expected).to_numpy(float)
    scale = np.maximum.reduce([np.abs(inflow.to_numpy(float)), f["demand"].to_numpy(float),
                               f["consumption"].to_numpy(float)])
    for i in np.flatnonzero(np.abs(gap) > tol(scale)):
        s, y, m = grid[i]
        r = f.iloc[i]
        out.append(Finding("stock balance", "Stock", where(scenario=s, year=y, material=m),
                           f"closing stock {num(r.stock)} but opening {num(r.opening)} + purchases "
                           f"{num(r.purchases)} + production {num(r.production)} - consumption "
                           f"{num(r.consumption)} - (demand {num(r.demand)} - shortage {num(r.shortage)}) = "
                           f"{num(expected.iloc[i])}", found=r.stock, expected=float(expected.iloc[i])))
    for i in np.flatnonzero(f["stock"].to_numpy(float) < -tol(0)):
        s, y, m = grid[i]
        out.append(Finding("non-negativity", "Stock", where(scenario=s, year=y, material=m),
                           f"negative closing stock {num(f['stock'].iloc[i])}", found=f["stock"].iloc[i],
                           expected=0.0))
    sh = f["shortage"].to_numpy(float)
    dem = f["demand"].to_numpy(float)
    for i in np.flatnonzero((sh < -tol(0)) | (sh - dem > tol(dem))):
        s, y, m = grid[i]
        out.append(Finding("shortage", "Shortages", where(scenario=s, year=y, material=m),
                           f"shortage {num(sh[i])} outside 0..demand {num(dem[i])}", found=sh[i], expected=dem[i]))
    return out


def _off_grid(d: AuditData, grid: pd.MultiIndex) -> list[Finding]:
    """Stock and shortage rows for a scenario, year or material the plan does not have."""
    out = []
    for name, series, sheet in (("closing stock", d.stock, "Stock"), ("shortage", d.shortage, "Shortages")):
        for key, value in series.items():
            if key not in grid and abs(value) > d.qty_tol(0):
                s, y, m = key
                out.append(Finding("plan record", sheet, where(scenario=s, year=y, material=m),
                                   f"{name} {num(value)} for an unknown scenario, year or material",
                                   found=value))
    return out
