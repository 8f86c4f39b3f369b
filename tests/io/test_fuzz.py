"""The fuzz harness that found issue 11's bugs, kept: seeded mutants of valid workbooks
(tests/io/mutants.py) through `validate` and `solve`, as a user would run them.

Every mutant must end with a documented exit status (validate: 0 valid, 2 bad input; solve:
0 plan, 2 bad input, 3 infeasible, 4 no plan in time), never with an exception (the console
would show "internal error", exit 1), leave its input byte for byte unchanged, and leave the
output folder either empty or holding exactly one whole plan (no partial file, no temporary
file). A failure names the seed: ``mutant(base, seed)`` rebuilds the file.

The suite runs :data:`DEFAULT_MUTANTS` mutants (about 20 s); ``TRUST_PLANNER_FUZZ=5000`` runs
more (a solve for about one valid mutant in ten, at least :data:`MIN_SOLVES`).
"""

from __future__ import annotations

import collections
import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from input_helpers import base, workbook_bytes
from mutants import Workbook, mutant
from planner import cli
from planner.io.template import write_input_workbook
from tests.plans.cases import rich_dataset

DEFAULT_MUTANTS = 240
MIN_SOLVES = 16
MUTANTS = int(os.environ.get("TRUST_PLANNER_FUZZ") or DEFAULT_MUTANTS)
SOLVES = max(MIN_SOLVES, MUTANTS // 10)
ALLOWED = {"validate": {0, 2}, "solve": {0, 2, 3, 4}}


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Workbook]:
    """Two valid workbooks: the small reading case, and the rich case written by the template
    writer (every sheet and column: facilities, recipes, financing, policies)."""
    ds = rich_dataset()
    rich = write_input_workbook(tmp_path_factory.mktemp("base") / "rich.xlsx", ds.tables, ds.settings)
    return {"small": Workbook.from_bytes(workbook_bytes(base())), "rich": Workbook.from_bytes(rich.read_bytes())}


def _run(runner: CliRunner, args: list[str], work: Path, data: bytes) -> tuple[int, list[str]]:
    """Exit status of one command, and what it did wrong (empty: nothing)."""
    wrong: list[str] = []
    result = runner.invoke(cli.app, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        wrong.append(f"raised {type(result.exception).__name__}: {result.exception}")
    text = result.stdout + result.stderr
    if "Traceback" in text:
        wrong.append("printed a traceback")
    status = result.exit_code
    if status not in ALLOWED[args[0]]:
        wrong.append(f"exit {status}: {' '.join(text.split())[:300]}")
    if (work / "in.xlsx").read_bytes() != data:
        wrong.append("changed its input")
    out = sorted(p.name for p in (work / "out").iterdir())
    if status != 0 and out:
        wrong.append(f"exit {status} but wrote {out}")
    if status == 0 and args[0] == "solve":
        if out != ["plan.xlsx"]:
            wrong.append(f"plan written as {out}")
        else:
            with zipfile.ZipFile(work / "out" / "plan.xlsx") as z:
                if z.testzip() is not None or "xl/workbook.xml" not in z.namelist():
                    wrong.append("wrote a damaged plan")
    return status, wrong


def test_mutants_end_with_a_documented_status_and_touch_nothing(bases, tmp_path):
    runner = CliRunner()
    work = tmp_path / "work"
    (work / "out").mkdir(parents=True)
    failures: list[str] = []
    outcomes: collections.Counter = collections.Counter()
    solved = 0
    names = sorted(bases)
    for seed in range(MUTANTS):
        name = names[seed % len(names)]
        data, done = mutant(bases[name], seed)
        (work / "in.xlsx").write_bytes(data)
        status, wrong = _run(runner, ["validate", str(work / "in.xlsx")], work, data)
        outcomes[f"validate {status}"] += 1
        if status == 0 and not wrong and solved < SOLVES:
            solved += 1
            status, more = _run(runner, ["solve", str(work / "in.xlsx"), "--quiet", "-o", str(work / "out" / "plan.xlsx"),
                                         "--time-limit", "10"], work, data)
            wrong += more
            outcomes[f"solve {status}"] += 1
            for plan in (work / "out").iterdir():
                plan.unlink()
        if wrong:
            failures.append(f"seed {seed} ({name}: {'; '.join(done)}): {'; '.join(wrong)}")
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
    print(f"\n{MUTANTS} mutants, sha256 of the last {hashlib.sha256(data).hexdigest()[:12]}: {summary}")
    assert not failures, f"{len(failures)} of {MUTANTS} mutants failed ({summary}):\n" + "\n".join(failures[:20])
    assert outcomes["validate 0"] and outcomes["validate 2"] and solved  # the mutants reach both ends
