"""Selections of the curated tables shared by the CLI, the report and the app."""

from __future__ import annotations

import polars as pl

from alliancekit.data import Dataset, in_force_during
from alliancekit.schema import ParameterError


def _check_actor(data: Dataset, actor: str, parameter: str = "actor") -> None:
    if actor not in data.actor_ids():
        raise ParameterError(
            parameter, f"unknown actor {actor!r}; see 'alliancekit data show actors'"
        )


def ties_of(
    actor: str, data: Dataset | None = None, *, kind: str | None = None, year: int | None = None
) -> pl.DataFrame:
    """Every tie of ``actor`` on either side of it (``actor_a`` or ``actor_b``), with an
    ``other`` column naming the actor at the other end; ``kind`` and ``year`` (in force
    during it) filter. ``data``: a loaded dataset (default: the curated one)."""
    if data is None:
        from alliancekit.data import load

        data = load()
    df = select_rows(data, "ties", actor=actor, kind=kind, year=year)
    other = pl.when(pl.col("actor_a") == actor).then("actor_b").otherwise("actor_a")
    return df.with_columns(other.alias("other"))


def select_rows(
    data: Dataset,
    table: str,
    *,
    actor: str | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> pl.DataFrame:
    """Rows of one table that involve ``actor``, have ``kind`` and fall in ``year``."""
    df = data.table(table)
    if actor is not None:
        _check_actor(data, actor)
        if table == "actors":
            df = df.filter(pl.col("actor_id") == actor)
        elif table == "ties":
            df = df.filter((pl.col("actor_a") == actor) | (pl.col("actor_b") == actor))
        else:
            df = df.filter(pl.col("actors").list.contains(actor))
    if kind is not None:
        known = set(df["kind"].unique().to_list()) | set(
            data.table(table)["kind"].unique().to_list()
        )
        if kind not in known:
            raise ParameterError(
                "kind", f"no {table} of kind {kind!r}; kinds: {', '.join(sorted(known))}"
            )
        df = df.filter(pl.col("kind") == kind)
    if year is not None:
        if table == "ties":
            df = in_force_during(df, year)
        elif table == "events":
            df = df.filter(pl.col("date_start").dt.year() == year)
        else:
            raise ParameterError("year", "actors have no dates; a year selects ties or events")
    return df


def timeline(data: Dataset, actor: str, with_actor: str | None = None) -> pl.DataFrame:
    """The dated story of one actor: each tie's signature, entry into force and end, and each
    event, in date order, with sources.

    ``with_actor`` keeps ties with that counterpart and events naming both.
    """
    _check_actor(data, actor)
    if with_actor is not None:
        _check_actor(data, with_actor, "with")
    t = data.ties.filter((pl.col("actor_a") == actor) | (pl.col("actor_b") == actor))
    if with_actor is not None:
        t = t.filter((pl.col("actor_a") == with_actor) | (pl.col("actor_b") == with_actor))
    steps = []
    for col, what in (("signed", "signed"), ("in_force", "in force"), ("ended", "ended")):
        steps.append(
            t.filter(pl.col(col).is_not_null()).select(
                date=pl.col(col),
                what=pl.lit(what),
                kind=pl.col("kind"),
                with_=pl.when(pl.col("actor_a") == actor)
                .then(pl.col("actor_b"))
                .otherwise(pl.col("actor_a")),
                title=pl.col("name"),
                id=pl.col("tie_id"),
                source_publisher=pl.col("source_publisher"),
                source_url=pl.col("source_url"),
            )
        )
    e = data.events.filter(pl.col("actors").list.contains(actor))
    if with_actor is not None:
        e = e.filter(pl.col("actors").list.contains(with_actor))
    steps.append(
        e.select(
            date=pl.col("date"),
            what=pl.lit("event"),
            kind=pl.col("kind"),
            with_=pl.col("actors")
            .list.eval(pl.element().filter(pl.element() != actor))
            .list.join(";"),
            title=pl.col("title"),
            id=pl.col("event_id"),
            source_publisher=pl.col("source_publisher"),
            source_url=pl.col("source_url"),
        )
    )
    out = pl.concat(steps).rename({"with_": "with"})
    # Sort at the stored precision: a bare year sorts before the days of that year. On one
    # day the story reads event, signature, entry into force, end.
    step = pl.col("what").replace_strict(_STEP_ORDER, return_dtype=pl.Int8)
    return out.sort(pl.col("date"), step, pl.col("id"))


_STEP_ORDER = {"event": 0, "signed": 1, "in force": 2, "ended": 3}


def ties_per_kind_year(ties: pl.DataFrame, first: int, last: int) -> pl.DataFrame:
    """Number of ties in force on 31 December of each year, by kind (long format, zeros kept)."""
    if last < first:
        raise ParameterError("years", f"last year {last} is before first year {first}")
    years = pl.DataFrame({"year": pl.int_range(first, last + 1, eager=True, dtype=pl.Int32)})
    kinds = pl.DataFrame({"kind": sorted(set(ties["kind"].to_list()))}, schema={"kind": pl.String})
    grid = years.join(kinds, how="cross")
    dated = ties.filter(pl.col("start").is_not_null())
    counts = (
        years.join(dated.select("kind", "start", "end"), how="cross")
        .with_columns(day=pl.date(pl.col("year"), 12, 31))
        .filter(
            (pl.col("start") <= pl.col("day"))
            & (pl.col("end").is_null() | (pl.col("end") > pl.col("day")))
        )
        .group_by("year", "kind")
        .agg(pl.len().alias("ties"))
    )
    return (
        grid.join(counts, on=["year", "kind"], how="left")
        .with_columns(pl.col("ties").fill_null(0).cast(pl.Int32))
        .sort("year", "kind")
    )
