"""`trust-planner solve` when the plan is impossible, slow, or needs explaining."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import cases
from model_builders import country, dataset, demand, offer, supplier
from planner import cli
from planner.io.template import write_input_workbook


def _workbook(tmp_path: Path, ds, name: str = "input.xlsx") -> Path:
    return write_input_workbook(tmp_path / name, ds.tables, ds.settings)


def _solve(*args: str):
    result = CliRunner().invoke(cli.app, ["solve", "--quiet", *map(str, args)])
    return result, " ".join((result.stdout + result.stderr).split())


def _sheet(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))


def _summary(path: Path) -> dict:
    return {row[0]: row[1] for row in _sheet(path, "Summary")[1:]}


def test_infeasible_exits_3_names_the_policy_and_writes_no_plan(tmp_path):
    plan = tmp_path / "plan.xlsx"
    result, text = _solve(_workbook(tmp_path, cases.domestic_share(0.30)), "-o", plan)
    assert result.exit_code == 3, text
    assert not plan.exists()
    assert "min_domestic_share for LI in 2029" in text and "Policies row" in text
    assert "can reach at most 0.18" in text and "the target is 0.3" in text
    assert "Facilities.max_modules of REF" in text and "needs 2 modules" in text
    assert "max_avg_risk" not in text  # only what conflicts


def test_explain_writes_the_diagnosis_workbook(tmp_path):
    plan, explain = tmp_path / "plan.xlsx", tmp_path / "why.xlsx"
    result, text = _solve(_workbook(tmp_path, cases.service_level()), "-o", plan, "--explain", explain)
    assert result.exit_code == 3, text
    assert not plan.exists() and explain.exists()
    rows = _sheet(explain, "Conflicts")
    header = rows[0]
    got = {(r[header.index("column")], r[header.index("subject")]): r for r in rows[1:]}
    assert set(got) == {("max_shortage_share", None), ("Suppliers.capacity", "A")}
    shortage = got[("max_shortage_share", None)]
    assert shortage[header.index("target")] == 0 and shortage[header.index("reachable")] == pytest.approx(0.2)
    assert _summary(explain)["status"].startswith("infeasible")


def test_plan_has_marginal_values_and_the_log_file(tmp_path):
    plan, log = tmp_path / "plan.xlsx", tmp_path / "logs" / "highs.log"
    result, text = _solve(_workbook(tmp_path, cases.country_cap(0.6)), "-o", plan, "--log", log)
    assert result.exit_code == 0, text
    rows = _sheet(plan, "Marginal values")
    header = rows[0]
    [row] = rows[1:]
    assert row[header.index("policy")] == "max_country_share"
    assert row[header.index("marginal_value")] == pytest.approx(200)
    assert row[header.index("per_percentage_point")] == pytest.approx(2)
    assert "Running HiGHS" in log.read_text() or "Coefficient ranges" in log.read_text()
    # --no-marginals: no sheet
    bare = tmp_path / "bare.xlsx"
    result, text = _solve(_workbook(tmp_path, cases.country_cap(0.6)), "-o", bare, "--no-marginals")
    assert result.exit_code == 0, text
    assert "Marginal values" not in load_workbook(bare, read_only=True).sheetnames


def _mip():
    """A MIP (qualification costs): 1080 + 50 + 40 = 1170."""
    return dataset(Countries=[country("IN"), country("X"), country("Y")],
                   Suppliers=[supplier("A", "X", qualification_cost=50), supplier("B", "Y", qualification_cost=40)],
                   Offers=[offer("A", "M", 10), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "M", "max_country_share": 0.6}])


def test_no_plan_within_the_time_limit_exits_4(tmp_path):
    # a limit of 0 s: HiGHS stops before it has any plan
    plan = tmp_path / "plan.xlsx"
    result, text = _solve(_workbook(tmp_path, _mip()), "-o", plan, "--time-limit", "0")
    assert result.exit_code == 4, text
    assert "no plan found within the time limit" in text
    assert not plan.exists()


def test_a_limit_with_a_plan_writes_it_marked_not_proven_optimal(tmp_path, monkeypatch):
    # The solver stops at its limit with the plan found and a bound 10% below it (the first run is
    # reported as a time limit; the LP of the marginal values runs as it is).
    from pyomo.contrib.solver.common.results import TerminationCondition

    from models.highs.session import HighsSession, RunResult

    real, calls = HighsSession.run, []

    def run(self, options, only_this_run=None):
        res = real(self, options, only_this_run)
        calls.append(options)
        if len(calls) > 1:
            return res
        return RunResult(TerminationCondition.maxTimeLimit, True, res.objective, 0.9 * res.objective, res.seconds)

    monkeypatch.setattr(HighsSession, "run", run)
    plan = tmp_path / "plan.xlsx"
    result, text = _solve(_workbook(tmp_path, _mip()), "-o", plan, "--time-limit", "7", "--mip-gap", "0.05")
    assert result.exit_code == 0, text
    assert calls[0].time_limit_s == 7 and calls[0].mip_gap == 0.05  # the options reach the solver
    summary = _summary(plan)
    assert summary["status"] == "time limit reached: best plan found, not proven optimal"
    assert summary["proven_optimal"] is False
    assert summary["objective"] == pytest.approx(1170)
    assert summary["best_bound"] == pytest.approx(1053)
    assert summary["gap"] == pytest.approx(0.1)
    assert "not proven optimal" in text and "gap 10.0 %" in text


def test_lp_start_option_reaches_the_solve_and_the_plan_says_so(tmp_path):
    # LP of _mip: 60 from A and 40 from B (country cap 0.6). The big-M of q <= M w is the
    # demand bound with its dilution allowance for a share cap, 100 / 0.6 = 166.67 (see
    # docs/decisions.md), so w_A = 60 / M, w_B = 40 / M and the LP bound is
    # 1080 + (60 * 50 + 40 * 40) * 0.6 / 100 = 1107.6 < 1170: the MIP still runs.
    plan = tmp_path / "plan.xlsx"
    result, text = _solve(_workbook(tmp_path, _mip()), "-o", plan, "--lp-start")
    assert result.exit_code == 0, text
    summary = _summary(plan)
    assert summary["objective"] == pytest.approx(1170)
    assert summary["solver.lp_start"].startswith("LP bound 1107.6")
    assert summary["seconds.start_lp"] >= 0 and summary["seconds.mip"] >= 0
    # off (the default for a model this small): no LP start
    bare = tmp_path / "bare.xlsx"
    result, text = _solve(_workbook(tmp_path, _mip()), "-o", bare)
    assert result.exit_code == 0, text
    assert "solver.lp_start" not in _summary(bare)
