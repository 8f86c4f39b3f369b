"""Parallel runs give the serial results: local worker processes, and a real Dask distributed
cluster (a LocalCluster of worker processes on 127.0.0.1) reached through its scheduler address."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.cli import app

from planner.whatif import frontier as fr
from planner.whatif import parallel
from planner.whatif import sweep as sw

CAP = "Policies[material=P].max_country_share"
PRICE = "Offers[supplier=SB, material=P].unit_cost"


def _same(a, b) -> None:
    assert [r.index for r in a] == [r.index for r in b]
    assert [r.overrides for r in a] == [r.overrides for r in b]
    assert [r.status for r in a] == [r.status for r in b]
    assert [r.objective for r in a] == pytest.approx([r.objective for r in b], rel=1e-12)
    for x, y in zip(a, b):
        assert x.costs == pytest.approx(y.costs, rel=1e-9, abs=1e-9)
        assert x.values == pytest.approx(y.values, rel=1e-9, abs=1e-9)
        if x.tables is not None:
            for name in ("Sourcing", "Builds", "Contracts"):
                pd.testing.assert_frame_equal(x.tables[name], y.tables[name], rtol=1e-9, atol=1e-9)


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_sweep_and_frontier_on_a_dask_cluster_equal_the_serial_run(tiny, scheduler):
    axes = [sw.parse_vary(f"{CAP}=0.3,0.5,1"), sw.parse_vary(f"{PRICE}=10,13")]
    base = tiny.dataset()
    serial = sw.run_sweep(tiny, axes, base, workers=1, keep_tables=True)
    on_dask = sw.run_sweep(tiny, axes, base, workers=2, scheduler=scheduler, keep_tables=True)
    _same(serial, on_dask)
    serial = fr.run_frontier(tiny, "top_country_share", "P", points=2)
    on_dask = fr.run_frontier(tiny, "top_country_share", "P", points=2, workers=2, scheduler=scheduler)
    _same(serial, on_dask)


def test_local_worker_processes_equal_the_serial_run(tiny):
    axes = [sw.parse_vary(f"{CAP}=0.3,0.5"), sw.parse_vary(f"{PRICE}=10,13")]
    base = tiny.dataset()
    _same(sw.run_sweep(tiny, axes, base, workers=1), sw.run_sweep(tiny, axes, base, workers=2))


def _run(args):
    result = CliRunner().invoke(app, args)
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def test_a_scheduler_nobody_listens_at_is_bad_usage(tiny_path, tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")  # dask retries a refused port until the timeout
    out = tmp_path / "sweep.xlsx"
    code, text = _run(["sweep", str(tiny_path), "--vary", f"{CAP}=0.5,1", "--scheduler", "tcp://127.0.0.1:1",
                       "-o", str(out)])
    assert code == 2, text
    assert "--scheduler tcp://127.0.0.1:1: no Dask scheduler answered there" in text and "`dask scheduler`" in text
    assert "internal error" not in text and not out.exists()


def test_a_scheduler_without_dask_installed_is_bad_usage(tiny_path, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # `import dask.distributed` raises ImportError
    out = tmp_path / "f.xlsx"
    code, text = _run(["frontier", str(tiny_path), "--against", "cvar", "--scheduler", "tcp://127.0.0.1:1",
                       "-o", str(out)])
    assert code == 2, text
    assert "pip install 'trust-planner[cluster]'" in text and not out.exists()
