"""The report's last section: every source behind the data, and how to cite the dataset."""

from __future__ import annotations

from alliancekit.data import Dataset, citation, cite
from alliancekit.report.html import Section, esc, table


def sections(data: Dataset) -> list[Section]:
    sources = cite(data=data)
    body = f"<p>{esc(citation())}</p>" + table(
        sources,
        links={"source_publisher": "source_url"},
        caption=f"{sources.height} sources behind the curated rows",
    )
    return [Section("sources", "Sources", body)]
