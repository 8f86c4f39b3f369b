"""``trust-planner alternatives``: near-optimal plans unlike the optimum and each other
(:mod:`models.analysis.alternatives`), and how each differs from the optimum.

The differences are measured on the plans' own tables (a second reading, independent of the
model's variables):

- builds: modules started per facility; the change is the sum over facilities of the
  absolute difference in modules;
- contracts: the contracted (supplier, material) offers added and removed;
- country mix: per material, the expected supply shares by source (each foreign country,
  and "(domestic)" for home suppliers and production); the distance is half the sum of
  absolute share differences (0 = the same mix, 1 = no source in common), averaged over the
  materials supplied in either plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.io.charts import DOMESTIC, expected_supply, expected_totals, supply_by_origin
from planner.schema.dataset import Dataset
from planner.whatif.parallel import run_tasks
from planner.whatif.tasks import AlternativesTask, PointResult, Workbook, solve_alternatives


@dataclass(frozen=True)
class Signature:
    """What a plan decides, as the differences compare it."""

    modules: dict[str, float]  # facility -> modules started
    contracts: frozenset[tuple[str, str]]
    mix: dict[str, dict[str, float]]  # material -> source -> share of expected supply


def signature(tables: dict[str, pd.DataFrame], dataset: Dataset) -> Signature:
    # expected over scenarios where builds differ by scenario (Settings recourse_builds)
    modules = expected_totals(tables["Builds"], dataset, ["facility"], "modules_started")
    contracts = frozenset(zip(tables["Contracts"]["supplier"], tables["Contracts"]["material"]))
    home = str(dataset.settings["home_country"])
    flows = expected_supply(supply_by_origin(tables, dataset), dataset)
    flows["origin"] = flows["origin"].where(flows["origin"] != home, DOMESTIC)  # home suppliers count as domestic
    amounts = flows.groupby(["material", "origin"])["quantity"].sum()
    mix: dict[str, dict[str, float]] = {}
    for material, group in amounts.groupby(level="material"):
        total = float(group.sum())
        if total > 0:
            mix[material] = {source: float(v) / total for (_m, source), v in group.items() if v > 0}
    return Signature({f: float(n) for f, n in modules.items() if n > 0}, contracts, mix)


def mix_distance(a: Signature, b: Signature) -> float:
    """Half the L1 distance between the supply shares, averaged over materials (0..1)."""
    materials = sorted(set(a.mix) | set(b.mix))
    if not materials:
        return 0.0
    total = 0.0
    for i in materials:
        x, y = a.mix.get(i, {}), b.mix.get(i, {})
        total += 0.5 * sum(abs(x.get(c, 0.0) - y.get(c, 0.0)) for c in set(x) | set(y))
    return total / len(materials)


def module_change(a: Signature, b: Signature) -> float:
    return sum(abs(a.modules.get(f, 0.0) - b.modules.get(f, 0.0)) for f in set(a.modules) | set(b.modules))


def differs(a: Signature, b: Signature, tol: float = 1e-3) -> bool:
    """True when two plans differ in builds, contracts or (by more than ``tol``) country mix."""
    return module_change(a, b) > 0.5 or a.contracts != b.contracts or mix_distance(a, b) > tol


def run_alternatives(workbook: Workbook, within: float, count: int, scheduler: str | None = None
                     ) -> list[PointResult]:
    """The optimum, then up to ``count`` alternatives (one task: a chain, each needs the ones before)."""
    [results] = run_tasks(solve_alternatives, [AlternativesTask(workbook, within, count)], 1, scheduler)
    return results


def table(results: list[PointResult], dataset: Dataset) -> pd.DataFrame:
    """How each plan differs from the optimum (the first row is the optimum itself)."""
    plans = [r for r in results if r.has_plan]
    if not plans:
        return pd.DataFrame()
    sigs = [signature(r.tables, dataset) for r in plans]
    base, best = sigs[0], plans[0].objective
    rows = []
    for k, (r, sig) in enumerate(zip(plans, sigs)):
        added = sorted(sig.contracts - base.contracts)
        removed = sorted(base.contracts - sig.contracts)
        changed = {f: sig.modules.get(f, 0.0) - base.modules.get(f, 0.0)
                   for f in sorted(set(sig.modules) | set(base.modules))}
        earlier = [mix_distance(sig, other) for other in sigs[:k]]
        rows.append({
            "plan": "optimum" if k == 0 else f"alternative {k}",
            "objective": r.objective,
            "above_optimum": (r.objective - best) / abs(best) if best else 0.0,
            "modules_changed": module_change(sig, base),
            "builds": ", ".join(f"{f} {d:+g}" for f, d in changed.items() if abs(d) > 0.5),
            "contracts_added": len(added),
            "contracts_removed": len(removed),
            "contracts": "; ".join([f"+{u}/{m}" for u, m in added] + [f"-{u}/{m}" for u, m in removed]),
            "country_mix_distance": mix_distance(sig, base),
            "least_mix_distance_to_earlier": min(earlier) if earlier else None,
            "status": r.status,
        })
    return pd.DataFrame(rows)
