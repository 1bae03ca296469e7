"""The covariates of alliance and conflict studies, added to state-years and dyad-years:
disputes, peace years, IGOs, distances and rivalries, with peacesciencer's column names
(exposed from :mod:`alliancekit.panels` too).

With the reference tables imported into the catalog::

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears(directed=False, years=(1816, 2010))  # doctest: +SKIP
    >>> df = ps.add_gml_mids(df); df = ps.add_peace_years(df)  # doctest: +SKIP
    >>> df = ps.add_igos(df); df = ps.add_minimum_distance(df)  # doctest: +SKIP
    >>> df = ps.add_capital_distance(df); df = ps.add_strategic_rivalries(df)  # doctest: +SKIP

Every step adds columns and never changes the rows (checked); a column of the same name is
replaced. Inputs come from the catalog (``alliancekit data import gml-mids|igos|igos-states|
mindist|capitals|rivalries PATH``) unless passed as the frames the importers return. Codes are
COW codes (``ccode1``, ``ccode2`` or ``ccode``). Directed frames (some row has ccode1 > ccode2)
and non-directed ones (ccode1 < ccode2) are both accepted; a non-directed source (IGOs,
minimum distance) is read in either order.

The rules, each as peacesciencer 1.2.9 (Miller 2022) applies it unless said otherwise:

Disputes (``add_gml_mids``; Gibler, Miller and Little 2016, GML MID 2.2.1)
    ``gmlmidonset`` and ``gmlmidongoing`` of the dyad-year (ccode1, ccode2, year), read from the
    GML directed dispute-dyad-years. Where the dyad has several disputes in a year, one is kept
    by peacesciencer's ordering rule (its ``gml_mid_ddydisps``): first, when the year holds both
    onsets and continuations, only the onsets; then, in turn, the highest ``fatality`` (the
    unknown, -9, ranked between 0 and 1), the highest ``hostlev``, the highest ``mindur``, the
    highest ``maxdur``, reciprocated before unreciprocated (``recip``), the lowest start month
    (``stmon``); then the first in the file's order. A dyad-year without a dispute is 0 within
    the data's years (1816-2010) and null outside them. ``keep`` adds the kept dispute's other
    fields (``dispnum``, ``hostlev``, ...), null where there is none. State-years are not
    supported: the reference reads a participant-level table (``gml_part``) that GML's
    dyadic file does not give.
Peace years (``add_peace_years``, ``add_spells``; Beck, Katz and Tucker 1998)
    ``gmlmidspell``: for each row, the number of the unit's rows immediately before it (by
    year) whose event (``gmlmidongoing``) is 0, counted back to the unit's previous event year
    or its first row: 0 in an event year that follows an event year, and in a unit's first row.
    The unit is the ordered pair (ccode1, ccode2) or the state. As the reference
    (``stevemisc::ps_btscs`` with ``pad_ts = FALSE``): the count runs on the ongoing variable;
    rows whose event is missing get a missing spell and are skipped (they neither count nor
    break the count); gaps in a unit's years are not padded (the next row counts as the next
    year). Counts run over the frame's rows, so only a frame that holds whole dyad histories
    gives whole counts.
IGOs (``add_igos``; Pevehouse et al. 2020, COW IGO 3.0)
    Dyad-years: ``dyadigos``, the number of IGOs in which both states are full members, from
    the non-directed dyad-year table (either order). State-years: ``sum_igo_full``,
    ``sum_igo_associate``, ``sum_igo_observer``, ``sum_igo_anytype``. No zero-fill: a dyad-year
    (state-year) the source has no row for is null, also within its years (1816-2014).
Minimum distance (``add_minimum_distance``; Schvitz et al. 2022, CShapes 2.0)
    ``mindist``: km between the two states' territories, the table's value of the year (its
    distance on 1 January, peacesciencer's bundled table); null where the table has no row,
    hence outside 1886-2019. State-years: ``minmindist``, the smallest ``mindist`` of the state
    to any other state that year (null where it has none).
Capital distance (``add_capital_distance``; capitals of peacesciencer, 2020)
    ``capdist``: great-circle distance in km between the two states' capitals, on a sphere of
    radius 6,378,137 m (Vincenty's formula for the sphere, as ``geosphere::distVincentySphere``
    that the reference calls). A state's capital in year Y is the one in force on the first
    day of Y that any of its capital spells covers (France in 1941: Vichy, in force from 9 July
    1940; in 1940, Paris); where two spells begin on that same day, the one listed first. Null
    when either state has no capital that year.
Strategic rivalries (``add_strategic_rivalries``; Thompson, Sakuwa and Suhas 2021)
    ``tssr_id``, ``positional``, ``spatial``, ``ideological``, ``interventionary`` and
    ``ongoingrivalry`` (1 when the dyad is in a rivalry that year, in either order). Every
    rivalry covers each year from ``start`` to ``end``; from 1919 Austria-Hungary (300) reads
    as Austria (305), as the reference does; a blank type flag is 0. No rivalry: flags and
    ``ongoingrivalry`` 0 up to the data's last year (2020), ``tssr_id`` null. Deliberate
    differences: after 2020 all are null (the reference writes ``ongoingrivalry`` 1 there); and
    where one dyad-year is in two rivalries, the lower ``tssr_id`` is kept (the reference
    would repeat the row; the shipped table has no such case). State-years: ``n_positional``,
    ``n_spatial``, ``n_ideological``, ``n_interventionary``, the number of the state's rivalries
    of each type that year (0 up to 2020).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

STEPS = ("gml_mids", "peace_years", "igos", "mindist", "capdist", "rivalries", "fpsim")
STATE_STEPS = ("igos", "mindist", "rivalries")
STEP_OPTIONS = {
    "gml_mids": ("keep",),
    "fpsim": ("source", "valuation", "metric", "measures"),
}
EARTH_RADIUS_M = 6_378_137.0
RIVALRY_TYPES = ("positional", "spatial", "ideological", "interventionary")
GML_ORDER = (  # the reference's order of choice among a dyad-year's disputes
    ("fatality", "max"),
    ("hostlev", "max"),
    ("mindur", "max"),
    ("maxdur", "max"),
    ("recip", "max"),
    ("stmon", "min"),
)


# ---------------------------------------------------------------------------------------------
# Frames, inputs and lookups


def _dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return given
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def _kind(df: pl.DataFrame, step: str) -> str:
    cols = set(df.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        return "dyad"
    if {"ccode", "year"} <= cols:
        return "state"
    raise ParameterError(
        "df",
        f"{step}() merges on COW codes: the frame needs ccode1, ccode2 and year (dyad-years) "
        "or ccode and year (state-years); create it with system='cow'",
    )


def _u16(df: pl.DataFrame, name: str) -> np.ndarray:
    """A key column as the 16-bit index of the lookup tables: Int16 values viewed as uint16
    (no copy); values that do not fit in 16 bits and nulls as 65535 (-1), which no source
    holds (codes are 1-999, years 1400-2100)."""
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    s = df.get_column(name)
    if not s.dtype.is_integer():
        raise ParameterError("df", f"column {name!r} must hold integers, not {s.dtype}")
    if s.dtype != pl.Int16 or s.null_count():
        s = pl.select(
            pl.when(s.cast(pl.Int64).is_between(-(2**15), 2**15 - 1))
            .then(s.cast(pl.Int64))
            .otherwise(-1)
            .fill_null(-1)
            .cast(pl.Int16)
        ).to_series()
    return s.to_numpy().view(np.uint16)


def _years(u16: np.ndarray) -> np.ndarray:
    return u16.view(np.int16)


def _finish(df: pl.DataFrame, new: list[pl.Series], step: str) -> pl.DataFrame:
    names = [s.name for s in new]
    out = df.drop([c for c in names if c in df.columns]).with_columns(new)
    if out.height != df.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"{step} changed the row count: {df.height} -> {out.height}")
    return out


class _Index:
    """Dense positions over a source's codes and years, by lookup tables on the keys' 16-bit
    patterns: codes to 0..K-1 (any other value K), years y0..y1 to 0..Y-1 (any other Y).
    Tables over it hold (Y + 1) x (K + 1) cells (state-years) or (Y + 1) x (K + 1)^2
    (dyad-years): a row's cell is a sum of gathers, no search and no sort."""

    def __init__(self, codes: list[np.ndarray], years: np.ndarray):
        present = np.zeros(1 << 16, dtype=bool)
        for c in codes:
            present[c] = True
        present[0xFFFF] = False  # null / out of range
        slots = np.flatnonzero(present)
        self.K = len(slots)
        self.k = k = self.K + 1
        clut = np.full(1 << 16, self.K, dtype=np.int32)
        clut[slots] = np.arange(self.K, dtype=np.int32)
        yv = _years(years)
        self.y0, self.y1 = (int(yv.min()), int(yv.max())) if len(yv) else (0, -1)
        self.Y = self.y1 - self.y0 + 1
        ylut = np.full(1 << 16, self.Y, dtype=np.int32)
        ylut[np.arange(self.y0, self.y1 + 1, dtype=np.int16).view(np.uint16)] = np.arange(
            self.Y, dtype=np.int32
        )
        self.clut = clut
        self.cd = clut * k
        self.ys = ylut * k
        self.yd = ylut * (k * k)

    def dyad(self, c1: np.ndarray, c2: np.ndarray, y: np.ndarray) -> np.ndarray:
        pos = self.yd[y]
        pos += self.cd[c1]
        pos += self.clut[c2]
        return pos

    def state(self, c: np.ndarray, y: np.ndarray) -> np.ndarray:
        pos = self.ys[y]
        pos += self.clut[c]
        return pos


def _dyad_rows(
    keys: tuple[np.ndarray, np.ndarray, np.ndarray],
    src: tuple[np.ndarray, np.ndarray, np.ndarray],
    symmetric: bool = False,
) -> np.ndarray:
    """For each frame row (c1, c2, year) of ``keys``, the row of the source ``src`` with the
    same keys (keys unique in the source), -1 if none. ``symmetric``: the source lists each
    pair once, in either order, and is read in both. One int32 table of row numbers over
    the source's codes and years (a few tens of MB, freed on return)."""
    s1, s2, sy = src
    if len(sy) == 0:
        return np.full(len(keys[0]), -1, dtype=np.int32)
    ix = _Index([s1, s2], sy)
    c1, c2, y = keys
    ordered = symmetric and bool((s1 < s2).all())  # smaller code first, as importers store it
    if ordered:
        c1, c2 = np.minimum(c1, c2), np.maximum(c1, c2)  # (a null, 65535, stays unknown)
    if (ix.Y + 1) * ix.k * ix.k > _MAX_TABLE:
        return _sorted_rows((c1, c2, y), src, symmetric and not ordered)
    table = np.full((ix.Y + 1) * ix.k * ix.k, -1, dtype=np.int32)
    rows = np.arange(len(sy), dtype=np.int32)
    table[ix.dyad(s1, s2, sy)] = rows
    if symmetric and not ordered:
        table[ix.dyad(s2, s1, sy)] = rows
    return table[ix.dyad(c1, c2, y)]


_MAX_TABLE = 64_000_000  # cells (256 MB of int32): beyond, a source is searched instead


def _sorted_rows(keys, src, both: bool) -> np.ndarray:
    """:func:`_dyad_rows` by binary search on the sorted source keys, for sources whose
    dense table would be too large (thousands of distinct codes)."""

    def pack(a, b, y):
        return (y.astype(np.int64) << 32) | (a.astype(np.int64) << 16) | b.astype(np.int64)

    s1, s2, sy = src
    skeys = [pack(s1, s2, sy)] + ([pack(s2, s1, sy)] if both else [])
    srows = [np.arange(len(sy))] * len(skeys)
    sk, sr = np.concatenate(skeys), np.concatenate(srows)
    order = np.argsort(sk, kind="stable")
    sk, sr = sk[order], sr[order]
    fk = pack(*keys)
    at = np.minimum(np.searchsorted(sk, fk), len(sk) - 1)
    return np.where(sk[at] == fk, sr[at], -1).astype(np.int32)


def _state_rows(
    keys: tuple[np.ndarray, np.ndarray], src: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """For each frame row (code, year), the source row with the same keys, -1 if none."""
    sc, sy = src
    if len(sy) == 0:
        return np.full(len(keys[0]), -1, dtype=np.int32)
    ix = _Index([sc], sy)
    table = np.full((ix.Y + 1) * ix.k, -1, dtype=np.int32)
    table[ix.state(sc, sy)] = np.arange(len(sy), dtype=np.int32)
    return table[ix.state(*keys)]


def _dyad_keys(df: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _u16(df, "ccode1"), _u16(df, "ccode2"), _u16(df, "year")


def _state_keys(df: pl.DataFrame, code: str = "ccode") -> tuple[np.ndarray, np.ndarray]:
    return _u16(df, code), _u16(df, "year")


def _take(
    values: pl.Series,
    rows: np.ndarray,
    fill: Any = None,
    where: np.ndarray | None = None,
    name: str | None = None,
) -> pl.Series:
    """``values`` at the source ``rows`` (-1: none); a row with none is null, or ``fill``
    where ``where`` holds (everywhere when ``where`` is None). One gather: the fill and the
    null are appended to the values, in numpy where a sentinel can stand for null."""
    n = len(values)
    name = name or values.name
    if fill is None:
        idx = np.where(rows >= 0, rows, n + 1)
    elif where is None:
        idx = np.where(rows >= 0, rows, n)
    else:
        idx = np.where(rows >= 0, rows, np.where(where, n, n + 1))
    dtype = values.dtype
    if not values.null_count() and (dtype.is_float() or dtype.is_integer()):
        arr = values.to_numpy()
        if dtype.is_float():
            ext = np.append(arr, [np.nan if fill is None else fill, np.nan])
            return pl.Series(name, ext[idx], dtype=dtype, nan_to_null=True)
        low = np.iinfo(arr.dtype).min
        if not n or arr.min() > low:
            ext = np.append(arr, [low if fill is None else fill, low]).astype(arr.dtype)
            out = pl.Series(name, ext[idx], dtype=dtype)
            return pl.select(pl.when(out != low).then(out)).to_series().alias(name)
    ext = values.extend_constant(fill, 1).extend_constant(None, 1)
    return ext.gather(pl.Series(idx.astype(np.uint32))).alias(name)


def _within(y: np.ndarray, y0: int, y1: int) -> np.ndarray:
    yv = _years(y)
    return (yv >= y0) & (yv <= y1)


# ---------------------------------------------------------------------------------------------
# Disputes


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
    if _kind(df, "add_gml_mids") != "dyad":
        raise ParameterError(
            "df",
            "add_gml_mids() needs dyad-years: state-level GML disputes need the participant "
            "table (gml_part) that the dyadic file does not give",
        )
    gml = _dataset("gml_mids", gml, catalog)
    keep = [c for c in dict.fromkeys(keep) if c not in ("gmlmidonset", "gmlmidongoing")]
    for c in keep:
        if c not in gml.columns or c in ("ccode1", "ccode2", "year"):
            raise ParameterError("keep", f"the GML dispute table has no field {c!r} to keep")
    one = whittle_gml(gml)
    rows = _dyad_rows(_dyad_keys(df), _dyad_keys(one))
    inside = _within(_u16(df, "year"), int(gml["year"].min()), int(gml["year"].max()))
    new = [
        _take(one.get_column(src).cast(pl.Int8), rows, 0, inside, name)
        for src, name in (("midonset", "gmlmidonset"), ("midongoing", "gmlmidongoing"))
    ]
    new += [_take(one.get_column(c), rows) for c in keep]
    return _finish(df, new, "add_gml_mids")


# ---------------------------------------------------------------------------------------------
# Peace years


def spell_counts(unit: np.ndarray, year: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Peace-year counts (see the module notes): ``unit`` (non-negative integer ids), ``year``
    and ``event`` (float: nan = missing, 0 = none, other = event) per row, one row per unit
    and year; returns int32 counts, -1 where the event is missing.

    A row's count is the number of its unit's rows with a known event right before it that
    are 0, back to the unit's last event or first row."""
    n = len(unit)
    out = np.full(n, -1, dtype=np.int32)
    if not n:
        return out
    unit = np.asarray(unit)
    yv = np.asarray(year)
    if n < 2 or bool((np.diff(yv) >= 0).all()):
        # Rows by year (as create_dyadyears gives them): one pass over the years with a
        # counter per unit, no sort.
        counter = np.zeros(int(unit.max()) + 1, dtype=np.int32)
        cuts = np.flatnonzero(np.diff(yv)) + 1
        for s, e in zip(np.r_[0, cuts], np.r_[cuts, n], strict=True):
            u, x = unit[s:e], event[s:e]
            known = ~np.isnan(x)
            if known.all():
                rows: Any = slice(s, e)
            else:
                rows = s + np.flatnonzero(known)
                u, x = u[known], x[known]
            c = counter[u]
            out[rows] = c
            c += 1
            c[x != 0] = 0
            counter[u] = c
        return out
    valid = ~np.isnan(event)
    idx = np.flatnonzero(valid)
    if not len(idx):
        return out
    u, yk, x = unit[idx], yv[idx], event[idx] != 0
    order = np.lexsort((yk, u))
    us, xs = u[order], x[order]
    ar = np.arange(len(us))
    first = np.ones(len(us), dtype=bool)
    first[1:] = us[1:] != us[:-1]
    start = np.maximum.accumulate(np.where(first, ar, 0))
    last_event = np.maximum.accumulate(np.where(xs, ar, -1))
    before = np.concatenate(([-1], last_event[:-1]))  # last event strictly before the row
    out[idx[order]] = ar - np.maximum(before, start - 1) - 1
    return out


def _unit_ids(df: pl.DataFrame, kind: str) -> np.ndarray:
    if kind == "state":
        return _u16(df, "ccode")
    c1, c2 = _u16(df, "ccode1"), _u16(df, "ccode2")
    ix = _Index([c1, c2], _u16(df, "year")[:1])
    ids = ix.cd[c1] + ix.clut[c2]
    return ids.astype(np.uint16) if ix.k * ix.k <= 1 << 16 else ids


def add_spells(
    df: pl.DataFrame, event: str = "gmlmidongoing", name: str | None = None
) -> pl.DataFrame:
    """Add the peace-year count of a 0/1 event column.

    Per ordered dyad (dyad-years) or state (state-years): the number of the unit's rows
    immediately before each row whose event is 0, counted back to the previous event or the
    unit's first row; missing events get a missing count and are skipped; gaps in a unit's
    years are not padded (see the module notes).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years or state-years with the event column.
    event : str
        The 0/1 column to count spells of.
    name : str, optional
        The new column (default: ``event`` with ``ongoing``/``onset`` replaced by ``spell``).

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int16 (or Int32) count added; rows unchanged.

    Raises
    ------
    ParameterError
        When ``event`` is not a column, or not numeric or boolean.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode": [2] * 5, "year": [1990, 1991, 1992, 1993, 1994],
    ...     "warongoing": [0, 1, 0, 0, None]})
    >>> ps.add_spells(df, "warongoing")["warspell"].to_list()
    [0, 1, 0, 1, None]

    References
    ----------
    Beck, Nathaniel, Jonathan N. Katz and Richard Tucker. 1998. Taking Time Seriously:
    Time-Series-Cross-Section Analysis with a Binary Dependent Variable. American Journal of
    Political Science 42(4): 1260-1288.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    kind = _kind(df, "add_spells")
    if event not in df.columns:
        raise ParameterError("event", f"the frame has no column {event!r} to count spells of")
    if name is None:
        name = event.replace("ongoing", "spell").replace("onset", "spell")
        if name == event:
            name = event + "_spell"
    ev = df.get_column(event)
    if not (ev.dtype.is_numeric() or ev.dtype == pl.Boolean):
        raise ParameterError("event", f"column {event!r} must be 0/1, not {ev.dtype}")
    values = ev.cast(pl.Float64).fill_null(float("nan")).to_numpy()
    counts = spell_counts(_unit_ids(df, kind), _years(_u16(df, "year")), values)
    s = pl.Series(name, counts, dtype=pl.Int32)
    s = pl.select(pl.when(s >= 0).then(s)).to_series().alias(name)
    big = int(counts.max()) if len(counts) else 0
    return _finish(df, [s.cast(pl.Int16 if big < 2**15 else pl.Int32)], "add_spells")


def add_peace_years(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``gmlmidspell``, the peace years of ``gmlmidongoing``.

    Counted as peacesciencer's ``add_peace_years()`` does (:func:`add_spells` on
    ``gmlmidongoing``); run :func:`add_gml_mids` first.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years with ``gmlmidongoing``.

    Returns
    -------
    polars.DataFrame
        ``df`` with ``gmlmidspell`` added; rows unchanged.

    Raises
    ------
    ParameterError
        When ``df`` has no ``gmlmidongoing``.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2] * 4, "ccode2": [365] * 4,
    ...     "year": [1990, 1991, 1992, 1993], "gmlmidongoing": [0, 1, 0, 0]})
    >>> ps.add_peace_years(df)["gmlmidspell"].to_list()
    [0, 1, 0, 1]

    References
    ----------
    Beck, Nathaniel, Jonathan N. Katz and Richard Tucker. 1998. Taking Time Seriously.
    American Journal of Political Science 42(4): 1260-1288.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    _kind(df, "add_peace_years")
    if "gmlmidongoing" not in df.columns:
        raise ParameterError(
            "df", "add_peace_years() counts years since a dispute: run add_gml_mids() first"
        )
    return add_spells(df, "gmlmidongoing", "gmlmidspell")


# ---------------------------------------------------------------------------------------------
# IGOs


def add_igos(
    df: pl.DataFrame, igos: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add COW IGO 3.0 counts: ``dyadigos`` (dyad-years) or the state-year sums.

    ``dyadigos``: the IGOs both states are full members of (the non-directed table, either
    order); state-years: ``sum_igo_full``, ``sum_igo_associate``, ``sum_igo_observer``,
    ``sum_igo_anytype``. Null where the source has no row (no zero-fill).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years or state-years.
    igos : polars.DataFrame or pandas.DataFrame, optional
        The IGO dyad-years (``igos``) or state-years (``igos_states``); default: the
        catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the count column(s) added; rows unchanged.

    Raises
    ------
    ParameterError
        When the table is not the one the frame needs.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2, 2], "ccode2": [365, 365, 365, 365],
    ...     "year": [1990, 1991, 1992, 2015]})
    >>> igos = pl.DataFrame({"ccode1": [2, 2], "ccode2": [365, 365], "year": [1990, 1991],
    ...     "dyadigos": [40, 42]})
    >>> ps.add_igos(df, igos)["dyadigos"].to_list()
    [40, 42, None, None]

    References
    ----------
    Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison.
    2020. Tracking Organizations in the World: The Correlates of War IGO Version 3.0
    Datasets. Journal of Peace Research 57(3): 492-503.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    kind = _kind(df, "add_igos")
    if kind == "dyad":
        igos = _dataset("igos", igos, catalog)
        if "dyadigos" not in igos.columns:
            raise ParameterError("igos", "dyad-years need the IGO dyad-year table (dyadigos)")
        rows = _dyad_rows(_dyad_keys(df), _dyad_keys(igos), symmetric=True)
        new = [_take(igos.get_column("dyadigos"), rows)]
    else:
        from alliancekit.importers.igos import STATE_SUMS

        igos = _dataset("igos_states", igos, catalog)
        for c in STATE_SUMS:
            if c not in igos.columns:
                raise ParameterError("igos", f"state-years need the IGO state-year table ({c})")
        rows = _state_rows(_state_keys(df), _state_keys(igos))
        new = [_take(igos.get_column(c), rows) for c in STATE_SUMS]
    return _finish(df, new, "add_igos")


# ---------------------------------------------------------------------------------------------
# Distances


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
    kind = _kind(df, "add_minimum_distance")
    md = _dataset("mindist", mindist, catalog)
    if kind == "dyad":
        rows = _dyad_rows(_dyad_keys(df), _dyad_keys(md), symmetric=True)
        new = [_take(md.get_column("mindist"), rows)]
    else:
        both = pl.concat(
            [
                md.select(pl.col("ccode1").alias("ccode"), "year", "mindist"),
                md.select(pl.col("ccode2").alias("ccode"), "year", "mindist"),
            ]
        )
        per = both.group_by("ccode", "year").agg(pl.col("mindist").min().alias("minmindist"))
        rows = _state_rows(_state_keys(df), _state_keys(per))
        new = [_take(per.get_column("minmindist"), rows)]
    return _finish(df, new, "add_minimum_distance")


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
    if _kind(df, "add_capital_distance") != "dyad":
        raise ParameterError(
            "df",
            "add_capital_distance() needs dyad-years (the reference's state-year minimum "
            "needs every dyad of the state system: build dyad-years and take the minimum)",
        )
    caps = _dataset("capitals", capitals, catalog)
    cy = capital_years(caps)
    # The distance between every two capital spells (a few hundred squared), plus a last
    # "no capital" spell at nan: each row then gathers its distance, no trigonometry per row.
    n = caps.height
    lat = np.append(caps["lat"].cast(pl.Float64).fill_null(np.nan).to_numpy(), np.nan)
    lng = np.append(caps["lng"].cast(pl.Float64).fill_null(np.nan).to_numpy(), np.nan)
    dist = sphere_distance_km(lat[:, None], lng[:, None], lat[None, :], lng[None, :]).ravel()
    spell = np.append(cy["spell"].to_numpy(), n).astype(np.int32)  # row -1: no capital
    src = _state_keys(cy)
    y = _u16(df, "year")
    s1 = spell[_state_rows((_u16(df, "ccode1"), y), src)]
    s2 = spell[_state_rows((_u16(df, "ccode2"), y), src)]
    s1 *= n + 1
    s1 += s2
    s = pl.Series("capdist", dist[s1], dtype=pl.Float64, nan_to_null=True)
    return _finish(df, [s], "add_capital_distance")


# ---------------------------------------------------------------------------------------------
# Rivalries


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
    kind = _kind(df, "add_strategic_rivalries")
    riv = _dataset("rivalries", rivalries, catalog)
    ry = rivalry_years(riv)
    last = int(riv["end"].max())
    y = _u16(df, "year")
    upto = _years(y) <= last
    if kind == "state":
        per = ry.group_by("ccode1", "year").agg(
            pl.col(c).sum().cast(pl.Int16).alias("n_" + c) for c in RIVALRY_TYPES
        )
        rows = _state_rows(_state_keys(df), _state_keys(per, "ccode1"))
        new = [_take(per.get_column("n_" + c), rows, 0, upto) for c in RIVALRY_TYPES]
        return _finish(df, new, "add_strategic_rivalries")
    one = ry.unique(["ccode1", "ccode2", "year"], keep="first", maintain_order=True)
    rows = _dyad_rows(_dyad_keys(df), _dyad_keys(one))
    new = [_take(one.get_column("tssr_id"), rows)]
    new += [_take(one.get_column(c), rows, 0, upto) for c in RIVALRY_TYPES]
    flag = pl.Series("ongoingrivalry", [0, 1, None], dtype=pl.Int8)
    state = np.where(rows >= 0, 1, np.where(upto, 0, 2)).astype(np.uint32)
    new.append(flag.gather(pl.Series(state)))
    return _finish(df, new, "add_strategic_rivalries")


# ---------------------------------------------------------------------------------------------
# The hook of build_panel


def datasets(
    steps: Iterable[str], kind: str, options: dict[str, dict[str, Any]] | None = None
) -> list[str]:
    """The catalog datasets the covariate ``steps`` read (``fpsim``: those of its
    ``options``, see :func:`alliancekit.fpsim.datasets`)."""
    need = {
        "gml_mids": ["gml_mids"],
        "igos": ["igos" if kind == "dyad" else "igos_states"],
        "mindist": ["mindist"],
        "capdist": ["capitals"],
        "rivalries": ["rivalries"],
    }
    out = []
    for s in steps:
        if s == "fpsim":
            from alliancekit.fpsim import datasets as fpsim_datasets

            out += fpsim_datasets((options or {}).get("fpsim"))
        else:
            out += need.get(s, [])
    return out


def apply(
    step: str, df: pl.DataFrame, tables: dict[str, pl.DataFrame], **options: Any
) -> pl.DataFrame:
    """Run the covariate ``step`` on ``df`` with the datasets in ``tables`` and the step's
    ``options`` (:data:`STEP_OPTIONS`)."""
    kind = "dyad" if "ccode1" in df.columns else "state"
    if step == "peace_years":
        return add_peace_years(df)
    if step == "fpsim":
        from alliancekit import fpsim

        return fpsim.apply(df, tables, **options)
    data: Any = tables[datasets([step], kind)[0]]
    fn = {
        "gml_mids": add_gml_mids,
        "igos": add_igos,
        "mindist": add_minimum_distance,
        "capdist": add_capital_distance,
        "rivalries": add_strategic_rivalries,
    }[step]
    return fn(df, data, **options)
