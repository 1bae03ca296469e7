"""Where the blocks run: in this process, in local processes (the default: every core), or on a
Dask cluster given by address (through ``dask.distributed``: ``client.map`` with retries).

Every backend evaluates the same blocks (:data:`~alliancekit.simulate.sampling.BLOCK` draws,
each from its own stream) and the writer puts them in draw order, so the table is the same,
bit for bit, whatever the backend, the number of workers or the size of a task. A task is a
run of consecutive blocks or, near the end of a sweep, part of one (the same rows as in the
whole block: see :func:`~alliancekit.simulate.engine.evaluate_block`); its result is written
once, when it first arrives, so a task that runs twice (a worker died and the task was
recomputed) cannot double a draw.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alliancekit.schema import ParameterError, choice
from alliancekit.simulate import _PRELOAD
from alliancekit.simulate.engine import (
    Model,
    add_network,
    evaluate_block,
    measure_states,
    network_states,
)
from alliancekit.simulate.handover import spool_dir, spooled, unspooled
from alliancekit.simulate.outputs import TableWriter
from alliancekit.simulate.sampling import BLOCK
from alliancekit.simulate.tasks import plan_tasks, state_tasks, task_blocks

BACKENDS = ("inprocess", "processes", "dask")
# Test hook: "PATH:BLOCK" makes the process that first reaches BLOCK exit at once (and create
# PATH, so only the first attempt dies). Used to check that a sweep survives a dying worker.
CRASH_ENV = "ALLIANCEKIT_SIMULATE_CRASH_ONCE"


def default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _maybe_crash(start: int, stop: int) -> None:
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    path, _, block = spec.rpartition(":")
    if start <= int(block) * BLOCK < stop and not os.path.exists(path):
        Path(path).write_text(str(os.getpid()))
        os._exit(17)


def run_task(
    model: Model, start: int, stop: int, network: bool = True
) -> tuple[int, list[dict], float]:
    """Draws ``[start, stop)``: ``(start, their columns block by block, the CPU seconds they
    took)``; ``network=False``: without the network outputs (see :func:`_run_processes`)."""
    _maybe_crash(start, stop)
    c0 = time.process_time()
    blocks = [
        evaluate_block(model, k, network=network, part=part)
        for k, part in task_blocks(model.spec.draws, start, stop)
    ]
    return start, blocks, time.process_time() - c0


# -- local processes ---------------------------------------------------------------------------
_MODEL: Model | None = None
_SPOOL: str | None = None


def _init(model: Model, crash: str | None = None, spool: str | None = None) -> None:
    global _MODEL, _SPOOL
    _MODEL, _SPOOL = model, spool
    if crash:
        os.environ[CRASH_ENV] = crash


def _local_task(start: int, stop: int, network: bool = True) -> tuple[int, list | tuple, float]:
    with _tuned_malloc():  # as in Dask's workers, when started from one (see _Malloc)
        start, blocks, cpu = run_task(_MODEL, start, stop, network)
    return start, spooled(blocks, _SPOOL, start), cpu


def _local_states(states: list[tuple]) -> tuple[dict, float]:
    with _tuned_malloc():
        c0 = time.process_time()
        return measure_states(_MODEL, states), time.process_time() - c0


class _Malloc:
    """Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_`` at 64 KiB (so that freed
    memory goes back to the system and the worker's memory figures stay true). In glibc that
    also freezes the mmap threshold at 128 KiB, so every block-sized numpy temporary became a
    fresh mmap, and a 64 KiB trim threshold hands the heap's top back after every free: the
    next temporary faults its pages in again. The blocks ran 20% to twice as slowly as in a
    local process. While a task runs, both thresholds are raised to 64 MiB; after it, the trim
    threshold is set back to Dask's value and the heap trimmed, so the worker keeps no more
    memory between tasks than Dask intends."""

    def __init__(self):
        self.libc = None
        self.trim = None
        if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
            return
        if os.environ.get("ALLIANCEKIT_MALLOPT") == "0":  # benchmark switch: measure without
            return
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            self.trim = int(os.environ["MALLOC_TRIM_THRESHOLD_"])
            libc.mallopt(-3, 64 * 2**20)  # M_MMAP_THRESHOLD, for good
            self.libc = libc
        except (OSError, AttributeError, ValueError):  # not glibc: nothing to tune
            self.libc = None

    def __enter__(self):
        if self.libc is not None:
            self.libc.mallopt(-1, 64 * 2**20)  # M_TRIM_THRESHOLD

    def __exit__(self, *exc):
        if self.libc is not None:
            self.libc.mallopt(-1, self.trim)
            self.libc.malloc_trim(0)


_MALLOC: _Malloc | None = None


def _tuned_malloc() -> _Malloc:
    global _MALLOC
    if _MALLOC is None:
        _MALLOC = _Malloc()
    return _MALLOC


def _dask_task(
    start: int, stop: int, model: Model, states: dict | None = None
) -> tuple[int, list[dict], float]:
    with _tuned_malloc():
        if states and model.network is not None:
            model.network._states.update(states)
        return run_task(model, start, stop)


def _dask_states(states: list[tuple], model: Model) -> tuple[dict, float]:
    with _tuned_malloc():
        c0 = time.process_time()
        return measure_states(model, states), time.process_time() - c0


@dataclass
class RunInfo:
    path: Path
    draws: int
    seconds: float
    backend: str
    workers: int
    tasks: int
    restarts: int = 0
    cpu: float = 0.0  # CPU seconds of the blocks and network states, in whichever process
    summary: dict | None = None  # with run(summary=...): the table's summary

    @property
    def rate(self) -> float:
        return self.draws / self.seconds if self.seconds > 0 else math.inf


def run(
    model: Model,
    output: str | Path,
    *,
    backend: str = "processes",
    workers: int | None = None,
    scheduler=None,
    progress: Callable[[int], None] | None = None,
    per_task: int | None = None,
    summary: str | None = None,
) -> RunInfo:
    """Evaluate every block of ``model`` and write the table to ``output`` (Parquet).

    ``backend``: ``inprocess``, ``processes`` (``workers`` local processes, default every
    core) or ``dask`` (``scheduler``: an address such as ``tcp://HOST:8786``, or a
    ``distributed.Client``). ``progress`` is called with the number of draws written so far.
    ``summary``: ``"outputs"`` or ``"all"`` (outputs and parameters) also gives the table's
    summary (:func:`~alliancekit.simulate.outputs.summarize`, the same numbers) in
    ``RunInfo.summary``, from the columns as they were written rather than from the file.
    """
    choice(backend, BACKENDS, "backend", "backend")
    if summary is not None:
        choice(summary, ("outputs", "all"), "summary", "summary")
    if workers is not None and workers < 1:
        raise ParameterError("workers", "must be at least 1")
    t0 = time.perf_counter()
    writer = TableWriter(output, model, summary=summary)
    ok = False
    restarts = 0
    used = [0.0]  # CPU seconds of the blocks, added as their results arrive
    try:
        if backend == "inprocess":
            w = 1
            tasks = plan_tasks(model.spec.draws, 1, per_task)
            for start, stop in tasks:
                _, blocks, cpu = run_task(model, start, stop)
                writer.add(blocks)
                used[0] += cpu
                if progress:
                    progress(writer.rows)
        elif backend == "processes":
            w = workers or default_workers()
            tasks = plan_tasks(model.spec.draws, w, per_task)
            restarts = _run_processes(model, tasks, w, writer, progress, used)
        else:
            if scheduler is None:
                raise ParameterError("scheduler", "the dask backend needs a scheduler address")
            w, tasks = _run_dask(model, per_task, scheduler, writer, progress, used)
        if writer.rows != model.spec.draws:  # pragma: no cover - a bug, never a user's error
            raise RuntimeError(f"wrote {writer.rows} draws of {model.spec.draws}")
        ok = True
    finally:
        writer.close(ok)
    seconds = time.perf_counter() - t0
    return RunInfo(
        Path(output),
        writer.rows,
        seconds,
        backend,
        w,
        len(tasks),
        restarts,
        used[0],
        None if summary is None else writer.summary(),
    )


def _run_processes(model, tasks, workers, writer, progress, used) -> int:
    import multiprocessing as mp

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    spool = spool_dir()
    try:
        return _run_pool(ctx, model, tasks, workers, writer, progress, used, spool)
    finally:
        if spool is not None:
            import shutil

            shutil.rmtree(spool, ignore_errors=True)  # a dead worker's file, if any


def _run_pool(ctx, model, tasks, workers, writer, progress, used, spool) -> int:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    todo = list(tasks)
    done: set[int] = set()
    restarts = 0
    states = network_states(model)
    # With every network state known in advance, each is measured once, in a task of its own
    # (state_tasks), and the blocks are evaluated without their network outputs, which this
    # process looks up when the states are in (add_network): no worker measures a state
    # twice, and none waits for the others to finish the states before it starts on blocks.
    state_parts = state_tasks(states, workers) if states else []
    table: dict = {}
    held: dict[int, list[dict]] = {}  # blocks that wait for the states

    def write(blocks):
        if states:
            blocks = [add_network(model, b) for b in blocks]
        writer.add(blocks)
        if progress:
            progress(writer.rows)

    while True:
        pending = [t for t in todo if t[0] not in done]
        parts = [p for p in state_parts if not all(st in table for st in p)]
        if not pending and not parts:
            return restarts
        try:
            with ProcessPoolExecutor(
                workers,
                mp_context=ctx,
                initializer=_init,
                initargs=(model, os.environ.get(CRASH_ENV), spool),
            ) as pool:
                queue = [("states", p) for p in parts] + [("blocks", t) for t in pending]
                running = {}
                limit = 2 * workers + 1
                while queue or running:
                    while queue and len(running) < limit:
                        kind, t = queue.pop(0)
                        if kind == "states":
                            running[pool.submit(_local_states, t)] = (kind, t)
                        else:
                            running[pool.submit(_local_task, *t, not states)] = (kind, t)
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for f in finished:
                        kind, t = running.pop(f)
                        if kind == "states":
                            part, cpu = f.result()
                            table.update(part)
                            used[0] += cpu
                            if len(table) == len(states):
                                model.network._states.update(table)
                                for start in sorted(held):
                                    write(held.pop(start))
                            continue
                        start, result, cpu = f.result()
                        blocks = unspooled(result)
                        if start in done:
                            continue
                        done.add(start)
                        used[0] += cpu
                        if states and len(table) < len(states):
                            held[start] = blocks
                        else:
                            write(blocks)
        except BrokenProcessPool:
            restarts += 1
            if restarts > 3:
                raise
            continue
        return restarts


def _run_dask(model, per_task, scheduler, writer, progress, used) -> tuple[int, list]:
    try:
        from concurrent.futures import CancelledError

        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - dask is a dependency
        raise ParameterError(
            "scheduler",
            "the dask backend needs dask.distributed: pip install 'dask[distributed]'",
        ) from None
    own = not hasattr(scheduler, "map")
    client = Client(scheduler, timeout="20s") if own else scheduler
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        # The block size policy of local processes: as many tasks, so as few round trips.
        tasks = plan_tasks(model.spec.draws, workers, per_task)
        # hash=False: a new key per sweep (the same model sent again while the last sweep's copy
        # is being released would lose its data)
        [mf] = client.scatter([model], broadcast=True, hash=False)
        states = network_states(model)
        table: dict = {}
        tf = None
        if states:  # measured once, over the workers (see _run_processes)
            parts = client.map(
                _dask_states, state_tasks(states, workers), model=mf, retries=3, pure=False
            )
            for part, cpu in client.gather(parts):
                table.update(part)
                used[0] += cpu
            # Sent once to every worker, not with every task.
            [tf] = client.scatter([table], broadcast=True, hash=False)
        futures = client.map(
            _dask_task,
            [t[0] for t in tasks],
            [t[1] for t in tasks],
            model=mf,
            states=tf,
            retries=3,
            pure=False,
        )
        task_of = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        resubmitted: dict[int, int] = {}
        seen: set[int] = set()
        done = as_completed(futures)
        for fut in done:
            try:
                start, blocks, cpu = fut.result()
            except CancelledError:
                # A worker's death can cancel a task outright instead of retrying it (its
                # scattered model went with the worker, or the scheduler lost the task's
                # state): submit that block again, the model scattered anew if it was lost.
                t = task_of[fut.key]
                resubmitted[t[0]] = resubmitted.get(t[0], 0) + 1
                if resubmitted[t[0]] > 3:
                    raise
                if mf.status != "finished":
                    [mf] = client.scatter([model], broadcast=True, hash=False)
                if tf is not None and tf.status != "finished":
                    [tf] = client.scatter([table], broadcast=True, hash=False)
                again = client.submit(
                    _dask_task, t[0], t[1], model=mf, states=tf, retries=3, pure=False
                )
                task_of[again.key] = t
                done.add(again)
                continue
            fut.release()
            if start in seen:  # pragma: no cover - as_completed yields each future once
                continue
            seen.add(start)
            writer.add(blocks)
            used[0] += cpu
            if progress:
                progress(writer.rows)
        return workers, tasks
    finally:
        if own:
            client.close()
