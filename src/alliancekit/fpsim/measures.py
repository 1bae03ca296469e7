"""The similarity measures on one year's portfolios: Signorino and Ritter's S (unweighted and
weighted), Cohen's kappa and Scott's pi (Häge 2011), as a few sparse matrix products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from alliancekit.schema import choice

if TYPE_CHECKING:
    pass

MEASURES = ("s", "sw", "kappa", "pi")


def check_metric(metric: str) -> str:
    return choice(metric, ("absolute", "squared"), "metric", "metric")


def similarity(
    x: np.ndarray,
    top: int,
    *,
    weights: np.ndarray | None = None,
    metric: str = "absolute",
    measures: Iterable[str] = MEASURES,
) -> dict[str, np.ndarray]:
    """The N x N similarity matrices of the portfolios ``x`` (N x N integer tie values in
    0..top, row i = state i's portfolio, the diagonal = top): ``s``, ``sw`` (with ``weights``,
    one per state, non-negative), ``kappa``, ``pi``; nan where undefined."""
    check_metric(metric)
    x = np.asarray(x)
    n = x.shape[0]
    measures = set(measures)
    out: dict[str, np.ndarray] = {}
    dmax = float(top if metric == "absolute" else top * top)
    values = np.arange(top + 1)

    # The products run on one sparse matrix (scipy, single-threaded): portfolios are mostly
    # zeros, and dense BLAS products of this size slow down tenfold when its threads compete
    # with other work for the cores. Absolute distance: |a - b| = sum_t |[a >= t] - [b >= t]|,
    # and for 0/1 indicators |u - v| = u + v - 2uv, so with M = [B_1 ... B_top] (the "x >= t"
    # indicator matrices side by side), sum_k w_k d(x_ik, x_jk) = s_i + s_j - 2 (M W M^T)_ij
    # with s = M w. Squared distance: M = X, s = (X * X) w, the same identity.
    from scipy import sparse

    ri, ci = np.nonzero(x)
    xv = x[ri, ci].astype(np.int64)
    if metric == "squared":
        rows, cols, data = ri, ci, xv.astype(np.float64)
        layers = 1
    else:
        reps = xv  # entry (i, k) of value v is 1 in the layers t = 1..v
        rows = np.repeat(ri, reps)
        first = np.repeat(np.cumsum(reps) - reps, reps)
        t = np.arange(len(rows)) - first  # 0..v-1
        cols = np.repeat(ci, reps) + t * n
        data = np.ones(len(rows))
        layers = top
    m = sparse.csr_matrix((data, (rows, cols)), shape=(n, n * layers))
    m2 = m.multiply(m).tocsr()

    def distances(w: np.ndarray) -> np.ndarray:
        """sum_k w_k d(x_ik, x_jk) for every i, j."""
        wl = np.tile(w, layers)
        sq = m2 @ wl
        total = sq[:, None] + sq[None, :]
        total -= 2 * (m.multiply(wl[None, :]).tocsr() @ m.T).toarray()
        total = np.maximum(total, 0.0)
        np.fill_diagonal(total, 0.0)  # exact: a portfolio is at distance 0 from itself
        return total

    if n == 0:
        return {m: np.zeros((0, 0)) for m in measures}
    even = np.full(n, 1.0 / n)
    need_plain = measures & {"s", "kappa", "pi"}
    d_plain = distances(even) if need_plain else None
    if "s" in measures:
        out["s"] = 1 - 2 * d_plain / dmax
    if "sw" in measures:
        w = None if weights is None else np.asarray(weights, dtype=np.float64)
        if w is None or not np.isfinite(w).all() or w.sum() <= 0:
            out["sw"] = np.full((n, n), np.nan)
        else:
            out["sw"] = 1 - 2 * distances(w / w.sum()) / dmax
    if measures & {"kappa", "pi"}:
        shares = (x[:, :, None] == values[None, None, :]).mean(axis=1)  # N x C
        dist = np.abs(values[:, None] - values[None, :]).astype(np.float64)
        if metric == "squared":
            dist = dist * dist
        pd = np.zeros_like(shares)  # N x C: sum_a p_i(a) d(a, b); C <= a few: no BLAS
        for c in range(top + 1):
            pd += shares[:, c : c + 1] * dist[c][None, :]
        cross = np.zeros((n, n))  # sum_ab p_i(a) p_j(b) d(a, b)
        for c in range(top + 1):
            cross += pd[:, c][:, None] * shares[:, c][None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            if "kappa" in measures:
                out["kappa"] = np.where(cross > 0, 1 - d_plain / cross, np.nan)
            if "pi" in measures:
                own = np.einsum("ic,ic->i", pd, shares)
                pooled = (own[:, None] + own[None, :] + 2 * cross) / 4
                out["pi"] = np.where(pooled > 0, 1 - d_plain / pooled, np.nan)
    for m in ("kappa", "pi"):  # D_o = 0 = D_e on the diagonal: identical portfolios
        if m in out:
            np.fill_diagonal(out[m], 1.0)
    return out
