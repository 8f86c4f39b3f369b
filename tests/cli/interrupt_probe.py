"""Run the trust-planner console entry point with one function wrapped, to time a signal.

``python interrupt_probe.py MODULE:NAME MARKER PAUSE ARGS...``: before each call of
MODULE.NAME, create the file MARKER (so the test knows the command has reached that stage)
and sleep PAUSE seconds (to hold it there), then call the real function. The command is
otherwise the real one, in its own process, receiving a real signal.
"""

import importlib
import sys
import time
from pathlib import Path

target, marker, pause, *args = sys.argv[1:]
module_name, name = target.split(":")
module = importlib.import_module(module_name)
real = getattr(module, name)


def wrapped(*a, **k):
    Path(marker).touch()
    time.sleep(float(pause))
    return real(*a, **k)


setattr(module, name, wrapped)
sys.argv = ["trust-planner", *args]
from planner.cli.app import main  # noqa: E402

main()
