"""The plan in planning words (planner.plans.digest) and its terminal rendering, on the hand
plan of tests/plans/cases.py whose every decision and cost is worked out by hand there."""

from __future__ import annotations

import io
import threading
import time

import typing
import pytest
import typer
from rich.console import Console

from models.outcome import Progress
from planner.cli import app
from planner.cli.progress import live_progress
from planner.cli.terminal import print_plan_summary
from planner.plans.digest import digest
from planner.plans.saved_plan import read_plan
from tests.plans.cases import HAND_COST_BAN, HAND_COST_BASE, HAND_OBJECTIVE, write_hand_plan


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    return digest(read_plan(write_hand_plan(tmp_path_factory.mktemp("digest") / "hand.xlsx")))


def test_builds_say_what_where_when_and_how_it_is_paid(hand):
    # R1 starts 1 module in 2026 (build_years 1: producing from 2027, 6 t/yr), capex 100,
    # paid by the budget B (50) and the loan L (50)
    (build,) = hand.builds
    assert (build.year, build.facility, build.material, build.modules) == (2026, "R1", "LI", 1)
    assert (build.producing_from, build.capacity, build.unit, build.capex) == (2027, 6.0, "t", 100.0)
    assert build.financing == (("B (budget)", 50.0), ("L (multilateral loan)", 50.0))


def test_dependency_first_and_last_year_expected_over_scenarios(hand):
    li, ore = hand.dependencies
    # LI 2026: only AU (10 base, 11 ban) -> 100 %; 2027: AU 0.5 x 4 + 0.5 x 2 = 3 of 3 + 6 produced
    assert li.label == "Lithium (LI)" and li.first == ("Australia (AU)", 1.0)
    assert li.last[0] == "Australia (AU)" and li.last[1] == pytest.approx(3 / 9)
    assert (li.domestic_first, li.domestic_last) == (0.0, pytest.approx(6 / 10))
    # ORE: nothing in 2026, 12 from CN in 2027; no final demand
    assert ore.first is None and ore.last == ("China (CN)", 1.0) and ore.domestic_last is None


def test_costs_per_scenario_and_objective(hand):
    costs = {x.scenario: x.cost for x in hand.scenario_costs}
    assert costs == {"base": pytest.approx(HAND_COST_BASE), "ban": pytest.approx(HAND_COST_BAN)}
    assert hand.expected_cost == pytest.approx(0.5 * HAND_COST_BASE + 0.5 * HAND_COST_BAN)
    assert hand.cvar == pytest.approx(max(HAND_COST_BASE, HAND_COST_BAN))  # alpha 0.5: the worse one
    assert hand.objective == pytest.approx(HAND_OBJECTIVE) and hand.status == "optimal" and hand.gap == 0


def test_terminal_summary_speaks_planning_words(hand):
    console = Console(file=io.StringIO(), width=200, highlight=False)
    print_plan_summary(console, hand, "hand.xlsx")
    text = console.file.getvalue()
    assert "What to build" in text and "R1 → Lithium: 1 module (+6 t/yr) started 2026, producing 1 year later" in text
    assert "capex 100, financed by B (budget) 50, L (multilateral loan) 50" in text
    assert "Lithium (LI)" in text and "Australia (AU) 100.0 %" in text and "Australia (AU) 33.3 %" in text
    assert "0 % → 60.0 %" in text
    assert "ban" in text and "expected" in text
    # the status line: no gap left, so plainly optimal; objective and bound side by side
    last = [line for line in text.splitlines() if line.startswith("status")][0]
    assert last.startswith("status optimal · objective") and "gap 0 %" in last
    assert "purchases_ex_works" not in text  # no solver words


def test_progress_lines_every_interval_when_not_a_terminal():
    out = io.StringIO()
    plain = Console(file=io.StringIO(), force_terminal=False)
    with live_progress(plain, quiet=False, interval=0.02, stream=out) as on_progress:
        on_progress(Progress(1.0, 1234.0, 1000.0, 0.19))
        deadline = time.monotonic() + 5
        while out.getvalue().count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 2 and "incumbent 1,234" in lines[-1] and "gap 19.00%" in lines[-1]
    assert not any(t.name == "trust-planner progress" for t in threading.enumerate())  # stopped with the solve
    with live_progress(plain, quiet=True) as on_progress:
        assert on_progress is None


def test_boolean_options_are_flags():
    # `--quiet`, not `--quiet true`: every option of a command whose parameter is a bool
    command = typer.main.get_command(app)
    checked = 0
    for name, sub in command.commands.items():
        hints = typing.get_type_hints(sub.callback)
        for param in sub.params:
            if param.param_type_name == "option" and hints.get(param.name) in (bool, typing.Optional[bool]):
                assert param.is_flag, f"{name} {param.opts}: takes a value; boolean options are flags"
                checked += 1
    assert checked >= 4  # solve's --quiet, --large-input, --marginals/--no-marginals, --lp-start/--no-lp-start
