"""Alliance-portfolio similarity of every dyad-year, computed from ATOP obligations or from the
curated ties (beyond peacesciencer, whose ``add_fpsim()`` only reads Häge's precomputed file).

With the reference tables imported into the catalog::

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears(directed=False, years=(1816, 2018))  # doctest: +SKIP
    >>> df = ps.add_fpsim(df)  # doctest: +SKIP

Portfolios
    In year Y every state i of the universe (the states of the frame that year, or those of
    ``members``) has a portfolio: its tie value with every state k of the universe, itself
    included (a state is tied to itself at the top value, as Signorino and Ritter 1999 and
    Häge 2011 do). Two sources (``source``):

    ``"atop"`` (default)
        The tie between i and k is ATOP's obligation in either direction (an obligation i owes
        k or k owes i, as panels' undirected ATOP rule); ATOP's years (1815-2018 in 5.1).
    ``"curated"``
        The curated ties (:func:`alliancekit.load`, with any extension files) projected onto
        states by :func:`alliancekit.data.projection.state_pairs`, the graphs' and
        ``add_ties``' rule: a tie holds in Y when it is in force on at least one day of Y.
        The universe is limited to the actors the curated data cover (its states with a COW
        code; the others' rows are null), the years to the data's (its first tie to its as-of
        year: up to today).
Valuation of ties (``valuation``, documented and selectable)
    ATOP: ``"valued"`` (default; Signorino and Ritter's ordinal scale put on ATOP's
    obligations): 3 = defence or offence pact, 2 = neutrality or non-aggression, 1 =
    consultation only, 0 = none; the highest value of the obligations held. ``"binary"``: 1 =
    any obligation, 0 = none. Or a mapping of the obligations (``atop_defense``,
    ``atop_offense``, ``atop_neutral``, ``atop_nonagg``, ``atop_consul``) to non-negative
    integers: the tie is the highest value of those held, the top of the scale is the largest
    value given.

    Curated ties (:data:`alliancekit.data.projection.VALUATIONS`): ``"strength"`` (default:
    the codebook's ordinal strength of the strongest instrument in force that year, 5
    collective defence ... 1 presence, 0 none), ``"binary"`` (1 = any tie), ``"alliance"``
    (1 = collective defence, strength 5), or a mapping of tie kinds to non-negative integers
    (the highest among the pair's instruments; kinds not named are 0).
Distance between two values (``metric``)
    ``"absolute"`` |a - b| (default) or ``"squared"`` (a - b)^2; for binary ties the two agree.
    d_max is the distance between the bottom (0) and the top of the scale.
Signorino and Ritter's S (1999)
    S_ij = 1 - 2 * sum_k w_k d(x_ik, x_jk) / d_max, with the weights summing to 1:
    unweighted ``w_k = 1/N``; capability-weighted ``w_k = cinc_k / sum cinc`` (COW NMC; a state
    without a CINC score weighs 0; null when no state of the universe has one). In [-1, 1];
    S_ii = 1; symmetric.
Cohen's kappa and Scott's pi (Häge 2011)
    The two portfolios as two raters of the N states: observed disagreement
    D_o = (1/N) sum_k d(x_ik, x_jk); chance disagreement from the portfolios' own shares of each
    value p_i(a) (kappa: D_e = sum_ab p_i(a) p_j(b) d(a, b)) or from their pooled shares
    p = (p_i + p_j) / 2 (pi: D_e = sum_ab p(a) p(b) d(a, b)); the measure is 1 - D_o / D_e, null
    where D_e = 0 (both portfolios one value throughout). kappa_ii = pi_ii = 1; symmetric;
    at most 1.
Columns
    ``sally{v|b}u{a|s}`` (S, unweighted), ``sally{v|b}w{a|s}`` (S, capability-weighted),
    ``kally{v|b}{a|s}`` (kappa), ``pally{v|b}{a|s}`` (pi): v(alued) or b(inary) ties (``x`` for
    a custom mapping), a(bsolute) or s(quared) distance; after peacesciencer's names for
    Häge's data (``sallyvua``, ``kallyv``, ...). From the curated ties the letters are v
    (strength), b(inary), d (alliance: collective defence) or x, and the names end in
    ``_curated`` (``sallyvua_curated``). Null outside the source's years and for states outside
    the universe.

Computation: per year, the ties as an N x N matrix; every S is one or a few matrix products
(the squared distance from X W X^T, the absolute one from the products of the
"value >= t" indicator matrices), kappa's and pi's chance terms from the N x C value shares;
each row of the frame then gathers its dyad's cell.

References: Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring
the Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144.
Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity
for Chance Agreement. Political Analysis 19(3): 287-305. Leeds et al. 2002 (ATOP).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

OBLIGATIONS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
VALUATIONS: dict[str, dict[str, int]] = {
    "valued": {
        "atop_defense": 3,
        "atop_offense": 3,
        "atop_neutral": 2,
        "atop_nonagg": 2,
        "atop_consul": 1,
    },
    "binary": dict.fromkeys(OBLIGATIONS, 1),
}
MEASURES = ("s", "sw", "kappa", "pi")
CITATION = (
    "Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the "
    "Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144; "
    "Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy "
    "Similarity for Chance Agreement. Political Analysis 19(3): 287-305."
)


def _valuation(valuation: str | Mapping[str, int]) -> tuple[dict[str, int], str]:
    if isinstance(valuation, str):
        if valuation not in VALUATIONS:
            raise ParameterError(
                "valuation", f"choose valued, binary or a mapping of obligations, not {valuation!r}"
            )
        return VALUATIONS[valuation], valuation[0]
    values = dict(valuation)
    bad = [k for k in values if k not in OBLIGATIONS]
    if bad or not values:
        raise ParameterError("valuation", f"map ATOP's obligations {OBLIGATIONS} to values")
    if any(not isinstance(v, int) or v < 0 for v in values.values()) or max(values.values()) < 1:
        raise ParameterError("valuation", "tie values must be non-negative integers, top >= 1")
    return values, "x"


def _check_metric(metric: str) -> str:
    if metric not in ("absolute", "squared"):
        raise ParameterError("metric", f"choose absolute or squared, not {metric!r}")
    return metric


SOURCES = ("atop", "curated")
# the letter of a curated valuation in the column names
_CURATED_LETTER = {"strength": "v", "binary": "b", "alliance": "d"}


def _check_source(source: str) -> str:
    if source not in SOURCES:
        raise ParameterError("source", f"choose atop or curated, not {source!r}")
    return source


def _curated_valuation(valuation) -> tuple[Any, str]:
    from alliancekit.data.projection import check_valuation

    v = check_valuation(valuation)
    return v, (_CURATED_LETTER[v] if isinstance(v, str) else "x")


def column_names(
    valuation: str | Mapping[str, int] | None = None,
    metric: str = "absolute",
    source: str = "atop",
) -> dict[str, str]:
    """measure -> column name (see the module notes); ``valuation`` None: the source's
    default (``"valued"`` for ATOP, ``"strength"`` for the curated ties)."""
    _check_source(source)
    m = _check_metric(metric)[0]
    if source == "atop":
        v = _valuation("valued" if valuation is None else valuation)[1]
        end = ""
    else:
        v = _curated_valuation("strength" if valuation is None else valuation)[1]
        end = "_curated"
    names = {"s": f"sally{v}u{m}", "sw": f"sally{v}w{m}", "kappa": f"kally{v}{m}"}
    return {k: x + end for k, x in (names | {"pi": f"pally{v}{m}"}).items()}


# ---------------------------------------------------------------------------------------------
# The measures on one year's portfolios


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
    _check_metric(metric)
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


# ---------------------------------------------------------------------------------------------
# The step


def _dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return given
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def tie_values(atop: pl.DataFrame, valuation: str | Mapping[str, int] = "valued") -> pl.DataFrame:
    """year, a, b (a < b), value: the tie of every ATOP pair-year, obligations in either
    direction, valued by ``valuation`` (pairs without an obligation left out)."""
    values, _ = _valuation(valuation)
    v = pl.max_horizontal(
        [pl.when(pl.col(c) == 1).then(pl.lit(val)).otherwise(0) for c, val in values.items()]
    )
    return (
        atop.select(
            pl.col("year").cast(pl.Int16),
            pl.min_horizontal("ccode1", "ccode2").cast(pl.Int16).alias("a"),
            pl.max_horizontal("ccode1", "ccode2").cast(pl.Int16).alias("b"),
            v.cast(pl.Int8).alias("value"),
        )
        .filter(pl.col("value") > 0)
        .group_by("year", "a", "b")
        .agg(pl.col("value").max())
    )


def curated_tie_values(
    data: Any = None, valuation: str | Mapping[str, int] = "strength"
) -> tuple[pl.DataFrame, int, int]:
    """year, a, b (COW codes, a < b), value: the curated ties of every pair of states and year
    they hold on at least one day of, valued by ``valuation`` (pairs valued 0 left out); and
    the first and last year of the curated data.

    Parameters
    ----------
    data : Dataset, optional
        The curated tables (default: the shipped dataset).
    valuation : {"strength", "binary", "alliance"} or mapping of str to int
        See the module notes.

    Returns
    -------
    tuple of (polars.DataFrame, int, int)

    Raises
    ------
    ParameterError
        For an unknown valuation.

    Examples
    --------
    >>> from alliancekit.fpsim import curated_tie_values
    >>> ties, first, last = curated_tie_values()
    >>> ties.filter(year=2025, a=2, b=740)["value"].item(), first <= 1949
    (5, True)
    """
    from alliancekit.data.projection import state_pairs
    from alliancekit.data.projection import tie_values as valued

    if data is None:
        from alliancekit.data import load

        data = load()
    v, _ = _curated_valuation(valuation)
    first = data.ties.get_column("start").drop_nulls().min()
    last = int(data.info.as_of[:4])
    y0 = first.year if first is not None else last
    pairs = state_pairs(data.ties, data.actors)
    codes = data.actors.select("actor_id", pl.col("cow_code").cast(pl.Int16).alias("code"))
    pairs = (
        pairs.with_columns(value=valued(pairs, v))
        .join(codes.rename({"actor_id": "a", "code": "c1"}), on="a")
        .join(codes.rename({"actor_id": "b", "code": "c2"}), on="b")
        .filter(
            (pl.col("value") > 0)
            & pl.col("c1").is_not_null()
            & pl.col("c2").is_not_null()
            & (pl.col("c1") != pl.col("c2"))
        )
    )
    last_day = (pl.col("end") - pl.duration(days=1)).dt.year()
    years = pl.int_ranges(
        pl.col("start").dt.year(),
        pl.min_horizontal(last_day.fill_null(last), pl.lit(last)) + 1,
        dtype=pl.Int16,
    )
    out = (
        pairs.select(
            years.alias("year"),
            pl.min_horizontal("c1", "c2").alias("a"),
            pl.max_horizontal("c1", "c2").alias("b"),
            pl.col("value").cast(pl.Int8),
        )
        .explode("year")
        .drop_nulls("year")
        .group_by("year", "a", "b")
        .agg(pl.col("value").max())
        .sort("year", "a", "b")
    )
    return out, y0, last


def _curated_universe(data: Any) -> pl.Series:
    """The COW codes of the curated states."""
    return (
        data.actors.filter(pl.col("kind") == "state")
        .get_column("cow_code")
        .drop_nulls()
        .cast(pl.Int32)
    )


def add_fpsim(
    df: pl.DataFrame,
    atop: pl.DataFrame | None = None,
    nmc: pl.DataFrame | None = None,
    *,
    source: str = "atop",
    valuation: str | Mapping[str, int] | None = None,
    metric: str = "absolute",
    measures: Iterable[str] = MEASURES,
    members: pl.DataFrame | None = None,
    data: Any = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add alliance-portfolio similarity to COW dyad-years.

    Signorino and Ritter's S (unweighted, ``s``; capability-weighted, ``sw``, needs ``nmc``),
    Cohen's kappa and Scott's pi (Häge 2011), from ATOP obligations or from the curated ties;
    see the module notes for the portfolios, the valuation of ties and the columns.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years (directed or not).
    atop : polars.DataFrame, optional
        ATOP dyad-years (``source="atop"``; default: the catalog's).
    nmc : polars.DataFrame, optional
        NMC state-years, for ``sw`` (default: the catalog's).
    source : {"atop", "curated"}
        Whose ties make the portfolios.
    valuation : str or mapping of str to int, optional
        The tie values (default: ``"valued"`` for ATOP, ``"strength"`` for the curated ties).
    metric : {"absolute", "squared"}
        The distance between two tie values.
    measures : iterable of {"s", "sw", "kappa", "pi"}
        The measures to add.
    members : polars.DataFrame, optional
        ccode, year: the universe of each year (default: the states of the frame that year;
        for the curated ties, those of them the curated data cover).
    data : Dataset, optional
        The curated tables for ``source="curated"`` (default: the shipped dataset).
    catalog : Catalog, optional
        The catalog to read ATOP and NMC from.

    Returns
    -------
    polars.DataFrame
        ``df`` with one Float64 column per measure; rows unchanged.

    Raises
    ------
    ParameterError
        For a frame without COW dyad keys, an unknown source, measure, valuation or metric.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit.fpsim import add_fpsim
    >>> df = pl.DataFrame({"ccode1": [2, 2, 740], "ccode2": [740, 710, 710],
    ...     "year": [2025] * 3})
    >>> out = add_fpsim(df, source="curated", measures=["s"], valuation="alliance")
    >>> out["sallydua_curated"].round(3).to_list()
    [1.0, -1.0, -1.0]

    References
    ----------
    Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the
    Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144.
    Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy
    Similarity for Chance Agreement. Political Analysis 19(3): 287-305.
    """
    cols = set(df.columns)
    if not {"ccode1", "ccode2", "year"} <= cols:
        raise ParameterError("df", "add_fpsim() needs COW dyad-years (ccode1, ccode2, year)")
    _check_source(source)
    measures = list(dict.fromkeys(measures))
    for m in measures:
        if m not in MEASURES:
            raise ParameterError("measures", f"unknown measure {m!r}; choose from {MEASURES}")
    names = column_names(valuation, metric, source)
    if source == "atop":
        valuation = "valued" if valuation is None else valuation
        values, _ = _valuation(valuation)
        top = max(values.values())
        atop = _dataset("atop", atop, catalog)
        ties = tie_values(atop, valuation)
        a0, a1 = int(atop["year"].min()), int(atop["year"].max())
    else:
        from alliancekit.data.projection import top_value

        valuation = "strength" if valuation is None else valuation
        if data is None:
            from alliancekit.data import load

            data = load()
        top = top_value(valuation)
        ties, a0, a1 = curated_tie_values(data, valuation)
    if "sw" in measures:
        nmc = _dataset("nmc", nmc, catalog)

    key = df.select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    )
    c1, c2, yr = (key.get_column(c).fill_null(-1).to_numpy() for c in key.columns)
    if members is None:
        uni = pl.concat(
            [
                key.select(pl.col("ccode1").alias("ccode"), "year"),
                key.select(pl.col("ccode2").alias("ccode"), "year"),
            ]
        )
    else:
        uni = members.select(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32))
    uni = uni.drop_nulls().unique().sort("year", "ccode")
    if source == "curated":  # the actors the curated data cover
        uni = uni.filter(pl.col("ccode").is_in(_curated_universe(data).implode()))
    if "sw" in measures:
        cinc_df = nmc.select(
            pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int32), "cinc"
        ).drop_nulls()
        uni = uni.join(cinc_df, on=["ccode", "year"], how="left")
    else:
        uni = uni.with_columns(cinc=pl.lit(None, pl.Float64))

    out = {m: np.full(len(df), np.nan) for m in measures}
    order = np.argsort(yr, kind="stable")
    ys = yr[order]
    bounds = np.flatnonzero(np.diff(ys)) + 1
    starts = np.concatenate(([0], bounds)) if len(ys) else np.array([], dtype=int)
    ends = np.concatenate((bounds, [len(ys)])) if len(ys) else np.array([], dtype=int)
    ties = ties.sort("year")
    t_year = ties["year"].to_numpy().astype(np.int64)
    t_a = ties["a"].to_numpy().astype(np.int64) & 0xFFFF
    t_b = ties["b"].to_numpy().astype(np.int64) & 0xFFFF
    t_v = ties["value"].to_numpy()
    u_year = uni["year"].to_numpy().astype(np.int64)
    u_code = uni["ccode"].to_numpy().astype(np.int64) & 0xFFFF
    u_cinc = uni["cinc"].fill_null(0.0).to_numpy()
    lut = np.full(1 << 16, -1, dtype=np.int64)
    for s, e in zip(starts, ends, strict=True):
        y = int(ys[s])
        if not (a0 <= y <= a1):
            continue
        u0, u1 = np.searchsorted(u_year, [y, y + 1])
        if u0 == u1:
            continue
        codes = u_code[u0:u1]
        n = len(codes)
        lut[codes] = np.arange(n)
        x = np.zeros((n, n), dtype=np.int8)
        t0, t1 = np.searchsorted(t_year, [y, y + 1])
        ia, ib = lut[t_a[t0:t1]], lut[t_b[t0:t1]]
        ok = (ia >= 0) & (ib >= 0)
        x[ia[ok], ib[ok]] = t_v[t0:t1][ok]
        x[ib[ok], ia[ok]] = t_v[t0:t1][ok]
        np.fill_diagonal(x, top)
        w = u_cinc[u0:u1] if "sw" in measures else None
        mats = similarity(x, top, weights=w, metric=metric, measures=measures)
        rows = order[s:e]
        ok1 = (c1[rows] >= 0) & (c1[rows] < 1 << 16)
        ok2 = (c2[rows] >= 0) & (c2[rows] < 1 << 16)
        p1 = np.where(ok1, lut[c1[rows] & 0xFFFF], -1)
        p2 = np.where(ok2, lut[c2[rows] & 0xFFFF], -1)
        good = (p1 >= 0) & (p2 >= 0)
        for m, mat in mats.items():
            out[m][rows[good]] = mat[p1[good], p2[good]]
        lut[codes] = -1
    new = [pl.Series(names[m], out[m], dtype=pl.Float64, nan_to_null=True) for m in measures]
    res = df.drop([s.name for s in new if s.name in df.columns]).with_columns(new)
    if res.height != df.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError("add_fpsim changed the row count")
    return res


def apply(df: pl.DataFrame, tables: dict[str, Any], **options: Any) -> pl.DataFrame:
    """The ``fpsim`` step of build_panel: by default all four measures from ATOP, valued ties,
    absolute distance (``options``: source, valuation, metric, measures)."""
    return add_fpsim(df, tables.get("atop"), tables.get("nmc"), **options)


def datasets(options: Mapping[str, Any] | None = None) -> list[str]:
    """The catalog datasets the ``fpsim`` step reads with these ``options``: ATOP for its
    source, NMC for the capability-weighted S."""
    options = options or {}
    need = ["atop"] if options.get("source", "atop") == "atop" else []
    if "sw" in options.get("measures", MEASURES):
        need.append("nmc")
    return need
