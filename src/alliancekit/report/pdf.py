"""The report as PDF: the same HTML printed by headless Chromium (Playwright's Python package
driving the system's Chromium; no browser download), each section from a new page, charts and
tables fitted to the page width."""

from __future__ import annotations

import os
from pathlib import Path

from alliancekit.schema import ParameterError

CHROMIUM = os.environ.get("ALLIANCEKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_WIDTH_PX = 703
PAGE_HEIGHT_PX = 900  # of the 1,016 px inside an A4 page's margins, leaving room for a caption
# Only for printing: the HTML report itself is unchanged.
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { background: #fff; }
header, nav { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
nav { display: none; }
main { max-width: none; padding: 0; }
section { break-before: page; margin-top: 0; }
section:first-of-type { break-before: auto; }
h2 { break-after: avoid; }
img { max-width: 100% !important; height: auto !important; }
figure.chart { break-inside: avoid; }
table { font-size: 7pt; max-width: 100%; }
td, th { overflow-wrap: anywhere; }
tr { break-inside: avoid; }
"""


def html_to_pdf(html_path: str | Path, pdf_path: str | Path) -> Path:
    """Print an HTML file to PDF with Chromium."""
    if not Path(CHROMIUM).is_file():
        raise ParameterError(
            "pdf_path",
            f"PDF needs Chromium at {CHROMIUM} (apt-get install chromium, or set ALLIANCEKIT_CHROMIUM)",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dependency of the test extras
        raise ParameterError(
            "pdf_path", "PDF needs Playwright's Python package: pip install playwright"
        ) from None
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            # The width of an A4 page inside its margins (186 mm at 96 px per inch), so that the
            # charts are drawn at the width they are printed at.
            page = browser.new_page(viewport={"width": PAGE_WIDTH_PX, "height": 1000})
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            if page.locator("script.chart-spec").count():
                page.wait_for_selector("body[data-charts-drawn]", state="attached", timeout=60_000)
                # A chart taller than a page (the heat map of 60 actors) is drawn to the page's
                # height, so that it is not cut in two.
                page.evaluate(
                    """(h) => Promise.all([...document.querySelectorAll('figure.chart .plot')]
                    .filter((d) => d.layout && d.layout.height > h)
                    .map((d) => Plotly.relayout(d, {height: h})))""",
                    PAGE_HEIGHT_PX,
                )
            page.add_style_tag(content=PRINT_CSS)
            page.emulate_media(media="print")
            page.pdf(
                path=str(pdf_path),
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:7pt;width:100%;text-align:center;color:#556">'
                    'alliancekit report · page <span class="pageNumber"></span> of '
                    '<span class="totalPages"></span></div>'
                ),
            )
        finally:
            browser.close()
    return pdf_path
