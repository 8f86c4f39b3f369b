"""Small datasets and a hand-made plan for the saved-plan tests.

``hand_case()`` is a plan written without the solver: every decision and every cost below
is worked out by hand, so the audit can be tested against figures that do not come from
either implementation.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from models.outcome import TABLE_COLUMNS, SolveOutcome, Status
from planner.schema.dataset import Dataset, Source, from_records
from planner.io.plan import write_plan

FIRST = 2026


def rich_records() -> tuple[dict, dict]:
    """Two years, two scenarios (an AU disruption in 2027), a refinery with a recipe,
    two financing sources, policies. Used both for the hand plan and for solves."""
    settings = {"home_country": "IN", "first_year": FIRST, "years": 2, "discount_rate": 0.1,
                "carbon_price": 2.0, "cvar_alpha": 0.5, "cvar_weight": 0.5, "currency": "USD"}
    records = {
        "Materials": [
            {"material": "LI", "name": "Lithium", "sector": "mineral", "unit": "t", "holding_cost": 1.0,
             "shortage_penalty": 100.0},
            {"material": "ORE", "name": "Spodumene", "sector": "mineral", "unit": "t"},
        ],
        "Demand": [{"material": "LI", "year": 2026, "quantity": 10}, {"material": "LI", "year": 2027, "quantity": 10}],
        "Countries": [
            {"country": "IN", "name": "India", "risk": 0.1},
            {"country": "AU", "name": "Australia", "risk": 0.2, "tariff": 0.1, "allied": True},
            {"country": "CN", "name": "China", "risk": 0.5},
        ],
        "Suppliers": [
            {"supplier": "S1", "country": "AU", "capacity": 100, "qualification_cost": 50},
            {"supplier": "S2", "country": "CN"},
        ],
        "Offers": [
            {"supplier": "S1", "material": "LI", "unit_cost": 10.0, "freight_cost": 1.0, "carbon_intensity": 0.5,
             "contract_cost": 5.0, "min_order": 2.0},
            {"supplier": "S2", "material": "ORE", "unit_cost": 2.0},
        ],
        "Facilities": [
            {"facility": "R1", "kind": "refinery", "material": "LI", "module_capacity": 6, "max_modules": 2,
             "capex_per_module": 100.0, "fixed_opex_per_module": 3.0, "unit_cost": 1.0, "build_years": 1,
             "pli_subsidy": 0.5, "green": True, "lifetime_years": 2},
        ],
        "Recipes": [{"facility": "R1", "input_material": "ORE", "quantity_per_unit": 2.0}],
        "Financing": [
            {"source": "B", "kind": "budget", "limit": 1000.0},
            {"source": "L", "kind": "multilateral_loan", "limit": 50.0, "annual_rate": 0.05, "tenor_years": 2,
             "arrangement_fee": 1.0, "green_only": True},
        ],
        "Policies": [
            {"material": "*", "max_shortage_share": 0.2},
            {"material": "LI", "year": 2027, "scenario": "ban", "max_shortage_share": 0.15},
            {"material": "LI", "year": 2027, "min_green_share": 0.5},
            {"material": "LI", "min_suppliers": 1},
        ],
        "Scenarios": [{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
        "Disruptions": [{"scenario": "ban", "country": "AU", "from_year": 2027, "capacity_factor": 0.5,
                         "price_factor": 2.0}],
        # a price floor below CN's ore price and no duty: present (every column of the manifest), no effect
        "Tariffs": [{"material": "ORE", "from_year": 2026, "to_year": 2027, "specific_duty": 0.0,
                     "min_import_price": 1.0}],
    }
    return settings, records


def rich_dataset(name: str = "rich.xlsx") -> Dataset:
    settings, records = rich_records()
    return from_records(settings, records, Source(name=name, sha256="a" * 64))


# The hand plan. df(2026) = 1, df(2027) = 1/1.1. R1 starts 1 module in 2026 (build_years 1),
# producing 6 in 2027 from 12 ORE; its lifetime share is (2027 - 2027 + 1) / 2 = 1/2.
# base: LI 10 from S1 in 2026; 2027: LI 4 from S1 + 6 produced, ORE 12 from S2.
# ban:  LI 11 from S1 in 2026 (1 into stock); 2027 (AU capacity x0.5, price x2): LI 2 from S1
#       + 6 produced + 1 from stock, shortage 1; ORE 12 from S2.
D1 = 1 / 1.1
LOAN_PV = 0.05 / (1 - 1.05 ** -2) * (D1 + D1 ** 2)   # annuity of 1 over 2 years at 5%, PV at 10%
HAND_FIRST = {
    "qualification": 50.0,                      # S1 (S2 qualifies for 0)
    "contracts": 5.0,                           # S1/LI
    "arrangement_fees": 1.0,                    # L is used
    "fixed_opex": 3.0 * D1,                     # one module producing in 2027
    "financing": 50 * 1.0 * 0.5 + 50 * LOAN_PV * 0.5,  # budget 50 (PV 1) + loan 50, times share 1/2
}
HAND_BASE = {
    "purchases_ex_works": 10 * 10 + (4 * 10 + 12 * 2) * D1,
    "tariffs": 10 * 10 * 0.1 + 4 * 10 * 0.1 * D1,
    "freight": 10 * 1 + 4 * 1 * D1,
    "production": 6 * 1 * D1,
    "pli_subsidy": -6 * 0.5 * D1,
    "holding": 0.0,
    "shortage": 0.0,
    "carbon": 2 * 0.5 * 10 + 2 * 0.5 * 4 * D1,
}
HAND_BAN = {
    "purchases_ex_works": 11 * 10 + (2 * 10 * 2 + 12 * 2) * D1,
    "tariffs": 11 * 10 * 0.1 + 2 * 20 * 0.1 * D1,
    "freight": 11 * 1 + 2 * 1 * D1,
    "production": 6 * 1 * D1,
    "pli_subsidy": -6 * 0.5 * D1,
    "holding": 1 * 1.0,                         # 1 t closing stock in 2026
    "shortage": 1 * 100 * D1,
    "carbon": 2 * 0.5 * 11 + 2 * 0.5 * 2 * D1,
}
HAND_COST_BASE = sum(HAND_FIRST.values()) + sum(HAND_BASE.values())
HAND_COST_BAN = sum(HAND_FIRST.values()) + sum(HAND_BAN.values())
# alpha = 0.5 with two scenarios of probability 0.5: CVaR is the cost of the worse one.
HAND_CVAR = max(HAND_COST_BASE, HAND_COST_BAN)
HAND_COSTS = dict(HAND_FIRST) | {k: 0.5 * HAND_BASE[k] + 0.5 * HAND_BAN[k] for k in HAND_BASE} | {
    "cvar": 0.5 * HAND_CVAR}
HAND_OBJECTIVE = 0.5 * HAND_COST_BASE + 0.5 * HAND_COST_BAN + 0.5 * HAND_CVAR


def _t(name: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS[name]))


def hand_outcome(objective: float = HAND_OBJECTIVE, costs: dict | None = None, bound: float | None = None,
                 status: Status = Status.OPTIMAL) -> SolveOutcome:
    """The hand plan; ``bound`` (default: the objective, proven exactly) sets its best bound."""
    landed_2026, landed_ban = 10 * 1.1 + 1, 20 * 1.1 + 1
    tables = {
        "Sourcing": _t("Sourcing", [
            ("base", 2026, "LI", "S1", "AU", 10.0, landed_2026, 10 * landed_2026),
            ("base", 2027, "LI", "S1", "AU", 4.0, landed_2026, 4 * landed_2026 * D1),
            ("base", 2027, "ORE", "S2", "CN", 12.0, 2.0, 24 * D1),
            ("ban", 2026, "LI", "S1", "AU", 11.0, landed_2026, 11 * landed_2026),
            ("ban", 2027, "LI", "S1", "AU", 2.0, landed_ban, 2 * landed_ban * D1),
            ("ban", 2027, "ORE", "S2", "CN", 12.0, 2.0, 24 * D1),
        ]),
        "Contracts": _t("Contracts", [("S1", "LI", "AU", 50.0, 5.0), ("S2", "ORE", "CN", 0.0, 0.0)]),
        "Builds": _t("Builds", [("R1", 2026, 1, 0, 0.0), ("R1", 2027, 0, 1, 6.0)]),
        "Production": _t("Production", [("base", 2027, "R1", "LI", 6.0, 1.0), ("ban", 2027, "R1", "LI", 6.0, 1.0)]),
        "Financing": _t("Financing", [("B", "R1", 2026, 50.0, 25.0), ("L", "R1", 2026, 50.0, 25 * LOAN_PV)]),
        "Stock": _t("Stock", [("ban", 2026, "LI", 1.0)]),
        "Shortages": _t("Shortages", [("ban", 2027, "LI", 1.0)]),
    }
    bound = objective if bound is None else bound
    return SolveOutcome(status, objective=objective, bound=bound, gap=(objective - bound) / abs(objective),
                        solve_seconds=0.01,
                        costs=dict(HAND_COSTS if costs is None else costs), tables=tables,
                        solver={"name": "hand", "version": "0"})


def write_hand_plan(path: Path, dataset: Dataset | None = None, charts: bool = True, **kw) -> Path:
    return write_plan(path, hand_outcome(**kw), dataset or rich_dataset(), charts=charts)


def edit_cell(path: Path, sheet: str, match: dict, column: str, value) -> None:
    """Set `column` of the first row of `sheet` whose cells equal `match` (openpyxl)."""
    edit_cells(path, [(sheet, match, column, value)])


def edit_cells(path: Path, edits: list[tuple[str, dict, str, object]]) -> None:
    """Apply (sheet, match, column, value) edits, loading and saving the workbook once;
    column None deletes the matching row."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for sheet, match, column, value in edits:
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for idx, row in enumerate(ws.iter_rows(min_row=2), start=2):
            if all(row[header.index(k)].value == v for k, v in match.items()):
                if column is None:
                    ws.delete_rows(idx)
                else:
                    row[header.index(column)].value = value
                break
        else:
            raise AssertionError(f"no row of {sheet} matches {match}")
    wb.save(path)


def delete_row(path: Path, sheet: str, match: dict) -> None:
    edit_cells(path, [(sheet, match, None, None)])
