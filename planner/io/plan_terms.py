"""What each figure of a plan means, in a reader's words and units.

One table per kind of figure, read by the plan writer (header notes, number formats,
the Read me and Summary sheets), the terminal summary and the HTML report:

- :data:`COST_LABELS`: each cost component in plain words;
- :data:`SUMMARY_TERMS`: each Summary metric's kind and meaning;
- :data:`COLUMN_TERMS`: each result-sheet column's kind and meaning;
- :data:`SHEET_PURPOSES`: each plan sheet in one line.

A *kind* says how a figure is shown (:data:`FORMATS`) and which unit it carries
(:func:`unit_of`): money is in the input's currency and, unless the column says
otherwise, discounted to first_year (SPEC section 2); quantities are in each material's
own unit, so their cells carry it in their number format (:func:`quantity_format`).
"""

from __future__ import annotations

#: Number format of each kind of figure (Excel format codes).
FORMATS: dict[str, str] = {
    "money": "#,##0",             # discounted or nominal totals in the input's currency
    "unit_money": "#,##0.00",     # prices per unit
    "share": "0.0%",
    "gap": "0.00%",
    "score": "0.000",             # 0..1 scores that are not shares (risk, HHI)
    "year": "0",
    "count": "#,##0",
    "modules": "0",
    "intensity": "#,##0.00",      # tCO2e per unit
    "seconds": "#,##0.0",
    "quantity": "#,##0.0",        # + the material's unit, per row
    "capacity": "#,##0",          # + the material's unit per year, per row
    "millions": '#,##0.0,,"M"',   # a money total shown in millions (two trailing commas divide by 10^6)
}

#: Cost components (Summary ``cost.<name>``) in plain words.
COST_LABELS: dict[str, str] = {
    "qualification": "Qualifying suppliers (one-off)",
    "contracts": "Contracting offers (one-off)",
    "arrangement_fees": "Financing arrangement fees (one-off)",
    "purchases_ex_works": "Purchases at ex-works prices",
    "tariffs": "Import tariffs",
    "freight": "Freight",
    "production": "Domestic production costs",
    "pli_subsidy": "Production-linked incentives received (PLI)",
    "fixed_opex": "Fixed operating costs of domestic modules",
    "capex": "Investment in domestic modules (capex)",
    "financing": "Financing of domestic modules (repayments, present value)",
    "holding": "Holding stock",
    "shortage": "Penalty for unmet demand",
    "carbon": "Carbon price on emissions",
    "cvar": "Risk term: cvar_weight x CVaR of scenario cost",
}


def cost_label(component: str) -> str:
    return COST_LABELS.get(component, component.replace("_", " "))


#: Policies columns (targets) in plain words.
POLICY_LABELS: dict[str, str] = {
    "max_country_share": "Cap on any one foreign country's share of supply",
    "max_supplier_share": "Cap on any one supplier's share of supply",
    "max_avg_risk": "Cap on the average risk of supply",
    "min_green_share": "Minimum green share of supply",
    "max_carbon_intensity": "Cap on the carbon intensity of supply",
    "min_domestic_share": "Minimum domestic share of demand",
    "max_non_allied_share": "Cap on non-allied countries' share of supply",
    "min_suppliers": "Minimum number of contracted offers",
    "min_stock_share": "Strategic stock: closing stock as a share of demand",
    "max_shortage_share": "Cap on unmet demand as a share of demand",
}


def policy_label(policy: str) -> str:
    return POLICY_LABELS.get(policy, policy.replace("_", " "))


#: Summary metric -> (kind, meaning). Metrics not listed (cost.<name> aside) are shown as they are.
SUMMARY_TERMS: dict[str, tuple[str, str]] = {
    "status": ("text", "How the solve ended: 'optimal' (proven within mip_gap) or a time limit (best plan "
                       "found, not proven optimal)."),
    "proven_optimal": ("text", "TRUE when the solver proved the plan optimal within mip_gap."),
    "objective": ("money", "What the plan minimises: expected discounted total cost (+ cvar_weight x CVaR)."),
    "best_bound": ("money", "No plan can cost less than this (the solver's proven lower bound)."),
    "gap": ("gap", "(objective - best bound) / objective: at most this much cheaper could a plan be."),
    "solve_seconds": ("seconds", "Seconds the solver ran."),
    "currency": ("text", "Currency of every amount (the input's Settings currency)."),
    "input_file": ("text", "The input workbook this plan was solved from."),
    "input_sha256": ("text", "Fingerprint of the input file's bytes (SHA-256)."),
    "planner_version": ("text", "trust-planner version that wrote the plan."),
    "python_version": ("text", "Python version."),
    "created_at": ("text", "When the plan was written (UTC)."),
}


def summary_term(metric: str) -> tuple[str, str]:
    """(kind, meaning) of a Summary metric."""
    if metric.startswith("cost."):
        return "money", cost_label(metric[5:])
    if metric.startswith("seconds."):
        return "seconds", f"Seconds spent in the {metric[8:]} stage."
    if metric.startswith("solver."):
        return "text", f"Solver {metric[7:].replace('_', ' ')}."
    return SUMMARY_TERMS.get(metric, ("text", ""))


#: Result sheet -> column -> (kind, meaning). ``{currency}`` and ``{first_year}`` are filled in.
_DISCOUNTED = "{currency}, discounted to {first_year}"
_RECOURSE = ("Only with Settings recourse_builds: the scenario whose {what} these are (they may differ by scenario "
             "from the year its data first diverge, and are equal before).")
COLUMN_TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "KPIs": {
        "scenario": ("text", "Scenario (Input.Scenarios)."),
        "year": ("year", "Year."),
        "material": ("text", "Material (Input.Materials)."),
        "demand": ("quantity", "Final demand in the year (material's unit)."),
        "supply": ("quantity", "Purchases + domestic production (material's unit)."),
        "imports": ("quantity", "Purchases from suppliers outside the home country (material's unit)."),
        "domestic_production": ("quantity", "Production of domestic facilities (material's unit)."),
        "domestic_share": ("share", "Domestic production / demand (blank when demand is 0)."),
        "top_country": ("text", "Foreign country supplying most of the material this year."),
        "top_country_share": ("share", "That country's share of total supply."),
        "supplier_hhi": ("score", "Concentration of supply: sum of squared shares of every supplier and "
                                  "facility, 0..1 (1 = a single source)."),
        "avg_risk": ("score", "Supply-weighted average effective risk, 0..1."),
        "green_share": ("share", "Share of supply from green-certified suppliers and green facilities."),
        "carbon_intensity": ("intensity", "tCO2e per unit of supply."),
        "shortage": ("quantity", "Unmet demand (material's unit)."),
    },
    "Sourcing": {
        "scenario": ("text", "Scenario."),
        "year": ("year", "Year."),
        "material": ("text", "Material bought."),
        "supplier": ("text", "Supplier (Input.Suppliers)."),
        "country": ("text", "Supplier's country."),
        "quantity": ("quantity", "Quantity bought in the year (material's unit)."),
        "landed_unit_cost": ("unit_money", "{currency} per unit, not discounted: unit cost x price factor x "
                                           "(1 + tariff) + freight."),
        "cost": ("money", _DISCOUNTED + ": quantity x landed unit cost x discount factor."),
    },
    "Contracts": {
        "scenario": ("text", "Only with Settings recourse_builds: blank for a contract signed at the start for every "
                             "scenario, else the scenario that signs it late (paid in that scenario only)."),
        "signed_year": ("year", "Only with Settings recourse_builds: the year the contract is signed (and its "
                                "costs paid, discounted); a late one delivers from then + the supplier's "
                                "qualification_years."),
        "supplier": ("text", "Supplier contracted."),
        "material": ("text", "Material of the contracted offer."),
        "country": ("text", "Supplier's country."),
        "qualification_cost": ("money", "{currency}, one-off in {first_year}; shown once per supplier."),
        "contract_cost": ("money", "{currency}, one-off in {first_year}."),
    },
    "Builds": {
        "scenario": ("text", _RECOURSE.format(what="builds")),
        "facility": ("text", "Domestic facility (Input.Facilities)."),
        "year": ("year", "Year."),
        "modules_started": ("modules", "Modules whose build starts this year."),
        "modules_producing": ("modules", "Modules producing this year (existing and built)."),
        "capacity": ("capacity", "Capacity producing this year (material's unit per year)."),
    },
    "Production": {
        "scenario": ("text", "Scenario."),
        "year": ("year", "Year."),
        "facility": ("text", "Domestic facility."),
        "material": ("text", "Material produced."),
        "quantity": ("quantity", "Quantity produced (material's unit)."),
        "utilisation": ("share", "Production / capacity producing."),
    },
    "Financing": {
        "scenario": ("text", _RECOURSE.format(what="draws")),
        "source": ("text", "Financing source (Input.Financing)."),
        "facility": ("text", "Facility whose capex the draw pays."),
        "year": ("year", "Year of the draw."),
        "draw": ("money", "{currency} drawn in the year, not discounted."),
        "pv_cost": ("money", _DISCOUNTED + ": present value of the repayments, times the modules' lifetime "
                             "share inside the horizon."),
    },
    "Stock": {
        "scenario": ("text", "Scenario."),
        "year": ("year", "Year."),
        "material": ("text", "Material."),
        "closing_stock": ("quantity", "Stock at the end of the year (material's unit)."),
    },
    "Shortages": {
        "scenario": ("text", "Scenario."),
        "year": ("year", "Year."),
        "material": ("text", "Material."),
        "quantity": ("quantity", "Unmet demand (material's unit)."),
    },
    "Marginal values": {
        "policy": ("text", "Policy target or limit that binds."),
        "material": ("text", "Material it applies to."),
        "year": ("year", "Year (blank: horizon-wide)."),
        "scenario": ("text", "Scenario (blank: every scenario)."),
        "excel_row": ("count", "Row of the input sheet the value comes from."),
        "value": ("text", "The target or limit as written in the input."),
        "marginal_value": ("money", _DISCOUNTED + ": expected cost of tightening the value by one unit "
                                    "(1.0 of a share)."),
        "per_percentage_point": ("money", _DISCOUNTED + ": the same per percentage point of a share."),
        "note": ("text", "How the value was priced."),
        "subject": ("text", "The offer, supplier, facility or source a limit belongs to."),
    },
}

#: Each plan sheet in one line (the Read me sheet).
SHEET_PURPOSES: dict[str, str] = {
    "Read me": "This page: what the plan is and how to read it.",
    "Summary": "Status, total cost and its components, and where the plan came from.",
    "KPIs": "Per scenario, year and material: demand, supply, imports, domestic share, top foreign country, "
            "concentration, risk, green share, carbon, shortage.",
    "Sourcing": "Every purchase: scenario, year, material, supplier, country, quantity, price and cost.",
    "Contracts": "The offers the plan contracts (decided once for all scenarios; with Settings recourse_builds also "
                 "each scenario's late ones), with one-off costs.",
    "Builds": "Domestic modules started and producing per facility and year, and their capacity (per scenario "
              "with Settings recourse_builds).",
    "Production": "What each domestic facility produces per scenario and year, and its utilisation.",
    "Financing": "Draws from each financing source per facility and year, and their cost (per scenario with "
                 "Settings recourse_builds).",
    "Stock": "Closing stock per scenario, year and material.",
    "Shortages": "Unmet demand (rows only where there is some).",
    "Marginal values": "The policy targets and limits that bind, and what tightening each would cost.",
    "Charts": "Supply by country per material, domestic capacity, cost breakdown (expected over scenarios).",
}
INPUT_PURPOSE = ("A copy of each input sheet as solved (defaults filled in), so the plan stands alone: "
                 "{sheet}.")


def column_term(sheet: str, column: str, currency: str, first_year: int) -> tuple[str, str]:
    """(kind, meaning with units) of a result-sheet column; ("text", "") if not described."""
    kind, meaning = COLUMN_TERMS.get(sheet, {}).get(column, ("text", ""))
    return kind, meaning.format(currency=currency or "currency", first_year=first_year)


def quantity_format(unit: str, per_year: bool = False, kind: str = "quantity") -> str:
    """The number format of a quantity with its unit in the cell: 1,500.0 t."""
    label = unit.replace('"', "").replace("\\", "").strip()
    if per_year and label:
        label += "/yr"
    base = FORMATS[kind]
    return f'{base}" {label}"' if label else base


def input_column_format(unit: str) -> str | None:
    """Number format of an Input.<sheet> copy's column from the manifest's unit: years as years,
    money as money; anything else as typed (General), since inputs may hold any precision."""
    if unit == "year":
        return FORMATS["year"]
    if unit == "currency":
        return FORMATS["money"]
    if unit.startswith("currency/"):
        return FORMATS["unit_money"]
    return None


# ------------------------------------------------------------------ figures in words


def money_text(value: float | None, currency: str = "") -> str:
    """An amount as a reader says it: 7,062.2 million USD; 850,000 USD."""
    if value is None:
        return "—"
    unit = f" {currency}" if currency else ""
    if abs(value) >= 1_000_000:
        return f"{value / 1e6:,.1f} million{unit}"
    return f"{value:,.0f}{unit}"


def percent_text(share: float | None) -> str:
    """A share as a percentage with the digits that matter: 34.8 %, 0.17 %, < 0.01 %."""
    if share is None or share != share:
        return "—"
    pct = share * 100
    if pct == 0:
        return "0 %"
    if abs(pct) < 0.01:
        return "< 0.01 %"
    return f"{pct:,.1f} %" if abs(pct) >= 10 else f"{pct:,.2f} %"


def within_text(gap: float) -> str:
    """A positive gap as the bound it stays within: 0.17 %; below 0.01 %: 0.01 %."""
    return percent_text(max(gap, 1e-4))


def status_sentence(status: str, objective: float | None, bound: float | None, gap: float | None,
                    currency: str = "") -> str:
    """The solve's status in plain words, with what the gap means for this plan."""
    cost = money_text(objective, currency)
    floor = money_text(bound, currency)
    if status == "optimal":
        if gap is None or gap <= 0:
            return f"Optimal: no plan costs less than this one ({cost})."
        return (f"Optimal within {within_text(gap)}: this plan costs {cost}, and the solver proved that no plan "
                f"costs less than {floor} (its best bound); it stops once the gap is within the mip_gap setting.")
    if objective is not None:
        return (f"Not proven optimal ({status}): this plan costs {cost}; no plan costs less than {floor}, so a "
                f"better plan could cost up to {percent_text(gap)} less. A longer time limit (--time-limit or "
                "Settings time_limit_s) narrows the gap.")
    return f"No plan ({status})."
