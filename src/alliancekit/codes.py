"""Convert country codes (ISO3, COW, Gleditsch–Ward) in users' tables, via ``countrycode``.

Code names follow R's countrycode: ``iso3c``, ``cown`` (COW numeric), ``cowc`` (COW letters),
``gwn`` (G–W numeric), ``gwc``, ``country.name``.

Overrides
---------
countrycode leaves some codes unmatched or matches them to the wrong state; these overrides
win over it (``OVERRIDES``). Where the answer depends on the year, ``year=`` chooses (no year:
the present):

==========  ==========  ======  ==================  =============================================
from        to          code    years               result
==========  ==========  ======  ==================  =============================================
iso3c       cown        SRB     any                 345 (COW's Serbia/Yugoslavia)
cown        iso3c       345     2006-               SRB (Serbia)
cown        iso3c       345     1992-2005           SCG (Serbia and Montenegro, ISO code withdrawn)
cown        iso3c       345     -1991               YUG (Yugoslavia, ISO code withdrawn)
cown        iso3c       260     any                 DEU (West Germany, 1955-1990 in COW)
gwn         iso3c       345     2006-               SRB (G-W 345 ends in 2006; 340 follows)
gwn         iso3c       345     -2005               as cown 345 above
iso3c       gwn         VNM     any                 816 (countrycode says 817, the RVN)
gwn         iso3c       816     any                 VNM; 817 (RVN): none
gwn         cown        340     any                 345
gwn         cown        260     1991-               255 (unified Germany); -1990: 260
gwn         cown        678     1991-               679 (unified Yemen); -1990: 678
cown        gwn         255     1990-               260 (G-W keeps the FRG's code); -1945: 255
cown        gwn         260     any                 260
cown        gwn         345     1918-2005           345 (Yugoslavia); other years 340 (Serbia)
cown        gwn         679     any                 678
==========  ==========  ======  ==================  =============================================

Panels translate between the systems by year with the same special cases
(:func:`alliancekit.panels.add_ccode_to_gw`, :func:`alliancekit.panels.add_gwcode_to_cow`),
and also check that the code they give is a member of the other system that year.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.schema import DataValidationError, Issue, ParameterError, choice

CODE_SCHEMES = ("iso3c", "iso2c", "cown", "cowc", "gwn", "gwc", "country.name")

# (origin, destination) -> code -> [(first year, last year, result)], the first that covers
# the year winning; None = open. No year means the present.
OVERRIDES: dict[tuple[str, str], dict] = {
    ("iso3c", "cown"): {"SRB": [(None, None, 345)]},
    ("cown", "iso3c"): {
        345: [(2006, None, "SRB"), (1992, 2005, "SCG"), (None, 1991, "YUG")],
        260: [(None, None, "DEU")],
    },
    ("gwn", "iso3c"): {
        345: [(2006, None, "SRB"), (1992, 2005, "SCG"), (None, 1991, "YUG")],
        816: [(None, None, "VNM")],
        817: [(None, None, None)],
    },
    ("iso3c", "gwn"): {"VNM": [(None, None, 816)]},
    ("gwn", "cown"): {
        340: [(None, None, 345)],
        260: [(1991, None, 255), (None, 1990, 260)],
        678: [(1991, None, 679), (None, 1990, 678)],
    },
    ("cown", "gwn"): {
        255: [(1990, None, 260), (None, 1989, 255)],
        260: [(None, None, 260)],
        345: [(1918, 2005, 345), (None, None, 340)],
        679: [(None, None, 678)],
    },
}
_PRESENT = 9999


def override(origin: str, destination: str, value, year: int | None = None):
    """``(True, result)`` when an override decides ``value`` (in ``year``), else
    ``(False, None)``."""
    rules = OVERRIDES.get((origin, destination), {}).get(value)
    if not rules:
        return False, None
    y = _PRESENT if year is None else int(year)
    for first, last, result in rules:
        if (first is None or y >= first) and (last is None or y <= last):
            return True, result
    return False, None


def _check_scheme(name: str, value: str) -> None:
    choice(value, CODE_SCHEMES, name, "code scheme")


def convert(values, origin: str, destination: str, year=None) -> list:
    """Convert a list of codes; an unmatched code gives ``None`` (never a guess).

    ``year``: one year for all values, or one per value, for the codes whose meaning
    depends on it (see the overrides in the module notes); none means the present.
    """
    from countrycode import countrycode

    _check_scheme("origin", origin)
    _check_scheme("destination", destination)
    values = list(values)
    if not values:
        return []
    if year is None or isinstance(year, int):
        years = [year] * len(values)
    else:
        years = list(year)
        if len(years) != len(values):
            raise ParameterError("year", "give one year, or one year per value")
    if origin == destination and origin in ("cown", "gwn"):
        # countrycode knows no identity for some codes (COW 260): a known code is itself
        known = builtin_codes("cow" if origin == "cown" else "gw")
        out = [v if isinstance(v, int) and v in known else None for v in values]
    else:
        out = countrycode(values, origin=origin, destination=destination)
    if not isinstance(out, list):
        out = [out]
    result = []
    for v, y, o in zip(values, years, out, strict=True):
        hit, fixed = override(origin, destination, v, y)
        result.append(fixed if hit else o)
    return result


@polars_frames("df")
def add_codes(
    df: pl.DataFrame,
    column: str,
    origin: str,
    destinations: tuple[str, ...] = ("iso3c", "cown", "gwn"),
    *,
    strict: bool = True,
    file: str = "<table>",
    year_column: str | None = None,
) -> pl.DataFrame:
    """Add one column per destination scheme (named after it); rows never change.

    With ``strict`` an unmatched, non-null code raises an error naming each row; otherwise the
    new cell stays null. ``year_column``: the year of each row, for the codes whose state
    depends on it (see the overrides above).
    """
    for name, col in (("column", column), ("year_column", year_column)):
        if col is not None and col not in df.columns:
            raise ParameterError(
                name, f"no column {col!r} in the table (has: {', '.join(df.columns)})"
            )
    codes = df[column].to_list()
    if year_column is not None:
        yrs = df[year_column].cast(pl.Int32, strict=False).to_list()
        keys = list(zip(codes, yrs, strict=True))
    else:
        keys = [(c, None) for c in codes]
    distinct = [k for k in dict.fromkeys(keys) if k[0] is not None]
    out = df
    for dest in destinations:
        converted = convert([c for c, _ in distinct], origin, dest, year=[y for _, y in distinct])
        mapped = dict(zip(distinct, converted, strict=True))
        if strict:
            bad = [
                Issue(
                    file,
                    i,
                    column,
                    "unknown_code",
                    f"no {dest} code for this {origin} code",
                    str(k),
                )
                for i, (k, y) in enumerate(keys, start=1)
                if k is not None and mapped.get((k, y)) is None
            ]
            if bad:
                raise DataValidationError(bad)
        dtype = pl.Int32 if dest in ("cown", "gwn") else pl.String
        out = out.with_columns(
            pl.Series(
                dest, [mapped.get(k) if k[0] is not None else None for k in keys], dtype=dtype
            )
        )
    return out


# Codes of states in the COW state system that the countrycode code list lacks.
_EXTRA_COW = frozenset({260, 730})  # German Federal Republic (1955-90), Korea (1887-1905)
_EXTRA_GW = frozenset({89, 99, 255, 271, 273, 275, 563, 711, 730, 815, 816})


@lru_cache(maxsize=2)
def builtin_codes(system: str = "cow") -> frozenset[int]:
    """State codes known without an imported state list: countrycode's ``cown``/``gwn`` column
    plus the historical states it lacks. Used to check codes when the state system itself has
    not been imported; an imported state list (catalog) takes precedence (see
    :mod:`alliancekit.importers`)."""
    from countrycode import codelist  # the code list countrycode loads on import

    col = "cown" if system == "cow" else "gwn"
    codes = set()
    for v in codelist.get(col, []):
        try:
            if v is not None and v == v:
                codes.add(int(v))
        except (TypeError, ValueError):
            continue
    return frozenset(codes | (_EXTRA_COW if system == "cow" else _EXTRA_GW))
