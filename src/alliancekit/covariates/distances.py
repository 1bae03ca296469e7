"""Minimum distance and capital distance (``add_minimum_distance``, ``add_capital_distance``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.covariates._engine import (
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

EARTH_RADIUS_M = 6_378_137.0


def add_minimum_distance(
    df: pl.DataFrame, mindist: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add ``mindist`` (dyad-years) or ``minmindist`` (state-years).

    km between the states' territories on 1 January (CShapes 2.0 as prepared for
    peacesciencer), either order of the non-directed table; state-years: the smallest
    ``mindist`` of the state that year. Null where the table has no row.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years or state-years.
    mindist : polars.DataFrame or pandas.DataFrame, optional
        The minimum-distance dyad-years; default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the distance column added; rows unchanged.

    Raises
    ------
    ParameterError
        When ``df`` has no COW keys.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2, 2], "ccode2": [365, 365, 365, 365],
    ...     "year": [1990, 1991, 1992, 2015]})
    >>> md = pl.DataFrame({"ccode1": [2], "ccode2": [365], "year": [1991], "mindist": [3.9]})
    >>> ps.add_minimum_distance(df, md)["mindist"].to_list()
    [None, 3.9, None, None]

    References
    ----------
    Schvitz, Guy, Luc Girardin, Seraina Rüegger, Nils B. Weidmann, Lars-Erik Cederman and
    Kristian Skrede Gleditsch. 2022. Mapping the International System, 1886-2019: The CShapes
    2.0 Dataset. Journal of Conflict Resolution 66(1): 144-161.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    kind = frame_kind(df, "add_minimum_distance")
    md = dataset("mindist", mindist, catalog)
    if kind == "dyad":
        rows = dyad_rows(dyad_keys(df), dyad_keys(md), symmetric=True)
        new = [take(md.get_column("mindist"), rows)]
    else:
        both = pl.concat(
            [
                md.select(pl.col("ccode1").alias("ccode"), "year", "mindist"),
                md.select(pl.col("ccode2").alias("ccode"), "year", "mindist"),
            ]
        )
        per = both.group_by("ccode", "year").agg(pl.col("mindist").min().alias("minmindist"))
        rows = state_rows(state_keys(df), state_keys(per))
        new = [take(per.get_column("minmindist"), rows)]
    return finish(df, new, "add_minimum_distance")


def capital_years(capitals: pl.DataFrame) -> pl.DataFrame:
    """ccode, year, spell, capital, lat, lng: each state's capital of each year (``spell``: its
    row in ``capitals``), the one in force on the first day of the year that any of its
    capital spells covers (ties: the row listed first)."""
    for c in ("ccode", "stdate", "enddate", "lat", "lng"):
        if c not in capitals.columns:
            raise ParameterError("capitals", f"the capitals table needs column {c!r}")
    cap = capitals.with_row_index("__ak_row")
    name = pl.col("capital") if "capital" in capitals.columns else pl.lit(None, pl.String)
    years = cap.select(
        "__ak_row",
        "ccode",
        name.alias("capital"),
        "stdate",
        "lat",
        "lng",
        pl.int_ranges(
            pl.col("stdate").dt.year(), pl.col("enddate").dt.year() + 1, dtype=pl.Int32
        ).alias("year"),
    ).explode("year")
    first_day = pl.max_horizontal(pl.col("stdate"), pl.date(pl.col("year"), 1, 1))
    return (
        years.with_columns(first_day.alias("__ak_day"))
        .sort("ccode", "year", "__ak_day", "__ak_row")
        .unique(["ccode", "year"], keep="first", maintain_order=True)
        .select(
            pl.col("ccode").cast(pl.Int16),
            pl.col("year").cast(pl.Int16),
            pl.col("__ak_row").cast(pl.Int32).alias("spell"),
            "capital",
            "lat",
            "lng",
        )
    )


def sphere_distance_km(
    lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray
) -> np.ndarray:
    """Great-circle km on a sphere of radius 6,378,137 m, Vincenty's formula for the sphere
    (``geosphere::distVincentySphere``); degrees in, nan where a coordinate is nan."""
    rad = math.pi / 180
    p1, p2 = lat1 * rad, lat2 * rad
    dl = (lng1 - lng2) * rad
    cp1, sp1, cp2, sp2, cdl = np.cos(p1), np.sin(p1), np.cos(p2), np.sin(p2), np.cos(dl)
    x = np.sqrt((cp2 * np.sin(dl)) ** 2 + (cp1 * sp2 - sp1 * cp2 * cdl) ** 2)
    y = sp1 * sp2 + cp1 * cp2 * cdl
    return EARTH_RADIUS_M * np.arctan2(x, y) / 1000


def add_capital_distance(
    df: pl.DataFrame, capitals: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add ``capdist``: great-circle km between the two states' capitals.

    The capitals in force on the first covered day of the year, on a sphere of radius
    6,378,137 m (see the module notes); null when either state has no capital that year.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years.
    capitals : polars.DataFrame or pandas.DataFrame, optional
        Capitals with their dates and coordinates; default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Float64 column ``capdist`` added; rows unchanged.

    Raises
    ------
    ParameterError
        For state-years, or a capitals table lacking a column.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2], "ccode2": [200], "year": [2000]})
    >>> caps = pl.DataFrame({"ccode": [2, 200], "capital": ["Washington", "London"],
    ...     "stdate": [dt.date(1816, 1, 1)] * 2, "enddate": [dt.date(2020, 12, 31)] * 2,
    ...     "lat": [38.895, 51.507], "lng": [-77.036, -0.128]})
    >>> round(ps.add_capital_distance(df, caps)["capdist"][0])
    5905

    References
    ----------
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    if frame_kind(df, "add_capital_distance") != "dyad":
        raise ParameterError(
            "df",
            "add_capital_distance() needs dyad-years (the reference's state-year minimum "
            "needs every dyad of the state system: build dyad-years and take the minimum)",
        )
    caps = dataset("capitals", capitals, catalog)
    cy = capital_years(caps)
    # The distance between every two capital spells (a few hundred squared), plus a last
    # "no capital" spell at nan: each row then gathers its distance, no trigonometry per row.
    n = caps.height
    lat = np.append(caps["lat"].cast(pl.Float64).fill_null(np.nan).to_numpy(), np.nan)
    lng = np.append(caps["lng"].cast(pl.Float64).fill_null(np.nan).to_numpy(), np.nan)
    dist = sphere_distance_km(lat[:, None], lng[:, None], lat[None, :], lng[None, :]).ravel()
    spell = np.append(cy["spell"].to_numpy(), n).astype(np.int32)  # row -1: no capital
    src = state_keys(cy)
    y = u16(df, "year")
    s1 = spell[state_rows((u16(df, "ccode1"), y), src)]
    s2 = spell[state_rows((u16(df, "ccode2"), y), src)]
    s1 *= n + 1
    s1 += s2
    s = pl.Series("capdist", dist[s1], dtype=pl.Float64, nan_to_null=True)
    return finish(df, [s], "add_capital_distance")
