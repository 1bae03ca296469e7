"""An equilibrium model of alliance defence spending: a public good among allies.

Ally ``i`` has income ``w_i`` (GDP) and spends ``q_i`` on defence; ``x_i = w_i - q_i`` is its
private consumption (the price of defence is one). Alliance defence ``G = Σ q_j`` deters for
everyone. Preferences are Cobb–Douglas::

    u_i = (1 - a_i - b_i) ln x_i + a_i ln G + b_i ln q_i

``a_i`` weighs the alliance-wide, public benefit of defence; ``b_i`` the part of the benefit of
its own spending that is private to the spender (the *joint-product* model of Sandler 1977 and
Murdoch & Sandler 1984: forces that also guard national interests, territory, industry).

* ``b = 0`` is the pure public good. Its Nash equilibrium is unique and solved **exactly** by
  the characterisation of Bergstrom, Blume & Varian (1986): with ``r_i = (1 - a_i)/a_i`` and
  the *reservation level* ``t_i = w_i / r_i``, ally ``i`` contributes iff ``t_i > G``, each
  contributor spends ``q_i = w_i - r_i G`` and ``G = (E + Σ_C w_i) / (1 + Σ_C r_i)`` over the
  set ``C`` of contributors (``E``: spending fixed outside the game). ``C`` is the largest prefix
  of the allies sorted by ``t`` whose members stay above the ``G`` they produce.
  :func:`solve_public_good` solves one alliance (sorting by ``t``), :func:`solve_batch` a whole
  array of parameter draws at once with numpy (Newton's method on total provision, whose steps
  are the same formula and which ends exactly at the BBV equilibrium).
* ``b > 0`` (joint products) is solved numerically: each ally's spending given ``G`` solves a
  quadratic, and ``G`` is the root of ``E + Σ q_i(G) - G`` (Brent's method).

:func:`iterate_best_responses` finds the same equilibria by letting allies answer each other in
turn; the tests check the exact solver against it. :func:`calibrate` chooses ``a_i`` (and
``b_i``) so that a year's observed spending is the equilibrium, and :func:`scenario` then
imposes a US cap, a US cut or allies' pledges and reports who fills the gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from alliancekit.schema import ParameterError

# ---------------------------------------------------------------------------------------------
# Checks


def _arrays(income, alpha, beta=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = np.asarray(income, dtype=float)
    a = np.asarray(alpha, dtype=float)
    b = np.zeros_like(a) if beta is None else np.asarray(beta, dtype=float)
    if w.ndim != 1 or a.shape != w.shape or b.shape != w.shape:
        raise ParameterError(
            "alpha",
            f"income, alpha and beta need the same length (got {w.shape}, {a.shape}, {b.shape})",
        )
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ParameterError("income", "every income (GDP) must be a positive number")
    if np.any(~(a > 0)) or np.any(b < 0) or np.any(a + b >= 1):
        raise ParameterError("alpha", "preferences need 0 < alpha, 0 <= beta and alpha + beta < 1")
    return w, a, b


def _fixed_mask(n: int, fixed) -> tuple[np.ndarray, np.ndarray]:
    """``fixed``: None, or an array/mapping index -> spending held outside the game."""
    mask = np.zeros(n, dtype=bool)
    level = np.zeros(n)
    if fixed is None:
        return mask, level
    if isinstance(fixed, Mapping):
        items = fixed.items()
    else:
        arr = np.asarray(fixed, dtype=float)
        items = [(i, v) for i, v in enumerate(arr) if np.isfinite(v)]
    for i, v in items:
        if not 0 <= int(i) < n:
            raise ParameterError("fixed", f"no ally with index {i}")
        if not np.isfinite(v) or v < 0:
            raise ParameterError("fixed", f"fixed spending must be a non-negative number (got {v})")
        mask[int(i)] = True
        level[int(i)] = float(v)
    return mask, level


# ---------------------------------------------------------------------------------------------
# Pure public good: the exact solver


@dataclass(frozen=True)
class Equilibrium:
    """Spending of each ally in equilibrium, total provision ``total`` and the contributors."""

    spending: np.ndarray
    total: float
    contributors: np.ndarray  # bool: spends a positive amount by choice
    fixed: np.ndarray  # bool: held at a given level

    @property
    def free_riders(self) -> np.ndarray:
        return ~self.contributors & ~self.fixed


def solve_public_good(income, alpha, fixed=None, *, check: bool = True) -> Equilibrium:
    """The exact Nash equilibrium of private provision with Cobb–Douglas preferences (BBV 1986).

    ``income``: incomes (GDP); ``alpha``: each ally's weight on defence, in (0, 1); ``fixed``:
    spending held at given levels (a mapping index -> level, or an array with NaN for free allies).
    """
    if check:
        w, a, _ = _arrays(income, alpha)
    else:
        w, a = np.asarray(income, dtype=float), np.asarray(alpha, dtype=float)
    fmask, flevel = _fixed_mask(w.size, fixed)
    exo = float(flevel[fmask].sum())
    r = (1.0 - a) / a
    t = w / r
    free = np.flatnonzero(~fmask)
    order = free[np.argsort(-t[free], kind="stable")]
    cw = np.cumsum(w[order]) + exo
    cr = np.cumsum(r[order]) + 1.0
    gk = cw / cr
    k = int(np.count_nonzero(t[order] > gk))
    total = float(gk[k - 1]) if k else exo
    q = np.maximum(w - r * total, 0.0)
    contrib = q > 0
    contrib[fmask] = False
    q[fmask] = flevel[fmask]
    q[~fmask & ~contrib] = 0.0
    return Equilibrium(q, total, contrib, fmask)


def _solve_chunk(
    w: np.ndarray, a: np.ndarray, exo: np.ndarray | None, free: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """BBV for a block of draws by Newton's method on ``f(G) = E + Σ max(0, w_i - r_i G) - G``.

    ``f`` is convex, decreasing and piecewise linear, so Newton's iterates from ``G = E`` rise
    monotonically and the step ``G ← (E + Σ_active w)/(1 + Σ_active r)`` over the allies with
    ``t_i > G`` is exactly the BBV formula: it stops, exactly, once the active set no longer
    changes (at most ``n + 1`` steps; a handful in practice). ``w`` is ``(n,)`` (shared) or
    ``(draws, n)``. ``free``: optional ``(draws, n)`` mask of the allies in the game (the
    others spend nothing here; their fixed spending belongs in ``exo``).
    """
    r = (1.0 - a) / a
    t = w / r
    draws, n = a.shape
    e = np.zeros(draws) if exo is None else np.asarray(exo, dtype=float)
    g = e.copy()
    count = np.full(draws, -1)
    shared = w.ndim == 1
    for _ in range(n + 2):
        act = t > g[:, None]
        if free is not None:
            act &= free
        c = np.count_nonzero(act, axis=1)
        if np.array_equal(c, count):
            break
        count = c
        sw = act @ w if shared else np.einsum("ij,ij->i", act, w)
        sr = np.einsum("ij,ij->i", act, r)
        g = (e + sw) / (1.0 + sr)
    q = w - r * g[:, None]
    np.maximum(q, 0.0, out=q)
    if free is not None:
        q[~free] = 0.0
    return q, g


class _Sorted:
    """A block's allies sorted by falling reservation level ``w / r`` (stable), with ``w``,
    ``r`` and the levels in that order: computed once and shared by every solve of the block
    (the order does not depend on who is free)."""

    def __init__(self, w, a):
        draws, n = a.shape
        self.r = (1.0 - a) / a
        self.W = np.broadcast_to(w, (draws, n))
        t = self.W / self.r
        self.order = np.argsort(-t, axis=1, kind="stable")
        self.ts = np.take_along_axis(t, self.order, axis=1)
        self.ws = np.take_along_axis(self.W, self.order, axis=1)
        self.rs = np.take_along_axis(self.r, self.order, axis=1)

    def solve(self, exo, free, rows=None):
        """BBV for ``rows`` (all when None) with ``free`` (those rows' mask) and ``exo``: the way
        :func:`solve_public_good` solves one draw — running totals over the free allies in
        sorted order (an ally outside the game adds an exact zero), the largest prefix that stays
        above the ``G`` it produces — so a draw gives the same numbers as :func:`scenario`."""
        pick = (lambda x: x) if rows is None else (lambda x: x[rows])
        order, ts, ws, rs = pick(self.order), pick(self.ts), pick(self.ws), pick(self.rs)
        draws, n = order.shape
        fs = np.take_along_axis(free, order, axis=1)
        cw = np.cumsum(np.where(fs, ws, 0.0), axis=1) + exo[:, None]
        cr = np.cumsum(np.where(fs, rs, 0.0), axis=1) + 1.0
        gk = cw / cr
        inside = fs & (ts > gk)
        any_in = inside.any(axis=1)
        last = n - 1 - np.argmax(inside[:, ::-1], axis=1)
        total = np.where(any_in, gk[np.arange(draws), last], exo)
        r = pick(self.r)
        q = pick(self.W) - r * total[:, None]
        np.maximum(q, 0.0, out=q)
        q[~free] = 0.0
        return q, total


def _bbv_sorted(
    w: np.ndarray, a: np.ndarray, exo: np.ndarray, free: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """BBV for a block of draws, row by row as :func:`solve_public_good` (see :class:`_Sorted`)."""
    return _Sorted(w, a).solve(exo, free)


def solve_batch(
    income, alpha, exogenous=None, *, chunk: int = 4096, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact equilibria (BBV) for many parameter draws at once.

    ``income`` and ``alpha``: arrays of shape ``(draws, allies)``; either may be one row of
    shape ``(allies,)`` shared by every draw. ``exogenous``: optional spending fixed outside the
    game, a number or one per draw. Returns ``(spending (draws, allies), total (draws,))``.
    Blocks of ``chunk`` draws run on ``workers`` threads (numpy releases the GIL; default: every
    core).
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
    exo = None
    if exogenous is not None:
        exo = np.broadcast_to(np.asarray(exogenous, dtype=float), (draws,))
        if np.any(~(exo >= 0)):
            raise ParameterError("exogenous", "exogenous spending must be non-negative")
    spending = np.empty((draws, n))
    total = np.empty(draws)

    def run(lo: int) -> None:
        hi = min(lo + chunk, draws)
        aa = a[lo:hi] if a.shape[0] > 1 else np.broadcast_to(a, (hi - lo, n))
        ww = w if w.ndim == 1 else w[lo:hi]
        q, g = _solve_chunk(ww, aa, None if exo is None else exo[lo:hi])
        spending[lo:hi] = q
        total[lo:hi] = g

    starts = range(0, draws, chunk)
    if workers is None:
        import os

        workers = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    if workers > 1 and draws > chunk:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    else:
        for lo in starts:
            run(lo)
    return spending, total


# ---------------------------------------------------------------------------------------------
# Joint products: numerical solver


def _spend_given_total(g: float, w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each ally's optimal spending when alliance provision is ``g`` (first-order condition
    ``(1-a-b)/(w-q) = a/G + b/q``, a quadratic ``a q² + ((1-a)G - a w) q - b G w = 0``)."""
    bb = (1.0 - a) * g - a * w
    disc = np.sqrt(bb * bb + 4.0 * a * b * g * w)
    # Two algebraically equal roots; use the one without cancellation.
    pos = bb > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q_neg = (disc - bb) / (2.0 * a)
        q_pos = np.where(disc + bb > 0, 2.0 * b * g * w / (disc + bb), 0.0)
    return np.where(pos, q_pos, q_neg)


def solve_joint_product(income, alpha, beta, fixed=None, *, xtol: float = 1e-12) -> Equilibrium:
    """The Nash equilibrium with joint products (``beta > 0``: private benefit of own spending),
    solved numerically by Brent's method on total provision. ``beta = 0`` gives the exact
    solver's answer."""
    from alliancekit.burden._roots import brentq

    w, a, b = _arrays(income, alpha, beta)
    fmask, flevel = _fixed_mask(w.size, fixed)
    exo = float(flevel[fmask].sum())
    wf, af, bf = w[~fmask], a[~fmask], b[~fmask]

    def excess(g: float) -> float:
        return exo + float(_spend_given_total(g, wf, af, bf).sum()) - g

    lo = exo if exo > 0 else float(np.min(wf) if wf.size else 0.0) * 1e-12
    hi = exo + float(wf.sum())
    if wf.size == 0 or excess(lo) <= 0:
        total = exo if wf.size == 0 or exo > 0 else lo
    else:
        total = brentq(
            excess, lo, hi, xtol=xtol * max(hi, 1.0), rtol=4 * np.finfo(float).eps, maxiter=500
        )
    q = np.zeros_like(w)
    q[~fmask] = _spend_given_total(total, wf, af, bf)
    q[fmask] = flevel[fmask]
    contrib = (q > 0) & ~fmask
    return Equilibrium(q, float(q.sum()), contrib, fmask)


def solve(income, alpha, beta=None, fixed=None) -> Equilibrium:
    """The equilibrium: exact (BBV) when ``beta`` is None or all zero, numerical otherwise."""
    if beta is None or not np.any(np.asarray(beta, dtype=float) > 0):
        return solve_public_good(income, alpha, fixed)
    return solve_joint_product(income, alpha, beta, fixed)


def _joint_chunk(
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
    """Joint-product equilibria for a block of draws: total provision ``G`` is the root of
    ``h(G) = E + Σ_free q_i(G) - G`` (``q_i(G)``: :func:`_spend_given_total`), found per draw by
    Newton's method kept inside a bracket (a step that leaves it is replaced by a bisection;
    it starts from the pure public good's equilibrium, left of the root). ``dq_i/dG = -((1-a_i) q_i - b_i w_i) / disc_i`` from the quadratic. A draw stops
    moving once it has converged, so its answer does not depend on the other draws of the block.
    """
    draws, n = a.shape
    W = np.broadcast_to(w, (draws, n))
    fm = free.astype(float)
    lo = np.where(exo > 0, exo, 1e-300)
    hi = exo + np.einsum("ij,ij->i", W, fm)
    if g0 is None:
        # The pure public good's equilibrium (b ignored) lies left of the root: h is convex and
        # decreasing, so Newton's iterates from there rise monotonically to it.
        _, g0 = _bbv_sorted(w, a, exo, free)
    g = np.array(g0, dtype=float)
    g = np.clip(g, lo, hi)
    none = ~free.any(axis=1)
    g[none] = exo[none]
    # Per-ally constants of the quadratic, for the draws still moving (compacted as they stop).
    active = np.flatnonzero(~none)

    def take(idx):
        aa, ww, bb_ = a[idx], W[idx], b[idx]
        return (1.0 - aa, aa * ww, 4.0 * aa * bb_ * ww, bb_ * ww, 0.5 / aa, fm[idx], exo[idx])

    c1, aw, k4, bw, inv2a, f, e = take(active)
    sub = np.arange(active.size)  # rows of the compacted arrays that are still moving
    for _ in range(max_iter):
        if sub.size == 0:
            break
        if sub.size < 0.5 * c1.shape[0]:
            active = active[sub]
            c1, aw, k4, bw, inv2a, f, e = (x[sub] for x in (c1, aw, k4, bw, inv2a, f, e))
            sub = np.arange(active.size)
        full = sub.size == c1.shape[0]
        C1, AW, K4, BW, I2, F, EE = (
            (c1, aw, k4, bw, inv2a, f, e)
            if full
            else (x[sub] for x in (c1, aw, k4, bw, inv2a, f, e))
        )
        rows = active[sub]
        ga = g[rows]
        gg = ga[:, None]
        bq = C1 * gg - AW
        disc = np.sqrt(bq * bq + K4 * gg)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(bq > 0, 2.0 * BW * gg / (disc + bq), (disc - bq) * I2)
            dq = (BW - C1 * q) / disc
        np.nan_to_num(dq, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
        h = EE + np.einsum("ij,ij->i", q, F) - ga
        dh = np.einsum("ij,ij->i", dq, F) - 1.0
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
    q = _spend_given_total(g[:, None], W, a, b)
    q = np.where(free, q, 0.0)
    return q, g


def best_response_batch(others, w, a, b) -> np.ndarray:
    """:func:`best_response` for arrays (element by element)."""
    bb = (1.0 - a) * others - (a + b) * w
    c = b * others * w
    disc = np.sqrt(bb * bb + 4.0 * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(disc + bb > 0, 2.0 * c / (disc + bb), 0.0)
    return np.where(bb > 0, pos, (disc - bb) / 2.0)


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
    """Equilibria of many draws at once where some allies spend a given amount (``fixed``),
    some at most a cap (``caps``) and some at least a floor (``floors``): each a ``(draws,
    allies)`` array with NaN where it does not apply. ``alpha`` and ``beta``: ``(draws,
    allies)``; ``income``: ``(allies,)`` or ``(draws, allies)``. The vectorised form of the
    bound handling in :func:`scenario` (bind a bound when the equilibrium breaks it, release it
    when the best response returns inside); exact (BBV) when ``beta`` is None or zero,
    numerical (:func:`_joint_chunk`) otherwise. Returns ``(spending, total)``. ``cache``: a
    dict shared by calls with the same ``income`` and ``alpha`` (the sort of the exact solver
    is kept there).
    """
    a = np.asarray(alpha, dtype=float)
    draws, n = a.shape
    w = np.asarray(income, dtype=float)
    joint = beta is not None and bool(np.any(np.asarray(beta) > 0))
    b = np.broadcast_to(np.asarray(beta, float), a.shape) if joint else None
    nan = np.full((draws, n), np.nan)
    fixed = nan if fixed is None else np.asarray(fixed, dtype=float)
    exact = ~np.isnan(fixed)
    bound = exact.copy()
    level = np.where(exact, fixed, 0.0)
    # Caps and floors touch few allies: the checks run on those columns only.
    caps = None if caps is None else np.asarray(caps, dtype=float)
    floors = None if floors is None else np.asarray(floors, dtype=float)
    capm = np.zeros((draws, n), bool) if caps is None else ~np.isnan(caps) & ~exact
    floorm = np.zeros((draws, n), bool) if floors is None else ~np.isnan(floors) & ~exact & ~capm
    cols = np.flatnonzero((capm | floorm).any(axis=0))
    if cols.size:
        cm, fm = capm[:, cols], floorm[:, cols]
        cv = np.where(cm, caps[:, cols], np.nan) if caps is not None else np.full(cm.shape, np.nan)
        fv = (
            np.where(fm, floors[:, cols], np.nan)
            if floors is not None
            else np.full(fm.shape, np.nan)
        )
        tol_cap = 1e-12 * np.maximum(np.where(cm, cv, 1.0), 1.0)
        tol_floor = 1e-12 * np.maximum(np.where(fm, fv, 1.0), 1.0)
        wc = np.broadcast_to(w, (draws, n))[:, cols]
        ac = a[:, cols]
        bc = np.zeros_like(ac) if b is None else b[:, cols]
    q = np.empty((draws, n))
    g = np.empty(draws)
    rows = np.arange(draws)  # the draws whose bounds changed: only they are solved again
    for it in range(4 * n + 2):
        every = rows.size == draws
        bd = bound if every else bound[rows]
        lv = level if every else level[rows]
        exo = np.where(bd, lv, 0.0).sum(axis=1)
        if joint:
            ww = w if w.ndim == 1 or every else w[rows]
            ar = a if every else a[rows]
            br_ = b if every else b[rows]
            qr, gr = _joint_chunk(ww, ar, br_, exo, ~bd, g0=None if it == 0 else g[rows])
        else:
            if cache is None:
                cache = {}
            if "sorted" not in cache:
                cache["sorted"] = _Sorted(w, a)
            qr, gr = cache["sorted"].solve(exo, ~bd, None if every else rows)
        np.copyto(qr, lv, where=bd)
        if every:
            q, g = qr, gr
        else:
            q[rows] = qr
            g[rows] = gr
        if cols.size == 0:
            break
        qc = q[:, cols]
        bdc = bound[:, cols]
        br = best_response_batch(g[:, None] - qc, wc, ac, bc)
        with np.errstate(invalid="ignore"):
            bind_cap = cm & ~bdc & (qc > cv)
            free_cap = cm & bdc & (br < cv - tol_cap)
            bind_floor = fm & ~bdc & (qc < fv)
            free_floor = fm & bdc & (br > fv + tol_floor)
        change = bind_cap | free_cap | bind_floor | free_floor
        rows = np.flatnonzero(change.any(axis=1))
        if rows.size == 0:
            break
        bound[:, cols] = (bdc | bind_cap | bind_floor) & ~free_cap & ~free_floor
        level[:, cols] = np.where(bind_cap, cv, np.where(bind_floor, fv, level[:, cols]))
    return q, g


def calibrate_batch(income, spending, private_share) -> tuple[np.ndarray, np.ndarray]:
    """:func:`calibrate` for many values of the private share θ at once: ``private_share`` a
    number or ``(draws,)``; returns ``(alpha, beta)`` of shape ``(draws, allies)`` (one row for
    a number). Observed spending is the equilibrium under each row."""
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


# ---------------------------------------------------------------------------------------------
# Best responses (the check)


def best_response(others: float, w: float, a: float, b: float = 0.0) -> float:
    """Ally's best spending when the others spend ``others`` in total: the positive root of
    ``q² + ((1-a)Q - (a+b)w) q - b Q w = 0`` (for ``b = 0``: ``max(0, a w - (1-a) Q)``)."""
    bb = (1.0 - a) * others - (a + b) * w
    c = b * others * w
    disc = np.sqrt(bb * bb + 4.0 * c)
    if bb > 0:
        return float(2.0 * c / (disc + bb)) if disc + bb > 0 else 0.0
    return float((disc - bb) / 2.0)


def iterate_best_responses(
    income, alpha, beta=None, fixed=None, *, tol: float = 1e-10, max_rounds: int = 100_000
) -> np.ndarray:
    """Equilibrium spending found by letting each ally in turn play its best response to the
    others (Gauss–Seidel), until no one changes by more than ``tol`` (relative to total)."""
    w, a, b = _arrays(income, alpha, beta)
    fmask, flevel = _fixed_mask(w.size, fixed)
    q = np.where(fmask, flevel, 0.1 * a * w)
    total = q.sum()
    for _ in range(max_rounds):
        change = 0.0
        for i in range(w.size):
            if fmask[i]:
                continue
            others = total - q[i]
            new = best_response(others, w[i], a[i], b[i])
            change = max(change, abs(new - q[i]))
            total = others + new
            q[i] = new
        if change <= tol * max(total, 1e-300):
            return q
    raise ParameterError("max_rounds", f"best responses did not converge in {max_rounds} rounds")


# ---------------------------------------------------------------------------------------------
# Calibration and scenarios


def calibrate(
    income, spending, private_share: float | Sequence[float] = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Preferences ``(alpha, beta)`` under which the observed ``spending`` is the equilibrium.

    ``private_share`` θ: the share of each ally's defence preference that is private
    (``beta / (alpha + beta)``); 0 is the pure public good. From the first-order condition
    ``(1-s)/(w-q) = s((1-θ)/G + θ/q)`` with ``s = alpha + beta``. An ally observed to spend
    nothing (θ = 0 only) is put at its reservation level, ``t_i = G``.
    """
    w = np.asarray(income, dtype=float)
    q = np.asarray(spending, dtype=float)
    th = np.broadcast_to(np.asarray(private_share, dtype=float), w.shape)
    if w.shape != q.shape or w.ndim != 1:
        raise ParameterError("spending", "income and spending need the same length")
    if np.any(~(w > 0)):
        raise ParameterError("income", "every income (GDP) must be positive")
    if np.any(q < 0) or np.any(q >= w):
        raise ParameterError("spending", "spending must be non-negative and below income")
    if np.any(~((th >= 0) & (th < 1))):  # written so that NaN fails too
        raise ParameterError("private_share", "the private share must be in [0, 1)")
    g = q.sum()
    if g <= 0:
        raise ParameterError("spending", "no ally spends anything: nothing to calibrate")
    if np.any((q == 0) & (th > 0)):
        raise ParameterError(
            "private_share",
            "with joint products every ally spends; an ally observed at zero needs private_share 0",
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        m = (1.0 - th) / g + np.where(q > 0, th / q, 0.0)
    s = 1.0 / (1.0 + m * (w - q))
    return s * (1.0 - th), s * th


@dataclass
class ScenarioResult:
    """A scenario's outcome, per ally and in total (money in the unit of the inputs)."""

    actors: list[str]
    income: np.ndarray
    before: np.ndarray
    after: np.ndarray
    status: list[str]  # 'capped', 'cut', 'pledge', 'contributor', 'free rider'
    alpha: np.ndarray
    beta: np.ndarray
    hub: str | None
    description: str
    notes: list[str] = field(default_factory=list)

    @property
    def total_before(self) -> float:
        return float(self.before.sum())

    @property
    def total_after(self) -> float:
        return float(self.after.sum())

    def hub_change(self) -> float:
        if self.hub is None or self.hub not in self.actors:
            return 0.0
        i = self.actors.index(self.hub)
        return float(self.after[i] - self.before[i])

    def fill_ratio(self) -> float | None:
        """Share of the hub's cut that the other allies make up (None when the hub does not cut)."""
        d = self.hub_change()
        if d >= -1e-9 * max(self.total_before, 1e-300):  # no cut (rounding noise is no cut)
            return None
        others = float((self.after - self.before).sum()) - d
        return others / -d

    def table(self):
        import polars as pl

        change = self.after - self.before
        return pl.DataFrame(
            {
                "actor_id": self.actors,
                "gdp": self.income,
                "spending_before": self.before,
                "spending_after": self.after,
                "change": change,
                "change_pct": np.where(
                    self.before > 0,
                    100 * change / np.where(self.before > 0, self.before, 1),
                    np.nan,
                ),
                "burden_before_pct": 100 * self.before / self.income,
                "burden_after_pct": 100 * self.after / self.income,
                "status": self.status,
                "alpha": self.alpha,
                "beta": self.beta,
            }
        ).with_columns(pl.col("change_pct").fill_nan(None))

    def summary(self) -> dict:
        change = self.after - self.before
        order = np.argsort(-change)
        fillers = [
            {"actor_id": self.actors[i], "change": float(change[i])}
            for i in order
            if change[i] > 1e-9 * max(self.total_before, 1e-300) and self.actors[i] != self.hub
        ][:10]
        return {
            "scenario": self.description,
            "hub": self.hub,
            "total_before": self.total_before,
            "total_after": self.total_after,
            "total_change": self.total_after - self.total_before,
            "hub_change": self.hub_change(),
            "allies_change": float(change.sum()) - self.hub_change(),
            "fill_ratio": self.fill_ratio(),
            "fills_the_gap": fillers,
            "notes": list(self.notes),
        }

    def to_dict(self) -> dict:
        return {"summary": self.summary(), "allies": self.table().to_dicts()}


def _bounded_equilibrium(
    w, a, b, exact_level: dict[int, float], caps: dict[int, float], floors: dict[int, float]
) -> tuple[Equilibrium, dict[int, str]]:
    """Equilibrium where some allies spend a given amount, some at most a cap and some at least a
    floor (active-set iteration: bind a bound when the best response breaks it, release it when
    the best response returns inside)."""
    bound: dict[int, float] = dict(exact_level)
    kind: dict[int, str] = {i: "cut" for i in exact_level}
    for _ in range(4 * (len(caps) + len(floors)) + 2):
        eq = solve(w, a, b if np.any(b > 0) else None, fixed=bound)
        changed = False
        for i, cap in caps.items():
            if i in exact_level:
                continue
            if i in bound:
                br = best_response(eq.total - eq.spending[i], w[i], a[i], b[i])
                if br < cap - 1e-12 * max(cap, 1):
                    del bound[i], kind[i]
                    changed = True
            elif eq.spending[i] > cap:
                bound[i], kind[i] = cap, "capped"
                changed = True
        for i, floor in floors.items():
            if i in exact_level or i in caps:
                continue
            if i in bound:
                br = best_response(eq.total - eq.spending[i], w[i], a[i], b[i])
                if br > floor + 1e-12 * max(floor, 1):
                    del bound[i], kind[i]
                    changed = True
            elif eq.spending[i] < floor:
                bound[i], kind[i] = floor, "pledge"
                changed = True
        if not changed:
            return eq, kind
    return eq, kind


def scenario(
    actors: Sequence[str],
    income,
    spending,
    *,
    hub: str = "USA",
    hub_cap_pct: float | None = None,
    hub_cut_pct: float | None = None,
    pledges_pct: Mapping[str, float] | None = None,
    private_share: float = 0.0,
) -> ScenarioResult:
    """Calibrate preferences to observed spending, then change the rules and solve again.

    ``hub_cap_pct``: the hub spends at most this share of its GDP (a ceiling; it may choose
    less); ``hub_cut_pct``: the hub cuts its spending by this percentage (held there);
    ``pledges_pct``: allies that commit to at least this share of their GDP (a floor). Every
    other ally re-optimises. ``private_share`` > 0 uses the joint-product model.
    """
    actors = list(actors)
    w = np.asarray(income, dtype=float)
    q0 = np.asarray(spending, dtype=float)
    if len(actors) != w.size or q0.shape != w.shape:
        raise ParameterError("actors", "actors, income and spending need the same length")
    if len(set(actors)) != len(actors):
        raise ParameterError("actors", "an ally appears twice")
    if hub_cap_pct is not None and hub_cut_pct is not None:
        raise ParameterError("hub_cap_pct", "give a cap or a cut, not both")
    a, b = calibrate(w, q0, private_share)
    idx = {x: i for i, x in enumerate(actors)}
    exact: dict[int, float] = {}
    caps: dict[int, float] = {}
    floors: dict[int, float] = {}
    parts = []
    if hub_cap_pct is not None or hub_cut_pct is not None:
        if hub not in idx:
            raise ParameterError("hub", f"the hub {hub} is not among the allies with figures")
        h = idx[hub]
        if hub_cap_pct is not None:
            if not 0 <= hub_cap_pct <= 100:
                raise ParameterError("hub_cap_pct", "the cap is a share of GDP in percent, 0–100")
            caps[h] = hub_cap_pct / 100 * w[h]
            parts.append(f"{hub} caps its burden at {hub_cap_pct:g}% of GDP")
        else:
            if not 0 <= hub_cut_pct <= 100:
                raise ParameterError("hub_cut_pct", "the cut is a percentage of spending, 0–100")
            exact[h] = (1 - hub_cut_pct / 100) * q0[h]
            parts.append(f"{hub} cuts its spending by {hub_cut_pct:g}%")
    for actor, pct in (pledges_pct or {}).items():
        if actor not in idx:
            raise ParameterError("pledges_pct", f"{actor} is not among the allies with figures")
        if not 0 <= pct <= 100:
            raise ParameterError(
                "pledges_pct", f"the pledge of {actor} must be a share of GDP in percent, 0–100"
            )
        floors[idx[actor]] = pct / 100 * w[idx[actor]]
        parts.append(f"{actor} pledges at least {pct:g}% of GDP")
    eq, kind = _bounded_equilibrium(w, a, b, exact, caps, floors)
    status = [
        kind.get(i, "contributor" if eq.spending[i] > 0 else "free rider") for i in range(w.size)
    ]
    model = "joint-product" if private_share > 0 else "pure public good"
    desc = "; ".join(parts) or "baseline (calibrated to observed spending)"
    notes = [
        f"model: {model} (private share {private_share:g}); preferences calibrated so that "
        "observed spending is the equilibrium"
    ]
    return ScenarioResult(
        actors, w, q0, eq.spending, status, a, b, hub if hub in idx else None, desc, notes
    )
