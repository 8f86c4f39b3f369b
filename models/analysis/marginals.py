"""Marginal values (SPEC §2 "Marginal values"): the cost of tightening each binding policy
target, capacity or financing limit by one unit of the value as written.

After the MIP, every integer decision (contracts, qualifications, module builds, source
use) is fixed at the plan's value and the LP of the rest is solved again
(:meth:`HighsSession.fix_columns`). For a group of rows that one value sets
(:mod:`models.analysis.groups`), with ``L_r`` = d objective / d loosening row r (the LP dual, <= 0
for a binding row; :meth:`Duals.loosening_rates`) and ``T_r`` = the room row r loses
when the value is tightened by one unit (:func:`models.analysis.groups.room`):

    marginal_value = - sum_r L_r * T_r   (>= 0: tightening never lowers the cost)

For ``max_country_share`` (rows ``q_c <= share * S``) ``T = S``, so the value is
``-dual * S`` summed over the countries; for ``min_domestic_share`` ``T`` is the demand;
for a capacity ``T`` is the disruption factor (and the contract binary on a big-M row
whose M is that capacity). The objective is the expected discounted cost, so a value is
in the plan's currency per unit of the target as written (per 1.0 for a share; the
``per_percentage_point`` column divides by 100). Whole-number targets (min_suppliers,
max_modules) are not priced: with the integer decisions fixed the LP cannot move them.
"""

from __future__ import annotations

import functools
import math

import pandas as pd
import pyomo.environ as pyo

from models.analysis import groups as G
from models.memory import paused_gc
from models.highs.options import SolverOptions
from models.highs.session import HighsSession

COLUMNS = ("policy", "material", "year", "scenario", "excel_row", "value", "marginal_value",
           "per_percentage_point", "note", "subject")
#: A row is binding when its slack is below this (relative to the room it loses), or priced.
#: Binding rows are listed with a zero value too (degenerate: held at the bound at no cost at
#: the margin), except share targets that cannot be tightened (a cap of 0, a minimum of 1).
TOL = 1e-7


@paused_gc()  # as in building: the collector would rescan the model's objects over and over
def marginal_values(session: HighsSession, solver: SolverOptions = SolverOptions(),
                    policies_only: bool = False) -> pd.DataFrame:
    """Fix the integer decisions at their values in the model (the plan just extracted), re-solve
    the LP and price every binding group (``policies_only``: the policy targets only, as a sweep
    of targets needs). Raises RuntimeError if the LP ends without duals. The integer decisions
    are free again afterwards (the session can be solved again: models.pipeline)."""
    m = session.model
    integers = [v for v in m.component_data_objects(pyo.Var, descend_into=True) if v.is_integer() and not v.fixed]
    session.fix_columns(integers, [round(v.value or 0.0) for v in integers])
    try:
        return _priced(session, solver, policies_only)
    finally:
        session.unfix_columns(integers)


def _priced(session: HighsSession, solver: SolverOptions, policies_only: bool) -> pd.DataFrame:
    """The LP of the rest solved and every binding group priced (the integers already fixed)."""
    m = session.model
    run = session.run(solver.without_gaps())
    if not run.has_solution or run.termination.name != "convergenceCriteriaSatisfied":
        raise RuntimeError(f"the LP with the integer decisions fixed ended with {run.termination.name}")
    session.load_values()
    duals = Duals(session)
    supply_of = functools.cache(functools.partial(G.supply, m))  # many groups share a total
    rows = []
    limits = [] if policies_only else G.limit_groups(m, module_capacity=True)
    for g in G.policy_groups(m) + limits:
        if g.kind == "max_modules":
            continue
        row = _price(duals, m, g, supply_of)
        if row is not None:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.sort_values("marginal_value", ascending=False, kind="stable", na_position="last",
                             ignore_index=True)


class Duals:
    """The last (LP) run's duals, read from HiGHS once (a per-row call would copy every dual)."""

    def __init__(self, session: HighsSession):
        arrays = session.lp_arrays()  # in the model's units (HiGHS' own are scaled: models.highs.scaling)
        if not arrays["dual_valid"]:
            raise RuntimeError("the LP with the integer decisions fixed has no duals")
        self.session = session
        self.row_dual = arrays["row_dual"]
        self.col_dual = arrays["col_dual"]
        self.row_upper = arrays["row_upper"]
        self.row_lower = arrays["row_lower"]
        self.row_value = arrays["row_value"]
        self.col_value = arrays["col_value"]
        self.col_upper = arrays["col_upper"]

    def at_upper(self, var) -> bool:
        """``var`` is at its (finite) upper bound in the LP, to TOL relative."""
        j = self.session.column(var)
        upper = float(self.col_upper[j])
        return upper < math.inf and upper - float(self.col_value[j]) <= TOL * max(1.0, upper)

    def slack(self, con) -> float:
        """Distance of ``con``'s row activity to its nearer bound (Pyomo's ``slack()``, read
        from HiGHS' row values instead of evaluating the expression)."""
        r = self.session.row(con)
        value = float(self.row_value[r])
        return min(float(self.row_upper[r]) - value, value - float(self.row_lower[r]))

    def loosening_rates(self, cons: list, variables: list) -> list[float]:
        """d objective / d loosening: per constraint, loosening its row by one unit of its body
        (raising a finite upper bound, else lowering the lower bound: the row dual with the sign
        of the bound HiGHS holds); per variable, raising its upper bound (its reduced cost where
        negative). <= 0 in a minimisation; 0 where not binding."""
        out = []
        for con in cons:
            r = self.session.row(con)
            dual = float(self.row_dual[r])
            out.append(dual if self.row_upper[r] < math.inf else -dual)
        out += [min(float(self.col_dual[self.session.column(v)]), 0.0) for v in variables]
        return out


def _price(duals: Duals, m, g: G.Group, supply_of) -> dict | None:
    link_rows = [con for con, _f, _b in g.links]
    rates = duals.loosening_rates(g.rows + link_rows, g.uppers)
    room_rows, room_uppers, room_links = G.room(m, g, supply_of)
    rooms = room_rows + room_links + room_uppers  # the order of ``rates``
    marginal = -sum(rate * r for rate, r in zip(rates, rooms)) + 0.0
    priced = any(abs(rate) > TOL and r > 0 for rate, r in zip(rates, rooms))
    if not priced and (_at_extreme(g) or not _binding(duals, g, room_rows, room_uppers)):
        return None
    whole = g.target is not None and not g.target.priced
    value = float("nan") if whole else marginal
    return {
        "policy": g.column, "material": g.material, "year": g.year, "scenario": g.scenario,
        "excel_row": g.excel_row, "value": g.value, "marginal_value": value,
        "per_percentage_point": value / 100.0 if g.is_share and not whole else float("nan"),
        "note": _note(duals, g, whole, supply_of), "subject": g.subject,
    }


def _at_extreme(g: G.Group) -> bool:
    """A share target that cannot be tightened further (a cap of 0, a minimum of 1)."""
    return g.is_share and g.value == (0.0 if g.tightening_lowers else 1.0)


def _binding(duals: Duals, g: G.Group, room_rows, room_uppers) -> bool:
    """Some row or bound of ``g`` is at its limit where tightening would cost room."""
    for con, r in zip(g.rows, room_rows):
        if r > 0 and abs(duals.slack(con)) <= TOL * max(1.0, r):
            return True
    for var, r in zip(g.uppers, room_uppers):
        if r > 0 and duals.at_upper(var):
            return True
    return False


def _note(duals: Duals, g: G.Group, whole: bool, supply_of) -> str:
    if whole:
        return "whole-number target: not priced (the contracts are fixed in the LP)"
    direction = "lowering" if g.tightening_lowers else "raising"
    unit = ("1.0 of share (100 percentage points)" if g.is_share
            else "one unit per year" if g.kind == "capacity" else "one unit")
    what = {"capacity": "capacity", "financing": "limit"}.get(g.kind, "target")
    extra = ""
    if g.target is not None and g.target.per:
        names = _binding_members(duals, g, supply_of)
        if names:
            extra = f"; binding for {', '.join(names)}"
    return (f"expected discounted cost of {direction} the {what} by {unit}, with the integer decisions "
            f"fixed at the plan's values{extra}")


def _binding_members(duals: Duals, g: G.Group, supply_of) -> list[str]:
    out = []
    for con in g.rows:
        if abs(duals.slack(con)) <= TOL * max(1.0, supply_of(g.scenario, g.material, g.year)):
            out.append(str(con.index()[-1]))
    return out
