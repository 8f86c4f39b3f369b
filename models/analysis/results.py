"""Extract a solved model into tidy tables (TABLE_COLUMNS) and the cost breakdown.

Values are read from an explicit registry of variables (``extract_values`` of each
component, keyed by its index tuples), never by parsing names. Values below ``TOL``
are dropped. Money columns are discounted to first_year; ``landed_unit_cost`` is the
undiscounted price of the year (ex-works x price factor x (1 + tariff) + freight).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pyomo.environ as pyo

from models.families import capacity, financing, objective, recourse, risk
from models.memory import paused_gc
from models.outcome import TABLE_COLUMNS

TOL = 1e-6


def _values(var) -> dict:
    return {k: v for k, v in var.extract_values().items() if v is not None and abs(v) > TOL}


def _frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS[name]))


def costs(m, value=pyo.value) -> dict[str, float]:
    """Expected discounted cost per component (+ the weighted CVaR term); sums to the objective.
    ``value`` evaluates an expression at the current variable values (a faster one:
    ``HighsSession.evaluator()``)."""
    d = m.data
    out: dict[str, float] = {}
    for c in objective.FIRST_STAGE:
        if (c == "capex" and d.domestic.has_financing) or (c == "financing" and not d.domestic.has_financing):
            continue
        own = sum(d.prob[s] * value(m.recourse_cost[c, s]) for s in d.scenarios) if d.recourse else 0.0
        out[c] = float(value(m.first_cost[c]) + own) + 0.0  # + 0.0: no "-0.0" in the plan
    for c in objective.SECOND_STAGE:
        out[c] = float(sum(d.prob[s] * value(m.second_cost[c, s]) for s in d.scenarios))
    out["cvar"] = float(d.cvar_weight * value(risk.cvar(m))) if d.cvar_weight > 0 else 0.0
    return out


@paused_gc()  # millions of model objects: each collector pass would rescan them (seconds at national)
def tables(m) -> dict[str, pd.DataFrame]:
    q = _values(m.q)
    p = _values(m.p)
    out = {
        "Sourcing": sourcing(m, q),
        "Contracts": contracts(m, q),
        "Builds": builds(m),
        "Production": production(m, p),
        "Financing": financing_table(m),
        "Stock": _frame("Stock", [(s, y, i, v) for (s, i, y), v in sorted(_values(m.stock).items(),
                                                                          key=lambda kv: _order(kv[0]))]),
        "Shortages": _frame("Shortages", [(s, y, i, v) for (s, i, y), v in sorted(
            _values(m.short).items(), key=lambda kv: _order(kv[0])) if v > TOL]),
    }
    out["KPIs"] = kpis(m, q, p)
    return out


def _order(key):
    s, i, y = key
    return (s, y, i)


def sourcing(m, q: dict) -> pd.DataFrame:
    d = m.data
    sd = d.supply
    rows = []
    for (s, y, o), v in q.items():
        landed = sd.landed((s, y, o))
        rows.append((s, y, sd.material[o], sd.supplier[o], sd.country[o], v, landed, v * landed * d.df[y]))
    return _frame("Sourcing", rows).sort_values(["scenario", "year", "material", "supplier"], ignore_index=True)


def contracts(m, q: dict) -> pd.DataFrame:
    """Contracted offers; a supplier's qualification cost is shown once, on its first row. With
    recourse (models.families.recourse) also each scenario's late contracts: columns ``scenario``
    (blank: every scenario) and ``signed_year`` first."""
    d = m.data
    sd = d.supply
    zval = m.z.extract_values()
    qualified = {u for u, v in m.w.extract_values().items() if (v or 0) > 0.5}
    late = {key for key, v in m.zl.extract_values().items() if (v or 0) > 0.5}
    late_quals = {key for key, v in m.wl.extract_values().items() if (v or 0) > 0.5}
    # an offer without a contract decision is contracted where it is bought: at the start, unless
    # only a scenario's late qualification of its supplier allows it (recourse)
    bought = {(s, o) for (s, _y, o) in q}
    free_late = {(s, o) for (s, o) in bought if o not in zval and (s, sd.supplier[o]) in late_quals}
    shared = [o for o in sd.offers if ((zval.get(o) or 0) > 0.5 if o in zval else
                                       any((s, o) in bought and (s, o) not in free_late for s in d.scenarios))]
    rows = _contract_rows(sd, shared, qualified)
    if not d.recourse:
        return _frame("Contracts", rows)
    rows = [("", d.first_year, *r) for r in rows]
    for s in d.scenarios:
        mine = sorted({o for (ss, o) in late | free_late if ss == s})
        rows += [(s, int(d.signed_from[s]), *r)
                 for r in _contract_rows(sd, mine, {u for (ss, u) in late_quals if ss == s})]
    return pd.DataFrame(rows, columns=["scenario", "signed_year", *TABLE_COLUMNS["Contracts"]])


def _contract_rows(sd, offers, qualified: set) -> list[tuple]:
    rows, seen = [], set()
    for o in sorted(offers):
        u = sd.supplier[o]
        qual = sd.sup_qual_cost.get(u, 0.0) if u not in seen and u in qualified else 0.0
        seen.add(u)
        rows.append((u, sd.material[o], sd.country[o], qual, sd.contract_cost[o]))
    return rows


def _plans(m) -> list:
    """The scenarios whose builds and draws are listed: None (one plan for all) without recourse."""
    return list(m.data.scenarios) if m.data.recourse else [None]


def started_in(m, s) -> dict[tuple[str, int], int]:
    """(facility, year) -> modules started, in scenario ``s`` (None: without recourse)."""
    return {(f, y): round(recourse.built(m, s, f, y).value or 0.0) for (f, y) in m.data.domestic.builds}


def capacities(m, started: dict) -> dict[tuple[str, int], tuple[int, float]]:
    """(facility, year) -> (modules producing, capacity) for the builds ``started``: a module in its
    first producing year counts its ramp-up share of capacity (models.families.capacity)."""
    dd = m.data.domestic
    out = {}
    for (f, t), starts in dd.producing.items():
        n = dd.existing[f] + sum(started.get((f, y), 0) for y in starts)
        out[(f, t)] = (n, dd.module_capacity[f] * (dd.existing[f] + sum(
            started.get((f, y), 0) * capacity.ramp_share(dd, f, y, t) for y in starts)))
    return out


def builds(m) -> pd.DataFrame:
    """Modules started, producing and capacity per facility and year (per scenario with recourse,
    a ``scenario`` column first)."""
    d = m.data
    dd = d.domestic
    rows = []
    for s in _plans(m):
        started = started_in(m, s)
        producing = capacities(m, started)
        for f in dd.facilities:
            for y in d.years:
                n, cap = producing.get((f, y), (0, 0.0))
                b = started.get((f, y), 0)
                if n or b:
                    rows.append((f, y, b, n, cap) if s is None else (s, f, y, b, n, cap))
    if not d.recourse:
        return _frame("Builds", rows)
    return pd.DataFrame(rows, columns=["scenario", *TABLE_COLUMNS["Builds"]])


def production(m, p: dict) -> pd.DataFrame:
    dd = m.data.domestic
    producing = {s: capacities(m, started_in(m, s)) for s in _plans(m)}
    rows = []
    for (s, t, f), v in p.items():
        cap = producing[s if m.data.recourse else None].get((f, t), (0, 0.0))[1]
        rows.append((s, t, f, dd.material[f], v, v / cap if cap > 0 else float("nan")))
    return _frame("Production", rows).sort_values(["scenario", "year", "facility"], ignore_index=True)


def financing_table(m) -> pd.DataFrame:
    """Draws and their present-value cost (per scenario with recourse, a ``scenario`` column first)."""
    if not m.data.recourse:
        rows = [(k, f, y, v, financing.draw_cost(m, k, f, y) * v) for (k, f, y), v in _values(m.x).items()]
        return _frame("Financing", rows)
    rows = []
    for s in m.data.scenarios:
        for (k, f, y) in m.data.domestic.draws:
            v = recourse.drawn(m, s, k, f, y).value or 0.0
            if abs(v) > TOL:
                rows.append((s, k, f, y, v, financing.draw_cost(m, k, f, y) * v))
    return pd.DataFrame(rows, columns=["scenario", *TABLE_COLUMNS["Financing"]])


def kpis(m, q: dict, p: dict) -> pd.DataFrame:
    """Per scenario, year, material with demand or supply (docs/decisions.md "KPIs")."""
    d = m.data
    sd, dd = d.supply, d.domestic
    # per (s, i, y): source -> [quantity, risk, green, carbon, country or None (domestic), foreign]
    sources: dict[tuple, list[tuple]] = defaultdict(list)
    for (s, y, o), v in q.items():
        sources[(s, sd.material[o], y)].append((("supplier", sd.supplier[o]), v, sd.risk[o], sd.green[o],
                                                 sd.carbon[o], sd.country[o] if sd.foreign[o] else None))
    for (s, t, f), v in p.items():
        sources[(s, dd.material[f], t)].append((("facility", f), v, dd.risk[f], dd.green[f], dd.carbon[f], None))
    short = m.short.extract_values()
    keys = set(sources) | {(s, i, y) for s in d.scenarios for (i, y) in d.demand}
    rows = []
    for s, i, y in sorted(keys, key=lambda k: (k[0], k[2], k[1])):
        src = sources.get((s, i, y), [])
        demand = d.demand_in(s, i, y)
        supply = sum(x[1] for x in src)
        domestic = sum(x[1] for x in src if x[0][0] == "facility")
        imports = sum(x[1] for x in src if x[5] is not None)
        by_country: dict[str, float] = defaultdict(float)
        by_source: dict[tuple, float] = defaultdict(float)
        for x in src:
            by_source[x[0]] += x[1]
            if x[5] is not None:
                by_country[x[5]] += x[1]
        top = max(by_country.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0.0))
        share = (lambda a: a / supply) if supply > TOL else (lambda a: float("nan"))
        rows.append((s, y, i, demand, supply, imports, domestic,
                     domestic / demand if demand > 0 else float("nan"), top[0], share(top[1]),
                     sum(share(v) ** 2 for v in by_source.values()) if supply > TOL else float("nan"),
                     share(sum(x[1] * x[2] for x in src)), share(sum(x[1] for x in src if x[3])),
                     share(sum(x[1] * x[4] for x in src)), max(0.0, short.get((s, i, y)) or 0.0)))
    return _frame("KPIs", rows)
