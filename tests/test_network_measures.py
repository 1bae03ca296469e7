"""Measures: equal to networkx's on random graphs (hypothesis); hand-computed values for the
measures no peer tool has (hub dependence, hub-and-spoke, cross-theatre linkage, cohesion)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancekit.network import (
    average_clustering,
    betweenness,
    bloc_cohesion,
    bloc_linkage,
    closeness,
    components,
    cross_theatre_linkage,
    degree,
    density,
    eigenvector,
    global_efficiency,
    graph_measures,
    hub_and_spoke_index,
    hub_dependence,
    local_clustering,
    strength,
    transitivity,
)
from alliancekit.network.measures import actor_measures, degree_centralization
from alliancekit.schema import ParameterError
from tests.test_network_support import graph

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Weights whose lengths (1/w) are exact binary numbers: shortest-path ties are exact in both
# libraries, so the comparison tests the algorithms, not rounding.
WEIGHTS = st.sampled_from([1.0, 0.5, 0.25, 2.0])


@st.composite
def random_graphs(draw, min_n=2, max_n=18, connected=False):
    n = draw(st.integers(min_n, max_n))
    names = [f"S{i:02d}" for i in range(n)]
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    if connected:
        chosen = sorted(set(chosen) | {(i, i + 1) for i in range(n - 1)})
    edges = [(names[i], names[j], draw(WEIGHTS)) for i, j in chosen]
    theatres = {
        a: draw(st.sampled_from(["euro_atlantic", "indo_pacific", "global", "other"]))
        for a in names
    }
    return graph(edges, theatres, nodes=names)


def to_nx(g):
    return g.to_networkx(weighted=True)


def close(a: dict, b: dict, tol=1e-7):
    assert a.keys() == b.keys()
    for k in a:
        assert math.isclose(a[k], b[k], rel_tol=tol, abs_tol=tol), (k, a[k], b[k])


@SETTINGS
@given(random_graphs())
def test_degree_strength_density_components_like_networkx(g):
    G = to_nx(g)
    assert degree(g) == {a: float(d) for a, d in G.degree()}
    close(strength(g), dict(G.degree(weight="weight")))
    assert strength(g, weighted=False) == degree(g)
    assert math.isclose(density(g), nx.density(G))
    comps = list(nx.connected_components(G))
    assert components(g) == {"components": len(comps), "largest_component": max(map(len, comps))}


@SETTINGS
@given(random_graphs(min_n=3))
def test_betweenness_like_networkx(g):
    G = to_nx(g)
    close(betweenness(g, weighted=False), nx.betweenness_centrality(G))
    close(betweenness(g, weighted=True), nx.betweenness_centrality(G, weight="distance"))


@SETTINGS
@given(random_graphs())
def test_closeness_like_networkx_disconnected_included(g):
    G = to_nx(g)
    close(closeness(g, weighted=False), nx.closeness_centrality(G))
    close(closeness(g, weighted=True), nx.closeness_centrality(G, distance="distance"))


@SETTINGS
@given(random_graphs(min_n=3))
def test_clustering_and_transitivity_like_networkx(g):
    G = to_nx(g)
    close(local_clustering(g, weighted=False), nx.clustering(G))
    close(local_clustering(g, weighted=True), nx.clustering(G, weight="weight"))
    assert math.isclose(average_clustering(g), nx.average_clustering(G), abs_tol=1e-9)
    assert math.isclose(transitivity(g), nx.transitivity(G), abs_tol=1e-9)


@SETTINGS
@given(random_graphs())
def test_efficiency_like_networkx(g):
    G = to_nx(g)
    assert math.isclose(global_efficiency(g, weighted=False), nx.global_efficiency(G), abs_tol=1e-9)
    # weighted: the same definition on 1/strength lengths
    d = dict(nx.all_pairs_dijkstra_path_length(G, weight="distance"))
    n = g.n
    ref = sum(1 / d[a][b] for a in G for b in d[a] if a != b) / (n * (n - 1)) if n > 1 else 0
    assert math.isclose(global_efficiency(g, weighted=True), ref, rel_tol=1e-9, abs_tol=1e-12)


@SETTINGS
@given(random_graphs(min_n=4, connected=True))
def test_eigenvector_like_networkx_on_connected_graphs(g):
    G = to_nx(g)
    close(eigenvector(g, weighted=False), nx.eigenvector_centrality_numpy(G), tol=1e-6)
    close(
        eigenvector(g, weighted=True), nx.eigenvector_centrality_numpy(G, weight="weight"), tol=1e-6
    )


@SETTINGS
@given(random_graphs(min_n=4))
def test_eigenvector_on_disconnected_graphs_is_networkx_power_iteration_limit(g):
    G = to_nx(g)
    for weighted in (False, True):
        try:
            ref = nx.eigenvector_centrality(
                G, max_iter=5000, tol=1e-12, weight="weight" if weighted else None
            )
        except nx.PowerIterationFailedConvergence:  # pragma: no cover - slow mixing
            continue
        close(eigenvector(g, weighted=weighted), ref, tol=1e-4)


def test_degree_centralization_of_a_star_is_one():
    g = graph([("H", x, 1.0) for x in "ABCD"])
    assert degree_centralization(g) == 1.0
    ring = graph([("A", "B", 1), ("B", "C", 1), ("C", "D", 1), ("D", "A", 1)])
    assert degree_centralization(ring) == 0.0


# ---------------------------------------------------------------------------------------------
# Hub dependence


def reference_hub_dependence(g, hub, weighted=False):
    """By enumeration: a pair depends on the hub when every shortest path contains it."""
    G = g.to_networkx(weighted=weighted)
    length = "distance" if weighted else None
    others = [a for a in G if a != hub]
    through = cut = total = 0
    H = G.copy()
    H.remove_node(hub)
    for s, t in itertools.combinations(others, 2):
        if not nx.has_path(G, s, t):
            continue
        total += 1
        if all(hub in p for p in nx.all_shortest_paths(G, s, t, weight=length)):
            through += 1
        if not nx.has_path(H, s, t):
            cut += 1
    if weighted:
        return total, through, cut, None, None
    return total, through, cut, nx.global_efficiency(G), nx.global_efficiency(H)


@SETTINGS
@given(random_graphs(min_n=3, max_n=12))
def test_hub_dependence_against_path_enumeration(g):
    hub = g.nodes[0]
    total, through, cut, e1, e2 = reference_hub_dependence(g, hub)
    hd = hub_dependence(g, hub, weighted=False)
    assert hd["pairs"] == total
    if total:
        assert math.isclose(hd["pairs_through_hub"], through / total)
        assert math.isclose(hd["pairs_cut_by_hub"], cut / total)
    assert math.isclose(hd["efficiency"], e1, abs_tol=1e-12)
    assert math.isclose(hd["efficiency_without_hub"], e2, abs_tol=1e-12)
    total, through, cut, _, _ = reference_hub_dependence(g, hub, weighted=True)
    hd = hub_dependence(g, hub, weighted=True)
    assert hd["pairs"] == total
    if total:
        assert math.isclose(hd["pairs_through_hub"], through / total)
        assert math.isclose(hd["pairs_cut_by_hub"], cut / total)


def test_hub_dependence_by_hand():
    # H tied to A, B, C; A–B tied. Pairs: A–B direct; A–C and B–C only through H.
    g = graph([("H", "A", 1), ("H", "B", 1), ("H", "C", 1), ("A", "B", 1)])
    hd = hub_dependence(g, "H", weighted=False)
    assert hd["pairs"] == 3
    assert hd["pairs_through_hub"] == pytest.approx(2 / 3)
    assert hd["pairs_cut_by_hub"] == pytest.approx(2 / 3)
    assert hd["isolated"] == ["C"]
    # efficiency: (5 pairs at distance 1 + 2 at 2 …) = 10/12 before, 2/6 after
    assert hd["efficiency"] == pytest.approx(10 / 12)
    assert hd["efficiency_without_hub"] == pytest.approx(1 / 3)
    assert hd["efficiency_drop"] == pytest.approx(0.6)


def test_hub_dependence_longer_detour_counts_as_through_but_not_cut():
    # A pentagon: A–H–B is 2 steps, the detour A–C–D–B is 3.
    g = graph([("H", "A", 1), ("H", "B", 1), ("A", "C", 1), ("C", "D", 1), ("D", "B", 1)])
    hd = hub_dependence(g, "H", weighted=False)
    assert hd["pairs_cut_by_hub"] == 0
    assert hd["pairs_through_hub"] == pytest.approx(1 / 6)  # only A–B (2 via H, 3 around)
    # A square: the alternative is as short, so nothing depends on H.
    sq = graph([("H", "A", 1), ("H", "B", 1), ("A", "C", 1), ("C", "B", 1)])
    assert hub_dependence(sq, "H", weighted=False)["pairs_through_hub"] == 0


def test_hub_dependence_weighted_uses_strength_as_shortness():
    # Strong A–H–B (5 + 5: length 0.4) beats a weak direct A–B (1: length 1).
    g = graph([("H", "A", 5), ("H", "B", 5), ("A", "B", 1)])
    assert hub_dependence(g, "H")["pairs_through_hub"] == 1.0
    assert hub_dependence(g, "H", weighted=False)["pairs_through_hub"] == 0.0


def test_hub_must_be_in_the_graph():
    g = graph([("A", "B", 1)])
    with pytest.raises(ParameterError, match="not a state"):
        hub_dependence(g, "USA")


# ---------------------------------------------------------------------------------------------
# Hub-and-spoke, cross-theatre linkage, cohesion

T = {
    "H": "global",
    "A": "indo_pacific",
    "B": "indo_pacific",
    "C": "euro_atlantic",
    "D": "euro_atlantic",
    "R": "euro_atlantic",
    "X": "indo_pacific",
}


def test_hub_and_spoke_index_by_hand():
    g = graph([("H", "A", 5), ("H", "B", 5), ("A", "B", 2), ("H", "C", 5), ("C", "A", 3)], T)
    assert hub_and_spoke_index(g, "indo_pacific", "H") == pytest.approx(2 / 12)
    assert hub_and_spoke_index(g, "indo_pacific", "H", weighted=False) == pytest.approx(1 / 3)
    assert hub_and_spoke_index(g, "euro_atlantic", "H") == 0.0  # one spoke: nothing spoke-to-spoke
    pure = graph([("H", "A", 5), ("H", "B", 5)], T)
    assert hub_and_spoke_index(pure, "indo_pacific", "H") == 0.0
    assert math.isnan(hub_and_spoke_index(pure, "euro_atlantic", "H"))
    with pytest.raises(ParameterError, match="unknown theatre"):
        hub_and_spoke_index(g, "arctic", "H")


def test_hub_and_spoke_ignores_ties_with_non_partners():
    # X is in the theatre but not a partner of H: its ties do not count.
    g = graph([("H", "A", 5), ("H", "B", 5), ("A", "X", 4), ("A", "B", 1)], T)
    assert hub_and_spoke_index(g, "indo_pacific", "H") == pytest.approx(1 / 11)


def test_cross_theatre_linkage_by_hand():
    g = graph(
        [("H", "A", 5), ("H", "C", 5), ("C", "A", 3), ("D", "B", 2), ("C", "D", 5), ("R", "X", 4)],
        T,
    )
    link = cross_theatre_linkage(g, adversaries=("R", "X"))
    # allies: EA {C, D} × IP {A, B}: ties C–A (3), D–B (2); 4 possible pairs. H is global.
    assert link["cross_theatre"] == 5 and link["cross_theatre_ties"] == 2
    assert link["cross_theatre_norm"] == pytest.approx(5 / 4)
    assert link["adversary_cross_theatre"] == 4
    assert link["adversary_cross_theatre_norm"] == 4
    unweighted = cross_theatre_linkage(g, weighted=False, adversaries=("R", "X"))
    assert unweighted["cross_theatre"] == 2


def test_bloc_cohesion_and_linkage_by_hand():
    g = graph([("A", "B", 4), ("B", "C", 2), ("C", "D", 5), ("A", "D", 1)], T)
    c = bloc_cohesion(g, ["A", "B", "C"])
    assert (
        c["members"] == 3
        and c["density"] == pytest.approx(2 / 3)
        and c["strength"] == pytest.approx(2)
    )
    lk = bloc_linkage(g, ["A", "B"], ["C", "D"])
    assert lk["ties"] == 2 and lk["linkage"] == 3 and lk["linkage_norm"] == pytest.approx(3 / 4)
    with pytest.raises(ParameterError):
        bloc_cohesion(g, ["A", "ATLANTIS"])


def test_graph_measures_complete_and_nan_without_hub():
    g = graph([("A", "B", 4), ("B", "C", 2)], T)
    m = graph_measures(g, hub="H")
    assert math.isnan(m["hub_pairs_through"]) and m["states"] == 3 and m["ties"] == 2
    with pytest.raises(ParameterError, match="empty"):
        graph_measures(graph([], T, nodes=["A"]))


def test_actor_table_columns_and_order():
    g = graph([("H", "A", 5), ("H", "B", 4), ("A", "B", 1)], T)
    t = actor_measures(g)
    assert t.columns == [
        "actor",
        "name",
        "theatre",
        "degree",
        "strength",
        "eigenvector",
        "betweenness",
        "closeness",
        "clustering",
    ]
    assert t["actor"].to_list() == ["H", "A", "B"]  # by strength


@SETTINGS
@given(random_graphs(min_n=3))
def test_distances_derived_through_the_hub_equal_direct_ones(g):
    """hub_dependence fills the all-pairs distances from those without the hub; the
    measures that reuse them must still equal networkx's."""
    G = to_nx(g)
    for weighted in (False, True):
        hub_dependence(g, g.nodes[0], weighted=weighted)
    close(closeness(g, weighted=False), nx.closeness_centrality(G))
    close(closeness(g, weighted=True), nx.closeness_centrality(G, distance="distance"))
    assert math.isclose(global_efficiency(g, weighted=False), nx.global_efficiency(G), abs_tol=1e-9)


def test_every_graph_measure_is_documented():
    from alliancekit.network.measures import GRAPH_MEASURE_DOCS, GRAPH_MEASURES

    assert set(GRAPH_MEASURES) == set(GRAPH_MEASURE_DOCS)


def test_bloc_cohesion_columns_carry_their_names():
    """graph_measures' per-bloc columns are cohesion_<bloc>_density and _strength, equal to
    bloc_cohesion's (a rename once turned the second into 'cohesion_IP4strength_array')."""
    from alliancekit import load
    from alliancekit.network import bloc_cohesion, build_graph, graph_measures

    g = build_graph(load(), 2025)
    m = graph_measures(g, blocs=("IP4", "NATO"))
    for b in ("IP4", "NATO"):
        c = bloc_cohesion(g, b)
        assert m[f"cohesion_{b}_density"] == c["density"]
        assert m[f"cohesion_{b}_strength"] == c["strength"]
    assert not [k for k in m if "_array" in k or "strength_" in k and "cohesion" in k]
