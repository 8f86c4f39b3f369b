"""Time the plan writer alone on a solved generated plan (a script, not a test).

    python benchmarks/plan_writing.py large national --repeat 5

The first run of a case solves it once (seed 0, the LP start, marginal values) and keeps
the outcome and dataset in a pickle (``--cache``, default /tmp/trust-planner-plans); later
runs reuse it, so changes to the writer are timed on the same plan. Prints, per case, the
median wall and CPU seconds of ``planner.io.plan.write_plan`` over the repeats, the
plan's size and the rows written, with the load average.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def solved(case: str, cache: Path, time_limit: float):
    """(outcome, dataset) of the generated ``case``, solved once and cached."""
    path = cache / f"{case}.pkl"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)
    from models.outcome import SolveOptions
    from models.solve import solve_dataset
    from planner.instances.generate import generate_dataset

    dataset = generate_dataset(case, 0)
    outcome = solve_dataset(dataset, SolveOptions(time_limit_s=time_limit))
    if not outcome.status.has_plan:
        raise SystemExit(f"{case}: no plan ({outcome.status.value})")
    outcome.solver.pop("on_progress", None)
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump((outcome, dataset), handle)
    return outcome, dataset


def time_writing(outcome, dataset, repeat: int) -> dict:
    from planner.io.plan import MARGINAL_SHEET, write_plan

    extra = {MARGINAL_SHEET: outcome.marginals} if outcome.marginals is not None else None
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "plan.xlsx"
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            write_plan(target, outcome, dataset, extra_sheets=extra)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        size = target.stat().st_size
    rows = sum(len(t) for t in outcome.tables.values()) + sum(len(t) for t in dataset.tables.values())
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "walls": walls,
            "size_mb": size / 1e6, "rows": rows}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "trust-planner-plans")
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args(argv)
    for case in args.cases:
        outcome, dataset = solved(case, args.cache, args.time_limit)
        r = time_writing(outcome, dataset, args.repeat)
        print(f"{case}: write_plan median {r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU over {args.repeat} "
              f"(runs {', '.join(f'{w:.2f}' for w in r['walls'])}); {r['size_mb']:.1f} MB, {r['rows']:,} rows; "
              f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
