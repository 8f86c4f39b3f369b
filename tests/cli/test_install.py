"""trust-planner installs like any tool: a built wheel, installed (not editable) into a fresh
virtual environment, solves the bundled example, writes the template and a report from any
folder, without the repository.

Kept fast and offline: the wheel is built without build isolation from a copy of the package
sources, installed with --no-deps, and the fresh environment borrows the test environment's
third-party packages through a .pth line (a directory added that way is not scanned for .pth
files itself, so this checkout's editable install stays out: `planner` comes from the wheel).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    for package in ("planner", "models"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", source,
        cwd=tmp)
    (wheel,) = (tmp / "dist").glob("trust_planner-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp)
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp).stdout.strip())
    (purelib / "_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return venv, env


def test_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    venv, env = installed
    where = run(venv / "bin" / "python", "-c", "import planner; print(planner.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv)


def test_solve_template_and_report_from_any_folder(installed, tmp_path):
    venv, env = installed
    tool = venv / "bin" / "trust-planner"
    # a loose gap and no marginal values: the solve is quick, the point is that it runs
    solved = run(tool, "solve", "--quiet", "--no-marginals", "--mip-gap", "0.05", "--report", cwd=tmp_path, env=env)
    assert "What to build" in solved.stdout
    plan = tmp_path / "outputs" / "example-plan.xlsx"
    assert load_workbook(plan, read_only=True)["Read me"]["A1"].value == "Sourcing plan: example.xlsx"
    assert (tmp_path / "outputs" / "example-plan.html").read_text().startswith("<!DOCTYPE html>")
    run(tool, "template", "blank.xlsx", cwd=tmp_path, env=env)
    instructions = [r for r in load_workbook(tmp_path / "blank.xlsx", read_only=True)["Instructions"]
                    .iter_rows(values_only=True) if r[0] == "Reference"]
    assert "trust-planner reference" in instructions[0][1] and "docs/" not in instructions[0][1]
    run(tool, "report", plan, "-o", "again.html", cwd=tmp_path, env=env)
    css = (tmp_path / "again.html").read_text()
    assert "@media print" in css  # the stylesheet shipped inside the package


def test_reference_command_prints_the_template_reference():
    from typer.testing import CliRunner

    from planner.cli import app
    from planner.io.reference import render

    result = CliRunner().invoke(app, ["reference"])
    assert result.exit_code == 0 and result.stdout == render() + "\n"
    assert (ROOT / "docs" / "template.md").read_text(encoding="utf-8") == render()
