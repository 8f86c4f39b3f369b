"""`sweep`: the grid of --vary values; each point's objective equals an independent solve of
the workbook with the same overrides and the figure argued by hand."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from models.solve import solve_dataset
from planner.cli import app
from planner.io.reading import read_bytes
from planner.io.reading.overrides import parse_all
from planner.schema.problems import InputError
from planner.whatif import sweep as sw

CAP = "Policies[material=P].max_country_share"
PRICE = "Offers[supplier=SB, material=P].unit_cost"


def hand(cap: float, price: float) -> float:
    """F makes 40 at 6; the 60 left come from the cheaper of SB (its price) and SA (12), up to
    the cap of 100 x cap a year on each foreign country, the rest from the other one."""
    cheap, dear = (price, 12.0) if price < 12 else (12.0, price)
    first = min(60.0, 100.0 * cap)
    return 2 * (240 + first * cheap + (60 - first) * dear)


def test_vary_values_ranges_and_lists():
    assert sw.parse_vary(f"{CAP}=0.3:0.6:0.1").values == ("0.3", "0.4", "0.5", "0.6")
    assert sw.parse_vary(f"{PRICE}=9:13:2").values == ("9", "11", "13")
    assert sw.parse_vary("Materials[material=P].name='a, b',c").values == ("a, b", "c")
    axes = [sw.parse_vary(f"{CAP}=0.5,1"), sw.parse_vary(f"{PRICE}=10:11:1")]
    assert sw.grid(axes) == [(f"{CAP}=0.5", f"{PRICE}=10"), (f"{CAP}=0.5", f"{PRICE}=11"),
                             (f"{CAP}=1", f"{PRICE}=10"), (f"{CAP}=1", f"{PRICE}=11")]
    assert sw.chunks(list(range(5)), 2) == [[0, 1, 2], [3, 4]]


@pytest.mark.parametrize("text, expected", [
    (f"{CAP}=0.6:0.3:0.1", "STOP >= START"),
    (f"{CAP}=a:b:c", "three numbers"),
    ("Policies+[material=P]", "not SHEET+"),
    ("Polices[material=P].max_country_share=1", "did you mean Policies?"),
])
def test_bad_vary_is_bad_input(text, expected):
    with pytest.raises(InputError) as exc:
        sw.parse_vary(text)
    assert exc.value.problems[0].cell == f"--vary {text}" and expected in exc.value.problems[0].expected


def test_sweep_points_equal_independent_solves_and_the_hand_figures(tiny):
    axes = [sw.parse_vary(f"{CAP}=0.3,0.5,1"), sw.parse_vary(f"{PRICE}=10,13")]
    base = tiny.dataset()
    results = sw.run_sweep(tiny, axes, base, workers=1)
    assert [r.index for r in results] == list(range(6))
    for r in results:
        cap, price = (float(t.split("=")[-1]) for t in r.overrides)
        independent = solve_dataset(read_bytes(tiny.data, tiny.name, overrides=parse_all(r.overrides)).dataset)
        assert r.objective == pytest.approx(independent.objective, rel=1e-9)
        assert r.objective == pytest.approx(hand(cap, price), rel=1e-9)
    # the persistent model was updated in place between points (a cap of 1 has no rows: rebuilt)
    assert {r.mode for r in results} >= {"build", "update"}
    frame = sw.table(axes, results)
    point = frame[(frame[CAP] == 0.5) & (frame[PRICE] == 10)].iloc[0]
    # B supplies 50 of 100 a year: its share 0.5; F 40: domestic 0.4; nothing green
    assert point["top_country_share[P]"] == pytest.approx(0.5)
    assert point["domestic_share[P]"] == pytest.approx(0.4)
    assert point["green_share[P]"] == pytest.approx(0.0)
    # tightening the cap by one unit (share 1.0) moves 100 units a year from SB (10) to SA (12): 2 x 200
    assert point[f"marginal_value[max_country_share,material=P]"] == pytest.approx(400.0)
    assert point["cost.purchases_ex_works"] == pytest.approx(2 * (50 * 10 + 10 * 12 + 40 * 1))


def test_sweep_command_writes_the_table_a_chart_and_the_plans(tiny_path, tmp_path):
    out, plans = tmp_path / "sweep.xlsx", tmp_path / "plans"
    result = CliRunner().invoke(app, ["sweep", str(tiny_path), "--vary", f"{CAP}=0.4:0.6:0.2", "--workers", "1",
                                      "-o", str(out), "--plans", str(plans), "--set", f"{PRICE}=11"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out, read_only=True)["Sweep"].iter_rows(values_only=True))
    header = rows[0]
    objective = [r[header.index("objective")] for r in rows[1:]]
    assert objective == pytest.approx([hand(0.4, 11), hand(0.6, 11)])
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    written = sorted(p.name for p in plans.iterdir())
    assert written == ["tiny-001.xlsx", "tiny-002.xlsx"]
    summary = {r[0]: r[1] for r in load_workbook(plans / written[1], read_only=True)["Summary"]
               .iter_rows(min_row=2, values_only=True)}
    assert summary["objective"] == pytest.approx(hand(0.6, 11))


def test_a_point_with_a_bad_value_stops_the_sweep_before_solving(tiny_path, tmp_path):
    out = tmp_path / "sweep.xlsx"
    result = CliRunner().invoke(app, ["sweep", str(tiny_path), "--vary", f"{CAP}=0.5:1.5:0.5", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_a_bad_vary_is_labelled_with_the_option_not_the_workbook(tiny_path, tmp_path):
    out = tmp_path / "sweep.xlsx"
    result = CliRunner().invoke(app, ["sweep", str(tiny_path), "--vary", f"{CAP}=a:b:c", "-o", str(out)])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 2, text
    assert "--vary is not valid: nothing was solved or written." in text and "tiny.xlsx is not valid" not in text
    assert not out.exists()


def test_a_sweep_whose_points_all_run_out_of_time_exits_4_not_infeasible(tiny_path, tmp_path):
    # a time limit of 0 s: HiGHS stops before any plan (a later point, re-solved from its neighbour's
    # model, may still finish in presolve: one point); it is not infeasible, so the status is solve's
    # "no plan within the time limit" (4), the table with the point's status written
    out = tmp_path / "sweep.xlsx"
    result = CliRunner().invoke(app, ["sweep", str(tiny_path), "--vary", f"{CAP}=0.5", "--workers", "1",
                                      "--time-limit", "0", "-o", str(out)])
    text = " ".join((result.stdout + result.stderr).split())
    assert result.exit_code == 4, text
    assert "no plan found within the time limit" in text
    rows = list(load_workbook(out, read_only=True)["Sweep"].iter_rows(values_only=True))
    status = rows[0].index("status")
    assert [r[status] for r in rows[1:]] == ["time limit reached: no plan found"]
