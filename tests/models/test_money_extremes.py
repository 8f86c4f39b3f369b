"""Money far larger than the rest of the workbook, at the largest value a cell accepts.

The manifest lets a one-off or yearly amount reach MAX_MONEY (1e14) and an amount per unit
MAX_UNIT_MONEY (1e12); above that a cell is refused. The rich case's other costs are 0.5 to
100, so one such value spreads the model's costs over up to 14 orders of magnitude. Scaled
(models.highs.scaling) to bring the largest cost near 1,024, the smallest fell to 1e-12 and a
qualification cost or fixed opex of 1e14 ended in "HiGHS Solve error" (exit 1, found by the
fuzz harness); a row divided by its largest coefficient lost the small ones below HiGHS'
small_matrix_value, and a shortage penalty of 1e9 gave an "optimal" plan below the optimum.
Each solve must give the optimum found by a second method: the same model handed to HiGHS
unscaled, in the workbook's own units, or an argument by hand where that one fails.
"""

from __future__ import annotations

import pytest

from models.build import build_model
from models.highs.options import SolverOptions
from models.highs.scaling import LARGEST_COST, SMALLEST_COEFFICIENT, SMALLEST_COST
from models.highs.session import HighsSession
from models.outcome import SolveOptions, Status
from models.params.data import build_data
from models.solve import solve_dataset
from planner.io.reading import read_input
from planner.io.template import write_input_workbook
from planner.schema import manifest
from planner.schema.problems import InputError
from planner.validation.magnitudes import MAX_COST_RATIO, UNIT_COSTS
from tests.plans.cases import rich_dataset

EXACT = SolveOptions(mip_gap=1e-9, time_limit_s=60, marginals=False)


def _dataset(tmp_path, sheet: str, column: str, value: float):
    """The rich case with ``column`` of the first row of ``sheet`` at ``value``, written and read
    back as a user's workbook (so validation accepts or refuses it)."""
    ds = rich_dataset()
    table = ds.tables[sheet].copy()
    table.loc[table.index[0], column] = value
    ds.tables[sheet] = table
    dataset, _ = read_input(write_input_workbook(tmp_path / "in.xlsx", ds.tables, ds.settings))
    return dataset


def _unscaled_optimum(dataset) -> float:
    run = HighsSession(build_model(build_data(dataset)), scale=False).run(SolverOptions(mip_gap=1e-9,
                                                                                        time_limit_s=60))
    return run.objective


@pytest.mark.parametrize("sheet, column, value", [
    ("Suppliers", "qualification_cost", manifest.MAX_MONEY), ("Offers", "contract_cost", manifest.MAX_MONEY),
    ("Facilities", "fixed_opex_per_module", manifest.MAX_MONEY),
    ("Materials", "holding_cost", manifest.MAX_UNIT_MONEY),
])
def test_money_at_the_largest_accepted_value_solves_to_the_unscaled_optimum(tmp_path, sheet, column, value):
    dataset = _dataset(tmp_path, sheet, column, value)
    outcome = solve_dataset(dataset, EXACT)
    assert outcome.status == Status.OPTIMAL, outcome.message
    assert outcome.objective == pytest.approx(_unscaled_optimum(dataset), rel=1e-9)
    _assert_within_highs_ranges(dataset)


@pytest.mark.parametrize("penalty", [1e9, 1e10, manifest.MAX_UNIT_MONEY])
def test_a_larger_shortage_penalty_leaves_a_plan_without_shortage_as_it_is(tmp_path, penalty):
    # The rich case's optimum at penalty 100 has no shortage: a larger penalty cannot make any plan
    # cheaper, and leaves that one's cost as it is, so the optimum stays. (Unscaled, HiGHS calls
    # the model infeasible at 1e9 and 1e10; scaled without the row floor it found 479.33 and 432.95.)
    base = solve_dataset(rich_dataset(), EXACT)
    dataset = _dataset(tmp_path, "Materials", "shortage_penalty", penalty)
    outcome = solve_dataset(dataset, EXACT)
    assert outcome.status == Status.OPTIMAL, outcome.message
    assert outcome.objective == pytest.approx(base.objective, rel=1e-9)
    _assert_within_highs_ranges(dataset)


def _assert_within_highs_ranges(dataset) -> None:
    """What HiGHS is given: no cost or coefficient lost below its tolerances."""
    lp = HighsSession(build_model(build_data(dataset))).highs.getLp()
    costs = [abs(c) for c in lp.col_cost_ if c]
    assert min(costs) >= SMALLEST_COST / 2 ** 0.5 and max(costs) <= LARGEST_COST * 2 ** 0.5
    assert min(abs(a) for a in lp.a_matrix_.value_ if a) >= SMALLEST_COEFFICIENT / 2 ** 0.5


def test_an_arrangement_fee_at_its_largest_value_is_paid_once_on_top_of_the_same_plan(tmp_path):
    # The loan L is used in the rich case's optimum (fee 1.0). At 1e14 the unscaled hand-off calls
    # the model infeasible; by hand: the fee is a first-stage cost, counted once in the expected
    # cost and once more at cvar_weight 0.5 in the CVaR, so if the plan stays the same the
    # objective grows by (1e14 - 1) x 1.5; any other plan costs more than the fee it would save.
    base = solve_dataset(_dataset(tmp_path, "Financing", "arrangement_fee", 1.0), EXACT)
    dear = solve_dataset(_dataset(tmp_path, "Financing", "arrangement_fee", manifest.MAX_MONEY), EXACT)
    assert dear.status == Status.OPTIMAL, dear.message
    assert dear.objective == pytest.approx(base.objective + (manifest.MAX_MONEY - 1.0) * 1.5, rel=1e-12)


def test_a_qualification_cost_above_the_largest_is_refused_at_its_cell(tmp_path):
    with pytest.raises(InputError) as caught:
        _dataset(tmp_path, "Suppliers", "qualification_cost", manifest.MAX_MONEY * 10)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.cell, problem.column) == ("Suppliers", "Suppliers!D2", "qualification_cost")
    assert "at most" in problem.expected and "larger unit" in problem.expected


# A cost per unit 1e9-1e10 times the others (unit_cost, freight, duties, a price floor, a PLI
# subsidy) made HiGHS answer "infeasible" or "unbounded" for the rich case, scaled or not: the
# CVaR excess rows hold every cost of a scenario. planner.validation.magnitudes refuses a cost per
# unit above MAX_COST_RATIO (1e7) times the median price of a unit; the rich case's prices are
# 10, 2 (Offers) and 1 (Facilities): median 2, largest accepted 2e7.

@pytest.mark.parametrize("sheet, column", UNIT_COSTS)
def test_a_cost_per_unit_at_the_largest_ratio_solves_to_the_unscaled_optimum(tmp_path, sheet, column):
    dataset = _dataset(tmp_path, sheet, column, MAX_COST_RATIO * 2)
    outcome = solve_dataset(dataset, EXACT)
    assert outcome.status == Status.OPTIMAL, outcome.message
    assert outcome.objective == pytest.approx(_unscaled_optimum(dataset), rel=1e-9)


@pytest.mark.parametrize("sheet, column, cell", [("Offers", "unit_cost", "Offers!C2"),
                                                 ("Facilities", "pli_subsidy", "Facilities!P2")])
def test_a_cost_per_unit_beyond_the_ratio_is_refused_at_its_cell(tmp_path, sheet, column, cell):
    with pytest.raises(InputError) as caught:
        _dataset(tmp_path, sheet, column, 1e10)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.cell, problem.column) == (sheet, cell, column)
    assert problem.expected.startswith("at most 2e7: 1e7 times the median price of a unit in this workbook (2,")
