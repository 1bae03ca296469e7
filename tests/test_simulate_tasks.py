"""Task sizes change no number: the planner covers every draw once, in tasks of whole blocks
or, near the end of a sweep on several workers, of parts of one; a block evaluated in parts
equals the block evaluated whole, and the writer puts the parts back into whole blocks."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit.data import load
from alliancekit.simulate import load_spec, with_draws
from alliancekit.simulate.backends import run_task
from alliancekit.simulate.engine import SUB, evaluate_block, prepare
from alliancekit.simulate.outputs import TableWriter
from alliancekit.simulate.sampling import BLOCK, block_count
from alliancekit.simulate.tasks import PART, plan_tasks, task_blocks

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "us-retrenchment-sweep.toml"


@given(
    draws=st.integers(1, 40 * BLOCK),
    workers=st.integers(1, 16),
    per_task=st.none() | st.integers(1, 9),
)
@settings(max_examples=300, deadline=None)
def test_tasks_cover_every_draw_once_in_order(draws, workers, per_task):
    tasks = plan_tasks(draws, workers, per_task)
    assert tasks[0][0] == 0 and tasks[-1][1] == draws
    assert all(a < b for a, b in tasks)
    assert all(b == a2 for (_, b), (a2, _) in pairwise(tasks))
    for a, b in tasks:
        assert a % SUB == 0
        parts = task_blocks(draws, a, b)
        if len(parts) > 1:  # a task of several blocks takes them whole
            assert all(p is None for _, p in parts)
        if per_task is not None or workers == 1:
            assert all(p is None for _, p in parts)
        for _, p in parts:
            assert p is None or p[1] - p[0] >= min(PART, draws - a)
    if per_task is None:
        sizes = [b - a for a, b in tasks]
        assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # guided: they only shrink
        assert max(sizes) <= 8 * BLOCK
    assert sum(len(task_blocks(draws, a, b)) for a, b in tasks) >= block_count(draws)


def test_a_short_sweep_on_two_workers_ends_in_parts_of_blocks():
    tasks = plan_tasks(100_000, 2)  # 7 blocks
    sizes = [b - a for a, b in tasks]
    assert sizes == [BLOCK // 2] * 8 + [BLOCK // 4] * 8 + [100_000 - 6 * BLOCK]
    assert plan_tasks(100_000, 1) == [(k * BLOCK, min((k + 1) * BLOCK, 100_000)) for k in range(7)]


@pytest.fixture(scope="module")
def model():
    # Joint products (θ varies), correlated draws (Iman–Conover across a block's rows) and the
    # network: everything that could tie one row's numbers to another's.
    return prepare(with_draws(load_spec(EXAMPLE), BLOCK + 3 * SUB + 17), data=load())


def same(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for c in a:
        assert a[c].dtype == b[c].dtype and np.array_equal(a[c], b[c], equal_nan=True), c


@pytest.fixture(scope="module")
def models(model):
    """The model above (Iman–Conover), the burden example (Gaussian copula) and the burden
    example without correlation: each way a part's uniforms are drawn."""
    burden = with_draws(load_spec(EXAMPLE.with_name("burden-sweep.toml")), 2 * BLOCK + 100)
    plain = burden.model_copy(update={"correlation": None})
    return {
        "iman_conover": model,
        "gaussian_copula": prepare(burden, data=load()),
        "none": prepare(plain, data=load()),
    }


@pytest.mark.parametrize("which", ["iman_conover", "gaussian_copula", "none"])
@given(data=st.data())
@settings(max_examples=8, deadline=None)
def test_a_block_in_parts_equals_the_block_whole(models, which, data):
    model = models[which]
    k = data.draw(st.sampled_from([0, model.blocks - 1]), label="block")
    rows = evaluate_block(model, k)
    n = len(rows["draw"])
    cuts = data.draw(st.sets(st.integers(1, max(1, -(-n // SUB) - 1)), max_size=7), label="cuts")
    edges = sorted({0, n, *(c * SUB for c in cuts if c * SUB < n)})
    parts = [evaluate_block(model, k, part=(a, b)) for a, b in pairwise(edges)]
    same(rows, {c: np.concatenate([p[c] for p in parts]) for c in rows})


def test_the_run_reports_its_own_time_and_tasks(model, tmp_path):
    from alliancekit.simulate.backends import run

    info = run(model, tmp_path / "t.parquet", backend="inprocess")
    assert info.draws == model.spec.draws and info.tasks == len(plan_tasks(info.draws, 1))
    assert 0 < info.seconds < 600 and 0 < info.cpu and info.rate > 0


def test_a_part_must_start_on_a_piece_of_the_solver(model):
    with pytest.raises(ValueError, match="part"):
        evaluate_block(model, 0, part=(100, 200))
    with pytest.raises(ValueError, match="part"):
        evaluate_block(model, 1, part=(0, BLOCK))  # block 1 has 3 SUB + 17 rows


def test_the_writer_puts_parts_back_into_whole_blocks(model, tmp_path):
    draws = model.spec.draws
    whole = TableWriter(tmp_path / "whole.parquet", model)
    for k in range(block_count(draws)):
        whole.add([evaluate_block(model, k)])
    whole.close()
    # Parts of both blocks, arriving out of order.
    tasks = [(0, 4 * SUB), (4 * SUB, BLOCK), (BLOCK, BLOCK + 2 * SUB), (BLOCK + 2 * SUB, draws)]
    results = [run_task(model, a, b)[1] for a, b in tasks]
    parts = TableWriter(tmp_path / "parts.parquet", model)
    for i in (3, 1, 2):
        parts.add(results[i])
        assert parts.rows == 0  # nothing before draw 0 is in
    parts.add(results[0])
    assert parts.rows == draws
    parts.close()
    a, b = pq.ParquetFile(tmp_path / "whole.parquet"), pq.ParquetFile(tmp_path / "parts.parquet")
    # The same row groups (one per block), the same numbers.
    assert a.metadata.num_row_groups == b.metadata.num_row_groups == 2
    ta, tb = a.read(), b.read()
    assert ta.schema == tb.schema
    same(
        {c: ta[c].to_numpy() for c in ta.column_names},
        {c: tb[c].to_numpy() for c in tb.column_names},
    )


class _Net:
    """The part of NetworkBase that network_outputs reads: a state's outputs are a function
    of the state alone, here one that tells every state apart."""

    def __init__(self, ties: int, removed: bool, weaken: bool):
        self.ties = {f"t{i}": ("tie", f"t{i}") for i in range(ties)}
        self.removed = "gone" if removed else None
        self.weaken = "weak" if weaken else None
        self.measures = ("code", "factor")
        self.calls = 0

    def outputs(self, key, removed, factor):
        self.calls += 1
        bits = "".join("1" if on else "0" for _, on in key) + ("1" if removed else "0")
        return {"code": float(int(bits, 2) % 2**50), "factor": factor}


@given(
    ties=st.integers(0, 70),
    removed=st.booleans(),
    weaken=st.booleans(),
    rows=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=60, deadline=None)
def test_network_outputs_give_each_row_its_own_states_outputs(ties, removed, weaken, rows, seed):
    from types import SimpleNamespace

    from alliancekit.simulate.network import network_outputs

    rng = np.random.default_rng(seed)
    net = _Net(ties, removed, weaken)
    vals = {n: rng.random(rows) for n in net.ties}  # a tie is in force where its value > 0.5
    if removed:
        vals["gone"] = rng.integers(0, 2, rows).astype(float)
    if weaken:
        vals["weak"] = rng.choice([1.0, 0.75, 0.5], rows)
    out = network_outputs(SimpleNamespace(network=net), vals, rows)
    states = set()
    for r in range(rows):
        key = tuple((n, bool(vals[n][r] > 0.5)) for n in net.ties)
        state = (key, bool(removed and vals["gone"][r] > 0.5), vals["weak"][r] if weaken else 1.0)
        states.add(state)
        want = _Net(ties, removed, weaken).outputs(*state)
        assert out["code"][r] == want["code"] and out["factor"][r] == want["factor"]
    assert net.calls == len(states)  # each distinct state measured once


def test_the_fork_server_preloads_no_polars():
    # The workers' fork server imports this before it can start a worker (while the main
    # process reads the data): polars is a third of a second of it, and blocks do not use it.
    import subprocess
    import sys

    from alliancekit.simulate import _PRELOAD

    mods = [m for m in _PRELOAD if m != "__main__"]
    code = f"import sys; [__import__(m) for m in {mods!r}]; print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_burden_package_loads_its_names_when_first_used():
    import subprocess
    import sys

    code = (
        "import sys; import alliancekit.burden as b; before = 'polars' in sys.modules; "
        "names = [getattr(b, n) for n in b.__all__]; "
        "print(before, 'polars' in sys.modules, set(b.__all__) <= set(dir(b)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
    import alliancekit.burden as b

    with pytest.raises(AttributeError, match="no_such_name"):
        b.no_such_name  # noqa: B018


def test_a_pickled_network_unpickles_its_data_with_its_first_graph(model):
    import pickle

    from alliancekit.simulate.engine import measure_states, network_states

    states = network_states(model)[:3]
    want = measure_states(pickle.loads(pickle.dumps(model)), states)
    copy = pickle.loads(pickle.dumps(model))
    assert copy.network.data is None  # not yet: blocks alone never need it
    again = pickle.loads(pickle.dumps(copy))  # pickled again before any use
    assert measure_states(again, states) == want == measure_states(model, states)
    assert again.network.data is not None and "_data_pickle" not in again.network.__dict__
    assert measure_states(pickle.loads(pickle.dumps(again)), states) == want


def _sweep_dirs() -> set[str]:
    import os

    shm = "/dev/shm"
    return (
        {d for d in os.listdir(shm) if d.startswith("alliancekit-sweep-")}
        if os.path.isdir(shm)
        else set()
    )


def test_spooled_results_come_back_whole_and_leave_no_file(model, tmp_path):
    from alliancekit.simulate.handover import spooled, unspooled

    blocks = [evaluate_block(model, 0, part=(0, 2 * SUB)), evaluate_block(model, 1)]
    res = spooled(blocks, str(tmp_path), 0)
    assert res[0] == "spooled" and len(list(tmp_path.iterdir())) == 1
    back = unspooled(res)
    assert list(tmp_path.iterdir()) == []
    for a, b in zip(blocks, back, strict=True):
        same(a, b)
    # No spool, or one that cannot be written: the blocks themselves, and no file left.
    assert spooled(blocks, None, 0) is blocks
    (tmp_path / "not-a-folder").write_text("")
    assert spooled(blocks, str(tmp_path / "not-a-folder"), 0) is blocks
    assert unspooled(blocks) is blocks
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_a_run_on_local_processes_leaves_no_spool_behind(model, tmp_path):
    from alliancekit.simulate.backends import run

    before = _sweep_dirs()
    run(model, tmp_path / "p.parquet", backend="processes", workers=2)
    assert _sweep_dirs() == before
