"""``alliancekit data import`` and ``alliancekit data list``: the local catalog of reference data.

Registered onto the ``data`` app by :func:`register`. Heavy libraries load inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import typer

DATASETS = {
    "atop": "atop",
    "nmc": "nmc",
    "sipri": "sipri",
    "cow-states": "cow_states",
    "gw-states": "gw_states",
    "majors": "majors",
    "contiguity": "contiguity",
    "gml-mids": "gml_mids",
    "igos": "igos",
    "igos-states": "igos_states",
    "mindist": "mindist",
    "capitals": "capitals",
    "rivalries": "rivalries",
}
HomeOpt = typer.Option(
    None,
    "--home",
    help="Catalog folder (default: $ALLIANCEKIT_HOME, else the user data directory).",
)


def import_dataset(
    dataset: str,
    path: Path,
    home: Path | None = None,
    version: str | None = None,
    citation: str | None = None,
):
    """Validate ``path`` as ``dataset`` (its command name) and store it: the CLI's door to
    :func:`alliancekit.importers.store.import_file`."""
    from alliancekit.importers import SOURCES
    from alliancekit.importers.store import import_file
    from alliancekit.schema import choice

    name = DATASETS.get(dataset, dataset)
    if name not in SOURCES:
        choice(dataset, DATASETS, "DATASET", "dataset")
    return import_file(name, path, home, version=version, citation=citation)


# The version a dataset's file is recorded with; SIPRI calls it the edition.
VERSION_FLAGS = {"sipri": ("--edition", "--version")}
VERSION_HELP = {
    "sipri": "Edition label, e.g. 'SIPRI 2025-04' (default: from the last year with figures)."
}


def _import_command(dataset: str):
    def command(
        path: Path = typer.Argument(
            ..., help="The file as downloaded (csv, csv.gz, txt or parquet)."
        ),
        home: Path = HomeOpt,
        version: str = typer.Option(
            None,
            *VERSION_FLAGS.get(dataset, ("--version",)),
            help=VERSION_HELP.get(
                dataset, "Version to record (default: the version the importer knows)."
            ),
        ),
        citation: str = typer.Option(None, "--citation", help="Citation to record."),
    ) -> None:
        from alliancekit.cli._output import console, styled
        from alliancekit.importers.store import source_of

        with console.status(f"validating {path.name} as {dataset} ..."):
            imported = import_dataset(dataset, path, home, version, citation)
        result, cat = imported.result, imported.catalog
        verb = "stored" if result.changed else "already imported (unchanged)"
        console.print(
            styled(
                verb,
                "green",
                f": {result.name}, {result.rows:,} rows read and stored, "
                f"none dropped, from {path.name} (sha256 {result.sha256[:12]}) in {cat.path}",
            )
        )
        for line in source_of(result.name).summary(imported.table):
            console.print(line, highlight=False)

    command.__doc__ = f"Validate a {HELP[dataset]} file and store it in the local catalog."
    return command


HELP = {
    "atop": "ATOP dyad-year (atop5_1ddyr.csv or the peacesciencer table)",
    "nmc": "COW National Material Capabilities (NMC-60-abridged.csv or peacesciencer's)",
    "sipri": "SIPRI military expenditure workbook (SIPRI-Milex-data-1949-YYYY.xlsx)",
    "cow-states": "COW state-system membership (states2016.csv)",
    "gw-states": "Gleditsch-Ward state list (ksgmdw.txt or peacesciencer's)",
    "majors": "COW major powers (majors2016.csv)",
    "contiguity": "COW direct contiguity (contdir.csv or peacesciencer's)",
    "gml-mids": "GML directed dispute-dyad-year (gml-ddy-disputes-2.2.1.csv)",
    "igos": "COW IGO dyad-year (dyadic_formatv3.csv or peacesciencer's cow_igo_ndy)",
    "igos-states": "COW IGO state-year (state_year_formatv3.csv or peacesciencer's cow_igo_sy)",
    "mindist": "minimum-distance dyad-year (peacesciencer's cow_mindist)",
    "capitals": "capitals with dates and coordinates (peacesciencer's cow_capitals)",
    "rivalries": "Thompson-Sakuwa-Suhas strategic rivalries (peacesciencer's tss_rivalries)",
}


def register(data_app: typer.Typer) -> None:
    """Add the ``import`` group (one command per dataset) and ``list`` to ``alliancekit data``.

    If another concern has already created the ``import`` group, the commands join it.
    """
    group = None
    for info in data_app.registered_groups:
        if info.name == "import" and info.typer_instance is not None:
            group = info.typer_instance
    if group is None:
        group = typer.Typer(
            help="Import reference data from the publishers' files (or the "
            "peacesciencer tables) into the local catalog.",
            no_args_is_help=True,
        )
        data_app.add_typer(group, name="import")
    for dataset in DATASETS:
        group.command(dataset)(_import_command(dataset))

    @data_app.command("list")
    def list_cmd(
        home: Path = HomeOpt,
        fmt: str = typer.Option("table", "--format", help="table, csv or json"),
    ) -> None:
        """Show the imported reference datasets."""
        from alliancekit.catalog import open_catalog
        from alliancekit.cli._output import check_format, console, emit

        check_format(fmt)
        cat = open_catalog(home)
        df = cat.list()
        if df.is_empty() and fmt == "table":
            console.print(
                f"nothing imported yet in {cat.home}: run 'alliancekit data import DATASET PATH'"
            )
            return
        if fmt == "table":
            import polars as pl

            df = df.select(
                "name",
                "file",
                "rows",
                "version",
                pl.col("sha256").str.slice(0, 12),
                pl.col("imported_at").dt.strftime("%Y-%m-%d %H:%M"),
            )
        emit(df, fmt, title=f"imported datasets ({cat.home})")
