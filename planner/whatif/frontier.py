"""``trust-planner frontier``: expected cost against one measure, by the ε-constraint method.

MEASURE is one of ``top_country_share[MATERIAL]``, ``non_allied_share[MATERIAL]``,
``avg_risk[MATERIAL]``, ``domestic_share[MATERIAL]``, ``green_share[MATERIAL]`` (each a share
of the material's expected supply over the horizon, :mod:`models.families.measures`) or
``cvar``. First the two extremes (one task): the cheapest plan, and the best measure at any
cost (Dinkelbach, :mod:`models.analysis.frontier`) with its cheapest plan; then N points
with the measure held to values evenly spaced between them (independent tasks, in parallel).
Points that another point dominates (no cheaper and no better) are removed; the knee is the
point farthest from the straight line between the extremes, both axes scaled to 0..1.
"""

from __future__ import annotations

import re

import pandas as pd

from planner.schema.dataset import Dataset
from planner.schema.problems import InputError, Problem
from planner.whatif.parallel import run_tasks
from planner.whatif.sweep import chunks
from planner.whatif.tasks import FrontierTask, PointResult, Workbook, solve_frontier

_FORM = re.compile(r"^\s*([a-z_]+)\s*(?:\[\s*(.+?)\s*\])?\s*$")


def parse_measure(text: str, dataset: Dataset) -> tuple[str, str | None]:
    """``KIND[MATERIAL]`` (or ``cvar``) checked against the dataset; InputError otherwise."""
    from models.families.measures import LOWER_IS_BETTER

    match = _FORM.match(text)
    kind, material = (match.group(1), match.group(2)) if match else (text, None)
    known = list(LOWER_IS_BETTER)
    if kind not in known:
        raise InputError([Problem("", f"--against {text}", "", text, "one of " + ", ".join(
            f"{k}[MATERIAL]" if k != "cvar" else k for k in known))])
    if kind == "cvar":
        if material:
            raise InputError([Problem("", f"--against {text}", "", text, "cvar without a material")])
        return kind, None
    materials = list(dataset["Materials"]["material"])
    if material not in materials:
        raise InputError([Problem("Materials", f"--against {text}", "material", material or "(none)",
                                  f"{kind}[MATERIAL] with a material of the workbook: " + ", ".join(materials))])
    if material not in _suppliable(dataset):
        raise InputError([Problem("Materials", f"--against {text}", "material", material,
                                  f"a material some offer or facility supplies ({material} has none: no plan "
                                  "supplies it, so there is nothing to trade off)")])
    return kind, material


def _suppliable(dataset: Dataset) -> set[str]:
    """Materials that an offer (Offers) or a domestic facility (Facilities) can supply."""
    found: set[str] = set()
    for sheet in ("Offers", "Facilities"):
        table = dataset.tables.get(sheet)
        if table is not None and "material" in table.columns:
            found |= set(table["material"].astype(str))
    return found


def run_frontier(workbook: Workbook, kind: str, material: str | None, points: int, workers: int = 1,
                 scheduler: str | None = None, keep_tables: bool = False) -> list[PointResult]:
    """The extremes and ``points`` points between them, in order from the cheapest plan."""
    [(extremes, guards)] = run_tasks(solve_frontier, [FrontierTask(workbook, kind, material,
                                                                    keep_tables=keep_tables)], 1, scheduler)
    cheapest, best = extremes
    if guards is None or not best.has_plan or cheapest.values["measure"] is None or best.values["measure"] is None:
        return [r for r in extremes if r.has_plan]
    lo, hi = cheapest.values["measure"], best.values["measure"]
    epsilons = [(k, lo + (hi - lo) * k / (points + 1)) for k in range(1, points + 1)] if abs(hi - lo) > 1e-12 \
        else []
    tasks = [FrontierTask(workbook, kind, material, guards, tuple(run), keep_tables)
             for run in chunks(epsilons, workers)] if epsilons else []
    middle = [r for batch in run_tasks(solve_frontier, tasks, workers, scheduler) for r in batch] if tasks else []
    best.index = points + 1
    return [cheapest] + middle + [best]


def table(results: list[PointResult], kind: str, material: str | None, lower_is_better: bool) -> pd.DataFrame:
    """The frontier: one row per non-dominated point, from the cheapest; the knee marked."""
    name = f"{kind}[{material}]" if material else kind
    rows = [{"point": r.index, "held_to": r.values.get("held_to"), name: r.values["measure"], "status": r.status,
             "objective": r.objective, "best_bound": r.bound, "gap": r.gap} | {f"cost.{k}": v for k, v in r.costs.items()}
            for r in results if r.has_plan and r.values.get("measure") is not None]
    frame = pd.DataFrame(rows)
    if not len(frame):
        return frame
    kept = nondominated(frame[name].tolist(), frame["objective"].tolist(), lower_is_better)
    frame["dominated"] = [i not in kept for i in range(len(frame))]
    frame = frame[~frame["dominated"]].drop(columns="dominated").reset_index(drop=True)
    frame["knee"] = False
    knee = knee_index(frame[name].tolist(), frame["objective"].tolist())
    if knee is not None:
        frame.loc[knee, "knee"] = True
    return frame


def nondominated(measure: list[float], cost: list[float], lower_is_better: bool) -> set[int]:
    """Indices of the points no other point dominates (cost no higher and measure no worse,
    one of them strictly; equal points keep the first)."""
    sign = 1.0 if lower_is_better else -1.0
    tol = 1e-9
    kept = set()
    for i, (mi, ci) in enumerate(zip(measure, cost)):
        dominated = False
        for j, (mj, cj) in enumerate(zip(measure, cost)):
            if i == j:
                continue
            better_or_equal = sign * mj <= sign * mi + tol * max(1.0, abs(mi)) and cj <= ci + tol * max(1.0, abs(ci))
            strictly = sign * mj < sign * mi - tol * max(1.0, abs(mi)) or cj < ci - tol * max(1.0, abs(ci))
            if better_or_equal and (strictly or j < i):
                dominated = True
                break
        if not dominated:
            kept.add(i)
    return kept


def knee_index(measure: list[float], cost: list[float]) -> int | None:
    """The point farthest from the line between the first and last points (axes scaled 0..1)."""
    if len(measure) < 3:
        return None
    m0, m1, c0, c1 = measure[0], measure[-1], cost[0], cost[-1]
    if m1 == m0 or c1 == c0:
        return None
    xs = [(m - m0) / (m1 - m0) for m in measure]
    ys = [(c - c0) / (c1 - c0) for c in cost]
    # distance from the diagonal x = y, on the side below it (a bend toward cheap improvements)
    dist = [x - y for x, y in zip(xs, ys)]
    k = max(range(1, len(measure) - 1), key=lambda i: dist[i])
    return k if dist[k] > 1e-9 else None
