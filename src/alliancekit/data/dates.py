"""Ties in time: the day a date means (a bare year is its last day) and the ties in force on a
day or during a year, the one rule every layer (graphs, panels, queries) applies."""

from __future__ import annotations

import datetime as dt

import polars as pl

from alliancekit.schema import ParameterError, check_year


def as_date(on: dt.date | str | int, parameter: str = "on") -> dt.date:
    """A day from a date, an ISO date text or a bare year (its last day, 31 December).

    Raises :class:`~alliancekit.schema.ParameterError` naming ``parameter`` for anything else.
    """
    if isinstance(on, dt.date):
        return on
    if isinstance(on, int):
        return dt.date(check_year(on, parameter), 12, 31)
    if not isinstance(on, str):
        raise ParameterError(parameter, f"give a date, an ISO date text or a year, not {on!r}")
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise ParameterError(parameter, f"not an ISO date YYYY-MM-DD: {on!r}") from None


def in_force_on(ties: pl.DataFrame, on: dt.date | str | int) -> pl.DataFrame:
    """Ties in force on a day (a bare year means its last day, 31 December).

    In force: ``start <= on`` and (``end`` is null or ``on < end``). A tie with no start date is
    never in force: its date is unknown, not early.
    """
    day = as_date(on)
    return ties.filter(
        pl.col("start").is_not_null()
        & (pl.col("start") <= day)
        & (pl.col("end").is_null() | (pl.col("end") > day))
    )


def in_force_during(ties: pl.DataFrame, year: int) -> pl.DataFrame:
    """Ties in force on at least one day of ``year`` (the rule of yearly panels)."""
    year = check_year(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return ties.filter(
        pl.col("start").is_not_null()
        & (pl.col("start") <= last)
        & (pl.col("end").is_null() | (pl.col("end") > first))
    )
