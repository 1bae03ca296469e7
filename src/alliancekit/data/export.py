"""Exporting a table of the curated data, tagged with the dataset's version and as-of date."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from alliancekit.schema import choice

EXPORT_FORMATS = ("csv", "parquet", "json")


def export_frame(
    df: pl.DataFrame,
    path: str | Path,
    fmt: str,
    *,
    raw_csv: bool = False,
    metadata: Mapping[str, str] | None = None,
    members: Mapping[str, object] | None = None,
) -> Path:
    """Write a table with the dataset's version and as-of date (columns, or JSON metadata).

    CSV text cells that a spreadsheet would run as formulas (starting with ``= + - @``) are
    prefixed with ``'`` unless ``raw_csv`` (see :func:`alliancekit.paths.neutralise_formulas`).
    ``metadata``: more Parquet key-value metadata; ``members``: more members of the JSON
    object (the CLI passes a provenance record through these, written in the same pass).
    """
    choice(fmt, EXPORT_FORMATS, "format", "format")
    from alliancekit.data import dataset_info

    info = dataset_info()
    from alliancekit.paths import output_path

    path = output_path(path, "path")
    # Lists do not fit a CSV cell: events' actors go back to their ';'-separated form.
    flat = df.with_columns(
        [pl.col(c).list.join(";") for c, t in df.schema.items() if isinstance(t, pl.List)]
    )
    tagged = flat.with_columns(
        dataset_version=pl.lit(info.version), dataset_as_of=pl.lit(info.as_of)
    )
    if fmt == "csv":
        from alliancekit.paths import neutralise_formulas

        (tagged if raw_csv else neutralise_formulas(tagged)).write_csv(path)
    elif fmt == "parquet":
        tagged.write_parquet(
            path,
            metadata={
                "alliancekit_dataset_version": info.version,
                "alliancekit_dataset_as_of": info.as_of,
                **(metadata or {}),
            },
        )
    else:
        import json

        payload = {
            "dataset": {
                "title": info.title,
                "version": info.version,
                "as_of": info.as_of,
                "licence": info.licence,
            },
            "rows": json.loads(flat.write_json()),
            **(members or {}),
        }
        path.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    return path
