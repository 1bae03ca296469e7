"""The ``add_fpsim`` step: every dyad-year's similarity, year by year, and its hook in
:func:`alliancekit.panels.build_panel`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit.fpsim.measures import MEASURES, similarity
from alliancekit.fpsim.ties import (
    atop_tie_values,
    atop_valuation,
    check_source,
    column_names,
    curated_tie_values,
    curated_universe,
    dataset,
)
from alliancekit.schema import ParameterError, choices

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

CITATION = (
    "Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the "
    "Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144; "
    "Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy "
    "Similarity for Chance Agreement. Political Analysis 19(3): 287-305."
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
    check_source(source)
    measures = choices(dict.fromkeys(measures), MEASURES, "measures", "measure")
    names = column_names(valuation, metric, source)
    if source == "atop":
        valuation = "valued" if valuation is None else valuation
        values, _ = atop_valuation(valuation)
        top = max(values.values())
        atop = dataset("atop", atop, catalog)
        ties = atop_tie_values(atop, valuation)
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
        nmc = dataset("nmc", nmc, catalog)

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
        uni = uni.filter(pl.col("ccode").is_in(curated_universe(data).implode()))
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
