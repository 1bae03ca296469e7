"""Backends: the same spec and seed give the same table, bit for bit, in this process, in local
processes and on a real dask.distributed cluster; a worker that dies mid-sweep loses no draw
and doubles none."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from alliancekit.data import load
from alliancekit.simulate import load_spec, with_draws
from alliancekit.simulate.backends import CRASH_ENV
from alliancekit.simulate.backends import run as run_blocks
from alliancekit.simulate.engine import prepare

EXAMPLE = "examples/us-retrenchment-sweep.toml"


@pytest.fixture(scope="module")
def model():
    from pathlib import Path

    spec = with_draws(load_spec(Path(__file__).resolve().parent.parent / EXAMPLE), 2 * 16384 + 100)
    return prepare(spec, data=load())


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield c, client


def same(a_path, b_path) -> None:
    a, b = pq.read_table(a_path), pq.read_table(b_path)
    assert a.schema == b.schema and a.num_rows == b.num_rows
    for c in a.column_names:
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy(), equal_nan=True), c


@pytest.fixture(scope="module")
def reference(model, tmp_path_factory):
    path = tmp_path_factory.mktemp("ref") / "inprocess.parquet"
    run_blocks(model, path, backend="inprocess")
    return path


def test_local_processes_match_in_process(model, reference, tmp_path):
    info = run_blocks(model, tmp_path / "p2.parquet", backend="processes", workers=2, per_task=1)
    assert info.draws == model.spec.draws and info.workers == 2
    assert 0 < info.seconds < 600 and info.cpu > 0 and info.tasks == 3
    same(reference, tmp_path / "p2.parquet")


def test_dask_matches_in_process(model, reference, tmp_path, cluster):
    _, client = cluster
    info = run_blocks(
        model, tmp_path / "dask.parquet", backend="dask", scheduler=client.scheduler.address
    )
    assert info.workers == 2 and 0 < info.seconds < 600 and info.cpu > 0
    same(reference, tmp_path / "dask.parquet")


def test_a_dask_worker_killed_mid_sweep_loses_and_doubles_nothing(
    model, reference, tmp_path, cluster, monkeypatch
):
    _, client = cluster
    marker = tmp_path / "crashed"
    # The worker that first reaches block 2 exits at once (the environment reaches the workers
    # through the client: they are already running, so it is set there too).
    client.run(lambda: __import__("os").environ.__setitem__(CRASH_ENV, f"{marker}:2"))
    try:
        run_blocks(model, tmp_path / "crash.parquet", backend="dask", scheduler=client, per_task=1)
    finally:
        client.run(lambda: __import__("os").environ.pop(CRASH_ENV, None))
    assert marker.exists()  # a worker did die
    t = pq.read_table(tmp_path / "crash.parquet")
    assert t.column("draw").to_pylist() == list(range(model.spec.draws))
    same(reference, tmp_path / "crash.parquet")


def test_a_local_worker_killed_mid_sweep_is_replaced(model, reference, tmp_path, monkeypatch):
    import os

    def spools():
        shm = "/dev/shm"
        return set(os.listdir(shm)) if os.path.isdir(shm) else set()

    before = spools()
    marker = tmp_path / "crashed"
    monkeypatch.setenv(CRASH_ENV, f"{marker}:1")
    info = run_blocks(
        model,
        tmp_path / "crash.parquet",
        backend="processes",
        workers=2,
        per_task=1,
        summary="outputs",
    )
    assert marker.exists() and info.restarts >= 1
    same(reference, tmp_path / "crash.parquet")
    # The run's folder of results in memory went with it, the dead worker's files too.
    assert not {d for d in spools() - before if d.startswith("alliancekit-sweep-")}
    # The summary kept while writing counts each draw once too.
    from alliancekit.simulate.outputs import summarize

    assert info.summary["columns"] == summarize(reference, parameters=False)["columns"]


def test_the_run_summary_is_the_files_summary_bit_for_bit(model, reference, tmp_path, monkeypatch):
    import json

    from alliancekit.simulate import outputs

    def text(s):
        return json.dumps(s, sort_keys=True)

    want = outputs.summarize(reference)
    info = run_blocks(model, tmp_path / "s.parquet", backend="processes", workers=2, summary="all")
    assert text(info.summary) == text(want)
    assert info.summary["draws"] == model.spec.draws
    # Too big to hold: the summary reads the file, with the same numbers.
    monkeypatch.setattr(outputs, "KEEP_BYTES", 0)
    info = run_blocks(model, tmp_path / "f.parquet", backend="inprocess", summary="outputs")
    assert text(info.summary) == text(outputs.summarize(reference, parameters=False))
