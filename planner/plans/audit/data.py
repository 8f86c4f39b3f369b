"""The audit's own reading of a saved plan: parameters from its Input copies, decisions from
its result sheets, and the derived quantities every check shares (SPEC section 1).

Independent of ``models/``: this is a second implementation of the SPEC's semantics and
of docs/decisions.md, in pandas, so a plan can be verified without the solver.

Symbols (sheet and column they come from):

- ``df(y) = (1 + Settings.discount_rate)^-(y - first_year)``
- offer o = (Offers.supplier, Offers.material); its country c(o) = Suppliers.country
- ``cf(s, o, y)``, ``pf(s, o, y)``: product of Disruptions.capacity_factor / price_factor
  over the rows matching scenario s, the offer's country, supplier and material, and
  from_year <= y <= to_year (blank to_year: the last year)
- ``cap(s, o, y) = cf × (Offers.capacity, else Suppliers.capacity, else unlimited)``;
  cf = 0 blocks the offer even when both capacities are blank
- ``demand(s, y, m) = Demand.quantity × Π Disruptions.demand_factor`` over the rows matching
  scenario s, material m (blank: every material) and the year
- ``price(s, o, y) = max(unit_cost × pf, min_import_price)`` and ``duty(s, o, y) = price ×
  ad_valorem + specific_duty``: for each Tariffs column, the value of the applying row (country
  and material blank or equal, from_year <= y <= to_year) that names the most of country and
  material; ad_valorem else Countries.tariff, the others else 0; no Tariffs row applies to a
  home-country supplier (the sheet holds import measures)
- an offer delivers from max(available_from, first_year + qualification_years) unless its
  supplier is ``qualified`` (then also its qualification_cost is 0)
- ``producing(f, y) = existing_modules + Σ started(f, y')`` over y' + build_years <= y;
  ``capacity(f, y) = module_capacity × (producing(f, y) - (1 - ramp_up) × started(f, y - build_years))``
- builds and draws belong to a *plan*: "" (the one plan of every scenario), or each scenario's
  own when the plan was solved with Settings recourse_builds (its Builds and Financing sheets
  have a scenario column); ``plan_of(s)`` is the plan scenario s follows. Contracts have a
  ``scenario`` ("" signed at the start, for all) and the ``signed_year``.
- ``share(f, y) = min(1, max(0, last_year - (y + build_years) + 1) / lifetime_years)``
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.plans.audit.findings import Finding, Tolerance
from planner.plans.saved_plan import SavedPlan

DEFAULT_PENALTY = 1_000_000.0


@dataclass
class AuditData:
    plan: SavedPlan
    first: int
    last: int
    years: list[int]
    rate: float
    home: str
    carbon_price: float
    alpha: float
    cvar_weight: float
    probs: pd.Series
    materials: list[str]
    countries: pd.DataFrame
    suppliers: pd.DataFrame
    offers: pd.DataFrame
    facilities: pd.DataFrame
    recipes: pd.DataFrame
    financing: pd.DataFrame
    disruptions: pd.DataFrame
    tariffs: pd.DataFrame
    demand: pd.Series
    penalty: pd.Series
    sourcing: pd.DataFrame
    #: supplier, material, country, qualification_cost, contract_cost, scenario ("": at the start), signed_year
    contracts: pd.DataFrame
    #: (plan, facility, year) -> modules started / producing / capacity (ramp-up applied)
    started: pd.Series
    producing: pd.Series
    capacity: pd.Series
    production: pd.DataFrame
    #: source, facility, year, draw, pv_cost, plan
    draws: pd.DataFrame
    stock: pd.Series
    shortage: pd.Series
    qty_tol: Tolerance
    findings: list[Finding] = field(default_factory=list)

    #: builds and draws listed per scenario (a plan solved with recourse_builds)
    by_scenario: bool = False

    @property
    def has_financing(self) -> bool:
        return len(self.financing) > 0

    def plan_of(self, scenario: str) -> str:
        """The plan of builds and draws scenario ``scenario`` follows ("": one for all)."""
        return scenario if self.by_scenario else ""

    @property
    def plans(self) -> list[str]:
        return list(self.probs.index) if self.by_scenario else [""]

    def df(self, years) -> np.ndarray:
        years = np.asarray(years, dtype=float)
        return np.power(1.0 + self.rate, -(years - self.first))

    def factors(self, keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Capacity and price factors for rows with scenario, supplier, material, year (and
        country: the supplier's)."""
        n = len(keys)
        cap = np.ones(n)
        price = np.ones(n)
        if n == 0 or self.disruptions.empty:
            return cap, price
        scen = keys["scenario"].to_numpy(object)
        sup = keys["supplier"].to_numpy(object)
        mat = keys["material"].to_numpy(object)
        country = keys["supplier"].map(self.suppliers["country"]).fillna("").to_numpy(object)
        year = keys["year"].to_numpy(float)
        for row in self.disruptions.itertuples(index=False):
            mask = scen == row.scenario
            if row.country:
                mask &= country == row.country
            if row.supplier:
                mask &= sup == row.supplier
            if row.material:
                mask &= mat == row.material
            start = row.from_year if not pd.isna(row.from_year) else self.first
            end = row.to_year if not pd.isna(row.to_year) else self.last
            mask &= (year >= start) & (year <= end)
            cap = np.where(mask, cap * row.capacity_factor, cap)
            price = np.where(mask, price * row.price_factor, price)
        return cap, price

    def contracted_from(self) -> dict[tuple[str, str, str], float]:
        """(scenario, supplier, material) -> first year a contract lets the scenario buy the offer: a
        contract signed at the start, from when the offer delivers; a scenario's late one (recourse),
        from its signed_year + the supplier's qualification_years (0 if ``qualified``), and not before
        the offer's available_from."""
        out: dict[tuple[str, str, str], float] = {}
        for row in self.contracts.itertuples(index=False):
            key = (row.supplier, row.material)
            if key not in self.offers.index:
                continue
            o = self.offers.loc[key]
            start = o["delivers_from"] if row.scenario == "" else max(
                o["available_from"], row.signed_year + (0 if o["qualified"] else o["qualification_years"]))
            for s in (self.probs.index if row.scenario == "" else [row.scenario]):
                out[(s, *key)] = min(out.get((s, *key), np.inf), float(start))
        return out

    def scenario_demand(self, grid: pd.MultiIndex) -> np.ndarray:
        """Demand of each (scenario, year, material) of ``grid``, demand factors applied."""
        years = grid.get_level_values("year")
        mats = grid.get_level_values("material")
        out = self.demand.reindex(pd.MultiIndex.from_arrays([mats, years])).fillna(0.0).to_numpy(float)
        dis = self.disruptions
        if dis.empty or "demand_factor" not in dis.columns:
            return out
        scen = grid.get_level_values("scenario").to_numpy(object)
        mats, years = mats.to_numpy(object), years.to_numpy(float)
        for row in dis[dis["demand_factor"].fillna(1.0) != 1.0].itertuples(index=False):
            start = row.from_year if not pd.isna(row.from_year) else self.first
            end = row.to_year if not pd.isna(row.to_year) else self.last
            mask = (scen == row.scenario) & (years >= start) & (years <= end)
            if row.material:
                mask &= mats == row.material
            out = np.where(mask, out * row.demand_factor, out)
        return out

    def prices(self, keys: pd.DataFrame, pf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row with supplier, material, year: the unit price before duty and the duty per unit,
        for price factors ``pf``."""
        o = self.offers.reindex(pd.MultiIndex.from_frame(keys[["supplier", "material"]]))
        price = o["unit_cost"].to_numpy(float) * pf
        ad_valorem = np.array(o["tariff"].to_numpy(float))  # a copy: filled in below
        specific = np.zeros(len(keys))
        if len(self.tariffs) and len(keys):
            country = o["country"].to_numpy(object)
            material = keys["material"].to_numpy(object)
            year = keys["year"].to_numpy(float)
            floor = np.zeros(len(keys))
            imported = country != self.home  # the Tariffs sheet spares home suppliers
            for column, values in (("ad_valorem", ad_valorem), ("specific_duty", specific), ("min_import_price", floor)):
                rank = np.full(len(keys), -1)
                for row in self.tariffs[self.tariffs[column].notna()].itertuples(index=False):
                    start = row.from_year if not pd.isna(row.from_year) else self.first
                    end = row.to_year if not pd.isna(row.to_year) else self.last
                    mask = imported & (year >= start) & (year <= end)
                    if row.country:
                        mask &= country == row.country
                    if row.material:
                        mask &= material == row.material
                    named = bool(row.country) + bool(row.material)
                    mask &= named > rank
                    values[mask] = getattr(row, column)
                    rank[mask] = named
            price = np.maximum(price, floor)
        return price, price * ad_valorem + specific

    def lifetime_share(self, facility: pd.Series, year: pd.Series) -> np.ndarray:
        fac = self.facilities
        build = facility.map(fac["build_years"]).to_numpy(float)
        life = facility.map(fac["lifetime_years"]).to_numpy(float)
        inside = np.maximum(0.0, self.last - (year.to_numpy(float) + build) + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.minimum(1.0, inside / life)
        return np.nan_to_num(share, nan=0.0)

    def grid(self) -> pd.MultiIndex:
        """Every (scenario, year, material)."""
        return pd.MultiIndex.from_product([list(self.probs.index), self.years, self.materials],
                                          names=["scenario", "year", "material"])


def load(plan: SavedPlan) -> AuditData:
    ds = plan.dataset
    s = ds.settings
    first = int(s["first_year"])
    years = list(range(first, first + int(s["years"])))
    last = years[-1]
    home = str(s["home_country"])
    findings: list[Finding] = []

    scen = ds["Scenarios"]
    probs = pd.Series(scen["probability"].to_numpy(float), index=scen["scenario"].astype(str))
    probs = probs.groupby(level=0, sort=False).sum()
    materials = list(dict.fromkeys(ds["Materials"]["material"].astype(str)))

    countries = ds["Countries"].drop_duplicates("country").set_index("country")
    suppliers = ds["Suppliers"].drop_duplicates("supplier").set_index("supplier")
    offers = _offers(ds["Offers"], suppliers, countries, home, first)
    facilities = ds["Facilities"].drop_duplicates("facility").set_index("facility")
    recipes = (ds["Recipes"].groupby(["facility", "input_material"], as_index=False)["quantity_per_unit"].sum())
    financing = ds["Financing"].drop_duplicates("source").set_index("source")
    disruptions = ds["Disruptions"].copy()
    for col in ("country", "supplier", "material", "scenario"):
        disruptions[col] = disruptions[col].fillna("").astype(str)
    tariffs = ds["Tariffs"].copy() if "Tariffs" in ds.tables else pd.DataFrame()
    for col in ("country", "material"):
        if col in tariffs.columns:
            tariffs[col] = tariffs[col].fillna("").astype(str)

    dem = ds["Demand"]
    dem = dem[dem["year"].notna()]
    demand = dem.assign(year=dem["year"].astype("int64")).groupby(["material", "year"])["quantity"].sum()

    t = plan.tables
    sourcing = t["Sourcing"][["scenario", "year", "material", "supplier", "country", "quantity", "landed_unit_cost",
                              "cost"]].copy()
    sourcing["quantity"] = sourcing["quantity"].fillna(0.0)
    contracts = t["Contracts"].copy()
    contracts["scenario"] = _text(contracts, "scenario")
    contracts["signed_year"] = contracts["signed_year"].fillna(first) if "signed_year" in contracts.columns else first
    # builds and draws listed per scenario: a plan solved with recourse_builds (planner.plans.audit.scenarios
    # checks that the setting is on and the scenarios agree before they diverge)
    by_scenario = any("scenario" in t[name].columns for name in ("Builds", "Financing"))

    builds = t["Builds"].assign(plan=_text(t["Builds"], "scenario") if by_scenario else "")
    started = builds.assign(modules_started=builds["modules_started"].fillna(0.0)) \
        .groupby(["plan", "facility", "year"])["modules_started"].sum()
    plans = list(probs.index) if by_scenario else [""]
    producing, capacity = _producing(facilities, started, years, plans)

    production = t["Production"][["scenario", "year", "facility", "material", "quantity", "utilisation"]].copy()
    production["quantity"] = production["quantity"].fillna(0.0)
    production["output"] = production["facility"].map(facilities["material"]).fillna("")

    draws = t["Financing"][["source", "facility", "year", "draw", "pv_cost"]].copy()
    draws["draw"] = draws["draw"].fillna(0.0)
    draws["plan"] = _text(t["Financing"], "scenario") if by_scenario else ""

    stock = t["Stock"].groupby(["scenario", "year", "material"])["closing_stock"].sum(min_count=1).fillna(0.0)
    shortage = t["Shortages"].groupby(["scenario", "year", "material"])["quantity"].sum(min_count=1).fillna(0.0)

    magnitudes = [1.0, _absmax(demand), _absmax(sourcing["quantity"]), _absmax(production["quantity"]),
                  _absmax(stock), _absmax(shortage), _absmax(ds["Materials"]["initial_stock"])]
    d = AuditData(
        plan=plan, first=first, last=last, years=years, rate=float(s.get("discount_rate") or 0.0), home=home,
        carbon_price=float(s.get("carbon_price") or 0.0), alpha=float(s.get("cvar_alpha") or 0.0),
        cvar_weight=float(s.get("cvar_weight") or 0.0), probs=probs, materials=materials, countries=countries,
        suppliers=suppliers, offers=offers, facilities=facilities, recipes=recipes, financing=financing,
        disruptions=disruptions, tariffs=tariffs, demand=demand, penalty=pd.Series(dtype=float),
        sourcing=sourcing, contracts=contracts, started=started, producing=producing, capacity=capacity,
        production=production,
        draws=draws, stock=stock, shortage=shortage, qty_tol=Tolerance(max(magnitudes)), findings=findings,
        by_scenario=by_scenario,
    )
    d.penalty = _penalties(ds, _highest_landed(d), facilities, materials)
    return d


def _highest_landed(d: AuditData) -> pd.Series:
    """Per offer, the highest landed cost over the horizon without price factors (price before
    duty, duty and freight)."""
    if not len(d.offers):
        return pd.Series(dtype=float)
    index = d.offers.index
    keys = pd.DataFrame([(s, m, y) for s, m in index for y in d.years], columns=["supplier", "material", "year"])
    price, duty = d.prices(keys, np.ones(len(keys)))
    freight = d.offers["freight_cost"].fillna(0.0).reindex(pd.MultiIndex.from_frame(keys[["supplier", "material"]]))
    keys["landed"] = price + duty + freight.to_numpy(float)
    return keys.groupby(["supplier", "material"])["landed"].max()


def _absmax(values) -> float:
    arr = np.abs(np.asarray(values, dtype=float))
    arr = arr[np.isfinite(arr)]
    return float(arr.max()) if arr.size else 0.0


def _offers(offers: pd.DataFrame, suppliers: pd.DataFrame, countries: pd.DataFrame, home: str,
            first: int) -> pd.DataFrame:
    o = offers.drop_duplicates(["supplier", "material"]).copy()
    o["country"] = o["supplier"].map(suppliers["country"]).fillna("")
    o["supplier_capacity"] = o["supplier"].map(suppliers["capacity"])
    qualified = o["supplier"].map(suppliers["qualified"]).fillna(False).astype(bool)
    o["qualification_cost"] = o["supplier"].map(suppliers["qualification_cost"]).fillna(0.0).where(~qualified, 0.0)
    o["qualified"] = qualified
    o["qualification_years"] = o["supplier"].map(suppliers["qualification_years"]).fillna(0.0)
    delay = o["qualification_years"].where(~qualified, 0.0)
    o["delivers_from"] = np.maximum(o["available_from"].to_numpy(float), first + delay.to_numpy(float))
    o["green"] = o["supplier"].map(suppliers["green_certified"]).fillna(False).astype(bool)
    supplier_risk = o["supplier"].map(suppliers["risk"]).fillna(0.0)
    country_risk = o["country"].map(countries["risk"]).fillna(0.0)
    o["eff_risk"] = 1.0 - (1.0 - country_risk) * (1.0 - supplier_risk)
    o["tariff"] = o["country"].map(countries["tariff"]).fillna(0.0)
    o["sanctioned"] = o["country"].map(countries["sanctioned"]).fillna(False).astype(bool)
    o["allied"] = o["country"].map(countries["allied"]).fillna(False).astype(bool) | (o["country"] == home)
    o["base_cap"] = o["capacity"].where(o["capacity"].notna(), o["supplier_capacity"])
    return o.set_index(["supplier", "material"])


def _penalties(ds, offer_landed: pd.Series, facilities: pd.DataFrame, materials: list[str]) -> pd.Series:
    """Shortage penalty per material (docs/decisions.md: default shortage penalty): the
    material's, else the Settings value, else 10 × the highest landed cost over the horizon
    (no price factor) among all its offers (sanctioned ones too) if positive, else 10 × the
    highest unit cost of facilities producing it if positive, else 1,000,000."""
    mats = ds["Materials"].drop_duplicates("material").set_index("material")
    setting = ds.settings.get("shortage_penalty")
    landed = offer_landed.groupby(level="material").max() if len(offer_landed) else pd.Series(dtype=float)
    fac_cost = facilities.groupby("material")["unit_cost"].max() if len(facilities) else pd.Series(dtype=float)
    out = {}
    for m in materials:
        own = mats["shortage_penalty"].get(m, np.nan)
        if not pd.isna(own):
            out[m] = float(own)
        elif setting is not None and not pd.isna(setting):
            out[m] = float(setting)
        elif m in landed.index and landed[m] > 0:
            out[m] = 10.0 * float(landed[m])
        elif m in fac_cost.index and fac_cost[m] > 0:
            out[m] = 10.0 * float(fac_cost[m])
        else:
            out[m] = DEFAULT_PENALTY
    return pd.Series(out, dtype=float)


def of_plan(values: pd.Series, plan: str) -> pd.Series:
    """The rows of one plan of a series indexed (plan, ...), without the plan level (empty if none)."""
    return values[values.index.get_level_values(0) == plan].droplevel(0)


def _text(table: pd.DataFrame, column: str) -> pd.Series:
    """A text column ("" where blank or absent)."""
    if column not in table.columns:
        return pd.Series([""] * len(table), index=table.index, dtype=object)
    return table[column].where(table[column].notna(), "").astype(str)


def _producing(facilities: pd.DataFrame, started: pd.Series, years: list[int],
               plans: list[str]) -> tuple[pd.Series, pd.Series]:
    """Modules producing per (plan, facility, year): existing + started at least build_years before;
    and the capacity: module_capacity × (producing - (1 - ramp_up) × started build_years before)."""
    rows, caps = {}, {}
    for plan in plans:
        mine = of_plan(started, plan)
        for f, fac in facilities.iterrows():
            existing = 0.0 if pd.isna(fac["existing_modules"]) else float(fac["existing_modules"])
            build = 0 if pd.isna(fac["build_years"]) else int(fac["build_years"])
            ramp = 1.0 if pd.isna(fac["ramp_up"]) else float(fac["ramp_up"])
            starts = mine.loc[f] if f in mine.index.get_level_values(0) else pd.Series(dtype=float)
            for y in years:
                rows[(plan, f, y)] = existing + float(starts[starts.index <= y - build].sum())
                first_year = float(starts[starts.index == y - build].sum())
                caps[(plan, f, y)] = fac["module_capacity"] * (rows[(plan, f, y)] - (1.0 - ramp) * first_year)
    index = pd.MultiIndex.from_tuples(list(rows), names=["plan", "facility", "year"]) if rows else \
        pd.MultiIndex.from_tuples([], names=["plan", "facility", "year"])
    return (pd.Series(list(rows.values()), index=index, dtype=float),
            pd.Series(list(caps.values()), index=index, dtype=float))
