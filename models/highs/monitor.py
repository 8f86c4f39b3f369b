"""Watch one HiGHS run through highspy callbacks: progress reports and a wall-clock watchdog.

Progress: every improving MIP solution, and at most every ``every`` seconds while the MIP
runs, ``on_progress`` gets a :class:`~models.outcome.Progress` (elapsed seconds, incumbent,
best bound, gap; None where HiGHS has none yet).

Watchdog: HiGHS checks its own ``time_limit`` only at certain points and can overrun it
(e.g. a long heuristic). Once the wall time since the monitor started exceeds the limit
plus a grace, every interrupt callback (MIP, simplex, IPM) asks HiGHS to stop; the run then
ends like a time limit (with or without a plan). Presolve calls no callback, so nothing
can stop it early; HiGHS' own limit is the only guard there.

Used as a context manager around one ``HighsSession.run``; on exit every callback it
subscribed is removed, so later runs on the same session (marginal values, diagnosis)
are not watched.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from models.outcome import Progress, relative_gap

#: Seconds (at least) that HiGHS may overrun its time limit before the watchdog stops it.
MIN_GRACE_S = 2.0
#: ... or this share of the limit, whichever is longer.
GRACE_SHARE = 0.1


def grace_seconds(time_limit: float) -> float:
    return max(MIN_GRACE_S, GRACE_SHARE * time_limit)


def _finite(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and abs(v) < 1e50 else None


class SolveMonitor:
    """Progress reports and watchdog for one run of ``highs`` (a ``highspy.Highs``)."""

    def __init__(self, highs, on_progress: Callable[[Progress], None] | None = None,
                 time_limit: float | None = None, every: float = 0.5, clock=time.monotonic,
                 objective_scale: float = 1.0):
        self.highs = highs
        #: model objective = this x the objective HiGHS reports (HighsSession.objective_scale)
        self.objective_scale = objective_scale
        self.on_progress = on_progress
        self.time_limit = time_limit
        self.every = every
        self.clock = clock
        #: True once the watchdog asked HiGHS to stop.
        self.fired = False
        #: A bound of the whole model known from outside the run (models.highs.lp_start's LP bound);
        #: reports use it instead of the run's bound while ``run_bound_valid`` is false (a
        #: restricted MIP's bound is not one of the whole model), else the stronger of the two.
        self.known_bound: float | None = None
        self.run_bound_valid = True
        self._start = 0.0
        self._deadline = math.inf
        self._last_report = -math.inf
        self._subscribed: list[tuple[object, Callable]] = []

    # ---- context manager -------------------------------------------------------------
    def __enter__(self) -> "SolveMonitor":
        self._start = self.clock()
        if self.time_limit is not None and math.isfinite(self.time_limit):
            self._deadline = self._start + self.time_limit + grace_seconds(self.time_limit)
        events = [("cbMipInterrupt", self._on_mip_interrupt), ("cbSimplexInterrupt", self._on_interrupt),
                  ("cbIpmInterrupt", self._on_interrupt)]
        if self.on_progress is not None:
            events.append(("cbMipImprovingSolution", self._on_improving))
        for name, handler in events:
            event = getattr(self.highs, name, None)
            if event is None:
                continue
            try:
                event.subscribe(handler)
                self._subscribed.append((event, handler))
            except Exception:  # an old highspy without this callback: no watch, still a solve
                pass
        return self

    def __exit__(self, *exc) -> bool:
        for event, handler in self._subscribed:
            try:
                event.unsubscribe(handler)
            except Exception:
                pass
        self._subscribed.clear()
        if self.fired:
            # HiGHS keeps the interrupt flag in its callback input across runs: the next run on
            # this object would stop at once. Re-registering the callback handler clears it.
            try:
                self.highs.enableCallbacks()
            except Exception:
                pass
        return False

    # ---- callbacks (must never raise into HiGHS) -----------------------------------------
    def _watchdog(self, e) -> None:
        if self.clock() > self._deadline:
            self.fired = True
            e.interrupt()

    def _on_interrupt(self, e) -> None:
        try:
            self._watchdog(e)
        except Exception:
            pass

    def _on_mip_interrupt(self, e) -> None:
        try:
            self._watchdog(e)
            if self.on_progress is not None and self.clock() - self._last_report >= self.every:
                out = e.data_out
                self._report(out.mip_primal_bound, out.mip_dual_bound, out.mip_gap)
        except Exception:
            pass

    def _on_improving(self, e) -> None:
        try:
            out = e.data_out
            self._report(out.objective_function_value, out.mip_dual_bound, out.mip_gap)
        except Exception:
            pass

    def _report(self, incumbent, bound, gap) -> None:
        now = self.clock()
        self._last_report = now
        incumbent = _finite(incumbent)
        bound = _finite(bound)
        if incumbent is not None:
            incumbent *= self.objective_scale
        if bound is not None:
            bound *= self.objective_scale
        if self.known_bound is not None:  # minimisation: the larger lower bound is the stronger
            bound = self.known_bound if not self.run_bound_valid or bound is None else max(bound, self.known_bound)
            gap = relative_gap(incumbent, bound)
        self.on_progress(Progress(elapsed_s=now - self._start, incumbent=incumbent, bound=_finite(bound),
                                  gap=_finite(gap) if incumbent is not None else None))
