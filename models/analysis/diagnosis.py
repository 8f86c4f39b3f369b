"""Explain an infeasible model: which policies and limits conflict, and the smallest
relaxation that admits a plan (SPEC §3).

An elastic re-solve. Every group of rows that one input value sets (:mod:`models.analysis.groups`:
a policy target for one material, year and scenario; an offer or supplier capacity in one
scenario and year; a financing limit; a facility's max_modules) gets one slack ``e >= 0``
that loosens all its rows (and the variable bounds it sets) at once. Integrality is kept.
Two MIPs are solved on that model, each minimising a weighted sum of slacks:

1. **targets**: only the policy slacks are free, each weighted so that its cost is the
   violation in the units of the value as written (a share: slack / demand or supply; a
   count: slack / target). The groups with a positive slack are the policy conflicts and,
   together, the smallest relaxation of the targets: relaxing each to the value the
   elastic plan reaches (``reachable``) admits that plan.
2. **limits**: the limit slacks are free, weighted by 1 / the limit as written (a relative
   increase), the policy slacks cost 1,000 times more, so targets are kept wherever some
   limit can be raised instead. The limits with a positive slack are the limit conflicts,
   with the limit the plan needs (``reachable``); targets still relaxed here cannot be met
   by raising any limit.

``reachable`` is read from the elastic plan (:func:`models.analysis.groups.achieved`), so it is a
value that plan realises: for a minimum the most reached, for a cap the least needed, for
a limit what the plan uses. Demand itself and the physics (stock balance, lead times,
recipes) are never relaxed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from planner.schema.dataset import Dataset

from models.analysis import groups as G
from models.build import build_model
from models.params.data import build_data
from models.outcome import SolveOptions
from models.highs.options import SolverOptions
from models.highs.session import HighsSession
from models.pipeline import Pipeline

#: Relative cost of relaxing a target in the limits pass (targets kept wherever a limit can move).
TARGET_PENALTY = 1000.0
#: A slack counts as a conflict above this (in weighted units: share, count or relative limit).
TOL = 1e-6
CONFLICT_COLUMNS = ("kind", "column", "subject", "material", "year", "scenario", "excel_row", "target",
                    "reachable", "message")


@dataclass(frozen=True)
class Conflict:
    """A policy target or limit that has to move for a plan to exist.

    ``target`` is the value as written; ``reachable`` the value the smallest relaxation
    found reaches (policies: the share, average or count reachable; limits: the capacity or
    limit the plan needs), in the same units.
    """

    kind: str  # "policy", "capacity", "financing" or "max_modules"
    column: str  # Policies column, or the limit as Sheet.column
    material: str
    year: int | None
    scenario: str | None
    excel_row: int | None
    target: float
    reachable: float
    message: str
    subject: str = ""  # supplier / offer / facility / source of a limit


@dataclass
class Diagnosis:
    #: Policy conflicts (the targets pass), then limit conflicts (the limits pass).
    conflicts: list[Conflict] = field(default_factory=list)
    #: Labels of targets that no limit in the input can make up for (the limits pass).
    targets_only: list[str] = field(default_factory=list)
    #: Both passes solved to optimality (else a relaxation, maybe not the smallest).
    proven: bool = True
    message: str = ""
    seconds: float = 0.0

    @property
    def feasible(self) -> bool:
        """No conflict found (with ``proven``: the model admits a plan with every target and limit)."""
        return not self.conflicts

    @property
    def policies(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.kind == "policy"]

    @property
    def limits(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.kind != "policy"]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{k: getattr(c, k) for k in CONFLICT_COLUMNS} for c in self.conflicts],
                            columns=list(CONFLICT_COLUMNS))


def diagnose(dataset: Dataset, options: SolveOptions | None = None) -> Diagnosis:
    """Find the conflicting policies and limits of ``dataset`` and the smallest relaxations."""
    tick = time.perf_counter()
    options = options or SolveOptions()
    m = build_model(build_data(dataset))
    policy = G.policy_groups(m)
    limits = G.limit_groups(m)
    slack = _make_elastic(m, policy + limits)
    weight = {id(g): _weight(m, g) for g in policy + limits}
    # no LP start (the elastic model was never given one)
    solver = SolverOptions.of(dataset.settings, options).replace(mip_gap=1e-6, mip_abs_gap=1e-7, lp_start=False)
    out = Diagnosis()

    def relaxed(terms: list[tuple[float, G.Group]]) -> list[G.Group] | None:
        """Minimise the weighted slacks ``terms`` (the other slacks fixed at 0); the groups relaxed."""
        free = {id(g) for _w, g in terms}
        for g in policy + limits:
            if id(g) in free:
                slack[id(g)].unfix()
            else:
                slack[id(g)].fix(0.0)
        m.elastic_objective.set_value(sum(w * slack[id(g)] for w, g in terms) if terms else 0.0)
        session = HighsSession(m)  # handed over again: the objective and the free slacks changed
        run = Pipeline(session, options).run(solver)
        out.proven &= run.termination.name == "convergenceCriteriaSatisfied"
        if not run.has_solution:
            return None
        return [g for _w, g in terms if (slack[id(g)].value or 0.0) * weight[id(g)] > TOL]

    # pass 1, targets: only the policy slacks are free
    groups = relaxed([(weight[id(g)], g) for g in policy])
    if groups is None:
        out.seconds = time.perf_counter() - tick
        out.message = ("The diagnosis found no relaxation within the time limit: raise --time-limit or "
                       "the Settings time_limit_s.")
        return out
    out.conflicts += [c for c in map(partial(_conflict, m), groups) if c is not None]
    # pass 2, limits: limits first, targets only where no limit can make up for them
    if limits and out.conflicts:
        groups = relaxed([(weight[id(g)], g) for g in limits]
                         + [(TARGET_PENALTY * weight[id(g)], g) for g in policy]) or []
        out.conflicts += [c for c in (_conflict(m, g) for g in groups if g.kind != "policy") if c is not None]
        out.targets_only = [g.label for g in groups if g.kind == "policy"]
    out.seconds = time.perf_counter() - tick
    out.message = summary(out)
    return out


# ---- the elastic model -------------------------------------------------------------------------

def _make_elastic(m, groups: list[G.Group]) -> dict[int, Any]:
    """One slack per group, loosening its rows, big-M links and bounds; a new objective."""
    if hasattr(m, "module_floor"):  # implied by the domestic-share targets as written: not once they relax
        m.module_floor.deactivate()
    m.elastic_slack = pyo.Var(range(len(groups)), bounds=(0, None))
    m.elastic_bound = pyo.ConstraintList()
    out = {}
    for k, g in enumerate(groups):
        e = m.elastic_slack[k]
        out[id(g)] = e
        for con in g.rows + [link for link, _f, _b in g.links]:
            if con.upper is not None:
                con.set_value((con.lower, con.body - e, con.upper))
            else:
                con.set_value((con.lower, con.body + e, con.upper))
        for var in g.uppers:
            ub = var.ub
            if ub is not None:
                var.setub(None)
                m.elastic_bound.add(var - e <= ub)
    m.obj.deactivate()
    m.elastic_objective = pyo.Objective(expr=0.0, sense=pyo.minimize)
    return out


def _weight(m, g: G.Group) -> float:
    """Cost of one unit of slack: the violation in the units of the value as written (policies),
    or relative to the limit as written (limits)."""
    if g.kind != "policy":
        return 1.0 / max(g.scale, 1e-9)
    count = g.target.basis == "count"
    if all(con.body is m.never for con in g.rows):  # nothing can act on it: slack 1 means the whole target
        return abs(g.value) if not count else 1.0
    if count:
        return 1.0 / max(g.value, 1.0)
    return 1.0 / g.scale


# ---- planners' words ---------------------------------------------------------------------------

def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _where(g: G.Group) -> str:
    """Where the value was written: `` (Policies row 7)``."""
    if not g.excel_row:
        return ""
    sheet = "Policies" if g.kind == "policy" else g.column.split(".")[0]
    return f" ({sheet} row {g.excel_row})"


def _conflict(m, g: G.Group) -> Conflict | None:
    reach = G.achieved(m, g)
    if reach is None or (isinstance(reach, float) and math.isnan(reach)):
        reach = 0.0
    if g.kind == "policy" and g.target.basis != "count":
        # numerical noise: the elastic plan meets the target after all
        if (g.tightening_lowers and reach <= g.value + 1e-9) or (not g.tightening_lowers and reach >= g.value - 1e-9):
            return None
    if g.kind != "policy" and reach <= g.value * (1 + 1e-9):
        return None
    return Conflict(g.kind, g.column, g.material, g.year, g.scenario, g.excel_row, g.value, reach,
                    _message(m, g, reach), g.subject)


def _message(m, g: G.Group, reach: float) -> str:
    what = g.label + _where(g)
    target, r = _fmt(g.value), _fmt(reach)
    if g.kind == "policy":
        if g.target.family == "domestic_share" and not m.ix.producers_of.get((g.material, g.year)):
            return (f"{what} cannot be met: no domestic facility can produce {g.material} in {g.year} "
                    f"(existing modules, or builds after their lead time); the target is {target}.")
        return g.target.unmet.format(what=what, reach=r, target=target)
    if g.kind == "capacity":
        return f"{what}: the plan needs {r} per year; the limit is {target}."
    if g.kind == "max_modules":
        return f"{what}: the plan needs {r} modules; the limit is {target}."
    return f"{what}: the plan needs {r}; the limit is {target}."


def summary(d: Diagnosis) -> str:
    """The diagnosis as a few lines for the terminal."""
    if d.feasible:
        return "No conflicting policy or limit found: every target and limit can be met together."
    lines = []
    if d.policies:
        lines.append("These policy targets conflict with the limits; the smallest relaxation of the targets:")
        lines += [f"  - {c.message}" for c in d.policies]
    if d.limits:
        lines.append("Or keep the targets and raise these limits:")
        lines += [f"  - {c.message}" for c in d.limits]
        if d.targets_only:
            lines.append("  (no limit in the input makes up for: " + "; ".join(d.targets_only) + ")")
    elif d.policies:
        lines.append("No capacity, financing or max_modules limit in the input can make up for them.")
    if not d.proven:
        lines.append("(The search stopped at its time limit: this relaxation works but may not be the smallest.)")
    return "\n".join(lines)
