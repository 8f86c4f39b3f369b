"""Progress reports and the wall-clock watchdog on a HiGHS run (models.highs.monitor)."""

import itertools

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from models.build import build_model
from models.params.data import build_data
from models.highs.monitor import SolveMonitor
from models.outcome import Progress, SolveOptions, Status
from models.highs.options import SolverOptions
from models.highs.session import HighsSession
from models.solve import solve_dataset
from planner import cli
from planner.instances.orlib import DATA_DIR, orlib_dataset, published_optimum
from planner.cli.progress import ProgressLine


def test_progress_reports_incumbent_bound_and_gap():
    seen: list[Progress] = []
    out = solve_dataset(orlib_dataset("cap41"), SolveOptions(on_progress=seen.append, marginals=False))
    assert out.status is Status.OPTIMAL and out.objective == pytest.approx(published_optimum("cap41"))
    assert seen, "no progress reported"
    last = [p for p in seen if p.incumbent is not None][-1]
    assert last.incumbent == pytest.approx(out.objective)  # the last improving plan is the optimum
    assert all(p.elapsed_s >= 0 for p in seen)
    assert all(p.bound is None or p.bound <= p.incumbent + 1e-6 for p in seen if p.incumbent is not None)


def test_progress_uses_a_bound_known_from_outside_the_run():
    # The LP start's LP bound 100: during the restricted MIP its own bound 105 is not one of
    # the whole model, so 100 is shown (gap 10 / 110); during the full MIP the stronger one.
    seen: list[Progress] = []
    monitor = SolveMonitor(highs=None, on_progress=seen.append)
    monitor._report(110.0, 105.0, 0.045)
    monitor.known_bound, monitor.run_bound_valid = 100.0, False
    monitor._report(110.0, 105.0, 0.045)
    monitor.run_bound_valid = True
    monitor._report(110.0, 105.0, 0.045)
    monitor._report(110.0, 90.0, 0.18)
    assert [(p.bound, p.gap) for p in seen] == [(105.0, 0.045), (100.0, pytest.approx(10 / 110)),
                                               (105.0, pytest.approx(5 / 110)), (100.0, pytest.approx(10 / 110))]


def test_watchdog_stops_a_run_that_overruns_its_limit():
    # A clock that jumps past limit + grace right after the start: the first interrupt callback
    # stops HiGHS, the run ends like a time limit without a plan; the next run is not watched.
    session = HighsSession(build_model(build_data(orlib_dataset("cap41"))))
    ticks = itertools.count()
    with SolveMonitor(session.highs, None, time_limit=60.0, clock=lambda: 0.0 if next(ticks) == 0 else 1e9) as mon:
        run = session.run(SolverOptions(time_limit_s=60.0))
    assert mon.fired
    assert run.termination.name == "interrupted" and not run.has_solution
    again = session.run(SolverOptions(time_limit_s=session.run_time + 60.0))
    assert again.has_solution and again.objective == pytest.approx(published_optimum("cap41"))


def test_progress_line_text():
    clock = iter([0.0, 12.4, 13.0]).__next__
    line = ProgressLine(clock=clock)
    line.update(Progress(elapsed_s=12.0, incumbent=1_234_567.8, bound=1_200_000.0, gap=0.0281))
    assert line.text() == "solving… 12 s   incumbent 1,234,568   bound 1,200,000   gap 2.81%"
    line.update(Progress(elapsed_s=13.0, incumbent=None, bound=5.0, gap=None))
    assert line.text().endswith("no plan yet   bound 5")


def test_capb_at_3_seconds_through_the_cli(tmp_path):
    """capb (100 warehouses x 1000 customers, capacity 5000) with a 3 s limit: a plan found by then is
    written with its gap and marked not proven optimal; with none, exit 4 and nothing written."""
    from planner.io.template import write_input_workbook

    ds = orlib_dataset(DATA_DIR / "capb.txt", capacity=5000)
    source = write_input_workbook(tmp_path / "capb.xlsx", ds.tables, ds.settings)
    plan = tmp_path / "capb-plan.xlsx"
    result = CliRunner().invoke(cli.app, ["solve", str(source), "-o", str(plan), "--time-limit", "3", "--quiet",
                                          "--large-input"])
    text = " ".join((result.stdout + result.stderr).split())
    if result.exit_code == 4:  # no incumbent within 3 s on this machine
        assert "no plan found within the time limit" in text and not plan.exists()
        return
    assert result.exit_code == 0, text
    rows = list(load_workbook(plan, read_only=True)["Summary"].iter_rows(values_only=True))
    summary = {row[0]: row[1] for row in rows[1:]}
    assert summary["proven_optimal"] is False
    assert summary["status"] == "time limit reached: best plan found, not proven optimal"
    assert summary["objective"] >= published_optimum("capb", 5000) * (1 - 1e-9)
    # the gap when a bound is known by then; the quick plan (models.highs.quick_plan) alone has none
    assert summary["gap"] is None or summary["gap"] > 0
