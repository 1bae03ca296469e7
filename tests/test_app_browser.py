"""The dashboard end to end in a real Chromium (Debian's, driven by Playwright) against a
uvicorn server started here on a free loopback port. Screenshots go to tests/artefacts/."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.test_app_api import cut_off_year

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    uvicorn = pytest.importorskip("uvicorn")
    import polars as pl

    from alliancekit.app import create_app

    # a small sweep file, as `alliancekit serve --sweep results.parquet` would read
    sweep = tmp_path_factory.mktemp("sweep") / "results.parquet"
    pl.DataFrame(
        {"run": list(range(200)), "fill_ratio": [0.5 + 0.005 * i for i in range(200)]}
    ).write_parquet(sweep)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(sweep=sweep), host="127.0.0.1", port=port, log_level="warning")
    )
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not th.is_alive():
            pytest.fail("the uvicorn server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    ARTEFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1500, "height": 980})
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    yield pg
    ctx.close()


def _set_year(page, year: int) -> None:
    page.locator("#year").evaluate(
        """(el, y) => { el.value = String(y);
             el.dispatchEvent(new Event('input', {bubbles: true}));
             el.dispatchEvent(new Event('change', {bubbles: true})); }""",
        year,
    )


def _click_node(page, canvas: str, actor: str) -> None:
    """A real mouse click on the node's drawn position."""
    pos = page.evaluate(
        "([c, id]) => { const g = c === 'cy' ? cy : cy2; const n = g.getElementById(id);"
        " return n.nonempty() ? n.renderedPosition() : null; }",
        [canvas, actor],
    )
    assert pos is not None, f"{actor} is not drawn"
    box = page.locator(f"#{canvas}").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def test_dashboard_year_slider_actor_and_scenario(server, page):
    page.goto(server + "/")
    page.wait_for_selector("body[data-network-year]", timeout=20_000)
    last = page.evaluate("() => META.last_year")
    assert page.get_attribute("body", "data-network-year") == str(last)
    assert page.locator("#cy canvas").count() > 0
    page.screenshot(path=str(ARTEFACTS / "01-network-today.png"))

    _set_year(page, 2010)
    page.wait_for_selector("body[data-network-year='2010']", timeout=20_000)
    assert page.locator("#year-out").inner_text() == "2010"
    assert "year=2010" in page.url
    n2010 = page.evaluate("() => cy.nodes().length")
    page.screenshot(path=str(ARTEFACTS / "02-network-2010.png"))
    _set_year(page, last)
    page.wait_for_selector(f"body[data-network-year='{last}']", timeout=20_000)
    assert page.evaluate("() => cy.nodes().length") > n2010

    # hover shows the name, not the code
    pos = page.evaluate("() => cy.getElementById('JPN').renderedPosition()")
    box = page.locator("#cy").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("#tooltip:not([hidden])", timeout=5_000)
    assert "Japan" in page.locator("#tooltip").inner_text()

    _click_node(page, "cy", "JPN")
    isa = page.locator("#ties-list li[data-tie='jpn-nato-isa']")
    isa.wait_for(timeout=10_000)
    text = isa.inner_text()
    assert "Information Security Agreement" in text and "signed 2010-06-25" in text
    link = isa.locator("a.source")
    assert link.get_attribute("href").startswith("https://www.mofa.go.jp/")
    assert link.inner_text() == "Ministry of Foreign Affairs of Japan"
    assert page.locator("#actor-title").inner_text() == "Japan"
    assert "actor=JPN" in page.url
    page.screenshot(path=str(ARTEFACTS / "03-japan-ties.png"))

    # the US-removal scenario in the latest year when it cuts allies off (in dataset v2:
    # 2006, Japan; Australia–Japan reconnects it): the page shows what the library computes
    year, isolated, ties = cut_off_year()
    page.click("#tabs button[data-view='scenario']")
    _set_year(page, year)
    page.check("input[name=mode][value=remove]")
    page.select_option("#hub", "USA")
    page.click("#run-scenario")
    page.wait_for_selector("body[data-scenario-done='1']", timeout=30_000)
    shown = page.locator("#isolated li")
    assert {shown.nth(i).get_attribute("data-actor") for i in range(shown.count())} >= set(isolated)
    names = page.evaluate("(ids) => ids.map((a) => NAMES[a])", isolated)
    assert all(n in page.locator("#isolated").inner_text() for n in names)
    gaps = page.locator("#gap-ties li")
    assert gaps.count() == len(ties)
    assert {gaps.nth(i).get_attribute("data-pair") for i in range(len(ties))} == {
        f"{a}-{b}" for a, b in ties
    }
    assert page.evaluate("() => cy2.edges('.gap').length") == len(ties)
    assert page.evaluate("() => cy2.nodes('.isolated').length") >= len(isolated)
    assert page.locator("#scenario-measures tr").count() > 5
    page.wait_for_selector("#chart-equilibrium .main-svg", timeout=20_000)
    assert "scenario=remove" in page.url
    page.screenshot(path=str(ARTEFACTS / "04-scenario-remove-usa.png"), full_page=True)
    assert not page.problems, page.problems


def test_deep_links_and_other_views(server, page):
    page.goto(server + "/#year=2010&actor=JPN&size=betweenness")
    page.wait_for_selector("body[data-network-year='2010']", timeout=20_000)
    page.locator("#ties-list li[data-tie='jpn-nato-isa']").wait_for(timeout=10_000)
    assert page.locator("#year").input_value() == "2010"
    assert page.locator("#size").input_value() == "betweenness"
    page.screenshot(path=str(ARTEFACTS / "05-deep-link-network.png"))

    # by day: NATO's enlargement of 29 March 2004, the day before and the day after
    page.goto(server + "/#date=2004-03-28")
    page.wait_for_selector("body[data-network-on='2004-03-28']", timeout=20_000)
    n_before = page.evaluate("() => cy.nodes().length")
    page.fill("#day", "2004-03-30")
    page.wait_for_selector("body[data-network-on='2004-03-30']", timeout=20_000)
    assert page.evaluate("() => cy.nodes().length") > n_before
    assert "date=2004-03-30" in page.url

    year, isolated, _ = cut_off_year()
    page.goto(server + f"/#view=scenario&year={year}&scenario=remove&gtheatre=indo_pacific")
    page.wait_for_selector("body[data-scenario-done='1']", timeout=30_000)
    assert isolated[0] in {
        li.get_attribute("data-actor") for li in page.locator("#isolated li").all()
    }
    assert page.locator("#gtheatre").input_value() == "indo_pacific"

    page.goto(server + "/#view=burden&byear=2025")
    page.wait_for_selector("#chart-burden .main-svg", timeout=20_000)
    page.wait_for_selector("#chart-share .main-svg", timeout=20_000)
    assert "US share" in page.locator("#burden-kpis").inner_text()
    page.locator("#exploitation b").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTEFACTS / "06-burden.png"), full_page=True)

    page.goto(server + "/#view=sweep&threshold=1")
    page.wait_for_selector("#sweep-charts .main-svg", timeout=20_000)
    assert page.locator("#tabs button[data-view='sweep']").is_visible()
    assert "fill_ratio: median 0.998" in page.locator("#sweep-charts").inner_text()
    assert "P(> 1) = 49.5%" in page.locator("#sweep-charts").inner_text()
    page.screenshot(path=str(ARTEFACTS / "08-sweep.png"))

    page.goto(server + "/#view=timeline")
    page.locator("#timeline tr[data-id='jpn-nato-isa']").first.wait_for(timeout=10_000)
    assert "Japan and North Atlantic Treaty Organization" in page.locator("#tl-title").inner_text()
    page.screenshot(path=str(ARTEFACTS / "07-timeline-japan-nato.png"), full_page=True)
    assert not page.problems, page.problems
