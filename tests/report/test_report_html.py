"""The HTML report: self-contained, and rendered by a real browser (headless Chromium) into a
page that is not blank, shows the objective and every material's name, and logs no error.

The plan is the hand plan of tests/plans/cases.py (no solver needed). Chromium runs three
times: a screenshot, the DOM after rendering (with the console logged), and a page with a
script error, which must be caught (the check can fail). .ci/run installs Chromium.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.io.plan_terms import money_text
from planner.io.targets import file_kind
from planner.plans.saved_plan import read_plan
from planner.report.html import render, write_report
from tests.plans.cases import HAND_OBJECTIVE, rich_dataset, write_hand_plan

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def plan_and_report(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    plan = write_hand_plan(folder / "hand.xlsx")
    return plan, write_report(read_plan(plan), folder / "hand.html")


def browse(page: Path, *args: str, folder: Path) -> subprocess.CompletedProcess:
    """Headless Chromium on ``page`` with a fresh profile, logging the page's console to stderr."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--enable-logging=stderr", "--v=0", f"--user-data-dir={folder / 'profile'}"]
    return subprocess.run([BROWSER, *flags, *args, page.resolve().as_uri()], capture_output=True, text=True,
                          timeout=120)


def console_lines(stderr: str) -> list[str]:
    """What the page wrote to the console (script errors, console.error...): Chromium logs
    each as INFO:CONSOLE; the browser's own complaints (no D-Bus here) are not the page's."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_report_is_one_self_contained_file(plan_and_report):
    _plan, report = plan_and_report
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    # nothing to fetch: the only URL is the SVG namespace, which is a name, not a request
    assert set(re.findall(r"https?://[^\s\"')]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "@media print" in html and "@page" in html and "break-inside: avoid" in html
    assert html.count("<svg") >= 5  # timeline, supply (expected and per scenario), costs, scenarios
    # the output checks know it as a report of ours (so a later run may replace it)
    assert file_kind(report) == "report"


@needs_browser
def test_report_renders_in_chromium_not_blank_with_objective_and_materials(plan_and_report, tmp_path):
    from PIL import Image, ImageStat

    _plan, report = plan_and_report
    shot = tmp_path / "shot.png"
    run = browse(report, "--window-size=1200,2400", f"--screenshot={shot}", folder=tmp_path)
    assert shot.exists(), run.stderr[-2000:]
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("L")
    assert image.size == (1200, 2400)
    # not blank: the grey levels vary (a white page has deviation 0) and a good part is ink
    assert ImageStat.Stat(image).stddev[0] > 20
    assert sum(image.histogram()[:200]) > 0.02 * 1200 * 2400
    assert console_lines(run.stderr) == []

    dom = browse(report, "--dump-dom", folder=tmp_path)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom.stdout))
    assert money_text(HAND_OBJECTIVE, "USD") in text
    for name in rich_dataset()["Materials"]["name"]:
        assert name in text, name
    assert "What to build" in text and "Biggest foreign dependency" in text and "Policies and limits" in text
    assert console_lines(dom.stderr) == []


@needs_browser
def test_the_console_check_catches_a_page_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>undefined_function()</script>")
    run = browse(page, "--dump-dom", folder=tmp_path)
    assert any("undefined_function is not defined" in line for line in console_lines(run.stderr))


def test_report_of_a_plan_without_builds_marginals_or_scenarios(tmp_path):
    # the plan writer's smallest plan: one material, one offer, one scenario, no facilities
    from tests.cli.test_plan_writer import _dataset, _outcome
    from planner.io.plan import write_plan

    plan = read_plan(write_plan(tmp_path / "small.xlsx", _outcome(), _dataset()))
    html = render(plan)
    assert "The plan starts no domestic module" in html and "no Marginal values sheet" in html
    assert "Lithium (LI)" in html and money_text(50.0, "USD") in html


def test_report_command_and_solve_report_write_beside_the_plan(plan_and_report, tmp_path, monkeypatch):
    plan, _report = plan_and_report
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", str(plan), "-o", "r.html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    again = CliRunner().invoke(app, ["report", str(plan), "-o", "r.html"])
    assert again.exit_code == 0 and "replaced the previous report" in again.output
    (tmp_path / "notes.html").write_text("my notes")
    refused = CliRunner().invoke(app, ["report", str(plan), "-o", "notes.html"])
    assert refused.exit_code == 2 and (tmp_path / "notes.html").read_text() == "my notes"
    junk = tmp_path / "junk.xlsx"
    junk.write_text("junk")
    assert CliRunner().invoke(app, ["report", str(junk)]).exit_code == 2
