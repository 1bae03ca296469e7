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


class _Tables(HTMLParser):
    """Every table of a page: its section, caption, header cells and body rows (cell text)."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.section = None
        self._t = None
        self._cell = None
        self._caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.section = dict(attrs).get("id")
        elif tag == "table":
            self._t = {"section": self.section, "caption": "", "head": [], "rows": []}
        elif tag == "caption":
            self._caption = True
        elif tag == "tr" and self._t is not None:
            self._row = []
        elif tag in ("td", "th") and self._t is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append((tag, self._cell.strip()))
            self._cell = None
        elif tag == "tr" and self._t is not None:
            if self._row and self._row[0][0] == "th":
                self._t["head"] = [c for _, c in self._row]
            else:
                self._t["rows"].append([c for _, c in self._row])
        elif tag == "table" and self._t is not None:
            self.tables.append(self._t)
            self._t = None

    def handle_data(self, data):
        if self._caption and self._t is not None:
            self._t["caption"] += data
        elif self._cell is not None:
            self._cell += data


def _tables(html: str) -> list[dict]:
    p = _Tables()
    p.feed(html)
    return p.tables


# A measure written as zero with decimals (0.000, 0.0%): a column of these says nothing (the
# old top-12 betweenness). Counts of 0 (rows citing a weak source) are information.
ZERO = re.compile(r"^[−-]?0\.0+%?$")


def test_report_numbers_and_headers_are_written_for_people(report_path):
    """Issue 10, item 6: 975,824 not 975824.0; 3.17% in a burden column; ✓ / — not
    True/False; headers in words; no column that is mostly zeros (the betweenness table
    lists the states that lie on shortest paths)."""
    html = report_path.read_text(encoding="utf-8")
    tables = _tables(html)
    assert len(tables) >= 12
    for t in tables:
        where = f"{t['section']}: {t['caption'][:40]}"
        assert not [h for h in t["head"] if "_" in h], (where, t["head"])
        cells = [c for row in t["rows"] for c in row]
        assert not {"True", "False", "None", "nan", "NaN"} & set(cells), where
        raw = re.compile(r"-?\d{5,}(\.\d+)?|-?\d{4}\.\d+")  # 975824.0, not years or codes
        assert not [c for c in cells if raw.fullmatch(c)], where
        for j, name in enumerate(t["head"]):
            col = [row[j] for row in t["rows"] if j < len(row)]
            if len(col) >= 4 and col[0] != "year":
                zeros = sum(1 for c in col if ZERO.match(c))
                assert zeros <= len(col) / 2, (where, name, col)
    burden = next(t for t in tables if t["section"] == "burden")
    col = burden["head"].index("Burden, % of GDP")
    values = [r[col] for r in burden["rows"] if r[col]]
    assert values and all(re.fullmatch(r"\d+\.\d\d%", v) for v in values), values
    spend = burden["head"].index("Defence spending, US$ mn")
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", r[spend]) for r in burden["rows"])
    exploit = next(t for t in tables if t["section"] == "burden-exploitation")
    assert {r[-1] for r in exploit["rows"]} <= {"✓", "—"}
    top = next(t for t in tables if t["section"] == "network" and "betweenness" in t["caption"])
    b = top["head"].index("Betweenness")
    assert all(float(r[b]) > 0 for r in top["rows"])


def test_report_is_byte_identical_for_the_same_inputs(report_path, tmp_path):
    """No build time, no random element ids: two reports of the same data are the same
    bytes, so users can diff reports between dataset versions."""
    again = tmp_path / "again.html"
    r = run("report", "-o", str(again))
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == report_path.read_bytes()
    html = report_path.read_text(encoding="utf-8")
    assert "report written" not in html
    page = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # plotly.js itself aside
    ids = re.findall(r'id="([^"]+)"', page)
    assert ids and not [i for i in ids if re.search(r"[0-9a-f]{8,}", i)]  # no generated ids


def test_report_names_and_cites_the_commentary(report_path):
    """Wherever the report speaks of the claims it tests, it names the commentary, and the
    Sources give the full reference as the opinion piece it is."""
    from alliancekit.report.sources import ARTICLE

    html = report_path.read_text(encoding="utf-8")
    for m in re.finditer(r"claims", html):
        around = html[max(0, m.start() - 300) : m.end() + 300]
        assert "Isozaki" in around or "opinion piece" in around, around
    s0 = html.index('<section id="sources">')
    sources = html[s0 : html.index("</section>", s0)]
    assert ARTICLE["title"] in sources and "Fletcher Security Review" in sources
    assert "opinion piece" in sources and "commentary" in sources


def test_sources_are_grouped_by_publisher_with_urls_visible(report_path, dataset):
    from alliancekit.data import cite

    html = report_path.read_text(encoding="utf-8")
    s0 = html.index('<section id="sources">')
    sources = html[s0 : html.index("</section>", s0)]
    publishers = re.findall(r'<p class="publisher"><b>(.*?)</b>', sources)
    assert len(publishers) == len(set(publishers))  # each publisher once
    expected = cite(data=dataset)
    assert len(publishers) == expected["source_publisher"].n_unique()
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', sources)
    assert len(links) == expected.height
    assert all(href == text for href, text in links)  # the URL itself is what is shown


def test_every_table_fits_a_1200_px_page(report_path):
    """Measured in Chromium: no table is wider than the page's 1,200 px column and the page
    does not scroll sideways (the burden table was 1,685 px wide)."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report_path.as_uri())
        page.wait_for_selector("body[data-charts-drawn]", state="attached", timeout=60_000)
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table')].map(t => "
            "[t.closest('section').id, t.getBoundingClientRect().width])"
        )
        assert len(widths) >= 12
        too_wide = [(s, w) for s, w in widths if w > 1200.5]
        assert not too_wide, too_wide
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.close()


def test_the_report_says_what_it_wrote_on_one_plain_line(tmp_path):
    # not a terminal: no rich (its import is start-up time), no wrapping of the path
    out = tmp_path / "a-rather-long-folder-name-for-the-report-to-land-in" / "report.html"
    out.parent.mkdir()
    r = run("report", "-o", str(out))
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.strip().splitlines()
    assert line.startswith(f"wrote {out} (") and "KiB; " in line and line.endswith(")")
