"""Years and membership spells: parsing ``years``, carrying spells forward, the warnings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

from alliancekit.schema import ParameterError, check_year

if TYPE_CHECKING:
    pass


def parse_years(years: Any) -> tuple[int, int] | set[int] | None:
    """The years of a ``years`` argument, checked.

    Parameters
    ----------
    years : None, str, int, tuple of two int, range or iterable of int
        ``None`` (all years), ``"1816-2016"`` or ``"1990"``, a year, ``(first, last)``, a
        range of step 1, or any iterable of years.

    Returns
    -------
    tuple of (int, int), set of int, or None
        A span (first, last), the set of years, or None.

    Raises
    ------
    ParameterError
        Naming ``years``, for a malformed text, a span that starts after it ends, a value that
        is not a year, or a year outside 1800-2100 (the span the data can cover).

    Examples
    --------
    >>> from alliancekit.panels import parse_years
    >>> parse_years("1990-1995"), parse_years(range(1990, 1996)), parse_years(2001)
    ((1990, 1995), (1990, 1995), (2001, 2001))
    >>> sorted(parse_years([2001, 1999]))
    [1999, 2001]

    References
    ----------
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
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


def warn_past_data(sel, sp: pl.DataFrame, system: str, extend_to: int | None) -> None:
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


def filter_years(df: pl.DataFrame, years) -> pl.DataFrame:
    sel = parse_years(years)
    if sel is None:
        return df
    if isinstance(sel, tuple):
        return df.filter(pl.col("year").is_between(sel[0], sel[1]))
    return df.filter(pl.col("year").is_in(sorted(sel)))


# ---------------------------------------------------------------------------------------------
# Spells


def spells(system: str, states: pl.DataFrame, extend_to: int | None) -> pl.DataFrame:
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


def state_year_intervals(sp: pl.LazyFrame) -> pl.LazyFrame:
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
