"""Ctrl-C and SIGTERM at any moment: stop soon, write nothing, remove temporary files.

:func:`install` (called first by the console entry point) makes SIGINT and SIGTERM raise
:class:`Interrupted` in the main thread, wherever it is: reading, building, the solve
(models.highs.session runs HiGHS in a worker thread so the main thread keeps taking
signals, and asks HiGHS to stop), writing (planner.io.workbook_style.write_atomic removes
its temporary file on any exception). The exception unwinds every ``finally`` and
``with`` on the way, so nothing is half-written; the entry point then exits with
128 + the signal number (130 for SIGINT, 143 for SIGTERM).

``Interrupted`` derives from BaseException, like KeyboardInterrupt: ``except Exception``
blocks (a solver failure turned into an outcome) do not swallow it, and click does not
turn it into "Aborted!" as it does a KeyboardInterrupt. A second signal while the first
unwinds is ignored, so the cleanup itself is not cut short.
"""

from __future__ import annotations

import signal

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; ``status`` is the shell's exit status for it."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def status(self) -> int:
        return 128 + self.signum

    @property
    def what(self) -> str:
        return "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name


def _raise(signum: int, _frame) -> None:
    for handled in HANDLED:  # one interrupt is enough; the cleanup it starts must not be cut
        signal.signal(handled, signal.SIG_IGN)
    raise Interrupted(signum)


def install() -> dict[int, object]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread from now on; returns the
    previous handlers (for :func:`restore`)."""
    return {handled: signal.signal(handled, _raise) for handled in HANDLED}


def restore(previous: dict[int, object]) -> None:
    for handled, handler in previous.items():
        signal.signal(handled, handler)
