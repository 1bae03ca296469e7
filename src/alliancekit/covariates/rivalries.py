"""Thompson-Sakuwa-Suhas strategic rivalries (``add_strategic_rivalries``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.covariates._engine import (
    as_years,
    dataset,
    dyad_keys,
    dyad_rows,
    finish,
    frame_kind,
    state_keys,
    state_rows,
    take,
    u16,
)
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

RIVALRY_TYPES = ("positional", "spatial", "ideological", "interventionary")


def rivalry_years(rivalries: pl.DataFrame) -> pl.DataFrame:
    """tssr_id, ccode1, ccode2, year and the four type flags (0/1) of every rivalry-year, both
    orders of the pair, from 1816; Austria-Hungary (300) as Austria (305) from 1919."""
    for c in ("tssr_id", "ccode1", "ccode2", "start", "end", *RIVALRY_TYPES):
        if c not in rivalries.columns:
            raise ParameterError("rivalries", f"the rivalry table needs column {c!r}")
    r = rivalries.select(
        pl.col("tssr_id").cast(pl.Int16),
        pl.col("ccode1").cast(pl.Int16),
        pl.col("ccode2").cast(pl.Int16),
        *(pl.col(c).fill_null(0).cast(pl.Int8) for c in RIVALRY_TYPES),
        pl.int_ranges(pl.max_horizontal("start", 1816), pl.col("end") + 1, dtype=pl.Int16).alias(
            "year"
        ),
    ).explode("year")
    r = r.filter(pl.col("year").is_not_null())
    austria = [
        pl.when((pl.col(c) == 300) & (pl.col("year") >= 1919))
        .then(pl.lit(305, pl.Int16))
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("ccode1", "ccode2")
    ]
    r = r.with_columns(austria)
    flipped = r.with_columns(ccode1=pl.col("ccode2"), ccode2=pl.col("ccode1"))
    return (
        pl.concat([r, flipped])
        .sort("tssr_id", "ccode1", "year")
        .select("tssr_id", "ccode1", "ccode2", "year", *RIVALRY_TYPES)
    )


def add_strategic_rivalries(
    df: pl.DataFrame, rivalries: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add the Thompson-Sakuwa-Suhas strategic rivalry of each row.

    Dyad-years: ``tssr_id``, ``positional``, ``spatial``, ``ideological``,
    ``interventionary`` and ``ongoingrivalry`` (either order of the pair); state-years: the
    counts ``n_positional``, ``n_spatial``, ``n_ideological``, ``n_interventionary``. 0
    without a rivalry up to the data's last year, null after it (see the module notes).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years or state-years.
    rivalries : polars.DataFrame or pandas.DataFrame, optional
        The rivalry table; default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the rivalry columns added; rows unchanged.

    Raises
    ------
    ParameterError
        When the rivalry table lacks a column.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2, 2], "ccode2": [365, 365, 365, 365],
    ...     "year": [1990, 1991, 1992, 2015]})
    >>> riv = pl.DataFrame({"tssr_id": [7], "ccode1": [2], "ccode2": [365], "start": [1945],
    ...     "end": [1991], "positional": [1], "spatial": [0], "ideological": [1],
    ...     "interventionary": [0]})
    >>> ps.add_strategic_rivalries(df, riv)["ongoingrivalry"].to_list()  # null after 1991
    [1, 1, None, None]

    References
    ----------
    Thompson, William R., Kentaro Sakuwa and Prashant Hosur Suhas. 2021. Analyzing Strategic
    Rivalries in World Politics: Types of Rivalry, Regional Variation, and Escalation/
    De-escalation. Singapore: Springer.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    kind = frame_kind(df, "add_strategic_rivalries")
    riv = dataset("rivalries", rivalries, catalog)
    ry = rivalry_years(riv)
    last = int(riv["end"].max())
    y = u16(df, "year")
    upto = as_years(y) <= last
    if kind == "state":
        per = ry.group_by("ccode1", "year").agg(
            pl.col(c).sum().cast(pl.Int16).alias("n_" + c) for c in RIVALRY_TYPES
        )
        rows = state_rows(state_keys(df), state_keys(per, "ccode1"))
        new = [take(per.get_column("n_" + c), rows, 0, upto) for c in RIVALRY_TYPES]
        return finish(df, new, "add_strategic_rivalries")
    one = ry.unique(["ccode1", "ccode2", "year"], keep="first", maintain_order=True)
    rows = dyad_rows(dyad_keys(df), dyad_keys(one))
    new = [take(one.get_column("tssr_id"), rows)]
    new += [take(one.get_column(c), rows, 0, upto) for c in RIVALRY_TYPES]
    flag = pl.Series("ongoingrivalry", [0, 1, None], dtype=pl.Int8)
    state = np.where(rows >= 0, 1, np.where(upto, 0, 2)).astype(np.uint32)
    new.append(flag.gather(pl.Series(state)))
    return finish(df, new, "add_strategic_rivalries")
