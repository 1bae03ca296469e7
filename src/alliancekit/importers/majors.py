"""COW major powers (``majors2016.csv``): one row per major-power spell.

Layouts: ``peacesciencer`` (ccode, styear, stmonth, stday, endyear, endmonth, endday, version)
and the publisher's (the same with ``stateabb`` first; the abbreviation is not kept).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.codes import builtin_codes
from alliancekit.importers._columns import (
    check_codes,
    check_spells,
    finish,
    int_column,
    spell_columns,
    ymd_dates,
)
from alliancekit.importers._raw import IssueList, find_layout, read_raw

COLUMNS = ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version")
LAYOUTS = {"peacesciencer": COLUMNS[:-1]}
VERSION = "2016"
CITATION = (
    "Correlates of War Project. 2017. State System Membership List, v2016 (major powers). "
    "https://correlatesofwar.org/data-sets/state-system-membership/"
)


def read_majors(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate the COW major-power spells."""
    raw = read_raw(path)
    find_layout(raw, LAYOUTS, "a COW major-powers file")
    issues = IssueList()
    known = builtin_codes("cow") if known_codes is None else known_codes
    ints = {
        "ccode": int_column(raw, "ccode", issues, lo=1, hi=999),
        **spell_columns(raw, issues),
    }
    ints["version"] = (
        int_column(raw, "version", issues, required=False)
        if "version" in raw.df.columns
        else pl.Series("version", [None] * raw.df.height, dtype=pl.Int64)
    )
    check_codes(raw.name, ints["ccode"], known, issues, "ccode")
    start = ymd_dates(raw, ("styear", "stmonth", "stday"), ints, issues)
    end = ymd_dates(raw, ("endyear", "endmonth", "endday"), ints, issues)
    types = {
        "ccode": pl.Int16,
        "styear": pl.Int16,
        "stmonth": pl.Int8,
        "stday": pl.Int8,
        "endyear": pl.Int16,
        "endmonth": pl.Int8,
        "endday": pl.Int8,
        "version": pl.Int16,
    }
    df = pl.DataFrame({c: ints[c].cast(t, strict=False) for c, t in types.items()})
    if not issues:
        check_spells(
            raw.name,
            df.with_columns(styear_=start, endyear_=end),
            "ccode",
            "styear_",
            "endyear_",
            issues,
        )
        issues[:] = [
            i.__class__(
                i.file, i.row, (i.column or "").rstrip("_") or None, i.rule, i.message, i.value
            )
            for i in issues
        ]
    return finish(raw, df, issues)
