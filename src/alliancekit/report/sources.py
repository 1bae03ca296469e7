"""The report's last section: the commentary the report tests, every source behind the data
(grouped by publisher, each URL written out), and how to cite the dataset."""

from __future__ import annotations

import polars as pl

from alliancekit.data import Dataset, citation, cite
from alliancekit.report.html import Section, esc

# The opinion piece whose claims the report puts to the data (the project's seed text,
# ``../shared/seed/``). It is commentary, not a source of the data: no row cites it.
ARTICLE = {
    "author": "Komei Isozaki",
    "title": "The Evolving Relationship Between NATO and Japan Under the Second Trump "
    "Administration",
    "venue": "Fletcher Security Review",
    "kind": "commentary",
    "year": 2025,
}


def article_reference() -> str:
    """The commentary as a reference (HTML): author, title, venue, kind and year."""
    a = ARTICLE
    return (
        f"{esc(a['author'])}, “{esc(a['title'])}”, <i>{esc(a['venue'])}</i> "
        f"({esc(a['kind'])}, {a['year']})"
    )


def article_short() -> str:
    """How the report names the commentary in its text."""
    return f"{esc(ARTICLE['author'].split()[-1])}'s commentary ({ARTICLE['year']})"


def _grouped(sources: pl.DataFrame) -> str:
    """One entry per publisher (alphabetical): its kind, then each of its sources with the URL
    written out, the day it was accessed and the tables and rows citing it."""
    out = []
    ordered = sources.sort(
        pl.col("source_publisher").str.to_lowercase(), "source_url", nulls_last=True
    )
    for (publisher,), group in ordered.group_by("source_publisher", maintain_order=True):
        kinds = ", ".join(sorted({k for k in group["source_kind"].to_list() if k}))
        n = group.height
        items = "".join(
            f'<li><a href="{esc(r["source_url"])}">{esc(r["source_url"])}</a>'
            f" — accessed {esc(r['source_accessed'])}; {esc(r['tables'])}, "
            f"{r['rows']} row{'s' if r['rows'] != 1 else ''}</li>"
            for r in group.iter_rows(named=True)
        )
        out.append(
            f'<p class="publisher"><b>{esc(publisher or "publisher not named")}</b>'
            f" · {esc(kinds)} · {n} source{'s' if n != 1 else ''}</p>"
            f'<ol class="sources">{items}</ol>'
        )
    return "".join(out)


def sections(data: Dataset) -> list[Section]:
    sources = cite(data=data)
    publishers = sources["source_publisher"].n_unique()
    body = (
        "<h3>The commentary this report tests</h3>"
        f"<p>{article_reference()}. An opinion piece: the report measures what it argues in "
        "words (see “What the data say about the claims” in the network sections); no row of "
        "the data cites it.</p>"
        "<h3>How to cite the dataset</h3>"
        f"<p>{esc(citation())}</p>"
        f"<h3>{sources.height} sources behind the curated rows, from {publishers} publishers</h3>"
        + _grouped(sources)
    )
    return [Section("sources", "Sources", body)]
