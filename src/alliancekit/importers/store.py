"""Store a publisher's file in the local catalog: the one path every importer's table takes,
from ``alliancekit data import DATASET PATH`` and from Python (:func:`import_file`,
:func:`alliancekit.importers.sipri.import_sipri`).

The dataset's :class:`~alliancekit.importers.Source` (registered in
:data:`alliancekit.importers.SOURCES`) gives the reader, the version and the citation to record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from alliancekit.schema import choice

if TYPE_CHECKING:
    import polars as pl

    from alliancekit.catalog import Catalog, StoreResult


@dataclass(frozen=True)
class Imported:
    """What an import stored: the catalog's record of it, the catalog and the table."""

    result: StoreResult
    catalog: Catalog
    table: pl.DataFrame


def source_of(name: str):
    """The registered :class:`~alliancekit.importers.Source` called ``name``."""
    from alliancekit.importers import SOURCES

    choice(name, SOURCES, "name", "dataset")
    return SOURCES[name]


def store_table(
    name: str,
    df: pl.DataFrame,
    path: str | Path | None,
    catalog: Catalog,
    *,
    version: str | None = None,
    citation: str | None = None,
) -> StoreResult:
    """Store a table read by dataset ``name``'s reader, with the version and citation its
    source records unless given."""
    source = source_of(name)
    return catalog.store(
        name,
        df,
        source_file=path,
        version=version or source.version_for(df),
        citation=citation or source.citation_for(df),
    )


def import_file(
    name: str,
    path: str | Path,
    home: str | Path | None = None,
    *,
    version: str | None = None,
    citation: str | None = None,
) -> Imported:
    """Validate ``path`` with dataset ``name``'s reader and store it in the catalog at ``home``.

    COW-coded datasets are checked against an imported COW state list when the catalog has
    one (else the built-in list). A source that labels its rows with their version (SIPRI's
    edition) is given ``version``. Raises
    :class:`~alliancekit.schema.DataValidationError` for a bad file (nothing is stored).
    """
    from alliancekit.catalog import open_catalog

    source = source_of(name)
    catalog = open_catalog(home)
    kwargs = {}
    if source.cow_coded and catalog.has("cow_states"):
        # An imported COW state list is the reference for codes (else the built-in list).
        kwargs["known_codes"] = set(catalog.read("cow_states")["ccode"].to_list())
    if source.labels_version and version:
        kwargs["version"] = version
    df = source.reader(path, **kwargs)
    result = store_table(name, df, path, catalog, version=version, citation=citation)
    return Imported(result, catalog, df)
