"""Batched equilibrium solvers: many parameter draws of one alliance solved at once with numpy.

The working layout is *allies first*: a block of draws is a set of ``(allies, draws)`` arrays,
so that each ally's row is contiguous and a sum over the allies is a run of vector additions
(:func:`~alliancekit.burden.solvers.sum_over_allies`, in the same order as a single solve).
:func:`solve_block` takes that layout (the sweep engine uses it); :func:`solve_batch` and
:func:`solve_batch_bounded` take the usual ``(draws, allies)`` layout.

The pure public good is solved exactly (Newton's method on total provision, whose steps are
Bergstrom, Blume & Varian's formula, :func:`~alliancekit.burden.solvers.public_good_total`), so
a draw gives, bit for bit, what :func:`~alliancekit.burden.solvers.solve_public_good` and
:func:`~alliancekit.burden.equilibrium.scenario` give for its parameters. Joint products are
solved numerically (a bracketed Newton's method per draw).

References
----------
.. [BBV] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
   goods", *Journal of Public Economics* 29(1): 25–49.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from alliancekit.burden.solvers import (
    calibrate,
    public_good_total,
    spend_given_total,
    sum_over_allies,
)
from alliancekit.schema import ParameterError


def best_response_batch(others, w, a, b) -> np.ndarray:
    """:func:`~alliancekit.burden.solvers.best_response` for arrays, element by element.

    Parameters
    ----------
    others : numpy.ndarray
        What the other allies spend.
    w, a, b : numpy.ndarray
        Income and weights (broadcast together).

    Returns
    -------
    numpy.ndarray
        Each best response.

    Raises
    ------
    ValueError
        When the shapes do not broadcast.

    Examples
    --------
    >>> import numpy as np
    >>> best_response_batch(np.array([0.0, 50.0]), 100.0, 0.2, 0.0).tolist()
    [20.0, 0.0]
    """
    bb = (1.0 - a) * others - (a + b) * w
    c = b * others * w
    disc = np.sqrt(bb * bb + 4.0 * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(disc + bb > 0, 2.0 * c / (disc + bb), 0.0)
    return np.where(bb > 0, pos, (disc - bb) / 2.0)


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    import os

    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def solve_batch(
    income, alpha, exogenous=None, *, chunk: int = 4096, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact pure-public-good equilibria for many parameter draws at once.

    Parameters
    ----------
    income : array_like
        ``(draws, allies)``, or one row ``(allies,)`` shared by every draw.
    alpha : array_like
        ``(draws, allies)``, or one row; each in (0, 1).
    exogenous : float or array_like, optional
        Spending fixed outside the game: a number, or one per draw.
    chunk : int
        Draws per block; blocks run on ``workers`` threads (numpy releases the GIL).
    workers : int, optional
        Threads (default: every core).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Spending ``(draws, allies)`` and total provision ``(draws,)``.

    Raises
    ------
    ParameterError
        For shapes that do not match, ``alpha`` outside (0, 1), incomes that are not positive
        or negative exogenous spending.

    Examples
    --------
    >>> import numpy as np
    >>> q, g = solve_batch([100.0, 10.0], np.array([[0.2, 0.2], [0.2, 0.5]]))
    >>> g.tolist(), q[1].tolist()
    ([20.0, 20.0], [20.0, 0.0])
    """
    a = np.asarray(alpha, dtype=float)
    w = np.asarray(income, dtype=float)
    if a.ndim == 1:
        a = a[None, :]
    draws = max(a.shape[0], w.shape[0] if w.ndim == 2 else 1)
    n = a.shape[1]
    if (
        w.shape[-1] != n
        or a.shape[0] not in (1, draws)
        or (w.ndim == 2 and w.shape[0] not in (1, draws))
    ):
        raise ParameterError("alpha", f"income {w.shape} and alpha {a.shape} do not match")
    if np.any(~(a > 0)) or np.any(a >= 1):
        raise ParameterError("alpha", "every alpha must be in (0, 1)")
    if np.any(~(w > 0)):
        raise ParameterError("income", "every income must be positive")
    if w.ndim == 2 and w.shape[0] == 1:
        w = w[0]
    exo = np.zeros(draws)
    if exogenous is not None:
        exo = np.broadcast_to(np.asarray(exogenous, dtype=float), (draws,))
        if np.any(~(exo >= 0)):
            raise ParameterError("exogenous", "exogenous spending must be non-negative")
    spending = np.empty((draws, n))
    total = np.empty(draws)

    def run(lo: int) -> None:
        hi = min(lo + chunk, draws)
        at = (a[lo:hi] if a.shape[0] > 1 else np.broadcast_to(a, (hi - lo, n))).T
        wt = w if w.ndim == 1 else w[lo:hi].T
        r = (1.0 - at) / at
        wc = wt[:, None] if wt.ndim == 1 else wt
        g, _ = public_good_total(wc, r, wc / r, np.ascontiguousarray(exo[lo:hi]))
        q = wc - r * g
        np.maximum(q, 0.0, out=q)
        spending[lo:hi] = q.T
        total[lo:hi] = g

    starts = range(0, draws, chunk)
    workers = _workers(workers)
    if workers > 1 and draws > chunk:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    else:
        for lo in starts:
            run(lo)
    return spending, total


def _joint_block(
    w: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    exo: np.ndarray,
    free: np.ndarray,
    *,
    g0: np.ndarray | None = None,
    rtol: float = 1e-13,
    max_iter: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Joint-product equilibria of a block (allies first): total provision ``G`` is the root of
    ``h(G) = E + Σ_free q_i(G) - G`` (``q_i(G)``: :func:`spend_given_total`), found per draw by
    Newton's method kept inside a bracket (a step that leaves it becomes a bisection), from the
    pure public good's equilibrium, left of the root. ``dq_i/dG = (b_i w_i - (1-a_i) q_i) /
    disc_i`` from the quadratic. A draw stops moving once it has converged, so its answer does
    not depend on the other draws of the block."""
    n, draws = a.shape
    W = np.broadcast_to(w if w.ndim == 2 else w[:, None], (n, draws))
    fm = free.astype(float)
    lo = np.where(exo > 0, exo, 1e-300)
    hi = exo + sum_over_allies(W * fm)
    if g0 is None:
        # h is convex and decreasing; Newton's iterates from the pure public good's equilibrium
        # (b ignored, left of the root) rise monotonically to it.
        r = (1.0 - a) / a
        fixed = {
            i: (np.where(free[i], W[i] / r[i], -np.inf), 0.0)
            for i in np.flatnonzero(~free.all(axis=1))
        }
        g0, _ = public_good_total(W, r, W / r, exo, fixed)
    g = np.clip(np.array(g0, dtype=float), lo, hi)
    none = ~free.any(axis=0)
    g[none] = exo[none]
    active = np.flatnonzero(~none)  # the draws still moving (compacted as they stop)

    def take(idx):
        aa, ww, bb_ = a[:, idx], W[:, idx], b[:, idx]
        return (1.0 - aa, aa * ww, 4.0 * aa * bb_ * ww, bb_ * ww, 0.5 / aa, fm[:, idx])

    c1, aw, k4, bw, inv2a, f = take(active)
    e = exo[active]
    sub = np.arange(active.size)  # columns of the compacted arrays that are still moving
    for _ in range(max_iter):
        if sub.size == 0:
            break
        if sub.size < 0.5 * c1.shape[1]:
            active = active[sub]
            c1, aw, k4, bw, inv2a, f = (x[:, sub] for x in (c1, aw, k4, bw, inv2a, f))
            e = e[sub]
            sub = np.arange(active.size)
        full = sub.size == c1.shape[1]
        C1, AW, K4, BW, I2, F = (
            (c1, aw, k4, bw, inv2a, f) if full else (x[:, sub] for x in (c1, aw, k4, bw, inv2a, f))
        )
        EE = e if full else e[sub]
        rows = active[sub]
        ga = g[rows]
        bq = C1 * ga - AW
        disc = np.sqrt(bq * bq + K4 * ga)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(bq > 0, 2.0 * BW * ga / (disc + bq), (disc - bq) * I2)
            dq = (BW - C1 * q) / disc
        np.nan_to_num(dq, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        h = EE + sum_over_allies(q * F) - ga
        dh = sum_over_allies(dq * F) - 1.0
        la = np.where(h > 0, ga, lo[rows])
        ha = np.where(h < 0, ga, hi[rows])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = h / dh
        new = ga - step
        done = (np.abs(step) <= rtol * ga) | (h == 0) | (ha - la <= 4 * rtol * ha)
        bad = ~((new >= la) & (new <= ha)) & ~done
        new = np.where(bad, np.where(la > 1e-3 * ha, np.sqrt(la * ha), 0.5 * (la + ha)), new)
        g[rows] = np.where(h == 0, ga, new)
        lo[rows], hi[rows] = la, ha
        sub = sub[~done]
    q = spend_given_total(g, W, a, b)
    q = np.where(free, q, 0.0)
    return q, g


def _bounds(x, name: str, n: int, draws: int) -> dict[int, np.ndarray]:
    if x is None:
        return {}
    if not isinstance(x, Mapping):
        raise ParameterError(name, "give a mapping: ally index -> one value per draw (NaN: none)")
    out = {}
    for i, v in x.items():
        if not 0 <= int(i) < n:
            raise ParameterError(name, f"no ally with index {i}")
        out[int(i)] = np.broadcast_to(np.asarray(v, dtype=float), (draws,))
    return out


def solve_block(
    income,
    alpha,
    beta=None,
    *,
    fixed: Mapping[int, np.ndarray] | None = None,
    caps: Mapping[int, np.ndarray] | None = None,
    floors: Mapping[int, np.ndarray] | None = None,
    cache: dict | None = None,
    return_held: bool = False,
    start=None,
):
    """Equilibria of a block of draws, allies first, where some allies are bound.

    Some allies spend a given amount (``fixed``), some at most a cap (``caps``) and some at
    least a floor (``floors``). For the pure public good a floor is part of the equilibrium's
    equation (an ally spends ``max(floor, w - r G)``, :func:`~alliancekit.burden.solvers.\
public_good_total`), so it costs no extra solve; a cap, and every bound under joint products,
    is bound when the equilibrium breaks it and released when the ally's best response returns
    inside, then the draws whose bounds changed are solved again. Exact when ``beta`` is None
    or zero, numerical otherwise.

    Parameters
    ----------
    income : numpy.ndarray
        ``(allies,)`` shared by every draw, or ``(allies, draws)``.
    alpha : numpy.ndarray
        ``(allies, draws)``.
    beta : numpy.ndarray, optional
        ``(allies, draws)``: joint products.
    fixed, caps, floors : mapping of int to numpy.ndarray, optional
        Ally index -> one level per draw, NaN where it does not apply. A fixed level wins over
        a cap, a cap over a floor.
    cache : dict, optional
        Shared by calls with the same ``income`` and ``alpha`` (``r`` and the reservation
        levels are kept there).
    return_held : bool
        Also return, for each ally of ``fixed``, ``caps`` and ``floors``, the draws where it
        spends exactly its bound.
    start : float or numpy.ndarray, optional
        A guess of total provision per draw, where the pure public good's solver starts (see
        :func:`~alliancekit.burden.solvers.public_good_total`): it changes no result, only
        the number of steps.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray) or (numpy.ndarray, numpy.ndarray, dict)
        Spending ``(allies, draws)``, total provision ``(draws,)`` and, with ``return_held``,
        ally index -> bool ``(draws,)``.

    Raises
    ------
    ParameterError
        For a bound that is not a mapping or names no ally.

    Examples
    --------
    Two draws of two allies; the first ally is held at 5 in the second draw:

    >>> import numpy as np
    >>> alpha = np.full((2, 2), 0.2)
    >>> q, g = solve_block(np.array([100.0, 10.0]), alpha, fixed={0: np.array([np.nan, 5.0])})
    >>> g.tolist(), q[:, 1].tolist()
    ([20.0, 5.0], [5.0, 0.0])
    """
    a = np.asarray(alpha, dtype=float)
    n, draws = a.shape
    w = np.asarray(income, dtype=float)
    W = w[:, None] if w.ndim == 1 else w
    joint = beta is not None and bool(np.any(np.asarray(beta) > 0))
    b = np.broadcast_to(np.asarray(beta, float), a.shape) if joint else None
    fixed = _bounds(fixed, "fixed", n, draws)
    caps = _bounds(caps, "caps", n, draws)
    floors = _bounds(floors, "floors", n, draws)
    no = np.zeros(draws, bool)
    exact = {i: ~np.isnan(v) for i, v in fixed.items()}
    capm = {i: ~np.isnan(v) & ~exact.get(i, no) for i, v in caps.items()}
    floorm = {i: ~np.isnan(v) & ~exact.get(i, no) & ~capm.get(i, no) for i, v in floors.items()}
    capm = {i: m for i, m in capm.items() if m.any()}
    floorm = {i: m for i, m in floorm.items() if m.any()}
    if joint:
        q, g, held = _bounded_joint(W, a, b, fixed, exact, caps, capm, floors, floorm)
    else:
        if cache is None:
            cache = {}
        if "r" not in cache:
            cache["r"] = (1.0 - a) / a
            cache["t"] = W / cache["r"]
        q, g, held = _bounded_pure(
            W, cache["r"], cache["t"], a, fixed, exact, caps, capm, floors, floorm, start
        )
    return (q, g, held) if return_held else (q, g)


def _cols(x, rows):
    return x if rows is None or x.shape[-1] == 1 else x[..., rows]


def _bounded_pure(W, r, t, a, fixed, exact, caps, capm, floors, floorm, start=None):
    """The pure public good with bounds: fixed levels and floors inside Newton's method, caps
    by binding and releasing (their spending is concave in G, which Newton's method from the
    left does not allow for)."""
    n, draws = r.shape
    capped = {i: np.zeros(draws, bool) for i in capm}  # caps bound so far
    q = np.empty((n, draws))
    g = np.empty(draws)
    active = np.empty((n, draws), bool)
    rows = None  # the draws whose caps changed: only they are solved again
    for _ in range(4 * n + 2):
        rt, rr, rw = _cols(t, rows), _cols(r, rows), _cols(W, rows)
        shape = rt.shape[1:]
        bound = {}
        for i in sorted(set(exact) | set(capm) | set(floorm)):
            th, lv = rt[i], np.zeros(shape)
            if i in floorm:
                on = _cols(floorm[i], rows)
                fv = np.where(on, _cols(floors[i], rows), 0.0)
                lv = fv
                th = np.where(on, (rw[i] - fv) / rr[i], th)
            if i in capped:
                on = _cols(capped[i], rows)
                lv = np.where(on, _cols(caps[i], rows), lv)
                th = np.where(on, -np.inf, th)
            if i in exact:
                on = _cols(exact[i], rows)
                lv = np.where(on, _cols(fixed[i], rows), lv)
                th = np.where(on, -np.inf, th)
            bound[i] = (np.broadcast_to(th, shape), lv)
        if rows is not None:
            start = g[rows]  # the last solution: the caps moved it little
        elif start is not None:
            start = np.broadcast_to(np.asarray(start, dtype=float), (draws,))
        gr, act = public_good_total(rw, rr, rt, 0.0, bound, start)
        qr = rw - rr * gr
        np.maximum(qr, 0.0, out=qr)
        for i, (_, lv) in bound.items():
            qr[i] = np.where(act[i], qr[i], lv)
        if rows is None:
            q, g, active = qr, gr, act
        else:
            q[:, rows], g[rows], active[:, rows] = qr, gr, act
        if not capm:
            break
        change = np.zeros(draws, bool)
        for i, m in capm.items():
            qi = q[i]
            br = best_response_batch(g - qi, W[i] if W.shape[1] > 1 else W[i, 0], a[i], 0.0)
            cv = caps[i]
            tol = 1e-12 * np.maximum(np.where(m, cv, 1.0), 1.0)
            with np.errstate(invalid="ignore"):
                bind = m & ~capped[i] & (qi > cv)
                free = m & capped[i] & (br < cv - tol)
            capped[i] = (capped[i] | bind) & ~free
            change |= bind | free
        rows = np.flatnonzero(change)
        if rows.size == 0:
            break
    no = np.zeros(draws, bool)
    held = {
        i: ~active[i] & (exact.get(i, no) | capped.get(i, no) | floorm.get(i, no))
        for i in sorted(set(fixed) | set(caps) | set(floors))
    }
    return q, g, held


def _bounded_joint(W, a, b, fixed, exact, caps, capm, floors, floorm):
    """Joint products with bounds: bind a bound when the equilibrium breaks it, release it when
    the best response returns inside, and solve again the draws whose bounds changed."""
    n, draws = a.shape
    bound = np.zeros((n, draws), bool)
    level = np.zeros((n, draws))
    for i, m in exact.items():
        bound[i] = m
        level[i] = np.where(m, fixed[i], 0.0)
    checks = sorted(set(capm) | set(floorm))
    bindable = sorted(set(exact) | set(checks))
    no = np.zeros(draws, bool)
    q = np.empty((n, draws))
    g = np.empty(draws)
    rows = None  # the draws whose bounds changed: only they are solved again
    for it in range(4 * n + 2):
        exo = np.zeros(draws if rows is None else rows.size)
        for i in bindable:
            exo = exo + _cols(level[i] * bound[i], rows)
        bd = _cols(bound, rows)
        qr, gr = _joint_block(
            _cols(W, rows) if W.shape[1] > 1 else W[:, 0],
            _cols(a, rows),
            _cols(b, rows),
            exo,
            ~bd,
            g0=None if it == 0 else g[rows],
        )
        for i in bindable:
            np.copyto(qr[i], _cols(level[i], rows), where=bd[i])
        if rows is None:
            q, g = qr, gr
        else:
            q[:, rows], g[rows] = qr, gr
        if not checks:
            break
        change = np.zeros(draws, bool)
        updates = []
        for i in checks:
            qi, bi = q[i], bound[i]
            br = best_response_batch(g - qi, W[i] if W.shape[1] > 1 else W[i, 0], a[i], b[i])
            cm, fm = capm.get(i, no), floorm.get(i, no)
            bind_cap = free_cap = bind_floor = free_floor = no
            with np.errstate(invalid="ignore"):
                if i in capm:
                    cv = caps[i]
                    tol = 1e-12 * np.maximum(np.where(cm, cv, 1.0), 1.0)
                    bind_cap = cm & ~bi & (qi > cv)
                    free_cap = cm & bi & (br < cv - tol)
                if i in floorm:
                    fv = floors[i]
                    tol = 1e-12 * np.maximum(np.where(fm, fv, 1.0), 1.0)
                    bind_floor = fm & ~bi & (qi < fv)
                    free_floor = fm & bi & (br > fv + tol)
            updates.append((i, bind_cap, free_cap, bind_floor, free_floor))
            change |= bind_cap | free_cap | bind_floor | free_floor
        rows = np.flatnonzero(change)
        if rows.size == 0:
            break
        for i, bind_cap, free_cap, bind_floor, free_floor in updates:
            bound[i] = (bound[i] | bind_cap | bind_floor) & ~free_cap & ~free_floor
            level[i] = np.where(bind_cap, caps.get(i, 0.0), level[i])
            level[i] = np.where(bind_floor, floors.get(i, 0.0), level[i])
    held = {i: bound[i].copy() for i in sorted(set(fixed) | set(caps) | set(floors))}
    return q, g, held


def solve_batch_bounded(
    income,
    alpha,
    beta=None,
    *,
    fixed=None,
    caps=None,
    floors=None,
    cache: dict | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Equilibria of many draws at once where some allies are bound, draws first.

    :func:`solve_block` for arrays of shape ``(draws, allies)``.

    Parameters
    ----------
    income : array_like
        ``(allies,)`` or ``(draws, allies)``.
    alpha : array_like
        ``(draws, allies)``.
    beta : array_like, optional
        ``(draws, allies)``: joint products.
    fixed, caps, floors : array_like, optional
        ``(draws, allies)``, NaN where the bound does not apply.
    cache : dict, optional
        Shared by calls with the same ``income`` and ``alpha``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Spending ``(draws, allies)`` and total provision ``(draws,)``.

    Raises
    ------
    ParameterError
        For bounds of the wrong shape.

    Examples
    --------
    >>> import numpy as np
    >>> alpha = np.full((2, 2), 0.2)
    >>> caps = np.array([[np.nan, np.nan], [10.0, np.nan]])
    >>> q, g = solve_batch_bounded([100.0, 10.0], alpha, caps=caps)
    >>> q.tolist()
    [[20.0, 0.0], [10.0, 0.0]]
    """
    a = np.asarray(alpha, dtype=float)
    draws, n = a.shape
    w = np.asarray(income, dtype=float)
    wt = w if w.ndim == 1 else np.ascontiguousarray(w.T)
    bt = None if beta is None else np.ascontiguousarray(np.broadcast_to(beta, a.shape).T)

    def columns(x, name):
        if x is None:
            return None
        x = np.asarray(x, dtype=float)
        if x.shape != (draws, n):
            raise ParameterError(name, f"needs shape {(draws, n)} (got {x.shape})")
        return {i: x[:, i].copy() for i in np.flatnonzero(~np.isnan(x).all(axis=0))}

    q, g = solve_block(
        wt,
        np.ascontiguousarray(a.T),
        bt,
        fixed=columns(fixed, "fixed"),
        caps=columns(caps, "caps"),
        floors=columns(floors, "floors"),
        cache=cache,
    )
    return np.ascontiguousarray(q.T), g


def calibrate_batch(income, spending, private_share) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~alliancekit.burden.solvers.calibrate` for many values of the private share θ.

    Parameters
    ----------
    income, spending : array_like
        One alliance's incomes and observed spending.
    private_share : float or array_like
        θ: a number, or one per draw.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``alpha`` and ``beta`` of shape ``(draws, allies)`` (one row for a number); observed
        spending is the equilibrium under each row.

    Raises
    ------
    ParameterError
        For θ outside [0, 1), an ally observed at zero with θ > 0, or the checks of
        :func:`~alliancekit.burden.solvers.calibrate`.

    Examples
    --------
    >>> a, b = calibrate_batch([100.0, 50.0], [20.0, 5.0], [0.0, 0.5])
    >>> a.shape, b[0].tolist()
    ((2, 2), [0.0, 0.0])
    """
    w = np.asarray(income, dtype=float)
    q = np.asarray(spending, dtype=float)
    th = np.atleast_1d(np.asarray(private_share, dtype=float))[:, None]
    if np.any(th < 0) or np.any(th >= 1):
        raise ParameterError("private_share", "the private share must be in [0, 1)")
    if np.any((q == 0) & (th > 0)):
        raise ParameterError(
            "private_share",
            "with joint products every ally spends; an ally observed at zero needs private_share 0",
        )
    calibrate(w, q, 0.0)  # the checks on income and spending
    g = q.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        m = (1.0 - th) / g + np.where(q > 0, th / np.where(q > 0, q, 1.0), 0.0)
    s = 1.0 / (1.0 + m * (w - q))
    return s * (1.0 - th), s * th


__all__ = [
    "best_response_batch",
    "calibrate_batch",
    "solve_batch",
    "solve_batch_bounded",
    "solve_block",
]
