"""Where commands may write (planner.io.targets), as a user hits it: a target that is the input,
a file that is not ours, a folder, a read-only or full disk. Every refusal exits 2 before
anything is read, writes nothing and leaves the input byte for byte as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from planner import cli
from planner.io import targets
from planner.io.targets import LOG_HEADER, file_kind
from planner.io.template import write_input_workbook
from planner.io.workbook_style import workbook_bytes
from tests.plans.cases import rich_dataset, write_hand_plan

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def cli_process(*args, cwd: Path, wrap: str = "") -> subprocess.CompletedProcess:
    """The console entry point in a fresh process (exit statuses set by planner.cli.app.main),
    optionally under a wrapper command (``unshare ...``, ``setpriv ...``)."""
    command = [sys.executable, "-m", "planner", *map(str, args)]
    if wrap:
        command = ["sh", "-c", wrap + ' "$@"', "sh", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def small_input(tmp_path_factory) -> Path:
    """A valid input that solves in a blink (two years, three countries, a refinery)."""
    ds = rich_dataset()
    return write_input_workbook(tmp_path_factory.mktemp("input") / "small.xlsx", ds.tables, ds.settings)


@pytest.fixture()
def work(tmp_path, small_input) -> Path:
    """The small input as IN.xlsx, and a sub folder."""
    shutil.copy(small_input, tmp_path / "IN.xlsx")
    (tmp_path / "sub").mkdir()
    return tmp_path


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _user_workbook(path: Path) -> Path:
    """A workbook someone made or saved themselves (openpyxl stamps the time of the save)."""
    wb = Workbook()
    wb.active["A1"] = "my notes"
    wb.save(path)
    return path


# ---- item 1: the input, and files not ours -------------------------------------------------

@pytest.mark.parametrize("args", [
    ("-o", "IN.xlsx"),
    ("-o", "./sub/../IN.xlsx"),
    ("--explain", "IN.xlsx"),
    ("--log", "IN.xlsx"),
    ("--plots", "IN.xlsx"),
    ("-o", "link.xlsx"),   # a symbolic link to the input
    ("-o", "hard.xlsx"),   # a hard link: the same file under another name
])
def test_solve_refuses_its_input_as_a_target(work, monkeypatch, args):
    monkeypatch.chdir(work)
    os.symlink("IN.xlsx", work / "link.xlsx")
    os.link(work / "IN.xlsx", work / "hard.xlsx")
    before = (work / "IN.xlsx").read_bytes()
    listing = _files(work)
    status, text = invoke("solve", "IN.xlsx", "--quiet", *args)
    assert status == 2, text
    assert "is the input IN.xlsx" in text and "Nothing was read or written" in text
    assert (work / "IN.xlsx").read_bytes() == before
    assert _files(work) == listing


def test_the_target_is_checked_before_the_input_is_read(work, monkeypatch):
    # an input that is not even a workbook: the refusal names the target, not the input's problems
    monkeypatch.chdir(work)
    (work / "IN.xlsx").write_bytes(b"not a workbook")
    status, text = invoke("solve", "IN.xlsx", "-o", "IN.xlsx")
    assert status == 2 and "is the input" in text and "problem" not in text
    assert (work / "IN.xlsx").read_bytes() == b"not a workbook"


def test_two_targets_of_one_command_must_differ(work, monkeypatch):
    monkeypatch.chdir(work)
    status, text = invoke("solve", "IN.xlsx", "-o", "p.xlsx", "--log", "./p.xlsx")
    assert status == 2 and "-o and --log both name" in text
    assert not (work / "p.xlsx").exists()


@pytest.mark.parametrize("command", [
    ("solve", "IN.xlsx", "--quiet", "-o", "mine.xlsx"),
    ("solve", "IN.xlsx", "--quiet", "--explain", "mine.xlsx"),
    ("template", "mine.xlsx"),
    ("generate", "-o", "mine.xlsx"),
])
def test_a_file_not_written_by_trust_planner_is_left_alone(work, monkeypatch, command):
    monkeypatch.chdir(work)
    mine = _user_workbook(work / "mine.xlsx").read_bytes()
    status, text = invoke(*command)
    assert status == 2, text
    assert "mine.xlsx exists and was not written by trust-planner" in text
    assert (work / "mine.xlsx").read_bytes() == mine


def test_a_filled_in_template_is_the_users_and_template_keeps_it(work, monkeypatch):
    monkeypatch.chdir(work)
    write_input_workbook(work / "template.xlsx")
    assert file_kind(work / "template.xlsx") == "input"  # untouched: ours to replace
    status, text = invoke("template")
    assert status == 0 and "replaced the previous blank template or generated input" in text
    wb = load_workbook(work / "template.xlsx")  # the user fills it in and saves
    wb["Materials"]["A2"] = "LI"
    wb.save(work / "template.xlsx")
    filled = (work / "template.xlsx").read_bytes()
    status, text = invoke("template")
    assert status == 2 and "template.xlsx exists and was not written by trust-planner" in text
    assert (work / "template.xlsx").read_bytes() == filled


def test_a_log_file_not_ours_is_refused_an_old_log_is_replaced(work, monkeypatch):
    monkeypatch.chdir(work)
    (work / "notes.log").write_text("my notes\n")
    status, text = invoke("solve", "IN.xlsx", "--quiet", "--log", "notes.log")
    assert status == 2 and "notes.log exists and was not written by trust-planner" in text
    assert (work / "notes.log").read_text() == "my notes\n"
    # a log of an earlier version (HiGHS' lines only) is ours to replace
    (work / "old.log").write_text("MIP has 4785 rows; 2753 cols; 14648 nonzeros; 152 integer variables\n")
    status, text = invoke("solve", "IN.xlsx", "--quiet", "--log", "old.log", "-o", "p.xlsx")
    assert status == 0, text
    log = (work / "old.log").read_text()
    assert log.startswith(LOG_HEADER) and "HiGHS run time" in log  # our header, then HiGHS' own lines
    assert file_kind(work / "old.log") == "log"


def test_compare_refuses_to_write_over_a_plan_it_compares(tmp_path):
    a = write_hand_plan(tmp_path / "a.xlsx")
    b = write_hand_plan(tmp_path / "b.xlsx", charts=False)
    before = a.read_bytes()
    status, text = invoke("compare", a, b, "-o", a)
    assert status == 2 and f"is the input {a}" in text
    assert a.read_bytes() == before


def test_a_previous_plan_or_comparison_of_ours_is_replaced_and_the_terminal_says_so(tmp_path):
    a = write_hand_plan(tmp_path / "a.xlsx")
    b = write_hand_plan(tmp_path / "b.xlsx", charts=False)
    out = tmp_path / "comparison.xlsx"
    assert invoke("compare", a, b, "-o", out)[0] == 0
    assert file_kind(out) == "comparison" and file_kind(a) == "plan"
    status, text = invoke("compare", a, b, "-o", out)
    assert status == 0 and f"replaced the previous comparison at {out}" in text
    status, text = invoke("compare", a, b, "-o", b.with_name("c.xlsx"))
    assert status == 0 and "replaced" not in text


def test_plans_written_before_the_marker_are_still_recognised(tmp_path):
    # creator trust-planner and a first sheet Summary, no category: an older plan or comparison
    wb = Workbook()
    wb.active.title = "Summary"
    old = tmp_path / "old.xlsx"
    old.write_bytes(workbook_bytes(wb))
    assert file_kind(old) == "output"
    wb.properties.creator = "someone"
    other = tmp_path / "other.xlsx"
    wb.save(other)
    assert file_kind(other) is None


def test_an_empty_file_may_be_replaced_a_fifo_may_not(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert targets.check_targets([targets.Target(tmp_path / "empty.xlsx", "-o")]).replaces
    os.mkfifo(tmp_path / "pipe.xlsx")
    with pytest.raises(targets.TargetError, match="not a regular file"):
        targets.check_targets([targets.Target(tmp_path / "pipe.xlsx", "-o")])


# ---- item 2: output problems found before reading; a failed write --------------------------

@pytest.mark.parametrize("args, message", [
    (("-o", "sub"), "-o sub is a folder; give a file name"),
    (("-o", "IN.xlsx/plan.xlsx"), "IN.xlsx is a file, not a folder"),
    (("-o", "notes.txt/deeper/plan.xlsx"), "notes.txt is a file, not a folder"),
    (("--plots", "notes.txt"), "--plots notes.txt is a file; it needs a folder"),
    (("--explain", "sub"), "--explain sub is a folder"),
])
def test_output_problems_are_found_before_reading(work, monkeypatch, args, message):
    monkeypatch.chdir(work)
    (work / "notes.txt").write_text("x")
    listing = _files(work)
    status, text = invoke("solve", "IN.xlsx", "--quiet", *args)
    assert status == 2 and message in text, text
    assert _files(work) == listing


def test_plots_command_refuses_a_file_as_its_folder(tmp_path):
    plan = write_hand_plan(tmp_path / "a.xlsx")
    status, text = invoke("plots", plan, "--plots", plan)
    assert status == 2 and "is the input" in text


def test_a_chart_file_not_ours_is_not_overwritten(tmp_path):
    pytest.importorskip("matplotlib")
    plan = write_hand_plan(tmp_path / "a.xlsx")
    charts = tmp_path / "charts"
    assert invoke("plots", plan, "--plots", charts)[0] == 0
    first, *ours = sorted(charts.iterdir())
    assert file_kind(first) == "png" and ours
    first.write_bytes(b"\x89PNG\r\n\x1a\n someone's picture")
    status, text = invoke("plots", plan, "--plots", charts)
    assert status == 2 and "is not a chart written by trust-planner" in text
    assert first.read_bytes() == b"\x89PNG\r\n\x1a\n someone's picture"


def _can(wrap: str, cwd: Path) -> bool:
    return shutil.which(wrap.split()[0]) is not None and subprocess.run(
        ["sh", "-c", wrap + " true"], cwd=cwd, capture_output=True).returncode == 0


def test_read_only_file_system_is_refused_before_reading(work):
    # a private mount namespace (no root needed where user namespaces are allowed)
    (work / "ro").mkdir()
    wrap = "unshare -rm sh -c 'mount -t tmpfs -o ro,size=64k tmpfs ro && exec \"$0\" \"$@\"'"
    if not _can(wrap, work):
        pytest.skip("cannot mount a private read-only file system here")
    out = cli_process("solve", "IN.xlsx", "--quiet", "-o", "ro/plan.xlsx", cwd=work, wrap=wrap)
    assert out.returncode == 2, out.stderr
    assert "ro is on a read-only file system" in " ".join(out.stderr.split())


@pytest.fixture()
def open_folder():
    """A folder every user may read (pytest's own are private to their owner)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tp-perm-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_no_permission_is_refused_before_reading(open_folder, small_input):
    shutil.copy(small_input, open_folder / "IN.xlsx")
    locked = open_folder / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    wrap = ""
    if os.geteuid() == 0:  # root writes anywhere: run as nobody, where possible
        wrap = "setpriv --reuid=65534 --regid=65534 --clear-groups"
        if not _can(wrap, open_folder) or subprocess.run(
                ["sh", "-c", f"{wrap} {sys.executable} -c 'import planner'"], cwd=ROOT,
                capture_output=True).returncode != 0:
            pytest.skip("running as root and cannot switch to an unprivileged user")
    out = cli_process("solve", "IN.xlsx", "--quiet", "-o", "locked/plan.xlsx", cwd=open_folder, wrap=wrap)
    text = " ".join(out.stderr.split())
    assert out.returncode == 2, text
    assert "no file can be created in locked (Permission denied)" in text
    assert list(locked.iterdir()) == []


def test_disk_full_while_writing_is_reported_and_the_previous_plan_kept(work):
    # a 12 KB file system: the previous plan (5 KB, ours) fits, the new one (27 KB) does not
    (work / "small").mkdir()
    wrap = "unshare -rm sh -c 'mount -t tmpfs -o size=12k tmpfs small && cp old.xlsx small/plan.xlsx && exec \"$0\" \"$@\"'"
    previous = Workbook()
    previous.active.title = "Summary"
    (work / "old.xlsx").write_bytes(workbook_bytes(previous, kind="plan"))
    if not _can(wrap, work):
        pytest.skip("cannot mount a small private file system here")
    out = cli_process("solve", "IN.xlsx", "--quiet", "-o", "small/plan.xlsx", cwd=work, wrap=wrap)
    text = " ".join(out.stderr.split())
    assert out.returncode == 5, text
    assert "could not write small/plan.xlsx: No space left on device; the previous file is unchanged" in text
    assert "internal error" not in text and "Traceback" not in text


def test_a_failed_write_is_exit_5_with_the_previous_plan_intact(work, monkeypatch, capsys):
    # the same, in process: the disk fills up while the plan's bytes are written
    import errno

    from planner.io import workbook_style

    monkeypatch.chdir(work)
    previous = Workbook()
    previous.active.title = "Summary"
    old = workbook_bytes(previous, kind="plan")
    (work / "plan.xlsx").write_bytes(old)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(workbook_style.os, "fsync", full)
    monkeypatch.setattr(sys, "argv", ["trust-planner", "solve", "IN.xlsx", "--quiet", "-o", "plan.xlsx"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 5
    err = " ".join(capsys.readouterr().err.split())
    assert "could not write plan.xlsx: No space left on device; the previous file is unchanged" in err
    assert (work / "plan.xlsx").read_bytes() == old
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
