"""The statistics of the exploitation test, in numpy: Spearman's rho and Kendall's tau-b with
the p-values scipy.stats gives, and OLS with the robust (HC0–HC3) standard errors statsmodels
gives.

Why not scipy.stats and statsmodels themselves: importing them costs about 1.5 s of CPU
(scipy.stats builds every distribution's docstring; statsmodels imports pandas), more than the
whole report is allowed (issue 12: ``alliancekit report`` under 2 s), for a few lines of
arithmetic on 30 allies. The formulas are scipy's and statsmodels' own (cited per function);
``tests/test_burden_exploitation.py`` checks every value against both libraries on random
tables with and without ties.
"""

from __future__ import annotations

import math

import numpy as np


def _rank(a: np.ndarray) -> np.ndarray:
    """Average ranks (1-based; ties get the mean of their ranks), as scipy's ``rankdata``."""
    order = np.argsort(a, kind="mergesort")
    s = a[order]
    obs = np.r_[True, s[1:] != s[:-1]]
    dense = obs.cumsum()[np.argsort(order, kind="mergesort")]
    count = np.r_[np.nonzero(obs)[0], len(a)]
    return 0.5 * (count[dense] + count[dense - 1] + 1)


def _t_sf(t: float, df: int) -> float:
    """P(T > t) for Student's t with integer ``df`` ≥ 1 (Abramowitz & Stegun 26.7.3–4: the
    finite series of the t distribution for integer degrees of freedom)."""
    if math.isnan(t):
        return math.nan
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    theta = math.atan2(abs(t), math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    if df % 2 == 1:
        a, term = theta, 0.0
        if df > 1:
            term = c = math.cos(theta)
            for k in range(3, df, 2):
                c *= c2 * (k - 1) / k
                term += c
            a += s * term
        a *= 2 / math.pi
    else:
        term = c = 1.0
        for k in range(2, df, 2):
            c *= c2 * (k - 1) / k
            term += c
        a = s * term
    # a = A(t | df) = P(|T| < |t|)
    p = 0.5 * (1 - a)
    return p if t >= 0 else 1 - p


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho and its two-sided p-value (the t test with n − 2 degrees of freedom),
    as ``scipy.stats.spearmanr``; NaN for a constant input."""
    n = x.size
    if n <= 1 or np.all(x == x[0]) or np.all(y == y[0]):
        return math.nan, math.nan
    rs = float(np.corrcoef(_rank(x), _rank(y))[0, 1])
    dof = n - 2
    t = rs * math.sqrt(max(dof / ((rs + 1.0) * (1.0 - rs)), 0.0)) if abs(rs) < 1 else rs * math.inf
    return rs, 2 * _t_sf(abs(t), dof) if dof > 0 else math.nan


def _dense(a: np.ndarray) -> np.ndarray:
    _, inv = np.unique(a, return_inverse=True)
    return inv


def _ties(ranks: np.ndarray) -> tuple[int, int, int]:
    cnt = np.bincount(ranks).astype("int64")
    cnt = cnt[cnt > 1]
    return (
        int((cnt * (cnt - 1) // 2).sum()),
        int((cnt * (cnt - 1) * (cnt - 2)).sum()),
        int((cnt * (cnt - 1) * (2 * cnt + 5)).sum()),
    )


def _kendall_p_exact(n: int, c: int) -> float:
    """The two-sided exact p-value of ``c`` discordant pairs among ``n`` untied observations
    (Kendall 1970; the recursion of scipy's ``_kendall_p_exact``)."""
    c = int(min(c, (n * (n - 1)) // 2 - c))
    if n <= 2:
        return 1.0
    if c == 0:
        return 2.0 / math.factorial(n) if n < 171 else 0.0
    if c == 1:
        return 2.0 / math.factorial(n - 1) if n < 172 else 0.0
    if 4 * c == n * (n - 1):
        return 1.0
    new = np.zeros(c + 1)
    new[0:2] = 1.0
    if n < 171:
        for j in range(3, n + 1):
            new = np.cumsum(new)
            if j <= c:
                new[j:] -= new[: c + 1 - j]
        prob = 2.0 * np.sum(new) / math.factorial(n)
    else:
        for j in range(3, n + 1):
            new = np.cumsum(new) / j
            if j <= c:
                new[j:] -= new[: c + 1 - j]
        prob = np.sum(new)
    return float(np.clip(prob, 0, 1))


def kendall(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Kendall's tau-b and its two-sided p-value, as ``scipy.stats.kendalltau`` (method
    ``auto``: exact without ties for n ≤ 33, else the normal approximation with the tie
    correction of its variance)."""
    n = x.size
    if n == 0:
        return math.nan, math.nan
    xr, yr = _dense(x), _dense(y)
    tot = n * (n - 1) // 2
    xtie, x0, x1 = _ties(xr)
    ytie, y0, y1 = _ties(yr)
    if xtie == tot or ytie == tot:
        return math.nan, math.nan
    sx = np.sign(xr[:, None] - xr[None, :])
    sy = np.sign(yr[:, None] - yr[None, :])
    prod = np.triu(sx * sy, 1)
    con_minus_dis = int(prod.sum())
    dis = int((prod < 0).sum())
    tau = con_minus_dis / math.sqrt(tot - xtie) / math.sqrt(tot - ytie)
    tau = min(1.0, max(-1.0, tau))
    if xtie == 0 and ytie == 0 and (n <= 33 or min(dis, tot - dis) <= 1):
        return tau, _kendall_p_exact(n, tot - dis)
    m = n * (n - 1.0)
    var = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xtie * ytie) / m + x0 * y0 / (9 * m * (n - 2))
    z = con_minus_dis / math.sqrt(var)
    return tau, math.erfc(abs(z) / math.sqrt(2))


def ols(y: np.ndarray, x: np.ndarray, cov_type: str = "HC1") -> dict[str, float]:
    """OLS of ``y`` on a constant and ``x`` with heteroskedasticity-robust standard errors
    (White 1980; MacKinnon & White 1985), as statsmodels' ``OLS(...).fit(cov_type=...)``:
    intercept, slope, the slope's se, z statistic and p-value (normal, statsmodels' default
    for robust covariances) and R²."""
    n = y.size
    design = np.column_stack([np.ones(n), x])
    pinv = np.linalg.pinv(design)
    params = pinv @ y
    resid = y - design @ params
    bread = pinv @ pinv.T  # (X'X)^-1
    u2 = resid**2
    if cov_type in ("HC2", "HC3"):
        h = np.einsum("ij,jk,ik->i", design, bread, design)  # leverages
        u2 = u2 / (1 - h) if cov_type == "HC2" else u2 / (1 - h) ** 2
    cov = pinv @ (u2[:, None] * pinv.T)
    if cov_type == "HC1":
        cov = cov * n / (n - 2)
    se = float(math.sqrt(cov[1, 1]))
    slope = float(params[1])
    t = slope / se if se else math.copysign(math.inf, slope) if slope else math.nan
    centred = y - y.mean()
    return {
        "intercept": float(params[0]),
        "slope": slope,
        "se": se,
        "t": t,
        "p": math.erfc(abs(t) / math.sqrt(2)) if not math.isnan(t) else math.nan,
        "r2": float(1 - (resid @ resid) / (centred @ centred)),
    }
