"""What the CLI says and writes when no plan exists: the diagnosis of models.analysis.diagnosis in the
terminal, and (``solve --explain FILE``) as a workbook, written whole or not at all."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from rich.console import Console

from models.analysis.diagnosis import Diagnosis
from planner import __version__
from planner.schema.dataset import Dataset
from planner.io.plan import write_workbook_atomic

#: Conflicts listed in the terminal; the workbook (--explain) has them all.
SHOWN = 12


def print_diagnosis(console: Console, diagnosis: Diagnosis, explain: Path | None) -> None:
    lines = diagnosis.message.splitlines()
    items = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    if len(items) > SHOWN:
        cut = set(items[SHOWN:])
        lines = [line for i, line in enumerate(lines) if i not in cut]
        more = "" if explain else " (solve --explain FILE lists them all)"
        lines.append(f"  … and {len(items) - SHOWN} more{more}")
    for line in lines:
        console.print(line, markup=False, highlight=False)


def diagnosis_sheets(diagnosis: Diagnosis, dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The diagnosis workbook: Summary (metric, value) and Conflicts (one row per conflict)."""
    summary = [
        ("status", "infeasible: no plan satisfies every policy and limit"),
        ("conflicts", len(diagnosis.conflicts)),
        ("policy_conflicts", len(diagnosis.policies)),
        ("limit_conflicts", len(diagnosis.limits)),
        ("smallest_relaxation_proven", diagnosis.proven),
        ("targets_no_limit_can_fix", "; ".join(diagnosis.targets_only)),
        ("explanation", diagnosis.message),
        ("diagnosis_seconds", round(diagnosis.seconds, 3)),
        ("input_file", dataset.source.name),
        ("input_sha256", dataset.source.sha256),
        ("planner_version", __version__),
        ("created_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
    ]
    return {"Summary": pd.DataFrame(summary, columns=["metric", "value"]), "Conflicts": diagnosis.table()}


def write_diagnosis(path: Path, diagnosis: Diagnosis, dataset: Dataset) -> Path:
    write_workbook_atomic(Path(path), diagnosis_sheets(diagnosis, dataset), kind="diagnosis")
    return Path(path)
