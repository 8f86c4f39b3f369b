"""Root gaps and time to gap, per case and HiGHS random seed (used by ``benchmarks/run.py --gaps``).

One measurement (:func:`measure`, run in a fresh process per case and seed so its peak memory
is its own):

1. the case's model is built and handed to HiGHS as a solve does (``--before``: as before
   issue 16, in the workbook's own units, i.e. without models.highs.scaling, and without the
   module floors of models.families.capacity);
2. the LP relaxation is solved on its own: the **LP bound** and its seconds;
3. the solve runs as ``trust-planner solve`` runs it (``models.pipeline.run_highs``: the LP start
   where it is on, then HiGHS' MIP) at ``--mip-gap`` (1e-4 unless given) under the time limit,
   with the given ``random_seed``, while a monitor records every incumbent and bound (in model
   units; during the LP start's restricted MIP the LP bound, as the progress display does);
4. recorded: the **root bound** (HiGHS' dual bound at the last report before it branched, of
   the full model's MIP), the final objective and bound, nodes, LP iterations, HiGHS seconds,
   CPU seconds of the process, peak memory, and the seconds until the gap first fell to
   1 %, 0.1 % and 0.01 % (from the start of the solve, LP start included).

The share of the LP gap the root closes is (root - LP) / (best - LP), best being the lowest
objective any run of the case found. Seconds depend on the load of the shared machine (recorded
with each run); nodes and LP iterations do not.
"""

from __future__ import annotations

import os
import resource
import time

from benchmarks.figures import fmt, median

#: Cases measured by default, and their time limits (seconds) for the gap runs.
GAP_TIME_LIMITS = {"example": 120.0, "small": 120.0, "medium": 300.0, "large": 600.0, "national": 900.0,
                   "capb": 600.0}
THRESHOLDS = (1e-2, 1e-3, 1e-4)


def case_dataset(case: str):
    """The Dataset of a benchmark case (the bundled example, a generated size, or capb)."""
    if case == "example":
        from inputs.example_data import example_records, example_settings
        from planner.schema.dataset import from_records

        return from_records(example_settings(), example_records())
    if case == "capb":
        from planner.instances.orlib import orlib_dataset

        return orlib_dataset("capb", 5000)
    from planner.instances.generate import generate_dataset

    return generate_dataset(case, 0)


def measure(case: str, seed: int, mip_gap: float, time_limit: float, before: bool = False) -> dict:
    """One gap run of ``case`` (see the module docstring)."""
    from models.build import build_model
    from models.highs.options import SolverOptions
    from models.highs.session import HighsSession
    from models.outcome import relative_gap
    from models.params.data import build_data
    from models.pipeline import run_highs

    model = build_model(build_data(case_dataset(case)))
    if before and hasattr(model, "module_floor"):
        model.module_floor.deactivate()
    session = HighsSession(model, scale=not before)
    out: dict = {"case": case, "seed": seed, "before": before, "mip_gap": mip_gap, "time_limit": time_limit,
                 "columns": session.size[0], "integers": session.n_integer}
    options = SolverOptions(raw={"random_seed": seed})

    session.relax_integrality(True)
    tick = time.perf_counter()
    lp = session.run(options.replace(time_limit_s=time_limit))
    out["lp_seconds"] = time.perf_counter() - tick
    out["lp_bound"] = lp.bound
    session.relax_integrality(False)
    session.clear_solution()

    trace: list[tuple[float, float | None, float | None]] = []
    root: dict = {}
    monitor = session.watch(lambda p: trace.append((p.elapsed_s, p.incumbent, p.bound)), time_limit, every=0.05)

    def at_root(e) -> None:  # the full model's MIP only: not the LP start's restricted MIP
        o = e.data_out
        if monitor.run_bound_valid and o.mip_node_count == 0 and abs(o.mip_dual_bound) < 1e50:
            root["bound"] = o.mip_dual_bound * session.objective_scale

    session.highs.cbMipInterrupt.subscribe(at_root)
    solver = options.replace(time_limit_s=time_limit, mip_gap=mip_gap)
    cpu, start = time.process_time(), time.perf_counter()
    with monitor:
        run = run_highs(session, solver, out.setdefault("stages", {}), {}, monitor)
    session.highs.cbMipInterrupt.unsubscribe(at_root)
    out["solve_seconds"] = time.perf_counter() - start
    out["cpu_seconds"] = time.process_time() - cpu
    trace.append((out["solve_seconds"], run.objective, run.bound))
    info = session.highs.getInfo()
    out |= {"objective": run.objective, "bound": run.bound, "status": run.termination.name,
            "root_bound": root.get("bound"), "nodes": max(int(info.mip_node_count), 0),
            "lp_iterations": int(info.simplex_iteration_count), "highs_seconds": session.run_time,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load_average": os.getloadavg()[0]}
    best = {"incumbent": None, "bound": None}
    for threshold in THRESHOLDS:
        out[f"seconds_to_{threshold:g}"] = None
    for elapsed, incumbent, bound in trace:  # the best incumbent and bound seen so far
        if incumbent is not None and (best["incumbent"] is None or incumbent < best["incumbent"]):
            best["incumbent"] = incumbent
        if bound is not None and (best["bound"] is None or bound > best["bound"]):
            best["bound"] = bound
        gap = relative_gap(best["incumbent"], best["bound"])
        for threshold in THRESHOLDS:
            key = f"seconds_to_{threshold:g}"
            if gap is not None and gap <= threshold and out[key] is None:
                out[key] = elapsed
    return out


def root_bound(run: dict) -> float | None:
    """The bound the root proved: HiGHS' last bound before branching; the final bound where the
    search ended at the root (one node, HiGHS info valid: the last report before branching may come before the
    root's cut rounds); None where the root LP did not finish (a bound below the LP bound)."""
    if run["nodes"] == 1 and run["lp_iterations"] >= 0 and run["status"] == "convergenceCriteriaSatisfied":
        return run["bound"]
    if run["root_bound"] is None or run["root_bound"] < run["lp_bound"] - 1e-9 * abs(run["lp_bound"]):
        return None
    return run["root_bound"]


def summary_lines(gap_runs: dict[str, list[dict]]) -> list[str]:
    """The RESULTS.md section: root gaps before and after, and time to gap, per case."""
    lines = ["", "## Root gaps and time to gap (`python benchmarks/run.py --gaps CASES`)", "",
             "Per case, over HiGHS random seeds (medians; `benchmarks/gaps.py` says what each column is). "
             "Closed = (root bound - LP bound) / (best objective - LP bound). \"before\" is the model as before "
             "issue 16 (handed over in the workbook's own units, no module floors), \"after\" as now. Seconds from the start of the solve "
             "(the LP start included) until the proven gap first reached 1 %, 0.1 %, 0.01 %; '-' = not within the "
             "time limit.", "",
             "| case | model | seeds | LP bound | root bound | best objective | closed at the root | nodes | LP "
             "iterations | 1 % | 0.1 % | 0.01 % | HiGHS s | CPU s | peak MB | status | load |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| --- | --- |"]
    for key, runs in gap_runs.items():
        case = runs[0]["case"]
        best = min((r["objective"] for r in gap_runs_of(gap_runs, case) if r.get("objective") is not None),
                   default=None)
        lp = median([r["lp_bound"] for r in runs])
        root = median([root_bound(r) for r in runs])
        closed = (root - lp) / (best - lp) if None not in (root, lp, best) and best > lp else None
        lines.append(
            f"| {case} | {'before' if runs[0]['before'] else 'after'} | {len(runs)} | {fmt(lp, 0)} | "
            f"{fmt(root, 0)} | {fmt(best, 0)} | {'-' if closed is None else f'{closed:.0%}'} | "
            f"{fmt(median([r['nodes'] for r in runs]), 0)} | {fmt(median([r['lp_iterations'] for r in runs]), 0)} | "
            + " | ".join(fmt(median([r[f'seconds_to_{t:g}'] for r in runs])) for t in THRESHOLDS)
            + f" | {fmt(median([r['highs_seconds'] for r in runs]))} | {fmt(median([r['cpu_seconds'] for r in runs]))}"
            f" | {fmt(median([r['peak_rss_mb'] for r in runs]), 0)} | "
            f"{', '.join(sorted({r['status'] for r in runs}))} | "
            f"{', '.join('%.1f' % r['load_average'] for r in runs)} |")
    return lines


def gap_runs_of(gap_runs: dict[str, list[dict]], case: str) -> list[dict]:
    """Every run of ``case``, before and after."""
    return [r for runs in gap_runs.values() for r in runs if r["case"] == case]


def run_key(case: str, before: bool) -> str:
    return f"{case}:before" if before else case
