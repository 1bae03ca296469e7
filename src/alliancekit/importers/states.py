"""State-system membership: COW (``states2016.csv``) and Gleditsch-Ward (``ksgmdw.txt``).

COW layouts (the same in the publisher's file and the peacesciencer table): stateabb, ccode,
statenme, styear, stmonth, stday, endyear, endmonth, endday, version; one row per membership
spell, a state may have several. Stored with compact integer types.

G-W layouts:

- ``peacesciencer``: gwcode, stateabb, statename, startdate, enddate (ISO dates);
- ``gw``: the publisher's ``ksgmdw.txt`` / ``iisystem.dat`` / ``microstatessystem.txt``: no
  header, tab-separated: statenumber, stateid, countryname, start, end with dates
  ``dd:mm:yyyy``.

Checks: valid dates, a spell's start not after its end, the spells of one state not
overlapping, one name per code.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from alliancekit.importers._columns import (
    check_duplicates,
    check_spells,
    date_column,
    finish,
    int_column,
    spell_columns,
    str_column,
    ymd_dates,
)
from alliancekit.importers._raw import IssueList, find_layout, read_raw
from alliancekit.schema import Issue

COW_COLUMNS = (
    "stateabb",
    "ccode",
    "statenme",
    "styear",
    "stmonth",
    "stday",
    "endyear",
    "endmonth",
    "endday",
    "version",
)
COW_LAYOUTS = {"cow": COW_COLUMNS}
GW_COLUMNS = ("gwcode", "stateabb", "statename", "startdate", "enddate")
GW_LAYOUTS = {"peacesciencer": GW_COLUMNS}
GW_RAW = ("statenumber", "stateid", "countryname", "start", "end")

COW_VERSION = "2016"
COW_CITATION = (
    "Correlates of War Project. 2017. State System Membership List, v2016. "
    "https://correlatesofwar.org/data-sets/state-system-membership/"
)
GW_VERSION = "2017"
GW_CITATION = (
    "Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States "
    "since the Congress of Vienna. International Interactions 25(4): 393-413. "
    "http://ksgleditsch.com/data-4.html"
)


def read_cow_states(path: str | Path) -> pl.DataFrame:
    """Read and validate the COW state-system membership list (one row per spell)."""
    raw = read_raw(path)
    find_layout(raw, COW_LAYOUTS, "a COW state-system membership file")
    issues = IssueList()
    ints = {
        "ccode": int_column(raw, "ccode", issues, lo=1, hi=999),
        **spell_columns(raw, issues),
        "version": int_column(raw, "version", issues, required=False),
    }
    start = ymd_dates(raw, ("styear", "stmonth", "stday"), ints, issues)
    end = ymd_dates(raw, ("endyear", "endmonth", "endday"), ints, issues)
    df = pl.DataFrame(
        {
            "stateabb": str_column(raw, "stateabb"),
            "ccode": ints["ccode"].cast(pl.Int16, strict=False),
            "statenme": str_column(raw, "statenme"),
            "styear": ints["styear"].cast(pl.Int16, strict=False),
            "stmonth": ints["stmonth"].cast(pl.Int8, strict=False),
            "stday": ints["stday"].cast(pl.Int8, strict=False),
            "endyear": ints["endyear"].cast(pl.Int16, strict=False),
            "endmonth": ints["endmonth"].cast(pl.Int8, strict=False),
            "endday": ints["endday"].cast(pl.Int8, strict=False),
            "version": ints["version"].cast(pl.Int16, strict=False),
        }
    )
    if not issues:
        check_spells(raw.name, df.with_columns(_s=start, _e=end), "ccode", "_s", "_e", issues)
        issues[:] = [
            Issue(
                i.file,
                i.row,
                {"_s": "styear", "_e": "endyear"}.get(i.column, i.column),
                i.rule,
                i.message,
                i.value,
            )
            for i in issues
        ]
    return finish(raw, df, issues)


def read_gw_states(path: str | Path) -> pl.DataFrame:
    """Read and validate a Gleditsch-Ward list of independent states (either layout)."""
    raw = read_raw(path)
    if not raw.header:
        if raw.df.width != 5:
            raise DataValidationErrorFor(raw.name, raw.df.width)
        raw.df.columns = list(GW_RAW)
        mapping = dict(zip(GW_COLUMNS, GW_RAW, strict=True))
        formats = ("%d:%m:%Y",)
    else:
        if all(c in raw.df.columns for c in GW_RAW):
            mapping = dict(zip(GW_COLUMNS, GW_RAW, strict=True))
        else:
            find_layout(raw, GW_LAYOUTS, "a Gleditsch-Ward state list")
            mapping = {c: c for c in GW_COLUMNS}
        formats = ("%Y-%m-%d", "%d:%m:%Y")
    issues = IssueList()
    code = int_column(raw, mapping["gwcode"], issues, lo=1, hi=999)
    start = date_column(raw, mapping["startdate"], issues, formats=formats)
    end = date_column(raw, mapping["enddate"], issues, formats=formats)
    df = pl.DataFrame(
        {
            "gwcode": code.cast(pl.Int16, strict=False),
            "stateabb": str_column(raw, mapping["stateabb"]),
            "statename": str_column(raw, mapping["statename"]),
            "startdate": start,
            "enddate": end,
        }
    )
    if not issues:
        check_duplicates(raw.name, df, ["gwcode", "startdate", "enddate"], issues)
    if not issues:
        check_spells(raw.name, df, "gwcode", "startdate", "enddate", issues)
    return finish(raw, df, issues)


def DataValidationErrorFor(name: str, width: int):  # noqa: N802 - reads like the error it makes
    from alliancekit.schema import DataValidationError

    return DataValidationError(
        [
            Issue(
                name,
                None,
                None,
                "wrong_columns",
                f"a header-less G-W list needs 5 tab-separated fields (statenumber, stateid, "
                f"countryname, start, end); this file has {width}",
            )
        ]
    )
