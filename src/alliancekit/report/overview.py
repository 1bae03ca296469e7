"""Report sections of the curated dataset: overview, ties over time, the Japan–NATO story, actors."""

from __future__ import annotations

import polars as pl

from alliancekit.data import Dataset
from alliancekit.plotting import new_figure, to_svg
from alliancekit.query import ties_per_kind_year, timeline
from alliancekit.report.html import Section, esc, figure, table

FIRST_YEAR = 1949  # the North Atlantic Treaty: the system this report studies starts here


def _kpis(data: Dataset) -> str:
    items = [
        ("actors", data.actors.height),
        ("ties", data.ties.height),
        ("tie kinds", data.ties["kind"].n_unique()),
        ("events", data.events.height),
        ("sources", data.ties["source_url"].n_unique()),
    ]
    return "".join(f'<span class="kpi"><b>{v}</b>{esc(k)}</span>' for k, v in items)


def ties_chart(data: Dataset) -> str:
    """Stacked area: ties in force at the end of each year, by kind."""
    last = int(data.info.as_of[:4])
    long = ties_per_kind_year(data.ties, FIRST_YEAR, last)
    wide = long.pivot(on="kind", index="year", values="ties").sort("year")
    kinds = [c for c in wide.columns if c != "year"]
    fig, ax = new_figure(10, 4.6)
    ax.stackplot(
        wide["year"].to_list(),
        [wide[k].to_list() for k in kinds],
        labels=kinds,
        alpha=0.9,
        colors=[_kind_colour(i) for i in range(len(kinds))],
    )
    ax.set_xlim(FIRST_YEAR, last)
    ax.set_ylabel("ties in force (31 December)")
    ax.set_title("Ties in force per kind, per year")
    ax.legend(loc="upper left", fontsize=7, ncols=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return to_svg(fig)


def _kind_colour(i: int) -> str:
    palette = [
        "#1f5fa8",
        "#c2452d",
        "#6b3fa0",
        "#2a9d8f",
        "#e9c46a",
        "#f4a261",
        "#264653",
        "#8ab17d",
        "#b56576",
        "#457b9d",
        "#adb5bd",
        "#d62828",
        "#6a994e",
        "#9c6644",
        "#5e548e",
        "#0081a7",
    ]
    return palette[i % len(palette)]


def sections(data: Dataset) -> list[Section]:
    story = timeline(data, "JPN", "NATO")
    by_kind = (
        data.ties.group_by("kind")
        .agg(
            pl.len().alias("ties"),
            pl.col("strength").min().alias("lo"),
            pl.col("strength").max().alias("hi"),
        )
        .with_columns(
            strength=pl.when(pl.col("lo") == pl.col("hi"))
            .then(pl.col("lo").cast(pl.String))
            .otherwise(pl.concat_str(pl.col("lo"), pl.lit("–"), pl.col("hi")))
        )
        .sort("hi", "kind", descending=[True, False])
        .select("kind", "ties", "strength")
    )
    overview = (
        f"<p>{_kpis(data)}</p>"
        "<p>The curated dataset records who is tied to whom, by what instrument and since when, "
        "for NATO, the US alliances in Asia, NATO's Indo-Pacific partners (Australia, Japan, New "
        "Zealand, Republic of Korea) and the alignments of Russia, China and North Korea. "
        "Every row cites its source.</p>"
        + table(by_kind, caption="Ties by kind (strength: 5 collective defence … 1 presence)")
    )
    chart = figure(
        ties_chart(data),
        "Ties in force on 31 December of each year, stacked by kind. "
        "Partial dates count from the first day of their period.",
    )
    return [
        Section("overview", "Overview", overview),
        Section("ties-over-time", "Ties over time", chart),
        Section(
            "japan-nato",
            "Japan and NATO: the timeline",
            "<p>Every dated step of Japan's ties with NATO and the events that name both.</p>"
            + table(story, links={"title": "source_url"}),
        ),
        Section(
            "actors",
            "Actors",
            table(
                data.actors.select(
                    "actor_id", "name", "kind", "iso3", "cow_code", "gw_code", "theatre"
                )
            ),
        ),
    ]
