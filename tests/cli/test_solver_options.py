"""--time-limit and --mip-gap obey the Settings sheet's rule (time_limit_s 0..1e7 seconds, mip_gap
0..1; NaN refused): a bad value ends every solving command with exit 2 and a sentence naming the
option, before anything is read or written (a negative time limit reached HiGHS: exit 1)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from planner.cli import app

COMMANDS = [["solve"], ["sweep", "--vary", "Policies[material=NDPR].max_country_share=0.5"],
            ["frontier", "--against", "cvar"], ["alternatives"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("option, value, expected", [
    ("--time-limit", "-1", "-1 is not a number from 0 to 1e+07"),
    ("--mip-gap", "nan", "nan is not a number from 0 to 1"),
    ("--mip-gap", "1.5", "1.5 is not a number from 0 to 1"),
])
def test_solver_options_out_of_the_settings_range_are_bad_usage(tmp_path, command, option, value, expected):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [*command, option, value, "-o", str(out)])
    text = " ".join((result.stdout + result.stderr).replace("│", " ").split())
    assert result.exit_code == 2, text
    assert f"Invalid value for '{option}': {expected}" in text
    assert not out.exists()
