"""A plan in planning words: what to build, the biggest foreign dependencies, what it costs,
which policies cost most to keep, and how sure the solver is.

:func:`digest` reads a :class:`~planner.plans.saved_plan.SavedPlan` only (a plan read back
or one just solved, :func:`~planner.plans.saved_plan.plan_in_memory`), so the terminal
summary of `solve` and the HTML report of any saved plan say the same things. Every id
comes with its name (planner.schema.names). Scenario costs are recomputed from the plan's
decisions and inputs by the audit (planner.plans.audit), as `compare` and `check` do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from planner.io.plan_terms import cost_label
from planner.plans.saved_plan import SavedPlan
from planner.schema import manifest
from planner.schema.names import Names, names_of
from planner.schema.numbers import number_or_none

#: Policies listed as costing most to keep.
TOP_POLICIES = 5
#: Shares below this are no dependency worth naming.
_NOISE = 1e-9


@dataclass(frozen=True)
class Build:
    """Modules a facility starts in one year, and how they are paid for."""

    year: int
    facility: str           # id
    label: str              # name (id)
    material: str           # id of the output
    kind: str
    modules: int
    producing_from: int     # first year the new modules produce
    capacity: float         # units per year added
    unit: str
    capex: float            # nominal, in the input currency
    financing: tuple[tuple[str, float], ...]  # (source label, draw) in the build year
    #: the scenarios that make this build, () for every scenario (builds differ by scenario only in a
    #: plan solved with Settings recourse_builds), and their probability
    scenarios: tuple[str, ...] = ()
    probability: float = 1.0


@dataclass(frozen=True)
class Dependency:
    """A material's largest foreign supplier country, first and last year (expected)."""

    material: str
    label: str
    first: tuple[str, float] | None   # (country label, share of supply) or None: no imports
    last: tuple[str, float] | None
    domestic_first: float | None      # domestic production / demand
    domestic_last: float | None


@dataclass(frozen=True)
class ScenarioCost:
    scenario: str
    description: str
    probability: float
    cost: float


@dataclass(frozen=True)
class PolicyCost:
    """A Policies row that binds, and the expected cost of tightening it by one step."""

    policy: str
    material: str           # label, or "every material"
    excel_row: int | None   # the Policies row
    value: float | None     # the target as written
    cost: float             # per step
    step: str               # "percentage point" or "unit"
    tighten: str            # "raise" or "lower"
    binding: int            # (year, scenario) pairs where it binds


@dataclass
class PlanDigest:
    name: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    currency: str
    first_year: int
    last_year: int
    names: Names
    builds: list[Build] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    costs: list[tuple[str, float]] = field(default_factory=list)     # (label, expected discounted)
    expected_cost: float | None = None
    cvar: float | None = None
    scenario_costs: list[ScenarioCost] = field(default_factory=list)
    policies: list[PolicyCost] = field(default_factory=list)
    #: Why some figures are missing (a plan whose inputs cannot be recomputed), else "".
    note: str = ""

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def digest(plan: SavedPlan, top_policies: int = TOP_POLICIES) -> PlanDigest:
    ds = plan.dataset
    names = names_of(ds)
    s = plan.summary
    out = PlanDigest(name=plan.name, status=plan.status, objective=plan.objective,
                     bound=number_or_none(s.get("best_bound")),
                     gap=number_or_none(s.get("gap")), currency=str(ds.settings.get("currency") or ""),
                     first_year=ds.years[0], last_year=ds.years[-1], names=names)
    out.builds = builds(plan, names)
    out.dependencies = dependencies(plan, names)
    out.costs = [(cost_label(k), v) for k, v in plan.costs.items() if abs(v) > 1e-9]
    out.policies = policy_costs(plan, names, top_policies)
    try:
        _scenario_costs(plan, out)
    except Exception as exc:  # noqa: BLE001 - a plan with invalid inputs still has the rest of its digest
        out.note = f"scenario costs could not be recomputed ({type(exc).__name__}: {exc}); run trust-planner check"
    return out


# ------------------------------------------------------------------ builds


def builds(plan: SavedPlan, names: Names) -> list[Build]:
    """Every (facility, year) with modules started, in year order, with its capex and draws. In a plan
    solved with Settings recourse_builds (Builds and Financing per scenario) a build listed alike in
    every scenario is one Build; one made in some scenarios names them."""
    b = plan.tables["Builds"]
    b = b[b["modules_started"].fillna(0) > 0]
    if b.empty:
        return []
    fac = plan.dataset["Facilities"].drop_duplicates("facility").set_index("facility")
    draws = plan.tables["Financing"]
    prob = plan.probabilities.groupby(level=0).sum()
    made: dict[tuple, list[str]] = {}  # (year, facility, modules, financing) -> scenarios ("": all)
    for row in b.sort_values(["year", "facility"]).itertuples(index=False):
        f, year, modules = str(row.facility), int(row.year), int(round(row.modules_started))
        scenario = str(getattr(row, "scenario", "") or "")
        paid = draws[(draws["facility"] == f) & (draws["year"] == year)]
        if scenario and "scenario" in paid.columns:
            paid = paid[paid["scenario"].astype(str) == scenario]
        financing = tuple((names.source(k), float(v)) for k, v in paid.groupby("source")["draw"].sum().items()
                          if v > 1e-9)
        made.setdefault((year, f, modules, financing), []).append(scenario)
    out = []
    for (year, f, modules, financing), scenarios in made.items():
        every = "" in scenarios or set(scenarios) >= set(prob.index)
        info = fac.loc[f] if f in fac.index else None
        material = str(info["material"]) if info is not None else ""
        out.append(Build(
            year=year, facility=f, label=names.facility(f), material=material,
            kind=str(info["kind"]).replace("_", " ") if info is not None else "", modules=modules,
            producing_from=year + int(number_or_none(info["build_years"]) or 0) if info is not None else year,
            capacity=modules * (number_or_none(info["module_capacity"]) or 0.0) if info is not None else math.nan,
            unit=names.unit(material), capex=modules * (number_or_none(info["capex_per_module"]) or 0.0)
            if info is not None else math.nan, financing=financing,
            scenarios=() if every else tuple(scenarios),
            probability=1.0 if every else float(prob.reindex(scenarios).fillna(0.0).sum())))
    return out


def by_facility(builds: list[Build]) -> dict[str, list[Build]]:
    """Builds grouped per facility, facilities in the order of their first build."""
    out: dict[str, list[Build]] = {}
    for b in builds:
        out.setdefault(b.facility, []).append(b)
    return out


def by_facility_and_scenarios(builds: list[Build], scenarios: list[str]) -> list[tuple[str, tuple, list[Build]]]:
    """(facility, scenarios, the builds they make there): scenarios that build alike together, ()
    where every scenario builds alike (always, unless builds differ by scenario)."""
    out = []
    for facility, mine in by_facility(builds).items():
        if not any(b.scenarios for b in mine):
            out.append((facility, (), mine))
            continue
        groups: dict[tuple[int, ...], list[str]] = {}
        for s in scenarios:
            groups.setdefault(tuple(i for i, b in enumerate(mine) if not b.scenarios or s in b.scenarios),
                              []).append(s)
        out += [(facility, tuple(group), [mine[i] for i in chosen]) for chosen, group in groups.items() if chosen]
    return out


def expected_capex(builds: list[Build]) -> float:
    """Capex of the builds weighted by the probability of the scenarios making them (their sum
    when every scenario builds alike)."""
    return sum(b.capex * b.probability for b in builds)


def financed_by(builds: list[Build]) -> list[tuple[str, float]]:
    """What each financing source pays for ``builds`` in total (expected over scenarios where builds
    differ by scenario), largest first."""
    sources: dict[str, float] = {}
    for b in builds:
        for label, v in b.financing:
            sources[label] = sources.get(label, 0.0) + v * b.probability
    return sorted(sources.items(), key=lambda kv: -kv[1])


# ------------------------------------------------------------------ dependencies


def dependencies(plan: SavedPlan, names: Names) -> list[Dependency]:
    """Per material with supply: the foreign country with most expected purchases and its
    share of expected total supply, in the first and in the last year; and the domestic
    share of demand in both years. In Materials order."""
    ds = plan.dataset
    prob = plan.probabilities.groupby(level=0).sum()
    first, last = ds.years[0], ds.years[-1]
    src = plan.tables["Sourcing"]
    src = src[src["year"].isin([first, last])]
    suppliers = ds["Suppliers"].drop_duplicates("supplier").set_index("supplier")["country"]
    country = src["supplier"].map(suppliers).fillna(src["country"]).astype(str)
    weight = src["scenario"].map(prob).fillna(0.0)
    bought = pd.DataFrame({"material": src["material"], "year": src["year"], "country": country,
                           "q": src["quantity"].fillna(0.0) * weight})
    prod = plan.tables["Production"]
    prod = prod[prod["year"].isin([first, last])]
    made = (prod["quantity"].fillna(0.0) * prod["scenario"].map(prob).fillna(0.0)) \
        .groupby([prod["material"], prod["year"]]).sum()
    supply = bought.groupby(["material", "year"])["q"].sum().add(made, fill_value=0.0)
    foreign = bought[bought["country"] != names.home].groupby(["material", "year", "country"])["q"].sum()
    demand = ds["Demand"].groupby(["material", "year"])["quantity"].sum()
    out = []
    for m in ds["Materials"]["material"].astype(str):
        if not any((m, y) in supply.index and supply[(m, y)] > _NOISE for y in (first, last)):
            continue

        def top(year: int):
            total = supply.get((m, year), 0.0)
            try:
                per = foreign.loc[(m, year)]
            except KeyError:
                return None
            if total <= _NOISE or per.max() <= _NOISE:
                return None
            return names.country(str(per.idxmax())), float(per.max() / total)

        def domestic(year: int):
            need = demand.get((m, year), 0.0)
            return float(made.get((m, year), 0.0) / need) if need > 0 else None

        out.append(Dependency(m, names.material(m), top(first), top(last), domestic(first), domestic(last)))
    return out


# ------------------------------------------------------------------ costs


def _scenario_costs(plan: SavedPlan, out: PlanDigest) -> None:
    from planner.plans.audit import balance
    from planner.plans.audit.costs import recompute
    from planner.plans.audit.data import load

    d = load(plan)
    r = recompute(d, balance.flows(d))
    out.expected_cost = r.expected_cost
    out.cvar = r.cvar if d.cvar_weight > 0 else None
    scen = plan.dataset["Scenarios"].drop_duplicates("scenario").set_index("scenario")
    out.scenario_costs = [
        ScenarioCost(str(sid), str(scen["description"].get(sid, "") or ""), float(r.probabilities.get(sid, 0.0)),
                     float(cost)) for sid, cost in r.scenario_costs.items()]


# ------------------------------------------------------------------ policies


def policy_costs(plan: SavedPlan, names: Names, top: int | None = TOP_POLICIES) -> list[PolicyCost]:
    """The Policies rows whose tightening costs most: marginal values summed over the years
    and scenarios each row sets (the cost of moving that input cell by one step, to first
    order), the `top` largest (None: all). A step is 0.01 (a percentage point) for shares and
    for the 0..1 risk score, one unit of the column otherwise (tCO2e/unit)."""
    columns = {c.name: c for c in manifest.sheet("Policies").columns}
    rows = _marginal_rows(plan, lambda policy: policy in columns and policy not in ("material", "year", "scenario"))
    if rows is None:
        return []
    percent = rows["policy"].map(lambda p: columns[p].unit.startswith("share")).astype(bool)
    rows["cost"] = rows["cost"].where(~percent, rows["cost"] / 100)
    rows["percent"] = percent
    out = []
    for (policy, material, row), g in _grouped(rows, ["policy", "material", "row"], top):
        out.append(PolicyCost(
            policy=str(policy), material="every material" if material in ("*", "") else names.material(material),
            excel_row=None if pd.isna(row) else int(row), value=number_or_none(g["value"]), cost=float(g["cost"]),
            step="percentage point" if g["percent"] else (columns[policy].unit or "unit"),
            tighten="lower" if str(policy).startswith("max_") else "raise", binding=int(g["binding"])))
    return out


@dataclass(frozen=True)
class LimitCost:
    """A capacity or financing limit that binds, and the expected cost of lowering it by one unit."""

    limit: str              # Sheet.column, as in the Marginal values sheet
    subject: str            # what it limits, named
    value: float | None     # the limit as written
    cost: float             # per unit, summed over the years and scenarios it binds
    binding: int


def limit_costs(plan: SavedPlan, names: Names, top: int | None = TOP_POLICIES) -> list[LimitCost]:
    """Capacities and financing limits (Marginal values rows that are not Policies targets),
    summed per input cell like :func:`policy_costs`, the `top` largest (None: all)."""
    targets = set(manifest.policy_columns())
    rows = _marginal_rows(plan, lambda policy: policy not in targets)
    if rows is None:
        return []
    rows["percent"] = False
    rows["subject"] = rows["subject"].fillna("").astype(str) if "subject" in rows else ""
    out = []
    for (limit, subject), g in _grouped(rows, ["policy", "subject"], top):
        out.append(LimitCost(limit=str(limit), subject=_subject(names, str(limit), str(subject)),
                             value=number_or_none(g["value"]), cost=float(g["cost"]), binding=int(g["binding"])))
    return out


def _subject(names: Names, limit: str, subject: str) -> str:
    sheet = limit.split(".", 1)[0]
    if sheet == "Facilities":
        return names.facility(subject)
    if sheet == "Financing":
        return names.source(subject)
    if sheet == "Suppliers":
        return names.supplier(subject)
    if sheet == "Offers" and "/" in subject:
        supplier, material = subject.rsplit("/", 1)
        return f"{names.supplier(supplier)}: {names.material_name(material)}"
    return subject


def _marginal_rows(plan: SavedPlan, keep) -> pd.DataFrame | None:
    m = plan.marginals
    if m is None or m.empty or "marginal_value" not in m.columns:
        return None
    rows = m[m["policy"].astype(str).map(keep)].copy()
    if rows.empty:
        return None
    rows["cost"] = pd.to_numeric(rows["marginal_value"], errors="coerce").fillna(0.0)
    rows["row"] = pd.to_numeric(rows["excel_row"], errors="coerce") if "excel_row" in rows else math.nan
    rows["material"] = rows["material"].fillna("").astype(str) if "material" in rows else ""
    return rows


def _grouped(rows: pd.DataFrame, key: list[str], top: int | None):
    grouped = rows.groupby(key, dropna=False).agg(cost=("cost", "sum"), percent=("percent", "any"),
                                                  value=("value", "first"), binding=("cost", "size"))
    grouped = grouped[grouped["cost"] > 1e-9].sort_values("cost", ascending=False)
    return (grouped if top is None else grouped.head(top)).iterrows()

