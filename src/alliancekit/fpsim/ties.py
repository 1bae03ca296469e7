"""The portfolios' ties: ATOP obligations or the curated ties, valued; the columns' names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from alliancekit._deprecated import renamed
from alliancekit.fpsim.measures import check_metric
from alliancekit.schema import ParameterError, choice

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


def atop_valuation(valuation: str | Mapping[str, int]) -> tuple[dict[str, int], str]:
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


SOURCES = ("atop", "curated")


# the letter of a curated valuation in the column names
CURATED_LETTER = {"strength": "v", "binary": "b", "alliance": "d"}


def check_source(source: str) -> str:
    return choice(source, SOURCES, "source", "source")


def curated_valuation(valuation) -> tuple[Any, str]:
    from alliancekit.data.projection import check_valuation

    v = check_valuation(valuation)
    return v, (CURATED_LETTER[v] if isinstance(v, str) else "x")


def column_names(
    valuation: str | Mapping[str, int] | None = None,
    metric: str = "absolute",
    source: str = "atop",
) -> dict[str, str]:
    """measure -> column name (see the module notes); ``valuation`` None: the source's
    default (``"valued"`` for ATOP, ``"strength"`` for the curated ties)."""
    check_source(source)
    m = check_metric(metric)[0]
    if source == "atop":
        v = atop_valuation("valued" if valuation is None else valuation)[1]
        end = ""
    else:
        v = curated_valuation("strength" if valuation is None else valuation)[1]
        end = "_curated"
    names = {"s": f"sally{v}u{m}", "sw": f"sally{v}w{m}", "kappa": f"kally{v}{m}"}
    return {k: x + end for k, x in (names | {"pi": f"pally{v}{m}"}).items()}


def dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return given
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def atop_tie_values(
    atop: pl.DataFrame, valuation: str | Mapping[str, int] = "valued"
) -> pl.DataFrame:
    """year, a, b (a < b), value: the tie of every ATOP pair-year, obligations in either
    direction, valued by ``valuation`` (pairs without an obligation left out). The curated
    data's counterpart is :func:`curated_tie_values`."""
    values, _ = atop_valuation(valuation)
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
    v, _ = curated_valuation(valuation)
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


def curated_universe(data: Any) -> pl.Series:
    """The COW codes of the curated states."""
    return (
        data.actors.filter(pl.col("kind") == "state")
        .get_column("cow_code")
        .drop_nulls()
        .cast(pl.Int32)
    )


# The curated projection has its own tie_values (alliancekit.data.projection): one name, one job.
__getattr__ = renamed(__name__, {"tie_values": "atop_tie_values"}, globals())
