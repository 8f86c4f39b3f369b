"""What-if speed (issue 13 item 7): a 10-point sweep against one solve, end to end, through the CLI.

    python benchmarks/whatif.py [--repeats N] [--cases example,medium] [--workers 1,2]

For each case: ``trust-planner solve`` of the workbook, then ``trust-planner sweep`` of 10 values of
one policy target with ``--workers W``; each a fresh process, timed from its start to its exit
(wall seconds, and CPU seconds of the process and its worker children, steadier than wall on
a shared machine). Prints a Markdown table (medians over the repeats) with the 1-minute load
average around each run, and the ratio sweep / solve.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "planner"]
#: case -> (workbook maker, the target varied over 10 values)
SWEEPS = {
    "example": (None, "Policies[material=NDPR].max_country_share=0.3:0.75:0.05"),
    "medium": ("medium", "Policies[material=LI-REF].min_green_share=0.1:0.55:0.05"),
}


def timed(args: list[str], cwd: Path, workers_cpu: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, load average before/after). CPU: the command's process; with
    ``workers_cpu`` (a sweep workbook written by worker processes, which are not this process's
    children) also the CPU its points took in the workers (the sheet's cpu_seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    tick = time.perf_counter()
    out = subprocess.run(CLI + args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - tick
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if workers_cpu is not None:
        import pandas as pd

        cpu += float(pd.read_excel(workers_cpu, "Sweep", engine="openpyxl")["cpu_seconds"].sum())
    return wall, cpu, f"{load:.1f}/{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--cases", default="example,medium")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        for case in args.cases.split(","):
            size, target = SWEEPS[case]
            path = ROOT / "inputs" / "example.xlsx"
            if size:
                path = cwd / f"{size}.xlsx"
                subprocess.run(CLI + ["generate", "--size", size, "--seed", "0", "-o", str(path)], check=True,
                               capture_output=True)
            runs: dict[str, list[tuple[float, float, str]]] = {}
            for _ in range(args.repeats):
                runs.setdefault("solve", []).append(timed(["solve", str(path), "-q", "-o", str(cwd / "plan.xlsx")],
                                                          cwd))
                for w in workers:
                    out = cwd / "sweep.xlsx"
                    runs.setdefault(f"sweep, {w} worker(s)", []).append(timed(
                        ["sweep", str(path), "--vary", target, "--workers", str(w), "-o", str(out)], cwd,
                        out if w > 1 else None))
            solve_wall = statistics.median(r[0] for r in runs["solve"])
            solve_cpu = statistics.median(r[1] for r in runs["solve"])
            for name, results in runs.items():
                wall = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[1] for r in results)
                rows.append(f"| {case} | {name} | {wall:.1f} | {cpu:.1f} | {wall / solve_wall:.2f} | "
                            f"{cpu / solve_cpu:.2f} | {', '.join(r[2] for r in results)} |")
            print(f"{case} done", file=sys.stderr)
    print("| case | run | wall s | CPU s | wall / solve | CPU / solve | load avg (1 min) before/after |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
