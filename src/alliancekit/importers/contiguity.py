"""COW direct contiguity, directed dyads with dated spells (Stinnett et al. 2002; v3.2).

Layouts:

- ``peacesciencer``: ccode1, ccode2, conttype, stdate, enddate (dates; conttype 0 rows are
  peacesciencer's explicit "no contiguity" spells);
- ``cow``: the publisher's ``contdir.csv``: dyad, state1no, state1ab, state2no, state2ab,
  conttype, begin, end, version with begin/end as ``YYYYMM``; stored as the first day of the
  month, as peacesciencer does.

conttype: 1 = land, 2-5 = water up to 12/24/150/400 miles.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.codes import builtin_codes
from alliancekit.importers._columns import (
    check_codes,
    check_duplicates,
    date_column,
    finish,
    int_column,
)
from alliancekit.importers._raw import IssueList, find_layout, read_raw
from alliancekit.schema import Issue

COLUMNS = ("ccode1", "ccode2", "conttype", "stdate", "enddate")
LAYOUTS = {
    "peacesciencer": COLUMNS,
    "cow": ("state1no", "state2no", "conttype", "begin", "end"),
}
VERSION = "3.2"
CITATION = (
    "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl and Charles Gochman. "
    "2002. The Correlates of War Project Direct Contiguity Data, Version 3. Conflict Management "
    "and Peace Science 19(2): 58-66. https://correlatesofwar.org/data-sets/direct-contiguity/"
)


def _yyyymm(raw, column: str, issues: IssueList) -> pl.Series:
    v = int_column(raw, column, issues, lo=180001, hi=210012)
    month = v % 100
    bad = ((month < 1) | (month > 12)).fill_null(False)
    for row in (bad.arg_true() + 1).to_list():
        issues.add(Issue(raw.name, row, column, "bad_date", "not a YYYYMM month", str(v[row - 1])))
    ok = v.set(bad, None) if bad.any() else v
    return pl.select(pl.date(ok // 100, ok % 100, 1)).to_series().alias(column)


def read_contiguity(
    path: str | Path, *, known_codes: Collection[int] | None = None
) -> pl.DataFrame:
    """Read and validate a COW direct-contiguity file (either layout)."""
    raw = read_raw(path)
    layout = find_layout(raw, LAYOUTS, "a COW direct-contiguity file")
    src = dict(zip(COLUMNS, LAYOUTS[layout], strict=True))
    issues = IssueList()
    known = builtin_codes("cow") if known_codes is None else known_codes
    c1 = int_column(raw, src["ccode1"], issues, lo=1, hi=999)
    c2 = int_column(raw, src["ccode2"], issues, lo=1, hi=999)
    check_codes(raw.name, c1, known, issues, src["ccode1"])
    check_codes(raw.name, c2, known, issues, src["ccode2"])
    allowed = (0, 1, 2, 3, 4, 5) if layout == "peacesciencer" else (1, 2, 3, 4, 5)
    ct = int_column(raw, "conttype", issues, allowed=allowed)
    if layout == "cow":
        st, en = _yyyymm(raw, "begin", issues), _yyyymm(raw, "end", issues)
    else:
        fmts = ("%Y-%m-%d",)
        st = date_column(raw, "stdate", issues, formats=fmts)
        en = date_column(raw, "enddate", issues, formats=fmts)
    df = pl.DataFrame(
        {
            "ccode1": c1.cast(pl.Int16, strict=False),
            "ccode2": c2.cast(pl.Int16, strict=False),
            "conttype": ct.cast(pl.Int8, strict=False),
            "stdate": st.alias("stdate"),
            "enddate": en.alias("enddate"),
        }
    )
    if not issues:
        check_duplicates(raw.name, df, list(COLUMNS), issues)
        rows = df.with_row_index("_r")
        for r in rows.filter(pl.col("ccode1") == pl.col("ccode2")).iter_rows(named=True):
            issues.add(
                Issue(
                    raw.name,
                    r["_r"] + 1,
                    src["ccode2"],
                    "same_state",
                    "a dyad needs two states",
                    str(r["ccode2"]),
                )
            )
        for r in rows.filter(pl.col("stdate") > pl.col("enddate")).iter_rows(named=True):
            issues.add(
                Issue(
                    raw.name,
                    r["_r"] + 1,
                    src["enddate"],
                    "date_order",
                    "the spell ends before it starts",
                    str(r["enddate"]),
                )
            )
    return finish(raw, df, issues)
