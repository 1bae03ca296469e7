"""The columns and types of a spending table, shared by the curated figures
(:mod:`alliancekit.burden.data`) and the imported SIPRI workbook
(:mod:`alliancekit.importers.sipri`), which both hand the burden measures this frame."""

from __future__ import annotations

import polars as pl

SPENDING_SCHEMA = {
    "actor_id": pl.String,
    "year": pl.Int32,
    "measure": pl.String,
    "value": pl.Float64,
    "unit": pl.String,
    "price_basis": pl.String,
    "estimate": pl.Boolean,
    "edition": pl.String,
    "source_url": pl.String,
    "source_publisher": pl.String,
    "source_accessed": pl.Date,
    "source_kind": pl.String,
    "verified_on": pl.Date,
    "note": pl.String,
    "file": pl.String,
    "row": pl.Int32,
}
