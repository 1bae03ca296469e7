"""Drawing parameters: uniforms from a seeded stream per block, rank correlation, and each
distribution's inverse CDF.

Reproducibility does not depend on workers or task sizes: the draws are cut into blocks of
:data:`BLOCK` rows, and block ``k`` takes its own stream, ``SeedSequence(seed,
spawn_key=(k,))`` — the ``k``-th child that ``SeedSequence(seed).spawn`` gives. A block's
uniforms are a ``(rows, dims)`` matrix: one column per parameter, then the latent columns (each
ally's preference factor under a ``preference_spread``). Correlation acts on the parameter
columns of one block; the inverse CDFs then turn uniforms into values. Sensitivity analysis
feeds the same functions with SALib's Saltelli points instead.
"""

from __future__ import annotations

import numpy as np

from alliancekit.simulate.spec import Correlation, Parameter

BLOCK = 16_384


def _special():
    # Imported when first needed: scipy.special costs the CLI's main process (which prepares
    # the sweep but draws nothing) a good part of a second; the workers import it up front.
    from scipy import special

    return special


_EPS = 1e-12


def block_count(draws: int) -> int:
    return -(-draws // BLOCK)


def block_rows(draws: int, k: int) -> tuple[int, int]:
    """The draw numbers ``[start, stop)`` of block ``k``."""
    return k * BLOCK, min((k + 1) * BLOCK, draws)


def block_stream(seed: int, k: int) -> np.random.Generator:
    """Block ``k``'s stream: the ``k``-th child of ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(k,))))


def uniforms(seed: int, k: int, rows: int, dims: int) -> np.ndarray:
    return block_stream(seed, k).random((rows, dims))


# ---------------------------------------------------------------------------------------------
# Correlation


def _spearman_to_pearson(r: np.ndarray) -> np.ndarray:
    """The normal correlation whose rank (Spearman) correlation is ``r``: 2 sin(π r / 6)."""
    out = 2.0 * np.sin(np.pi * r / 6.0)
    np.fill_diagonal(out, 1.0)
    return out


def gaussian_copula(u: np.ndarray, rank_corr: np.ndarray) -> np.ndarray:
    """Correlate independent uniforms ``u`` (rows, k) through a Gaussian copula whose rank
    correlation is ``rank_corr``; marginals stay uniform."""
    special = _special()
    c = _spearman_to_pearson(np.asarray(rank_corr, dtype=float))
    lower = np.linalg.cholesky(c)
    z = special.ndtri(np.clip(u, _EPS, 1 - _EPS))
    return special.ndtr(z @ lower.T)


def iman_conover(u: np.ndarray, rank_corr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Iman & Conover (1982): reorder each column of ``u`` so that the block's rank correlation
    is close to ``rank_corr``, keeping every column's values (and so its marginal) exactly."""
    special = _special()
    n, k = u.shape
    if n < k + 2:
        return gaussian_copula(u, rank_corr)
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    s = np.column_stack([rng.permutation(scores) for _ in range(k)])
    e = np.corrcoef(s, rowvar=False)
    p = np.linalg.cholesky(np.asarray(rank_corr, dtype=float))
    q = np.linalg.cholesky(e)
    t = s @ np.linalg.inv(q).T @ p.T  # corr(s) = q qᵀ → identity → p pᵀ
    out = np.empty_like(u)
    ranks = np.empty(n, dtype=np.intp)
    every = np.arange(n, dtype=np.intp)
    for j in range(k):
        # Each row's rank in t[:, j]: the inverse of the sorting permutation, which is what a
        # second argsort gives, at the cost of a scatter instead of a sort.
        ranks[np.argsort(t[:, j], kind="stable")] = every
        out[:, j] = np.sort(u[:, j])[ranks]
    return out


def correlate(
    u: np.ndarray, columns: list[int], corr: Correlation, rng: np.random.Generator
) -> np.ndarray:
    """Apply the spec's correlation to ``columns`` of ``u`` (a copy)."""
    u = u.copy()
    m = np.asarray(corr.matrix, dtype=float)
    sub = u[:, columns]
    if corr.method == "gaussian_copula":
        u[:, columns] = gaussian_copula(sub, m)
    else:
        u[:, columns] = iman_conover(sub, m, rng)
    return u


# ---------------------------------------------------------------------------------------------
# Inverse CDFs


def _truncnorm_ppf(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Inverse CDF of the standard normal truncated to [a, b] (a <= 0 here)."""
    special = _special()
    fa, fb = special.ndtr(a), special.ndtr(b)
    return special.ndtri(fa + u * (fb - fa))


def from_uniform(p: Parameter, u: np.ndarray) -> np.ndarray:
    """The parameter's values at uniforms ``u`` (the inverse CDF of its distribution)."""
    special = _special()
    d = p.dist
    u = np.asarray(u, dtype=float)
    if d == "fixed":
        return np.full(u.shape, float(p.value))
    if d == "uniform":
        return p.low + (p.high - p.low) * u
    uc = np.clip(u, _EPS, 1 - _EPS)
    if d == "normal":
        return p.mean + p.sd * special.ndtri(uc) if p.sd > 0 else np.full(u.shape, p.mean)
    if d == "truncnormal":
        if p.sd == 0:
            return np.clip(np.full(u.shape, p.mean), p.low, p.high)
        a, b = (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd
        if a > 0:  # the upper tail: reflect, so the CDF differences stay accurate
            z = -_truncnorm_ppf(1.0 - uc, -b, -a)
        else:
            z = _truncnorm_ppf(uc, a, b)
        return np.clip(p.mean + p.sd * z, p.low, p.high)
    if d == "triangular":
        lo, mode, hi = p.low, p.mode, p.high
        if hi == lo:
            return np.full(u.shape, lo)
        c = (mode - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode))
        return np.where(u < c, left, right)
    if d == "beta":
        lo, hi = p.beta_bounds
        return lo + (hi - lo) * special.betaincinv(p.a, p.b, u)
    if d == "choice":
        vals = np.asarray(p.values, dtype=float)
        w = np.full(len(vals), 1 / len(vals)) if p.weights is None else np.asarray(p.weights)
        cum = np.cumsum(w)
        cum[-1] = 1.0
        return vals[np.minimum(np.searchsorted(cum, u, side="right"), len(vals) - 1)]
    if d == "bernoulli":
        on = 1.0 if p.value is None else p.value
        off = 0.0 if p.otherwise is None else p.otherwise
        return np.where(u < p.p, on, off)
    raise ValueError(d)  # pragma: no cover - the spec has checked the name
