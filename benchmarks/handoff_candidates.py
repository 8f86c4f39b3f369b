"""Measure the ways of handing the Pyomo model to HiGHS (a script, not a test).

    python benchmarks/handoff_candidates.py large a      # one candidate, one JSON line
    python benchmarks/handoff_candidates.py large all    # every candidate, each in a fresh process

Candidates (benchmarks/RESULTS.md has the numbers and the choice):

- ``a``      Pyomo's persistent interface (``pyomo.contrib.solver.solvers.highs.Highs.set_instance``)
- ``b``      ``pyomo.repn.plugins.standard_form.LinearStandardFormCompiler`` (mixed form) to scipy
             CSC arrays, one ``Highs.passModel`` call (needs scipy, not a project dependency:
             skipped without it)
- ``c-lp``   Pyomo's LP writer to a file, ``Highs.readModel``
- ``c-mps``  Pyomo's MPS writer to a file, ``Highs.readModel``
- ``d``      ``models.highs.session.HighsSession`` (``models.highs.handoff``: own compiler to numpy arrays,
             one ``passModel`` call) -- the one in use
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CANDIDATES = ["a", "b", "c-lp", "c-mps", "d"]


def _standard_form(m):
    import highspy
    import numpy as np
    import pyomo.environ as pyo
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=pyo.minimize)
    a = info.A  # CSC; a ranged row is split in two, multiplier +1 (<= rhs), -1 (>= rhs), 0 (== rhs)
    n_row, n_col = a.shape
    lower = np.full(n_row, -highspy.kHighsInf)
    upper = np.full(n_row, highspy.kHighsInf)
    mult = np.array([r[1] for r in info.rows])
    rhs = np.asarray(info.rhs, dtype=float)
    upper[mult >= 0] = rhs[mult >= 0]
    lower[mult <= 0] = rhs[mult <= 0]
    cols = info.columns
    col_lower = np.array([-highspy.kHighsInf if v.lb is None else v.lb for v in cols])
    col_upper = np.array([highspy.kHighsInf if v.ub is None else v.ub for v in cols])
    integrality = np.array([1 if v.is_integer() else 0 for v in cols], dtype=np.int32)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(n_col, n_row, a.nnz, 0, 1, 0, 1, float(info.c_offset[0]), info.c.toarray().ravel(), col_lower,
                col_upper, lower, upper, a.indptr[:-1].astype(np.int32), a.indices.astype(np.int32), a.data,
                np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), integrality)
    return h


def one(size: str, which: str) -> dict:
    import highspy

    from models.build import build_model
    from models.params.data import build_data
    from planner.instances.generate import generate_dataset

    def now():
        return time.perf_counter(), time.process_time()

    data = build_data(generate_dataset(size, 0))
    a = now()
    m = build_model(data)
    b = now()
    out = {"size": size, "candidate": which, "build_wall": b[0] - a[0], "build_cpu": b[1] - a[1]}
    a = now()
    if which == "a":
        from pyomo.contrib.solver.solvers.highs import Highs

        solver = Highs()
        solver.set_instance(m)
        h = solver._solver_model
    elif which == "b":
        h = _standard_form(m)
    elif which in ("c-lp", "c-mps"):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, f"model.{which[2:]}")
            m.write(path, io_options={"symbolic_solver_labels": False})
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.readModel(path)
            out["file_mb"] = os.path.getsize(path) / 2**20
    elif which == "d":
        from models.highs.session import HighsSession

        session = HighsSession(m)
        h = session.highs
        out["detail"] = session.timings
    else:
        raise SystemExit(f"unknown candidate {which!r}")
    b = now()
    out.update(handoff_wall=b[0] - a[0], handoff_cpu=b[1] - a[1], columns=h.getNumCol(), rows=h.getNumRow(),
               nonzeros=h.getNumNz(), peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               load_average=os.getloadavg()[0])
    return out


def main() -> int:
    size, which = sys.argv[1], sys.argv[2]
    if which != "all":
        print(json.dumps(one(size, which)))
        return 0
    for cand in CANDIDATES:
        if cand == "b":
            try:
                import scipy  # noqa: F401
            except ImportError:
                print(json.dumps({"size": size, "candidate": "b", "skipped": "scipy is not installed"}))
                continue
        proc = subprocess.run([sys.executable, __file__, size, cand], capture_output=True, text=True)
        print(proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 else proc.stderr[-2000:], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
