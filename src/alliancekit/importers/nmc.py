"""COW National Material Capabilities, state-years (Singer, Bremer and Stuckey 1972).

Layouts:

- ``peacesciencer``: ccode, year, milex, milper, irst, pec, tpop, upop, cinc (blank = missing);
- ``cow``: the publisher's ``NMC-60-abridged.csv`` / ``NMC-70-abridged.csv``: stateabb, ccode,
  year, milex, milper, irst, pec, tpop, upop, cinc, version (``-9`` = missing).

``-9`` means missing in both layouts (COW's convention). Stored: ccode, year (Int16); milex,
milper, irst, pec (the smallest integer type that holds them); tpop, upop, cinc (Float64).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.codes import builtin_codes
from alliancekit.importers._columns import (
    check_codes,
    check_duplicates,
    compact_int,
    finish,
    float_column,
    int_column,
)
from alliancekit.importers._raw import IssueList, find_layout, read_raw
from alliancekit.schema import YEAR_MAX, YEAR_MIN

INT_VARS = ("milex", "milper", "irst", "pec")
FLOAT_VARS = ("tpop", "upop", "cinc")
COLUMNS = ("ccode", "year", *INT_VARS, *FLOAT_VARS)
LAYOUTS = {"peacesciencer": COLUMNS, "cow": ("stateabb", *COLUMNS)}
VERSION = "6.0"
# Each version's last year (COW's "Changes in NMC"): the rows tell a file's version, as the
# tables prepared for peacesciencer keep a version table that says 6 for rows reaching 2022.
LAST_YEARS = (("4.0", 2007), ("5.0", 2012), ("6.0", 2016), ("7.0", 2022))


def version_of(df: pl.DataFrame) -> str:
    """The NMC version a table's rows show: the first version whose years reach its last
    year (rows past 2022: "later than 7.0")."""
    last = df["year"].max() if df.height else None
    if last is None:
        return VERSION
    for version, year in LAST_YEARS:
        if last <= year:
            return version
    return f"later than {LAST_YEARS[-1][0]} (rows to {last})"


CITATION = (
    "Singer, J. David, Stuart Bremer and John Stuckey. 1972. Capability Distribution, "
    "Uncertainty, and Major Power War, 1820-1965. In Bruce Russett (ed.), Peace, War, and "
    "Numbers. Beverly Hills: Sage, 19-48. https://correlatesofwar.org/data-sets/national-material-capabilities/"
)


def read_nmc(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate a COW NMC file (either layout); ``-9`` and blanks become null."""
    raw = read_raw(path)
    find_layout(raw, LAYOUTS, "a COW National Material Capabilities file")
    issues = IssueList()
    known = builtin_codes("cow") if known_codes is None else known_codes
    ccode = int_column(raw, "ccode", issues, lo=1, hi=999)
    check_codes(raw.name, ccode, known, issues, "ccode")
    cols = {
        "ccode": ccode.cast(pl.Int16, strict=False),
        "year": int_column(raw, "year", issues, lo=YEAR_MIN, hi=YEAR_MAX).cast(
            pl.Int16, strict=False
        ),
    }
    for c in INT_VARS:
        cols[c] = int_column(raw, c, issues, lo=0, missing_codes=(-9,), required=False)
    for c in FLOAT_VARS:
        cols[c] = float_column(raw, c, issues, missing_codes=(-9,), lo=0)
    df = pl.DataFrame(cols)
    if not issues:
        check_duplicates(raw.name, df, ["ccode", "year"], issues)
        df = df.with_columns(compact_int(df[c]) for c in INT_VARS)
    return finish(raw, df, issues)
