"""`frontier`: extremes argued by hand on the tiny workbook (tests/whatif/conftest.py), points on
the hand-derived trade-off line, cost never falling as the measure improves, and the model's
measure equal to the one recomputed from the plan's tables."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner
from openpyxl import load_workbook

from planner.cli import app
from planner.schema.problems import InputError
from planner.whatif import frontier as fr
from planner.whatif.measures import plan_measures
from planner.whatif.tasks import Workbook


def test_top_country_share_frontier(tiny):
    # cheapest: SB (B) 60 of the 100 a year: share 0.6 at 1680. Best at any cost: split the 60
    # imports 30/30 between A and B (F is capped at 40): 0.3 at 2 x (240 + 300 + 360) = 1800.
    # Between: B <= 100 eps, A the rest at +2 a unit: cost 2 x (960 - 200 eps).
    results = fr.run_frontier(tiny, "top_country_share", "P", points=2, keep_tables=True)
    measure = [r.values["measure"] for r in results]
    cost = [r.objective for r in results]
    assert measure == pytest.approx([0.6, 0.5, 0.4, 0.3], abs=1e-5)
    assert cost == pytest.approx([2 * (960 - 200 * e) for e in (0.6, 0.5, 0.4, 0.3)], rel=1e-5)
    dataset = tiny.dataset()
    for r in results:  # the measure again, from the plan's Sourcing and Production tables
        assert plan_measures(r.tables, dataset, "P")["top_country_share"] == pytest.approx(r.values["measure"])
    frame = fr.table(results, "top_country_share", "P", lower_is_better=True)
    assert len(frame) == 4 and not frame["knee"].any()  # a straight line has no knee


def test_avg_risk_frontier_is_monotone_with_argued_extremes(tiny):
    # cheapest: (0.05 x 40 + 0.6 x 60) / 100 = 0.38; best: SA instead of SB, (2 + 0.2 x 60) / 100 =
    # 0.14 at 2 x (240 + 720) = 1920
    results = fr.run_frontier(tiny, "avg_risk", "P", points=3)
    frame = fr.table(results, "avg_risk", "P", lower_is_better=True)
    assert frame["avg_risk[P]"].iloc[0] == pytest.approx(0.38) and frame["objective"].iloc[0] == pytest.approx(1680)
    assert frame["avg_risk[P]"].iloc[-1] == pytest.approx(0.14, abs=1e-5)
    assert frame["objective"].iloc[-1] == pytest.approx(1920, rel=1e-5)
    assert frame["avg_risk[P]"].is_monotonic_decreasing
    assert frame["objective"].is_monotonic_increasing
    assert len(frame) == 5  # exact solves: no point is dominated


def test_dominated_points_and_the_knee():
    # (measure, cost), lower measure better: point 2 is no better than 1 and dearer
    kept = fr.nondominated([0.6, 0.5, 0.5, 0.3], [100, 110, 120, 200], lower_is_better=True)
    assert kept == {0, 1, 3}
    # a cheap first improvement then dear ones: the knee is the bend at 0.4
    assert fr.knee_index([0.6, 0.4, 0.3, 0.2], [100, 101, 150, 200]) == 1


def test_bad_measure_is_bad_input(tiny):
    dataset = tiny.dataset()
    with pytest.raises(InputError):
        fr.parse_measure("top_country[P]", dataset)
    with pytest.raises(InputError) as exc:
        fr.parse_measure("green_share[Q]", dataset)
    assert "P, R" in exc.value.problems[0].expected
    assert fr.parse_measure("cvar", dataset) == ("cvar", None)


def test_frontier_command(tiny_path, tmp_path):
    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(app, ["frontier", str(tiny_path), "--against", "non_allied_share[P]", "--points", "1",
                                      "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out, read_only=True)["Frontier"].iter_rows(values_only=True))
    header = rows[0]
    # non-allied (B) share 0.6 at 1680 to 0 at 2 x (240 + 720) = 1920, midpoint 0.3 at 1800
    assert [r[header.index("non_allied_share[P]")] for r in rows[1:]] == pytest.approx([0.6, 0.3, 0.0], abs=1e-5)
    assert [r[header.index("objective")] for r in rows[1:]] == pytest.approx([1680, 1800, 1920], rel=1e-5)


ADD_Z = "Materials+[material=Z,name=Z,sector=mineral,unit=t]"


def test_a_material_nothing_supplies_is_refused_before_solving(tiny_path, tmp_path):
    # Z is a material of the workbook (added by --set) that no offer and no facility supplies: every
    # plan has no Z, its green share has no value, there is nothing to trade off
    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(app, ["frontier", str(tiny_path), "--against", "green_share[Z]", "--workers", "1",
                                      "-o", str(out), "--set", ADD_Z])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert "--against is not valid: nothing was solved or written." in text and "Frontier of" not in text
    assert not out.exists()
    dataset = Workbook(tiny_path.read_bytes(), tiny_path.name, (ADD_Z,)).dataset()
    with pytest.raises(InputError) as exc:
        fr.parse_measure("green_share[Z]", dataset)
    assert "Z has none: no plan supplies it, so there is nothing to trade off" in exc.value.problems[0].expected


def test_a_bad_against_is_labelled_with_the_option_not_the_workbook(tiny_path, tmp_path):
    result = CliRunner().invoke(app, ["frontier", str(tiny_path), "--against", "top_country[P]", "-o",
                                      str(tmp_path / "f.xlsx")])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert "--against is not valid: nothing was solved or written." in text and "tiny.xlsx is not valid" not in text


def test_a_material_no_plan_supplies_ends_the_frontier_plainly(tiny_path, tmp_path):
    # Z has an offer, but of capacity 0: it passes the data check, and every plan buys no Z, so the
    # measure has no value at any point (an IndexError on the empty frontier before): exit 2, nothing written
    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(app, ["frontier", str(tiny_path), "--against", "green_share[Z]", "--points", "0",
                                      "--workers", "1", "-o", str(out), "--set", ADD_Z,
                                      "--set", "Offers+[supplier=SA,material=Z,unit_cost=1,capacity=0]"])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert "green_share[Z] has no value: no plan supplies Z, so there is nothing to trade off" in text
    assert not out.exists()
