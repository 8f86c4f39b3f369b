"""The what-if commands check their outputs before reading, like every command that writes
(planner.io.targets): the input as -o, a folder for a file, a foreign file among the plans."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
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
