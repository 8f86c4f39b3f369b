"""The README's Quick start holds exactly two commands, and CI runs the second one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_commands_setup_then_tests():
    first, second = _quick_start_commands()
    assert "venv" in first and "pip install" in first and "trust-planner solve" in first
    assert "pytest" in second


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _quick_start_commands()[1] in [line.strip() for line in ci]


def test_ci_installs_chromium_for_the_report_tests_only_when_missing():
    ci = (ROOT / ".ci" / "run").read_text()
    guard = ci.index("if ! command -v chromium")
    assert guard < ci.index("apt-get install") < ci.index("fi", guard)
    assert "chromium" in ci[ci.index("apt-get install"):]
