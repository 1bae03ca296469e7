"""Minimum distance between states, km, non-directed dyad-years (Schvitz et al. 2021,
CShapes 2.0), as prepared for peacesciencer (``cow_mindist``: the distance on 1 January of
each year, 1886-2019).

One layout, ``peacesciencer``: ccode1, ccode2, year, mindist (ccode1 < ccode2; blank =
missing). CShapes itself distributes polygons, not this table: peacesciencer computes it from
them, so there is no publisher's table to read. A repeated dyad-year, a negative or infinite
distance is an error.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.importers._columns import check_duplicates, finish, float_column
from alliancekit.importers._pairs import check_order, check_two_states, code_column, year_column
from alliancekit.importers._raw import IssueList, find_layout, read_raw

COLUMNS = ("ccode1", "ccode2", "year", "mindist")
LAYOUTS = {"peacesciencer": COLUMNS}
VERSION = "2.0"
CITATION = (
    "Schvitz, Guy, Seraina Ruegger, Luc Girardin, Lars-Erik Cederman, Nils Weidmann and "
    "Kristian Skrede Gleditsch. 2022. Mapping the International System, 1886-2017: The CShapes "
    "2.0 Dataset. Journal of Conflict Resolution 66(1): 144-161 (it maps 1886-2019). https://icr.ethz.ch/data/cshapes/"
)


def read_mindist(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate a minimum-distance table: ccode1 < ccode2, year, mindist (Float64)."""
    raw = read_raw(path)
    find_layout(raw, LAYOUTS, "a minimum-distance dyad-year file")
    issues = IssueList()
    c1 = code_column(raw, "ccode1", issues, known_codes)
    c2 = code_column(raw, "ccode2", issues, known_codes)
    check_two_states(raw, c1, c2, "ccode2", issues)
    check_order(raw, c1, c2, "ccode1", issues)
    df = pl.DataFrame(
        [c1, c2, year_column(raw, "year", issues), float_column(raw, "mindist", issues, lo=0)]
    )
    if not issues:
        check_duplicates(raw.name, df, ["ccode1", "ccode2", "year"], issues)
    return finish(raw, df, issues)
