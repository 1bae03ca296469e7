"""The add steps on the lookup engine: ATOP alliances, NMC capabilities, major powers,
contiguity."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import ATOP_FLAGS, NMC_VARS, dataset
from alliancekit.panels._lookup import (
    CELL,
    Index,
    Keys,
    Plan,
    apply_plans,
    frame_kind,
    index_for,
    lut,
    not_sentinel,
    outside_years,
)
from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def plan_atop(keys: Keys, atop: pl.DataFrame, index: Index) -> Plan:
    a1, a2, ay = (atop.get_column(c).to_numpy() for c in ("ccode1", "ccode2", "year"))
    # bit 5: the dyad-year has a row (an alliance, whatever its obligations); bits 0-4: the
    # five obligations
    bits = np.full(len(atop), 1 << len(ATOP_FLAGS), dtype=np.uint8)
    for b, c in enumerate(ATOP_FLAGS):
        bits |= (atop.get_column(c).fill_null(0).to_numpy().astype(np.uint8) & 1) << b
    k = index.k
    cube = np.zeros((index.Y + 1, k, k), dtype=np.uint8)
    cells = (index.year_pos(ay) * k + index.code_pos(a1)) * k + index.code_pos(a2)
    np.bitwise_or.at(cube.reshape(-1), cells, bits)  # on flat cells: numpy's fast path
    if not keys.directed():
        cube |= cube.transpose(0, 2, 1)
    for outside in outside_years(index, int(ay.min()), int(ay.max())):
        cube[outside] = 255  # outside ATOP's years: null
    raw = "__ak_atop"
    obligations = lut(cube.reshape(-1)).gather(pl.col(CELL["dyad"]))  # null key: null
    cell = not_sentinel(obligations, 255).alias(raw)  # null outside ATOP's years
    flags = [(pl.col(raw) != 0).cast(pl.Int8).alias("atop_alliance")]
    flags += [
        ((pl.col(raw) & (1 << b)) != 0).cast(pl.Int8).alias(c) for b, c in enumerate(ATOP_FLAGS)
    ]
    return Plan(["atop_alliance", *ATOP_FLAGS], [cell], flags)


def add_one(
    df: pl.DataFrame, step: str, data: pl.DataFrame, name: str, **options: Any
) -> pl.DataFrame:
    keys = Keys(df)
    index = index_for({step: data}, keys)
    return apply_plans(df, keys, index, [PLANNERS[step](keys, data, index, **options)], name)


@polars_frames("df", "atop")
def add_atop_alliance(
    df: pl.DataFrame, atop: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add ATOP's alliance and its five obligations to COW dyad-years.

    ``atop_alliance`` is 1 for every dyad-year with a row in ATOP's dyad-year table, whatever
    its obligations; ``atop_defense``, ``atop_offense``, ``atop_neutral``, ``atop_nonagg``,
    ``atop_consul`` are ATOP's flags. ATOP is directed: directed frames read the row of
    (ccode1, ccode2, year); undirected frames (no row with ccode1 > ccode2) take an obligation
    in either direction (the reference's ``ndir=TRUE``). 0 within ATOP's years where it has no
    row, null outside them.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years (ccode1, ccode2, year).
    atop : polars.DataFrame or pandas.DataFrame, optional
        ATOP's dyad-years (``alliancekit data import atop``); default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the six Int8 columns added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` is not COW dyad-years, or ``atop`` lacks a column or has no rows.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> df = ps.create_dyadyears(states=states, directed=False, years=2016)
    >>> atop = pl.DataFrame({"ccode1": [740], "ccode2": [2], "year": [2016],
    ...     "atop_defense": [1], "atop_offense": [0], "atop_neutral": [0], "atop_nonagg": [0],
    ...     "atop_consul": [1]})
    >>> ps.add_atop_alliance(df, atop).select("ccode2", "atop_alliance", "atop_defense").rows()
    [(200, 0, 0), (740, 1, 1), (740, 0, 0)]

    References
    ----------
    Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long.
    2002. Alliance Treaty Obligations and Provisions, 1815-1944. International Interactions
    28: 237-260.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    if frame_kind(df) != "dyad":
        raise ParameterError("df", "add_atop_alliance() needs dyad-years (ccode1, ccode2, year)")
    atop = dataset("atop", atop, catalog)
    return add_one(df, "atop", atop, "add_atop_alliance")


def _state_table(
    data: pl.DataFrame, value_cols: list[str], index: Index, code: str = "ccode"
) -> pl.DataFrame:
    """A dense frame of ``value_cols`` with one row per (year, code) position of ``index``
    (unknown code, outside years and absent rows all null)."""
    codes = data.get_column(code).to_numpy()
    years = data.get_column("year").to_numpy()
    row = np.full((index.Y + 1) * index.k, -1, dtype=np.int32)  # -1: no row
    row[index.state_pos(codes, years)] = np.arange(len(data), dtype=np.int32)
    row_s = pl.Series(row)
    rows = pl.select(pl.when(row_s >= 0).then(row_s)).to_series()  # a null row gathers nulls
    return data.select(pl.col(value_cols).gather(rows))


def plan_nmc(keys: Keys, nmc: pl.DataFrame, index: Index, ratio: bool = False) -> Plan:
    table = _state_table(nmc, list(NMC_VARS), index)
    # the dense table's columns at the row's cell: null where the source has no value
    values = [
        pl.lit(table.get_column(v)).gather(pl.col(CELL[s])).alias(v + s)
        for s in keys.sides()
        for v in NMC_VARS
    ]
    if keys.kind == "state":
        return Plan(list(NMC_VARS), [], values)
    new = [v + s for s in ("1", "2") for v in NMC_VARS]
    if not ratio:
        return Plan(new, [], values)
    total = pl.col("cinc1") + pl.col("cinc2")
    share = pl.when(total > 0).then(pl.col("cinc1") / total).alias("cinc_ratio")
    return Plan([*new, "cinc_ratio"], [], values, [share])


@polars_frames("df", "nmc")
def add_nmc(
    df: pl.DataFrame,
    nmc: pl.DataFrame | None = None,
    *,
    ratio: bool = False,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add COW national material capabilities.

    ``milex milper irst pec tpop upop cinc`` (state-years) or the same with suffixes 1 and 2
    (dyad-years): the state's row of the year; missing values stay null, years without a row
    are null.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW state-years (ccode, year) or dyad-years (ccode1, ccode2, year).
    nmc : polars.DataFrame or pandas.DataFrame, optional
        NMC state-years (``alliancekit data import nmc``); default: the catalog's.
    ratio : bool
        Also add ``cinc_ratio`` = cinc1 / (cinc1 + cinc2), ccode1's share of the dyad's
        capabilities (null when either is missing or both are 0; not in the reference).
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the capability columns added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` has no COW keys, or ``nmc`` lacks a column or has no rows.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> df = ps.create_dyadyears(states=states, directed=False, years=2016)
    >>> nmc = pl.DataFrame({"ccode": [2, 740], "year": [2016, 2016], "milex": [600e6, 46e6],
    ...     "milper": [1300, 247], "irst": [78000, 104000], "pec": [2.9e6, 0.6e6],
    ...     "tpop": [323000, 127000], "upop": [270000, 117000], "cinc": [0.14, 0.03]})
    >>> out = ps.add_nmc(df, nmc, ratio=True)
    >>> out.select("ccode2", "cinc1", "cinc2", pl.col("cinc_ratio").round(3)).rows()
    [(200, 0.14, None, None), (740, 0.14, 0.03, 0.824), (740, None, 0.03, None)]

    References
    ----------
    Singer, J. David, Stuart Bremer and John Stuckey. 1972. Capability Distribution,
    Uncertainty, and Major Power War, 1820-1965. In Bruce Russett (ed.), Peace, War, and
    Numbers. Beverly Hills: Sage, 19-48.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    frame_kind(df)
    nmc = dataset("nmc", nmc, catalog)
    return add_one(df, "nmc", nmc, "add_nmc", ratio=ratio)


def plan_majors(keys: Keys, majors: pl.DataFrame, index: Index, mry: bool = True) -> Plan:
    sp = majors.select(
        pl.col("ccode").cast(pl.Int16).alias("code"),
        pl.date("styear", "stmonth", "stday").alias("start"),
        pl.date("endyear", "endmonth", "endday").alias("end"),
    )
    years = sp.select(
        "code",
        pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16).alias(
            "year"
        ),
    ).explode("year")
    table = np.zeros((index.Y + 1, index.k), dtype=np.int8)
    table.reshape(-1)[index.state_pos(years["code"].to_numpy(), years["year"].to_numpy())] = 1
    y0, y1 = int(sp["start"].min().year), int(sp["end"].max().year)
    for outside in outside_years(index, y0, y1):
        table[outside] = -1  # outside the data's years: null
    if mry:  # the majors of the data's last day are majors in every later year of the index
        after = slice(int(index.year_pos(np.array([y1]))[0]) + 1, index.Y)
        table[after] = 0
        still = sp.filter(pl.col("end") == dt.date(y1, 12, 31))["code"].to_numpy()
        table[after, index.code_pos(still)] = 1
    cols = []
    for s in keys.sides():
        cols.append(
            not_sentinel(lut(table.reshape(-1)).gather(pl.col(CELL[s])), -1).alias("cowmaj" + s)
        )
    return Plan(["cowmaj" + s for s in keys.sides()], cols)


@polars_frames("df", "majors")
def add_majors(
    df: pl.DataFrame,
    majors: pl.DataFrame | None = None,
    *,
    mry: bool = True,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add COW major-power status: ``cowmaj`` (state-years) or ``cowmaj1``, ``cowmaj2``.

    1 when a major-power spell covers a day of the year, else 0, within the data's years
    (1816-2016). After them, ``mry=True`` (the reference's default): the states that are
    majors on the data's last day (31 December 2016) are 1 and all others 0, in every later
    year of the frame; ``mry=False``: null.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW state-years or dyad-years.
    majors : polars.DataFrame or pandas.DataFrame, optional
        COW major-power spells (``alliancekit data import majors``); default: the catalog's.
    mry : bool
        Carry the last day's majors forward past the data (True) or leave later years null.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int8 column(s) added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` has no COW keys, or ``majors`` lacks a column or has no rows.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> df = ps.create_stateyears(states=states, years=2016, extend_to=2020)
    >>> majors = pl.DataFrame({"ccode": [2, 200], "styear": [1898, 1816], "stmonth": [1, 1],
    ...     "stday": [1, 1], "endyear": [2016, 2016], "endmonth": [12, 12], "endday": [31, 31]})
    >>> ps.add_majors(df, majors)["cowmaj"].to_list()
    [1, 1, 0]
    >>> ps.add_majors(ps.create_stateyears(states=states, years=2020, extend_to=2020),
    ...     majors, mry=False)["cowmaj"].to_list()
    [None, None, None]

    References
    ----------
    Correlates of War Project. 2017. State System Membership List, v2016 (major powers).
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    frame_kind(df)
    majors = dataset("majors", majors, catalog)
    return add_one(df, "majors", majors, "add_majors", mry=mry)


add_cow_majors = add_majors  # peacesciencer's name


CONTIGUITY_SLICES = ("first", "last")


def _contiguity_years(cont: pl.DataFrame, slice: str) -> pl.DataFrame:
    """One row per (ccode1, ccode2, year) with a record: the conttype of the year's first
    (``slice="first"``) or last month on record; where several records cover that month,
    the first listed in the file (``"first"``) or the last listed (``"last"``), as the
    reference's stable sort and ``row_number() == 1`` / ``== n()`` pick them."""
    spells = cont.with_row_index("__row").select(
        "__row",
        pl.col("ccode1").cast(pl.Int16),
        pl.col("ccode2").cast(pl.Int16),
        pl.col("conttype").cast(pl.Int8),
        pl.col("stdate").alias("start"),
        pl.col("enddate").alias("end"),
        pl.int_ranges(
            pl.col("stdate").dt.year(), pl.col("enddate").dt.year() + 1, dtype=pl.Int16
        ).alias("year"),
    )
    years = spells.explode("year")
    # the spell's first and last month in the year (spells run month by month from start to
    # end, both included)
    first = pl.when(pl.col("start").dt.year() == pl.col("year")).then(pl.col("start").dt.month())
    last = pl.when(pl.col("end").dt.year() == pl.col("year")).then(pl.col("end").dt.month())
    if slice == "first":
        month, descending = first.otherwise(1), False
    else:
        month, descending = last.otherwise(12), True
    pick = pl.col("conttype").sort_by([month, pl.col("__row")], descending=descending).first()
    return years.group_by("ccode1", "ccode2", "year").agg(pick)


def plan_contiguity(
    keys: Keys, cont: pl.DataFrame, index: Index, slice: str = "first", mry: bool = False
) -> Plan:
    choice(slice, CONTIGUITY_SLICES, "slice", "slice")
    if not cont["conttype"].is_between(0, 5).all():
        raise ParameterError(
            "contiguity", "conttype must be a COW contiguity type: 1-5, or 0 for none"
        )
    years = _contiguity_years(cont, slice)
    # The cube holds conttype + 1 (1-6), 0 where no record gives the dyad-year a relationship
    # (conttype 0 then) and 7 outside the data's years (null).
    k = index.k
    cube = np.zeros((index.Y + 1, k, k), dtype=np.int8)
    yy = index.year_pos(years["year"].to_numpy())
    p1 = index.code_pos(years["ccode1"].to_numpy())
    p2 = index.code_pos(years["ccode2"].to_numpy())
    cube.reshape(-1)[(yy * k + p1) * k + p2] = years["conttype"].to_numpy() + 1
    y0, y1 = int(cont["stdate"].min().year), int(cont["enddate"].max().year)
    for outside in outside_years(index, y0, y1):
        cube[outside] = 7  # outside the data's years: null
    if mry:  # later years of the index repeat the data's last year
        last = int(index.year_pos(np.array([y1]))[0])
        cube[last + 1 : index.Y] = cube[last]
    raw = "__ak_conttype"
    cell = lut(cube.reshape(-1)).gather(pl.col(CELL["dyad"])).alias(raw)
    r = pl.col(raw)
    conttype = (
        pl.when(r == 0)
        .then(pl.lit(0, pl.Int8))
        .when(r != 7)
        .then(r - pl.lit(1, pl.Int8))
        .alias("conttype")
    )
    return Plan(["conttype"], [cell], [conttype])


@polars_frames("df", "contiguity")
def add_contiguity(
    df: pl.DataFrame,
    contiguity: pl.DataFrame | None = None,
    *,
    slice: str = "first",
    mry: bool = False,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add ``conttype``, COW direct contiguity (0 = none), to COW dyad-years.

    By the reference's month rule: each record's spell runs month by month from its start to
    its end, both included; a dyad-year takes the relationship of the year's first month on
    record (``slice="first"``, the default; ``"last"``: the last month), the record listed
    first in the file winning where two cover that month (``"last"``: the one listed last).
    The row of (ccode1, ccode2) as the file gives it (COW's file lists both directions). 0
    where no record covers the year, within the data's years (1816-2016); null outside.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years.
    contiguity : polars.DataFrame or pandas.DataFrame, optional
        COW direct-contiguity records (``alliancekit data import contiguity``); default: the
        catalog's.
    slice : {"first", "last"}
        Which month of the year on record gives its value.
    mry : bool
        Carry each dyad's value of the data's last year to later years (default False, as
        the reference).
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int8 column ``conttype`` added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` is not COW dyad-years, ``slice`` is not first or last, or a conttype is
        not 0-5.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2], "ccode2": [20, 20, 20],
    ...     "year": [1900, 2016, 2020]})
    >>> cont = pl.DataFrame({"ccode1": [2], "ccode2": [20], "conttype": [1],
    ...     "stdate": [dt.date(1816, 1, 1)], "enddate": [dt.date(2016, 12, 1)]})
    >>> ps.add_contiguity(df, cont)["conttype"].to_list()
    [1, 1, None]
    >>> ps.add_contiguity(df, cont, mry=True)["conttype"].to_list()
    [1, 1, 1]

    References
    ----------
    Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl and Charles Gochman.
    2002. The Correlates of War Project Direct Contiguity Data, Version 3. Conflict
    Management and Peace Science 19(2): 58-66.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    if frame_kind(df) != "dyad":
        raise ParameterError("df", "add_contiguity() needs dyad-years (ccode1, ccode2, year)")
    cont = dataset("contiguity", contiguity, catalog)
    return add_one(df, "contiguity", cont, "add_contiguity", slice=slice, mry=mry)


# The planners of the steps on the lookup engine, by step name (build_panel runs them together).
PLANNERS = {
    "atop": plan_atop,
    "nmc": plan_nmc,
    "majors": plan_majors,
    "contiguity": plan_contiguity,
}
