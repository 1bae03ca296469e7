"""Equilibrium solvers for one alliance: the exact pure public good (Bergstrom, Blume & Varian),
joint products (numerical), iterated best responses (the check) and calibration.

The model is described in :mod:`alliancekit.burden.equilibrium`; the batched solvers, which
evaluate many parameter draws at once, are in :mod:`alliancekit.burden.batch`. Both share
:func:`public_good_total` and :func:`sum_over_allies`, so one draw of a batch and a single
solve give the same numbers, bit for bit.

References
----------
.. [BBV] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
   goods", *Journal of Public Economics* 29(1): 25–49.
.. [S77] T. Sandler (1977), "Impurity of defense: an application to the economics of
   alliances", *Kyklos* 30(3): 443–460.
.. [MS84] J. C. Murdoch and T. Sandler (1984), "Complementarity, free riding, and the military
   expenditures of NATO allies", *Journal of Public Economics* 25(1–2): 83–101.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
# Building blocks shared with the batched solvers


def sum_over_allies(x):
    """The sum over the first axis (the allies), added strictly left to right.

    numpy's ``sum`` adds pairwise, in an order that depends on the array's shape; this order
    does not, so one alliance (``x`` of shape ``(allies,)`` or ``(allies, 1)``) and each draw
    of a block (``(allies, draws)``) give the same sum, bit for bit.

    Parameters
    ----------
    x : numpy.ndarray
        Shape ``(allies,)`` or ``(allies, ...)``.

    Returns
    -------
    float or numpy.ndarray
        ``x[0] + x[1] + ... + x[-1]``, one per trailing index.

    Raises
    ------
    IndexError
        For an array with no ally.

    Examples
    --------
    >>> import numpy as np
    >>> float(sum_over_allies(np.array([1e16, 1.0, -1e16])))  # np.sum gives 1.0 here
    0.0
    >>> sum_over_allies(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [4.0, 6.0]
    """
    x = np.asarray(x)
    if x.ndim == 1:
        return np.cumsum(x)[-1]  # cumsum adds in order
    if x.ndim == 2 and x.shape[1] == 1:
        return np.cumsum(x[:, 0])[-1:]
    if x.ndim == 2 and x.flags.c_contiguous:
        # Reducing the outer axis of a C-ordered array, numpy adds whole rows in turn: the
        # same left-to-right order, faster (tests/test_burden_batch.py checks that it is).
        return np.add.reduce(x, axis=0)
    s = x[0].copy()
    for j in range(1, x.shape[0]):
        s += x[j]
    return s


def public_good_total(income, r, t, exogenous=0.0, bound=None, start=None):
    """Total provision of the pure public good's Nash equilibrium, by Newton's method.

    Allies first: each argument has one row per ally and one column per draw. An ally in the
    game spends ``max(0, w_i - r_i G)``; a *bound* ally ``i`` spends ``max(L_i, w_i - r_i G)``
    (a floor ``L_i``: its threshold is ``(w_i - L_i) / r_i``), or exactly ``L_i`` (fixed: a
    threshold of ``-inf``). ``f(G) = E + Σ spending_i(G) - G`` is then convex, decreasing and
    piecewise linear, so Newton's iterates from ``G = E + Σ L_i`` (left of the root) rise
    monotonically to it, and each step, ``G ← (E + Σ_A w_i + Σ_B L_i) / (1 + Σ_A r_i)`` over
    the allies ``A`` above their threshold and the others ``B``, is the formula of Bergstrom,
    Blume & Varian (1986): it ends exactly at their equilibrium once ``A`` stops changing (at
    most ``allies + 1`` steps, two or three in practice). A draw that has converged keeps its
    value while others move, so its answer does not depend on the rest of the block.

    Parameters
    ----------
    income : numpy.ndarray
        ``w``: ``(allies, 1)`` (shared by every draw) or ``(allies, draws)``.
    r : numpy.ndarray
        ``(1 - alpha) / alpha``: ``(allies, draws)``.
    t : numpy.ndarray
        Reservation levels ``w / r``, the shape of ``r``.
    exogenous : float or numpy.ndarray
        ``E``: spending outside the game that belongs to no ally, one per draw.
    bound : mapping of int to (numpy.ndarray, numpy.ndarray), optional
        Ally index -> (threshold, level) per draw, for the allies with a floor or a fixed
        level in some draws (a threshold equal to ``t`` and a level of 0 where none applies).
    start : float or numpy.ndarray, optional
        Where Newton's method starts, one per draw (default ``E + Σ L_i``). Any start
        converges: ``f`` is convex, so the first step lands left of the root. A start close
        to the answer (the observed total, the draw's equilibrium before a cut) saves steps.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Total provision ``G`` ``(draws,)`` and the allies above their threshold
        ``(allies, draws)``.

    Raises
    ------
    ValueError
        When the shapes do not broadcast.

    Examples
    --------
    Two allies: ``w = (100, 10)``, ``alpha = 0.2`` (so ``r = 4``): only the rich one spends,
    ``G = 100 / (1 + 4)``; held at 30, it is all there is.

    >>> import numpy as np
    >>> w, r = np.array([[100.0], [10.0]]), np.full((2, 1), 4.0)
    >>> g, active = public_good_total(w, r, w / r)
    >>> g.tolist(), active[:, 0].tolist()
    ([20.0], [True, False])
    >>> public_good_total(w, r, w / r, bound={0: (np.array([-np.inf]), np.array([30.0]))})[0]
    array([30.])

    References
    ----------
    .. [1] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
       goods", *Journal of Public Economics* 29(1): 25–49.
    """
    bound = bound or {}
    shape = t.shape[1:]
    exo = np.asarray(exogenous, dtype=float)
    if exo.shape != shape:
        exo = np.broadcast_to(exo, shape)
    if start is None:
        g = exo + 0.0
        for _, (_, lv) in sorted(bound.items()):  # the start: every bound ally at its bound
            g = g + lv
    else:
        g = np.asarray(start, dtype=float)
    g = np.array(np.broadcast_to(g, shape))
    if bound:
        bound = {
            i: (np.broadcast_to(th, shape), np.broadcast_to(lv, shape))
            for i, (th, lv) in bound.items()
        }
    wide = income.shape[1:] == shape and shape != (1,)

    def above(_):  # who is above threshold at the current G
        act = t > g
        for i, (th, _) in bound.items():
            act[i] = th > g
        return act

    def step(act, cols):  # Newton's step (the BBV formula) for draws ``cols``
        every = cols is None
        w = income if every or not wide else income[:, cols]
        c = act * w  # w or an exact zero: the sums are over the allies above threshold
        for i, (_, lv) in bound.items():
            c[i] = np.where(act[i], c[i], lv if every else lv[cols])
        rr = r if every else r[:, cols]
        e = exo if every else exo[cols]
        return (e + sum_over_allies(c)) / (1.0 + sum_over_allies(act * rr))

    act = above(None)
    g = step(act, None)
    for _ in range(t.shape[0] + 1):
        new = above(None)  # on every draw: cheaper than gathering the draws that moved
        moved = (new != act).any(axis=0)
        k = np.count_nonzero(moved)
        if k == 0:
            break
        act = new
        if 8 * k > moved.size:
            # Many moved: the step on every draw (a draw whose set did not move gets the same
            # G, bit for bit: the step is a function of the set alone).
            g = step(act, None)
        else:
            sub = np.flatnonzero(moved)
            g[sub] = step(act[:, sub], sub)
    return g, act


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
    """The exact Nash equilibrium of private provision with Cobb–Douglas preferences.

    Ally ``i`` contributes iff its reservation level ``t_i = w_i alpha_i / (1 - alpha_i)``
    exceeds total provision ``G``; each contributor spends ``w_i - r_i G`` and
    ``G = (E + Σ_C w_i) / (1 + Σ_C r_i)`` over the contributors ``C`` (Bergstrom, Blume &
    Varian 1986), found by :func:`public_good_total`.

    Parameters
    ----------
    income : array_like
        Incomes (GDP), positive, one per ally.
    alpha : array_like
        Each ally's weight on defence, in (0, 1).
    fixed : mapping or array_like, optional
        Spending held at given levels, outside the game: a mapping index -> level, or an array
        with NaN for the free allies.
    check : bool
        Check the inputs (off for callers that have).

    Returns
    -------
    Equilibrium
        Spending per ally, total provision, the contributors and the fixed allies.

    Raises
    ------
    ParameterError
        For lengths that differ, incomes that are not positive, ``alpha`` outside (0, 1), or a
        fixed level that is negative or names no ally.

    Examples
    --------
    >>> eq = solve_public_good([100.0, 10.0], [0.2, 0.2])
    >>> float(eq.total), eq.spending.tolist(), eq.free_riders.tolist()
    (20.0, [20.0, 0.0], [False, True])
    >>> float(solve_public_good([100.0, 10.0], [0.2, 0.2], fixed={0: 30.0}).total)
    30.0

    References
    ----------
    .. [1] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
       goods", *Journal of Public Economics* 29(1): 25–49.
    """
    if check:
        w, a, _ = _arrays(income, alpha)
    else:
        w, a = np.asarray(income, dtype=float), np.asarray(alpha, dtype=float)
    fmask, flevel = _fixed_mask(w.size, fixed)
    if w.size == 0:
        return Equilibrium(w.copy(), 0.0, fmask.copy(), fmask)
    wc = w[:, None]
    r = (1.0 - a[:, None]) / a[:, None]
    bound = {int(i): (np.array([-np.inf]), flevel[i : i + 1]) for i in np.flatnonzero(fmask)}
    # Newton's method starts at the textbook answer (allies sorted by reservation level, the
    # largest prefix that stays above the total it produces): one step confirms it, where
    # starting from E would take a step for each ally that drops out.
    t = (w / r[:, 0])[~fmask]
    order = np.argsort(-t, kind="stable")
    exo = float(flevel[fmask].sum())
    gk = (np.cumsum(w[~fmask][order]) + exo) / (np.cumsum(r[~fmask, 0][order]) + 1.0)
    k = int(np.count_nonzero(t[order] > gk))
    g, act = public_good_total(wc, r, wc / r, 0.0, bound, gk[k - 1] if k else exo)
    q = np.maximum(wc - r * g, 0.0)[:, 0]
    contrib = q > 0
    contrib[fmask] = False
    q[fmask] = flevel[fmask]
    return Equilibrium(q, float(g[0]), contrib, fmask)


# ---------------------------------------------------------------------------------------------
# Joint products: numerical solver


def spend_given_total(g, income, alpha, beta) -> np.ndarray:
    """Each ally's optimal spending when alliance provision is ``G``, with joint products.

    The first-order condition ``(1-a-b)/(w-q) = a/G + b/q`` is the quadratic
    ``a q² + ((1-a)G - a w) q - b G w = 0``; of its two algebraically equal forms of the
    positive root, the one without cancellation is used.

    Parameters
    ----------
    g : float or numpy.ndarray
        Total provision ``G`` (broadcast against the allies).
    income, alpha, beta : numpy.ndarray
        ``w``, ``a`` and ``b`` of the allies.

    Returns
    -------
    numpy.ndarray
        Spending ``q_i(G)``.

    Raises
    ------
    ValueError
        When the shapes do not broadcast.

    Examples
    --------
    Without a private benefit (``b = 0``) an ally spends ``w - r G`` (here 100 - 4 × 10):

    >>> import numpy as np
    >>> spend_given_total(10.0, np.array([100.0]), np.array([0.2]), np.array([0.0])).tolist()
    [60.0]
    """
    w, a, b = income, alpha, beta
    bb = (1.0 - a) * g - a * w
    disc = np.sqrt(bb * bb + 4.0 * a * b * g * w)
    pos = bb > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q_neg = (disc - bb) / (2.0 * a)
        q_pos = np.where(disc + bb > 0, 2.0 * b * g * w / (disc + bb), 0.0)
    return np.where(pos, q_pos, q_neg)


def solve_joint_product(income, alpha, beta, fixed=None, *, xtol: float = 1e-12) -> Equilibrium:
    """The Nash equilibrium with joint products: a private benefit of one's own spending.

    Preferences ``u_i = (1 - a_i - b_i) ln x_i + a_i ln G + b_i ln q_i`` (Sandler 1977; Murdoch
    & Sandler 1984). Each ally's spending given ``G`` solves a quadratic
    (:func:`spend_given_total`); ``G`` is the root of ``E + Σ q_i(G) - G``, found by Brent's
    method (``burden._roots.brentq``, scipy's algorithm). ``beta = 0`` gives :func:`solve_public_good`'s answer.

    Parameters
    ----------
    income : array_like
        Incomes (GDP), positive.
    alpha : array_like
        Weights on the alliance-wide benefit, > 0.
    beta : array_like
        Weights on the private benefit, >= 0, with ``alpha + beta < 1``.
    fixed : mapping or array_like, optional
        Spending held at given levels (see :func:`solve_public_good`).
    xtol : float
        Tolerance on ``G`` relative to the largest possible total.

    Returns
    -------
    Equilibrium
        Spending per ally, total, contributors (every free ally spends when ``beta > 0``).

    Raises
    ------
    ParameterError
        For inputs that break the rules above.

    Examples
    --------
    >>> eq = solve_joint_product([100.0, 10.0], [0.2, 0.2], [0.05, 0.05])
    >>> bool(eq.spending[1] > 0), round(float(eq.total), 6)
    (True, 25.277658)

    References
    ----------
    .. [1] T. Sandler (1977), "Impurity of defense: an application to the economics of
       alliances", *Kyklos* 30(3): 443–460.
    .. [2] J. C. Murdoch and T. Sandler (1984), "Complementarity, free riding, and the
       military expenditures of NATO allies", *Journal of Public Economics* 25(1–2): 83–101.
    """
    from alliancekit.burden._roots import brentq

    w, a, b = _arrays(income, alpha, beta)
    fmask, flevel = _fixed_mask(w.size, fixed)
    exo = float(flevel[fmask].sum())
    wf, af, bf = w[~fmask], a[~fmask], b[~fmask]

    def excess(g: float) -> float:
        return exo + float(spend_given_total(g, wf, af, bf).sum()) - g

    lo = exo if exo > 0 else float(np.min(wf) if wf.size else 0.0) * 1e-12
    hi = exo + float(wf.sum())
    if wf.size == 0 or excess(lo) <= 0:
        total = exo if wf.size == 0 or exo > 0 else lo
    else:
        total = brentq(
            excess, lo, hi, xtol=xtol * max(hi, 1.0), rtol=4 * np.finfo(float).eps, maxiter=500
        )
    q = np.zeros_like(w)
    q[~fmask] = spend_given_total(total, wf, af, bf)
    q[fmask] = flevel[fmask]
    contrib = (q > 0) & ~fmask
    return Equilibrium(q, float(q.sum()), contrib, fmask)


def solve(income, alpha, beta=None, fixed=None) -> Equilibrium:
    """The equilibrium: exact when ``beta`` is None or all zero, numerical otherwise.

    Parameters
    ----------
    income, alpha : array_like
        Incomes and weights on the alliance-wide benefit.
    beta : array_like, optional
        Weights on the private benefit (joint products).
    fixed : mapping or array_like, optional
        Spending held at given levels.

    Returns
    -------
    Equilibrium
        From :func:`solve_public_good` or :func:`solve_joint_product`.

    Raises
    ------
    ParameterError
        For inputs that break the rules of those functions.

    Examples
    --------
    >>> float(solve([100.0, 100.0], [0.2, 0.2]).total) == 200 / 9
    True
    """
    if beta is None or not np.any(np.asarray(beta, dtype=float) > 0):
        return solve_public_good(income, alpha, fixed)
    return solve_joint_product(income, alpha, beta, fixed)


# ---------------------------------------------------------------------------------------------
# Best responses (the check)


def best_response(others: float, w: float, a: float, b: float = 0.0) -> float:
    """An ally's best spending when the others spend ``others`` in total.

    The positive root of ``q² + ((1-a)Q - (a+b)w) q - b Q w = 0``; for ``b = 0`` it is
    ``max(0, a w - (1-a) Q)``.

    Parameters
    ----------
    others : float
        ``Q``, what the other allies spend.
    w, a, b : float
        The ally's income and weights.

    Returns
    -------
    float
        Its best response.

    Raises
    ------
    TypeError
        For arguments that are not numbers.

    Examples
    --------
    >>> best_response(0.0, 100.0, 0.2), best_response(50.0, 100.0, 0.2)
    (20.0, 0.0)
    """
    bb = (1.0 - a) * others - (a + b) * w
    c = b * others * w
    disc = np.sqrt(bb * bb + 4.0 * c)
    if bb > 0:
        return float(2.0 * c / (disc + bb)) if disc + bb > 0 else 0.0
    return float((disc - bb) / 2.0)


def iterate_best_responses(
    income, alpha, beta=None, fixed=None, *, tol: float = 1e-10, max_rounds: int = 100_000
) -> np.ndarray:
    """Equilibrium spending found by letting each ally in turn answer the others.

    Gauss–Seidel rounds of :func:`best_response` until no ally changes by more than ``tol``
    (relative to the total): slow, but independent of the exact solvers, which the tests check
    against it.

    Parameters
    ----------
    income, alpha : array_like
        Incomes and weights on the alliance-wide benefit.
    beta : array_like, optional
        Weights on the private benefit.
    fixed : mapping or array_like, optional
        Spending held at given levels.
    tol : float
        Convergence tolerance, relative to total provision.
    max_rounds : int
        Rounds before giving up.

    Returns
    -------
    numpy.ndarray
        Spending per ally.

    Raises
    ------
    ParameterError
        For bad inputs, or (naming ``max_rounds``) when the rounds do not converge.

    Examples
    --------
    >>> [round(float(x), 6) for x in iterate_best_responses([100.0, 10.0], [0.2, 0.2])]
    [20.0, 0.0]
    """
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
# Calibration


def calibrate(
    income, spending, private_share: float | Sequence[float] = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Preferences ``(alpha, beta)`` under which the observed ``spending`` is the equilibrium.

    From the first-order condition ``(1-s)/(w-q) = s((1-θ)/G + θ/q)`` with
    ``s = alpha + beta`` and θ the private share ``beta / (alpha + beta)``. An ally observed to
    spend nothing (θ = 0 only) is put at its reservation level, ``t_i = G``.

    Parameters
    ----------
    income : array_like
        Incomes (GDP), positive.
    spending : array_like
        Observed spending, ``0 <= q < w``, not all zero.
    private_share : float or sequence of float
        θ in [0, 1), one for all or one per ally; 0 is the pure public good.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``alpha`` and ``beta`` per ally.

    Raises
    ------
    ParameterError
        For incomes or spending that break the rules, θ outside [0, 1), or an ally observed at
        zero with θ > 0.

    Examples
    --------
    >>> a, b = calibrate([100.0, 10.0], [20.0, 0.0])
    >>> a.tolist(), b.tolist()
    ([0.2, 0.6666666666666666], [0.0, 0.0])
    >>> eq = solve_public_good([100.0, 10.0], a)
    >>> eq.spending.tolist()
    [20.0, 0.0]
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


__all__ = [
    "Equilibrium",
    "best_response",
    "calibrate",
    "iterate_best_responses",
    "public_good_total",
    "solve",
    "solve_joint_product",
    "solve_public_good",
    "spend_given_total",
    "sum_over_allies",
]
