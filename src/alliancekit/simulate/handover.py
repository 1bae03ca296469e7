"""How local workers hand a task's columns to the main process."""

from __future__ import annotations

import contextlib
import os

import numpy as np

# A task's columns reach the main process through a file in memory (tmpfs) rather than the
# executor's pipe: pickled through the pipe, 1,000,000 draws' columns (122 MB) took 0.5 s on
# this machine and a quarter of a second of the main process's CPU, in a file 0.1 s. The
# file holds the columns' bytes one after the other; the result names the file and the
# columns (name, dtype, length), and what the executor pickles is only that.
SPOOLED = "spooled"


def spool_dir() -> str | None:
    """Where local workers put their results: a folder of the run in ``/dev/shm`` (memory),
    or None (no such file system: results go through the pipe)."""
    import tempfile

    if not os.path.isdir("/dev/shm") or not os.access("/dev/shm", os.W_OK):
        return None
    try:
        return tempfile.mkdtemp(prefix="alliancekit-sweep-", dir="/dev/shm")
    except OSError:
        return None


def spooled(blocks: list[dict], spool: str | None, start: int) -> list | tuple:
    """``blocks`` written to a file in ``spool``: ``(SPOOLED, path, layout)``; the blocks
    themselves when there is no spool or the file cannot be written (a full /dev/shm)."""
    if spool is None:
        return blocks
    path = os.path.join(spool, f"{start}-{os.getpid()}.bin")
    layout = []
    try:
        with open(path, "wb") as f:
            for cols in blocks:
                layout.append([])
                for name, x in cols.items():
                    x = np.ascontiguousarray(x)
                    f.write(memoryview(x).cast("B"))
                    layout[-1].append((name, x.dtype.str, x.size))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return blocks
    return (SPOOLED, path, layout)


def unspooled(result: list | tuple) -> list[dict]:
    """The blocks of a task's result (:func:`spooled`), its file read once and removed."""
    if not (isinstance(result, tuple) and result[0] == SPOOLED):
        return result
    _, path, layout = result
    buf = np.fromfile(path, dtype=np.uint8)
    os.unlink(path)
    out, at = [], 0
    for cols in layout:
        block = {}
        for name, dtype, n in cols:
            dt = np.dtype(dtype)
            block[name] = buf[at : at + n * dt.itemsize].view(dt)
            at += n * dt.itemsize
        out.append(block)
    return out
