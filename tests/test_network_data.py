"""The network of the shipped data and of ATOP: the article's structural claims, as the data
say them; and the measures on real ATOP years against networkx."""

from __future__ import annotations

import math
from fractions import Fraction

import networkx as nx
import polars as pl
import pytest

from alliancekit.network import (
    betweenness,
    build_graph,
    closeness,
    graph_measures,
    graphs_from_atop,
)
from alliancekit.network.graphs import data_years
from alliancekit.network.series import series


@pytest.fixture(scope="module")
def curated_series(dataset):
    first, last = data_years(dataset)
    return series(2000, last, data=dataset), last


def test_indo_pacific_hub_and_spoke_index_rises_2010_to_2025(curated_series):
    s, _ = curated_series
    v = dict(zip(s["year"], s["hub_spoke_indo_pacific"], strict=True))
    print(f"Indo-Pacific hub-and-spoke index: 2010 {v[2010]:.3f}, 2025 {v[2025]:.3f}")
    assert v[2025] > v[2010]
    # and it stays a hub-and-spoke system compared with the Euro-Atlantic lattice
    ea = dict(zip(s["year"], s["hub_spoke_euro_atlantic"], strict=True))
    assert v[2025] < ea[2025]


def test_cross_theatre_linkage_rises_after_2022(curated_series):
    s, last = curated_series
    raw = dict(zip(s["year"], s["cross_theatre"], strict=True))
    nato_ip4 = dict(zip(s["year"], s["linkage_NATO_IP4_norm"], strict=True))
    adv = dict(zip(s["year"], s["adversary_cross_theatre"], strict=True))
    print(
        f"cross-theatre linkage: 2022 {raw[2022]:.0f} -> {last} {raw[last]:.0f}; "
        f"NATO-IP4 per pair {nato_ip4[2022]:.2f} -> {nato_ip4[last]:.2f}; "
        f"adversaries {adv[2022]:.0f} -> {adv[last]:.0f}"
    )
    assert raw[last] > raw[2022]
    assert nato_ip4[last] > nato_ip4[2022]
    assert adv[last] > adv[2021]  # Russia–DPRK treaty in force 2024, Russia–China 2022


def test_nato_is_a_clique_of_its_members(dataset):
    g = build_graph(dataset, 2025)
    m = graph_measures(g)
    assert m["cohesion_NATO_density"] == 1.0
    assert len(g.memberships["NATO"]) == 32


def test_every_basis_names_a_shipped_tie(dataset):
    g = build_graph(dataset, 2025)
    ids = set(dataset.ties["tie_id"])
    bases = {b for lst in g.edges["basis"] for item in lst for b in item.split("+")}
    assert bases and bases <= ids


def test_adversaries_form_their_own_component(dataset):
    g = build_graph(dataset, 2025)
    for a in ("CHN", "PRK"):
        assert "USA" not in g.neighbours(a)


# ---------------------------------------------------------------------------------------------
# ATOP (reference data)


@pytest.fixture(scope="module")
def atop(refdata):
    return pl.read_parquet(refdata("atop_alliance.parquet"))


@pytest.mark.refdata
def test_atop_graphs_cover_1815_to_2018(atop, dataset):
    gs = graphs_from_atop(atop, data=dataset)
    assert min(gs) == 1815 and max(gs) == 2018
    g = gs[2018]
    assert g.m == atop.filter(pl.col("year") == 2018).height // 2  # directed rows, both ways
    assert "USA" in g.nodes and g.theatre_of("USA") == "global"
    m = graph_measures(g)
    assert 0 < m["hub_pairs_through"] < 1 and m["efficiency_drop"] > 0


@pytest.mark.refdata
@pytest.mark.parametrize("year", [1914, 1962])
def test_atop_measures_equal_networkx(atop, dataset, year):
    g = graphs_from_atop(atop, [year], data=dataset)[year]
    G = g.to_networkx()
    # Exact lengths: 1/5 + … + 1/5 must equal 1 (in floats it does not quite, and networkx,
    # unlike igraph, compares path lengths exactly).
    for _, _, d in G.edges(data=True):
        d["distance"] = Fraction(1, int(d["weight"]))
    for mine, ref in (
        (betweenness(g, weighted=False), nx.betweenness_centrality(G)),
        (betweenness(g), nx.betweenness_centrality(G, weight="distance")),
        (closeness(g), nx.closeness_centrality(G, distance="distance")),
    ):
        for k in ref:
            assert math.isclose(mine[k], float(ref[k]), rel_tol=1e-7, abs_tol=1e-9), k


@pytest.mark.refdata
def test_atop_series_has_no_gaps(atop, dataset):
    s = series(
        1946, 2018, ["states", "ties", "hub_pairs_through"], source="atop", atop=atop, data=dataset
    )
    assert s.height == 73 and s["states"].min() > 0
