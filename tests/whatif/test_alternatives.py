"""`alternatives`: near-optimal plans within the slack, each different from the optimum and from
each other in builds, contracts or country mix."""

from __future__ import annotations

import itertools

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.whatif import alternatives as alt


def test_alternatives_stay_within_the_slack_and_differ_pairwise(tiny):
    """Optimum 1680: F 40 + SB 60 a year (P from B 0.6, domestic 0.4). A 10% slack allows 168 more.
    Alternative 1 pushes down what the optimum used most per unit of cost: 84 units from SA (+2
    each) instead of SB, so P is 0.42 from A, 0.18 from B. Alternative 2 (B, domestic and now A
    all used before): 42 units from SB (+4 each) instead of F: domestic 0.19, B 0.81. Nothing
    else new fits the slack, so a third request gives no plan. (R comes only from A: its mix
    cannot change and does not count.)"""
    results = alt.run_alternatives(tiny, within=0.10, count=3)
    plans = [r for r in results if r.has_plan]
    assert [r.objective for r in plans] == pytest.approx([1680, 1848, 1848])
    dataset = tiny.dataset()
    sigs = [alt.signature(r.tables, dataset) for r in plans]
    assert sigs[1].mix["P"] == pytest.approx({"A": 0.42, "B": 0.18, "(domestic)": 0.4})
    assert sigs[2].mix["P"] == pytest.approx({"B": 0.81, "(domestic)": 0.19})
    for a, b in itertools.combinations(range(len(sigs)), 2):
        assert alt.differs(sigs[a], sigs[b]), (a, b)
    table = alt.table(results, dataset)
    # P moves 0.42 (alternative 1) and 0.21 (alternative 2) of its supply; R not at all: halved over 2 materials
    assert table["country_mix_distance"].tolist() == pytest.approx([0.0, 0.21, 0.105])
    assert table["above_optimum"].tolist() == pytest.approx([0.0, 0.1, 0.1])


def test_mix_distance_by_hand():
    a = alt.Signature({}, frozenset(), {"P": {"B": 0.6, "(domestic)": 0.4}, "R": {"A": 1.0}})
    b = alt.Signature({"F": 1.0}, frozenset({("SA", "P")}), {"P": {"A": 0.6, "(domestic)": 0.4}, "R": {"A": 1.0}})
    # P: half of |0.6 - 0| + |0 - 0.6| = 0.6; R: 0; mean over 2 materials: 0.3
    assert alt.mix_distance(a, b) == pytest.approx(0.3)
    assert alt.module_change(a, b) == 1.0 and alt.differs(a, b)


def test_alternatives_command_writes_plans_and_differences(tiny_path, tmp_path):
    out = tmp_path / "alts"
    result = CliRunner().invoke(app, ["alternatives", str(tiny_path), "--within", "0.1", "-n", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "differences.xlsx" in names and "tiny-001.xlsx" in names and len(names) >= 3
