"""The report's "What the data cover" section: a heat map of ties per actor and kind, each
state's share of the agreement ties, the share of rows by source kind; and the one-sentence
coverage notes the network sections carry (:func:`sensitivity_note`)."""

from __future__ import annotations

import math

import polars as pl

from alliancekit.data import Dataset
from alliancekit.data.coverage import (
    MAX_AGREEMENT_SHARE,
    agreement_shares,
    source_kind_shares,
    ties_per_actor_kind,
)
from alliancekit.report.html import Section, chart, esc, table

HEATMAP_MAX_ACTORS = 60


def heatmap_matrix(
    ties: pl.DataFrame, max_actors: int = HEATMAP_MAX_ACTORS
) -> tuple[list[str], list[str], list[list[int]]]:
    """Actors (most ties first, at most ``max_actors``), kinds (most ties first) and the
    actor × kind counts of the heat map."""
    long = ties_per_actor_kind(ties)
    actors = (
        long.group_by("actor")
        .agg(pl.col("ties").sum())
        .sort(["ties", "actor"], descending=[True, False])
        .head(max_actors)["actor"]
        .to_list()
    )
    kinds = (
        ties.group_by("kind")
        .agg(pl.len().alias("n"))
        .sort(["n", "kind"], descending=[True, False])["kind"]
        .to_list()
    )
    cells = {(a, k): n for a, k, n in long.iter_rows()}
    return actors, kinds, [[cells.get((a, k), 0) for k in kinds] for a in actors]


def heatmap_chart(ties: pl.DataFrame, max_actors: int = HEATMAP_MAX_ACTORS) -> dict:
    """The chart spec of the heat map of ties per actor (rows) and kind (columns)."""
    from alliancekit.charts import coverage_heatmap

    return coverage_heatmap(*heatmap_matrix(ties, max_actors))


def _pct(v: float) -> str:
    return "n/a" if v is None or math.isnan(v) else f"{v * 100:.0f}%"


def sections(data: Dataset) -> list[Section]:
    shares = agreement_shares(data.ties, data.actors)
    n_agr = data.ties.filter(pl.col("kind") != "member").height
    over = shares.filter(pl.col("above_max"))
    top = shares.head(10).with_columns(pl.col("share").round(3))
    from alliancekit.burden.data import load_spending

    sources = source_kind_shares(
        {
            "actors": data.actors,
            "ties": data.ties,
            "events": data.events,
            "spending": load_spending(),
        }
    ).with_columns(pl.col("share").round(3))
    ties_by_kind = sources.filter(pl.col("table") == "ties")
    lead = shares.row(0, named=True) if shares.height else None
    balance = (
        f"The balance rule of the dataset asks that no state be a party to more than "
        f"{_pct(MAX_AGREEMENT_SHARE)} of the agreement ties. "
        + (
            f"Above it: {esc(', '.join(over['actor'].to_list()))}."
            if over.height
            else "No state is above it."
        )
    )
    body = (
        "<p>The network findings are only as good as the ties behind them. The heat map counts, "
        "for each actor, the ties of each kind that name it; a dense row next to thin ones means "
        "that actor's ties were curated more fully than others', and measures of centrality "
        "or hub dependence inherit that. "
        f"{n_agr} of the {data.ties.height} ties are agreement (non-membership) ties"
        + (
            f"; {esc(lead['name'])} is a party to {lead['agreement_ties']} of them "
            f"({_pct(lead['share'])})"
            if lead
            else ""
        )
        + f". {balance} Each network section below says how its headline measure changes when "
        "the bilateral agreements, or the agreement ties of the best-covered states, are "
        "left out.</p>"
        + chart(
            heatmap_chart(data.ties),
            "Ties per actor (rows, most ties first) and kind (columns, most common first); "
            "a tie counts once for each of its two parties. Colour on a log scale.",
            "chart-coverage",
        )
        + table(
            top.select("actor", "name", "agreement_ties", "share"),
            labels={
                "actor": "State",
                "name": "Name",
                "agreement_ties": "Agreement ties",
                "share": "Share of all agreement ties",
            },
            formats={"share": "share:1"},
            caption=f"The 10 states party to most of the {n_agr} agreement ties "
            "(share of all agreement ties; shares add up to about 2, a tie has two parties)",
        )
        + table(
            sources,
            labels={
                "table": "Table",
                "source_kind": "Source kind",
                "rows": "Rows",
                "share": "Share of the table's rows",
                "weak_rows": "Rows citing a weak source",
            },
            formats={"share": "share:1"},
            caption="Rows by source kind (official, intergovernmental, scholarly, press) in each "
            "table; weak_rows: rows citing a weak source (propaganda outlet, encyclopedia, "
            "aggregator, document-sharing site, blog)",
        )
    )
    if ties_by_kind.height:
        body += (
            "<p class='note'>Ties by source kind: "
            + esc(
                ", ".join(
                    f"{r['source_kind']} {_pct(r['share'])}"
                    for r in ties_by_kind.iter_rows(named=True)
                )
            )
            + ".</p>"
        )
    return [Section("coverage", "What the data cover", body)]


def _fmt(v: float, digits: int) -> str:
    return "n/a" if v is None or math.isnan(v) else f"{v:.{digits}f}"


def sensitivity_note(sens: pl.DataFrame, measure: str, label: str, digits: int = 3) -> str:
    """One sentence (an HTML paragraph) on how ``measure`` of a
    :func:`alliancekit.network.sensitivity.sensitivity` table moves with coverage."""
    from alliancekit.network.sensitivity import value_range

    rows = sens.filter(pl.col("measure") == measure)
    value = dict(zip(rows["variant"].to_list(), rows["value"].to_list(), strict=True))
    dropped = [v for v in value if v.startswith("no_") and v != "no_bilateral"]
    lo, hi = (
        value_range(rows.filter(pl.col("variant").is_in(dropped)), measure)
        if dropped
        else (
            math.nan,
            math.nan,
        )
    )
    all_lo, all_hi = value_range(rows, measure)
    states = ", ".join(v.removeprefix("no_") for v in dropped)
    best = (
        f", and from {_fmt(lo, digits)} to {_fmt(hi, digits)} with the agreement ties of "
        f"each of the best-covered states ({esc(states)}) left out in turn"
        if dropped
        else ""
    )
    return (
        f"<p class='note'><b>Coverage.</b> {esc(label)} is {_fmt(value.get('all'), digits)} "
        f"on all ties, {_fmt(value.get('no_bilateral', math.nan), digits)} with the bilateral "
        f"agreements left out{best}: a range of {_fmt(all_lo, digits)}–{_fmt(all_hi, digits)} "
        "that reflects what was curated as much as the world (see “What the data cover”).</p>"
    )
