"""Reading a plan back: Summary, result tables and the inputs rebuilt from the Input copies."""

from pathlib import Path

import pandas as pd
import pytest

from planner.plans.saved_plan import PlanError, read_plan

from input_helpers import workbook_bytes

from .cases import HAND_OBJECTIVE, edit_cell, hand_outcome, rich_dataset, write_hand_plan


def test_read_plan_gives_summary_tables_and_the_same_dataset(tmp_path: Path):
    path = write_hand_plan(tmp_path / "hand-plan.xlsx")
    saved = read_plan(path)
    assert saved.name == "hand-plan"
    assert saved.objective == pytest.approx(HAND_OBJECTIVE, rel=1e-15)
    assert saved.status == "optimal"
    assert saved.costs["qualification"] == 50.0
    # result tables come back with the values written
    written = hand_outcome().tables["Sourcing"]
    pd.testing.assert_frame_equal(saved.tables["Sourcing"][list(written.columns)], written, check_dtype=False)
    # the inputs rebuilt from the Input copies equal the dataset the plan was written from
    original = rich_dataset()
    assert saved.dataset.settings == original.settings
    for name, table in original.tables.items():
        pd.testing.assert_frame_equal(saved.dataset[name].drop(columns="excel_row"),
                                      table.drop(columns="excel_row"), check_dtype=False, obj=name)
    assert saved.dataset.source.name == "rich.xlsx" and saved.dataset.source.sha256 == "a" * 64
    # the Input copy's rows are numbered as Excel numbers them
    assert saved.inputs["Offers"]["excel_row"].tolist() == [2, 3]


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    path.write_bytes(workbook_bytes(sheets))
    return path


def test_non_plans_give_one_line_plan_errors(tmp_path: Path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    no_summary = _workbook(tmp_path / "input.xlsx", {"Settings": [["key", "value"]]})
    no_inputs = _workbook(tmp_path / "bare.xlsx", {"Summary": [["metric", "value"], ["objective", 1.0]]})
    cases = {
        tmp_path / "missing.xlsx": "no such file",
        text: "not a readable Excel workbook",
        no_summary: "no Summary sheet",
        no_inputs: "carries no copy of its inputs",
    }
    for path, words in cases.items():
        with pytest.raises(PlanError) as info:
            read_plan(path)
        message = str(info.value)
        assert words in message and "\n" not in message and path.name in message


def test_text_in_a_quantity_column_is_a_plan_error_naming_the_cell(tmp_path: Path):
    path = write_hand_plan(tmp_path / "plan.xlsx")
    edit_cell(path, "Sourcing", {"scenario": "base", "year": 2026}, "quantity", "ten")
    with pytest.raises(PlanError, match=r"plan.xlsx: sheet Sourcing row 2: quantity is not a number"):
        read_plan(path)
