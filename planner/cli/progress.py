"""A live line in the terminal while the solver runs: elapsed time, incumbent, bound, gap.

``live_progress(console, quiet)`` is a context manager yielding the ``on_progress``
callback for :class:`models.outcome.SolveOptions` (None when quiet). The line is redrawn a
few times a second (HiGHS releases the GIL while it solves), so the elapsed time moves
even in phases that report nothing (presolve); incumbent, bound and gap change on the
solver's reports (models.highs.monitor).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text

from models.outcome import Progress


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
def live_progress(console: Console, quiet: bool, label: str = "solving") -> Iterator:
    """Show the progress line on ``console`` unless ``quiet``; yield the on_progress callback."""
    if quiet:
        yield None
        return
    line = ProgressLine(label)
    with console.status(line, spinner="dots"):
        yield line.update
