"""Checks shared by the dyadic importers of issue 13 (disputes, IGOs, distances, rivalries)."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from alliancekit.codes import builtin_codes
from alliancekit.importers._columns import check_codes, int_column
from alliancekit.importers._raw import IssueList, RawTable
from alliancekit.schema import Issue


def code_column(
    raw: RawTable,
    column: str,
    issues: IssueList,
    known: Collection[int] | None,
    *,
    out: str | None = None,
    check: bool = True,
) -> pl.Series:
    """A COW state code column (1-999; with ``check``, known to the state list ``known``,
    default the built-in COW list), as Int16."""
    s = int_column(raw, column, issues, lo=1, hi=999)
    if check:
        known = builtin_codes("cow") if known is None else known
        check_codes(raw.name, s, known, issues, column)
    return s.cast(pl.Int16, strict=False).alias(out or column)


def year_column(
    raw: RawTable, column: str, issues: IssueList, *, lo: int = 1800, out: str | None = None
) -> pl.Series:
    return (
        int_column(raw, column, issues, lo=lo, hi=2100)
        .cast(pl.Int16, strict=False)
        .alias(out or column)
    )


def check_two_states(
    raw: RawTable, c1: pl.Series, c2: pl.Series, column: str, issues: IssueList
) -> None:
    """Issue for every row whose two codes are the same state."""
    same = (c1 == c2).fill_null(False)
    for row in (same.arg_true() + 1).to_list():
        issues.add(
            Issue(raw.name, row, column, "same_state", "a dyad needs two states", str(c2[row - 1]))
        )


def check_order(
    raw: RawTable, c1: pl.Series, c2: pl.Series, column: str, issues: IssueList
) -> None:
    """Issue for every row of a non-directed table whose first code is not the smaller."""
    bad = (c1 > c2).fill_null(False)
    for row in (bad.arg_true() + 1).to_list():
        issues.add(
            Issue(
                raw.name,
                row,
                column,
                "dyad_order",
                "a non-directed table lists each dyad once, smaller code first (ccode1 < ccode2)",
                f"{c1[row - 1]}, {c2[row - 1]}",
            )
        )
