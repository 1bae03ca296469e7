"""State-year and dyad-year panels: peacesciencer's verbs in Python, on polars and numpy.

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears("cow", directed=True, extend_to=2025)
    >>> df = ps.add_atop_alliance(df); df = ps.add_nmc(df)
    >>> df = ps.add_majors(df); df = ps.add_contiguity(df); df = ps.add_ties(df)

Inputs come from the catalog (``alliancekit data import ...``) unless passed as frames (the
tables the importers return). pandas DataFrames are accepted wherever a frame is (converted
with ``polars.from_pandas``); results are polars frames (``.to_pandas()`` converts back). Every ``add_*`` step adds columns and never changes the rows
(checked). Codes and years are Int16, flags Int8.

Rules (and how they compare with peacesciencer 1.2.9, the reference):

Membership
    A state is a member in year Y if one of its spells covers at least one day of Y (as the
    reference). A dyad-year exists when both states are members on at least one common day of
    Y: two states whose spells touch the same year but never the same day (the Republic of
    Vietnam, gone 30 April 1975, and Suriname, in from 25 November 1975) form no dyad, which is
    what the reference's ``false_cow_dyads``/``false_gw_dyads`` tables remove. A state with two
    spells in one year gives one state-year.
Carry forward
    ``extend_to=YEAR`` extends every spell still open at the end of the state-system data (it
    ends in December of the data's last year: 2016 for COW, 2017 for G-W) to 31 December of
    YEAR, as the reference's ``mry=TRUE`` does up to the last complete year. It is never done
    by default. ``years`` reaching past the frame's last year (the data's, or ``extend_to``)
    gives a :class:`PanelWarning` (the CLI prints it): those years have no rows.
Directed and undirected
    Directed: every ordered pair (ccode1, ccode2). Undirected: ccode1 < ccode2. Directed is
    the default of both :func:`create_dyadyears` and ``alliancekit panel dyad-years``, as in
    the reference.
ATOP (``add_atop_alliance``)
    ATOP is directed. Directed frames take the row of (ccode1, ccode2, year). Undirected frames
    (no row has ccode1 > ccode2) take the obligation in either direction: a flag is 1 when
    either state owes it to the other (the reference's default ``ndir=TRUE``; its ``ndir=FALSE``
    would read only the ccode1 -> ccode2 row). ``atop_alliance`` is 1 for every dyad-year
    with a row in ATOP's dyad-year table, whatever its obligations (as the reference: 170 rows
    of ATOP 5.1's table have all five obligations 0 and are still alliances). No ATOP row
    within ATOP's years (1815-2018 in 5.1) is 0; outside them null.
NMC (``add_nmc``)
    The state's row of the year; missing values stay null; years without a row (after 2022 in
    NMC 6.0 as prepared for peacesciencer) are null. On dyad-years, ``milex1 ... cinc1`` and
    ``milex2 ... cinc2``; ``ratio=True`` adds ``cinc_ratio`` = cinc1 / (cinc1 + cinc2),
    ccode1's share of the dyad's capabilities (null when either is missing or both are 0; not
    in the reference).
Major powers (``add_majors``, also ``add_cow_majors``)
    ``cowmaj`` (``cowmaj1``, ``cowmaj2``) is 1 when a major-power spell covers at least one day
    of the year, 0 otherwise within the data's years (1816-2016). After them, ``mry=True`` (the
    default, the reference's): the states that are majors on the data's last day (spells
    ending 31 December 2016: USA, UK, France, Russia, China, Japan, Germany) are 1 and every
    other state 0, in every later year of the frame; ``mry=False``: null.
Contiguity (``add_contiguity``)
    ``conttype`` by the reference's month rule: each record of the (directed) contiguity table
    is a spell of months from its start to its end, both included. A dyad-year takes the
    relationship of the first month of the year on record (``slice="first"``, the default;
    ``slice="last"``: the last month); where two records cover that month, the one listed
    first in the file wins (``"last"``: the one listed last). Explicit ``conttype`` 0 records
    (peacesciencer's "no contiguity" spells, some overlapping other spells) count like any
    other: 255-271 has a 0 record (January 1816 to January 1871) listed before a land record
    (December 1849 to January 1870), so every year to 1871 is 0 (``"last"``: 1 in 1849-1869,
    where the land record covers December and comes later in the file). The row
    of (ccode1, ccode2) is read as the file gives it (COW's file lists both directions). 0
    where no record covers the year within the data's years (1816-2016 in 3.2); null outside
    them. ``mry=True`` repeats each dyad's value of the data's last year in later years
    (default False, as the reference).
Both systems (``add_ccode_to_gw``, ``add_gwcode_to_cow``)
    The COW steps merge on COW codes. A G-W frame gets them year by year first (the CLI and
    :func:`build_panel` do it for ``--system gw``): the same code where COW has it as a
    member that year, with the special cases of :data:`alliancekit.codes.OVERRIDES` (G-W 340
    Serbia = COW 345; G-W 260 = COW 260 to 1990, 255 from 1991; G-W 678 = COW 678 to 1990,
    679 from 1991); null where COW has no member (the COW columns are then null). The reverse
    gives COW frames G-W codes (COW 255 = G-W 260 from 1990, COW 345 = G-W 340 outside
    1918-2005, COW 679 = G-W 678). Undirected G-W frames stay undirected by their G-W codes.
Curated ties (``add_ties``)
    One column ``tie_<kind>`` per tie kind of the curated dataset: 1 when a tie of that kind
    between the two states is in force on at least one day of the year (``start`` <= 31 Dec
    and ``end`` after 1 Jan, ``end`` being the first day no longer in force). The ties are
    projected onto states by :func:`alliancekit.data.projection.state_pairs`, the rule of the
    graphs too: two states are ``tie_member`` = 1 when they are members of the same
    organisation on a common day of the year; a tie between a state and an organisation (e.g.
    Japan's NATO partnership) links the state to each member, on the days both hold; a tie
    between two organisations links each member of the one to each member of the other; ties
    with the UN Security Council are not alliances and are left out. Ties are symmetric.
    Actors without a code in the panel's system are not used. 0 means no tie in the curated
    data, which covers the security architecture around the United States, not the world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.ma  # noqa: F401 - polars imports it on the first numpy conversion; load it with us
import polars as pl

from alliancekit import covariates as _covariates
from alliancekit._frames import polars_frames
from alliancekit.covariates import (  # noqa: F401 - the covariate steps, exposed here too
    add_capital_distance,
    add_gml_mids,
    add_igos,
    add_minimum_distance,
    add_peace_years,
    add_spells,
    add_strategic_rivalries,
)
from alliancekit.schema import ParameterError, check_year

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

SYSTEMS = ("cow", "gw")
ATOP_FLAGS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
NMC_VARS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


# ---------------------------------------------------------------------------------------------
# Inputs


# The columns a step reads from a table given in Python (the catalog's tables have them).
_GIVEN_COLUMNS = {
    "nmc": ("ccode", "year", *NMC_VARS),
    "atop": ("ccode1", "ccode2", "year", *ATOP_FLAGS),
    "majors": ("ccode", "styear", "endyear"),
    "contiguity": ("ccode1", "ccode2", "conttype", "stdate", "enddate"),
}


def _check_given(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """A table given in Python instead of the catalog's: the columns the step reads, integer
    codes and years, and rows — else an error naming the parameter and what is wrong."""
    if not isinstance(df, pl.DataFrame):
        raise ParameterError(
            name, f"expected a polars or pandas DataFrame, not {type(df).__name__}"
        )
    need = _GIVEN_COLUMNS.get(name, ())
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ParameterError(
            name,
            f"the table lacks {', '.join(missing)}; import the publisher's file with "
            f"'alliancekit data import' (or read it with alliancekit.importers) to get them",
        )
    for c in ("ccode", "ccode1", "ccode2", "year"):
        if c in need and not df.schema[c].is_integer():
            raise ParameterError(name, f"column {c!r} must hold integers, not {df.schema[c]}")
    if df.height == 0:
        raise ParameterError(name, "the table has no rows")
    return df


def _dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return _check_given(name, given)
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def _check_system(system: str) -> str:
    if system not in SYSTEMS:
        raise ParameterError("system", f"unknown state system {system!r}; choose cow or gw")
    return system


def parse_years(years: Any) -> tuple[int, int] | set[int] | None:
    """``None``, ``"1816-2016"``, ``"1990"``, ``(first, last)``, ``range`` or any iterable of
    years; every year inside the span the data can cover (1800-2100)."""
    out = _parse_years(years)
    if out is not None:
        for y in out if isinstance(out, set) else set(out):
            check_year(y, "years")
    return out


def _parse_years(years: Any) -> tuple[int, int] | set[int] | None:
    if years is None:
        return None
    if isinstance(years, str):
        text = years.strip()
        try:
            if "-" in text[1:]:
                a, b = text.split("-", 1) if not text.startswith("-") else (text, "")
                first, last = int(a), int(b)
            else:
                first = last = int(text)
        except ValueError:
            raise ParameterError("years", f"not a year or a span YYYY-YYYY: {years!r}") from None
        if first > last:
            raise ParameterError("years", f"the span starts after it ends: {years!r}")
        return first, last
    if isinstance(years, range) and years.step == 1 and len(years):
        return years.start, years.stop - 1
    if isinstance(years, tuple) and len(years) == 2 and all(isinstance(y, int) for y in years):
        if years[0] > years[1]:
            raise ParameterError("years", f"the span starts after it ends: {years!r}")
        return years
    if isinstance(years, int):
        return years, years
    try:
        return {int(y) for y in years}
    except (TypeError, ValueError):
        raise ParameterError("years", f"not a set of years: {years!r}") from None


class PanelWarning(UserWarning):
    """A panel is not what its options may suggest (e.g. ``years`` past the data)."""


def _warn_past_data(sel, sp: pl.DataFrame, system: str, extend_to: int | None) -> None:
    """Warn when the years asked for reach past the frame's last year (the state data's,
    or ``extend_to``): those years have no rows."""
    if not sel or sp.is_empty():
        return
    wanted = sel[1] if isinstance(sel, tuple) else max(sel)
    last = sp["end"].max().year
    if wanted <= last:
        return
    import warnings

    if extend_to is None:
        why = (
            f"the {system.upper()} state data end in {last} and nothing carries the frame "
            f"forward: pass extend_to={wanted} (CLI: --extend-to {wanted}) to carry the "
            "states still members then forward"
        )
    else:
        why = f"the frame is carried forward only to {extend_to} (extend_to)"
    warnings.warn(
        f"years reach {wanted} but {why}; the panel has no rows after {last}",
        PanelWarning,
        stacklevel=3,
    )


def _filter_years(df: pl.DataFrame, years) -> pl.DataFrame:
    sel = parse_years(years)
    if sel is None:
        return df
    if isinstance(sel, tuple):
        return df.filter(pl.col("year").is_between(sel[0], sel[1]))
    return df.filter(pl.col("year").is_in(sorted(sel)))


# ---------------------------------------------------------------------------------------------
# Spells


def _spells(system: str, states: pl.DataFrame, extend_to: int | None) -> pl.DataFrame:
    """code, name, start, end (inclusive dates) of every membership spell."""
    if system == "cow":
        for c in ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"):
            if c not in states.columns:
                raise ParameterError("states", f"a COW state list needs column {c!r}")
        sp = states.select(
            pl.col("ccode").cast(pl.Int16).alias("code"),
            (pl.col("statenme") if "statenme" in states.columns else pl.lit(None, pl.String)).alias(
                "name"
            ),
            pl.date("styear", "stmonth", "stday").alias("start"),
            pl.date("endyear", "endmonth", "endday").alias("end"),
        )
    else:
        for c in ("gwcode", "startdate", "enddate"):
            if c not in states.columns:
                raise ParameterError("states", f"a G-W state list needs column {c!r}")
        sp = states.select(
            pl.col("gwcode").cast(pl.Int16).alias("code"),
            (
                pl.col("statename") if "statename" in states.columns else pl.lit(None, pl.String)
            ).alias("name"),
            pl.col("startdate").alias("start"),
            pl.col("enddate").alias("end"),
        )
    if extend_to is not None:
        extend_to = check_year(extend_to, "extend_to")
        last = sp["end"].max()
        if not isinstance(extend_to, int) or extend_to < last.year:
            raise ParameterError(
                "extend_to", f"must be a year not before the state data's last year {last.year}"
            )
        # As the reference: a spell ending in December of the data's last year is still open.
        open_ = (pl.col("end").dt.year() == last.year) & (pl.col("end").dt.month() == 12)
        sp = sp.with_columns(
            pl.when(open_)
            .then(pl.lit(dt.date(extend_to, 12, 31)))
            .otherwise(pl.col("end"))
            .alias("end")
        )
    return sp


def _state_year_intervals(sp: pl.LazyFrame) -> pl.LazyFrame:
    """One row per spell and year it touches: code, year, lo, hi (days since epoch, clipped
    to the year)."""
    sy = sp.select(
        "code",
        "start",
        "end",
        pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16).alias(
            "year"
        ),
    ).explode("year")
    jan1 = pl.date(pl.col("year"), 1, 1)
    dec31 = pl.date(pl.col("year"), 12, 31)
    return sy.select(
        "code",
        "year",
        pl.max_horizontal(pl.col("start"), jan1).cast(pl.Int32).alias("lo"),
        pl.min_horizontal(pl.col("end"), dec31).cast(pl.Int32).alias("hi"),
        (pl.col("start") <= jan1).and_(pl.col("end") >= dec31).alias("full"),
    )


# ---------------------------------------------------------------------------------------------
# create_*


@polars_frames("states")
def create_stateyears(
    system: str = "cow",
    years: Any = None,
    extend_to: int | None = None,
    *,
    states: pl.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """State-years of the COW (``ccode, statenme, year``) or G-W (``gwcode, statename,
    year``) system: a state is a member in a year if one of its spells covers a day of it.

    ``years``: keep only these (``"1816-2016"``, ``(1990, 2000)``, a range or a list).
    ``extend_to``: carry states still members at the end of the data forward to that year.
    """
    _check_system(system)
    states = _dataset(f"{system}_states", states, catalog)
    sp = _spells(system, states, extend_to)
    _warn_past_data(parse_years(years), sp, system, extend_to)
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
    return _filter_years(sy, years)


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
    """Dyad-years of the COW (``ccode1, ccode2, year``) or G-W (``gwcode1, gwcode2, year``)
    system: every ordered (``directed``) or unordered (code1 < code2) pair of states that are
    both members on at least one common day of the year. Sorted by year, code1, code2.
    """
    if not isinstance(directed, bool):
        raise ParameterError("directed", f"must be True or False, not {directed!r}")
    _check_system(system)
    states = _dataset(f"{system}_states", states, catalog)
    sp = _spells(system, states, extend_to)
    iv = _state_year_intervals(sp.lazy())
    sel = parse_years(years)
    _warn_past_data(sel, sp, system, extend_to)
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


# ---------------------------------------------------------------------------------------------
# Lookup machinery: dense tables indexed by (year, state) or (year, state, state)


class _Index:
    """Dense positions for codes and years, by lookup tables over the 16-bit key space.

    Codes map to 0..K-1 and any other code to K; years y0..y1 map to 0..Y-1 and any other
    year to Y. Tables built on these positions carry an extra code K (a code absent from the
    source: "no record") and an extra year slice Y (outside the source's years).
    """

    def __init__(self, codes: np.ndarray, y0: int, y1: int):
        present = np.zeros(1 << 16, dtype=bool)
        present[_u16(np.asarray(codes))] = True
        slots = np.flatnonzero(present)  # the distinct codes, as 16-bit patterns
        self.K = len(slots)
        self.k = self.K + 1
        self.y0, self.y1 = y0, y1
        self.Y = y1 - y0 + 1
        self.clut = np.full(1 << 16, self.K, dtype=np.int32)
        self.clut[slots] = np.arange(self.K, dtype=np.int32)
        self.ylut = np.full(1 << 16, self.Y, dtype=np.int32)
        yrs = np.arange(y0, y1 + 1, dtype=np.int16).view(np.uint16)
        self.ylut[yrs] = np.arange(self.Y, dtype=np.int32)

        # Scaled tables: a position is a sum of gathers, no multiplications per row.
        self._ys = self.ylut * self.k
        self._yd = self._ys * self.k
        self._cd = self.clut * self.k

    def code_pos(self, codes: np.ndarray) -> np.ndarray:
        return self.clut[_u16(codes)]

    def year_pos(self, years: np.ndarray) -> np.ndarray:
        return self.ylut[_u16(years)]

    def year_base(self, years: np.ndarray) -> np.ndarray:
        """The year's offset in a (year x code) table, to add :meth:`code_pos` to."""
        return self._ys[_u16(years)]

    def state_pos(self, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
        return self.year_base(years) + self.code_pos(codes)

    def dyad_pos(self, c1: np.ndarray, c2: np.ndarray, years: np.ndarray) -> np.ndarray:
        pos = self._yd[_u16(years)]
        pos += self._cd[_u16(c1)]
        pos += self.clut[_u16(c2)]
        return pos


def _u16(a: np.ndarray) -> np.ndarray:
    """Int16 keys viewed as uint16 (a free reinterpretation); wider ints that do not fit in
    16 bits become -1, which no table knows."""
    if a.dtype == np.int16:
        return a.view(np.uint16)
    a = np.asarray(a)
    a = np.where((a >= -(2**15)) & (a < 2**15), a, -1)
    return a.astype(np.int16).view(np.uint16)


def _keys(df: pl.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A key column as an integer numpy array (nulls as -1) and its null mask (or None)."""
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    s = df.get_column(name)
    if not s.dtype.is_integer():
        raise ParameterError("df", f"column {name!r} must hold integers, not {s.dtype}")
    if s.null_count():
        return s.fill_null(-1).to_numpy(), s.is_null().to_numpy()
    return s.to_numpy(), None


def _null_mask(*masks: np.ndarray | None) -> np.ndarray | None:
    out = None
    for m in masks:
        if m is not None:
            out = m if out is None else (out | m)
    return out


def _series(
    name: str,
    values: np.ndarray,
    dtype,
    sentinel: int | None = None,
    nulls: np.ndarray | None = None,
) -> pl.Series:
    """A polars Series from numpy values; ``sentinel`` cells and ``nulls`` rows become null."""
    s = pl.Series(name, values, dtype=dtype)
    bad = None
    if sentinel is not None:
        hit = values == sentinel
        if hit.any():
            bad = hit
    if nulls is not None:
        bad = nulls if bad is None else (bad | nulls)
    if bad is not None:
        s = pl.select(pl.when(pl.Series(~bad)).then(s)).to_series().alias(name)
    return s


def _kind(df: pl.DataFrame) -> str:
    cols = set(df.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        return "dyad"
    if {"ccode", "year"} <= cols:
        return "state"
    if {"gwcode1", "gwcode2"} <= cols or "gwcode" in cols:
        raise ParameterError(
            "df",
            "this step merges on COW codes (ccode, ccode1/ccode2); the frame has G-W codes: "
            "add them first with add_ccode_to_gw(df), or create it with system='cow'",
        )
    raise ParameterError(
        "df",
        "the frame needs ccode1, ccode2 and year (dyad-years) or ccode and year "
        "(state-years): create it with create_dyadyears() or create_stateyears()",
    )


def _is_directed(df: pl.DataFrame, a: str = "ccode1", b: str = "ccode2") -> bool:
    return bool((df.get_column(a) > df.get_column(b)).any())


def _assert_rows(before: pl.DataFrame, after: pl.DataFrame, step: str) -> pl.DataFrame:
    if after.height != before.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"{step} changed the row count: {before.height} -> {after.height}")
    return after


def _drop_existing(df: pl.DataFrame, cols: Iterable[str]) -> pl.DataFrame:
    """``df`` without the columns a step is about to add, saying so when it had them."""
    there = [c for c in cols if c in df.columns]
    if there:
        import warnings

        warnings.warn(
            f"the frame already has {', '.join(there)}: replaced by this step's values",
            PanelWarning,
            stacklevel=3,
        )
    return df.drop(there)


def _dyad_keys(df: pl.DataFrame, k1: str = "ccode1", k2: str = "ccode2"):
    c1, n1 = _keys(df, k1)
    c2, n2 = _keys(df, k2)
    y, ny = _keys(df, "year")
    return c1, c2, y, _null_mask(n1, n2, ny)


# ---------------------------------------------------------------------------------------------
# add_*
#
# Each step is split in two. ``_plan_<step>`` lays its source out as a dense table over an
# :class:`_Index` (numpy, small: years x codes, or years x codes x codes) and returns a
# :class:`_Plan` of polars expressions that gather every row's values from it. The rows'
# cells in the tables are computed once for all steps (``_cell_columns``: three lookup-table
# gathers on the keys' 16-bit patterns), as every step of one call shares one index, over the
# codes and years of all their sources. :func:`_query` makes the plans one lazy query: no
# add step does per-row work in numpy or Python, and polars evaluates the columns in
# parallel. ``build_panel`` applies all its steps together (``plan_panel`` hands the query
# over uncollected: the CLI streams it into the file); the public ``add_*`` functions apply
# their own plan alone, over their source's own index.

_STREAMING_ROWS = 200_000
_U = {"year": "__ak_uy", "ccode": "__ak_u", "ccode1": "__ak_u1", "ccode2": "__ak_u2"}
_CELL = {"": "__ak_s", "1": "__ak_s1", "2": "__ak_s2", "dyad": "__ak_d"}


class _Keys:
    """The frame's kind and key columns (checked: present and integer)."""

    def __init__(self, df: pl.DataFrame):
        self.kind = _kind(df)
        self.names = ["ccode1", "ccode2", "year"] if self.kind == "dyad" else ["ccode", "year"]
        self.dtypes = {}
        for name in self.names:
            _check_key(df, name)
            self.dtypes[name] = df.schema[name]
        self._df = df
        self._directed: bool | None = None

    def directed(self) -> bool:
        """Whether any row has ccode1 > ccode2 (else the frame is read as undirected); on a
        G-W frame with COW codes added, gwcode1 > gwcode2 (the frame's own order)."""
        if self._directed is None:
            if self.kind == "dyad" and {"gwcode1", "gwcode2"} <= set(self._df.columns):
                self._directed = _is_directed(self._df, "gwcode1", "gwcode2")
            else:
                self._directed = _is_directed(self._df)
        return self._directed

    def last_year(self) -> int | None:
        """The frame's last year (None when it has none)."""
        if not hasattr(self, "_last"):
            last = self._df.get_column("year").max()
            self._last = None if last is None else int(last)
        return self._last

    def sides(self) -> list[str]:
        """The suffix of each state of a row: "" (state-years) or "1" and "2"."""
        return [""] if self.kind == "state" else ["1", "2"]


def _check_key(df: pl.DataFrame, name: str) -> None:
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    dtype = df.schema[name]
    if not dtype.is_integer():
        raise ParameterError(
            "df",
            f"column {name!r} must hold integers, not {dtype} (a pandas column with missing "
            "values is float: give it pandas' nullable 'Int64' dtype)",
        )


def _u16_expr(name: str, dtype) -> pl.Expr:
    """A key column as the index of the 16-bit lookup tables (what :func:`_u16` does in
    numpy): values that do not fit in 16 bits as 65535 (a pattern no table knows); null
    stays null, so every gather with it is null. (Int16 keys need no conversion: a gather
    counts a negative index from the end of the 65536 entries, which is the key's 16-bit
    pattern.)"""
    c = pl.col(name)
    x = c.cast(pl.Int64, strict=False)
    return (
        pl.when(x.is_between(-(2**15), 2**15 - 1))
        .then(x & 0xFFFF)
        .when(c.is_not_null())
        .then(pl.lit(0xFFFF, pl.Int64))
    )


def _lut(values: np.ndarray) -> pl.Expr:
    return pl.lit(pl.Series(values))


def _cell_columns(keys: _Keys, index: _Index) -> list[list[pl.Expr]]:
    """Query stages giving every row its cells in tables over ``index``: ``__ak_s1`` and
    ``__ak_s2`` (or ``__ak_s``) in (year x code) tables, ``__ak_d`` in (year x code x code)
    cubes; null when a key is null."""
    col = {n: n if keys.dtypes[n] == pl.Int16 else _U[n] for n in keys.names}
    u16 = [_u16_expr(n, keys.dtypes[n]).alias(_U[n]) for n in keys.names if col[n] != n]
    code = {"": "ccode", "1": "ccode1", "2": "ccode2"}
    base = [_lut(index._ys).gather(pl.col(col["year"])).alias("__ak_yb")]
    base += [
        _lut(index.clut).gather(pl.col(col[code[s]])).alias("__ak_p" + s) for s in keys.sides()
    ]
    cells = [(pl.col("__ak_yb") + pl.col("__ak_p" + s)).alias(_CELL[s]) for s in keys.sides()]
    if keys.kind == "dyad":
        cells.append(
            ((pl.col("__ak_yb") + pl.col("__ak_p1")) * index.k + pl.col("__ak_p2")).alias(
                _CELL["dyad"]
            )
        )
    return [u16, base, cells]


class _Plan:
    """One add step as lazy query stages, run after the cells are known: ``stages[0]`` (raw
    lookups), then ``stages[1]`` (the output columns), then ``stages[2]`` (columns computed
    from outputs); a stage reads only columns of earlier ones. ``new``: the step's output
    columns, in order."""

    def __init__(self, new: list[str], *stages: list[pl.Expr]):
        self.new = list(new)
        self.stages = [list(s) for s in stages]


def _query(
    df: pl.DataFrame, keys: _Keys | None, index: _Index | None, plans: list[_Plan]
) -> pl.LazyFrame:
    """The lazy query that adds the ``plans``' columns (tables over ``index``) to ``df`` as
    the add steps one after the other would: a step's columns replace any of the same name
    and go last."""
    lf = df.lazy()
    if not plans:
        return lf
    order = list(df.columns)
    for p in plans:
        order = [c for c in order if c not in p.new] + p.new
    stages = _cell_columns(keys, index)
    for i in range(max(len(p.stages) for p in plans)):
        stages.append([e for p in plans if i < len(p.stages) for e in p.stages[i]])
    for stage in stages:
        if stage:
            lf = lf.with_columns(stage)
    return lf.select(order)


def _apply(
    df: pl.DataFrame, keys: _Keys | None, index: _Index | None, plans: list[_Plan], step: str
) -> pl.DataFrame:
    if not plans:
        return df
    replaced = [c for p in plans for c in p.new if c in df.columns]
    if replaced:
        import warnings

        warnings.warn(
            f"the frame already has {', '.join(replaced)}: replaced by {step}'s values",
            PanelWarning,
            stacklevel=4,
        )
    # The in-memory engine starts faster (small frames); the streaming engine, which runs
    # the query chunk by chunk on all cores, is faster on large ones (1.5x on 2 million rows).
    engine = "in-memory" if df.height < _STREAMING_ROWS else "streaming"
    out = _query(df, keys, index, plans).collect(engine=engine)
    return _assert_rows(df, out, step)


def _not_sentinel(values: pl.Expr, sentinel: int) -> pl.Expr:
    """``values``, null where they are the sentinel."""
    return pl.when(values != sentinel).then(values)


def _outside(index: _Index, y0: int, y1: int) -> list[slice]:
    """The year slices of tables over ``index`` that a source covering y0..y1 does not cover
    (the index's extra slice, for years outside the index, included)."""
    return [
        slice(0, index.year_pos(np.array([y0]))[0]),
        slice(index.year_pos(np.array([y1]))[0] + 1, index.Y + 1),
    ]


def _extent(step: str, data: pl.DataFrame) -> tuple[np.ndarray, int, int]:
    """The codes and the first and last year of a step's source."""
    if step == "atop":
        return (
            np.concatenate([data["ccode1"].to_numpy(), data["ccode2"].to_numpy()]),
            int(data["year"].min()),
            int(data["year"].max()),
        )
    if step == "nmc":
        return data["ccode"].to_numpy(), int(data["year"].min()), int(data["year"].max())
    if step == "majors":
        return (data["ccode"].to_numpy(), int(data["styear"].min()), int(data["endyear"].max()))
    return (
        np.concatenate([data["ccode1"].to_numpy(), data["ccode2"].to_numpy()]),
        int(data["stdate"].min().year),
        int(data["enddate"].max().year),
    )


_MAX_CARRY = 300  # years past its sources' an index reaches to carry values forward


def _index_for(sources: dict[str, pl.DataFrame], keys: _Keys | None = None) -> _Index:
    """One index over the codes and years of all ``sources`` (step -> table), reaching the
    frame's last year (``keys``) when it is later, so that a step can carry its last values
    forward (``mry``) year by year."""
    extents = [_extent(step, data) for step, data in sources.items()]
    y0, y1 = min(e[1] for e in extents), max(e[2] for e in extents)
    if keys is not None:
        last = keys.last_year()
        if last is not None and last > y1:
            y1 = min(last, y1 + _MAX_CARRY)
    return _Index(np.concatenate([e[0] for e in extents]), y0, y1)


def _plan_atop(keys: _Keys, atop: pl.DataFrame, index: _Index) -> _Plan:
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
    for outside in _outside(index, int(ay.min()), int(ay.max())):
        cube[outside] = 255  # outside ATOP's years: null
    raw = "__ak_atop"
    obligations = _lut(cube.reshape(-1)).gather(pl.col(_CELL["dyad"]))  # null key: null
    cell = _not_sentinel(obligations, 255).alias(raw)  # null outside ATOP's years
    flags = [(pl.col(raw) != 0).cast(pl.Int8).alias("atop_alliance")]
    flags += [
        ((pl.col(raw) & (1 << b)) != 0).cast(pl.Int8).alias(c) for b, c in enumerate(ATOP_FLAGS)
    ]
    return _Plan(["atop_alliance", *ATOP_FLAGS], [cell], flags)


def _add_one(
    df: pl.DataFrame, step: str, data: pl.DataFrame, name: str, **options: Any
) -> pl.DataFrame:
    keys = _Keys(df)
    index = _index_for({step: data}, keys)
    return _apply(df, keys, index, [_PLANNERS[step](keys, data, index, **options)], name)


@polars_frames("df", "atop")
def add_atop_alliance(
    df: pl.DataFrame, atop: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add ``atop_alliance`` and ATOP's five obligations to COW dyad-years (see the module
    notes for the undirected rule and the 0/null convention)."""
    if _kind(df) != "dyad":
        raise ParameterError("df", "add_atop_alliance() needs dyad-years (ccode1, ccode2, year)")
    atop = _dataset("atop", atop, catalog)
    return _add_one(df, "atop", atop, "add_atop_alliance")


def _state_table(
    data: pl.DataFrame, value_cols: list[str], index: _Index, code: str = "ccode"
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


def _plan_nmc(keys: _Keys, nmc: pl.DataFrame, index: _Index, ratio: bool = False) -> _Plan:
    table = _state_table(nmc, list(NMC_VARS), index)
    # the dense table's columns at the row's cell: null where the source has no value
    values = [
        pl.lit(table.get_column(v)).gather(pl.col(_CELL[s])).alias(v + s)
        for s in keys.sides()
        for v in NMC_VARS
    ]
    if keys.kind == "state":
        return _Plan(list(NMC_VARS), [], values)
    new = [v + s for s in ("1", "2") for v in NMC_VARS]
    if not ratio:
        return _Plan(new, [], values)
    total = pl.col("cinc1") + pl.col("cinc2")
    share = pl.when(total > 0).then(pl.col("cinc1") / total).alias("cinc_ratio")
    return _Plan([*new, "cinc_ratio"], [], values, [share])


@polars_frames("df", "nmc")
def add_nmc(
    df: pl.DataFrame,
    nmc: pl.DataFrame | None = None,
    *,
    ratio: bool = False,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add COW capabilities: ``milex ... cinc`` (state-years) or ``milex1 ... cinc1``,
    ``milex2 ... cinc2`` (dyad-years), as the reference. Missing stays null. ``ratio=True``
    adds ``cinc_ratio`` = cinc1 / (cinc1 + cinc2) to dyad-years (not in the reference)."""
    _kind(df)
    nmc = _dataset("nmc", nmc, catalog)
    return _add_one(df, "nmc", nmc, "add_nmc", ratio=ratio)


def _plan_majors(keys: _Keys, majors: pl.DataFrame, index: _Index, mry: bool = True) -> _Plan:
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
    for outside in _outside(index, y0, y1):
        table[outside] = -1  # outside the data's years: null
    if mry:  # the majors of the data's last day are majors in every later year of the index
        after = slice(int(index.year_pos(np.array([y1]))[0]) + 1, index.Y)
        table[after] = 0
        still = sp.filter(pl.col("end") == dt.date(y1, 12, 31))["code"].to_numpy()
        table[after, index.code_pos(still)] = 1
    cols = []
    for s in keys.sides():
        cols.append(
            _not_sentinel(_lut(table.reshape(-1)).gather(pl.col(_CELL[s])), -1).alias("cowmaj" + s)
        )
    return _Plan(["cowmaj" + s for s in keys.sides()], cols)


@polars_frames("df", "majors")
def add_majors(
    df: pl.DataFrame,
    majors: pl.DataFrame | None = None,
    *,
    mry: bool = True,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add COW major-power status: ``cowmaj`` (state-years) or ``cowmaj1``, ``cowmaj2``.

    1 when a major-power spell covers a day of the year, else 0, within the data's years.
    ``mry`` (the reference's default, True): after the data's last year, the states that are
    majors on its last day (31 December 2016) are 1 and all others 0, in every later year of
    the frame; ``mry=False``: null after the data's last year.
    """
    _kind(df)
    majors = _dataset("majors", majors, catalog)
    return _add_one(df, "majors", majors, "add_majors", mry=mry)


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


def _plan_contiguity(
    keys: _Keys, cont: pl.DataFrame, index: _Index, slice: str = "first", mry: bool = False
) -> _Plan:
    if slice not in CONTIGUITY_SLICES:
        raise ParameterError("slice", f"choose first or last, not {slice!r}")
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
    for outside in _outside(index, y0, y1):
        cube[outside] = 7  # outside the data's years: null
    if mry:  # later years of the index repeat the data's last year
        last = int(index.year_pos(np.array([y1]))[0])
        cube[last + 1 : index.Y] = cube[last]
    raw = "__ak_conttype"
    cell = _lut(cube.reshape(-1)).gather(pl.col(_CELL["dyad"])).alias(raw)
    r = pl.col(raw)
    conttype = (
        pl.when(r == 0)
        .then(pl.lit(0, pl.Int8))
        .when(r != 7)
        .then(r - pl.lit(1, pl.Int8))
        .alias("conttype")
    )
    return _Plan(["conttype"], [cell], [conttype])


@polars_frames("df", "contiguity")
def add_contiguity(
    df: pl.DataFrame,
    contiguity: pl.DataFrame | None = None,
    *,
    slice: str = "first",
    mry: bool = False,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Add ``conttype`` (COW direct contiguity, 0 = none) to dyad-years, by the reference's
    month rule: each record's spell runs month by month from its start to its end, both
    included; a dyad-year takes the relationship of the year's first month on record
    (``slice="first"``, the default; ``"last"``: the last month), the record listed first in
    the file winning where two cover that month (``"last"``: the one listed last). The row
    of (ccode1, ccode2) as the file gives it (COW's file lists both directions). 0 where no
    record covers the year, within the data's years (1816-2016); null outside. ``mry=True``
    carries each dyad's value of the data's last year to later years (default False, as the
    reference)."""
    if _kind(df) != "dyad":
        raise ParameterError("df", "add_contiguity() needs dyad-years (ccode1, ccode2, year)")
    cont = _dataset("contiguity", contiguity, catalog)
    return _add_one(df, "contiguity", cont, "add_contiguity", slice=slice, mry=mry)


# ---------------------------------------------------------------------------------------------
# Both systems: COW codes on G-W frames and G-W codes on COW frames


def _members_table(
    system: str, states: pl.DataFrame, last_year: int | None
) -> tuple[_Index, np.ndarray]:
    """Which codes of ``system`` are members in which years (a spell covers a day of the
    year): a boolean (year x code) table over an index of those codes, the spells still open
    at the data's end carried to ``last_year`` when it is later."""
    sp = _spells(system, states, None)
    data_last = sp["end"].max().year
    if last_year is not None and last_year > data_last:
        sp = _spells(system, states, last_year)
    years = sp.select(
        "code",
        pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16).alias(
            "year"
        ),
    ).explode("year")
    index = _Index(years["code"].to_numpy(), int(years["year"].min()), int(years["year"].max()))
    table = np.zeros((index.Y + 1, index.k), dtype=bool)
    table.reshape(-1)[index.state_pos(years["code"].to_numpy(), years["year"].to_numpy())] = True
    return index, table


def _translated_columns(
    df: pl.DataFrame, code_cols: list[str], origin: str, target: str, members
) -> list[pl.Series]:
    """The translated codes of the frame's code columns, through one (year x code) table of
    the answers (so the work is per distinct state-year, not per row)."""
    y, ny = _keys(df, "year")
    cols = [_keys(df, c) for c in code_cols]
    allcodes = np.unique(np.concatenate([c for c, _ in cols]))
    allcodes = allcodes[allcodes >= 0]
    if not len(allcodes) or not len(y):
        return [pl.Series(c, [None] * df.height, dtype=pl.Int16) for c in _target_names(code_cols)]
    y_valid = y[y >= 0] if ny is not None else y
    y0, y1 = int(y_valid.min()), int(y_valid.max())
    index = _Index(allcodes, y0, y1)
    grid_years = np.repeat(np.arange(y0, y1 + 1, dtype=np.int16), len(allcodes))
    grid_codes = np.tile(allcodes.astype(np.int16), y1 - y0 + 1)
    answers = _translate_grid(grid_codes, grid_years, origin, target, members)
    table = np.full((index.Y + 1) * index.k, -1, dtype=np.int16)
    table[index.state_pos(grid_codes, grid_years)] = answers
    out = []
    for name, (c, nc) in zip(_target_names(code_cols), cols, strict=True):
        values = table[index.state_pos(c, y)]
        out.append(_series(name, values, pl.Int16, sentinel=-1, nulls=_null_mask(nc, ny)))
    return out


def _translate_grid(
    codes: np.ndarray, years: np.ndarray, origin: str, target: str, members
) -> np.ndarray:
    """Each (code, year) of ``origin``'s system as the code of ``target``'s (-1: none): the
    special cases of :data:`alliancekit.codes.OVERRIDES` where they apply, else the same
    code; kept only when the target system has it as a member that year."""
    from alliancekit.codes import OVERRIDES

    index, table = members
    flat = table.reshape(-1)
    scheme = {"cow": "cown", "gw": "gwn"}
    out = np.where(flat[index.state_pos(codes, years)], codes, -1).astype(np.int16)
    rules = OVERRIDES.get((scheme[origin], scheme[target]), {})
    for code, spans in rules.items():
        sel = np.flatnonzero(codes == code)
        if not len(sel):
            continue
        done = np.zeros(len(sel), dtype=bool)
        for first, last, result in spans:
            ys = years[sel]
            cover = ~done
            if first is not None:
                cover &= ys >= first
            if last is not None:
                cover &= ys <= last
            if result is None or not cover.any():
                done |= cover
                continue
            ok = cover & flat[index.state_pos(np.full(len(sel), result, np.int16), ys)]
            out[sel[ok]] = result
            done |= ok
    return out


_CODE_NAMES = {"gwcode": "ccode", "gwcode1": "ccode1", "gwcode2": "ccode2"}
_CODE_NAMES.update({v: k for k, v in _CODE_NAMES.items()})


def _target_names(code_cols: list[str]) -> list[str]:
    return [_CODE_NAMES[c] for c in code_cols]


def _add_other_codes(
    df: pl.DataFrame,
    origin: str,
    states: pl.DataFrame | None,
    catalog: Catalog | None,
    verb: str,
) -> pl.DataFrame:
    target = "cow" if origin == "gw" else "gw"
    own, other = ("gwcode", "ccode") if origin == "gw" else ("ccode", "gwcode")
    cols = set(df.columns)
    if {other, other + "1", other + "2"} & cols:
        raise ParameterError("df", f"the frame already has {target.upper()} codes ({other}...)")
    if {own + "1", own + "2", "year"} <= cols:
        code_cols = [own + "1", own + "2"]
    elif {own, "year"} <= cols:
        code_cols = [own]
    else:
        raise ParameterError(
            "df",
            f"{verb}() needs {origin.upper()} state-years ({own}, year) or dyad-years "
            f"({own}1, {own}2, year): create them with system={origin!r}",
        )
    states = _dataset(f"{target}_states", states, catalog)
    last = df.get_column("year").max()
    members = _members_table(target, states, None if last is None else int(last))
    new = _translated_columns(df, code_cols, origin, target, members)
    out = _drop_existing(df, [s.name for s in new]).with_columns(new)
    return _assert_rows(df, out, verb)


@polars_frames("df", "cow_states")
def add_ccode_to_gw(
    df: pl.DataFrame, cow_states: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add COW codes (``ccode``, or ``ccode1``/``ccode2``) to G-W state-years or dyad-years,
    year by year, so that every COW step (ATOP, NMC, majors, contiguity) can follow; the
    G-W codes stay. A G-W state-year gets the same code where COW has it as a member that
    year (a spell covering a day of it; COW states still members in 2016 count as members
    after it), and the special cases where the systems differ (see
    :data:`alliancekit.codes.OVERRIDES`): G-W 340 (Serbia) is COW 345; G-W 260 (the FRG) is
    COW 260 to 1990 and 255 (Germany) from 1991; G-W 678 (Yemen) is COW 678 to 1990 and 679
    from 1991. Null where COW has no member: e.g. Great Colombia (99), Tibet (711), Annam
    (815), the Boer republics (563, 564), and G-W states in years outside COW's spells
    (Japan 1945-1951)."""
    return _add_other_codes(df, "gw", cow_states, catalog, "add_ccode_to_gw")


@polars_frames("df", "gw_states")
def add_gwcode_to_cow(
    df: pl.DataFrame, gw_states: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add G-W codes (``gwcode``, or ``gwcode1``/``gwcode2``) to COW state-years or
    dyad-years, the reverse of :func:`add_ccode_to_gw`: COW 255 is G-W 260 from 1990 (G-W
    keeps the FRG's code for unified Germany); COW 345 is G-W 345 (Yugoslavia) in 1918-2005
    and 340 (Serbia) otherwise; COW 679 (Yemen) is G-W 678. Null where G-W has no member
    (the microstates COW lists, e.g. 221 Monaco, 232 Andorra, and the Pacific states)."""
    return _add_other_codes(df, "cow", gw_states, catalog, "add_gwcode_to_cow")


# ---------------------------------------------------------------------------------------------
# Curated ties


def tie_pairs(data: Any = None, system: str = "cow") -> pl.DataFrame:
    """The curated ties as state pairs: code1 < code2, kind, lo, hi (first and last day in
    force, as Date; hi null = still in force), following the rules of :func:`add_ties`
    (:func:`alliancekit.data.projection.state_pairs`, the graphs' rule too)."""
    _check_system(system)
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
    """Add one 0/1 column ``tie_<kind>`` per curated tie kind (COW or G-W dyad-years); see
    the module notes for membership and organisation ties."""
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
    c1, c2, y, nulls = _dyad_keys(df, k1, k2)
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
        index = _Index(
            np.concatenate([years["code1"].to_numpy(), years["code2"].to_numpy()]),
            int(years["year"].min()),
            int(years["year"].max()),
        )
        pos = index.dyad_pos(c1, c2, y)
    for kind in TIE_KINDS:
        name = f"tie_{kind}"
        sub = years.filter(pl.col("kind") == kind)
        if index is None or sub.is_empty():
            new.append(_series(name, np.zeros(len(df), dtype=np.int8), pl.Int8, nulls=nulls))
            continue
        k = index.k
        cube = np.zeros((index.Y + 1, k, k), dtype=np.int8)
        yy = index.year_pos(sub["year"].to_numpy())
        a, b = index.code_pos(sub["code1"].to_numpy()), index.code_pos(sub["code2"].to_numpy())
        cube[yy, a, b] = 1
        cube[yy, b, a] = 1
        new.append(_series(name, cube.reshape(-1)[pos], pl.Int8, nulls=nulls))
    out = _drop_existing(df, [s.name for s in new]).with_columns(new)
    return _assert_rows(df, out, "add_ties")


# ---------------------------------------------------------------------------------------------
# A whole panel in one call (what the CLI runs)


def add_fpsim(df: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Alliance-portfolio similarity: :func:`alliancekit.fpsim.add_fpsim` (loaded on use)."""
    from alliancekit.fpsim import add_fpsim as run

    return run(df, *args, **kwargs)


STEPS = ("atop", "nmc", "majors", "contiguity", "ties", *_covariates.STEPS)
STATE_STEPS = ("nmc", "majors", *_covariates.STATE_STEPS)
_STEP_DATA = {"atop": "atop", "nmc": "nmc", "majors": "majors", "contiguity": "contiguity"}
_PLANNERS = {
    "atop": _plan_atop,
    "nmc": _plan_nmc,
    "majors": _plan_majors,
    "contiguity": _plan_contiguity,
}


STEP_OPTIONS = {"nmc": ("ratio",), "majors": ("mry",), "contiguity": ("slice", "mry")}
STEP_OPTIONS |= _covariates.STEP_OPTIONS


def _check_options(options: dict[str, dict[str, Any]], steps: list[str]) -> dict:
    for step, opts in options.items():
        allowed = STEP_OPTIONS.get(step, ())
        if step not in steps:
            raise ParameterError("options", f"options for {step!r}, a step not in add")
        for name in opts:
            if name not in allowed:
                raise ParameterError(
                    "options",
                    f"{step} has no option {name!r}"
                    + (f"; it has {', '.join(allowed)}" if allowed else ""),
                )
    return options


@polars_frames("tables")
def build_panel(
    kind: str = "dyad",
    system: str = "cow",
    *,
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    add: Iterable[str] = (),
    tables: dict[str, pl.DataFrame] | None = None,
    catalog: Catalog | None = None,
    ties_data: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
    output: str | Path | None = None,
) -> pl.DataFrame:
    """Create state-years (``kind="state"``) or dyad-years and add the ``add`` steps (atop,
    nmc, majors, contiguity, ties), the same as calling the verbs one after the other.

    ``output``: also write the panel there (.parquet, .csv, .feather, .dta, .rds; see
    :mod:`alliancekit.writers`) with its provenance record, as the CLI does: the inputs
    read from the catalog with their files and checksums, frames given in ``tables`` with
    their row counts and a checksum of their content.

    Columns come in the order of ``add``. ``tables`` maps
    dataset names (cow_states, gw_states, atop, nmc, majors, contiguity) to frames; missing
    ones are read from the catalog. ``options`` maps a step to the keyword options of its
    verb: ``{"majors": {"mry": False}, "contiguity": {"slice": "last", "mry": True},
    "nmc": {"ratio": True}}``. ``progress``, if given, is called with a description of
    each phase as it starts.

    Faster than the verbs one by one: the frame's keys are read once and the steps' columns
    are computed in one polars query (see the notes above ``_Keys``).
    """
    query, rows = plan_panel(
        kind,
        system,
        directed=directed,
        years=years,
        extend_to=extend_to,
        add=add,
        tables=tables,
        catalog=catalog,
        ties_data=ties_data,
        options=options,
        progress=progress,
    )
    out = query.collect(engine="in-memory" if rows < _STREAMING_ROWS else "streaming")
    if out.height != rows:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"build_panel changed the row count: {rows} -> {out.height}")
    if output is not None:
        _write_with_record(
            out, output, kind, system, directed, years, extend_to, add, tables, catalog, options
        )
    return out


def _write_with_record(
    out, output, kind, system, directed, years, extend_to, add, tables, catalog, options
) -> None:
    import hashlib

    from alliancekit import provenance
    from alliancekit.writers import check_suffix, write_table

    check_suffix(output, "output")
    steps = list(dict.fromkeys(add))
    cow_steps = [s for s in steps if s in _STEP_DATA or s in _covariates.STEPS]
    needed = [f"{system}_states"] + [_STEP_DATA[s] for s in steps if s in _STEP_DATA]
    needed += _covariates.datasets(steps, kind)
    if system == "gw" and cow_steps:
        needed.append("cow_states")
    given = dict(tables or {})
    imports = {}
    for name in needed:
        if name in given:
            frame = given[name]
            imports[name] = {
                "file": None,
                "sha256": hashlib.sha256(frame.serialize()).hexdigest(),
                "rows": frame.height,
                "version": None,
                "citation": None,
            }
    rest = [n for n in needed if n not in given]
    if rest:
        if catalog is None:
            from alliancekit.catalog import open_catalog

            catalog = open_catalog()
        imports.update(catalog.records(rest))
    record = provenance.panel_record(
        kind=kind,
        system=system,
        directed=directed if kind == "dyad" else None,
        years=years if years is None or isinstance(years, (str, int)) else str(years),
        extend_to=extend_to,
        steps=steps,
        options=options or {},
        imports=imports,
    )
    write_table(out, output, record)


@polars_frames("tables")
def plan_panel(
    kind: str = "dyad",
    system: str = "cow",
    *,
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    add: Iterable[str] = (),
    tables: dict[str, pl.DataFrame] | None = None,
    catalog: Catalog | None = None,
    ties_data: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[pl.LazyFrame, int]:
    """:func:`build_panel` as a lazy query, and the panel's number of rows. The frame is
    created and the inputs laid out; the per-row work is left to the query, so that
    ``query.sink_parquet(path)`` (what the CLI does) computes and writes the panel chunk by
    chunk on polars' threads, never holding all of it in memory.
    """
    if kind not in ("state", "dyad"):
        raise ParameterError("kind", "choose state or dyad")
    _check_system(system)
    steps = list(dict.fromkeys(add))
    for s in steps:
        if s not in STEPS or (kind == "state" and s not in STATE_STEPS):
            raise ParameterError("add", f"unknown or unsupported step {s!r} for {kind}-years")
    tables = dict(tables or {})
    options = _check_options(options or {}, steps)
    report = progress or (lambda _: None)

    cow_steps = [s for s in steps if s in _STEP_DATA or s in _covariates.STEPS]
    needed = [f"{system}_states"] + [_STEP_DATA[s] for s in steps if s in _STEP_DATA]
    needed += _covariates.datasets(steps, kind)
    if system == "gw" and cow_steps:
        needed.append("cow_states")  # to give the G-W frame COW codes
    missing = [name for name in needed if name not in tables]
    if missing:  # read from the catalog, all at once
        if catalog is None:
            from alliancekit.catalog import open_catalog

            catalog = open_catalog()
        tables.update(catalog.read_many(missing))
    states = tables[f"{system}_states"]
    report("building the frame")
    if kind == "dyad":
        base = create_dyadyears(system, directed, years, extend_to, states=states)
    else:
        base = create_stateyears(system, years, extend_to, states=states)
    if system == "gw" and cow_steps:
        report("adding COW codes")
        base = add_ccode_to_gw(base, tables["cow_states"])

    # Runs of steps other than ties are applied together: one index over their sources,
    # one query. Ties has its own routine.
    runs: list[list[str]] = []
    alone = ("ties", *_covariates.STEPS)  # steps that run on the frame, one by one
    for step in steps:
        if step in alone or not runs or runs[-1][0] in alone:
            runs.append([step])
        else:
            runs[-1].append(step)
    out = base
    query = base.lazy()
    for i, run in enumerate(runs):
        report("adding " + ", ".join(run))
        if run == ["ties"]:
            out = add_ties(out, ties_data)
            query = out.lazy()
            continue
        if run[0] in _covariates.STEPS:
            out = _covariates.apply(run[0], out, tables, **options.get(run[0], {}))
            query = out.lazy()
            continue
        keys = _Keys(out)
        sources = {step: tables[_STEP_DATA[step]] for step in run}
        index = _index_for(sources, keys)
        plans = [
            _PLANNERS[step](keys, data, index, **options.get(step, {}))
            for step, data in sources.items()
        ]
        query = _query(out, keys, index, plans)
        if i < len(runs) - 1:  # ties comes next and needs a frame
            out = _assert_rows(base, query.collect(), "build_panel")
    return query, base.height
