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
    # Charts: plotly.js inlined once, and each chart's spec beside its placeholder.
    scripts = [a for t, a in p.tags if t == "script"]
    assert not [a for a in scripts if a.get("src")]
    assert sum(1 for a in scripts if a.get("class") == "chart-spec") >= 10
    assert html.count("plotly.js v") >= 1 and "cdn.plot.ly" not in html.split("<script>", 1)[0]
    assert dataset.info.version in html and dataset.info.as_of in html
    for section in ("overview", "ties-over-time", "japan-nato", "actors", "sources"):
        assert f'id="{section}"' in html


def test_report_says_what_the_data_cover(report_path):
    html = report_path.read_text(encoding="utf-8")
    start = html.index('<section id="coverage">')
    body = html[start : html.index("</section>", start)]
    assert "What the data cover" in body and 'data-for="chart-coverage"' in body  # the heat map
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
        page.wait_for_selector("body[data-charts-drawn]", state="attached", timeout=60_000)
        drawn = int(page.locator("body").get_attribute("data-charts-drawn"))
        assert drawn == page.locator("script.chart-spec").count() >= 10
        chart = page.locator("#chart-ties-over-time svg.main-svg").first
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
        # The stacked areas are drawn as filled paths, one per tie kind.
        assert page.locator("#chart-ties-over-time path.js-fill").count() >= 10
        # Every chart is drawn (plotly put its SVG into each placeholder) and has tooltips.
        for div in page.locator("figure.chart .plot").all():
            assert div.locator("svg.main-svg").count() >= 1
        bar = page.locator("#chart-burden .bars path").last  # the largest burden, on top
        bar.scroll_into_view_if_needed()
        b = bar.bounding_box()
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
        tip = page.locator("#chart-burden .hovertext")
        tip.wait_for(state="attached", timeout=5_000)
        assert "% of GDP" in tip.text_content()
        rows = page.locator("#japan-nato tbody tr").count()
        assert rows >= 5
        assert [u for u in requested if not u.startswith("file:")] == []
        assert errors == []
        context.close()
