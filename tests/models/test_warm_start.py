"""Solving from a saved plan's decisions (models.warm.start) and the stable re-plan
(models.warm.stable). Every optimum and count is argued by hand in the test's comment; the
cost of the saved decisions in a variant is also recomputed by the plan audit
(planner.plans.audit), which does not use models/.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from model_builders import country, dataset, demand, material, offer, solve, supplier

from models import solve_dataset
from models.outcome import SolveOptions, Status
from models.warm.decisions import Decisions
from models.warm.stable import objective_cap
from planner.io.plan import write_plan
from planner.plans.check import audit_plan
from planner.plans.decisions import plan_decisions
from planner.plans.saved_plan import read_plan

# ---------------------------------------------------------------- three suppliers, one country cap


def _three(b_cost: float = 12.0, without_c: bool = False, a_min_order: float | None = None):
    """Demand 100 of M in 2025, no shortage allowed, at most 60 % from any one country, so two
    suppliers are needed. A (country X) at 10, qualification 50; B (Y) at ``b_cost``,
    qualification 40; C (Z) at 11, qualification 30. With B at 12 the optimum is A 60 + C 40:
    600 + 440 + 50 + 30 = 1120 (A 60 + B 40: 1170; C 60 + A 40: 1140)."""
    suppliers = [supplier("A", "X", qualification_cost=50), supplier("B", "Y", qualification_cost=40)]
    offers = [offer("A", "M", 10, **({} if a_min_order is None else {"min_order": a_min_order})),
              offer("B", "M", b_cost)]
    if not without_c:
        suppliers.append(supplier("C", "Z", qualification_cost=30))
        offers.append(offer("C", "M", 11))
    return dataset(Countries=[country("IN"), country("X"), country("Y"), country("Z")], Suppliers=suppliers,
                   Offers=offers, Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "M", "max_country_share": 0.6, "max_shortage_share": 0.0}])


@pytest.fixture(scope="module")
def base_plan(tmp_path_factory) -> Path:
    base = _three()
    out = solve(base)
    assert out.objective == pytest.approx(1120)
    return write_plan(tmp_path_factory.mktemp("warm") / "base.xlsx", out, base, charts=False)


@pytest.fixture(scope="module")
def base_decisions(base_plan) -> Decisions:
    d = plan_decisions(read_plan(base_plan))
    # contracts A/M, C/M; qualifications A, C; purchases A 60, C 40
    assert d.contracts == {("A", "M"), ("C", "M")} and d.qualified == {"A", "C"}
    assert d.purchases == {("base", 2025, "A", "M"): 60.0, ("base", 2025, "C", "M"): 40.0}
    assert d.count() == 6
    return d


def _from(ds, decisions: Decisions, **options):
    return solve_dataset(ds, SolveOptions(start=decisions, marginals=False, **options))


def test_a_start_that_still_fits_is_used_whole_and_never_beaten_by_a_worse_plan(base_decisions):
    # B now at 9: the saved decisions (A 60 + C 40) still fit and cost 1120 here; the optimum is
    # B 60 + A 40: 540 + 400 + 40 + 50 = 1030 (B 60 + C 40: 1050; A 60 + B 40: 1050).
    out = _from(_three(b_cost=9.0), base_decisions)
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(1030)
    s = out.start
    assert s["start.cost_as_saved"] == pytest.approx(1120)
    assert s["start.cost_in_this_model"] == pytest.approx(1120)  # the LP of the rest keeps A 60 + C 40
    assert (s["start.decisions_used"], s["start.decisions_dropped"], s["start.decisions_repaired"]) == (6, 0, 0)
    assert s["start.completed_by"] == "every decision as saved"


def test_never_worse_than_the_saved_decisions_even_when_the_mip_may_stop_early(tmp_path, base_plan, base_decisions):
    # mip_gap 0.5: HiGHS may stop at any plan within 50 % of its bound, e.g. A 60 + B 40 at
    # 1170, worse than the saved decisions; from the start it must end at <= their cost here.
    variant = _three(b_cost=9.0)
    out = _from(variant, base_decisions, mip_gap=0.5)
    assert out.status.has_plan
    # the cost of the saved decisions in the variant, recomputed by the audit (no models/):
    # the base plan's decisions written with the variant's inputs
    base = read_plan(base_plan)
    from models.outcome import SolveOutcome
    as_variant = write_plan(tmp_path / "as-variant.xlsx",
                            SolveOutcome(Status.OPTIMAL, objective=0.0, tables=base.tables), variant, charts=False)
    audit = audit_plan(read_plan(as_variant))
    assert [f for f in audit.findings if f.check not in ("cost", "objective", "reported figure")] == []
    assert audit.recomputation.objective == pytest.approx(1120)
    assert out.objective <= audit.recomputation.objective + 1e-6
    assert out.start["start.cost_as_saved"] == pytest.approx(audit.recomputation.objective)


def test_a_removed_offer_drops_its_decisions_and_the_rest_is_repaired(base_decisions):
    # C is gone: its contract, qualification and purchase are dropped (3). A alone may give
    # at most 60 % of supply and no shortage is allowed, so the kept integers (A qualified,
    # B not) are infeasible: the repair keeps A and qualifies B (an integer added), giving
    # A 60 + B 40 = 1170, which is also the optimum. A's contract (no yes/no decision in
    # this model), qualification and purchase of 60 are used as saved.
    out = _from(_three(without_c=True), base_decisions)
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(1170)
    s = out.start
    assert (s["start.decisions_used"], s["start.decisions_dropped"], s["start.decisions_repaired"]) == (3, 3, 0)
    assert s["start.integers_added_by_repair"] == 1
    assert s["start.cost_as_saved"] is None and s["start.cost_in_this_model"] == pytest.approx(1170)
    assert s["start.completed_by"].startswith("integer decisions raised")
    assert "contract C/M: no such offer" in s["start.notes"]


def _plant(**sheets):
    """Demand 10 of M in 2025; imports from A at 50, or one module of F (10 a year, capex 100,
    lifetime 1 year so all of it is charged, no lead time, unit cost 1): 110."""
    return dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                   Offers=[offer("A", "M", 50)], Demand=[demand("M", 2025, 10)],
                   Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 10,
                                "max_modules": 1, "capex_per_module": 100, "unit_cost": 1, "build_years": 0,
                                "lifetime_years": 1}], **sheets)


def test_an_infeasible_start_is_dropped_and_still_gives_the_plan():
    # the saved plan built F; now the only financing source may lend 50 of the 100 a module
    # costs, so no module can be built: neither the saved build nor any plan with at least it
    # is feasible, the start is dropped and the plan is the imports, 10 x 50 = 500
    plan = Decisions(name="built", builds={("F", 2025): 1.0}, production={("base", 2025, "F"): 10.0})
    out = _from(_plant(Financing=[{"source": "B", "kind": "budget", "limit": 50}]), plan)
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(500)
    s = out.start
    assert (s["start.decisions_used"], s["start.decisions_dropped"], s["start.decisions_repaired"]) == (0, 2, 0)
    assert s["start.cost_in_this_model"] is None and s["start.completed_by"].startswith("no start")


def test_a_decision_outside_its_bounds_is_moved_into_them():
    # a plan with 3 modules of F where the model allows 1: repaired to 1 (110); a build in
    # 2040, outside the one-year horizon: dropped
    out = _from(_plant(), Decisions(name="by hand", builds={("F", 2025): 3.0, ("F", 2040): 1.0}))
    assert out.objective == pytest.approx(110)
    s = out.start
    assert (s["start.decisions_used"], s["start.decisions_dropped"], s["start.decisions_repaired"]) == (0, 1, 1)
    assert "build F 2025: 3 -> 1" in s["start.notes"] and "build F 2040: no build may start" in s["start.notes"]


def test_a_plan_without_recourse_starts_each_scenarios_own_builds_at_the_shared_ones():
    # with recourse_builds, "ban" (price x2 from 2025) decides its own builds from 2025; a plan
    # solved without recourse built F once for both: started so in "ban" too, every decision
    # is used as saved and costs 110 (started at 0 instead, ban's production of 10 would be
    # cut to 0 and its demand bought at 100: 0.5 x 110 + 0.5 x (1000 + 0) = 555)
    ds = _plant(Scenarios=[{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}],
                Disruptions=[{"scenario": "ban", "country": "X", "from_year": 2025, "price_factor": 2}])
    ds = dataclasses.replace(ds, settings=ds.settings | {"recourse_builds": True})
    plan = Decisions(name="shared", builds={("F", 2025): 1.0},
                     production={("base", 2025, "F"): 10.0, ("ban", 2025, "F"): 10.0})
    out = _from(ds, plan)
    assert out.objective == pytest.approx(110)
    s = out.start
    assert (s["start.decisions_used"], s["start.decisions_repaired"]) == (3, 0)
    assert s["start.completed_by"] == "every decision as saved"
    assert s["start.cost_in_this_model"] == pytest.approx(110)


# ---------------------------------------------------------------- the stable re-plan


def _tie_and_forced():
    """Two independent parts, 2025-2027, no discounting.

    Tie: material M, demand 10 in 2027 only; refinery R (10 a module, capex 100, lifetime 1
    year, build_years 1, unit cost 1) or imports at 50. A module started in 2025 or in 2026
    produces in 2027 and costs 100 either way (its lifetime share is capped at 1): 110.
    Forced: material N, demand 10 in 2025; P offers it at 20, Q at 12, each with a contract
    cost of 1: Q, 121. The optimum, 231, takes R in either year."""
    return dataset(
        {"years": 3},
        Materials=[material("M"), material("N")],
        Countries=[country("IN"), country("X")],
        Suppliers=[supplier("A", "X"), supplier("P", "X"), supplier("Q", "X")],
        Offers=[offer("A", "M", 50), offer("P", "N", 20, contract_cost=1), offer("Q", "N", 12, contract_cost=1)],
        Demand=[demand("M", 2027, 10), demand("N", 2025, 10)],
        Facilities=[{"facility": "R", "kind": "refinery", "material": "M", "module_capacity": 10,
                     "max_modules": 2, "capex_per_module": 100, "unit_cost": 1, "build_years": 1,
                     "lifetime_years": 1}],
    )


def _start(year: int) -> Decisions:
    """A base plan in which P was the cheaper offer: R started in ``year``, P contracted."""
    return Decisions(name=f"base-{year}", contracts={("P", "N")}, qualified={"P"}, builds={("R", year): 1.0},
                     purchases={("base", 2025, "P", "N"): 10.0}, production={("base", 2027, "R"): 10.0})


def _started(out) -> dict[int, float]:
    b = out.tables["Builds"]
    b = b[b["modules_started"] > 0]
    return dict(zip(b["year"], b["modules_started"]))


@pytest.mark.parametrize("year", [2025, 2026])
def test_stable_keeps_the_start_on_a_tie_and_makes_the_forced_change(year):
    # From scratch the solver may start R in 2025 or 2026 (a tie). From a start with R in
    # ``year`` and P contracted, --stable must keep R in ``year`` (its choice, not the
    # solver's) and still make the change the variant forces: Q instead of P (2 changes
    # against the start: z_P 1 -> 0, z_Q 0 -> 1). Both start years are tried, so whichever
    # year the solver prefers, one case has the first solve break the tie the other way.
    out = _from(_tie_and_forced(), _start(year), stable=True, mip_gap=0.0)
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(231)
    assert _started(out) == {year: 1}
    contracts = set(zip(out.tables["Contracts"]["supplier"], out.tables["Contracts"]["material"]))
    assert contracts == {("Q", "N")}
    s = out.start
    assert s["stable.changes_after"] == 2 and s["stable.fewest_changes_proven"] is True
    assert s["stable.changes_least_possible"] == 2
    assert s["stable.changes_before"] >= 2


def test_without_stable_the_tie_is_the_solvers_and_stable_then_reverts_it():
    # the year the solver takes from scratch, y; a start in the other year: the first solve
    # may move R to y (the start costs 311 here, the MIP improves on it); --stable keeps the
    # start's year whatever the first solve did
    y = next(iter(_started(solve(_tie_and_forced()))))
    other = 2025 if y == 2026 else 2026
    out = _from(_tie_and_forced(), _start(other), stable=True, mip_gap=0.0)
    assert _started(out) == {other: 1} and out.objective == pytest.approx(231)


def test_objective_cap_is_the_largest_cost_within_the_gap():
    # bound 1000, mip_gap 1 %: C = 1000 / (1 - 0.999 * 0.01) (relative gap (C - L) / C just under
    # 1 %); never below the first plan's cost; a negative bound: L / (1 + g')
    g = 0.999 * 0.01
    assert objective_cap(1001.0, 1000.0, 0.01) == pytest.approx(1000.0 / (1 - g))
    assert (objective_cap(1001.0, 1000.0, 0.01) - 1000.0) / objective_cap(1001.0, 1000.0, 0.01) < 0.01
    assert objective_cap(1200.0, 1000.0, 0.01) == 1200.0
    assert objective_cap(-995.0, -1000.0, 0.01) == pytest.approx(-1000.0 / (1 + g))
    assert objective_cap(5.0, None, 0.01) == 5.0
