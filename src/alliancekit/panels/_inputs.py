"""Inputs of the steps: the state systems, and the tables a step reads (from the catalog,
or given in Python and checked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog

SYSTEMS = ("cow", "gw")
ATOP_FLAGS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
NMC_VARS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")

# The columns a step reads from a table given in Python (the catalog's tables have them).
GIVEN_COLUMNS = {
    "nmc": ("ccode", "year", *NMC_VARS),
    "atop": ("ccode1", "ccode2", "year", *ATOP_FLAGS),
    "majors": ("ccode", "styear", "endyear"),
    "contiguity": ("ccode1", "ccode2", "conttype", "stdate", "enddate"),
}


def check_given(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """A table given in Python instead of the catalog's: the columns the step reads, integer
    codes and years, and rows — else an error naming the parameter and what is wrong."""
    if not isinstance(df, pl.DataFrame):
        raise ParameterError(
            name, f"expected a polars or pandas DataFrame, not {type(df).__name__}"
        )
    need = GIVEN_COLUMNS.get(name, ())
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ParameterError(
            name,
            f"the table lacks {', '.join(missing)}; import the publisher's file with "
            f"'alliancekit data import' (or read it with alliancekit.importers) to get them",
        )
    for c in ("ccode", "ccode1", "ccode2", "year"):
        if c in need and not df.schema[c].is_integer():
            raise ParameterError(name, f"column {c!r} must hold integers, not {df.schema[c]}")
    if df.height == 0:
        raise ParameterError(name, "the table has no rows")
    return df


def dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return check_given(name, given)
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def check_system(system: str) -> str:
    return choice(system, SYSTEMS, "system", "state system")
