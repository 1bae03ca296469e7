"""Options that several command groups share (kept apart from :mod:`alliancekit.cli._output`,
which imports rich: the command modules are imported at every start)."""

from __future__ import annotations

import typer

OutputOpt = typer.Option(
    None,
    "-o",
    "--output",
    help="Write the table to this file instead of printing it: .parquet, .csv, .feather, .dta "
    "or .rds, with its provenance record (in the file's metadata, or a sidecar .json).",
)
