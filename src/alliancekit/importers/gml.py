"""Gibler-Miller-Little militarized interstate disputes, directed dispute-dyad-years
(Gibler, Miller and Little 2016; version 2.2.1).

One layout: the publisher's ``gml-ddy-disputes-2.2.1.csv``, which peacesciencer reads as is
(its ``gml_dirdisp`` table, the file in ``../shared/data``): dispnum, ccode1, ccode2, year,
midongoing, midonset, sidea1, sidea2, ..., fatality, fatalpre, stmon, endmon, recip, numa,
numb, ongo2010, version. One row per dispute, ordered pair of states and year (both
directions).

Required columns (the ones :func:`alliancekit.covariates.add_gml_mids` reads): dispnum,
ccode1, ccode2, year, midongoing, midonset, fatality, hostlev, mindur, maxdur, recip, stmon;
every cell of them must hold a value. The other columns are kept when present (``-9`` is the
publisher's "unknown" and is kept as it is, as peacesciencer keeps it; ``fatality`` -9 ranks
between 0 and 1 when one dispute is chosen per dyad-year). A repeated (dispnum, ccode1, ccode2,
year) is an error.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.importers._columns import (
    check_duplicates,
    compact_int,
    finish,
    int_column,
    str_column,
)
from alliancekit.importers._pairs import check_two_states, code_column, year_column
from alliancekit.importers._raw import IssueList, find_layout, read_raw

REQUIRED = (
    "dispnum",
    "ccode1",
    "ccode2",
    "year",
    "midongoing",
    "midonset",
    "fatality",
    "hostlev",
    "mindur",
    "maxdur",
    "recip",
    "stmon",
)
OPTIONAL = (
    "sidea1",
    "sidea2",
    "revstate1",
    "revstate2",
    "revtype11",
    "revtype12",
    "revtype21",
    "revtype22",
    "fatality1",
    "fatality2",
    "fatalpre1",
    "fatalpre2",
    "hiact1",
    "hiact2",
    "hostlev1",
    "hostlev2",
    "orig1",
    "orig2",
    "hiact",
    "outcome",
    "settle",
    "fatalpre",
    "endmon",
    "numa",
    "numb",
    "ongo2010",
)
LAYOUTS = {"gml": REQUIRED}
VERSION = "2.2.1"
CITATION = (
    "Gibler, Douglas M., Steven V. Miller and Erin K. Little. 2016. An Analysis of the "
    "Militarized Interstate Dispute (MID) Dataset, 1816-2001. International Studies Quarterly "
    "60(4): 719-730. https://correlatesofwar.org/data-sets/mids/"
)


def read_gml_mids(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate a GML directed dispute-dyad-year file.

    ``known_codes``: the COW codes a state may have (default: the built-in COW code list).
    """
    raw = read_raw(path)
    find_layout(raw, LAYOUTS, "a GML directed dispute-dyad-year file")
    issues = IssueList()
    cols: dict[str, pl.Series] = {}
    cols["dispnum"] = int_column(raw, "dispnum", issues, lo=1)
    cols["ccode1"] = code_column(raw, "ccode1", issues, known_codes)
    cols["ccode2"] = code_column(raw, "ccode2", issues, known_codes)
    cols["year"] = year_column(raw, "year", issues)
    for c in ("midongoing", "midonset", "recip"):
        cols[c] = int_column(raw, c, issues, allowed=(0, 1)).cast(pl.Int8, strict=False)
    cols["fatality"] = int_column(raw, "fatality", issues, lo=-9, hi=6)
    cols["hostlev"] = int_column(raw, "hostlev", issues, lo=1, hi=5)
    cols["mindur"] = int_column(raw, "mindur", issues, lo=0)
    cols["maxdur"] = int_column(raw, "maxdur", issues, lo=0)
    cols["stmon"] = int_column(raw, "stmon", issues, lo=-9, hi=13)
    for c in OPTIONAL:
        if c in raw.df.columns:
            cols[c] = int_column(raw, c, issues, required=False)
    if "version" in raw.df.columns:
        cols["version"] = str_column(raw, "version")
    check_two_states(raw, cols["ccode1"], cols["ccode2"], "ccode2", issues)
    df = pl.DataFrame(cols)
    if not issues:
        check_duplicates(raw.name, df, ["dispnum", "ccode1", "ccode2", "year"], issues)
        ints = [c for c in df.columns if df.schema[c] == pl.Int64]
        df = df.with_columns(compact_int(df[c]) for c in ints)
    return finish(raw, df, issues)
