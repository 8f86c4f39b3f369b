"""The command line end to end: exit statuses, default example, nothing written on bad input."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner import cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_version(tmp_path):
    out = run("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.strip() == f"trust-planner {cli.__version__}"


@pytest.fixture(scope="module")
def default_solve(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("cwd")
    before = hashlib.sha256(cli.EXAMPLE.read_bytes()).hexdigest()
    out = run("solve", "--quiet", "--report", cwd=cwd)
    return cwd, out, before


def test_solve_without_argument_solves_the_bundled_example(default_solve):
    cwd, out, before = default_solve
    assert out.returncode == 0, out.stderr
    plan = cwd / "outputs" / "example-plan.xlsx"
    assert plan.exists()
    summary = {r[0]: r[1] for r in load_workbook(plan, read_only=True)["Summary"].iter_rows(min_row=2,
                                                                                        values_only=True)}
    assert summary["status"] == "optimal"
    assert summary["input_sha256"] == before
    # the summary in planning words: what to build and how it is financed, dependencies by name,
    # cost per scenario, then status, objective, bound and gap, and where the plan went
    text = " ".join(out.stdout.split())
    assert "What to build" in text and "NdFeB magnet line (REPM)" in text and "JICA_LIKE_LOAN" in text
    assert "Lithium" in text and "(LI2CO3)" in text  # the name wraps in a table cell 80 columns wide
    assert "Biggest foreign dependency" in text and "China (CN)" in text and "cn_controls" in text
    assert "status optimal" in text and "objective" in text and "best bound" in text and "gap" in text
    assert "example-plan.xlsx" in text
    # --report: the HTML report beside the plan, naming every material of the example
    report = cwd / "outputs" / "example-plan.html"
    assert f"Report written to {Path('outputs') / 'example-plan.html'}" in text
    html = report.read_text(encoding="utf-8")
    plan_supply = load_workbook(plan, read_only=True)
    supplied = {r[2] for r in plan_supply["Sourcing"].iter_rows(min_row=2, values_only=True)} | \
        {r[3] for r in plan_supply["Production"].iter_rows(min_row=2, values_only=True)}
    for material, name in load_workbook(cli.EXAMPLE, read_only=True)["Materials"].iter_rows(min_row=2, max_col=2,
                                                                                            values_only=True):
        # in the tables and the charts; a material nothing supplies (spodumene: no refinery is built) in a note
        assert name and html.count(name.replace("&", "&amp;")) >= (2 if material in supplied else 1), name
    # the input is never touched
    assert hashlib.sha256(cli.EXAMPLE.read_bytes()).hexdigest() == before


def test_bad_input_exits_2_names_the_cell_and_writes_nothing(tmp_path):
    wb = load_workbook(cli.EXAMPLE)
    wb["Offers"]["C3"] = "abc"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    before = bad.read_bytes()
    out = run("solve", str(bad), "-o", str(tmp_path / "plan.xlsx"), cwd=tmp_path)
    assert out.returncode == 2
    assert "Offers!C3" in out.stderr and "unit_cost" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert not (tmp_path / "plan.xlsx").exists()
    assert bad.read_bytes() == before


def test_missing_input_exits_2(tmp_path):
    out = run("solve", str(tmp_path / "nope.xlsx"), cwd=tmp_path)
    assert out.returncode == 2
    assert "not found" in out.stderr


def test_internal_error_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("models.solve.solve_dataset", broken)
    monkeypatch.setattr(sys, "argv", ["trust-planner", "solve", "--quiet", "-o", str(tmp_path / "p.xlsx")])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "ZeroDivisionError: boom" in err
    assert "Traceback" not in err
    assert not (tmp_path / "p.xlsx").exists()
