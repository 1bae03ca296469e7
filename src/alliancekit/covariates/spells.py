"""Peace years: the spell counts of an event column (``add_spells``, ``add_peace_years``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit.covariates._engine import Index, as_years, finish, frame_kind, u16
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    pass


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
        return u16(df, "ccode")
    c1, c2 = u16(df, "ccode1"), u16(df, "ccode2")
    ix = Index([c1, c2], u16(df, "year")[:1])
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
    kind = frame_kind(df, "add_spells")
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
    counts = spell_counts(_unit_ids(df, kind), as_years(u16(df, "year")), values)
    s = pl.Series(name, counts, dtype=pl.Int32)
    s = pl.select(pl.when(s >= 0).then(s)).to_series().alias(name)
    big = int(counts.max()) if len(counts) else 0
    return finish(df, [s.cast(pl.Int16 if big < 2**15 else pl.Int32)], "add_spells")


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
    frame_kind(df, "add_peace_years")
    if "gmlmidongoing" not in df.columns:
        raise ParameterError(
            "df", "add_peace_years() counts years since a dispute: run add_gml_mids() first"
        )
    return add_spells(df, "gmlmidongoing", "gmlmidspell")
