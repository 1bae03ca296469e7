"""Citing the curated data: the sources behind a subset of it (peacesciencer's ``ps_cite()``)
and the citation of the dataset itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import polars as pl

from alliancekit.schema import EVENT_KINDS, ID_COLUMN, TIE_KINDS, ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.data import Dataset


def cite(
    table: str | None = None,
    *,
    actor: str | None = None,
    kind: str | None = None,
    ids: Iterable[str] | None = None,
    data: Dataset | None = None,
) -> pl.DataFrame:
    """The sources behind a subset of the curated data, like peacesciencer's ``ps_cite()``.

    Filters: ``table`` (actors, ties, events; default all), ``actor`` (rows that involve it),
    ``kind`` (tie or event kind), ``ids`` (row ids). Returns one row per distinct source with
    its source kind(s), the tables and the number of rows it supports.
    """
    from alliancekit.data import TABLES, load

    data = data or load()
    tables = [table] if table else list(TABLES)
    if kind is not None:
        known = set(data.ties["kind"].to_list()) | set(data.events["kind"].to_list())
        known |= set(TIE_KINDS) | set(EVENT_KINDS)
        choice(kind, sorted(known), "kind", "kind")
        tables = [t for t in tables if t != "actors"]  # actors have no kind of tie or event
        if not tables:
            raise ParameterError("kind", "actors have no tie or event kind; leave out 'kind'")
    parts = []
    for t in tables:
        df = data.table(t)
        idc = ID_COLUMN[t]
        if actor is not None:
            if actor not in data.actor_ids():
                raise ParameterError("actor", f"unknown actor {actor!r}")
            if t == "actors":
                df = df.filter(pl.col("actor_id") == actor)
            elif t == "ties":
                df = df.filter((pl.col("actor_a") == actor) | (pl.col("actor_b") == actor))
            else:
                df = df.filter(pl.col("actors").list.contains(actor))
        if kind is not None and t != "actors":
            df = df.filter(pl.col("kind") == kind)
        if ids is not None:
            df = df.filter(pl.col(idc).is_in(list(ids)))
        parts.append(
            df.select(
                "source_publisher", "source_url", "source_accessed", "source_kind"
            ).with_columns(table=pl.lit(t))
        )
    allrows = pl.concat(parts)
    return (
        allrows.group_by("source_publisher", "source_url")
        .agg(
            pl.col("source_accessed").max(),
            pl.col("source_kind").unique().sort().str.join(";"),
            pl.col("table").unique().sort().str.join(";").alias("tables"),
            pl.len().alias("rows"),
        )
        .sort("source_publisher", "source_url")
    )


def citation() -> str:
    """How to cite the curated dataset itself."""
    from alliancekit.data import dataset_info

    info = dataset_info()
    return (
        f"alliancekit developers ({info.as_of[:4]}). {info.title}, version {info.version} "
        f"(as of {info.as_of}). Licensed {info.licence}."
    )
