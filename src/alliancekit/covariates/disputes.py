"""GML militarized interstate disputes on dyad-years (``add_gml_mids``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import polars as pl

from alliancekit.covariates._engine import (
    dataset,
    dyad_keys,
    dyad_rows,
    finish,
    frame_kind,
    take,
    u16,
    within,
)
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

GML_ORDER = (  # the reference's order of choice among a dyad-year's disputes
    ("fatality", "max"),
    ("hostlev", "max"),
    ("mindur", "max"),
    ("maxdur", "max"),
    ("recip", "max"),
    ("stmon", "min"),
)


def whittle_gml(gml: pl.DataFrame) -> pl.DataFrame:
    """GML directed dispute-dyad-years reduced to one dispute per (ccode1, ccode2, year), by
    the reference's ordering rule (see the module notes); the columns of ``gml``, in its row
    order."""
    for c in ("ccode1", "ccode2", "year", "midonset", "midongoing", *(c for c, _ in GML_ORDER)):
        if c not in gml.columns:
            raise ParameterError("gml", f"the GML dispute table needs column {c!r}")
    k = ["ccode1", "ccode2", "year"]
    g = gml.with_row_index("__ak_row")
    mixed = (pl.col("midonset").n_unique().over(k) > 1) & (pl.col("midonset") == 0)
    g = g.filter(~mixed)
    for col, how in GML_ORDER:
        e = pl.col(col)
        if col == "fatality":  # the unknown (-9) ranks between no deaths and some
            e = pl.when(e == -9).then(pl.lit(0.5)).otherwise(e.cast(pl.Float64))
        best = e.max().over(k) if how == "max" else e.min().over(k)
        g = g.filter(e == best)
    return g.sort("__ak_row").unique(k, keep="first", maintain_order=True).drop("__ak_row")


def add_gml_mids(
    df: pl.DataFrame,
    gml: pl.DataFrame | None = None,
    *,
    keep: Iterable[str] = (),
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add ``gmlmidonset`` and ``gmlmidongoing`` (GML MID 2.2.1) to COW dyad-years.

    One dispute per dyad-year by peacesciencer's ordering rule (most fatal, most hostile,
    longest, reciprocated, earliest; see the module notes); 0 without a dispute within the
    data's years, null outside them.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years (directed or not).
    gml : polars.DataFrame or pandas.DataFrame, optional
        GML's directed dispute-dyad-years (``alliancekit data import gml-mids``); default: the
        catalog's.
    keep : iterable of str
        Further fields of the kept dispute to add (``dispnum``, ``hostlev``, ``fatality``,
        ...; peacesciencer's ``keep``), null where there is none.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int8 columns (and the kept fields) added; rows unchanged.

    Raises
    ------
    ParameterError
        For state-years, a ``keep`` field the table does not have, or a table lacking a
        column of the ordering rule.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2, 2], "ccode2": [365, 365, 365, 365],
    ...     "year": [1990, 1991, 1992, 2015]})
    >>> gml = pl.DataFrame({"dispnum": [4339, 4340], "ccode1": [2, 2], "ccode2": [365, 365],
    ...     "year": [1991, 1991], "midonset": [1, 1], "midongoing": [1, 1],
    ...     "fatality": [0, 1], "hostlev": [3, 2], "mindur": [10, 5], "maxdur": [10, 5],
    ...     "recip": [1, 0], "stmon": [3, 6]})
    >>> out = ps.add_gml_mids(df, gml, keep=["dispnum"])
    >>> out.select("year", "gmlmidonset", "dispnum").rows()  # the fatal one; null outside 1991
    [(1990, None, None), (1991, 1, 4340), (1992, None, None), (2015, None, None)]

    References
    ----------
    Gibler, Douglas M., Steven V. Miller and Erin K. Little. 2016. An Analysis of the
    Militarized Interstate Dispute (MID) Dataset, 1816-2001. International Studies Quarterly
    60(4): 719-730.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    if frame_kind(df, "add_gml_mids") != "dyad":
        raise ParameterError(
            "df",
            "add_gml_mids() needs dyad-years: state-level GML disputes need the participant "
            "table (gml_part) that the dyadic file does not give",
        )
    gml = dataset("gml_mids", gml, catalog)
    keep = [c for c in dict.fromkeys(keep) if c not in ("gmlmidonset", "gmlmidongoing")]
    for c in keep:
        if c not in gml.columns or c in ("ccode1", "ccode2", "year"):
            raise ParameterError("keep", f"the GML dispute table has no field {c!r} to keep")
    one = whittle_gml(gml)
    rows = dyad_rows(dyad_keys(df), dyad_keys(one))
    inside = within(u16(df, "year"), int(gml["year"].min()), int(gml["year"].max()))
    new = [
        take(one.get_column(src).cast(pl.Int8), rows, 0, inside, name)
        for src, name in (("midonset", "gmlmidonset"), ("midongoing", "gmlmidongoing"))
    ]
    new += [take(one.get_column(c), rows) for c in keep]
    return finish(df, new, "add_gml_mids")
