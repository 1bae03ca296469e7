"""The path engine of the network measures: the shared computations every measure draws on,
cached on the graph (igraph's copy, tie lengths and weights, shortest-path distances, the twin
classes of :func:`twin_classes`, memberships and theatres).

Shortest-path measures search once per *twin class* (states with the same ties to everyone
else) on graphs of 48 to 400 states: ATOP years are made of multilateral pacts whose members
are often twins, and about half the searches are saved. Results are unchanged.
"""

from __future__ import annotations

import threading

import numpy as np

from alliancekit.network.graphs import AllianceGraph

EPS = 1e-9


_IGRAPH_IMPORT = threading.Lock()


def import_igraph():
    """igraph, imported without its matplotlib drawing back-end: when matplotlib is installed,
    ``import igraph`` imports ``matplotlib.pyplot`` too (about half a second), for plotting that
    alliancekit never asks of igraph. matplotlib stays importable afterwards. The lock makes
    threads that meet igraph first wait for one whole import (the app computes in threads)."""
    import sys

    with _IGRAPH_IMPORT:
        hide = "igraph" not in sys.modules and "matplotlib" not in sys.modules
        if hide:
            sys.modules["matplotlib"] = None  # igraph's find_matplotlib() takes its fallback
        try:
            import igraph
        finally:
            if hide and sys.modules.get("matplotlib", 0) is None:
                del sys.modules["matplotlib"]
    return igraph


def igraph_of(g: AllianceGraph):
    key = ("igraph",)
    if key not in g._cache:
        ig = import_igraph()

        g._cache[key] = ig.Graph(
            n=g.n, edges=list(zip(g.src.tolist(), g.dst.tolist(), strict=True))
        )
    return g._cache[key]


def edge_lengths(g: AllianceGraph, weighted: bool):
    return (1.0 / g.weight).tolist() if weighted and g.m else None


def edge_weights(g: AllianceGraph, weighted: bool) -> np.ndarray:
    return g.weight if weighted else np.ones(g.m)


# Twin reduction and the dense n × n matrices it works on pay between these sizes; smaller
# graphs go straight to igraph's searches, whose fixed cost is lower, and so do larger ones.
TWINS_MIN = 48
DENSE_MAX = 400


def length_matrix(g: AllianceGraph, weighted: bool) -> np.ndarray | None:
    """Tie lengths as a dense n × n matrix (``1/strength``, or 1 unweighted; inf without a
    tie). None when the graph is too large for dense matrices or not simple (a repeated pair
    or a loop)."""
    key = ("length", weighted)
    if key not in g._cache:
        out = None
        if 0 < g.n <= DENSE_MAX:
            out = np.full((g.n, g.n), np.inf)
            length = 1.0 / g.weight if weighted else 1.0
            out[g.src, g.dst] = length
            out[g.dst, g.src] = length
            if np.count_nonzero(out < np.inf) != 2 * g.m or np.isfinite(out.diagonal()).any():
                out = None
        g._cache[key] = out
    return g._cache[key]


def _mix(x: np.ndarray) -> np.ndarray:
    """The finaliser of SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
    number generators", OOPSLA): a bijection of 64-bit words that spreads every input bit."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


# Pseudo-random 64-bit keys for hashing rows of the adjacency matrix: the SplitMix64 sequence
# of a fixed seed (reproducible, without numpy.random's import). The twin classes do not depend
# on them: every candidate a hash proposes is checked exactly (twin_classes).
with np.errstate(over="ignore"):
    _KEYS = _mix(
        np.uint64(20261126)
        + np.arange(1, DENSE_MAX + 2, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    )


def twin_classes(g: AllianceGraph, weighted: bool) -> np.ndarray:
    """Twin classes: ``rep[i]`` is the lowest-numbered state of i's class (i itself when alone).

    Two states are twins (structurally equivalent, Lorrain & White 1971, "Structural
    equivalence of individuals in social networks", J. Math. Sociology 1(1)) when every other
    state has the same tie, of the same strength, to both; they may be tied to each other or
    not (the type-II and type-I "identical vertices" of Sariyüce, Saule, Kaya & Çatalyürek 2013,
    "Shattering and compressing networks for betweenness centrality", SIAM SDM). Swapping two
    twins maps the graph onto itself, so distances and shortest paths from one mirror those
    from the other, and neither lies on a shortest path from the other: one representative per
    class needs a search. ATOP graphs are full of twins (the members of a multilateral pact
    with no other obligations): about half their states.

    Rows of the adjacency matrix are hashed with random 64-bit keys (rows equal but for the
    pair's own two entries have equal hashes); every candidate is then checked exactly against
    its representative, so a hash collision cannot merge states that are not twins.
    """
    key = ("twins", weighted)
    if key not in g._cache:
        rep = np.arange(g.n)
        length = length_matrix(g, weighted) if TWINS_MIN <= g.n else None
        if length is not None:
            code = _mix(length[g.src, g.dst].view(np.uint64))  # a tie's length, hashed
            codes = np.zeros((g.n, g.n), dtype=np.uint64)
            codes[g.src, g.dst] = code
            codes[g.dst, g.src] = code
            keys = _KEYS[: g.n]
            with np.errstate(over="ignore"):
                h = codes @ keys
                # tied twins: rows equal apart from each other's entry
                tied = h[g.src] + code * keys[g.src] == h[g.dst] + code * keys[g.dst]
            if tied.any():
                np.minimum.at(rep, g.dst[tied], g.src[tied])
                np.minimum.at(rep, g.src[tied], g.dst[tied])
            # untied twins: equal rows
            _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
            rep = np.minimum(rep, first[inverse.ravel()])
            cand = np.flatnonzero(rep != np.arange(g.n))
            if len(cand):
                r = rep[cand]
                differ = length[cand] != length[r]
                rows = np.arange(len(cand))
                differ[rows, cand] = False
                differ[rows, r] = False
                bad = differ.any(axis=1) | (rep[r] != r)
                rep[cand[bad]] = cand[bad]
        g._cache[key] = rep
    return g._cache[key]


def distance_matrix(g: AllianceGraph, weighted: bool) -> np.ndarray:
    """All-pairs shortest-path lengths (inf where unreachable): Floyd–Warshall among twin
    classes (:func:`_twin_floyd_warshall`) for graphs of 48 to 400 states, else igraph's
    breadth-first search or Dijkstra's algorithm from every state."""
    key = ("dist", weighted)
    if key not in g._cache:
        length = length_matrix(g, weighted) if TWINS_MIN <= g.n else None
        if g.n == 0:
            d = np.zeros((0, 0))
        elif g.m == 0:
            d = np.full((g.n, g.n), np.inf)
            np.fill_diagonal(d, 0.0)
        elif length is not None:
            d = _twin_floyd_warshall(length, twin_classes(g, weighted))
        else:
            d = np.array(igraph_of(g).distances(weights=edge_lengths(g, weighted)), dtype=float)
        g._cache[key] = d
    return g._cache[key]


def _twin_floyd_warshall(length: np.ndarray, rep: np.ndarray) -> np.ndarray:
    """All-pairs shortest-path lengths from the dense tie lengths and the twin classes
    (:func:`twin_classes`). Floyd–Warshall (Floyd 1962, "Algorithm 97: Shortest path", CACM 5(6))
    runs among one representative per class, which suffices: a shortest path never runs
    through two twins, and one through a twin runs as short through its representative. The
    other states copy their representative's distances; two twins are ``min(their tie,
    2 × the shortest tie of either)`` apart (a path between them leaves one by some tie and
    reaches the other by its mirror image)."""
    n = len(rep)
    reps = np.flatnonzero(rep == np.arange(n))
    if len(reps) == n:
        return _floyd_warshall(length)
    dq = _floyd_warshall(length[np.ix_(reps, reps)])
    pos = np.zeros(n, dtype=np.int64)
    pos[reps] = np.arange(len(reps))
    p = pos[rep]
    d = dq[np.ix_(p, p)]
    twin = np.flatnonzero(np.bincount(p)[p] > 1)
    block = np.ix_(twin, twin)
    apart = np.minimum(length[block], 2.0 * length[twin].min(axis=1)[:, None])
    d[block] = np.where(p[twin, None] == p[None, twin], apart, d[block])
    np.fill_diagonal(d, 0.0)
    return d


# Below this many states Floyd–Warshall runs in numpy: scipy.sparse.csgraph's import (about
# 0.2 s, most of it scipy.sparse.linalg) costs more than all the searches of a report, and
# numpy is as fast as scipy's loops up to about 300 states (slower above, where scipy is kept).
NUMPY_FW_MAX = 300


def _floyd_warshall(length: np.ndarray) -> np.ndarray:
    """Floyd–Warshall on a dense symmetric matrix of tie lengths (inf: no tie): numpy, one
    vectorised relaxation per intermediate state, for graphs of up to :data:`NUMPY_FW_MAX`
    states, else scipy's. Both relax ``d[i, j]`` against ``d[i, k] + d[k, j]`` for k in the
    same order, and row and column k do not change during step k (``d[k, k]`` is 0), so the
    results are equal to the last bit."""
    n = length.shape[0]
    if n <= NUMPY_FW_MAX:
        d = length.copy()
        np.fill_diagonal(d, 0.0)
        via = np.empty_like(d)
        for k in range(n):
            np.add(d[:, k, None], d[None, k, :], out=via)
            np.minimum(d, via, out=d)
        return d
    return _scipy_floyd_warshall(length)


def _scipy_floyd_warshall(length: np.ndarray) -> np.ndarray:
    """scipy's Floyd–Warshall, the dense lengths passed as a sparse matrix (scipy's conversion
    of dense input costs more than the search on small graphs)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import floyd_warshall

    n = length.shape[0]
    tied = length < np.inf
    cols = np.nonzero(tied)[1].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.count_nonzero(tied, axis=1), out=indptr[1:])
    return floyd_warshall(csr_matrix((length[tied], cols, indptr), shape=(n, n)), directed=True)


def component_of(g: AllianceGraph) -> np.ndarray:
    key = ("components",)
    if key not in g._cache:
        g._cache[key] = np.asarray(igraph_of(g).connected_components().membership, dtype=np.int64)
    return g._cache[key]


def in_theatre(g: AllianceGraph, theatre: str) -> np.ndarray:
    key = ("theatre", theatre)
    if key not in g._cache:
        g._cache[key] = np.array([t == theatre for t in g.theatre], dtype=bool)
    return g._cache[key]


def as_actor_dict(g: AllianceGraph, values) -> dict[str, float]:
    return {a: float(v) for a, v in zip(g.nodes, values, strict=True)}
