"""The audit (planner.plans.check) on hand-made plans: it accepts a consistent plan with figures
derived by hand, and names each constraint a tampered plan breaks."""

import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from planner.plans.check import audit_plan, check_plan, cvar
from planner.schema.dataset import Source, from_records
from planner.plans.saved_plan import read_plan

from .cases import (HAND_COST_BAN, HAND_COST_BASE, HAND_COSTS, HAND_OBJECTIVE, delete_row, edit_cell, edit_cells,
                    rich_records, write_hand_plan)


@pytest.fixture(scope="module")
def hand_plan(tmp_path_factory) -> Path:
    return write_hand_plan(tmp_path_factory.mktemp("hand") / "hand.xlsx", charts=False)


@pytest.fixture
def plan_copy(hand_plan, tmp_path) -> Path:
    return Path(shutil.copy(hand_plan, tmp_path / "tampered.xlsx"))


def _checks(path: Path) -> dict[tuple[str, str], object]:
    return {(f.check, f.where): f for f in check_plan(read_plan(path))}


def test_hand_plan_is_verified_and_costs_match_the_hand_figures(hand_plan):
    audit = audit_plan(read_plan(hand_plan))
    assert audit.findings == []
    r = audit.recomputation
    assert r.components == pytest.approx(HAND_COSTS, rel=1e-12)
    assert r.scenario_costs.to_dict() == pytest.approx({"base": HAND_COST_BASE, "ban": HAND_COST_BAN}, rel=1e-12)
    assert r.objective == pytest.approx(HAND_OBJECTIVE, rel=1e-12)


def test_one_more_unit_bought_breaks_the_stock_balance_and_the_costs(plan_copy):
    edit_cell(plan_copy, "Sourcing", {"scenario": "base", "year": 2027, "material": "LI"}, "quantity", 5)
    found = _checks(plan_copy)
    balance = found[("stock balance", "scenario=base, year=2027, material=LI")]
    assert (balance.found, balance.expected) == (0, pytest.approx(1.0))
    # expected purchases rise by p(base) x 1 unit x 10 x df(2027)
    cost = found[("cost", "cost.purchases_ex_works")]
    assert cost.expected - cost.found == pytest.approx(0.5 * 10 / 1.1)
    assert ("objective", "objective") in found
    assert not any(k[0] == "stock balance" and "ban" in k[1] for k in found)


def test_a_removed_build_leaves_production_without_capacity(plan_copy):
    delete_row(plan_copy, "Builds", {"facility": "R1", "year": 2026})
    found = _checks(plan_copy)
    for scenario in ("base", "ban"):
        f = found[("facility capacity", f"scenario={scenario}, year=2027, facility=R1")]
        assert (f.found, f.expected) == (6, 0)
    assert found[("cost", "cost.fixed_opex")].expected == 0.0
    assert found[("modules producing", "facility=R1, year=2027")].found == 1


def test_draws_short_of_the_capex_are_a_financing_cover_violation(plan_copy):
    edit_cell(plan_copy, "Financing", {"source": "B"}, "draw", 40)
    found = _checks(plan_copy)
    f = found[("financing cover", "facility=R1, year=2026")]
    assert (f.found, f.expected) == (90, 100)


def test_purchases_need_a_contract_and_no_sanction(plan_copy):
    edit_cells(plan_copy, [("Contracts", {"supplier": "S2"}, None, None),
                           ("Input.Countries", {"country": "AU"}, "sanctioned", True)])
    found = _checks(plan_copy)
    assert {k[1] for k in found if k[0] == "contract needed"} == {
        "scenario=base, year=2027, material=ORE, supplier=S2", "scenario=ban, year=2027, material=ORE, supplier=S2"}
    sanctioned = {k[1] for k in found if k[0] == "sanctions"}
    assert len(sanctioned) == 5  # four purchase rows from S1 and its contract
    assert "supplier=S1, material=LI" in sanctioned


def test_offer_capacity_and_min_order_follow_the_disruption_factor(plan_copy):
    # capacity 3 (x0.5 in ban 2027 = 1.5), min_order 5 (x0.5 in ban 2027 = 2.5)
    edit_cells(plan_copy, [("Input.Offers", {"supplier": "S1"}, "capacity", 3),
                           ("Input.Offers", {"supplier": "S1"}, "min_order", 5)])
    findings = check_plan(read_plan(plan_copy))
    capacity = {f.where: (f.found, f.expected) for f in findings if f.check == "offer capacity"}
    assert capacity == {
        "scenario=base, year=2026, material=LI, supplier=S1": (10, 3),
        "scenario=base, year=2027, material=LI, supplier=S1": (4, 3),
        "scenario=ban, year=2026, material=LI, supplier=S1": (11, 3),
        "scenario=ban, year=2027, material=LI, supplier=S1": (2, 1.5),
    }
    min_order = {f.where: (f.found, f.expected) for f in findings if f.check == "min order"}
    assert min_order == {"scenario=base, year=2027, material=LI, supplier=S1": (4, 5),
                         "scenario=ban, year=2027, material=LI, supplier=S1": (2, 2.5)}


def test_a_tighter_general_policy_row_does_not_override_a_specific_one(plan_copy):
    # ban 2027 has a shortage of 1 of demand 10 (share 0.1). The general row (*) says 0.2,
    # the specific one (LI, 2027, ban) 0.15: tightening only the general row changes nothing.
    edit_cell(plan_copy, "Input.Policies", {"material": "*"}, "max_shortage_share", 0.05)
    assert check_plan(read_plan(plan_copy)) == []


def test_a_tighter_specific_policy_row_is_a_violation(plan_copy):
    edit_cell(plan_copy, "Input.Policies", {"scenario": "ban"}, "max_shortage_share", 0.05)
    found = _checks(plan_copy)
    f = found[("policy max_shortage_share", "scenario=ban, year=2027, material=LI")]
    assert (f.found, f.expected) == (1, pytest.approx(0.5))
    assert len(found) == 1


def test_green_share_policy_counts_green_facilities(plan_copy):
    # LI 2027 base: 6 of 10 from the green refinery; ban: 6 of 8.
    edit_cell(plan_copy, "Input.Policies", {"min_green_share": 0.5}, "min_green_share", 0.7)
    found = _checks(plan_copy)
    assert set(found) == {("policy min_green_share", "scenario=base, year=2027, material=LI")}
    assert found[("policy min_green_share", "scenario=base, year=2027, material=LI")].expected == pytest.approx(7)


def test_equally_specific_policy_rows_that_disagree_are_reported(tmp_path):
    settings, records = rich_records()
    records["Policies"] = records["Policies"] + [{"material": "LI", "max_shortage_share": 0.3},
                                                 {"material": "*", "year": 2027, "max_shortage_share": 0.25}]
    dataset = from_records(settings, records, Source(name="rich.xlsx", sha256="a" * 64))
    findings = check_plan(read_plan(write_hand_plan(tmp_path / "p.xlsx", dataset=dataset, charts=False)))
    # the input validation (planner.validation) and the audit's own precedence rule agree
    assert [(f.check, f.where) for f in findings] == [
        ("input", "Input.Policies!M6 [max_shortage_share]"), ("input", "Input.Policies!M7 [max_shortage_share]"),
        ("policy precedence", "column=max_shortage_share")]


def test_a_wrong_cost_in_the_summary_is_reported(plan_copy):
    edit_cell(plan_copy, "Summary", {"metric": "cost.tariffs"}, "value", HAND_COSTS["tariffs"] + 1)
    found = _checks(plan_copy)
    assert set(found) == {("cost", "cost.tariffs"), ("objective", "objective")}
    assert "sum to" in found[("objective", "objective")].message


def test_cvar_matches_the_tail_mean_and_a_fine_grid():
    # worst 30% of (10 w.p. .5, 20 w.p. .3, 40 w.p. .2): 0.2 at 40 and 0.1 at 20 -> 10 / 0.3
    assert cvar([10, 20, 40], [0.5, 0.3, 0.2], 0.7) == pytest.approx(100 / 3)
    rng = np.random.default_rng(7)
    for n, alpha in itertools.product((1, 3, 6), (0.0, 0.5, 0.9)):
        c = rng.uniform(0, 100, n)
        p = rng.dirichlet(np.ones(n))
        eta = np.linspace(-1, 101, 20401)[:, None]
        brute = float(np.min(eta[:, 0] + (p * np.maximum(0, c - eta)).sum(axis=1) / (1 - alpha)))
        assert cvar(c, p, alpha) == pytest.approx(brute, abs=1e-2)
        assert cvar(c, p, alpha) <= brute + 1e-12


def test_recompute_objective_of_a_one_offer_plan_by_hand(tmp_path):
    # demand 5 in one year, one offer at 10 + tariff 20% + freight 1 -> 5 x 13 = 65
    from models.outcome import SolveOutcome, Status
    from planner.io.plan import write_plan

    from .cases import _t

    dataset = from_records(
        {"home_country": "IN", "first_year": 2030, "years": 1},
        {"Materials": [{"material": "CO", "name": "Cobalt", "sector": "mineral", "unit": "t"}],
         "Countries": [{"country": "IN", "name": "India", "risk": 0.1},
                       {"country": "CD", "name": "Congo", "risk": 0.6, "tariff": 0.2}],
         "Suppliers": [{"supplier": "K", "country": "CD"}],
         "Offers": [{"supplier": "K", "material": "CO", "unit_cost": 10.0, "freight_cost": 1.0}],
         "Demand": [{"material": "CO", "year": 2030, "quantity": 5}]})
    outcome = SolveOutcome(Status.OPTIMAL, objective=65.0, costs={"purchases_ex_works": 50.0, "tariffs": 10.0,
                                                                  "freight": 5.0},
                           tables={"Sourcing": _t("Sourcing", [("base", 2030, "CO", "K", "CD", 5.0, 13.0, 65.0)]),
                                   "Contracts": _t("Contracts", [("K", "CO", "CD", 0.0, 0.0)])})
    audit = audit_plan(read_plan(write_plan(tmp_path / "one.xlsx", outcome, dataset, charts=False)))
    assert audit.recomputation.objective == 65.0
    assert audit.findings == []


def test_nonanticipative_plans_must_decide_alike_before_scenarios_diverge(plan_copy):
    # ban diverges in 2027 (its disruption and its policy row); in 2026 it buys 11 t of LI, base 10.
    edit_cell(plan_copy, "Input.Settings", {"key": "nonanticipative"}, "value", True)
    findings = check_plan(read_plan(plan_copy))
    assert [(f.check, f.where, f.found, f.expected) for f in findings] == [
        ("nonanticipativity", "scenario=ban, year=2026, supplier=S1, material=LI", 11, 10)]


def test_required_builds_and_contracts_are_audited(plan_copy):
    # R1: no existing module, one started in 2026: 1 module exists by 2027, min_modules asks 2;
    # S2's ORE offer must be contracted but its Contracts row is gone
    edit_cells(plan_copy, [("Input.Facilities", {"facility": "R1"}, "min_modules", 2),
                           ("Input.Offers", {"supplier": "S2", "material": "ORE"}, "must_contract", True),
                           ("Contracts", {"supplier": "S2", "material": "ORE"}, None, None)])
    found = _checks(plan_copy)
    short = found[("module minimum", "facility=R1")]
    assert (short.found, short.expected) == (1, 2)
    assert ("required contract", "supplier=S2, material=ORE") in found
    assert not any(k[0] == "required contract" and "S1" in k[1] for k in found)
