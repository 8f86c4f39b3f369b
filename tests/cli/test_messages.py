"""Small things a user meets in the terminal (issue 11 item 8): a FIFO given as input, a
message with brackets, two plans with the same file name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from planner import cli
from planner.io import charts
from planner.plans.compare import plan_names
from planner.plans.saved_plan import read_plan
from tests.plans.cases import write_hand_plan


def test_a_fifo_as_input_is_refused_at_once(tmp_path):
    # opening a FIFO for reading blocks until a writer comes: validate and solve hung
    fifo = tmp_path / "in.xlsx"
    os.mkfifo(fifo)
    command = ["solve", str(fifo), "-q", "-o", str(tmp_path / "p.xlsx")]  # in a process of its own: it hung
    out = subprocess.run([sys.executable, "-m", "planner", *command], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "not a regular file" in " ".join(out.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_the_install_hint_keeps_its_brackets(tmp_path, monkeypatch):
    # rich read "[plots]" as markup and printed: pip install 'trust-planner'
    plan = write_hand_plan(tmp_path / "a.xlsx", charts=False)

    def missing():
        raise charts.ChartsUnavailable("PNG charts need matplotlib: pip install 'trust-planner[plots]'")

    monkeypatch.setattr(charts, "_pyplot", missing)
    result = CliRunner().invoke(cli.app, ["plots", str(plan), "--plots", str(tmp_path / "png")])
    assert result.exit_code == 2
    assert "pip install 'trust-planner[plots]'" in " ".join(result.stderr.split())


def test_plans_with_the_same_file_name_are_labelled_by_their_paths(tmp_path):
    paths = []
    for folder in ("a", "b"):
        (tmp_path / folder / "run").mkdir(parents=True)
        paths.append(write_hand_plan(tmp_path / folder / "run" / "plan.xlsx", charts=False))
    other = write_hand_plan(tmp_path / "other.xlsx", charts=False)
    plans = [read_plan(p) for p in (*paths, other, paths[0])]
    assert plan_names(plans) == ["a/run/plan #1", "b/run/plan", "other", "a/run/plan #2"]
    result = CliRunner().invoke(cli.app, ["compare", *map(str, paths), "-o", str(tmp_path / "c.xlsx")],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.stdout
    assert "a/run/plan" in result.stdout and "b/run/plan" in result.stdout


def test_paths_with_brackets_are_printed_as_written(tmp_path):
    folder = tmp_path / "[red]plans"
    folder.mkdir()
    out = folder / "template.xlsx"
    result = CliRunner().invoke(cli.app, ["template", str(out)], env={"COLUMNS": "300"})
    assert result.exit_code == 0 and "[red]plans" in result.stdout and Path(out).exists()
