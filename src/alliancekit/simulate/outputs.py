"""The table of draws (Parquet, written block by block) and its summaries.

The Parquet file carries the spec and the layout in its schema metadata (key
``alliancekit.sweep``): which columns are parameters and which outputs, the block size, the
thresholds. Summaries read it one column at a time, so a sweep of any size is summarised in
the memory of one column.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from alliancekit.schema import AlliancekitError, ParameterError

META_KEY = b"alliancekit.sweep"
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def layout(model) -> dict:
    """The table's layout, as the file's metadata holds it (and :func:`read_meta` gives it)."""
    from alliancekit import __version__
    from alliancekit.simulate.sampling import BLOCK

    meta = {
        "version": 1,
        "alliancekit": __version__,
        "block": BLOCK,
        "parameters": model.params,
        "outputs": model.output_columns,
        "allies": model.actors,
        "spec": model.spec.model_dump(mode="json", exclude_none=True),
    }
    return json.loads(json.dumps(meta))


def arrow_schema(model, meta: dict | None = None):
    import pyarrow as pa

    fields = [pa.field("draw", pa.int64())] + [
        pa.field(c, pa.float64()) for c in [*model.params, *model.output_columns]
    ]
    meta = layout(model) if meta is None else meta
    return pa.schema(fields, metadata={META_KEY: json.dumps(meta).encode()})


def to_batch(model, cols: dict[str, np.ndarray], schema):
    import pyarrow as pa

    def arrow(name, typ):
        # Wrapping the numpy buffer (no copy, NaN kept as NaN): pa.array would also import
        # pandas, which costs the CLI half a second.
        x = np.ascontiguousarray(cols[name], dtype=np.int64 if typ == pa.int64() else np.float64)
        return pa.Array.from_buffers(typ, x.size, [None, pa.py_buffer(x)])

    return pa.RecordBatch.from_arrays([arrow(f.name, f.type) for f in schema], schema=schema)


def _replace(src: Path, dst: Path) -> None:
    """``os.replace(src, dst)``, an old ``dst``'s blocks freed in a thread: replacing a file
    of a sweep frees its pages there and then (a tenth of a second per 100 MB), while the
    caller has a summary to compute. The old file keeps a second link until the thread
    unlinks it; the thread is not a daemon, so the process waits for it before it exits."""
    import os
    import threading

    old = dst.with_name(f".{dst.name}.{os.getpid()}.old")
    try:
        os.link(dst, old)
    except OSError:  # no old file, or a file system without hard links
        old = None
    os.replace(src, dst)
    if old is not None:
        threading.Thread(target=old.unlink, kwargs={"missing_ok": True}).start()


KEEP_BYTES = 256 * 2**20  # the most a writer holds of the columns its summary needs


class TableWriter:
    """Writes blocks in draw order as they come (out-of-order blocks, and the parts of a block,
    wait in a small buffer).

    With ``summary`` (``"outputs"``, or ``"all"``: outputs and parameters), also holds the
    columns the summary needs as they pass, so that :meth:`summary` does not read the file
    again; unless they would take more than :data:`KEEP_BYTES`, when it reads the file (a
    sweep never holds all its draws).
    """

    def __init__(self, path: str | Path, model, summary: str | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.meta = layout(model)
        self.tmp = self.path.with_name(self.path.name + ".partial")
        self.schema = None
        self.writer = None  # opened with the first block (see _open)
        self.next = 0  # the next draw to come
        self.waiting: dict[int, dict] = {}  # by first draw
        self.parts: list[dict] = []  # of the block being put together
        self.rows = 0
        self.parameters = summary == "all"
        self.kept: dict[str, np.ndarray] | None = None
        if summary is not None:
            keep = summary_columns(self.meta, parameters=self.parameters)
            draws = model.spec.draws
            if draws * len(keep) * 8 <= KEEP_BYTES:
                self.kept = {c: np.empty(draws) for c in keep}

    def _open(self) -> None:
        # When the first block comes, not before: pyarrow's imports then overlap with the
        # workers' first blocks rather than delay the start of the sweep.
        import pyarrow.parquet as pq

        self.schema = arrow_schema(self.model, self.meta)
        # No dictionaries (draws are nearly all distinct) and statistics for the draw number
        # only (the outputs' min and max prune no row group of random draws): the encoding
        # costs the main process, which shares the cores with the workers, a third less.
        self.writer = pq.ParquetWriter(
            self.tmp,
            self.schema,
            compression="lz4",
            use_dictionary=False,
            write_statistics=["draw"],
        )

    def add(self, blocks: list[dict]) -> None:
        """Blocks, or parts of one (a task's results), each a dict of columns with its draw
        numbers. Each block is written whole, as one record batch, once its parts are in."""
        block = self.meta["block"]
        for cols in blocks:
            self.waiting[int(cols["draw"][0])] = cols
        if self.writer is None and self.next in self.waiting:
            self._open()
        while self.next in self.waiting:
            cols = self.waiting.pop(self.next)
            self.next += len(cols["draw"])
            self.parts.append(cols)
            if self.next % block and self.next < self.model.spec.draws:
                continue  # the rest of the block is still to come
            parts, self.parts = self.parts, []
            if len(parts) > 1:
                cols = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
            self.writer.write_batch(to_batch(self.model, cols, self.schema))
            n = len(cols["draw"])
            if self.kept is not None:
                for c, x in self.kept.items():
                    x[self.rows : self.rows + n] = cols[c]
            self.rows += n

    def close(self, ok: bool = True) -> Path:
        if self.writer is None:  # no block came
            if ok:
                self._open()  # an empty table
            else:
                self.kept = None
                return self.path
        self.writer.close()
        if ok:
            _replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
            self.kept = None
        return self.path

    def summary(self) -> dict:
        """The summary of the closed table (:func:`summarize`), from the kept columns when it
        has them (and then only once: they are sorted in place)."""
        kept, self.kept = self.kept, None
        if kept is None:
            return summarize(self.path, parameters=self.parameters)
        return summarize_columns(self.meta, kept, self.rows, parameters=self.parameters)


# ---------------------------------------------------------------------------------------------
# Reading and summarising


def read_meta(path: str | Path) -> dict:
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.exists():
        raise ParameterError("results", f"{p}: no such file")
    try:
        schema = pq.read_schema(p)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise AlliancekitError(f"{p}: not a Parquet file ({exc})") from None
    raw = (schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise AlliancekitError(f"{p}: not a sweep table (no '{META_KEY.decode()}' metadata)")
    return json.loads(raw)


def read_column(path: str | Path, name: str) -> np.ndarray:
    """One column as a numpy array, read a few row groups at a time (a sweep writes one per
    block), so reading holds little beyond the column itself."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    field = pf.schema_arrow.field(name)
    out = np.empty(
        pf.metadata.num_rows, dtype=np.int64 if pa.types.is_integer(field.type) else np.float64
    )
    at = 0
    step = 16  # row groups per read: 262,144 draws, 2 MiB of one column
    for i in range(0, pf.num_row_groups, step):
        groups = list(range(i, min(i + step, pf.num_row_groups)))
        for chunk in pf.read_row_groups(groups, columns=[name], use_threads=False).column(0).chunks:
            n = len(chunk)
            out[at : at + n] = _values(chunk, out.dtype)
            at += n
    return out


def _values(chunk, dtype) -> np.ndarray:
    """A chunk's values as numpy, nulls as NaN. A sweep's chunks have no nulls: their buffer is
    viewed directly, since ``Array.to_numpy`` imports pandas (half a second for the CLI)."""
    if chunk.null_count == 0 and chunk.type.bit_width == 64:
        buf = chunk.buffers()[1]
        return np.frombuffer(buf, dtype=dtype, count=len(chunk), offset=chunk.offset * 8)
    return chunk.to_numpy(zero_copy_only=False)


def _sorted_quantile(x: np.ndarray, p: float) -> float:
    """numpy's default (linear) quantile of an already sorted array, without a copy."""
    h = (x.size - 1) * p
    lo = int(np.floor(h))
    hi = min(lo + 1, x.size - 1)
    return float(x[lo] + (h - lo) * (x[hi] - x[lo]))


def _quantile_mcse(sorted_x: np.ndarray, p: float) -> float:
    """Monte Carlo standard error of the p-quantile from the order statistics: half the spread
    of the quantiles at p ± one binomial standard error (sqrt(p(1-p)/n))."""
    n = sorted_x.size
    if n < 2:
        return math.nan
    se = math.sqrt(p * (1 - p) / n)
    lo = _sorted_quantile(sorted_x, max(p - se, 0.0))
    hi = _sorted_quantile(sorted_x, min(p + se, 1.0))
    return (hi - lo) / 2.0


def column_stats(x: np.ndarray) -> dict:
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(x)
    ok = x if finite.all() and x.flags.writeable else x[finite]  # sorted in place below
    del finite
    n = int(ok.size)
    out = {"n": n, "missing": int(x.size - n)}
    if n == 0:
        out.update({"mean": None, "sd": None, "mcse_mean": None})
        for p in QUANTILES:
            out[f"q{round(p * 100):02d}"] = None
        out["mcse_median"] = None
        return out
    mean = float(ok.mean())
    if n > 1:
        d = ok - mean
        sd = math.sqrt(float(np.dot(d, d)) / (n - 1))
        del d
    else:
        sd = 0.0
    ok.sort()
    out.update({"mean": mean, "sd": sd, "mcse_mean": sd / math.sqrt(n)})
    for p in QUANTILES:
        out[f"q{round(p * 100):02d}"] = _sorted_quantile(ok, p)
    out["mcse_median"] = _quantile_mcse(ok, 0.5)
    out["min"], out["max"] = float(ok[0]), float(ok[-1])
    return out


_OPS = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
    "==": np.equal,
}


def probability(x: np.ndarray, op: str, value: float) -> dict:
    """P(x op value) over the draws where x is defined, with its Monte Carlo standard error
    sqrt(p(1-p)/n)."""
    x = np.asarray(x, dtype=float)
    ok = x[np.isfinite(x)]
    n = ok.size
    if n == 0:
        return {"p": None, "mcse": None, "n": 0}
    p = float(np.count_nonzero(_OPS[op](ok, value))) / n
    return {"p": p, "mcse": math.sqrt(p * (1 - p) / n), "n": int(n)}


def _thresholds(meta: dict, thresholds: list[dict] | None, where) -> list[dict]:
    ths = list(meta["spec"].get("outputs", {}).get("thresholds", [])) + list(thresholds or [])
    for t in ths:
        col = t["output"]
        if col not in meta["outputs"] and col not in meta["parameters"]:
            raise ParameterError("threshold", f"{col!r} is not a column of {where}")
        if t["op"] not in _OPS:
            raise ParameterError(
                "threshold", f"unknown comparison {t['op']!r}; use {', '.join(_OPS)}"
            )
    return ths


def _roles(meta: dict, parameters: bool) -> list[tuple[str, str]]:
    roles = [("output", c) for c in meta["outputs"]]
    if parameters:
        roles += [("parameter", c) for c in meta["parameters"]]
    return roles


def summary_columns(meta: dict, *, parameters: bool = True) -> list[str]:
    """The columns a summary reads: its rows' columns, then those of the thresholds."""
    ths = _thresholds(meta, None, "the sweep")
    wanted = [c for _, c in _roles(meta, parameters)] + [t["output"] for t in ths]
    return list(dict.fromkeys(wanted))


def summarize(
    path: str | Path,
    thresholds: list[dict] | None = None,
    *,
    parameters: bool = True,
    workers: int | None = None,
) -> dict:
    """Summaries of a sweep table: per column (outputs, then parameters) n, mean, sd, Monte
    Carlo standard error of the mean, quantiles (and the median's MCSE); then the probability
    of each threshold of the spec (and of ``thresholds``: dicts with output, op, value).

    Each column is read once (its thresholds are counted then), on ``workers`` threads
    (default: every core; reading and sorting release the GIL). ``parameters=False`` leaves
    the parameters' rows out."""
    meta = read_meta(path)
    ths = _thresholds(meta, thresholds, path)
    return _summary(
        meta, ths, lambda col: read_column(path, col), _row_count(path), parameters, workers
    )


def summarize_columns(
    meta: dict,
    columns: dict[str, np.ndarray],
    rows: int,
    *,
    parameters: bool = True,
    workers: int | None = None,
) -> dict:
    """:func:`summarize` of columns held in memory (``meta``: the table's layout, as
    :func:`read_meta` gives it; ``columns``: at least :func:`summary_columns`' columns; they
    are sorted in place). The same numbers, bit for bit, as summarising the file."""
    ths = _thresholds(meta, None, "the sweep")
    return _summary(meta, ths, columns.__getitem__, rows, parameters, workers)


def _summary(meta, ths, column, rows, parameters, workers) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    roles = _roles(meta, parameters)
    wanted = [c for _, c in roles]
    wanted += [t["output"] for t in ths if t["output"] not in wanted]
    wanted = list(dict.fromkeys(wanted))
    stats_of = {c for _, c in roles}

    def one(col: str) -> tuple[dict | None, list[dict]]:
        x = column(col)
        # The thresholds first: column_stats sorts x in place.
        probs = [probability(x, t["op"], float(t["value"])) for t in ths if t["output"] == col]
        return (column_stats(x) if col in stats_of else None), probs

    if workers is None:
        import os

        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    with ThreadPoolExecutor(max(1, min(workers, len(wanted)))) as pool:
        done = dict(zip(wanted, pool.map(one, wanted), strict=True))
    out_rows = [{"column": c, "role": role, **done[c][0]} for role, c in roles]
    probs = []
    seen: dict[str, int] = {}
    for t in ths:
        col = t["output"]
        k = seen.get(col, 0)
        seen[col] = k + 1
        label = f"P({col} {t['op']} {t['value']:g})"
        probs.append({"threshold": label, **t, **done[col][1][k]})
    spec = meta["spec"]
    return {
        "title": spec.get("title", ""),
        "draws": rows,
        "seed": spec.get("seed"),
        "year": spec.get("year"),
        "alliance": spec.get("alliance"),
        "columns": out_rows,
        "thresholds": probs,
    }


def _row_count(path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows
