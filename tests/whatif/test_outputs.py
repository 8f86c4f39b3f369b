"""The what-if commands check their outputs before reading, like every command that writes
(planner.io.targets): the input as -o, a folder for a file, a foreign file among the plans."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from planner.cli.app import app
from planner.io.targets import TargetError
from planner.whatif.workbooks import write_plans

CAP = "Policies[material=P].max_country_share"


@pytest.mark.parametrize("command", [
    ["sweep", "--vary", f"{CAP}=0.5,1", "--workers", "1", "-o", "{input}"],
    ["frontier", "--against", "cvar", "--points", "1", "--workers", "1", "--plans", "{input}"],
    ["alternatives", "-n", "1", "-o", "{input}"],
])
def test_the_input_is_never_an_output(tiny_path, command):
    before = tiny_path.read_bytes()
    args = [str(tiny_path)] + [a.format(input=tiny_path) for a in command]
    result = CliRunner().invoke(app, [args[1], args[0], *args[2:]])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert "never writes over its input" in text or "is a file; it needs a folder" in text
    assert tiny_path.read_bytes() == before


def test_a_foreign_file_among_the_plans_stops_the_writing_before_any(tmp_path):
    class Point:  # what write_plans reads of a point with a plan
        has_plan, tables, index = True, {}, 0

    mine = tmp_path / "tiny-001.xlsx"
    Workbook().save(mine)  # someone's own workbook under the name the first plan would take
    before = mine.read_bytes()
    with pytest.raises(TargetError, match="was not written by trust-planner; no plan was written"):
        write_plans(tmp_path, "tiny", [Point()], [None])
    assert mine.read_bytes() == before


@pytest.mark.parametrize("name", ["differences.xlsx", "tiny-002.xlsx"])
def test_alternatives_never_overwrite_a_users_file_in_the_folder(tiny_path, tmp_path, name):
    # the folder exists and may be written, but a file the command would write there is the user's:
    # refused before reading, and nothing at all is written into the folder
    mine = tmp_path / name
    Workbook().save(mine)
    before = mine.read_bytes()
    result = CliRunner().invoke(app, ["alternatives", str(tiny_path), "-n", "2", "-o", str(tmp_path)])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert f"{mine} exists and was not written by trust-planner" in text and "Nothing was read or written" in text
    assert mine.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_frontier_plans_with_cvar_weight_pass_check(tiny_path, tmp_path):
    # the frontier solves with cvar_weight 0 (its cost axis is the expected cost): each written plan
    # must say so and be written with the settings it was solved with, or `check` recomputes a
    # different objective (cost.cvar 0 in the plan against the CVaR of the input's weight)
    plans = tmp_path / "plans"
    result = CliRunner().invoke(app, ["frontier", str(tiny_path), "--against", "top_country_share[P]", "--points",
                                      "1", "--workers", "1", "-o", str(tmp_path / "f.xlsx"), "--plans", str(plans),
                                      "--set", "Settings.cvar_weight=0.1"])
    assert result.exit_code == 0, result.output
    written = sorted(plans.iterdir())
    assert [p.name for p in written] == ["tiny-frontier-001.xlsx", "tiny-frontier-002.xlsx", "tiny-frontier-003.xlsx"]
    for plan in written:
        checked = CliRunner().invoke(app, ["check", str(plan)])
        assert checked.exit_code == 0, checked.output
        summary = dict(load_workbook(plan, read_only=True)["Summary"].iter_rows(min_row=2, max_col=2,
                                                                                 values_only=True))
        assert summary["note"].startswith("CVaR left out") and "the input has 0.1" in summary["note"]


def test_sweep_refuses_a_foreign_plan_file_before_solving_or_writing(tiny_path, tmp_path):
    # --vary gives 2 points, so the plans are DIR/tiny-001.xlsx and DIR/tiny-002.xlsx: a user's
    # workbook under the second name is refused before the sweep reads, solves or writes its table
    plans = tmp_path / "plans"
    plans.mkdir()
    mine = plans / "tiny-002.xlsx"
    Workbook().save(mine)
    before = mine.read_bytes()
    out = tmp_path / "sweep.xlsx"
    result = CliRunner().invoke(app, ["sweep", str(tiny_path), "--vary", f"{CAP}=0.5,1", "--workers", "1",
                                      "-o", str(out), "--plans", str(plans)])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert f"--plans {mine} exists and was not written by trust-planner".replace(" ", "") in text.replace(" ", "")
    assert "Nothing was read or written" in text and "Sweeping" not in text
    assert not out.exists() and [p.name for p in plans.iterdir()] == ["tiny-002.xlsx"]
    assert mine.read_bytes() == before
