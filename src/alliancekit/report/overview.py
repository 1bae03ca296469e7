"""Report sections of the curated dataset: overview, ties over time, the Japan–NATO story, actors."""

from __future__ import annotations

import polars as pl

from alliancekit.charts import FIRST_YEAR  # 1949, the North Atlantic Treaty
from alliancekit.data import Dataset
from alliancekit.query import ties_per_kind_year, timeline
from alliancekit.report.html import Section, chart, esc, table
from alliancekit.report.sources import article_reference


def _kpis(data: Dataset) -> str:
    items = [
        ("actors", data.actors.height),
        ("ties", data.ties.height),
        ("tie kinds", data.ties["kind"].n_unique()),
        ("events", data.events.height),
        ("sources", data.ties["source_url"].n_unique()),
    ]
    return "".join(f'<span class="kpi"><b>{v}</b>{esc(k)}</span>' for k, v in items)


def ties_chart(data: Dataset) -> dict:
    """The chart spec: ties in force at the end of each year, by kind (stacked)."""
    from alliancekit.charts import ties_over_time

    last = int(data.info.as_of[:4])
    return ties_over_time(ties_per_kind_year(data.ties, FIRST_YEAR, last), FIRST_YEAR, last)


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
        f"<p>The report puts to the data the claims of an opinion piece: {article_reference()}. "
        "The network and burden-sharing sections say what the data show for each claim.</p>"
        + table(
            by_kind,
            caption="Ties by kind (strength: 5 collective defence … 1 presence)",
            labels={"kind": "Tie kind", "ties": "Ties", "strength": "Strength (1–5)"},
            formats={"kind": "words"},
        )
    )
    ties = chart(
        ties_chart(data),
        "Ties in force on 31 December of each year, stacked by kind. "
        "Partial dates count from the first day of their period.",
        "chart-ties-over-time",
    )
    return [
        Section("overview", "Overview", overview),
        Section("ties-over-time", "Ties over time", ties),
        Section(
            "japan-nato",
            "Japan and NATO: the timeline",
            "<p>Every dated step of Japan's ties with NATO and the events that name both.</p>"
            + table(
                story,
                links={"title": "source_url"},
                labels={
                    "date": "Date",
                    "what": "Step",
                    "kind": "Kind",
                    "with": "With",
                    "title": "What happened (links to the source)",
                    "id": "Row id",
                    "source_publisher": "Source",
                },
                formats={"kind": "words"},
            ),
        ),
        Section(
            "actors",
            "Actors",
            table(
                data.actors.select(
                    "actor_id", "name", "kind", "iso3", "cow_code", "gw_code", "theatre"
                ),
                labels={
                    "actor_id": "Id",
                    "name": "Name",
                    "kind": "Kind",
                    "iso3": "ISO 3166 code",
                    "cow_code": "COW code",
                    "gw_code": "Gleditsch–Ward code",
                    "theatre": "Theatre",
                },
                formats={"theatre": "words"},
            ),
        ),
    ]
