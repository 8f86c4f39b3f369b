r"""A quick plan: a feasible plan in seconds at any size, before the LP start and the MIP.

At national size the LP relaxation alone takes a minute and HiGHS' MIP setup about as long,
so with a time limit of a few seconds neither finds a plan. A quick plan decomposes instead:

1. the integer first-stage decisions are fixed so that they forbid as little as possible
   (:mod:`models.params.permissive`: every supplier qualified, every offer without a min order
   contracted, the fewest whole modules the domestic-share targets need, every financing
   source open);
2. the LP left over the continuous first-stage columns (financing draws) is solved;
3. then, scenario by scenario and year by year, the purchases, production, stock and
   shortages of that year (``model.block_of`` says which columns those are) as one small LP,
   with everything decided before fixed (the closing stock of the year before, the other
   scenarios' decisions where non-anticipativity ties them);
4. last the remaining columns (CVaR's value-at-risk and excesses).

Each step minimises the cost of its own columns, so the plan is myopic (it never buys ahead
for a later year) and its cost is an upper bound only. It is checked against every row and
bound of the model before it is offered; if a step's LP is infeasible there is no quick plan
(e.g. a ban that can only be bridged with stock bought ahead, a min order needed for volume,
financing too small for the modules a target needs). The sub-LPs work on the session's matrix
in HiGHS' units (models.highs.scaling).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from models.highs.session import HighsSession
from models.params import permissive

#: A row or bound violated by more than this (in HiGHS' units, relative to max(1, |bound|)) rejects the plan.
FEASIBILITY_TOL = 1e-6
FIRST, UNKNOWN = 0, -1


@dataclass(frozen=True)
class QuickPlan:
    """A plan (a value per column, model units) and its objective, or None and why not."""

    values: np.ndarray | None
    objective: float | None
    seconds: float
    reason: str = ""


def find(session: HighsSession) -> QuickPlan:
    """A quick plan of ``session``'s model (see the module docstring). It has no deadline: it is a
    fixed number of small LPs and may be the only plan there is (models.highs.lp_start)."""
    tick = time.perf_counter()
    values, why = None, ""
    for min_orders in (False, True):  # models.params.permissive: without min-order contracts first
        try:
            values, why = _solve(session, min_orders), ""
            break
        except _NoPlan as exc:
            why = f"{why}; {exc}" if why else str(exc)
    seconds = time.perf_counter() - tick
    if values is None:
        return QuickPlan(None, None, seconds, why)
    objective = session.scaling.objective(float(np.dot(session.highs.getLp().col_cost_, values)
                                                + session.highs.getLp().offset_))
    return QuickPlan(session.scaling.primal(values), objective, seconds)


class _NoPlan(Exception):
    pass


def _solve(session: HighsSession, min_orders: bool) -> np.ndarray:
    model = session.model
    lp = session.highs.getLp()  # HiGHS' units
    start, index, value = session.row_matrix()
    n_col, n_row = lp.num_col_, lp.num_row_
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    cost = np.asarray(lp.col_cost_)
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    integer = np.asarray(lp.integrality_, dtype=np.int64) > 0 if len(lp.integrality_) else np.zeros(n_col, bool)

    block, n_blocks = _column_blocks(session, model, integer)
    x = np.zeros(n_col)
    x[integer] = _first_stage_values(session, model, integer, min_orders)
    if np.any(x[integer] < lower[integer] - FEASIBILITY_TOL) or np.any(x[integer] > upper[integer] + FEASIBILITY_TOL):
        raise _NoPlan("the open first-stage decisions break a bound (e.g. max_modules)")
    row_of = np.repeat(np.arange(n_row), np.diff(start))
    # columns seen with no block yet: with a second-stage column in some row -> last, else first
    undecided = block == UNKNOWN
    if undecided.any():
        late = np.zeros(n_row, dtype=bool)
        np.logical_or.at(late, row_of, block[index] > FIRST)
        touches = np.zeros(n_col, dtype=bool)
        np.logical_or.at(touches, index, late[row_of])
        block[undecided & touches] = n_blocks + 1
        block[undecided & ~touches] = FIRST
    row_block = np.full(n_row, FIRST)
    if index.shape[0]:
        np.maximum.at(row_block, row_of, block[index])

    rows_by_block = np.argsort(row_block, kind="stable")
    bounds = np.searchsorted(row_block[rows_by_block], np.arange(n_blocks + 3))
    for b in range(n_blocks + 2):
        free = np.flatnonzero((block == b) & ~integer)
        rows = rows_by_block[bounds[b]:bounds[b + 1]]
        if free.shape[0] == 0:
            continue
        try:
            x[free] = _block_lp(free, rows, x, start, index, value, lower, upper, cost, row_lower, row_upper)
        except _NoPlan as exc:
            raise _NoPlan(f"{exc} ({_block_name(model, b, n_blocks)})") from None
    _check(x, start, index, value, lower, upper, row_lower, row_upper, row_of)
    return x


def _block_name(model, b: int, n_blocks: int) -> str:
    d = model.data
    if b == FIRST:
        return "first-stage draws"
    if b > n_blocks:
        return "CVaR"
    s, y = divmod(b - 1, len(d.years))
    return f"scenario {d.scenarios[s]}, {d.years[y]}"


def _column_blocks(session: HighsSession, model, integer: np.ndarray) -> tuple[np.ndarray, int]:
    """Per column: FIRST (first stage), 1.. (a scenario and year, scenario by scenario, year by
    year) or UNKNOWN (decided from the rows); and the number of scenario-year blocks."""
    d = model.data
    order = {(s, y): k + 1 for k, (s, y) in enumerate((s, y) for s in d.scenarios for y in d.years)}
    block = np.full(len(session.columns), UNKNOWN)
    block[integer] = FIRST
    for name, (s_pos, y_pos) in getattr(model, "block_of", {}).items():
        var = model.component(name)
        if var is None or not len(var):
            continue
        block[session.columns_of(var)] = np.fromiter((order[(k[s_pos], k[y_pos])] for k in var.keys()),
                                                     dtype=np.int64, count=len(var))
    return block, len(order)


def _first_stage_values(session: HighsSession, model, integer: np.ndarray, min_orders: bool) -> np.ndarray:
    """The permissive first-stage value of every integer column (model units = HiGHS' for integers)."""
    chosen = permissive.first_stage(model.data, min_orders)
    out = np.full(len(session.columns), np.nan)
    for name, values in chosen.items():
        var = model.component(name)
        if var is None or not len(var):
            continue
        out[session.columns_of(var)] = np.fromiter((v.value if v.fixed else values.get(k, 0.0) for k, v in var.items()),
                                                   dtype=float, count=len(var))
    for j in np.flatnonzero(integer & np.isnan(out)):
        v = session.columns[j]
        if not v.fixed:
            raise _NoPlan(f"no open value for the integer variable {v.name}")
        out[j] = v.value
    return out[integer]


def _block_lp(free, rows, x, start, index, value, lower, upper, cost, row_lower, row_upper) -> np.ndarray:
    """Solve the LP over columns ``free`` and ``rows`` with every other column at ``x``."""
    local = np.full(x.shape[0], -1, dtype=np.int64)
    local[free] = np.arange(free.shape[0])
    lengths = start[rows + 1] - start[rows]
    entries = np.repeat(start[rows], lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths,
                                                                                          lengths))
    row_local = np.repeat(np.arange(rows.shape[0]), lengths)
    cols = index[entries]
    mine = local[cols] >= 0
    fixed_activity = np.bincount(row_local[~mine], weights=value[entries][~mine] * x[cols[~mine]],
                                 minlength=rows.shape[0])
    order = np.argsort(row_local[mine], kind="stable")
    sub_index = local[cols[mine]][order].astype(np.int32)
    sub_value = value[entries][mine][order]
    sub_start = np.zeros(rows.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_local[mine], minlength=rows.shape[0]), out=sub_start[1:])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = free.shape[0]
    status = h.passModel(n, rows.shape[0], sub_index.shape[0], 0, 2, 0, 1, 0.0, cost[free], lower[free], upper[free],
                         row_lower[rows] - fixed_activity, row_upper[rows] - fixed_activity,
                         sub_start[:-1].astype(np.int32), sub_index, sub_value,
                         np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0),
                         np.zeros(n, dtype=np.int32))
    if status == highspy.HighsStatus.kError:
        raise _NoPlan("HiGHS refused a block LP")
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise _NoPlan(f"a block LP ended {h.modelStatusToString(h.getModelStatus())}")
    return np.asarray(h.getSolution().col_value)


def _check(x, start, index, value, lower, upper, row_lower, row_upper, row_of) -> None:
    """Every bound and row of the whole model holds (HiGHS' units, FEASIBILITY_TOL)."""
    def over(v, lo, up):
        return np.any(v < lo - FEASIBILITY_TOL * np.maximum(1.0, np.abs(lo))) or \
            np.any(v > up + FEASIBILITY_TOL * np.maximum(1.0, np.abs(up)))

    activity = np.bincount(row_of, weights=value * x[index], minlength=row_lower.shape[0])
    if over(x, lower, upper) or over(activity, row_lower, row_upper):
        raise _NoPlan("the plan pieced together breaks a row of the whole model")
