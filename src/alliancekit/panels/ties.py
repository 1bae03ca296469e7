"""The curated ties as ``tie_<kind>`` columns of dyad-years."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import check_system
from alliancekit.panels._lookup import Index, assert_rows, drop_existing, dyad_keys, series_of
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    pass


def tie_pairs(data: Any = None, system: str = "cow") -> pl.DataFrame:
    """The curated ties as pairs of state codes, with the days they hold.

    The rule is :func:`alliancekit.data.projection.state_pairs` (the graphs' too), the actor
    ids replaced by their codes in ``system``; actors without a code are left out.

    Parameters
    ----------
    data : Dataset, optional
        The curated tables (:func:`alliancekit.load`, with any extension files); default:
        the shipped dataset.
    system : {"cow", "gw"}
        Whose codes.

    Returns
    -------
    polars.DataFrame
        code1 < code2 (Int16), kind, lo, hi (the first and last day in force, as Date; hi null:
        still in force); one row per kind and spell, sorted by kind, code1, code2, lo.

    Raises
    ------
    ParameterError
        For an unknown ``system``.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.panels import tie_pairs
    >>> p = tie_pairs(load())
    >>> p.filter(kind="defence_treaty", code1=2, code2=740).select("lo", "hi").rows()
    [(datetime.date(1952, 4, 28), datetime.date(1960, 6, 22)), (datetime.date(1960, 6, 23), None)]

    References
    ----------
    The curated dataset's codebook (``alliancekit.data``), "Ties between states".
    """
    check_system(system)
    if data is None:
        from alliancekit.data import load

        data = load()
    from alliancekit.data.projection import state_pairs

    code_col = "cow_code" if system == "cow" else "gw_code"
    codes = data.actors.select("actor_id", pl.col(code_col).alias("code"))
    pairs = (
        state_pairs(data.ties, data.actors)
        .join(codes.rename({"actor_id": "a", "code": "c1"}), on="a", how="left")
        .join(codes.rename({"actor_id": "b", "code": "c2"}), on="b", how="left")
        .filter(
            pl.col("c1").is_not_null() & pl.col("c2").is_not_null() & (pl.col("c1") != pl.col("c2"))
        )
    )
    return (
        pairs.select(
            pl.min_horizontal("c1", "c2").cast(pl.Int16).alias("code1"),
            pl.max_horizontal("c1", "c2").cast(pl.Int16).alias("code2"),
            "kind",
            pl.col("start").alias("lo"),
            (pl.col("end") - pl.duration(days=1)).alias("hi"),
        )
        .unique()
        .sort("kind", "code1", "code2", "lo", "hi")
    )


@polars_frames("df")
def add_ties(df: pl.DataFrame, data: Any = None) -> pl.DataFrame:
    """Add one 0/1 column ``tie_<kind>`` per curated tie kind to dyad-years.

    1 when a tie of that kind between the two states is in force on at least one day of the
    year, by the projection of :func:`alliancekit.data.projection.state_pairs` (memberships
    join co-members, ties with an organisation join its members, ties with the UN Security
    Council are not alliances); 0 otherwise: the curated data cover the security
    architecture around the United States, not the world.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW (ccode1, ccode2, year) or G-W (gwcode1, gwcode2, year) dyad-years.
    data : Dataset, optional
        The curated tables (:func:`alliancekit.load`, with any extension files); default:
        the shipped dataset.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int8 columns added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` is not dyad-years.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2], "ccode2": [740, 740, 220],
    ...     "year": [1951, 1953, 1950]})
    >>> out = ps.add_ties(df)
    >>> out["tie_defence_treaty"].to_list(), out["tie_member"].to_list()
    ([0, 1, 0], [0, 0, 1])

    References
    ----------
    The curated dataset's codebook (``alliancekit.data``), "Ties between states".
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    from alliancekit.schema import TIE_KINDS

    cols = set(df.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        system, k1, k2 = "cow", "ccode1", "ccode2"
    elif {"gwcode1", "gwcode2", "year"} <= cols:
        system, k1, k2 = "gw", "gwcode1", "gwcode2"
    else:
        raise ParameterError(
            "df", "add_ties() needs dyad-years (ccode1/ccode2 or gwcode1/gwcode2, and year)"
        )
    pairs = tie_pairs(data, system)
    c1, c2, y, nulls = dyad_keys(df, k1, k2)
    ymax = int(y.max()) if len(y) else 0
    years = (
        pairs.with_columns(
            pl.int_ranges(
                pl.col("lo").dt.year(),
                pl.col("hi").dt.year().fill_null(max(ymax, 0)) + 1,
                dtype=pl.Int16,
            ).alias("year")
        )
        .explode("year")
        .drop_nulls("year")
    )
    new = []
    index = None
    if not years.is_empty():
        index = Index(
            np.concatenate([years["code1"].to_numpy(), years["code2"].to_numpy()]),
            int(years["year"].min()),
            int(years["year"].max()),
        )
        pos = index.dyad_pos(c1, c2, y)
    for kind in TIE_KINDS:
        name = f"tie_{kind}"
        sub = years.filter(pl.col("kind") == kind)
        if index is None or sub.is_empty():
            new.append(series_of(name, np.zeros(len(df), dtype=np.int8), pl.Int8, nulls=nulls))
            continue
        k = index.k
        cube = np.zeros((index.Y + 1, k, k), dtype=np.int8)
        yy = index.year_pos(sub["year"].to_numpy())
        a, b = index.code_pos(sub["code1"].to_numpy()), index.code_pos(sub["code2"].to_numpy())
        cube[yy, a, b] = 1
        cube[yy, b, a] = 1
        new.append(series_of(name, cube.reshape(-1)[pos], pl.Int8, nulls=nulls))
    out = drop_existing(df, [s.name for s in new]).with_columns(new)
    return assert_rows(df, out, "add_ties")
