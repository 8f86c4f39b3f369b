"""Run independent tasks in order: in this process, on local worker processes, or on a Dask
distributed cluster.

A task is a picklable value handed to a module-level function; it carries everything it
needs (the workbook's bytes, its overrides, the solver options), builds its own model and
returns plain data (tables, numbers), so the same task gives the same result wherever it
runs. Results come back in the order of the tasks.

- ``workers <= 1`` and no scheduler: in this process, one task after the other;
- ``workers > 1``: a pool of local processes started by a fork server that has already
  imported the model (a worker starts in milliseconds instead of re-importing Pyomo);
- ``scheduler="tcp://HOST:PORT"``: a running ``dask scheduler`` with ``dask worker``
  processes that have trust-planner installed (``pip install 'trust-planner[cluster]'``).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence

#: How long to try reaching a --scheduler before giving up (dask's Client ``timeout``).
CONNECT_TIMEOUT = "30s"
#: Modules the fork server imports once, so each worker starts with them loaded.
PRELOAD = ["planner.whatif.tasks"]


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(function: Callable[[Any], Any], tasks: Sequence[Any], workers: int = 1,
              scheduler: str | None = None) -> list[Any]:
    """``[function(t) for t in tasks]``, run as the module docstring says."""
    if scheduler:
        return _on_dask(function, tasks, scheduler)
    if workers <= 1 or len(tasks) <= 1:
        return [function(t) for t in tasks]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        return list(pool.map(function, tasks))


class SchedulerUnavailable(RuntimeError):
    """``--scheduler`` cannot be used (dask missing, a bad address, no scheduler answering);
    the message is a plain sentence."""


def _on_dask(function: Callable[[Any], Any], tasks: Sequence[Any], scheduler: str) -> list[Any]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise SchedulerUnavailable("--scheduler needs dask.distributed, which is not installed: "
                                   "pip install 'trust-planner[cluster]'.") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out (OSError); a malformed address
        raise SchedulerUnavailable(f"--scheduler {scheduler}: no Dask scheduler answered there ({exc}). A "
                                   "scheduler must be running at that address (start one with `dask scheduler`, "
                                   "and workers with `dask worker ADDRESS`).") from None
    with client:
        futures = client.map(function, list(tasks), pure=False)
        return client.gather(futures)
