"""What the curated data cover: ties per actor, kind and year, each state's share of the
agreement ties, and the share of rows by ``source_kind``.

The network findings are only as good as the ties behind them; these tables show where the
curation is dense and where it is thin. *Agreement ties* are every tie that is not a membership
(``kind != "member"``): the bilateral and minilateral instruments between states, and a state's
partnership instruments with an organisation. A state's *agreement share* is the number of
agreement ties it is a party to divided by the number of agreement ties, so the shares of all
states add up to about 2 (a tie has two parties).

Every function is a pure function of polars tables; the CLI (``alliancekit data coverage``) and
the report only print what they return.

>>> from alliancekit.data import load
>>> from alliancekit.data.coverage import agreement_shares
>>> agreement_shares(load().ties, load().actors).head(3)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from alliancekit.schema import ParameterError, choice, weak_source

COVERAGE_BY = ("actor", "kind", "year")
# The balance rule of dataset v2 (issue 14): no state is a party to more than this share of the
# agreement ties.
MAX_AGREEMENT_SHARE = 0.35


def is_agreement() -> pl.Expr:
    """True for an agreement tie: every kind but ``member``."""
    return pl.col("kind") != "member"


def agreement_ties(ties: pl.DataFrame) -> pl.DataFrame:
    """The ties that are not memberships (see the module notes)."""
    return ties.filter(is_agreement())


def _parties(ties: pl.DataFrame) -> pl.DataFrame:
    """One row per tie and party: tie_id, kind, actor (a tie between A and B gives two rows)."""
    return pl.concat(
        [
            ties.select("tie_id", "kind", pl.col(side).alias("actor"))
            for side in ("actor_a", "actor_b")
        ]
    ).unique(["tie_id", "actor"], maintain_order=True)


def ties_per_actor_kind(ties: pl.DataFrame) -> pl.DataFrame:
    """Long table: actor, kind, ties (the number of ties of that kind the actor is a party to),
    sorted by actor and kind."""
    return (
        _parties(ties)
        .group_by("actor", "kind")
        .agg(pl.len().cast(pl.Int64).alias("ties"))
        .sort("actor", "kind")
    )


def agreement_shares(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """Each state's count and share of the agreement ties, the largest first.

    Columns: actor, name, agreement_ties, share (of all agreement ties, 0–1), above_max (share
    above :data:`MAX_AGREEMENT_SHARE`). States with no agreement tie are listed with 0.
    """
    agr = agreement_ties(ties)
    total = agr.height
    states = actors.filter(pl.col("kind") == "state").select(
        pl.col("actor_id").alias("actor"), "name"
    )
    counts = _parties(agr).group_by("actor").agg(pl.len().cast(pl.Int64).alias("agreement_ties"))
    return (
        states.join(counts, on="actor", how="left")
        .with_columns(pl.col("agreement_ties").fill_null(0))
        .with_columns(
            share=(pl.col("agreement_ties") / total) if total else pl.lit(0.0),
        )
        .with_columns(above_max=pl.col("share") > MAX_AGREEMENT_SHARE)
        .sort(["agreement_ties", "actor"], descending=[True, False])
    )


def best_covered(ties: pl.DataFrame, actors: pl.DataFrame, n: int = 3) -> list[str]:
    """The ``n`` states party to the most agreement ties (ties broken by actor id)."""
    if n < 0:
        raise ParameterError("n", f"must be 0 or more, not {n}")
    shares = agreement_shares(ties, actors).filter(pl.col("agreement_ties") > 0)
    return shares.head(n)["actor"].to_list()


def coverage_by_actor(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """One row per actor: actor, name, actor_kind, ties, agreement_ties, agreement_share (of all
    agreement ties), then one column per tie kind in the data (the number of ties of that kind
    the actor is a party to); most ties first."""
    long = ties_per_actor_kind(ties)
    kinds = sorted(set(ties["kind"].to_list()))
    agreement_kinds = [k for k in kinds if k != "member"]
    total = agreement_ties(ties).height
    wide = (
        long.pivot(on="kind", index="actor", values="ties")
        if long.height
        else pl.DataFrame(schema={"actor": pl.String})
    )
    base = actors.select(
        pl.col("actor_id").alias("actor"), "name", pl.col("kind").alias("actor_kind")
    )
    out = base.join(wide, on="actor", how="left").with_columns(
        [
            pl.col(k).fill_null(0).cast(pl.Int64)
            if k in wide.columns
            else pl.lit(0, pl.Int64).alias(k)
            for k in kinds
        ]
    )

    def total_of(cols: list[str]) -> pl.Expr:
        return pl.sum_horizontal(cols) if cols else pl.lit(0, pl.Int64)

    out = out.with_columns(
        ties=total_of(kinds), agreement_ties=total_of(agreement_kinds)
    ).with_columns(agreement_share=(pl.col("agreement_ties") / total) if total else pl.lit(0.0))
    return out.select(
        "actor", "name", "actor_kind", "ties", "agreement_ties", "agreement_share", *kinds
    ).sort(["ties", "actor"], descending=[True, False])


def coverage_by_kind(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """One row per tie kind: kind, ties, share (of all ties), states (distinct state parties),
    top_state and top_state_share (the share of the kind's ties that involve its most frequent
    state: 1.0 means every tie of the kind involves that one state)."""
    states = set(actors.filter(pl.col("kind") == "state")["actor_id"].to_list())
    total = ties.height
    per_kind = ties.group_by("kind").agg(pl.len().cast(pl.Int64).alias("ties"))
    parties = _parties(ties).filter(pl.col("actor").is_in(sorted(states)))
    top = (
        parties.group_by("kind", "actor")
        .agg(pl.len().alias("n"))
        .sort(["kind", "n", "actor"], descending=[False, True, False])
        .group_by("kind", maintain_order=True)
        .agg(
            pl.col("actor").n_unique().alias("states"),
            pl.col("actor").first().alias("top_state"),
            pl.col("n").first().alias("top_n"),
        )
    )
    return (
        per_kind.join(top, on="kind", how="left")
        .with_columns(
            share=(pl.col("ties") / total) if total else pl.lit(0.0),
            states=pl.col("states").fill_null(0).cast(pl.Int64),
            top_state_share=pl.col("top_n") / pl.col("ties"),
        )
        .select("kind", "ties", "share", "states", "top_state", "top_state_share")
        .sort(["ties", "kind"], descending=[True, False])
    )


def coverage_by_year(ties: pl.DataFrame, first: int | None = None, last: int | None = None):
    """One row per year: year, ties_started and agreement_ties_started (ties whose first day in
    force falls in the year), in_force and agreement_in_force (on 31 December). Ties without a
    date are not counted. ``first``/``last`` default to the first start year and the last."""
    dated = ties.filter(pl.col("start").is_not_null()).with_columns(
        agreement=is_agreement(), y0=pl.col("start").dt.year()
    )
    if dated.is_empty():
        return pl.DataFrame(
            schema={
                "year": pl.Int32,
                "ties_started": pl.Int64,
                "agreement_ties_started": pl.Int64,
                "in_force": pl.Int64,
                "agreement_in_force": pl.Int64,
            }
        )
    first = int(dated["y0"].min()) if first is None else first
    last = int(dated["y0"].max()) if last is None else last
    if last < first:
        raise ParameterError("last", f"must not be before first ({first}), not {last}")
    years = pl.DataFrame({"year": list(range(first, last + 1))}, schema={"year": pl.Int32})
    cross = years.join(dated.select("agreement", "y0", "start", "end"), how="cross").with_columns(
        dec31=pl.date(pl.col("year"), 12, 31)
    )
    live = (pl.col("start") <= pl.col("dec31")) & (
        pl.col("end").is_null() | (pl.col("end") > pl.col("dec31"))
    )
    started = pl.col("y0") == pl.col("year")
    return (
        cross.group_by("year")
        .agg(
            started.sum().cast(pl.Int64).alias("ties_started"),
            (started & pl.col("agreement")).sum().cast(pl.Int64).alias("agreement_ties_started"),
            live.sum().cast(pl.Int64).alias("in_force"),
            (live & pl.col("agreement")).sum().cast(pl.Int64).alias("agreement_in_force"),
        )
        .sort("year")
    )


def source_kind_shares(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The share of rows by ``source_kind`` in each table (and over all of them, ``all``).

    ``tables`` maps a name (actors, ties, events, spending) to a table with ``source_kind`` and
    ``source_url``. Columns: table, source_kind, rows, share (of the table's rows), weak_rows
    (rows whose source is weak, :func:`alliancekit.schema.weak_source`).
    """
    parts = []
    for name, df in tables.items():
        if "source_kind" not in df.columns:
            raise ParameterError("tables", f"table {name!r} has no source_kind column")
        parts.append(df.select(pl.lit(name).alias("table"), "source_kind", "source_url"))
    if not parts:
        raise ParameterError("tables", "give at least one table")
    rows = pl.concat(parts)
    urls = rows["source_url"].unique().to_list()
    weak = pl.DataFrame(
        {"source_url": urls, "weak": [weak_source(u) is not None for u in urls]},
        schema={"source_url": pl.String, "weak": pl.Boolean},
    )
    rows = rows.join(weak, on="source_url", how="left")
    rows = pl.concat([rows, rows.with_columns(table=pl.lit("all"))])
    order = {n: i for i, n in enumerate([*tables, "all"])}
    return (
        rows.group_by("table", "source_kind")
        .agg(
            pl.len().cast(pl.Int64).alias("rows"),
            pl.col("weak").sum().cast(pl.Int64).alias("weak_rows"),
        )
        .with_columns(share=pl.col("rows") / pl.col("rows").sum().over("table"))
        .with_columns(_order=pl.col("table").replace_strict(order, return_dtype=pl.Int32))
        .sort(["_order", "rows", "source_kind"], descending=[False, True, False])
        .select("table", "source_kind", "rows", "share", "weak_rows")
    )


@dataclass(frozen=True)
class Coverage:
    """The coverage tables: ``table`` (by actor, kind or year, as asked), ``balance`` (each
    state's agreement share, :func:`agreement_shares`) and ``sources`` (the share of rows by
    source_kind, :func:`source_kind_shares`)."""

    by: str
    table: pl.DataFrame
    balance: pl.DataFrame
    sources: pl.DataFrame


def coverage(data, by: str = "actor", spending: pl.DataFrame | None = None) -> Coverage:
    """Coverage of a loaded dataset (:func:`alliancekit.data.load`) by ``actor``, ``kind`` or
    ``year``; ``spending`` (the spending figures, optional) joins the source-kind shares."""
    choice(by, COVERAGE_BY, "by", "view")
    if by == "actor":
        table = coverage_by_actor(data.ties, data.actors)
    elif by == "kind":
        table = coverage_by_kind(data.ties, data.actors)
    else:
        table = coverage_by_year(data.ties, last=int(data.info.as_of[:4]))
    tables = {"actors": data.actors, "ties": data.ties, "events": data.events}
    if spending is not None:
        tables["spending"] = spending
    return Coverage(by, table, agreement_shares(data.ties, data.actors), source_kind_shares(tables))
