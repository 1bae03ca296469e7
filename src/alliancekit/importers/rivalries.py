"""Strategic rivalries of Thompson, Sakuwa and Suhas (2021), with their type flags, as
prepared for peacesciencer (``tss_rivalries``): one row per rivalry, its two states (COW
codes, ccode1 < ccode2) and its first and last year.

One layout, ``peacesciencer``: tssr_id, rivalry, ccode1, ccode2, start, end, positional,
spatial, ideological, interventionary, principal, aprin (flags 1 or blank). The authors
publish the rivalries in a book appendix by name, not code; peacesciencer assigned the codes
and ids, so its table is the one to read. As peacesciencer prepared it, a ``start`` written
``P1494`` ("before 1494") is read as 1494 and an ``end`` written ``ongoing`` as 2020 (the
year the data end). A repeated ``tssr_id``, a rivalry that ends before it starts or a flag
other than 0, 1 or blank is an error; blank flags stay null (``add_strategic_rivalries``
reads them as 0, as peacesciencer does).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.importers._columns import check_duplicates, finish, int_column, str_column
from alliancekit.importers._pairs import check_order, check_two_states, code_column
from alliancekit.importers._raw import IssueList, RawTable, find_layout, read_raw
from alliancekit.schema import Issue

FLAGS = ("positional", "spatial", "ideological", "interventionary", "principal", "aprin")
COLUMNS = ("tssr_id", "rivalry", "ccode1", "ccode2", "start", "end", *FLAGS)
LAYOUTS = {"peacesciencer": COLUMNS[:6] + FLAGS[:4]}
ONGOING_YEAR = 2020
VERSION = "2021"
CITATION = (
    "Thompson, William R., Kentaro Sakuwa and Prashant Hosur Suhas. 2021. Analyzing Strategic "
    "Rivalries in World Politics: Types of Rivalry, Regional Variation, and Escalation/"
    "De-escalation. Singapore: Springer."
)


def _year(raw: RawTable, column: str, issues: IssueList, prefix: str, word: str) -> pl.Series:
    """A year column that may spell ``P1494`` (prefix) or ``ongoing`` (word)."""
    s = raw.df.get_column(column)
    if s.dtype == pl.String:
        txt = s.str.strip_chars()
        if word:
            txt = txt.str.replace(f"(?i)^{word}$", str(ONGOING_YEAR))
        if prefix:
            txt = txt.str.replace(f"(?i)^{prefix}", "")
        raw = RawTable(raw.name, raw.df.with_columns(txt.alias(column)), None, raw.header)
    return int_column(raw, column, issues, lo=1400, hi=2100).cast(pl.Int16, strict=False)


def read_rivalries(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate the Thompson-Sakuwa-Suhas rivalries (peacesciencer's table)."""
    raw = read_raw(path)
    find_layout(raw, LAYOUTS, "a Thompson-Sakuwa-Suhas strategic-rivalry file")
    issues = IssueList()
    # States gone before 1816 are in the table (Venice, 324, a code peacesciencer made up):
    # codes are checked against a state list only when one is given.
    known = known_codes
    check = known_codes is not None
    cols: dict[str, pl.Series] = {
        "tssr_id": int_column(raw, "tssr_id", issues, lo=1).cast(pl.Int16, strict=False),
        "rivalry": str_column(raw, "rivalry"),
        "ccode1": code_column(raw, "ccode1", issues, known, check=check),
        "ccode2": code_column(raw, "ccode2", issues, known, check=check),
        "start": _year(raw, "start", issues, "P", ""),
        "end": _year(raw, "end", issues, "", "ongoing"),
    }
    for c in FLAGS:
        if c in raw.df.columns:
            cols[c] = int_column(raw, c, issues, allowed=(0, 1), required=False)
        else:
            cols[c] = pl.Series(c, [None] * raw.df.height, dtype=pl.Int64)
        cols[c] = cols[c].cast(pl.Int8, strict=False)
    check_two_states(raw, cols["ccode1"], cols["ccode2"], "ccode2", issues)
    check_order(raw, cols["ccode1"], cols["ccode2"], "ccode1", issues)
    df = pl.DataFrame(list(cols.values()))
    bad = (df["start"] > df["end"]).fill_null(False)
    for row in (bad.arg_true() + 1).to_list():
        issues.add(
            Issue(
                raw.name,
                row,
                "end",
                "date_order",
                "the rivalry ends before it starts",
                str(df["end"][row - 1]),
            )
        )
    if not issues:
        check_duplicates(raw.name, df, ["tssr_id"], issues)
    return finish(raw, df, issues)
