"""The ``create_*`` verbs: state-years and dyad-years of the COW or G-W system."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import check_system, dataset
from alliancekit.panels._years import (
    filter_years,
    parse_years,
    spells,
    state_year_intervals,
    warn_past_data,
)
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


@polars_frames("states")
def create_stateyears(
    system: str = "cow",
    years: Any = None,
    extend_to: int | None = None,
    *,
    states: pl.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """State-years of the COW or G-W state system.

    A state is a member in a year when one of its spells covers at least one day of it; a
    state with two spells in one year gives one state-year. COW frames have ``ccode, statenme,
    year``, G-W frames ``gwcode, statename, year`` (codes and years Int16).

    Parameters
    ----------
    system : {"cow", "gw"}
        The state system.
    years : str, int, tuple, range or iterable of int, optional
        Keep only these years (``"1816-2016"``, ``1990``, ``(1990, 2000)``, a range or a list;
        see :func:`parse_years`).
    extend_to : int, optional
        Carry the states still members at the end of the state data (December of its last
        year) forward to 31 December of this year.
    states : polars.DataFrame or pandas.DataFrame, optional
        The state list (``{system}_states`` of the catalog, or the publisher's table as the
        importers read it); default: read from the catalog.
    catalog : Catalog, optional
        The catalog to read from (default: :func:`alliancekit.catalog.open_catalog`).

    Returns
    -------
    polars.DataFrame
        One row per state and year, sorted by code and year.

    Raises
    ------
    ParameterError
        For an unknown ``system``, malformed ``years`` or ``extend_to``, or a state list
        lacking a column.
    MissingImportError
        When ``states`` is not given and the catalog has not imported it.

    Warns
    -----
    PanelWarning
        When ``years`` reach past the frame's last year.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> ps.create_stateyears(states=states, years=(2015, 2016)).rows()[:3]
    [(2, 'USA', 2015), (2, 'USA', 2016), (200, 'UK', 2015)]
    >>> ps.create_stateyears(states=states, extend_to=2025)["year"].max()
    2025

    References
    ----------
    Correlates of War Project. 2017. State System Membership List, v2016.
    Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States since the Congress of Vienna. International Interactions 25(4): 393-413.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    check_system(system)
    states = dataset(f"{system}_states", states, catalog)
    sp = spells(system, states, extend_to)
    warn_past_data(parse_years(years), sp, system, extend_to)
    code, name = ("ccode", "statenme") if system == "cow" else ("gwcode", "statename")
    names = sp.group_by("code").agg(pl.col("name").sort_by("end").last())
    sy = (
        sp.select(
            "code",
            pl.int_ranges(
                pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16
            ).alias("year"),
        )
        .explode("year")
        .unique()
        .join(names, on="code", how="left")
        .sort("code", "year")
        .select(pl.col("code").alias(code), pl.col("name").alias(name), "year")
    )
    return filter_years(sy, years)


def _pairs_for_year(
    codes: np.ndarray, directed: bool, cache: dict
) -> tuple[np.ndarray, np.ndarray]:
    n = len(codes)
    key = (n, directed)
    if key not in cache:
        if directed:  # every (i, j) with i != j, row-major
            i = np.repeat(np.arange(n, dtype=np.int32), n - 1)
            j = np.tile(np.arange(n - 1, dtype=np.int32), n)
            j += j >= i
        else:
            i, j = np.triu_indices(n, k=1)
            i, j = i.astype(np.int32), j.astype(np.int32)
        cache[key] = (i, j)
    i, j = cache[key]
    return codes[i], codes[j]


@polars_frames("states")
def create_dyadyears(
    system: str = "cow",
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    *,
    states: pl.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Dyad-years of the COW or G-W state system.

    Every ordered (``directed``) or unordered (code1 < code2) pair of states that are both
    members on at least one common day of the year: two states whose spells touch the same
    year but never the same day form no dyad (the reference's ``false_cow_dyads``). COW frames
    have ``ccode1, ccode2, year``, G-W frames ``gwcode1, gwcode2, year``; sorted by year,
    code1, code2.

    Parameters
    ----------
    system : {"cow", "gw"}
        The state system.
    directed : bool
        Both orders of every pair (the default, as the reference) or code1 < code2 only.
    years, extend_to, states, catalog
        As for :func:`create_stateyears`.

    Returns
    -------
    polars.DataFrame
        One row per dyad and year (Int16 codes and years).

    Raises
    ------
    ParameterError
        For an unknown ``system``, a ``directed`` that is not a bool, malformed ``years`` or
        ``extend_to``, or a state list lacking a column.
    MissingImportError
        When ``states`` is not given and the catalog has not imported it.

    Warns
    -----
    PanelWarning
        When ``years`` reach past the frame's last year.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> ps.create_dyadyears(states=states, directed=False, years=2016).rows()
    [(2, 200, 2016), (2, 740, 2016), (200, 740, 2016)]
    >>> ps.create_dyadyears(states=states, years=2016).height  # directed: both orders
    6
    >>> ps.create_dyadyears(states=states, years=1950).height  # Japan from 28 April 1952
    2

    References
    ----------
    Correlates of War Project. 2017. State System Membership List, v2016.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    if not isinstance(directed, bool):
        raise ParameterError("directed", f"must be True or False, not {directed!r}")
    check_system(system)
    states = dataset(f"{system}_states", states, catalog)
    sp = spells(system, states, extend_to)
    iv = state_year_intervals(sp.lazy())
    sel = parse_years(years)
    warn_past_data(sel, sp, system, extend_to)
    if isinstance(sel, tuple):
        iv = iv.filter(pl.col("year").is_between(sel[0], sel[1]))
    elif sel is not None:
        iv = iv.filter(pl.col("year").is_in(sorted(sel)))
    iv = iv.collect().lazy()
    # the small queries of the set-up run together: one collect
    members, pairs = pl.collect_all(
        [iv.select("year", "code").unique().sort("year", "code"), _false_dyads(iv)]
    )
    false: dict[int, list[tuple[int, int]]] = {}
    for y, a, b in pairs.iter_rows():
        false.setdefault(int(y), []).append((int(a), int(b)))
    yrs = members["year"].to_numpy()
    codes = members["code"].to_numpy()
    bounds = np.flatnonzero(np.diff(yrs)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(yrs)]))
    cache: dict = {}
    c1s, c2s, ys = [], [], []
    last: tuple[bytes, np.ndarray, np.ndarray] | None = None
    for a, b in zip(starts, ends, strict=True):
        c = codes[a:b]
        sig = c.tobytes()
        if last is not None and last[0] == sig:  # same members as the year before
            c1, c2 = last[1], last[2]
        else:
            c1, c2 = _pairs_for_year(c, directed, cache)
            last = (sig, c1, c2)
        y = int(yrs[a])
        if y in false:
            bad = false[y]
            keep = np.ones(len(c1), dtype=bool)
            for x1, x2 in bad:
                keep &= ~(((c1 == x1) & (c2 == x2)) | ((c1 == x2) & (c2 == x1)))
            c1, c2 = c1[keep], c2[keep]
        c1s.append(c1)
        c2s.append(c2)
        ys.append(np.full(len(c1), y, dtype=np.int16))
    k1, k2 = ("ccode1", "ccode2") if system == "cow" else ("gwcode1", "gwcode2")
    if not c1s:
        return pl.DataFrame(schema={k1: pl.Int16, k2: pl.Int16, "year": pl.Int16})
    return pl.DataFrame(
        {
            k1: np.concatenate(c1s).astype(np.int16, copy=False),
            k2: np.concatenate(c2s).astype(np.int16, copy=False),
            "year": np.concatenate(ys),
        }
    )


def _false_dyads(iv: pl.LazyFrame) -> pl.LazyFrame:
    """Pairs of states both members in a year but never on the same day of it (year, code,
    code_b with code < code_b)."""
    full = iv.group_by("year", "code").agg(pl.col("full").any())
    partial = iv.join(full.filter(~pl.col("full")).select("year", "code"), on=["year", "code"])
    return (
        partial.join(partial, on="year", suffix="_b")
        .filter(pl.col("code") < pl.col("code_b"))
        .with_columns(
            (pl.max_horizontal("lo", "lo_b") <= pl.min_horizontal("hi", "hi_b")).alias("overlap")
        )
        .group_by("year", "code", "code_b")
        .agg(pl.col("overlap").any())
        .filter(~pl.col("overlap"))
        .select("year", "code", "code_b")
    )
