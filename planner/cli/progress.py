"""A live line while the solver runs: elapsed time, incumbent, bound, gap.

``live_progress(console, quiet)`` is a context manager yielding the ``on_progress``
callback for :class:`models.outcome.SolveOptions` (None when quiet). In a terminal the line
is redrawn a few times a second (HiGHS releases the GIL while it solves), so the elapsed
time moves even in phases that report nothing (presolve); incumbent, bound and gap change
on the solver's reports (models.highs.monitor). Not attached to a terminal (a log file, a
CI job, a pipe), the same line is written to stderr every 10 seconds instead, so a long
solve still shows it is alive without filling the log with redraws.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.text import Text

from models.outcome import Progress

#: Seconds between progress lines when not attached to a terminal.
PLAIN_INTERVAL = 10.0


class ProgressLine:
    """The text of the live line (a rich renderable, re-rendered on each refresh)."""

    def __init__(self, label: str = "solving", clock=time.monotonic):
        self.label = label
        self.clock = clock
        self.start = clock()
        self.last: Progress | None = None

    def update(self, progress: Progress) -> None:
        self.last = progress

    def text(self) -> str:
        parts = [f"{self.label}… {self.clock() - self.start:,.0f} s"]
        p = self.last
        if p is not None:
            parts.append(f"incumbent {p.incumbent:,.0f}" if p.incumbent is not None else "no plan yet")
            if p.bound is not None:
                parts.append(f"bound {p.bound:,.0f}")
            if p.gap is not None:
                parts.append(f"gap {p.gap:.2%}")
        return "   ".join(parts)

    def __rich__(self) -> Text:
        return Text(self.text())


@contextmanager
def live_progress(console: Console, quiet: bool, label: str = "solving", interval: float = PLAIN_INTERVAL,
                  stream: TextIO | None = None) -> Iterator:
    """Show the progress line on ``console`` unless ``quiet`` (a line on ``stream``, stderr by
    default, every ``interval`` seconds when ``console`` is not a terminal); yield the
    on_progress callback."""
    if quiet:
        yield None
        return
    line = ProgressLine(label)
    if console.is_terminal:
        with console.status(line, spinner="dots"):
            yield line.update
        return
    stop = threading.Event()
    out = stream if stream is not None else sys.stderr

    def tick() -> None:
        while not stop.wait(interval):
            print(line.text(), file=out, flush=True)

    ticker = threading.Thread(target=tick, name="trust-planner progress", daemon=True)
    ticker.start()
    try:
        yield line.update
    finally:
        stop.set()
        ticker.join()
