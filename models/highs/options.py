"""What HiGHS is asked for, as one typed value from the Settings sheet and the command line to
:meth:`models.highs.session.HighsSession.run`.

    SolverOptions.of(settings, options)    Settings time_limit_s / mip_gap; SolveOptions (the command
                                           line, None: the Settings' value) overrides them
    opts.within(deadline, share)           a stage's share of the time left before a deadline
    session.run(opts)                      the only place HiGHS' own option names are written

The fields keep the Settings' names (``time_limit_s``, ``mip_gap``). The value is frozen: a
stage derives its own with :func:`dataclasses.replace` (an LP without gaps, the stable re-plan's
first solve at a tenth of the gap, a diagnosis to 1e-6), so no stage changes another's options.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from models.outcome import SolveOptions


@dataclass(frozen=True)
class SolverOptions:
    #: Seconds for one run (HighsSession.run turns them into what HiGHS expects); None: no limit.
    time_limit_s: float | None = None
    #: Relative MIP gap (HiGHS' mip_rel_gap); None: HiGHS' default.
    mip_gap: float | None = None
    #: Absolute MIP gap in the model's objective units (HiGHS' mip_abs_gap, scaled); None: HiGHS' default.
    mip_abs_gap: float | None = None
    threads: int | None = None
    #: HiGHS' log, appended to (models.highs.session writes nothing else there).
    log_file: str | None = None
    #: The LP start before the MIP (models.highs.lp_start); None: only for large models.
    lp_start: bool | None = None
    #: Other HiGHS options for every run, by HiGHS' names (e.g. a re-solve's heuristics switches).
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Mapping[str, Any], options: SolveOptions) -> "SolverOptions":
        """The options of a solve: ``options`` (the command line) over the Settings sheet's."""
        limit = options.time_limit_s if options.time_limit_s is not None else settings.get("time_limit_s")
        gap = options.mip_gap if options.mip_gap is not None else settings.get("mip_gap")
        return cls(time_limit_s=float(limit) if limit is not None else None,
                   mip_gap=float(gap) if gap is not None else None,
                   threads=int(options.threads) if options.threads is not None else None,
                   log_file=str(options.log_file) if options.log_file else None, lp_start=options.lp_start)

    def replace(self, **changes: Any) -> "SolverOptions":
        return dataclasses.replace(self, **changes)

    def with_highs(self, **raw: Any) -> "SolverOptions":
        """These options plus raw HiGHS options."""
        return self.replace(raw=dict(self.raw) | raw)

    def without_gaps(self) -> "SolverOptions":
        """For an LP (or a fixed MIP): no MIP gap applies."""
        return self.replace(mip_gap=None, mip_abs_gap=None)

    def deadline(self, start: float) -> float | None:
        """The ``time.perf_counter()`` instant the time limit runs out, counted from ``start``."""
        return None if self.time_limit_s is None else start + self.time_limit_s

    def within(self, deadline: float | None, share: float = 1.0) -> "SolverOptions":
        """The time limit cut to ``share`` of the time left before ``deadline`` (None: unchanged):
        the seconds of the next run of a solve whose stages share one time limit."""
        if deadline is None:
            return self
        return self.replace(time_limit_s=max(0.0, deadline - time.perf_counter()) * share)

    def described(self) -> str:
        """The options as the plan's Summary records them (``solver.options``), in the names plans
        have used from the start: ``check`` reads ``rel_gap`` back (planner.plans.audit.claims)."""
        named = {"time_limit": self.time_limit_s, "rel_gap": self.mip_gap, "threads": self.threads,
                 "log_file": self.log_file}
        return ", ".join(f"{k}={v}" for k, v in named.items() if v is not None)
