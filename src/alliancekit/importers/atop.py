"""ATOP directed dyad-years of alliance obligations (Leeds et al. 2002; version 5.1).

Layouts:

- ``peacesciencer``: ccode1, ccode2, year, atop_defense, atop_offense, atop_neutral,
  atop_nonagg, atop_consul (the table prepared for peacesciencer);
- ``atop``: the publisher's ``atop5_1ddyr.csv`` (or ``_NNA``): ddyad, stateA, stateB, year,
  atopally, defense, offense, neutral, nonagg, consul, ... (further columns are not kept).

Stored: ccode1, ccode2, year (Int16) and the five obligations (Int8, 0/1). One row per
directed dyad-year; a repeated (ccode1, ccode2, year) is an error.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.codes import builtin_codes
from alliancekit.importers._columns import check_codes, check_duplicates, finish, int_column
from alliancekit.importers._raw import IssueList, find_layout, read_raw
from alliancekit.schema import YEAR_MAX, YEAR_MIN

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
COLUMNS = ("ccode1", "ccode2", "year", *(f"atop_{o}" for o in OBLIGATIONS))
LAYOUTS = {
    "peacesciencer": COLUMNS,
    "atop": ("statea", "stateb", "year", *OBLIGATIONS),
}
VERSION = "5.1"
CITATION = (
    "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. 2002. "
    "Alliance Treaty Obligations and Provisions, 1815-1944. International Interactions 28: 237-60. "
    "http://www.atopdata.org"
)


def read_atop(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate an ATOP directed dyad-year file (either layout).

    ``known_codes``: the COW codes a state may have (default: the built-in COW code list);
    pass the codes of an imported state system to check against it.
    """
    raw = read_raw(path)
    layout = find_layout(raw, LAYOUTS, "an ATOP dyad-year file")
    src = dict(zip(COLUMNS, LAYOUTS[layout], strict=True))
    issues = IssueList()
    known = builtin_codes("cow") if known_codes is None else known_codes
    cols = {}
    for out, col in src.items():
        if out in ("ccode1", "ccode2"):
            s = int_column(raw, col, issues, lo=1, hi=999)
            check_codes(raw.name, s, known, issues, col)
            cols[out] = s.cast(pl.Int16, strict=False)
        elif out == "year":
            cols[out] = int_column(raw, col, issues, lo=YEAR_MIN, hi=YEAR_MAX).cast(
                pl.Int16, strict=False
            )
        else:
            cols[out] = int_column(raw, col, issues, allowed=(0, 1)).cast(pl.Int8, strict=False)
    df = pl.DataFrame(cols)
    same = (df["ccode1"] == df["ccode2"]).fill_null(False)
    for row in (same.arg_true() + 1).to_list():
        from alliancekit.schema import Issue

        issues.add(
            Issue(
                raw.name,
                row,
                src["ccode2"],
                "same_state",
                "a dyad needs two states",
                str(df["ccode2"][row - 1]),
            )
        )
    if not issues:
        check_duplicates(raw.name, df, ["ccode1", "ccode2", "year"], issues)
    return finish(raw, df, issues)
