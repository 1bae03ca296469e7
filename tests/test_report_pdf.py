"""`alliancekit report --format pdf`: the HTML report printed by Chromium, each section from a
new page; the PDF's text holds every section title."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.browser import CHROMIUM


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    from alliancekit.data import load
    from alliancekit.report import build_report
    from alliancekit.report.pdf import html_to_pdf

    tmp = tmp_path_factory.mktemp("pdf")
    html = build_report(load(), tmp / "report.html")
    pdf = html_to_pdf(html, tmp / "report.pdf")
    titles = re.findall(r"<section id=\"[^\"]*\"><h2>(.*?)</h2>", html.read_text(encoding="utf-8"))
    return pdf, titles


def _norm(text: str) -> str:
    """Text as printed and extracted: ligatures undone, line-end hyphens and spaces dropped."""
    return re.sub(r"[\s\-‐]+", "", unicodedata.normalize("NFKC", text))


def test_pdf_has_a_page_or_more_per_section_and_every_title(printed):
    import html as htmllib

    pypdf = pytest.importorskip("pypdf")
    pdf, titles = printed
    assert titles, "the report has sections"
    reader = pypdf.PdfReader(str(pdf))
    pages = [_norm(p.extract_text() or "") for p in reader.pages]
    assert len(pages) >= len(titles)
    text = "".join(pages)
    for t in titles:
        assert _norm(htmllib.unescape(t)) in text, t
    # every section after the first opens a page: its title is near the top of some page
    for t in titles[1:]:
        assert any(p.startswith(_norm(htmllib.unescape(t))) for p in pages), t


def test_report_format_is_checked():
    from typer.testing import CliRunner

    from alliancekit.cli import app

    r = CliRunner().invoke(app, ["report", "--format", "docx", "-o", "x.docx"])
    assert r.exit_code != 0
