"""Benchmark the planner end to end, stage by stage (a script, not a test).

    python benchmarks/run.py                        # every case, 3 repeats, writes benchmarks/RESULTS.md
    python benchmarks/run.py --cases small,medium --repeat 1
    python benchmarks/run.py --one large            # one run in this process, prints JSON

Cases: the bundled example (planner/data/example.xlsx), the generated sizes small, medium,
large and national (``planner.instances.generate``, seed 0), and OR-Library capb at capacity 5000.
Each run happens in a fresh subprocess so its peak memory (ru_maxrss) is its own. A run:

1. writes the case's input workbook (``planner.io.template.write_input_workbook``; the
   example is already one) -- setup, reported but not counted in the end-to-end time;
2. reads it: zip pre-scan and openpyxl parse (``read``), then ``validate``;
3. derives the model data (``models.params.data.build_data``), builds the Pyomo model
   (``models.build.build_model``), hands it to HiGHS (``models.highs.session.HighsSession``:
   compile to arrays + ``passModel``), solves (HiGHS run time), extracts the tables
   (``load_values``, ``results.costs``/``tables``) and writes the plan workbook
   (``planner.io.plan.write_plan``);
4. re-solves with a changed price through :class:`models.analysis.resolve.Resolver` (generated
   sizes and the example; skipped with ``--no-resolve``).

``--gaps CASES`` measures instead the root gap and the time to gap of each case over HiGHS
random seeds (``--seeds``), as ``benchmarks/gaps.py`` describes, with ``--before`` also the model
as it was before issue 16 (unscaled units, no module floors):

    python benchmarks/run.py --gaps example,small,medium --seeds 0,1,2 --before

Overhead = end to end - HiGHS solve. Wall seconds are the headline; CPU seconds of this
process are recorded too, since other jobs share the machine (see RESULTS.md). Each
number in the table is the median over the repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import gaps  # noqa: E402
from benchmarks.figures import fmt, median  # noqa: E402

CASES = ["example", "small", "medium", "large", "national", "capb"]
#: Solver time limit per case, seconds (None: the workbook's Settings time_limit_s).
TIME_LIMITS = {"example": None, "small": 60.0, "medium": 120.0, "large": 300.0, "national": 300.0, "capb": 300.0}
#: Solver time limit of each of the two solves of the re-solve comparison, seconds.
RESOLVE_TIME_LIMIT = 60.0
STAGES = ["read", "validate", "data", "build", "handoff", "solve", "extract", "marginals", "write_plan"]


def _rss_mb() -> float:
    """Resident memory of this process now, MB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


class Clock:
    """Wall and CPU seconds per stage, and the most memory seen in each (sampled every 0.2 s)."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.rss: dict[str, float] = {}
        self._stage = "setup"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self._note()

    def _note(self) -> None:
        stage = self._stage
        self.rss[stage] = max(self.rss.get(stage, 0.0), _rss_mb())

    def close(self) -> None:
        self._stop.set()

    def stage(self, name: str):
        clock = self

        class _Stage:
            def __enter__(self):
                clock._note()
                clock._stage = name
                self.w, self.c = time.perf_counter(), time.process_time()

            def __exit__(self, *exc):
                clock.wall[name] = clock.wall.get(name, 0.0) + time.perf_counter() - self.w
                clock.cpu[name] = clock.cpu.get(name, 0.0) + time.process_time() - self.c
                clock._note()
                clock._stage = "after_" + name
                return False

        return _Stage()


def _input_workbook(case: str, folder: Path, clock: Clock) -> Path:
    if case == "example":
        return ROOT / "planner" / "data" / "example.xlsx"
    from planner.io.template import write_input_workbook

    if case == "capb":
        from planner.instances.orlib import orlib_dataset

        dataset = orlib_dataset("capb", 5000)
    else:
        from planner.instances.generate import generate_dataset

        dataset = generate_dataset(case, 0)
    path = folder / f"{case}.xlsx"
    with clock.stage("write_input"):
        write_input_workbook(path, dataset.tables, dataset.settings)
    return path


def run_one(case: str, resolve: bool = True, marginal_values: bool = True) -> dict:
    """One end-to-end run of ``case`` in this process; returns its measurements."""
    from planner.schema.dataset import Source
    from planner.io.plan import MARGINAL_SHEET, write_plan
    from planner.io.reading import Limits
    from planner.io.reading.sheets import read_sheets
    from planner.io.reading.zipscan import prescan
    from planner.validation import validate

    from models.analysis import marginals, results, tidy
    from models.build import build_model
    from models.params.data import build_data
    from models.outcome import SolveOptions, SolveOutcome
    from models.highs.session import HighsSession
    from models.outcome import relative_gap
    from models.highs.options import SolverOptions
    from models.pipeline import run_highs, status_of

    out: dict = {"case": case}
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = _input_workbook(case, folder, clock)
        limits = Limits.large()
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        with clock.stage("read"):
            raw_bytes = path.read_bytes()
            import hashlib

            source = Source(name=path.name, sha256=hashlib.sha256(raw_bytes).hexdigest(), size_bytes=len(raw_bytes))
            raw = read_sheets(raw_bytes, prescan(raw_bytes, limits, path.name), limits)
        with clock.stage("validate"):
            dataset, _warnings = validate(raw, source)
        with clock.stage("data"):
            data = build_data(dataset)
        with clock.stage("build"):
            model = build_model(data)
        with clock.stage("handoff"):
            session = HighsSession(model)
        out["columns"], out["rows"], out["nonzeros"] = session.size
        out["integers"] = session.n_integer
        out["handoff_detail"] = dict(session.timings)
        options = SolveOptions(time_limit_s=TIME_LIMITS.get(case))
        solver = SolverOptions.of(dataset.settings, options)
        out["time_limit_s"] = solver.time_limit_s
        out["mip_gap"] = solver.mip_gap
        solver_info: dict = {}
        with clock.stage("solve"):  # the LP start (models.highs.lp_start) where it is on, then the MIP
            with session.watch(None, solver.time_limit_s):
                run = run_highs(session, solver, out.setdefault("solve_detail", {}), solver_info)
        out["lp_start"] = solver_info.get("lp_start")
        out["highs_run_time"] = session.run_time
        status = status_of(run)
        out["status"] = status.name
        out["objective"] = run.objective
        out["bound"] = run.bound
        out["gap"] = relative_gap(run.objective, run.bound)
        if status.has_plan:
            with clock.stage("extract"):
                session.load_values()
                tidy.release_idle_binaries(model)
                outcome = SolveOutcome(status, objective=run.objective, bound=run.bound, gap=out["gap"],
                                       solve_seconds=run.seconds,
                                       solver={"name": "highs", "version": session.version,
                                               "interface": session.interface},
                                       costs=results.costs(model, session.evaluator()),
                                       tables=results.tables(model))
            if marginal_values:
                before = session.run_time
                with clock.stage("marginals"):
                    try:
                        outcome.marginals = marginals.marginal_values(session, solver)
                    except Exception as exc:  # noqa: BLE001 - reported, as the CLI does
                        out["marginals_error"] = f"{type(exc).__name__}: {exc}"
                out["marginals_highs"] = session.run_time - before
            extra = {MARGINAL_SHEET: outcome.marginals} if outcome.marginals is not None else None
            with clock.stage("write_plan"):
                write_plan(folder / f"{case}-plan.xlsx", outcome, dataset, extra_sheets=extra)
        out["end_to_end_wall"] = time.perf_counter() - start_wall
        out["end_to_end_cpu"] = time.process_time() - start_cpu
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if resolve and case != "capb" and status.has_plan:
            del session, model  # the re-solve comparison builds its own
            with clock.stage("resolve"):
                out["resolve"] = _resolve(dataset, solver, case)
    clock.close()
    out["wall"], out["cpu"], out["rss_mb"] = clock.wall, clock.cpu, {k: round(v) for k, v in clock.rss.items()}
    # overhead: everything but HiGHS itself (the MIP run and the marginal-value LP run)
    out["highs_wall"] = clock.wall["solve"] + out.get("marginals_highs", 0.0)
    out["overhead_wall"] = out["end_to_end_wall"] - out["highs_wall"]
    out["load_average"] = os.getloadavg()
    return out


def _resolve(dataset, solver, case: str) -> dict:
    """Re-solve after a price change (Resolver) vs. rebuilding the changed dataset's model."""
    from models.build import build_model
    from models.params.data import build_data
    from models.analysis.resolve import Resolver
    from models.highs.session import HighsSession

    offers = dataset["Offers"]
    # the re-solve comparison is about what happens around HiGHS: cap its time limit
    solver = solver.replace(time_limit_s=min(solver.time_limit_s or RESOLVE_TIME_LIMIT, RESOLVE_TIME_LIMIT))
    tick = time.perf_counter()
    res = Resolver(dataset, solver=solver)
    first = res.solve()
    base = time.perf_counter() - tick
    # the offer bought most in the first plan becomes 25 % dearer
    bought = first.tables["Sourcing"].groupby(["supplier", "material"])["quantity"].sum() if first.tables else None
    if bought is not None and len(bought):
        supplier, material = bought.idxmax()
    else:
        supplier, material = str(offers["supplier"].iloc[0]), str(offers["material"].iloc[0])
    hit = (offers["supplier"] == supplier) & (offers["material"] == material)
    price = float(offers.loc[hit, "unit_cost"].iloc[0])
    tick = time.perf_counter()
    res.set_price(supplier, material, price * 1.25)
    change = time.perf_counter() - tick
    tick = time.perf_counter()
    second = res.solve()
    again = time.perf_counter() - tick
    tick = time.perf_counter()
    HighsSession(build_model(build_data(res.dataset)))
    rebuild = time.perf_counter() - tick
    return {"first_solve_s": base, "change_s": change, "resolve_s": again, "resolve_highs_s": second.solve_seconds,
            "rebuild_s": rebuild, "mode": res.mode, "status": second.status.name, "first_status": first.status.name,
            "first_objective": first.objective, "objective": second.objective}


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = {}
    for pkg in ("pyomo", "highspy", "numpy", "pandas", "openpyxl"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "-"
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": mem, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def summarise(runs: list[dict]) -> dict:
    """Median of every number over the repeats of one case."""
    first = runs[0]
    out = {k: first.get(k) for k in ("case", "columns", "rows", "nonzeros", "integers", "time_limit_s", "mip_gap")}
    out["repeats"] = len(runs)
    out["status"] = ", ".join(sorted({r["status"] for r in runs}))
    for key in ("end_to_end_wall", "end_to_end_cpu", "overhead_wall", "highs_wall", "marginals_highs", "peak_rss_mb",
                "gap", "objective"):
        out[key] = median([r.get(key) for r in runs])
    for kind in ("wall", "cpu"):
        out[kind] = {s: median([r[kind].get(s) for r in runs]) for s in STAGES + ["write_input"]}
    out["ratio_wall"] = out["overhead_wall"] / out["highs_wall"] if out["highs_wall"] else None
    early = ("read", "validate", "data", "build", "handoff")
    before = [max((v for k, v in r["rss_mb"].items() if k in early or k in {"after_" + e for e in early}),
                  default=None) for r in runs if r.get("rss_mb")]
    out["rss_before_solve"] = median(before)
    out["rss_solve"] = median([r["rss_mb"].get("solve") for r in runs if r.get("rss_mb")])
    cpu_total = out["end_to_end_cpu"]
    out["overhead_cpu"] = (cpu_total - out["cpu"]["solve"] - (out["cpu"]["marginals"] or 0.0)
                           if cpu_total is not None else None)
    details = [r.get("solve_detail") or {} for r in runs]
    out["solve_detail"] = {k: median([d.get(k) for d in details]) for k in ("start_lp", "start_restricted_mip", "mip")}
    out["lp_start"] = next((r["lp_start"] for r in runs if r.get("lp_start")), None)
    res = [r["resolve"] for r in runs if r.get("resolve")]
    if res:
        out["resolve"] = {k: median([r[k] for r in res]) for k in ("first_solve_s", "change_s", "resolve_s",
                                                                    "resolve_highs_s", "rebuild_s")}
        out["resolve"]["mode"] = ", ".join(sorted({r["mode"] for r in res}))
    out["load_average"] = [round(x, 1) for r in runs for x in r["load_average"][:1]]
    return out


def write_results(summaries: list[dict], info: dict, path: Path, notes: str = "",
                  gap_runs: dict | None = None) -> None:
    lines = ["# Benchmarks", "", "Generated by `python benchmarks/run.py` (see its docstring for what each stage is). "
             "Medians over the repeats; wall seconds unless marked CPU.", "", "## Machine", "",
             f"- {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM, Python {info['python']}, {info['platform']}",
             "- " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
             f"- run at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; 1-minute load average at the end of "
             "each run is listed per case (other jobs shared the 2 cores)", "",
             "## Model sizes", "", "| case | columns | rows | nonzeros | integer columns |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for s in summaries:
        lines.append(f"| {s['case']} | {fmt(s['columns'])} | {fmt(s['rows'])} | {fmt(s['nonzeros'])} | "
                     f"{fmt(s['integers'])} |")
    lines += ["", "## End to end, stage by stage (seconds, wall)", "",
              "| case | read | validate | data | build | hand-off | HiGHS solve | extract | marginal values "
              "(of which HiGHS) | write plan | end to end | overhead | overhead / HiGHS | peak RSS MB (before the "
              "solve / during it) | status (gap) | repeats | load avg |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
              "| ---: | --- |"]
    for s in summaries:
        w = s["wall"]
        gap = f" ({s['gap'] * 100:.2f} %)" if s.get("gap") else ""
        lines.append(
            f"| {s['case']} | {fmt(w['read'])} | {fmt(w['validate'])} | {fmt(w['data'])} | {fmt(w['build'])} | "
            f"{fmt(w['handoff'])} | {fmt(w['solve'])} | {fmt(w['extract'])} | {fmt(w['marginals'])} "
            f"({fmt(s['marginals_highs'])}) | {fmt(w['write_plan'])} | "
            f"{fmt(s['end_to_end_wall'])} | {fmt(s['overhead_wall'])} | {fmt(s['ratio_wall'], 2)} | "
            f"{fmt(s['peak_rss_mb'], 0)} ({fmt(s['rss_before_solve'], 0)} / {fmt(s['rss_solve'], 0)}) | "
            f"{s['status']}{gap} | {s['repeats']} | "
            f"{', '.join(str(x) for x in s['load_average'])} |")
    lines += ["", "## The same in CPU seconds of the benchmark process", "",
              "| case | read | validate | data | build | hand-off | HiGHS solve | extract | marginal values | write plan "
              "| end to end | overhead (marginals excluded) | overhead / solve | writing the input (setup) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in summaries:
        c = s["cpu"]
        ratio = s["overhead_cpu"] / c["solve"] if c.get("solve") else None
        lines.append(
            f"| {s['case']} | {fmt(c['read'])} | {fmt(c['validate'])} | {fmt(c['data'])} | {fmt(c['build'])} | "
            f"{fmt(c['handoff'])} | {fmt(c['solve'])} | {fmt(c['extract'])} | {fmt(c['marginals'])} | "
            f"{fmt(c['write_plan'])} | {fmt(s['end_to_end_cpu'])} | {fmt(s['overhead_cpu'])} | {fmt(ratio, 2)} | "
            f"{fmt(s['wall'].get('write_input'))} s wall |")
    started = [s for s in summaries if s.get("lp_start")]
    if started:
        lines += ["", "## The LP start (models.highs.lp_start), inside \"HiGHS solve\" above", "",
                  "| case | LP relaxation | restricted MIP | full MIP | objective (median) | what the start found "
                  "(first run) |", "| --- | ---: | ---: | ---: | ---: | --- |"]
        for s in started:
            d = s["solve_detail"]
            lines.append(f"| {s['case']} | {fmt(d['start_lp'])} | {fmt(d['start_restricted_mip'])} | "
                         f"{fmt(d['mip']) if d['mip'] is not None else 'not run (proven by the LP bound)'} | "
                         f"{fmt(s['objective'], 0)} | {s['lp_start']} |")
    res = [s for s in summaries if s.get("resolve")]
    if res:
        lines += ["", "## Re-solve after a price change (models.analysis.resolve.Resolver) vs. rebuilding", "",
                  "| case | first solve (build + hand-off + solve) | change pushed | re-solve | of which HiGHS "
                  "| rebuild + hand-off of the changed model (no solve) | how |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for s in res:
            r = s["resolve"]
            lines.append(f"| {s['case']} | {fmt(r['first_solve_s'])} | {fmt(r['change_s'], 2)} | "
                         f"{fmt(r['resolve_s'])} | {fmt(r['resolve_highs_s'])} | {fmt(r['rebuild_s'])} | "
                         f"{r['mode']} |")
    if gap_runs:
        lines += gaps.summary_lines(gap_runs)
    if notes:
        lines += ["", notes.strip()]
    path.write_text("\n".join(lines) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help="run one case in this process and print its JSON")
    parser.add_argument("--no-resolve", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--notes", type=Path, help="Markdown appended to RESULTS.md")
    parser.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from the JSON file")
    parser.add_argument("--gaps", help="measure root gaps and time to gap of these cases (benchmarks/gaps.py)")
    parser.add_argument("--seeds", default="0,1,2", help="HiGHS random seeds of the gap runs")
    parser.add_argument("--mip-gap", type=float, default=1e-4, help="mip_gap of the gap runs")
    parser.add_argument("--time-limit", type=float, help="time limit of each gap run (default per case)")
    parser.add_argument("--before", action="store_true", help="gap runs also of the model before issue 16")
    parser.add_argument("--gap-one", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--as-before", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, resolve=not args.no_resolve)))
        return 0
    if args.gap_one:
        limit = args.time_limit or gaps.GAP_TIME_LIMITS.get(args.gap_one, 600.0)
        print(json.dumps(gaps.measure(args.gap_one, args.seed, args.mip_gap, limit, before=args.as_before)))
        return 0
    previous = json.loads(args.json.read_text()) if args.json.exists() else {"runs": {}}
    runs: dict[str, list[dict]] = previous.get("runs", {})
    gap_runs: dict[str, list[dict]] = previous.get("gaps", {})
    if args.gaps:
        return _gap_runs(args, runs, gap_runs)
    for case in ([] if args.report_only else args.cases.split(",")):
        runs[case] = []
        for k in range(args.repeat):
            print(f"{case} run {k + 1}/{args.repeat} ...", file=sys.stderr, flush=True)
            result = _child(["--one", case] + (["--no-resolve"] if args.no_resolve else []))
            if result is None:
                return 1
            runs[case].append(result)
            print(f"  end to end {result['end_to_end_wall']:.1f} s, solve {result['wall']['solve']:.1f} s, "
                  f"peak {result['peak_rss_mb']:.0f} MB, {result['status']}", file=sys.stderr, flush=True)
        args.json.write_text(json.dumps({"machine": machine(), "runs": runs, "gaps": gap_runs}, indent=1))
    _report(args, runs, gap_runs)
    return 0


def _child(arguments: list[str]) -> dict | None:
    """Run this script with ``arguments`` in a fresh process; its JSON line (None if it failed)."""
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *arguments], capture_output=True, text=True,
                          cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _report(args, runs: dict, gap_runs: dict) -> None:
    order = [c for c in CASES if c in runs] + [c for c in runs if c not in CASES]
    notes = args.notes.read_text() if args.notes else ""
    write_results([summarise(runs[c]) for c in order], machine(), args.out, notes, gap_runs)
    print(f"wrote {args.out}", file=sys.stderr)


def _gap_runs(args, runs: dict, gap_runs: dict) -> int:
    """``--gaps``: each case and seed in a fresh process (and as before issue 16 with --before)."""
    for case in args.gaps.split(","):
        for before in (False, True) if args.before else (False,):
            key = gaps.run_key(case, before)
            gap_runs[key] = []
            for seed in args.seeds.split(","):
                cmd = ["--gap-one", case, "--seed", seed, "--mip-gap", str(args.mip_gap)]
                if args.time_limit:
                    cmd += ["--time-limit", str(args.time_limit)]
                if before:
                    cmd.append("--as-before")
                print(f"{key} seed {seed} ...", file=sys.stderr, flush=True)
                result = _child(cmd)
                if result is None:
                    return 1
                gap_runs[key].append(result)
                print(f"  root {result['root_bound']}, {result['nodes']} nodes, to 0.01 % "
                      f"{result['seconds_to_0.0001']} s, {result['status']}", file=sys.stderr, flush=True)
                args.json.write_text(json.dumps({"machine": machine(), "runs": runs, "gaps": gap_runs}, indent=1))
    _report(args, runs, gap_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
