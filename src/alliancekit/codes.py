"""Convert country codes (ISO3, COW, Gleditsch–Ward) in users' tables, via ``countrycode``.

Code names follow R's countrycode: ``iso3c``, ``cown`` (COW numeric), ``cowc`` (COW letters),
``gwn`` (G–W numeric), ``gwc``, ``country.name``.
"""

from __future__ import annotations

import polars as pl

from alliancekit.schema import DataValidationError, Issue, ParameterError

CODE_SCHEMES = ("iso3c", "iso2c", "cown", "cowc", "gwn", "gwc", "country.name")

# countrycode maps VNM to G-W 817 (the Republic of Vietnam, 1954-75); the G-W list codes today's
# Viet Nam, the successor of the DRV, as 816. Corrections apply in both directions.
_CORRECTIONS: dict[tuple[str, str], dict] = {
    ("iso3c", "gwn"): {"VNM": 816},
    ("gwn", "iso3c"): {816: "VNM", 817: None},
}


def _check_scheme(name: str, value: str) -> None:
    if value not in CODE_SCHEMES:
        raise ParameterError(
            name, f"unknown code scheme {value!r}; choose one of {', '.join(CODE_SCHEMES)}"
        )


def convert(values, origin: str, destination: str) -> list:
    """Convert a list of codes; an unmatched code gives ``None`` (never a guess)."""
    from countrycode import countrycode

    _check_scheme("origin", origin)
    _check_scheme("destination", destination)
    values = list(values)
    if not values:
        return []
    out = countrycode(values, origin=origin, destination=destination)
    if not isinstance(out, list):
        out = [out]
    fixes = _CORRECTIONS.get((origin, destination), {})
    return [fixes.get(v, o) if v in fixes else o for v, o in zip(values, out, strict=True)]


def add_codes(
    df: pl.DataFrame,
    column: str,
    origin: str,
    destinations: tuple[str, ...] = ("iso3c", "cown", "gwn"),
    *,
    strict: bool = True,
    file: str = "<table>",
) -> pl.DataFrame:
    """Add one column per destination scheme (named after it); rows never change.

    With ``strict`` an unmatched, non-null code raises an error naming each row; otherwise the
    new cell stays null.
    """
    if column not in df.columns:
        raise ParameterError(
            "column", f"no column {column!r} in the table (has: {', '.join(df.columns)})"
        )
    keys = df[column].to_list()
    distinct = [k for k in dict.fromkeys(keys) if k is not None]
    out = df
    for dest in destinations:
        mapped = dict(zip(distinct, convert(distinct, origin, dest), strict=True))
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
                for i, k in enumerate(keys, start=1)
                if k is not None and mapped.get(k) is None
            ]
            if bad:
                raise DataValidationError(bad)
        dtype = pl.Int32 if dest in ("cown", "gwn") else pl.String
        out = out.with_columns(
            pl.Series(dest, [mapped.get(k) if k is not None else None for k in keys], dtype=dtype)
        )
    return out
