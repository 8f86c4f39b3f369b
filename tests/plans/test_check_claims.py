"""`check` verifies what a plan says about its own solve (planner.plans.audit.claims) and says
what it could not verify: tampered status, gap, proven-optimal flag, bound and SHA-256 are
findings; Marginal values are listed as unverified; a missing result sheet is named."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner import cli
from planner.plans.check import audit_plan
from planner.plans.saved_plan import read_plan

from .cases import HAND_OBJECTIVE, edit_cell, edit_cells, write_hand_plan

TIME_LIMIT = "time limit reached: best plan found, not proven optimal"


@pytest.fixture(scope="module")
def hand_plan(tmp_path_factory) -> Path:
    # proven exactly: best_bound = objective, gap 0, status optimal, proven_optimal true
    return write_hand_plan(tmp_path_factory.mktemp("claims") / "hand.xlsx", charts=False)


@pytest.fixture
def plan_copy(hand_plan, tmp_path) -> Path:
    return Path(shutil.copy(hand_plan, tmp_path / "tampered.xlsx"))


def _claims(path: Path) -> dict[str, str]:
    return {f.where: f.message for f in audit_plan(read_plan(path)).findings if f.sheet == "Summary"}


def _summary(path: Path, **values) -> None:
    edit_cells(path, [("Summary", {"metric": k}, "value", v) for k, v in values.items()])


def test_the_hand_plan_claims_hold(hand_plan):
    audit = audit_plan(read_plan(hand_plan))
    assert audit.findings == []
    assert any("best_bound as a proof" in u for u in audit.unverified)


def test_a_time_limit_plan_with_a_real_gap_holds(tmp_path):
    # bound 1% under the objective: gap = 0.01 / 1 exactly by the definition
    path = write_hand_plan(tmp_path / "limit.xlsx", charts=False, bound=HAND_OBJECTIVE * 0.99)
    _summary(path, status=TIME_LIMIT, proven_optimal=False)
    assert _claims(path) == {}


def test_a_changed_status_is_inconsistent_with_proven_optimal(plan_copy):
    _summary(plan_copy, status=TIME_LIMIT)
    assert "proven_optimal is True but the status is" in _claims(plan_copy)["proven_optimal"]


def test_an_unknown_status_is_reported(plan_copy):
    _summary(plan_copy, status="excellent")
    assert "is not that of a solve that wrote a plan" in _claims(plan_copy)["status"]


def test_a_changed_proven_flag_is_reported(plan_copy):
    _summary(plan_copy, proven_optimal=False)
    assert "true exactly when the status is optimal" in _claims(plan_copy)["proven_optimal"]


def test_a_changed_gap_is_reported(plan_copy):
    _summary(plan_copy, gap=0.05)  # bound = objective: the definition gives 0
    assert _claims(plan_copy)["gap"] == "gap 0.05, but |objective - best_bound| / |objective| = 0"


def test_a_bound_above_the_objective_is_reported(plan_copy):
    _summary(plan_copy, best_bound=HAND_OBJECTIVE + 10)
    found = _claims(plan_copy)
    assert "is above the objective" in found["best_bound"]
    assert "gap" in found  # the stated gap 0 no longer fits either


def test_an_optimal_plan_with_a_gap_beyond_its_mip_gap_is_reported(plan_copy):
    bound = HAND_OBJECTIVE * 0.9  # gap 0.1, above the Settings default mip_gap
    _summary(plan_copy, best_bound=bound, gap=(HAND_OBJECTIVE - bound) / HAND_OBJECTIVE)
    assert "status optimal with a gap of 0.1, above the mip_gap" in _claims(plan_copy)["status"]


def test_an_input_sha256_of_zeros_is_reported(plan_copy):
    _summary(plan_copy, input_sha256="0" * 64)
    assert "is not the SHA-256 of a file" in _claims(plan_copy)["input_sha256"]


def test_marginal_values_are_listed_as_unverified_and_check_says_so(tmp_path):
    marginals = pd.DataFrame([("max_shortage_share", "LI", 2027, "ban", 12.5)],
                             columns=["policy", "material", "year", "scenario", "marginal_value"])
    from planner.io.plan import write_plan
    from tests.plans.cases import hand_outcome, rich_dataset

    path = write_plan(tmp_path / "m.xlsx", hand_outcome(), rich_dataset(), extra_sheets={"Marginal values": marginals},
                      charts=False)
    edit_cell(path, "Marginal values", {"policy": "max_shortage_share"}, "marginal_value", 99.0)  # edited
    result = CliRunner().invoke(cli.app, ["check", str(path)])
    text = " ".join(result.stdout.split())
    assert result.exit_code == 0, text
    assert "Not verified (no solver is used): - best_bound as a proof" in text
    assert "the Marginal values sheet (duals of an LP with the plan's integer decisions fixed" in text


def test_a_missing_result_sheet_is_named(plan_copy):
    wb = load_workbook(plan_copy)
    del wb["Builds"]
    wb.save(plan_copy)
    result = CliRunner().invoke(cli.app, ["check", str(plan_copy)], env={"COLUMNS": "300"})
    text = " ".join(result.stdout.split())
    assert result.exit_code == 1, text
    assert "sheet Builds missing" in text and "excel_row" not in text
