"""Every cost component, the scenario costs, CVaR and the objective, recomputed from the
plan's decisions (SPEC: model semantics; docs/decisions.md).

First stage (the same in every scenario; one-off costs fall in first_year, df = 1):

- qualification = Σ Suppliers.qualification_cost over suppliers with a contracted offer, not ``qualified``
- with recourse_builds, a scenario's late contracts (Contracts rows of that scenario, signed in their
  signed_year) pay contract_cost and the qualification of suppliers not qualified at the start, times
  df(signed_year), in that scenario only; and the three build costs below are each scenario's, from
  its own Builds and Financing rows
- contracts = Σ Offers.contract_cost over contracted offers
- arrangement_fees = Σ Financing.arrangement_fee over sources drawn at all
- fixed_opex = Σ_{f,y} df(y) × fixed_opex_per_module × producing(f, y)
- capex (no Financing sheet) = Σ_{f,y} df(y) × capex_per_module × started(f, y) × share(f, y)
- financing = Σ draw × PV(source, y) × share(f, y), PV the present value at the discount rate
  of the repayments of one unit drawn in y: interest only for grace_years, then an annuity at
  annual_rate over the rest of tenor_years, from y+1, plus guarantee_fee × the balance opening
  each year (tenor 0: df(y); budget: rate 0, tenor 0; grant: 0)

Second stage, per scenario s (yearly costs × df(y)):

- purchases_ex_works = Σ q × price;  tariffs = Σ q × duty (price and duty per unit as in
  planner.plans.audit.data: the Tariffs sheet, else the country's tariff);  freight = Σ q × freight_cost
- production = Σ x × Facilities.unit_cost;  pli_subsidy = -Σ min(pli_cap, x × (pli_subsidy + pli_rate ×
  pli_reference_price)) over the years pli_from_year..pli_to_year
- holding = Σ closing stock × holding_cost;  shortage = Σ shortage × penalty
- carbon = carbon_price × (Σ q × offer tCO2e + Σ x × facility tCO2e)

Scenario cost c_s = first stage + second stage of s. Components in the plan are expected
values (Σ_s p_s × ...). ``CVaR_α = min_η η + 1/(1-α) Σ_s p_s max(0, c_s - η)`` (the minimum
lies at one of the c_s); cost ``cvar`` = cvar_weight × CVaR; objective = Σ components.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.plans.audit.data import AuditData, of_plan
from planner.plans.audit.domestic import capex_by_build
from planner.plans.audit.findings import Finding, Tolerance, num

SECOND_STAGE = ("purchases_ex_works", "tariffs", "freight", "production", "pli_subsidy", "holding", "shortage",
                "carbon")
ORDER = ("qualification", "contracts", "arrangement_fees", "purchases_ex_works", "tariffs", "freight", "production",
         "pli_subsidy", "fixed_opex", "capex", "financing", "holding", "shortage", "carbon", "cvar")


@dataclass
class Recomputation:
    """Costs recomputed from a plan's decisions and inputs."""

    #: Expected discounted cost per component (the plan's ``cost.<name>``), ``cvar`` weighted.
    components: dict[str, float]
    #: First-stage components (the same in every scenario).
    first_stage: dict[str, float]
    #: Second-stage components per scenario (rows: scenario).
    second_stage: pd.DataFrame
    #: Total discounted cost of each scenario, c_s.
    scenario_costs: pd.Series
    probabilities: pd.Series
    alpha: float
    #: CVaR at alpha of the scenario cost (unweighted).
    cvar: float
    #: Σ_s p_s c_s.
    expected_cost: float
    #: expected_cost + cvar_weight × cvar: the plan's objective.
    objective: float


def cvar(costs, probabilities, alpha: float) -> float:
    """Rockafellar–Uryasev CVaR: min over η of η + Σ p max(0, c - η) / (1 - α), η among the c."""
    c = np.asarray(costs, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    if c.size == 0:
        return 0.0
    return float(min(eta + np.sum(p * np.maximum(0.0, c - eta)) / (1.0 - alpha) for eta in c))


def pv_factor(d: AuditData, source: pd.Series, year) -> np.ndarray:
    """Present value at first_year of repaying one unit drawn in `year` from `source` (a Financing row)."""
    dfy = d.df(year)
    kind = source["kind"]
    if kind == "grant":
        return np.zeros_like(dfy)
    rate, tenor, grace, fee = (0.0 if kind == "budget" or pd.isna(source[c]) else float(source[c])
                               for c in ("annual_rate", "tenor_years", "grace_years", "guarantee_fee"))
    tenor, grace = int(tenor), int(grace)
    if tenor <= 0:
        return dfy
    return dfy * _repayment_pv(rate, tenor, grace, fee, d.rate)


def _repayment_pv(rate: float, tenor: int, grace: int, fee: float, discount: float) -> float:
    """PV at the draw of one unit repaid over ``tenor`` years: the balance stays 1 for ``grace`` years
    (interest only), then falls as a level annuity over the rest; each year pays the interest on,
    and ``fee`` × the balance it opens with, plus the principal repaid."""
    left = tenor - grace
    level = rate / (1.0 - (1.0 + rate) ** -left) if rate > 0 else 1.0 / left
    # balance opening each repayment year k = 0..left-1 of a level annuity: the PV of the payments left
    opening = np.array([1.0] * grace + [level * sum((1.0 + rate) ** -j for j in range(1, left - k + 1))
                                        for k in range(left)])
    principal = np.concatenate([np.zeros(grace), -np.diff(np.append(opening[grace:], 0.0))])
    paid = opening * (rate + fee) + principal
    return float(np.sum(paid * (1.0 + discount) ** -np.arange(1, tenor + 1)))


def recompute(d: AuditData, flows: pd.DataFrame) -> Recomputation:
    scenarios = list(d.probs.index)
    # what every scenario pays, and each scenario's own first-stage costs (its builds and draws, and
    # late contracts, when the plan was solved with recourse; otherwise the same in every scenario)
    first = {"arrangement_fees": 0.0}
    own = pd.DataFrame(0.0, index=pd.Index(scenarios, name="scenario"), columns=list(OWN))
    shared = d.contracts[d.contracts["scenario"] == ""]
    first["contracts"], first["qualification"], at_start = _contract_costs(d, shared, set())
    for s in scenarios:
        late = d.contracts[d.contracts["scenario"] == s]
        if len(late):
            contracts, qualification, _ = _contract_costs(d, late, at_start)
            discount = float(d.df([late["signed_year"].iloc[0]])[0])
            own.loc[s, ["contracts", "qualification"]] = [discount * contracts, discount * qualification]
    per_plan = {plan: _build_costs(d, plan) for plan in d.plans}
    for s in scenarios:
        for c, v in per_plan[d.plan_of(s)].items():
            own.loc[s, c] += v
    if d.has_financing:
        used = d.draws.groupby("source")["draw"].sum()
        used = used[used > Tolerance(1.0)(0)]
        first["arrangement_fees"] = float(d.financing["arrangement_fee"].reindex(used.index).fillna(0.0).sum())

    second = _second_stage(d, flows)
    first_total = sum(first.values())
    scenario_costs = first_total + own.sum(axis=1) + second.sum(axis=1)
    probs = d.probs.reindex(scenario_costs.index).fillna(0.0)
    expected_own = own.mul(probs, axis=0).sum()
    expected_second = second.mul(probs, axis=0).sum()
    first_stage = {c: first.get(c, 0.0) + float(expected_own.get(c, 0.0)) for c in FIRST_STAGE
                   if c in first or c in per_plan[d.plans[0]]}
    components = dict(first_stage) | {k: float(expected_second[k]) for k in SECOND_STAGE}
    value = cvar(scenario_costs.to_numpy(float), probs.to_numpy(float), d.alpha)
    components["cvar"] = d.cvar_weight * value
    components = {k: components[k] for k in ORDER if k in components}
    expected_cost = float(first_total + expected_own.sum() + expected_second.sum())
    return Recomputation(components=components, first_stage=first_stage, second_stage=second,
                         scenario_costs=scenario_costs, probabilities=probs, alpha=d.alpha, cvar=value,
                         expected_cost=expected_cost, objective=expected_cost + d.cvar_weight * value)


#: First-stage components: what every scenario pays or (builds, draws, late contracts) each scenario's own.
FIRST_STAGE = ("qualification", "contracts", "arrangement_fees", "fixed_opex", "capex", "financing")
OWN = ("qualification", "contracts", "fixed_opex", "capex", "financing")


def _contract_costs(d: AuditData, rows: pd.DataFrame, qualified_before: set) -> tuple[float, float, set]:
    """Contract and qualification costs of the contracted offers ``rows`` (qualification once per
    supplier not ``qualified`` and not qualified before), and the suppliers qualified."""
    rows = rows.drop_duplicates(["supplier", "material"])
    known = [k for k in zip(rows["supplier"], rows["material"]) if k in d.offers.index]
    if not known:
        return 0.0, 0.0, set(qualified_before)
    contracts = float(d.offers.loc[known, "contract_cost"].fillna(0.0).sum())
    suppliers = sorted({s for s, _ in known} - qualified_before)
    already = d.suppliers["qualified"].reindex(suppliers).fillna(False).astype(bool)
    cost = d.suppliers["qualification_cost"].reindex(suppliers).fillna(0.0)
    return contracts, float(cost[~already].sum()), set(qualified_before) | set(suppliers)


def _build_costs(d: AuditData, plan: str) -> dict[str, float]:
    """Fixed opex, and capex (without a Financing sheet) or financing, of one plan of builds and draws."""
    out = {"fixed_opex": 0.0}
    producing = of_plan(d.producing, plan)
    if len(producing):
        fac = producing.index.get_level_values("facility")
        years = producing.index.get_level_values("year")
        opex = fac.map(d.facilities["fixed_opex_per_module"]).to_numpy(float)
        out["fixed_opex"] = float(np.sum(d.df(years) * np.nan_to_num(opex) * producing.to_numpy(float)))
    if d.has_financing:
        draws = d.draws[(d.draws["plan"] == plan) & d.draws["source"].isin(d.financing.index)
                        & d.draws["facility"].isin(d.facilities.index)]
        total = 0.0
        for source, rows in draws.groupby("source"):
            pv = pv_factor(d, d.financing.loc[source], rows["year"].to_numpy(float))
            share = d.lifetime_share(rows["facility"], rows["year"])
            total += float(np.sum(rows["draw"].to_numpy(float) * pv * share))
        out["financing"] = total
        return out
    capex = of_plan(capex_by_build(d), plan)
    fac = capex.index.get_level_values("facility").to_series()
    years = capex.index.get_level_values("year").to_series()
    share = d.lifetime_share(fac, years) if len(capex) else np.zeros(0)
    out["capex"] = float(np.sum(capex.to_numpy(float) * d.df(years.to_numpy(float)) * share))
    return out


def pli_earned(d: AuditData, prod: pd.DataFrame) -> np.ndarray:
    """Per Production row: (pli_subsidy + pli_rate × pli_reference_price) × quantity in the PLI years
    (pli_from_year..pli_to_year, blanks open), at most pli_cap for the facility's year."""
    fac = d.facilities
    f = prod["facility"]
    per_unit = (f.map(fac["pli_subsidy"]).fillna(0.0) + f.map(fac["pli_rate"]).fillna(0.0)
                * f.map(fac["pli_reference_price"]).fillna(0.0)).to_numpy(float)
    year = prod["year"].to_numpy(float)
    start = f.map(fac["pli_from_year"]).fillna(d.first).to_numpy(float)
    end = f.map(fac["pli_to_year"]).fillna(d.last).to_numpy(float)
    earned = np.where((year >= start) & (year <= end), per_unit * prod["quantity"].to_numpy(float), 0.0)
    # the cap holds per facility and year: a facility's rows (one per scenario) are capped one by one
    cap = f.map(fac["pli_cap"]).to_numpy(float)
    return np.where(np.isnan(cap), earned, np.minimum(earned, cap))


def _second_stage(d: AuditData, flows: pd.DataFrame) -> pd.DataFrame:
    scenarios = list(d.probs.index)
    out = pd.DataFrame(0.0, index=pd.Index(scenarios, name="scenario"), columns=list(SECOND_STAGE))
    src = d.sourcing
    keys = pd.MultiIndex.from_frame(src[["supplier", "material"]]) if len(src) else None
    if keys is not None:
        src = src[keys.isin(d.offers.index)]
    if len(src):
        o = d.offers.reindex(pd.MultiIndex.from_frame(src[["supplier", "material"]]))
        _, pf = d.factors(src)
        q = src["quantity"].to_numpy(float)
        dfy = d.df(src["year"].to_numpy(float))
        price, duty = d.prices(src, pf)
        parts = pd.DataFrame({
            "scenario": src["scenario"].to_numpy(object),
            "purchases_ex_works": q * price * dfy,
            "tariffs": q * duty * dfy,
            "freight": q * o["freight_cost"].to_numpy(float) * dfy,
            "carbon": d.carbon_price * q * o["carbon_intensity"].to_numpy(float) * dfy,
        }).groupby("scenario").sum()
        out = out.add(parts.reindex(index=out.index, columns=out.columns, fill_value=0.0), fill_value=0.0)
    prod = d.production[d.production["facility"].isin(d.facilities.index)]
    if len(prod):
        fac = d.facilities
        x = prod["quantity"].to_numpy(float)
        dfy = d.df(prod["year"].to_numpy(float))
        parts = pd.DataFrame({
            "scenario": prod["scenario"].to_numpy(object),
            "production": x * prod["facility"].map(fac["unit_cost"]).fillna(0.0).to_numpy(float) * dfy,
            "pli_subsidy": -pli_earned(d, prod) * dfy,
            "carbon": d.carbon_price * x * prod["facility"].map(fac["carbon_intensity"]).fillna(0.0)
            .to_numpy(float) * dfy,
        }).groupby("scenario").sum()
        out = out.add(parts.reindex(index=out.index, columns=out.columns, fill_value=0.0), fill_value=0.0)
    mats = flows.index.get_level_values("material")
    dfy = d.df(flows.index.get_level_values("year").to_numpy(float))
    holding = d.plan.dataset["Materials"].drop_duplicates("material").set_index("material")["holding_cost"]
    per = pd.DataFrame({
        "scenario": flows.index.get_level_values("scenario"),
        "holding": flows["stock"].to_numpy(float) * np.nan_to_num(mats.map(holding).to_numpy(float)) * dfy,
        "shortage": flows["shortage"].to_numpy(float) * mats.map(d.penalty).to_numpy(float) * dfy,
    }).groupby("scenario").sum()
    out = out.add(per.reindex(index=out.index, columns=out.columns, fill_value=0.0), fill_value=0.0)
    return out.fillna(0.0)


def check_costs(d: AuditData, r: Recomputation) -> list[Finding]:
    """The Summary's objective and cost.<name> rows against the recomputation."""
    out: list[Finding] = []
    stated = d.plan.costs
    magnitude = sum(abs(v) for v in r.components.values()) + abs(d.plan.objective or 0.0)
    tol = Tolerance(max(1.0, magnitude))
    for name in list(r.components) + [k for k in stated if k not in r.components]:
        mine = r.components.get(name, 0.0)
        theirs = stated.get(name)
        if theirs is None:
            if abs(mine) > tol(mine):
                out.append(Finding("cost", "Summary", f"cost.{name}", f"missing from the Summary; recomputed "
                                   f"{num(mine)}", expected=mine))
            continue
        if abs(theirs - mine) > tol(mine):
            out.append(Finding("cost", "Summary", f"cost.{name}", f"plan says {num(theirs)}, recomputed from its "
                               f"decisions and inputs {num(mine)} (difference {num(theirs - mine)})",
                               found=theirs, expected=mine))
    objective = d.plan.objective
    if objective is None:
        out.append(Finding("objective", "Summary", "objective", "the Summary gives no objective"))
    else:
        if abs(objective - r.objective) > tol(r.objective):
            out.append(Finding("objective", "Summary", "objective", f"plan says {num(objective)}, recomputed "
                               f"{num(r.objective)} (difference {num(objective - r.objective)})", found=objective,
                               expected=r.objective))
        total = sum(stated.values())
        if stated and abs(total - objective) > tol(objective):
            out.append(Finding("objective", "Summary", "objective", f"the cost components sum to {num(total)}, not "
                               f"to the objective {num(objective)}", found=total, expected=objective))
    return out
