"""Tiny Dataset builders for the model tests (plain records through from_records)."""

from __future__ import annotations

from typing import Any

from planner.schema.dataset import from_records

from models import solve_dataset
from models.outcome import SolveOptions, Status

BASE_SETTINGS = {"home_country": "IN", "first_year": 2025, "years": 1, "discount_rate": 0.0,
                 "time_limit_s": 30, "mip_gap": 0.0}


def dataset(settings: dict[str, Any] | None = None, **sheets: list[dict[str, Any]]):
    """A Dataset: BASE_SETTINGS updated by ``settings``; default country IN and material M."""
    records = {"Countries": [{"country": "IN", "name": "India", "risk": 0.0, "allied": True}],
               "Materials": [{"material": "M", "name": "m", "sector": "mineral", "unit": "t"}]}
    records.update(sheets)
    return from_records(BASE_SETTINGS | (settings or {}), records)


def country(code: str, **kw):
    return {"country": code, "name": code, "risk": 0.0} | kw


def material(mid: str, **kw):
    return {"material": mid, "name": mid, "sector": "mineral", "unit": "t"} | kw


def supplier(sid: str, ctry: str, **kw):
    return {"supplier": sid, "country": ctry} | kw


def offer(sid: str, mat: str, cost: float, **kw):
    return {"supplier": sid, "material": mat, "unit_cost": cost} | kw


def demand(mat: str, year: int, qty: float):
    return {"material": mat, "year": year, "quantity": qty}


def solve(ds, **options):
    out = solve_dataset(ds, SolveOptions(**options))
    assert out.status == Status.OPTIMAL, (out.status, out.message)
    return out


def bought(out, supplier_id: str, year: int | None = None, scenario: str | None = None) -> float:
    t = out.tables["Sourcing"]
    t = t[t.supplier == supplier_id]
    if year is not None:
        t = t[t.year == year]
    if scenario is not None:
        t = t[t.scenario == scenario]
    return float(t.quantity.sum())
