"""The columns, types and vocabularies of a spending table (and the source columns' types,
which every curated table shares), shared by the curated figures
(:mod:`alliancekit.burden.data`), the imported SIPRI workbook
(:mod:`alliancekit.importers.sipri`), which both hand the burden measures this frame, and the
record that validates a figure (:class:`alliancekit.schema.records.Spending`)."""

from __future__ import annotations

import re

import polars as pl

# The source and review columns every curated table carries, with their types.
SOURCE_SCHEMA = {
    "source_url": pl.String,
    "source_publisher": pl.String,
    "source_accessed": pl.Date,
    "source_kind": pl.String,
    "verified_on": pl.Date,
    "note": pl.String,
}

SPENDING_SCHEMA = {
    "actor_id": pl.String,
    "year": pl.Int32,
    "measure": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "price_basis": pl.String,
    "estimate": pl.Boolean,
    "edition": pl.String,
    **SOURCE_SCHEMA,
    "file": pl.String,
    "row": pl.Int32,
}

SPENDING_COLUMNS = tuple(c for c in SPENDING_SCHEMA if c not in ("file", "row"))
OPTIONAL_SPENDING_COLUMNS = {"note"}

# measure -> units it may be published in
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "defence_expenditure": ("usd_mn", "usd_bn", "ncu_mn"),
    "gdp": ("usd_mn", "usd_bn", "ncu_mn"),
    "burden": ("pct_gdp",),
    "population": ("mn_people",),
    "real_change": ("pct",),
    "defence_related": ("pct_gdp", "usd_mn", "usd_bn", "ncu_mn"),
}
MEASURES = tuple(MEASURE_UNITS)
UNITS = ("usd_mn", "usd_bn", "pct_gdp", "mn_people", "pct", "ncu_mn")
MONEY_UNITS = ("usd_mn", "usd_bn", "ncu_mn")
# Shares and counts have no price basis.
UNPRICED_UNITS = ("pct_gdp", "mn_people")
# Money needs a price basis; shares and counts have none. A real change is measured at constant
# prices and may name them.
PRICE_RE = re.compile(r"^(current|constant_(\d{4}))$")
EDITION_RE = re.compile(r"^(?P<publisher>\S.*?)\s+(?P<date>\d{4}(?:-\d{2})?)$")
# Measures that may be negative (a real change can be a fall).
SIGNED_MEASURES = {"real_change"}
