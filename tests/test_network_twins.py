"""Twin reduction (network/measures/paths.py): states with the same ties to everyone else are searched once.
The measures that use it must still equal networkx's, on graphs full of twins, both below the
size where it switches on (forced here) and at the sizes where it runs by itself."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancekit.network.measures import (
    betweenness,
    closeness,
    global_efficiency,
    graph_measures,
    hub_dependence,
    local_clustering,
)
from alliancekit.network.measures import paths as M
from tests.test_network_measures import close, reference_hub_dependence
from tests.test_network_support import graph

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = st.sampled_from([1.0, 0.5, 0.25, 2.0])


@st.composite
def graphs_with_twins(draw, max_base=9, max_copies=6):
    """A random graph, then copies of some of its states: each copy has the same ties (and
    strengths) as its original, and is tied to it or not."""
    n = draw(st.integers(2, max_base))
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    ties = {(i, j): draw(WEIGHTS) for i, j in chosen}
    for _ in range(draw(st.integers(1, max_copies))):
        v = draw(st.integers(0, n - 1))
        c = n
        n += 1
        for (i, j), w in list(ties.items()):
            if v in (i, j):
                ties[(j if i == v else i, c)] = w
        if draw(st.booleans()):
            ties[(v, c)] = draw(WEIGHTS)
    names = [f"S{i:02d}" for i in range(n)]
    edges = [(names[i], names[j], w) for (i, j), w in ties.items()]
    return graph(edges, nodes=names)


def brute_force_twins(g, weighted):
    length = np.full((g.n, g.n), np.inf)
    w = 1.0 / g.weight if weighted else np.ones(g.m)
    length[g.src, g.dst] = w
    length[g.dst, g.src] = w
    rep = np.arange(g.n)
    for i, j in itertools.combinations(range(g.n), 2):
        others = [k for k in range(g.n) if k not in (i, j)]
        if rep[j] == j and np.array_equal(length[i, others], length[j, others]):
            rep[j] = rep[i]
    return rep


@SETTINGS
@given(graphs_with_twins())
def test_twin_classes_are_exactly_the_twins(g):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(M, "TWINS_MIN", 2)
        for weighted in (False, True):
            assert M.twin_classes(g, weighted).tolist() == brute_force_twins(g, weighted).tolist()


@SETTINGS
@given(graphs_with_twins())
def test_measures_with_twin_reduction_like_networkx(g):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(M, "TWINS_MIN", 2)
        G = g.to_networkx(weighted=True)
        close(betweenness(g, weighted=False), nx.betweenness_centrality(G))
        close(betweenness(g, weighted=True), nx.betweenness_centrality(G, weight="distance"))
        close(closeness(g, weighted=False), nx.closeness_centrality(G))
        close(closeness(g, weighted=True), nx.closeness_centrality(G, distance="distance"))
        assert math.isclose(
            global_efficiency(g, weighted=False), nx.global_efficiency(G), abs_tol=1e-9
        )
        d = dict(nx.all_pairs_dijkstra_path_length(G, weight="distance"))
        for a, b in itertools.product(range(g.n), repeat=2):
            want = d[g.nodes[a]].get(g.nodes[b], math.inf)
            assert math.isclose(M.distance_matrix(g, True)[a, b], want, rel_tol=1e-12)


@SETTINGS
@given(graphs_with_twins(max_base=7, max_copies=4))
def test_hub_dependence_with_twin_reduction_against_path_enumeration(g):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(M, "TWINS_MIN", 2)
        for hub in (g.nodes[0], g.nodes[-1]):  # an original and a copy
            for weighted in (False, True):
                total, through, cut, e1, e2 = reference_hub_dependence(g, hub, weighted)
                hd = hub_dependence(g, hub, weighted=weighted)
                assert hd["pairs"] == total
                if total:
                    assert math.isclose(hd["pairs_through_hub"], through / total)
                    assert math.isclose(hd["pairs_cut_by_hub"], cut / total)
                if not weighted:
                    assert math.isclose(hd["efficiency"], e1, abs_tol=1e-12)
                    assert math.isclose(hd["efficiency_without_hub"], e2, abs_tol=1e-12)
            g._cache.clear()


def blocs_graph(seed: int, n: int = 90, weighted_blocs: bool = True):
    """An ATOP-like year: a hub, multilateral pacts (cliques of equal strength) whose members
    have few other ties, and a sprinkle of bilateral ties: many twins, tied and untied."""
    rng = np.random.default_rng(seed)
    names = ["USA"] + [f"S{i:03d}" for i in range(1, n)]
    ties: dict[tuple[int, int], float] = {}
    members = rng.permutation(np.arange(1, n))
    start = 0
    for size in (25, 15, 10, 8, 6, 4):
        bloc = sorted(members[start : start + size].tolist())
        start += size
        s = float(rng.choice([1, 2, 3, 5])) if weighted_blocs else 5.0
        for i, j in itertools.combinations(bloc, 2):
            ties[(i, j)] = s
        if rng.random() < 0.7:  # the hub allied with the whole pact
            for i in bloc:
                ties[(0, i)] = 5.0
    rest = members[start:]
    a, b = sorted(members[:2].tolist())
    for i in sorted(rest[: len(rest) // 2].tolist()):  # untied twins: the same two partners
        ties[(min(a, i), max(a, i))] = 3.0
        ties[(min(b, i), max(b, i))] = 2.0
    for _ in range(n // 6):
        i, j = sorted(rng.choice(np.arange(n), 2, replace=False).tolist())
        ties[(i, j)] = float(rng.choice([1, 2, 3, 5]))
    edges = [(names[i], names[j], w) for (i, j), w in ties.items()]
    theatres = {
        a: ("global" if a == "USA" else ["euro_atlantic", "indo_pacific", "other"][k % 3])
        for k, a in enumerate(names)
    }
    return graph(edges, theatres, nodes=names)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_twin_reduction_at_atop_sizes_like_networkx(seed):
    g = blocs_graph(seed)
    assert g.n >= M.TWINS_MIN
    reps = int((M.twin_classes(g, True) == np.arange(g.n)).sum())
    assert reps < 0.7 * g.n  # the reduction is in use
    G = g.to_networkx(weighted=True)
    close(betweenness(g, weighted=False), nx.betweenness_centrality(G))
    close(betweenness(g, weighted=True), nx.betweenness_centrality(G, weight="distance"))
    close(closeness(g, weighted=False), nx.closeness_centrality(G))
    close(closeness(g, weighted=True), nx.closeness_centrality(G, distance="distance"))
    close(local_clustering(g, weighted=True), nx.clustering(G, weight="weight"))
    assert math.isclose(global_efficiency(g, weighted=False), nx.global_efficiency(G), abs_tol=1e-9)


@pytest.mark.parametrize("weighted", [False, True])
def test_hub_measures_at_atop_sizes_equal_a_direct_computation(weighted):
    """Hub dependence inherits the twin classes for the graph without the hub; compare with
    networkx's distances on both graphs."""
    g = blocs_graph(4)
    m = graph_measures(g, weighted=weighted)
    G = g.to_networkx(weighted=True)
    H = G.copy()
    H.remove_node("USA")
    w = "distance" if weighted else None
    d1 = dict(nx.all_pairs_dijkstra_path_length(G, weight=w))
    d2 = dict(nx.all_pairs_dijkstra_path_length(H, weight=w))
    others = [a for a in G if a != "USA"]
    pairs = through = cut = 0
    for a, b in itertools.combinations(others, 2):
        if b not in d1[a]:
            continue
        pairs += 1
        if b not in d2[a]:
            cut += 1
            through += 1
        elif d2[a][b] > d1[a][b] * (1 + 1e-9) + 1e-9:
            through += 1

    def eff(d, n):
        return sum(1 / x for a in d for b, x in d[a].items() if a != b) / (n * (n - 1))

    assert m["hub_pairs_through"] == pytest.approx(through / pairs)
    assert m["hub_pairs_cut"] == pytest.approx(cut / pairs)
    assert m["efficiency"] == pytest.approx(eff(d1, G.number_of_nodes()), rel=1e-9)
    assert m["efficiency_without_hub"] == pytest.approx(eff(d2, H.number_of_nodes()), rel=1e-9)


@given(
    n=st.integers(1, 40),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
@SETTINGS
def test_numpy_floyd_warshall_equals_scipy_to_the_bit(n, density, seed):
    """The numpy Floyd–Warshall of small graphs gives scipy's distances exactly (same
    relaxations in the same order), unreachable pairs included."""
    rng = np.random.default_rng(seed)
    tied = np.triu(rng.random((n, n)) < density, 1)
    tied |= tied.T
    strength = rng.integers(1, 11, size=(n, n)).astype(float)
    strength = np.triu(strength) + np.triu(strength, 1).T
    length = np.full((n, n), np.inf)
    length[tied] = 1.0 / strength[tied]
    got = M._floyd_warshall(length)
    want = M._scipy_floyd_warshall(length)
    assert got.tobytes() == want.tobytes()


def test_numpy_floyd_warshall_equals_scipy_on_every_curated_year():
    from alliancekit.data import load
    from alliancekit.network.graphs import build_graph, data_years

    data = load()
    first, last = data_years(data)
    for year in range(first, last + 1):
        g = build_graph(data, year)
        for weighted in (False, True):
            length = M.length_matrix(g, weighted)
            if length is None:
                continue
            assert M._floyd_warshall(length).tobytes() == M._scipy_floyd_warshall(length).tobytes()
