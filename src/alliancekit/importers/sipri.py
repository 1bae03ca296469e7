"""Import SIPRI's Military Expenditure Database workbook (``SIPRI-Milex-data-1949-2024.xlsx``).

alliancekit does not redistribute the file; the user downloads it from
https://www.sipri.org/databases/milex and runs ``alliancekit data import sipri PATH``.

The workbook's published layout: one sheet per measure ("Constant (2023) US$", "Current US$",
"Share of GDP", "Per capita", "Share of Govt. spending", "Local currency financial years",
"Local currency calendar years", plus front-page, notes and regional sheets), a few title and
note rows, then a header row with "Country", "Notes" and one column per year; countries are
rows, with region header rows ("Africa", "North Africa", …) between them. SIPRI's markers:
``...`` (also ``. .``) data not available, ``xxx`` the country did not exist or was not
independent. SIPRI estimates are printed in blue (and explained in the notes); the importer
flags a value as an estimate when its font is blue.

Every cell of every country row of a measure sheet becomes one row of the long table: a number,
or a null value with its marker. A cell that is neither is an error naming the sheet, the Excel
row and the year column; nothing is dropped. Sheets that are not measures are listed as skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from alliancekit.schema import DataValidationError, FirstSeen, Issue, ParameterError

SOURCE_URL = "https://www.sipri.org/databases/milex"
PUBLISHER = "SIPRI Military Expenditure Database"
CATALOG_NAME = "sipri"

MISSING_MARKERS = {
    "...": "not_available",
    ". .": "not_available",
    "..": "not_available",
    ". . .": "not_available",
    "xxx": "not_a_state",
    "xx": "not_a_state",
}

# Names that countrycode maps to a successor state but that SIPRI keeps as their own series.
_NO_ISO3 = {
    "ussr",
    "soviet union",
    "czechoslovakia",
    "german dr",
    "german democratic republic",
    "yemen, north",
    "yemen, south",
    "yugoslavia",
    "serbia and montenegro",
    "kosovo",
}

LONG_SCHEMA = {
    "country": pl.String,
    "actor_id": pl.String,
    "region": pl.String,
    "year": pl.Int32,
    "sheet": pl.String,
    "measure": pl.String,
    "unit": pl.String,
    "price_basis": pl.String,
    "value": pl.Float64,
    "estimate": pl.Boolean,
    "marker": pl.String,
    "notes": pl.String,
    "excel_row": pl.Int32,
}


@dataclass(frozen=True)
class SheetKind:
    measure: str
    unit: str
    price_basis: str | None
    share: bool = False  # stored as a fraction (0.021) or a percent; normalised to percent


def _marker(v: object) -> str | None:
    """The marker a year cell holds instead of a figure: "empty" for an empty cell, SIPRI's
    symbols through MISSING_MARKERS; None for a cell that should hold a figure (the row's
    record checks that it does)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return "empty"
    if isinstance(v, str):
        return MISSING_MARKERS.get(v.strip())
    return None


def classify_sheet(name: str) -> SheetKind | None:
    """The measure a sheet holds, from its name; None for front page, notes, regional totals."""
    n = name.strip().lower()
    m = re.search(r"constant\s*\(?\s*(\d{4})\s*\)?", n)
    if m:
        return SheetKind("defence_expenditure", "usd_mn", f"constant_{m.group(1)}")
    if n.startswith("current us") or n.startswith("current usd"):
        return SheetKind("defence_expenditure", "usd_mn", "current")
    if "share of gdp" in n:
        return SheetKind("burden", "pct_gdp", None, share=True)
    if "per capita" in n:
        return SheetKind("per_capita", "usd", "current")
    if "share of govt" in n or "share of government" in n:
        return SheetKind("share_govt_spending", "pct", None, share=True)
    if "local currency" in n and "calendar" in n:
        return SheetKind("defence_expenditure", "ncu_mn", "current")
    if "local currency" in n and "financial" in n:
        return SheetKind("defence_expenditure_fy", "ncu_mn", "current")
    return None


# SIPRI's series start in 1949; a year header outside this span is an error, never ignored.
YEAR_MIN, YEAR_MAX = 1945, 2100


def _year(value) -> int | None:
    """A header cell that holds a four-digit year (whatever its range), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 1000 <= value <= 2999:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[12]\d{3}(\.0)?\s*", value):
        return int(float(value))
    return None


def _is_blue(cell) -> bool:
    try:
        colour = cell.font.color
    except (AttributeError, KeyError, IndexError):
        return False
    rgb = getattr(colour, "rgb", None) if colour is not None else None
    if not isinstance(rgb, str) or not re.fullmatch(r"[0-9A-Fa-f]{6,8}", rgb):
        return False
    r, g, b = (int(rgb[-6:][i : i + 2], 16) for i in (0, 2, 4))
    return b >= 0x99 and r <= 0x66 and b > g


@dataclass
class WorkbookImport:
    """The long table of a workbook, with what was read and skipped."""

    table: pl.DataFrame
    sheets: dict[str, str] = field(default_factory=dict)  # sheet -> measure read
    skipped: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # countries with no ISO3 actor id
    edition: str = ""


def _iso3_map(names: list[str]) -> dict[str, str | None]:
    from alliancekit.codes import convert

    todo = [n for n in names if n.lower() not in _NO_ISO3]
    out: dict[str, str | None] = {n: None for n in names}
    if todo:
        out.update(dict(zip(todo, convert(todo, "country.name", "iso3c"), strict=True)))
    # Two SIPRI rows never share an actor id: keep the exact match, unmap the others.
    by_id: dict[str, list[str]] = {}
    for n, a in out.items():
        if a:
            by_id.setdefault(a, []).append(n)
    for _a, ns in by_id.items():
        if len(ns) > 1:
            for n in ns[1:]:
                out[n] = None
    return out


def read_workbook(path: str | Path, *, edition: str | None = None) -> WorkbookImport:
    """Read every measure sheet of a SIPRI workbook into one long table (see module docstring)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from alliancekit.schema.records import validate_row

    path = Path(path)
    fname = str(path)
    if not path.is_file():
        raise DataValidationError([Issue(fname, None, None, "missing_file", "file not found")])
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataValidationError(
            [
                Issue(
                    fname,
                    None,
                    None,
                    "not_a_workbook",
                    f"not an Excel .xlsx workbook ({exc.__class__.__name__})",
                )
            ]
        ) from None
    issues: list[Issue] = []
    records: list[tuple] = []
    result = WorkbookImport(pl.DataFrame(schema=LONG_SCHEMA))
    max_year = 0
    try:
        for ws in wb.worksheets:
            kind = classify_sheet(ws.title)
            if kind is None:
                result.skipped.append(ws.title)
                continue
            where = f"{fname} (sheet '{ws.title}')"
            rows = ws.iter_rows()
            header_idx = None
            country_col = notes_col = None
            years: dict[int, int] = {}
            sheet_records: list[list] = []
            region = None
            percent_format = False
            max_share = 0.0
            countries = FirstSeen(
                "Country", "duplicate_row", "'{value}' is listed again (first at row {row})"
            )
            for r_no, row in enumerate(rows, start=1):
                values = [c.value for c in row]
                if header_idx is None:
                    texts = [str(v).strip().lower() if isinstance(v, str) else "" for v in values]
                    if "country" in texts:
                        header_idx = r_no
                        country_col = texts.index("country")
                        notes_col = texts.index("notes") if "notes" in texts else None
                        years = {i: y for i, v in enumerate(values) if (y := _year(v)) is not None}
                        for y in sorted(y for y in years.values() if not YEAR_MIN <= y <= YEAR_MAX):
                            issues.append(
                                Issue(
                                    where,
                                    r_no,
                                    str(y),
                                    "out_of_range",
                                    f"a year column outside {YEAR_MIN}-{YEAR_MAX}",
                                    str(y),
                                )
                            )
                        if not years:
                            issues.append(
                                Issue(
                                    where,
                                    r_no,
                                    "Country",
                                    "no_year_columns",
                                    "the header row has no year columns",
                                )
                            )
                            break
                    elif r_no > 40:
                        break
                    continue
                if country_col >= len(values):
                    continue
                country = values[country_col]
                country = country.strip() if isinstance(country, str) else country
                year_cells = [(i, y) for i, y in years.items() if i < len(values)]
                filled = [
                    values[i]
                    for i, _ in year_cells
                    if values[i] is not None
                    and not (isinstance(values[i], str) and not values[i].strip())
                ]
                if not filled:  # a region header, or a note under the table
                    if country:
                        region = str(country)
                    continue
                # SIPRI's markers (and empty cells) are no figure; what is left must be one.
                markers = {y: _marker(values[i]) for i, y in year_cells}
                cells = {str(y): None if markers[y] else values[i] for i, y in year_cells}
                name = str(country) if country else None
                if name is not None:
                    dup = countries.check(name, where, r_no, name)
                    if dup is not None:
                        issues.append(dup)
                        continue
                shown = {"Country": name, **{str(y): str(values[i]).strip() for i, y in year_cells}}
                res = validate_row("sipri", shown, where, r_no, {"Country": name, "cells": cells})
                if res.issues:
                    issues += res.issues
                    continue
                figures = res.record.cells  # type: ignore[union-attr]
                note = (
                    values[notes_col] if notes_col is not None and notes_col < len(values) else None
                )
                for i, y in year_cells:
                    cell = row[i]
                    num = figures[str(y)]
                    if num is not None and kind.share:
                        fmt = getattr(cell, "number_format", "") or ""
                        percent_format = percent_format or "%" in fmt
                        max_share = max(max_share, abs(num))
                    if num is not None:
                        max_year = max(max_year, y)
                    sheet_records.append(
                        [
                            str(country),
                            None,
                            region,
                            y,
                            ws.title,
                            kind.measure,
                            kind.unit,
                            kind.price_basis,
                            num,
                            bool(num is not None and _is_blue(cell)),
                            markers[y],
                            None if note is None else str(note),
                            r_no,
                        ]
                    )
            if header_idx is None:
                issues.append(
                    Issue(
                        where,
                        None,
                        "Country",
                        "no_header",
                        "no header row with a 'Country' column in the first 40 rows",
                    )
                )
                continue
            if kind.share and (percent_format or max_share <= 1.0):
                for rec in sheet_records:  # stored as fractions (shown as %): to percent
                    if rec[8] is not None:
                        rec[8] = rec[8] * 100
            records += [tuple(r) for r in sheet_records]
            result.sheets[ws.title] = kind.measure
    finally:
        wb.close()
    if issues:
        raise DataValidationError(issues)
    if not result.sheets:
        raise DataValidationError(
            [
                Issue(
                    fname,
                    None,
                    None,
                    "no_measure_sheets",
                    "no sheet of SIPRI's layout (e.g. 'Current US$', 'Share of GDP')",
                )
            ]
        )
    df = pl.DataFrame(records, schema=LONG_SCHEMA, orient="row")
    if df.height == 0:
        raise DataValidationError(
            [
                Issue(
                    fname,
                    None,
                    None,
                    "no_data_rows",
                    "the workbook's measure sheets have headers but no country rows; nothing "
                    "was imported",
                )
            ]
        )
    names = sorted(set(df["country"].to_list()))
    iso = _iso3_map(names)
    result.unmapped = [n for n in names if iso[n] is None]
    df = df.with_columns(
        actor_id=pl.col("country").replace_strict(iso, default=None, return_dtype=pl.String)
    )
    result.table = df
    result.edition = edition or (f"SIPRI {max_year + 1}-04" if max_year else "SIPRI")
    return result


def to_spending(df: pl.DataFrame, edition: str, accessed: dt.date | None = None) -> pl.DataFrame:
    """The workbook's figures in the curated spending format (measures alliancekit computes
    with: spending in current and constant US$, burden); rows without a value or an ISO3 code
    are left out of this view only (they stay in the catalog)."""
    from alliancekit.schema.spending import SPENDING_SCHEMA

    accessed = accessed or dt.date.today()
    keep = df.filter(
        pl.col("value").is_not_null()
        & pl.col("actor_id").is_not_null()
        & pl.col("measure").is_in(["defence_expenditure", "burden"])
        & pl.col("unit").is_in(["usd_mn", "pct_gdp"])
    )
    out = keep.select(
        "actor_id",
        "year",
        "measure",
        "value",
        "unit",
        "price_basis",
        pl.col("estimate").fill_null(False),
        pl.lit(edition).alias("edition"),
        pl.lit(SOURCE_URL).alias("source_url"),
        pl.lit(PUBLISHER).alias("source_publisher"),
        pl.lit(accessed).alias("source_accessed"),
        pl.lit("scholarly").alias("source_kind"),
        pl.lit(accessed).alias("verified_on"),
        pl.col("notes").alias("note"),
        pl.lit("sipri (catalog)").alias("file"),
        pl.col("excel_row").alias("row"),
    )
    return out.cast(SPENDING_SCHEMA)  # type: ignore[arg-type]


def citation(edition: str) -> str:
    """The citation recorded with an import of ``edition``."""
    return (
        f"{PUBLISHER} ({edition}), Stockholm International Peace Research Institute, {SOURCE_URL}"
    )


def catalog_table(res: WorkbookImport) -> pl.DataFrame:
    """The long table as the catalog stores it: with its edition on every row."""
    return res.table.with_columns(edition=pl.lit(res.edition))


def edition_of(df: pl.DataFrame) -> str:
    """The edition a stored table carries."""
    return str(df["edition"][0])


def read_sipri(path: str | Path, *, version: str | None = None) -> pl.DataFrame:
    """Read the workbook into the table the catalog stores as ``sipri`` (``version``: the
    edition label, default from the last year with figures); the reader registered in
    :data:`alliancekit.importers.SOURCES`."""
    return catalog_table(read_workbook(path, edition=version))


def summary(df: pl.DataFrame) -> list[str]:
    """What an imported workbook holds: cells, figures, countries, sheets, edition, and the
    countries without an ISO3 actor id."""
    lines = [
        f"imported {df.height} cells ({df['value'].is_not_null().sum()} figures) of "
        f"{df['country'].n_unique()} countries from {df['sheet'].n_unique()} sheets as "
        f"'{CATALOG_NAME}' ({edition_of(df)})"
    ]
    unmapped = sorted(set(df.filter(pl.col("actor_id").is_null())["country"].to_list()))
    if unmapped:
        lines.append(
            "countries without an ISO3 actor id (kept, not used by burden commands): "
            + ", ".join(unmapped)
        )
    return lines


def import_sipri(
    path: str | Path, home: str | Path | None = None, *, edition: str | None = None
) -> WorkbookImport:
    """Read the workbook and store its long table in the local catalog as ``sipri``, by the
    path every importer takes (:func:`alliancekit.importers.store.store_table`)."""
    from alliancekit.catalog import open_catalog
    from alliancekit.importers.store import store_table

    res = read_workbook(path, edition=edition)
    store_table(CATALOG_NAME, catalog_table(res), path, open_catalog(home))
    return res


def load_sipri_spending(home: str | Path | None = None) -> pl.DataFrame:
    """The imported SIPRI figures in the spending format (raises MissingImportError when the
    workbook was never imported)."""
    from alliancekit.catalog import open_catalog

    df = open_catalog(home).read(CATALOG_NAME)
    if not isinstance(df, pl.DataFrame):  # a catalog may hand back a lazy frame or arrow
        df = pl.DataFrame(df.collect() if hasattr(df, "collect") else df)
    if "edition" not in df.columns or df.is_empty():
        raise ParameterError("source", "the stored SIPRI table has no edition; import it again")
    return to_spending(df, str(df["edition"][0]))
