"""Foreign supply: the Sourcing and Contracts sheets against the offers (SPEC: Offers,
Suppliers, Countries, Disruptions; docs/decisions.md: disruptions and capacity, min_order).

For every scenario s, year y and offer o = (supplier, material) with purchases q(s, y, o):

- o exists in Input.Offers, the row's country is its supplier's, y and s are in the plan
- q ≥ 0; q > 0 only if o is contracted, its country is not sanctioned and y ≥ available_from
  and y ≥ first_year + Suppliers.qualification_years (unless the supplier is ``qualified``)
- ``q(s, y, o) ≤ cf(s, o, y) × cap(o)`` (cf = 0 blocks an offer of unlimited capacity)
- ``Σ_m q(s, y, (sup, m)) ≤ Suppliers.capacity`` (the joint limit is not scaled)
- contracted o, y from when it can deliver: ``q(s, y, o) ≥ cf(s, o, y) × min_order``; a scenario's
  late contract (recourse_builds) allows purchases and owes its min order from its signed_year +
  the supplier's qualification_years
- a contracted offer exists and is not from a sanctioned country; its contract_cost is the input's
- every offer with must_contract true is contracted at the start
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.plans.audit.data import AuditData
from planner.plans.audit.findings import Finding, num, where


def check_supply(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    out += _check_contract_rows(d)
    src = d.sourcing
    if src.empty:
        return out + _check_min_orders(d, pd.Series(dtype=float))
    tol = d.qty_tol
    keys = pd.MultiIndex.from_frame(src[["supplier", "material"]])
    known = keys.isin(d.offers.index)
    for row, ok in zip(src.itertuples(index=False), known):
        at = where(scenario=row.scenario, year=row.year, material=row.material, supplier=row.supplier)
        if not ok:
            out.append(Finding("offer", "Sourcing", at, "no such offer (supplier, material) in Input.Offers",
                               found=row.quantity))
            continue
        country = d.offers.at[(row.supplier, row.material), "country"]
        if row.country and row.country != country:
            out.append(Finding("sourcing record", "Sourcing", at,
                               f"country {row.country} but supplier {row.supplier} is in {country}"))
        if row.scenario not in d.probs.index:
            out.append(Finding("sourcing record", "Sourcing", at, f"unknown scenario {row.scenario}"))
        if row.year not in d.years:
            out.append(Finding("sourcing record", "Sourcing", at,
                               f"year {row.year} outside the horizon {d.first}-{d.last}", found=row.quantity))
        if row.quantity < -tol(0):
            out.append(Finding("non-negativity", "Sourcing", at, f"negative purchase {num(row.quantity)}",
                               found=row.quantity, expected=0.0))

    q = src[known].groupby(["scenario", "year", "supplier", "material"])["quantity"].sum()
    agg = q.reset_index()
    offer = d.offers.reindex(pd.MultiIndex.from_frame(agg[["supplier", "material"]]))
    cf, _ = d.factors(agg)
    contracted = d.contracted_from()
    qty = agg["quantity"].to_numpy(float)
    positive = qty > tol(0)

    base_cap = offer["base_cap"].to_numpy(float)
    cap = np.where(cf == 0, 0.0, cf * np.where(np.isnan(base_cap), np.inf, base_cap))
    for i in np.flatnonzero(positive):
        r = agg.iloc[i]
        at = where(scenario=r.scenario, year=r.year, material=r.material, supplier=r.supplier)
        o = offer.iloc[i]
        if o["sanctioned"]:
            out.append(Finding("sanctions", "Sourcing", at, f"purchase {num(qty[i])} from sanctioned country "
                               f"{o['country']}", found=qty[i], expected=0.0))
        since = contracted.get((r.scenario, r.supplier, r.material), np.inf)
        if since == np.inf:
            out.append(Finding("contract needed", "Sourcing", at,
                               f"purchase {num(qty[i])} from an offer that is not contracted (Contracts sheet)",
                               found=qty[i], expected=0.0))
        elif r.year < since and r.year >= o["delivers_from"]:
            out.append(Finding("contract needed", "Sourcing", at,
                               f"purchase {num(qty[i])} before the scenario's late contract delivers ({int(since)}: "
                               "its signed_year and the supplier's qualification_years)", found=qty[i],
                               expected=0.0))
        if r.year < o["delivers_from"]:
            out.append(Finding("availability", "Sourcing", at, f"purchase {num(qty[i])} before the offer can "
                               f"deliver ({int(o['delivers_from'])}: available_from, and first_year + the "
                               "supplier's qualification_years unless qualified)", found=qty[i], expected=0.0))
        if qty[i] - cap[i] > tol(cap[i] if np.isfinite(cap[i]) else 0):
            out.append(Finding("offer capacity", "Sourcing", at,
                               f"purchase {num(qty[i])} exceeds the offer's capacity {num(cap[i])}"
                               + (f" (capacity factor {num(cf[i])})" if cf[i] != 1 else ""),
                               found=qty[i], expected=cap[i]))

    joint = agg.groupby(["scenario", "year", "supplier"])["quantity"].sum()
    limits = d.suppliers["capacity"]
    for (s, y, sup), total in joint.items():
        limit = limits.get(sup, np.nan)
        if not pd.isna(limit) and total - limit > tol(limit):
            out.append(Finding("supplier capacity", "Sourcing", where(scenario=s, year=y, supplier=sup),
                               f"purchases {num(total)} across its materials exceed the supplier's capacity "
                               f"{num(limit)}", found=total, expected=limit))
    return out + _check_min_orders(d, q)


def _check_min_orders(d: AuditData, q: pd.Series) -> list[Finding]:
    out: list[Finding] = []
    rows = []
    for (s, sup, m), since in d.contracted_from().items():
        o = d.offers.loc[(sup, m)]
        if not o["min_order"] > 0:
            continue
        rows += [(s, y, sup, m, float(o["min_order"])) for y in d.years if y >= max(since, o["delivers_from"])]
    if not rows:
        return out
    frame = pd.DataFrame(rows, columns=["scenario", "year", "supplier", "material", "min_order"])
    cf, _ = d.factors(frame)
    required = cf * frame["min_order"].to_numpy(float)
    index = pd.MultiIndex.from_frame(frame[["scenario", "year", "supplier", "material"]])
    bought = q.reindex(index).fillna(0.0).to_numpy(float) if len(q) else np.zeros(len(frame))
    tol = d.qty_tol
    for i in np.flatnonzero(required - bought > tol(required)):
        r = frame.iloc[i]
        out.append(Finding("min order", "Sourcing", where(scenario=r.scenario, year=r.year, material=r.material,
                                                          supplier=r.supplier),
                           f"purchase {num(bought[i])} below the contracted offer's min_order {num(required[i])}",
                           found=bought[i], expected=required[i]))
    return out


def _check_contract_rows(d: AuditData) -> list[Finding]:
    out: list[Finding] = []
    at_start = d.contracts[d.contracts["scenario"] == ""]
    contracted = set(zip(at_start["supplier"], at_start["material"]))
    for supplier, material in d.offers.index[d.offers["must_contract"].to_numpy(bool)]:
        if (supplier, material) not in contracted:
            out.append(Finding("required contract", "Contracts", where(supplier=supplier, material=material),
                               "no contract for an offer with must_contract true"))
    for row in d.contracts.itertuples(index=False):
        at = where(supplier=row.supplier, material=row.material)
        if (row.supplier, row.material) not in d.offers.index:
            out.append(Finding("contract", "Contracts", at, "contract for an offer that is not in Input.Offers"))
            continue
        o = d.offers.loc[(row.supplier, row.material)]
        if row.country != o["country"]:
            out.append(Finding("contract", "Contracts", at, f"country {row.country or '(blank)'} but supplier "
                               f"{row.supplier} is in {o['country']}"))
        if o["sanctioned"]:
            out.append(Finding("sanctions", "Contracts", at, f"contract with an offer from sanctioned country "
                               f"{o['country']}"))
        if not pd.isna(row.contract_cost) and abs(row.contract_cost - o["contract_cost"]) > \
                1e-6 * max(1.0, abs(o["contract_cost"])):
            out.append(Finding("contract", "Contracts", at, f"contract_cost {num(row.contract_cost)} but the "
                               f"offer's is {num(o['contract_cost'])}", found=row.contract_cost,
                               expected=o["contract_cost"]))
    return out
