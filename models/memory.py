"""Memory helpers shared by every layer (no Pyomo, no solver)."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while building or compiling a large model.

    Building creates millions of small objects (no reference cycles to collect), and the
    collector would rescan them over and over: pausing it roughly halves the build time.
    Reference counting still frees memory; the collector resumes (and runs) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
