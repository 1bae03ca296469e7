"""Capitals of the COW states with their dates and coordinates, as prepared for peacesciencer
(Miller 2022; its ``cow_capitals`` table, 2020): a state may have several capitals over time
(France: Paris, Vichy from 9 July 1940, Paris again from 28 November 1942).

Layouts:

- ``peacesciencer``: ccode, statenme, capital, stdate, enddate, lat, lng (dates as
  YYYY-MM-DD; ``statenme`` optional);
- ``ymd``: the layout of peacesciencer's own spreadsheet (``data-raw/capitals``), with the
  dates split: ccode, capital, styear, stmon, stday, endyear, endmon, endday, and the lat, lng
  its geocoding added.

Stored: ccode (Int16), statenme, capital, stdate, enddate (Date), lat, lng (Float64, degrees).
The publisher of these data is peacesciencer itself; there is no other layout. A spell that
ends before it starts, a latitude outside [-90, 90] or a longitude outside [-180, 180] is an
error. Overlapping spells of one state are allowed (peacesciencer then takes the earlier row).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.importers._columns import (
    date_column,
    finish,
    float_column,
    spell_columns,
    str_column,
    ymd_dates,
)
from alliancekit.importers._pairs import code_column
from alliancekit.importers._raw import IssueList, find_layout, read_raw
from alliancekit.schema import Issue

LAYOUTS = {
    "peacesciencer": ("ccode", "capital", "stdate", "enddate", "lat", "lng"),
    "ymd": (
        "ccode",
        "capital",
        "styear",
        "stmon",
        "stday",
        "endyear",
        "endmon",
        "endday",
        "lat",
        "lng",
    ),
}
VERSION = "2020"
CITATION = (
    "Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science "
    "Research. Conflict Management and Peace Science 39(6): 755-779 (capitals data, 2020). "
    "https://svmiller.com/peacesciencer/"
)


def read_capitals(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate a capitals table (either layout)."""
    raw = read_raw(path)
    layout = find_layout(raw, LAYOUTS, "a capitals file")
    issues = IssueList()
    ccode = code_column(raw, "ccode", issues, known_codes)
    if layout == "peacesciencer":
        st = date_column(raw, "stdate", issues, formats=("%Y-%m-%d",))
        en = date_column(raw, "enddate", issues, formats=("%Y-%m-%d",))
        start_col, end_col = "stdate", "enddate"
    else:
        begins, ends = ("styear", "stmon", "stday"), ("endyear", "endmon", "endday")
        ints = spell_columns(raw, issues, begins, ends)
        st = ymd_dates(raw, begins, ints, issues)
        en = ymd_dates(raw, ends, ints, issues)
        start_col, end_col = "styear", "endyear"
    lat = float_column(raw, "lat", issues)
    lng = float_column(raw, "lng", issues)
    for s, lim in ((lat, 90.0), (lng, 180.0)):
        bad = ((s < -lim) | (s > lim)).fill_null(False)
        for row in (bad.arg_true() + 1).to_list():
            issues.add(
                Issue(
                    raw.name,
                    row,
                    s.name,
                    "out_of_range",
                    f"not within [-{lim:g}, {lim:g}] degrees",
                    str(s[row - 1]),
                )
            )
        for row in (s.is_null().arg_true() + 1).to_list():
            issues.add(Issue(raw.name, row, s.name, "required", "a coordinate is required here"))
    names = (
        str_column(raw, "statenme")
        if "statenme" in raw.df.columns
        else pl.Series("statenme", [None] * raw.df.height, dtype=pl.String)
    )
    df = pl.DataFrame(
        [
            ccode,
            names.alias("statenme"),
            str_column(raw, "capital"),
            st.alias("stdate"),
            en.alias("enddate"),
            lat,
            lng,
        ]
    )
    order = (df["stdate"] > df["enddate"]).fill_null(False)
    for row in (order.arg_true() + 1).to_list():
        issues.add(
            Issue(
                raw.name,
                row,
                end_col,
                "date_order",
                f"the capital's spell ends before it starts ({start_col})",
                str(df["enddate"][row - 1]),
            )
        )
    return finish(raw, df, issues)
