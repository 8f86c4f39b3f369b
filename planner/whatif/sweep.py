"""``trust-planner sweep``: the Cartesian grid of ``--vary`` values, each point solved.

``--vary 'TARGET=START:STOP:STEP'`` (STOP included) or ``--vary 'TARGET=v1,v2,...'`` (values
may be quoted), with TARGET in the override syntax (:mod:`planner.io.reading.overrides`,
e.g. ``Policies[material=NDPR].max_country_share``). Each grid point is the workbook with the
``--set`` overrides, then one override per axis. Points are split into consecutive runs, one
per worker; a worker solves its run on one persistent model, each point from its neighbour's
plan (:class:`models.analysis.resolve.Resolver`: changed rows and costs pushed in place, the
model rebuilt only when the change adds or removes variables).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pandas as pd

from planner.io.reading.overrides import Override, OverrideError, parse, split_values
from planner.schema.dataset import Dataset
from planner.schema.problems import InputError, Problem
from planner.whatif.parallel import run_tasks
from planner.whatif.tasks import PointResult, SweepTask, Workbook, solve_sweep

#: Most grid points a sweep accepts (a typo in a step should not start a million solves).
MAX_POINTS = 10_000


@dataclass(frozen=True)
class Axis:
    """One ``--vary``: the target and the values it takes, as text."""

    target: Override
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.target.target


def parse_vary(text: str) -> Axis:
    """``TARGET=START:STOP:STEP`` or ``TARGET=v1,v2,...``; raises InputError naming the text."""
    try:
        target = parse(text)
    except OverrideError as exc:
        raise InputError([_relabel(exc.problem, text)]) from None
    if target.adds_row:
        raise InputError([_problem(text, "TARGET=VALUES with a target that sets a column, not SHEET+[...]")])
    spec = _raw_value(text)
    values = _range(spec, text) if ":" in spec and not spec.lstrip().startswith(("'", '"')) else _list(spec, text)
    if not values:
        raise InputError([_problem(text, "at least one value after '='")])
    return Axis(target, tuple(values))


def grid(axes: list[Axis]) -> list[tuple[str, ...]]:
    """Every point's overrides: the Cartesian product of the axes (the last axis fastest)."""
    size = math.prod(len(a.values) for a in axes)
    if size > MAX_POINTS:
        raise InputError([_problem(" ".join(a.name for a in axes), f"at most {MAX_POINTS:,} grid points "
                                   f"(these axes give {size:,})")])
    return [tuple(a.target.with_value(v).text for a, v in zip(axes, combo))
            for combo in itertools.product(*(a.values for a in axes))]


def chunks(points: list, parts: int) -> list[list]:
    """``points`` cut into at most ``parts`` consecutive runs of near-equal length."""
    parts = max(1, min(parts, len(points)))
    size, extra = divmod(len(points), parts)
    out, start = [], 0
    for k in range(parts):
        end = start + size + (1 if k < extra else 0)
        out.append(points[start:end])
        start = end
    return out


def run_sweep(workbook: Workbook, axes: list[Axis], base: Dataset, workers: int = 1, scheduler: str | None = None,
              keep_tables: bool = False) -> list[PointResult]:
    """Solve every grid point; results in grid order."""
    points = list(enumerate(grid(axes)))
    materials = concerned_materials(axes, base)
    marginals = tuple((a.target.column, a.target.where) for a in axes if a.target.sheet == "Policies")
    # as many runs of consecutive points as workers (on a cluster too: --workers says how many tasks)
    tasks = [SweepTask(workbook, tuple(run), materials, marginals, keep_tables) for run in chunks(points, workers)]
    return [r for batch in run_tasks(solve_sweep, tasks, workers, scheduler) for r in batch]


def concerned_materials(axes: list[Axis], base: Dataset) -> tuple[str, ...]:
    """Materials the targets name: by a material column, or through the supplier, offer or
    facility they select."""
    found: list[str] = []
    for axis in axes:
        where = dict(axis.target.where)
        sheet = axis.target.sheet
        if where.get("material") not in (None, "*"):
            found.append(str(where["material"]))
        elif sheet in ("Offers", "Suppliers") and "supplier" in where:
            offers = base["Offers"]
            found += list(offers.loc[offers["supplier"] == where["supplier"], "material"])
        elif sheet == "Facilities" and "facility" in where:
            fac = base["Facilities"]
            found += list(fac.loc[fac["facility"] == where["facility"], "material"])
    return tuple(dict.fromkeys(found))


def table(axes: list[Axis], results: list[PointResult]) -> pd.DataFrame:
    """One row per point: the values varied, status, objective, bound, gap, each cost component,
    the measures of the materials concerned, the marginal values of varied policy targets."""
    rows = []
    for r in results:
        row: dict = {"point": r.index + 1}
        for axis, text in zip(axes, r.overrides):
            row[axis.name] = _number(text[len(axis.name) + 1:])
        row |= {"status": r.status, "objective": r.objective, "best_bound": r.bound, "gap": r.gap}
        row |= {f"cost.{k}": v for k, v in r.costs.items()}
        row |= r.values
        row |= {"solve_seconds": round(r.seconds, 3), "cpu_seconds": round(r.cpu_seconds, 3), "model": r.mode}
        rows.append(row)
    return pd.DataFrame(rows)


# ---- parsing helpers ------------------------------------------------------------------------------


def _raw_value(text: str) -> str:
    """The text after the target's '=' (the override parser unquotes it; a list needs it raw)."""
    return text[len(parse(text).target) + 1:].strip()


def _range(spec: str, text: str) -> list[str]:
    parts = [p.strip() for p in spec.split(":")]
    try:
        start, stop, step = (float(p) for p in parts)
    except ValueError:
        raise InputError([_problem(text, "START:STOP:STEP, three numbers (e.g. 0.3:0.6:0.1)")]) from None
    if step <= 0 or stop < start:
        raise InputError([_problem(text, "a positive STEP and STOP >= START")])
    count = int(math.floor((stop - start) / step + 1e-9)) + 1
    if count > MAX_POINTS:
        raise InputError([_problem(text, f"at most {MAX_POINTS:,} values")])
    whole = all(float(p).is_integer() for p in parts)
    return [str(int(round(start + k * step))) if whole else f"{start + k * step:.12g}" for k in range(count)]


def _list(spec: str, text: str) -> list[str]:
    try:
        return split_values(spec)
    except OverrideError:
        raise InputError([_problem(text, "values separated by commas (quote a value holding one)")]) from None


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def _problem(text: str, expected: str) -> Problem:
    return Problem("", f"--vary {text}", "", text, expected)


def _relabel(problem: Problem, text: str) -> Problem:
    return Problem(problem.sheet, f"--vary {text}", problem.column, problem.value,
                   problem.expected.replace("an override reads", "a target reads"))
