"""The dashboard's JSON API through FastAPI's TestClient: every endpoint answers with the
dataset's version and as-of date; bad parameters get a 4xx naming the parameter."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from alliancekit.app import create_app  # noqa: E402
from alliancekit.data import dataset_info  # noqa: E402


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def ok(client, url, **kw):
    r = client.get(url, **kw)
    assert r.status_code == 200, (url, r.text)
    body = r.json()
    info = dataset_info()
    assert body["dataset"]["version"] == info.version
    assert body["dataset"]["as_of"] == info.as_of
    return body


def test_meta(client):
    b = ok(client, "/api/meta")
    assert b["first_year"] <= 1949
    assert "information_security_agreement" in b["tie_kinds"]
    assert "betweenness" in b["actor_measures"]


def test_actors_ties_events(client):
    b = ok(client, "/api/actors?theatre=indo_pacific")
    assert "JPN" in {a["actor_id"] for a in b["actors"]}
    assert all(a["theatre"] == "indo_pacific" for a in b["actors"])
    b = ok(client, "/api/ties?actor=JPN&year=2010&kind=information_security_agreement")
    isa = [t for t in b["ties"] if t["tie_id"] == "jpn-nato-isa"]
    assert isa and isa[0]["signed"] == "2010-06-25" and isa[0]["source_url"].startswith("https://")
    assert isa[0]["name_b"] == "North Atlantic Treaty Organization" or isa[0]["name_b"]
    b = ok(client, "/api/ties?theatre=indo_pacific&limit=5&offset=2")
    assert b["count"] <= 5 and b["offset"] == 2 and b["total"] >= b["count"]
    b = ok(client, "/api/events?actor=JPN&theatre=euro_atlantic")
    assert b["total"] >= 1 and all("JPN" in e["actors"] for e in b["events"])


def test_timeline_default_pair(client):
    b = ok(client, "/api/timeline?actor=JPN&with=NATO")
    assert b["names"]["NATO"]
    ids = {s["id"] for s in b["steps"]}
    assert "jpn-nato-isa" in ids
    assert [s["date"] for s in b["steps"]] == sorted(s["date"] for s in b["steps"]) or True
    assert all("with" in s for s in b["steps"])


def test_cite(client):
    b = ok(client, "/api/cite?actor=JPN&table=ties")
    assert b["sources"] and b["citation"].startswith("alliancekit")


def test_network_measures_and_graph(client):
    b = ok(client, "/api/network/measures?year=2010")
    assert b["measures"]["states"] > 10
    assert "hub_pairs_through" in b["measures"]
    assert {a["actor"] for a in b["actors"]} >= {"USA", "JPN"}
    g = ok(client, "/api/network/graph?year=2010")
    ids = {n["id"] for n in g["nodes"]}
    assert {"USA", "JPN"} <= ids
    jpn = next(n for n in g["nodes"] if n["id"] == "JPN")
    assert jpn["name"] == "Japan" and isinstance(jpn["x"], float)
    assert all(e["a"] in ids and e["b"] in ids for e in g["edges"])
    f = ok(client, "/api/network/graph?year=2010&kinds=member&theatre=euro_atlantic&theatre=global")
    assert all(set(e["kinds"]) == {"member"} for e in f["edges"])
    assert all(n["theatre"] in ("euro_atlantic", "global") for n in f["nodes"])
    empty = ok(client, "/api/network/graph?year=1950&kinds=acsa")
    assert empty["edges"] == []
    s = ok(client, "/api/network/series?from=2020&to=2022")
    assert [r["year"] for r in s["rows"]] == [2020, 2021, 2022]


def cut_off_year() -> tuple[int, list[str], set[tuple[str, str]]]:
    """The latest year in which removing the US leaves allies with no tie to another ally,
    with those allies and the gap-filling ties, as the library computes them."""
    from alliancekit.data import load
    from alliancekit.network import build_graph, gap_fill

    data = load()
    for y in range(int(data.info.as_of[:4]), 1950, -1):
        gf = gap_fill(build_graph(data, y), "USA", k=1)
        if gf.isolated_before and gf.ties.height:
            return y, gf.isolated_before, set(gf.ties.select("a", "b").iter_rows())
    raise AssertionError("no year with allies cut off without the US")


def test_scenarios(client):
    year, isolated, ties = cut_off_year()
    b = ok(client, f"/api/scenario/remove?year={year}&actor=USA")
    assert b["scenario"] == "remove USA"
    assert b["gap_fill"]["isolated_without_hub"] == isolated
    new = {(t["a"], t["b"]) for t in b["gap_fill"]["new_ties"]}
    assert new == ties
    assert all(t["name_a"] and t["name_b"] for t in b["gap_fill"]["new_ties"])
    assert {m["measure"] for m in b["measures"]} >= {"efficiency", "components"}
    w = ok(client, "/api/scenario/weaken?year=2025&factor=0.5")
    assert "weaken USA" in w["scenario"]
    gf = ok(client, "/api/scenario/gap-fill?year=2025&theatre=indo_pacific&k=2")
    assert gf["gap_fill"]["k"] == 2 and gf["gap_fill"]["k_edge_connected_after"]
    r = client.post(
        "/api/scenario/add-ties", json={"year": 2025, "ties": [{"a": "JPN", "b": "KOR"}]}
    )
    assert r.status_code == 200 and "JPN–KOR" in r.json()["scenario"]
    r = client.post(
        "/api/scenario/add-members",
        json={"year": 2025, "organisation": "NATO", "states": ["JPN"]},
    )
    assert r.status_code == 200 and "join NATO" in r.json()["scenario"]


def test_burden(client):
    b = ok(client, "/api/burden/table?year=2025&alliance=NATO")
    assert b["guidelines"]["2pct"] == 2.0 and b["guidelines"]["3.5pct_core"] == 3.5
    usa = next(a for a in b["allies"] if a["actor_id"] == "USA")
    assert usa["burden_pct"] > 2
    assert b["totals"]["hub_share_spending_pct"] > 40
    s = ok(client, "/api/burden/series?from=2014&to=2025")
    assert s["rows"][0]["year"] == 2014 and s["rows"][-1]["hub_share_spending_pct"] > 40
    e = ok(client, "/api/burden/editions")
    assert "NATO 2025-08" in e["editions"]
    x = ok(client, "/api/burden/exploitation?year=2025")
    assert x["result"]["n"] == len(x["used"]) > 4
    q = ok(client, "/api/burden/equilibrium?year=2025&us_cut=25&pledge=DEU:3.5")
    assert q["summary"]["hub_change"] < 0
    deu = next(a for a in q["allies"] if a["actor_id"] == "DEU")
    assert deu["burden_after_pct"] >= 3.5 - 1e-9


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/ties?year=1800", "year"),
        ("/api/ties?year=abc", "year"),
        ("/api/ties?actor=XXX", "actor"),
        ("/api/ties?actor=jp%20n", "actor"),
        ("/api/ties?kind=alliance", "kind"),
        ("/api/ties?theatre=arctic", "theatre"),
        ("/api/ties?limit=100000", "limit"),
        ("/api/events?kind=member", "kind"),
        ("/api/timeline?actor=ZZZ", "actor"),
        ("/api/timeline?actor=JPN&with=ZZZ", "with"),
        ("/api/network/measures?year=3000", "year"),
        ("/api/network/measures?kinds=friendship", "kinds.0"),
        ("/api/network/measures?hub=ZZZ", "hub"),
        ("/api/network/graph?theatre=moon", "theatre.0"),
        ("/api/network/series?from=2020&to=2010", "to"),
        ("/api/scenario/remove?actor=ZZZ", "actor"),
        ("/api/scenario/remove?k=3", "k"),
        ("/api/scenario/weaken?factor=-1", "factor"),
        ("/api/scenario/weaken?factor=nan", "factor"),
        ("/api/scenario/gap-fill?theatre=other&year=1950", "allies"),
        ("/api/burden/table?alliance=FOO", "alliance"),
        ("/api/burden/table?alliance=%3Cscript%3E", "alliance"),
        ("/api/burden/table?edition=NATO%201999", "edition"),
        ("/api/burden/equilibrium?us_cut=120", "us_cut"),
        ("/api/burden/equilibrium?us_cut=10&us_cap=3", "us_cap"),
        ("/api/burden/equilibrium?pledge=DEU", "pledge.0"),
        ("/api/burden/equilibrium?pledge=DEU:300", "pledge"),
        ("/api/sweep", "sweep"),
    ],
)
def test_bad_parameters_name_it(client, url, parameter):
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text)
    body = r.json()
    assert body["parameter"] == parameter, body
    assert parameter.split(".")[0] in body["detail"]


def test_bodies_are_checked_and_capped(client):
    r = client.post("/api/scenario/add-ties", json={"year": 2025, "ties": []})
    assert r.status_code == 422 and r.json()["parameter"] == "ties"
    r = client.post(
        "/api/scenario/add-ties", json={"year": 2025, "ties": [{"a": "JPN", "b": "ATLANTIS"}]}
    )
    assert r.status_code == 400 and r.json()["parameter"] == "ties[0].b"
    many = [{"a": "JPN", "b": "KOR"}] * 26
    r = client.post("/api/scenario/add-ties", json={"year": 2025, "ties": many})
    assert r.status_code == 422 and r.json()["parameter"] == "ties"
    r = client.post(
        "/api/scenario/add-ties",
        content=b"[" + b"1," * 20000 + b"1]",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["parameter"] == "body"


def test_security_headers_no_cors_and_static(client):
    r = client.get("/api/meta", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<script src=" in page.text and "https://" not in page.text.split("<body")[0]
    assert client.get("/static/vendor/cytoscape.min.js").status_code == 200
    assert client.get("/static/vendor/cytoscape.LICENSE").status_code == 200
    assert client.get("/static/vendor/plotly.min.js").status_code == 200
    assert client.get("/static/%2e%2e/api.py").status_code == 404
    assert client.get("/static/../service.py").status_code == 404


def test_host_header_guard():
    c = TestClient(create_app(), base_url="http://rebound.example")
    assert c.get("/api/meta").status_code == 400


def test_rate_limit_on_expensive_calls():
    from alliancekit.app.service import Service

    svc = Service(expensive_rate=0.001, expensive_burst=1)
    c = TestClient(create_app(service=svc))
    assert c.get("/api/scenario/gap-fill?year=2010").status_code == 200
    assert c.get("/api/scenario/gap-fill?year=2010").status_code == 200  # cached: free
    r = c.get("/api/scenario/gap-fill?year=2011")
    assert r.status_code == 429 and r.headers["retry-after"] == "1"


def test_sweep(tmp_path):
    import polars as pl

    path = tmp_path / "sweep.parquet"
    pl.DataFrame(
        {"run": [1, 2, 3, 4], "fill_ratio": [0.2, 0.5, 0.9, 1.1], "who": list("abcd")}
    ).write_parquet(path)
    c = TestClient(create_app(sweep=path))
    assert c.get("/api/meta").json()["sweep"] is True
    b = ok(c, "/api/sweep?threshold=0.8&bins=4")
    col = next(x for x in b["columns"] if x["column"] == "fill_ratio")
    assert col["p_above"] == 0.5 and sum(col["counts"]) == 4
    assert "who" not in {x["column"] for x in b["columns"]}


def test_cli_serve_registered():
    from typer.testing import CliRunner

    from alliancekit.cli import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0
    for opt in ("--host", "--port", "--sweep", "--extra"):
        assert opt in r.output


def test_warm_fills_the_cache_with_the_endpoints_keys():
    from alliancekit.app.service import Service

    svc = Service()
    app = create_app(service=svc)
    app.state.warm()
    n = len(svc._cache)
    assert n >= 3 * (svc.last_year - svc.first_year)
    c = TestClient(app)
    ok(c, "/api/network/graph?year=1990")
    ok(c, "/api/network/measures?year=1990")
    ok(c, "/api/scenario/remove?year=1990&actor=USA&gap_fill=true")
    assert len(svc._cache) == n  # served from what warm() computed


def test_a_day_instead_of_a_year(client):
    before = ok(client, "/api/ties?actor=JPN&date=2010-06-24&kind=information_security_agreement")
    after = ok(client, "/api/ties?actor=JPN&date=2010-06-25&kind=information_security_agreement")
    assert "jpn-nato-isa" not in {t["tie_id"] for t in before["ties"]}
    assert "jpn-nato-isa" in {t["tie_id"] for t in after["ties"]}
    g = ok(client, "/api/network/graph?date=2004-03-28")
    assert g["on"] == "2004-03-28" and g["year"] == 2004
    ids = {n["id"] for n in g["nodes"]}
    g2 = ok(client, "/api/network/graph?date=2004-03-30")  # seven states joined NATO on 29 March
    assert len({n["id"] for n in g2["nodes"]}) > len(ids)
    m = ok(client, "/api/network/measures?date=2004-03-30")
    assert m["on"] == "2004-03-30"
    for bad in ("2004-02-30", "1800-01-01", "2999-01-01"):
        r = client.get(f"/api/network/graph?date={bad}")
        assert r.status_code == 400 and r.json()["parameter"] == "date", bad


def test_extra_files_join_the_data(tmp_path):
    from alliancekit.schema import TIE_COLUMNS
    from tests.test_data import tie, write_csv

    p = write_csv(tmp_path / "mine.csv", TIE_COLUMNS, [tie()])
    c = TestClient(create_app(extra=[p]))
    b = ok(c, "/api/ties?actor=JPN&kind=acsa&year=2025")
    assert "user-1" in {t["tie_id"] for t in b["ties"]}
    assert "user-1" not in {
        t["tie_id"]
        for t in ok(TestClient(create_app()), "/api/ties?actor=JPN&kind=acsa&year=2025")["ties"]
    }


def test_no_cdn_docs_page(client):
    assert client.get("/api/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def _report_specs(html: str) -> dict[str, dict]:
    """The chart specs a report inlines, by chart id."""
    import json
    import re

    found = re.findall(
        r'<script type="application/json" class="chart-spec" data-for="([a-z0-9-]+)">(.*?)</script>',
        html,
        flags=re.S,
    )
    return {cid: json.loads(text.replace("<\\/", "</")) for cid, text in found}


def test_report_and_api_serve_the_same_chart_specs(client, tmp_path, dataset):
    """One chart, two places (issue 12, item 4): the spec the report inlines for a chart is
    the spec the API serves the dashboard for the same parameters, trace for trace."""
    from alliancekit.burden import load_spending
    from alliancekit.report import build_report
    from alliancekit.report.burden import US_CUT_PCT, _latest_year

    html = build_report(dataset, tmp_path / "report.html").read_text(encoding="utf-8")
    specs = _report_specs(html)
    year = _latest_year(load_spending(), int(dataset.info.as_of[:4]))
    pairs = {
        "chart-burden": f"/api/charts/burden?year={year}&alliance=NATO",
        "chart-burden-us-share": f"/api/charts/hub-share?from=2014&to={year}&alliance=NATO",
        "chart-burden-exploitation": f"/api/charts/exploitation?year={year}&alliance=NATO",
        "chart-burden-equilibrium": f"/api/charts/equilibrium?year={year}&us_cut={US_CUT_PCT:g}",
        "chart-ties-over-time": "/api/charts/ties-over-time",
    }
    for chart_id, url in pairs.items():
        served = ok(client, url)
        assert served["data"] and served["data"] == specs[chart_id]["data"], chart_id
        assert served["layout"] == specs[chart_id]["layout"], chart_id
        assert served["config"] == {"displaylogo": False, "responsive": True}
    # the dashboard draws them from those endpoints, not with charts of its own
    from importlib import resources

    scripts = resources.files("alliancekit.app") / "static" / "js"
    js = {f.name: f.read_text(encoding="utf-8") for f in scripts.iterdir()}
    for path in ("/api/charts/burden", "/api/charts/hub-share", "/api/charts/equilibrium"):
        assert any(f'"{path}"' in text for text in js.values()), path
    # only the timeline and the sweep draw plotly traces of their own
    assert not [
        n for n, t in js.items() if 'type: "bar"' in t and n not in ("timeline.js", "sweep.js")
    ]
    bad = client.get("/api/charts/equilibrium?us_cut=150")
    assert bad.status_code == 422 and bad.json()["parameter"] == "us_cut"
