"""The HTML report: one self-contained file (inline SVG charts, no network needed to open it).

Each concern contributes sections from its own module of this package; a module exposes
``sections(data) -> list[Section]``. ``SECTION_MODULES`` orders them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from alliancekit.data import Dataset
from alliancekit.report.html import Section, render_page

SECTION_MODULES = [
    "alliancekit.report.overview",
    "alliancekit.report.coverage",
    "alliancekit.report.burden",
    "alliancekit.report.network",
    "alliancekit.report.sources",
]


def build_sections(data: Dataset, on_section: Callable[[str], None] | None = None) -> list[Section]:
    out: list[Section] = []
    for name in SECTION_MODULES:
        if on_section:
            on_section(name.rsplit(".", 1)[-1])
        module = importlib.import_module(name)
        out.extend(module.sections(data))
    return out


def build_report(
    data: Dataset,
    output: str | Path = "report.html",
    on_section: Callable[[str], None] | None = None,
    sweep: str | Path | None = None,
) -> Path:
    """Build every section and write the report; returns the path written. ``sweep``: a sweep
    table (``alliancekit simulate run``) whose section goes before the sources."""
    from alliancekit.paths import output_path

    path = output_path(output, "output")
    sections = build_sections(data, on_section)
    if sweep is not None:
        from alliancekit.report.sweep import sections as sweep_sections

        if on_section:
            on_section("sweep")
        at = next((i for i, s in enumerate(sections) if s.id == "sources"), len(sections))
        sections[at:at] = sweep_sections(sweep, data=data)
    path.write_text(render_page(sections, data.info), encoding="utf-8")
    return path


__all__ = ["Section", "build_report", "build_sections", "SECTION_MODULES"]
