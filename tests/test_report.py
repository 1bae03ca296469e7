"""The main job: `alliancekit report` writes one self-contained HTML file that a browser opens
without the network, with its charts embedded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.browser import chromium
from tests.test_cli import run


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = run("report", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_report_is_self_contained_html(report_path, dataset):
    html = report_path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    p = _Collect()
    p.feed(html)
    # Nothing is fetched when the page opens: no external scripts, styles, images or frames.
    for tag, attrs in p.tags:
        for key in ("src", "href"):
            url = attrs.get(key) or ""
            if tag in ("script", "img", "iframe", "link", "image"):
                assert not re.match(r"https?:", url), (tag, url)
    assert sum(1 for t, _ in p.tags if t == "svg") >= 1
    assert dataset.info.version in html and dataset.info.as_of in html
    for section in ("overview", "ties-over-time", "japan-nato", "actors", "sources"):
        assert f'id="{section}"' in html


def test_report_says_what_the_data_cover(report_path):
    html = report_path.read_text(encoding="utf-8")
    start = html.index('<section id="coverage">')
    body = html[start : html.index("</section>", start)]
    assert "What the data cover" in body and "<svg" in body  # the actor × kind heat map
    assert "Rows by source kind" in body and "intergovernmental" in body
    # each of the three network sections says how sensitive its headline measure is
    for section in ("network", "network-structure", "network-without-hub"):
        s0 = html.index(f'<section id="{section}">')
        sec = html[s0 : html.index("</section>", s0)]
        assert "<b>Coverage.</b>" in sec and "bilateral agreements left out" in sec, section


def test_report_opens_in_a_browser_offline_with_chart(report_path):
    with chromium() as browser:
        context = browser.new_context(offline=True)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda req: requested.append(req.url))
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(report_path.as_uri())
        assert page.title() == "alliancekit report"
        chart = page.locator("#ties-over-time svg")
        assert chart.count() == 1
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
        # The stacked areas are drawn as paths inside the chart.
        assert page.locator("#ties-over-time svg path").count() > 20
        rows = page.locator("#japan-nato tbody tr").count()
        assert rows >= 5
        assert [u for u in requested if not u.startswith("file:")] == []
        assert errors == []
        context.close()
