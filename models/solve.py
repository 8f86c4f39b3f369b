"""Solve a Dataset: build, hand to HiGHS (models.highs.handoff through models.highs.session), and
the stages of models.pipeline (start, MIP, stable re-plan, extraction, marginal values).

Solver settings are data: :class:`SolveOptions` (the command line) over the Settings sheet give
one :class:`models.highs.options.SolverOptions`, which every stage passes on. The solve
never raises for the model's own outcome: infeasible, time limit without a plan and
solver errors become a :class:`Status`; only a time-limit or optimal incumbent is a plan.
"""

from __future__ import annotations

import time

from planner.schema.dataset import Dataset

from models.build import build_model
from models.highs.options import SolverOptions
from models.highs.session import HighsSession
from models.outcome import SolveOptions, SolveOutcome, Status
from models.params.data import build_data
from models.pipeline import Pipeline


def solve_dataset(dataset: Dataset, options: SolveOptions | None = None) -> SolveOutcome:
    """Build the model of ``dataset``, solve it with HiGHS and return the outcome."""
    options = options or SolveOptions()
    timings: dict[str, float] = {}
    tick = time.perf_counter()
    data = build_data(dataset)
    model = build_model(data)
    timings["build"] = time.perf_counter() - tick

    solver = SolverOptions.of(dataset.settings, options)
    tick = time.perf_counter()
    try:
        session = HighsSession(model)
    except RuntimeError as exc:
        return SolveOutcome(Status.ERROR, solver={"name": "highs", "options": solver.described()}, timings=timings,
                            message=str(exc))
    timings["handoff"] = time.perf_counter() - tick
    return Pipeline(session, options).solve(solver, plan=options.start, timings=timings, catch=True)
