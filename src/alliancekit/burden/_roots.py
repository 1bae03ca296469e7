"""Brent's root finder, as scipy.optimize.brentq computes it.

Why not scipy.optimize itself: importing it takes about 0.3–0.7 s (it imports scipy.linalg,
scipy.sparse and every solver), which is a third of the report's budget (issue 12: the whole
``alliancekit report`` under 2 s) for one scalar root per joint-product equilibrium. This is a
line-by-line port of scipy's C routine (``scipy/optimize/Zeros/brentq.c``, Brent 1973, "Algorithms
for Minimization Without Derivatives", ch. 4), so it takes the same steps and returns the same
float; ``tests/test_burden_equilibrium.py`` checks it against scipy's on many functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def brentq(
    f: Callable[[float], float],
    a: float,
    b: float,
    *,
    xtol: float = 2e-12,
    rtol: float = 8.881784197001252e-16,
    maxiter: int = 100,
) -> float:
    """A root of ``f`` in [a, b], where f(a) and f(b) have opposite signs.

    Raises ``ValueError`` when they do not, and ``RuntimeError`` when ``maxiter`` iterations
    do not converge (as scipy's ``brentq`` does with ``disp=True``).
    """
    if xtol <= 0:
        raise ValueError(f"xtol too small ({xtol:g} <= 0)")
    if rtol < 4 * 2.220446049250313e-16:
        raise ValueError(f"rtol too small ({rtol:g} < {4 * 2.220446049250313e-16:g})")
    xpre, xcur = float(a), float(b)
    xblk = fblk = spre = scur = 0.0
    fpre = float(f(xpre))
    fcur = float(f(xcur))
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise ValueError("f(a) and f(b) must have different signs")
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk = xpre
            fblk = fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:
                stry = -fcur * (xcur - xpre) / (fcur - fpre)  # interpolate
            else:
                dpre = (fpre - fcur) / (xpre - xcur)  # extrapolate
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry  # a good short step
            else:
                spre = scur = sbis  # bisect
        else:
            spre = scur = sbis  # bisect
        xpre, fpre = xcur, fcur
        if abs(scur) > delta:
            xcur += scur
        else:
            xcur += delta if sbis > 0 else -delta
        fcur = float(f(xcur))
    raise RuntimeError(f"Brent's method did not converge in {maxiter} iterations")
