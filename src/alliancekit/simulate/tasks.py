"""How a sweep's work is cut into tasks, the same for every backend: runs of draws (whole
blocks, or near the end on several workers parts of one) and, for the local processes, the
network states measured in tasks of their own."""

from __future__ import annotations

from alliancekit.simulate.engine import SUB
from alliancekit.simulate.sampling import BLOCK, block_count, block_rows

PART = BLOCK // 4  # the smallest task near the end of a sweep
assert PART % SUB == 0  # a part starts where a piece of the solver starts (evaluate_block)


def plan_tasks(draws: int, workers: int, per_task: int | None = None) -> list[tuple[int, int]]:
    """The tasks, as runs of consecutive draws ``[start, stop)``. ``per_task``: that many whole
    blocks in each. With ``per_task`` None, guided sizes: a task takes a quarter of a worker's
    share of what is left (at most 8 blocks, so results stay small and the progress bar
    moves), so tasks shrink towards the end and no worker waits long for the last one. Where
    that share is less than a block, a task is half or a quarter of one (:data:`PART` draws
    at least): a block of the joint-product model takes a third of a second, and a sweep of a
    few blocks would otherwise end with one worker busy and the other idle for as long."""
    blocks = block_count(draws)
    out = []
    k = 0
    while k < blocks:
        if per_task is None:
            share = (blocks - k) * BLOCK / (4 * max(workers, 1))  # draws
            if share < BLOCK and workers > 1:  # (one worker has no one to wait for)
                lo, hi = block_rows(draws, k)
                size = PART if share < BLOCK // 2 else BLOCK // 2
                out.extend((a, min(a + size, hi)) for a in range(lo, hi, size))
                k += 1
                continue
            size = max(1, min(8, int(share // BLOCK)))
        else:
            size = per_task
        out.append((k * BLOCK, min((k + size) * BLOCK, draws)))
        k += size
    return out


def task_blocks(draws: int, start: int, stop: int) -> list[tuple[int, tuple[int, int] | None]]:
    """The blocks of a task ``[start, stop)``: ``(k, None)`` for a whole block, ``(k, (a, b))``
    for rows ``a`` to ``b`` of block ``k``."""
    out = []
    for k in range(start // BLOCK, -(-stop // BLOCK)):
        lo, hi = block_rows(draws, k)
        a, b = max(start, lo), min(stop, hi)
        out.append((k, None if (a, b) == (lo, hi) else (a - lo, b - lo)))
    return out


STATES_PER_TASK = 64  # network states per task, at least (see state_tasks)


def state_tasks(states: list[tuple], workers: int) -> list[list[tuple]]:
    """Network states cut into tasks of at least :data:`STATES_PER_TASK` states (at most two
    per worker), the states of one set of ties together (their graph is built once). Few
    tasks: the first state a process measures also costs it the network's imports (polars
    among them: the fork server does not preload it) and the year's graph (0.6 s, as much as
    two dozen states), so a sweep of a few dozen states is one task, in one worker, while the
    others start on the blocks."""
    groups: dict[tuple, list[tuple]] = {}
    for st in states:
        groups.setdefault(st[0], []).append(st)
    n = max(1, min(len(groups), 2 * workers, -(-len(states) // STATES_PER_TASK)))
    out: list[list[tuple]] = [[] for _ in range(n)]
    for i, g in enumerate(sorted(groups.values(), key=len, reverse=True)):
        (out[i] if i < n else min(out, key=len)).extend(g)
    return [t for t in out if t]
