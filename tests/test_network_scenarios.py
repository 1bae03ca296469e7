"""Scenarios, gap-filling, series, exports and the picture, on synthetic data."""

from __future__ import annotations

import json
import math

import networkx as nx
import polars as pl
import pytest

from alliancekit.network import build_graph, graph_measures
from alliancekit.network.export import edge_list, write_graph
from alliancekit.network.picture import save, svg
from alliancekit.network.scenarios import (
    add_members,
    connect,
    gap_fill,
    remove,
    weaken,
    weakened,
    with_members,
    with_ties,
)
from alliancekit.network.series import check_measures, series
from alliancekit.schema import ParameterError
from tests.test_network_support import MINI, graph, make_data


@pytest.fixture(scope="module")
def mini():
    return make_data(MINI)


@pytest.fixture(scope="module")
def g24(mini):
    return build_graph(mini, 2024)


def test_remove_hub_reports_before_after_change(g24):
    r = remove(g24, "USA")
    t = r.table
    assert t.columns == ["measure", "before", "after", "change"]
    row = t.filter(pl.col("measure") == "states").row(0, named=True)
    assert row["before"] - 1 == row["after"] and row["change"] == -1
    hub_row = t.filter(pl.col("measure") == "hub_pairs_through").row(0, named=True)
    assert hub_row["after"] is None  # the hub is gone: undefined, not zero
    d = r.to_dict()
    assert d["scenario"] == "remove USA" and json.dumps(d)
    assert "USA" not in r.after.nodes


def test_weaken_multiplies_the_actors_ties(g24):
    w = weakened(g24, "USA", 0.5)
    for a in g24.neighbours("USA"):
        i, j = sorted((g24.index["USA"], g24.index[a]))
        k = [(s, d) for s, d in zip(g24.src, g24.dst, strict=True)].index((i, j))
        assert w.weight[k] == g24.weight[k] / 2
    assert weakened(g24, "USA", 0).neighbours("USA") == []
    r = weaken(g24, "USA", 0.5)
    assert r.measures_after["states"] == r.measures_before["states"]
    with pytest.raises(ParameterError, match="factor"):
        weakened(g24, "USA", -1)


def test_add_ties_and_members(g24):
    g = with_ties(g24, [("KOR", "PHL", 4), ("JPN", "NZL", 3)], theatres={"NZL": "indo_pacific"})
    assert "NZL" in g.nodes and g.theatre_of("NZL") == "indo_pacific"
    assert "PHL" in g.neighbours("KOR")
    before = graph_measures(g24)["hub_spoke_indo_pacific"]
    r = connect(g24, [("KOR", "PHL", 4)])
    assert r.measures_after["hub_spoke_indo_pacific"] > before
    m = with_members(g24, "NATO", ["JPN", "AUS"])
    assert set(m.memberships["NATO"]) >= {"JPN", "AUS", "USA"}
    assert "GBR" in m.neighbours("AUS")
    r = add_members(g24, "NATO", ["AUS"])
    assert r.measures_after["cohesion_NATO_density"] == 1.0
    with pytest.raises(ParameterError, match="no members"):
        with_members(g24, "ASEAN", ["JPN"])
    with pytest.raises(ParameterError):
        with_ties(g24, [("JPN", "JPN", 1)])


def test_gap_fill_connects_the_allies_cheaply():
    T = {
        "H": "global",
        "A": "indo_pacific",
        "B": "indo_pacific",
        "C": "indo_pacific",
        "D": "indo_pacific",
        "E": "euro_atlantic",
    }
    g = graph([("H", x, 5) for x in "ABCDE"] + [("A", "B", 3)], T)
    one = gap_fill(g, "H", theatre="indo_pacific", k=1)
    assert one.allies == ["A", "B", "C", "D"] and one.components_before == 3
    assert one.isolated_before == ["C", "D"]
    assert one.ties.height == 2 and one.connected_after
    two = gap_fill(g, "H", theatre="indo_pacific", k=2)
    H = nx.Graph([("A", "B")])
    H.add_nodes_from("ABCD")
    H.add_edges_from(two.ties.select("a", "b").rows())
    assert nx.is_k_edge_connected(H, 2) and two.connected_after
    assert two.ties.height >= 3
    every = gap_fill(g, "H", k=1)  # both theatres: E joins at double cost
    e_tie = every.ties.filter((pl.col("a") == "E") | (pl.col("b") == "E"))
    assert e_tie.height == 1 and e_tie["cost"].item() == 2.0


def test_gap_fill_prefers_pairs_that_share_a_framework(mini):
    g = build_graph(mini, 2010)  # JPN, KOR, AUS, PHL: spokes; JPN–AUS declaration only
    r = gap_fill(g, "USA", theatre="indo_pacific", k=1)
    assert r.connected_after and r.ties.height == 2
    assert (r.ties["cost"] <= 1.0).all()


def test_gap_fill_errors():
    g = graph(
        [("H", "A", 5), ("H", "B", 5)], {"H": "global", "A": "indo_pacific", "B": "indo_pacific"}
    )
    with pytest.raises(ParameterError, match="k must be"):
        gap_fill(g, "H", k=3)
    with pytest.raises(ParameterError, match="at least 3"):
        gap_fill(g, "H", k=2)
    with pytest.raises(ParameterError, match="not a state"):
        gap_fill(g, "USA")
    with pytest.raises(ParameterError, match="unknown theatre"):
        gap_fill(g, "H", theatre="arctic")


def test_gap_fill_user_cost():
    T = {"H": "global", "A": "indo_pacific", "B": "indo_pacific", "C": "indo_pacific"}
    g = graph([("H", x, 5) for x in "ABC"], T)
    r = gap_fill(g, "H", k=1, cost=lambda g, a, b, c: 10.0 if "A" in (a, b) else 1.0)
    assert r.ties.height == 2 and r.total_cost == 11.0 and r.cost_rule == "user-given"


def test_series_curated(mini):
    s = series(2008, 2025, data=mini)
    assert s["year"].to_list() == list(range(2008, 2026))
    assert set(check_measures(None)) <= set(s.columns)
    hs = dict(zip(s["year"], s["hub_spoke_indo_pacific"], strict=True))
    assert hs[2025] > hs[2010]  # the spokes sign agreements with each other
    few = series(2010, 2012, ["density", "cross_theatre"], data=mini)
    assert few.columns == ["year", "density", "cross_theatre"]
    with pytest.raises(ParameterError, match="unknown measure"):
        series(2010, 2012, ["charisma"], data=mini)
    with pytest.raises(ParameterError, match="outside"):
        series(1900, 2012, data=mini)
    with pytest.raises(ParameterError, match="after"):
        series(2012, 2010, data=mini)


def test_series_atop_fills_empty_years_with_nulls(mini):
    from tests.test_network_graphs import ATOP_SMALL

    s = series(1950, 1960, source="atop", atop=ATOP_SMALL, data=mini)
    assert s.height == 11
    row = s.filter(pl.col("year") == 1955).row(0, named=True)
    assert row["states"] == 0 and row["density"] is None
    with pytest.raises(ParameterError, match="outside the ATOP"):
        series(1940, 1960, source="atop", atop=ATOP_SMALL, data=mini)
    with pytest.raises(ParameterError, match="unknown source"):
        series(1950, 1960, source="cow", data=mini)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_exports_round_trip(g24, tmp_path, fmt):
    path = write_graph(g24, tmp_path / f"g.{fmt}")
    if fmt == "graphml":
        G = nx.read_graphml(path)
    elif fmt == "gexf":
        G = nx.read_gexf(path)
    elif fmt == "json":
        G = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    else:
        e = pl.read_csv(path)
        assert e.height == g24.m and {"a", "b", "weight", "kinds", "basis", "via"} <= set(e.columns)
        return
    assert set(G.nodes) == set(g24.nodes) and G.number_of_edges() == g24.m
    u, v, data = next(iter(G.edges(data=True)))
    assert data["weight"] > 0 and "basis" in data and "kinds" in data
    assert G.nodes[u]["theatre"]


def test_export_format_errors(g24, tmp_path):
    with pytest.raises(ParameterError, match="cannot tell"):
        write_graph(g24, tmp_path / "g.xyz")
    with pytest.raises(ParameterError, match="unknown export format"):
        write_graph(g24, tmp_path / "g.xyz", "pajek")
    assert "JPN;USA" not in edge_list(g24)["basis"].to_list()


def test_picture(g24, tmp_path):
    s = svg(g24)
    assert s.startswith("<svg") and "JPN" in s
    p = save(g24, tmp_path / "net.png")
    assert p.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ParameterError, match="png or .svg"):
        save(g24, tmp_path / "net.pdf")
    with pytest.raises(ParameterError, match="empty"):
        svg(graph([], nodes=[]))


def test_scenario_nan_free_json(g24):
    d = remove(g24, "USA").to_dict()
    for row in d["measures"]:
        for k in ("before", "after", "change"):
            assert row[k] is None or not math.isnan(row[k])


def test_gap_fill_is_the_same_in_every_process():
    """String hashing changes per process (PYTHONHASHSEED); the answer must not."""
    import os
    import subprocess
    import sys

    code = (
        "from alliancekit.data import load; from alliancekit.network import build_graph; "
        "from alliancekit.network.scenarios import gap_fill; "
        "r = gap_fill(build_graph(load(), 2000), 'USA', theatre='indo_pacific', k=2); "
        "print(r.total_cost, r.ties.select('a', 'b').rows())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(outs) == 1, outs
