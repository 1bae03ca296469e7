"""Network measures of an :class:`~alliancekit.network.graphs.AllianceGraph`, one algorithm per
function, each citing its source.

Every measure takes ``weighted``: with it, tie strength is the weight (eigenvector, strength,
clustering) and ``1/strength`` the length of a tie (shortest paths, betweenness, closeness,
efficiency), so that strong ties are short; without it every tie counts 1. Per-actor measures
follow networkx's conventions (normalisation, disconnected graphs) so that results can be
checked against it; the heavy work runs in igraph's C code, scipy and numpy.

Shortest-path measures search once per *twin class* (states with the same ties to everyone
else, :func:`_twins`) on graphs of 48 to 400 states: ATOP years are made of multilateral pacts
whose members are often twins, and about half the searches are saved. Results are unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from alliancekit.network.graphs import ADVERSARIES, BLOCS, DEFAULT_HUB, AllianceGraph
from alliancekit.schema import THEATRES, choice

_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# Shared computations, cached on the graph


def _ig(g: AllianceGraph):
    key = ("igraph",)
    if key not in g._cache:
        import igraph as ig

        g._cache[key] = ig.Graph(
            n=g.n, edges=list(zip(g.src.tolist(), g.dst.tolist(), strict=True))
        )
    return g._cache[key]


def _lengths(g: AllianceGraph, weighted: bool):
    return (1.0 / g.weight).tolist() if weighted and g.m else None


def _weights(g: AllianceGraph, weighted: bool) -> np.ndarray:
    return g.weight if weighted else np.ones(g.m)


# Twin reduction and the dense n × n matrices it works on pay between these sizes; smaller
# graphs go straight to igraph's searches, whose fixed cost is lower, and so do larger ones.
_TWINS_MIN = 48
_DENSE_MAX = 400
# Random 64-bit keys for hashing rows of the adjacency matrix (fixed: results are reproducible).
_KEYS = np.random.default_rng(20261126).integers(1, 2**63, size=_DENSE_MAX + 1, dtype=np.uint64)


def _length_matrix(g: AllianceGraph, weighted: bool) -> np.ndarray | None:
    """Tie lengths as a dense n × n matrix (``1/strength``, or 1 unweighted; inf without a
    tie). None when the graph is too large for dense matrices or not simple (a repeated pair
    or a loop)."""
    key = ("length", weighted)
    if key not in g._cache:
        out = None
        if 0 < g.n <= _DENSE_MAX:
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


def _twins(g: AllianceGraph, weighted: bool) -> np.ndarray:
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
        length = _length_matrix(g, weighted) if _TWINS_MIN <= g.n else None
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


def _distances(g: AllianceGraph, weighted: bool) -> np.ndarray:
    """All-pairs shortest-path lengths (inf where unreachable): Floyd–Warshall among twin
    classes (:func:`_twin_floyd_warshall`) for graphs of 48 to 400 states, else igraph's
    breadth-first search or Dijkstra's algorithm from every state."""
    key = ("dist", weighted)
    if key not in g._cache:
        length = _length_matrix(g, weighted) if _TWINS_MIN <= g.n else None
        if g.n == 0:
            d = np.zeros((0, 0))
        elif g.m == 0:
            d = np.full((g.n, g.n), np.inf)
            np.fill_diagonal(d, 0.0)
        elif length is not None:
            d = _twin_floyd_warshall(length, _twins(g, weighted))
        else:
            d = np.array(_ig(g).distances(weights=_lengths(g, weighted)), dtype=float)
        g._cache[key] = d
    return g._cache[key]


def _twin_floyd_warshall(length: np.ndarray, rep: np.ndarray) -> np.ndarray:
    """All-pairs shortest-path lengths from the dense tie lengths and the twin classes
    (:func:`_twins`). Floyd–Warshall (Floyd 1962, "Algorithm 97: Shortest path", CACM 5(6))
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


def _floyd_warshall(length: np.ndarray) -> np.ndarray:
    """Floyd–Warshall (scipy) on a dense symmetric matrix of tie lengths (inf: no tie), passed
    as a sparse matrix (scipy's conversion of dense input costs more than the search on small
    graphs)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import floyd_warshall

    n = length.shape[0]
    tied = length < np.inf
    cols = np.nonzero(tied)[1].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.count_nonzero(tied, axis=1), out=indptr[1:])
    return floyd_warshall(csr_matrix((length[tied], cols, indptr), shape=(n, n)), directed=True)


def _membership(g: AllianceGraph) -> np.ndarray:
    key = ("components",)
    if key not in g._cache:
        g._cache[key] = np.asarray(_ig(g).connected_components().membership, dtype=np.int64)
    return g._cache[key]


def _in_theatre(g: AllianceGraph, theatre: str) -> np.ndarray:
    key = ("theatre", theatre)
    if key not in g._cache:
        g._cache[key] = np.array([t == theatre for t in g.theatre], dtype=bool)
    return g._cache[key]


def _as_dict(g: AllianceGraph, values) -> dict[str, float]:
    return {a: float(v) for a, v in zip(g.nodes, values, strict=True)}


# ---------------------------------------------------------------------------------------------
# Per-actor measures


def degree(g: AllianceGraph) -> dict[str, float]:
    """Degree: the number of states an actor is tied to (Freeman 1979, "Centrality in social
    networks: conceptual clarification", Social Networks 1(3), degree centrality, unnormalised).

    Parameters
    ----------
    g : AllianceGraph
        The graph.

    Returns
    -------
    dict of str to float
        Actor id to its number of ties.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import degree
    >>> degree(g)["USA"]
    24.0
    """
    return _as_dict(g, _degree(g))


def _degree(g: AllianceGraph) -> np.ndarray:
    key = ("degree",)
    if key not in g._cache:
        g._cache[key] = np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)
    return g._cache[key]


def strength(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Strength: the sum of an actor's tie weights (Barrat et al. 2004, PNAS 101(11), the
    weighted generalisation of Freeman's 1979 degree); the degree when unweighted.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Sum the tie weights (else count the ties).

    Returns
    -------
    dict of str to float
        Actor id to its strength.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import strength
    >>> strength(g)["USA"]
    158.0
    """
    return _as_dict(g, _strength(g, weighted))


def _strength(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("strength", weighted)
    if key not in g._cache:
        w = _weights(g, weighted)
        g._cache[key] = np.bincount(g.src, w, minlength=g.n) + np.bincount(g.dst, w, minlength=g.n)
    return g._cache[key]


def eigenvector(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Eigenvector centrality (Bonacich 1972, "Factoring and weighting approaches to status
    scores and clique identification", J. Math. Sociology 2(1)): the leading eigenvector of the
    (weighted) adjacency matrix, scaled to unit Euclidean norm as networkx does.

    On a disconnected graph the vector is the limit of networkx's power iteration from the
    all-ones vector: the components with the largest leading eigenvalue carry it, each in
    proportion to the sum of its own eigenvector; the others are 0.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Use the tie weights.

    Returns
    -------
    dict of str to float
        Actor id to its eigenvector centrality.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import eigenvector
    >>> round(eigenvector(g)["USA"], 3)
    0.201
    """
    return _as_dict(g, _eigenvector(g, weighted))


def _eigenvector(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("eig", weighted)
    if key in g._cache:
        return g._cache[key]
    out = np.zeros(g.n)
    if g.m == 0:
        g._cache[key] = out
        return out
    memb = _membership(g)
    w = _weights(g, weighted)
    # The leading eigenvalue of a component is at most its largest strength (Perron-Frobenius):
    # components are tried from the largest bound down until no bound can beat the best.
    st = _strength(g, weighted)
    ncomp = memb.max() + 1
    size = np.bincount(memb, minlength=ncomp)
    upper = np.zeros(ncomp)
    np.maximum.at(upper, memb, st)
    candidates = [c for c in np.argsort(-upper) if size[c] > 1]
    best = -1.0
    found: list[tuple[int, float, np.ndarray, np.ndarray]] = []
    ig_graph = _ig(g)
    connected = ncomp == 1
    for c in candidates:
        if upper[c] < best * (1 - 1e-9):
            break
        if connected:
            verts = np.arange(g.n)
            sub = ig_graph
            sw = w.tolist() if weighted else None
        else:
            verts = np.flatnonzero(memb == c)
            if weighted and "w" not in ig_graph.es.attributes():
                ig_graph.es["w"] = w.tolist()
            sub = ig_graph.induced_subgraph(verts.tolist())
            sw = sub.es["w"] if weighted else None
        vec, lam = sub.eigenvector_centrality(scale=True, weights=sw, return_eigenvalue=True)
        vec = np.abs(np.asarray(vec, dtype=float))
        found.append((c, float(lam), verts, vec / np.linalg.norm(vec)))
        best = max(best, float(lam))
    for _c, lam, verts, vec in found:
        if lam >= best * (1 - 1e-9):
            out[verts] = vec * vec.sum()
    norm = np.linalg.norm(out)
    if norm > 0:
        out = out / norm
    g._cache[key] = out
    return out


def betweenness(
    g: AllianceGraph, weighted: bool = True, normalized: bool = True
) -> dict[str, float]:
    """Betweenness centrality (Freeman 1977, "A set of measures of centrality based on
    betweenness", Sociometry 40(1)), computed with Brandes' algorithm (2001): the share of
    shortest paths between other pairs that pass through an actor. Normalised by
    (n-1)(n-2)/2 pairs, as networkx does.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Shortest paths by length 1/weight (else by hops).
    normalized : bool
        Divide by the number of pairs of other actors.

    Returns
    -------
    dict of str to float
        Actor id to its betweenness.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import betweenness
    >>> round(betweenness(g)["USA"], 3)
    0.345
    """
    return _as_dict(g, _betweenness(g, weighted, normalized))


def _betweenness(g: AllianceGraph, weighted: bool, normalized: bool = True) -> np.ndarray:
    """Brandes' (2001, "A faster algorithm for betweenness centrality", J. Math. Sociology
    25(2)) accumulation in igraph, from one representative per twin class only
    (:func:`_twins`; Sariyüce et al. 2013): a twin's dependencies equal its representative's
    (swapping them maps the graph onto itself, and neither lies on a shortest path from the
    other), so each representative's count is multiplied by the size of its class."""
    key = ("btw", weighted, normalized)
    if key not in g._cache:
        if g.m == 0:
            b = np.zeros(g.n)
        else:
            rep = _twins(g, weighted)
            size = np.bincount(rep, minlength=g.n)
            reps = np.flatnonzero(size)
            lengths = _lengths(g, weighted)
            if len(reps) == g.n:
                b = np.asarray(_ig(g).betweenness(weights=lengths), dtype=float)
            else:
                b = np.zeros(g.n)
                for k in np.unique(size[reps]).tolist():
                    sources = reps[size[reps] == k].tolist()
                    b += k * np.asarray(_ig(g).betweenness(weights=lengths, sources=sources))
            if normalized:
                b = b * 2.0 / ((g.n - 1) * (g.n - 2)) if g.n > 2 else b * 0.0
        g._cache[key] = b
    return g._cache[key]


def closeness(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Closeness centrality (Freeman 1979): (r)/(sum of distances to the r reachable actors),
    scaled by r/(n-1) for disconnected graphs (Wasserman & Faust 1994, networkx's default).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Distances by length 1/weight (else by hops).

    Returns
    -------
    dict of str to float
        Actor id to its closeness.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import closeness
    >>> round(closeness(g)["USA"], 3)
    3.844
    """
    return _as_dict(g, _closeness(g, weighted))


def _closeness(g: AllianceGraph, weighted: bool) -> np.ndarray:
    d = _distances(g, weighted)
    if g.n <= 1:
        return np.zeros(g.n)
    fin = np.isfinite(d)
    r = fin.sum(axis=1) - 1
    tot = np.where(fin, d, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(tot > 0, r / tot * (r / (g.n - 1)), 0.0)
    return c


def local_clustering(g: AllianceGraph, weighted: bool = False) -> dict[str, float]:
    """Local clustering coefficient (Watts & Strogatz 1998, "Collective dynamics of
    'small-world' networks", Nature 393): the share of an actor's pairs of partners that are
    tied to each other; weighted, the geometric mean of the normalised weights of each
    triangle (Onnela et al. 2005, Phys. Rev. E 71, networkx's weighted clustering).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        The weighted coefficient (else the share of closed triangles).

    Returns
    -------
    dict of str to float
        Actor id to its clustering coefficient.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import local_clustering
    >>> local_clustering(g)["JPN"]
    0.0
    """
    return _as_dict(g, _local_clustering(g, weighted))


def _local_clustering(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("clust", weighted)
    if key not in g._cache:
        if g.m == 0:
            c = np.zeros(g.n)
        elif not weighted:
            c = np.nan_to_num(
                np.asarray(_ig(g).transitivity_local_undirected(mode="zero"), dtype=float)
            )
        else:
            # 2 × the sum over triangles at u of the geometric mean of normalised weights:
            # diag(W^(1/3) W^(1/3) W^(1/3)).
            if g.n <= _DENSE_MAX:
                w = np.cbrt(g.weight / g.weight.max())
                w3 = np.zeros((g.n, g.n))
                w3[g.src, g.dst] = w
                w3[g.dst, g.src] = w
                tri = _triangle_sums(w3)
            else:
                from scipy.sparse import csr_matrix

                w = np.cbrt(g.weight / g.weight.max())
                w3 = csr_matrix(
                    (
                        np.concatenate([w, w]),
                        (np.concatenate([g.src, g.dst]), np.concatenate([g.dst, g.src])),
                    ),
                    shape=(g.n, g.n),
                )
                tri = np.asarray((w3 @ w3).multiply(w3).sum(axis=1)).ravel()
            k = _degree(g).astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                c = np.where(k > 1, tri / (k * (k - 1)), 0.0)
        g._cache[key] = c
    return g._cache[key]


# OpenBLAS runs a matrix product on several threads above 65,536 × 4 multiply-adds; on a busy
# machine those threads spin and stall. Products are cut into row blocks below that size.
_GEMM_SINGLE_THREAD = 262_144


def _triangle_sums(w: np.ndarray) -> np.ndarray:
    """diag(W W W) of a dense symmetric matrix: row by row (W W)_i · W_i, in row blocks small
    enough for a single-threaded product."""
    n = w.shape[0]
    rows = max(1, _GEMM_SINGLE_THREAD // (n * n))
    if rows >= n:
        return np.einsum("ij,ij->i", w @ w, w)
    out = np.empty(n)
    for i in range(0, n, rows):
        block = w[i : i + rows]
        out[i : i + rows] = np.einsum("ij,ij->i", block @ w, block)
    return out


def actor_measures(g: AllianceGraph, weighted: bool = True) -> pl.DataFrame:
    """Every per-actor measure as a table: actor, name, theatre, degree, strength, eigenvector,
    betweenness, closeness, clustering (sorted by strength).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Use the tie weights.

    Returns
    -------
    polars.DataFrame
        actor, name, theatre, degree, strength, eigenvector, betweenness, closeness, clustering.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import actor_measures
    >>> am = actor_measures(g)
    >>> am.sort("betweenness", descending=True)["actor"][0]
    'USA'
    """
    g.require_edges()
    st = _strength(g, weighted)
    order = np.lexsort((np.arange(g.n), -st))
    names = g.names or g.nodes
    cols = {
        "degree": _degree(g).astype(np.int64),
        "strength": st,
        "eigenvector": _eigenvector(g, weighted),
        "betweenness": _betweenness(g, weighted),
        "closeness": _closeness(g, weighted),
        "clustering": _local_clustering(g, weighted),
    }
    rows = order.tolist()
    return pl.DataFrame(
        [
            pl.Series("actor", [g.nodes[i] for i in rows], dtype=pl.String),
            pl.Series("name", [names[i] for i in rows], dtype=pl.String),
            pl.Series("theatre", [g.theatre[i] for i in rows], dtype=pl.String),
            *(pl.Series(k, v[order]) for k, v in cols.items()),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Graph measures


def density(g: AllianceGraph) -> float:
    """Density: ties present over possible pairs, 2m / (n(n-1)) (Wasserman & Faust 1994).

    Parameters
    ----------
    g : AllianceGraph
        The graph.

    Returns
    -------
    float
        Ties over possible ties.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import density
    >>> round(density(g), 3)
    0.378
    """
    return 2.0 * g.m / (g.n * (g.n - 1)) if g.n > 1 else 0.0


def average_clustering(g: AllianceGraph, weighted: bool = False) -> float:
    """Average local clustering over all actors, zeros included (Watts & Strogatz 1998).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Average the weighted coefficients.

    Returns
    -------
    float

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import average_clustering
    >>> round(average_clustering(g), 3)
    0.714
    """
    return float(_local_clustering(g, weighted).mean()) if g.n else 0.0


def transitivity(g: AllianceGraph) -> float:
    """Transitivity: 3 × triangles / connected triples (Wasserman & Faust 1994; networkx's
    ``transitivity``).

    Parameters
    ----------
    g : AllianceGraph
        The graph.

    Returns
    -------
    float

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import transitivity
    >>> round(transitivity(g), 3)
    0.865
    """
    t = _ig(g).transitivity_undirected() if g.m else 0.0
    return 0.0 if math.isnan(t) else float(t)


def components(g: AllianceGraph) -> dict[str, int]:
    """Connected components: how many, and the size of the largest.

    Parameters
    ----------
    g : AllianceGraph
        The graph.

    Returns
    -------
    dict
        ``components`` (their number) and ``largest_component`` (its states).

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import components
    >>> components(g)
    {'components': 2, 'largest_component': 32}
    """
    if g.n == 0:
        return {"components": 0, "largest_component": 0}
    sizes = np.bincount(_membership(g))
    return {"components": int(len(sizes)), "largest_component": int(sizes.max())}


def degree_centralization(g: AllianceGraph) -> float:
    """Freeman's (1979) degree centralisation: sum of (max degree - degree) over its maximum,
    (n-1)(n-2); 1 for a star, 0 when all degrees are equal.

    Parameters
    ----------
    g : AllianceGraph
        The graph.

    Returns
    -------
    float
        0 (every state as connected as the best connected) to 1 (a star).

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import degree_centralization
    >>> round(degree_centralization(g), 3)
    0.348
    """
    if g.n < 3:
        return 0.0
    d = _degree(g)
    return float((d.max() - d).sum() / ((g.n - 1) * (g.n - 2)))


def _efficiency_from(d: np.ndarray) -> float:
    n = d.shape[0]
    if n < 2:
        return 0.0
    with np.errstate(divide="ignore"):
        inv = 1.0 / d  # 0 where unreachable
    np.fill_diagonal(inv, 0.0)
    return float(inv.sum() / (n * (n - 1)))


def global_efficiency(g: AllianceGraph, weighted: bool = True) -> float:
    """Global efficiency (Latora & Marchiori 2001, "Efficient behavior of small-world
    networks", Phys. Rev. Lett. 87(19)): the mean of 1/d(i,j) over ordered pairs, 0 for
    unreachable pairs. Weighted, d sums the lengths 1/strength.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Distances by length 1/weight (else by hops).

    Returns
    -------
    float

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import global_efficiency
    >>> round(global_efficiency(g), 3)
    3.315
    """
    return _efficiency_from(_distances(g, weighted))


def _without_index(g: AllianceGraph, h: int) -> AllianceGraph:
    key = ("without", h)
    if key not in g._cache:
        ok = (g.src != h) & (g.dst != h)
        src, dst = g.src[ok], g.dst[ok]
        g._cache[key] = AllianceGraph(
            nodes=g.nodes[:h] + g.nodes[h + 1 :],
            theatre=g.theatre[:h] + g.theatre[h + 1 :],
            src=src - (src > h),
            dst=dst - (dst > h),
            weight=g.weight[ok],
            source=g.source,
        )
    return g._cache[key]


def hub_dependence(g: AllianceGraph, hub: str = DEFAULT_HUB, weighted: bool = True) -> dict:
    """How much of the network runs through the hub.

    * ``pairs_through_hub``: share of pairs of other states connected in the graph whose
      shortest paths *all* pass through the hub (the hub's pair dependency is complete: Freeman
      1977); equivalently, pairs whose distance grows or becomes infinite without the hub;
    * ``pairs_cut_by_hub``: share of those pairs left with no path at all;
    * ``isolated``: the hub's partners left with no tie without it;
    * ``efficiency``, ``efficiency_without_hub`` and ``efficiency_drop`` (relative), after
      Latora & Marchiori (2001): the loss of global efficiency when the hub is removed.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    hub : str
        The hub's actor id.
    weighted : bool
        Shortest paths by length 1/weight (else by hops).

    Returns
    -------
    dict
        pairs, pairs_through_hub, pairs_cut_by_hub, isolated, efficiency,
        efficiency_without_hub, efficiency_drop.

    Raises
    ------
    ParameterError
        When the hub is not a node of the graph.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import hub_dependence
    >>> hd = hub_dependence(g, "USA")
    >>> hd["isolated"], round(hd["pairs_through_hub"], 3)
    (['JPN'], 0.406)
    """
    h = g.require(hub, "hub")
    return _hub_dependence(g, h, weighted)


def _inherit_twins(g: AllianceGraph, g2: AllianceGraph, h: int, weighted: bool) -> None:
    """Give ``g2`` (``g`` without ``h``) the twin classes and tie lengths of ``g``: twins stay
    twins when a third state leaves, so g2 need not be hashed again (its classes may be a
    little coarser still, which would save little)."""
    if ("twins", weighted) in g2._cache or not (_TWINS_MIN <= g2.n and g.n <= _DENSE_MAX):
        return
    length = _length_matrix(g, weighted)
    if length is None:
        return
    rep = _twins(g, weighted)
    if np.count_nonzero(rep == h) > 1:  # h represents others
        return
    rep2 = np.delete(rep, h)
    g2._cache[("twins", weighted)] = rep2 - (rep2 > h)
    g2._cache[("length", weighted)] = np.delete(np.delete(length, h, 0), h, 1)


def _distances_via(
    g: AllianceGraph, h: int, d2: np.ndarray, weighted: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Shortest-path lengths among the states other than ``h`` and from ``h`` to them, from
    those of ``g`` without ``h`` (``d2``): a shortest path either avoids h or runs s … h … t,
    so d = min(d2, d(s,h) + d(h,t)), with d(s,h) through the best neighbour v of h:
    l(h,v) + d2(v,s). One all-pairs search instead of two. Returns (d among the others, d
    from h) in the numbering of ``d2``."""
    touch = (g.src == h) | (g.dst == h)
    nb = np.where(g.src[touch] == h, g.dst[touch], g.src[touch])
    if len(nb):
        length = (1.0 / g.weight[touch]) if weighted else np.ones(len(nb))
        dh = (length[:, None] + d2[nb - (nb > h)]).min(axis=0)
    else:
        dh = np.full(g.n - 1, np.inf)
    return np.minimum(d2, dh[:, None] + dh[None, :]), dh


def _with_row(d1: np.ndarray, dh: np.ndarray, h: int) -> np.ndarray:
    """The full distance matrix from the block without ``h`` and the distances from ``h``."""
    n = d1.shape[0] + 1
    d = np.empty((n, n))
    d[:h, :h] = d1[:h, :h]
    d[:h, h + 1 :] = d1[:h, h:]
    d[h + 1 :, :h] = d1[h:, :h]
    d[h + 1 :, h + 1 :] = d1[h:, h:]
    d[h, :h] = d[:h, h] = dh[:h]
    d[h, h + 1 :] = d[h + 1 :, h] = dh[h:]
    d[h, h] = 0.0
    return d


def _hub_dependence(g: AllianceGraph, h: int, weighted: bool) -> dict:
    key = ("hub", h, weighted)
    if key in g._cache:
        out = g._cache[key]
        return {**out, "isolated": list(out["isolated"])}
    g2 = _without_index(g, h)
    _inherit_twins(g, g2, h, weighted)
    d2 = _distances(g2, weighted)
    d1, dh = _distances_via(g, h, d2, weighted)
    if ("dist", weighted) not in g._cache:
        g._cache[("dist", weighted)] = _with_row(d1, dh, h)
    d = g._cache[("dist", weighted)]
    # ordered pairs of other states, counted twice (d1 ≤ d2; the diagonal is 0 in both)
    k = g.n - 1
    unreachable = int(np.count_nonzero(d1 == np.inf))
    npairs = (k * k - k - unreachable) // 2
    through = int(np.count_nonzero(d2 > d1 * (1 + _EPS) + _EPS)) // 2
    cut = (int(np.count_nonzero(d2 == np.inf)) - unreachable) // 2
    partners = np.concatenate([g.dst[g.src == h], g.src[g.dst == h]])
    alone = partners[_degree(g2)[partners - (partners > h)] == 0]
    isolated = sorted(g.nodes[i] for i in alone.tolist())
    e1 = _efficiency_from(d)
    e2 = _efficiency_from(d2)
    out = {
        "pairs": npairs,
        "pairs_through_hub": through / npairs if npairs else math.nan,
        "pairs_cut_by_hub": cut / npairs if npairs else math.nan,
        "isolated": isolated,
        "efficiency": e1,
        "efficiency_without_hub": e2,
        "efficiency_drop": (e1 - e2) / e1 if e1 > 0 else math.nan,
    }
    g._cache[key] = out
    return {**out, "isolated": list(isolated)}


def hub_and_spoke_index(
    g: AllianceGraph, theatre: str, hub: str = DEFAULT_HUB, weighted: bool = True
) -> float:
    """Hub-and-spoke index of a theatre: of the tie strength among the hub and its partners in
    that theatre, the share that runs spoke-to-spoke, S / (S + H), with H the strength of the
    hub's ties to them and S that of the ties among them. 0 is a pure hub-and-spoke system (the
    "San Francisco system" of bilateral alliances, Cha 2010 "Powerplay", International Security
    34(3)), values towards 1 a lattice. NaN when the hub has no partner there.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    theatre : str
        ``euro_atlantic`` or ``indo_pacific``.
    hub : str
        The hub's actor id.
    weighted : bool
        Use the tie weights.

    Returns
    -------
    float
        1 for a pure star around the hub, lower as spoke-to-spoke ties grow.

    Raises
    ------
    ParameterError
        For an unknown theatre or a hub not in the graph.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import hub_and_spoke_index
    >>> round(hub_and_spoke_index(g, "indo_pacific"), 3)
    0.128
    """
    choice(theatre, THEATRES, "theatre", "theatre")
    h = g.require(hub, "hub")
    return _hub_and_spoke(g, h, theatre, weighted)


def _hub_and_spoke(g: AllianceGraph, h: int, theatre: str, weighted: bool) -> float:
    w = _weights(g, weighted)
    th = _in_theatre(g, theatre)
    spoke = np.zeros(g.n, dtype=bool)
    hub_edges = (g.src == h) | (g.dst == h)
    other = np.where(g.src == h, g.dst, g.src)
    spoke[other[hub_edges]] = True
    spoke &= th
    spoke[h] = False
    hsum = w[hub_edges & spoke[other]].sum()
    ssum = w[spoke[g.src] & spoke[g.dst]].sum()
    return float(ssum / (ssum + hsum)) if hsum > 0 else math.nan


def cross_theatre_linkage(
    g: AllianceGraph,
    weighted: bool = True,
    adversaries: Sequence[str] = ADVERSARIES,
    between: tuple[str, str] = ("euro_atlantic", "indo_pacific"),
) -> dict[str, float]:
    """Cross-theatre linkage: the strength of ties between euro_atlantic and indo_pacific
    states (the ``global`` United States counts for neither), raw and normalised by the
    possible pairs n_EA × n_IP; separately for the adversary alignment (``adversaries``, by
    default Russia, China, North Korea) and for everyone else. A bipartite density between two
    groups (Wasserman & Faust 1994, ch. 4).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    weighted : bool
        Sum the tie weights (else count the ties).
    adversaries : sequence of str
        The states whose own cross-theatre ties are measured apart.
    between : tuple of two str
        The two theatres.

    Returns
    -------
    dict
        cross_theatre, cross_theatre_ties, cross_theatre_norm and the adversary_ versions.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import cross_theatre_linkage
    >>> cross_theatre_linkage(g)["cross_theatre_ties"]
    10
    """
    adv = np.zeros(g.n, dtype=bool)
    adv[[g.index[a] for a in set(adversaries) if a in g.index]] = True
    ta = _in_theatre(g, between[0])
    tb = _in_theatre(g, between[1])
    w = _weights(g, weighted)
    out: dict[str, float] = {}
    for prefix, side in (("", ~adv), ("adversary_", adv)):
        sa, sb = ta & side, tb & side
        cross = (sa[g.src] & sb[g.dst]) | (sb[g.src] & sa[g.dst])
        possible = int(sa.sum()) * int(sb.sum())
        raw = float(w[cross].sum())
        out[f"{prefix}cross_theatre"] = raw
        out[f"{prefix}cross_theatre_ties"] = int(cross.sum())
        out[f"{prefix}cross_theatre_norm"] = raw / possible if possible else math.nan
    return out


def bloc_cohesion(
    g: AllianceGraph, members: Iterable[str], weighted: bool = True
) -> dict[str, float]:
    """Cohesion of a set of actors (ids, organisation ids for their members on the graph's
    date, or a bloc name such as ``IP4``): the density of ties inside it and their mean
    strength per possible pair (Wasserman & Faust 1994, subgroup density).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    members : iterable of str
        The bloc's actor ids (or an organisation or bloc name).
    weighted : bool
        Use the tie weights.

    Returns
    -------
    dict
        members, density and strength of the ties among them.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import bloc_cohesion
    >>> bloc_cohesion(g, ["JPN", "KOR", "AUS", "NZL"])["members"]
    4
    """
    ids = (
        g.resolve(members, "members")
        if not isinstance(members, str)
        else g.resolve([members], "members")
    )
    return _bloc(g, ids, weighted)


def _bloc(g: AllianceGraph, ids: Sequence[str], weighted: bool) -> dict[str, float]:
    inside = np.zeros(g.n, dtype=bool)
    for a in ids:
        if a in g.index:
            inside[g.index[a]] = True
    k = int(inside.sum())
    pairs = k * (k - 1) / 2
    e = inside[g.src] & inside[g.dst]
    w = _weights(g, weighted)
    return {
        "members": k,
        "density": float(e.sum() / pairs) if pairs else math.nan,
        "strength": float(w[e].sum() / pairs) if pairs else math.nan,
    }


def bloc_linkage(
    g: AllianceGraph, first: Iterable[str], second: Iterable[str], weighted: bool = True
) -> dict[str, float]:
    """Linkage between two sets of actors (e.g. ``NATO`` and ``IP4``): the strength of the ties
    that join a member of one to a member of the other, raw and per possible pair (a bipartite
    density, Wasserman & Faust 1994). An actor in both sets counts only on the first side.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    first, second : iterable of str
        The two blocs' actor ids.
    weighted : bool
        Sum the tie weights (else count the ties).

    Returns
    -------
    dict
        linkage, ties and linkage_norm between the blocs.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import bloc_linkage
    >>> bloc_linkage(g, ["GBR", "FRA", "DEU"], ["JPN", "KOR", "AUS", "NZL"])["ties"]
    3
    """
    a_ids = g.resolve(list(first), "first")
    b_ids = [x for x in g.resolve(list(second), "second") if x not in set(a_ids)]
    return _linkage(g, a_ids, b_ids, weighted)


def _linkage(g: AllianceGraph, a_ids: Sequence[str], b_ids: Sequence[str], weighted: bool) -> dict:
    sa = np.zeros(g.n, dtype=bool)
    sb = np.zeros(g.n, dtype=bool)
    sa[[g.index[x] for x in a_ids if x in g.index]] = True
    sb[[g.index[x] for x in b_ids if x in g.index]] = True
    sb &= ~sa
    cross = (sa[g.src] & sb[g.dst]) | (sb[g.src] & sa[g.dst])
    possible = int(sa.sum()) * int(sb.sum())
    raw = float(_weights(g, weighted)[cross].sum())
    return {
        "linkage": raw,
        "ties": int(cross.sum()),
        "linkage_norm": raw / possible if possible else math.nan,
    }


GRAPH_MEASURES = (
    "states",
    "ties",
    "density",
    "clustering",
    "transitivity",
    "components",
    "largest_component",
    "degree_centralization",
    "efficiency",
    "hub_pairs_through",
    "hub_pairs_cut",
    "hub_isolated",
    "efficiency_without_hub",
    "efficiency_drop",
    "hub_spoke_indo_pacific",
    "hub_spoke_euro_atlantic",
    "cross_theatre",
    "cross_theatre_norm",
    "adversary_cross_theatre",
    "adversary_cross_theatre_norm",
    "linkage_NATO_IP4",
    "linkage_NATO_IP4_norm",
)
GRAPH_MEASURE_DOCS: dict[str, str] = {
    "states": "number of states in the graph",
    "ties": "number of tied pairs of states",
    "density": "ties over possible pairs (Wasserman & Faust 1994)",
    "clustering": "average local clustering (Watts & Strogatz 1998; weighted: Onnela et al. 2005)",
    "transitivity": "3 × triangles / connected triples (unweighted)",
    "components": "number of connected components",
    "largest_component": "states in the largest component",
    "degree_centralization": "Freeman's (1979) degree centralisation, 1 for a star",
    "efficiency": "global efficiency (Latora & Marchiori 2001)",
    "hub_pairs_through": "share of connected pairs of other states whose shortest paths all run through the hub",
    "hub_pairs_cut": "share of connected pairs of other states with no path without the hub",
    "hub_isolated": "partners of the hub left with no tie without it",
    "efficiency_without_hub": "global efficiency of the graph without the hub",
    "efficiency_drop": "relative loss of global efficiency when the hub is removed",
    "hub_spoke_indo_pacific": "hub-and-spoke index of the Indo-Pacific: spoke-to-spoke share of the strength among the hub and its partners there (0 pure hub-and-spoke, towards 1 lattice)",
    "hub_spoke_euro_atlantic": "hub-and-spoke index of the Euro-Atlantic",
    "cross_theatre": "strength of ties between Euro-Atlantic and Indo-Pacific states outside the adversary alignment",
    "cross_theatre_norm": "cross_theatre per possible pair",
    "adversary_cross_theatre": "the same among the adversaries (Russia, China, DPRK)",
    "adversary_cross_theatre_norm": "adversary_cross_theatre per possible pair",
    "linkage_NATO_IP4": "strength of ties between NATO members (not the hub) and the IP4",
    "linkage_NATO_IP4_norm": "linkage_NATO_IP4 per possible pair",
}
DEFAULT_BLOCS = ("IP4", "NATO")


def graph_measures(
    g: AllianceGraph,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    blocs: Sequence[str] = DEFAULT_BLOCS,
    adversaries: Sequence[str] = ADVERSARIES,
    *,
    allow_empty: bool = False,
) -> dict[str, float]:
    """Every graph-level measure as a flat dict (see :data:`GRAPH_MEASURES`; ``linkage_NATO_IP4``
    joins NATO's members on the date (not the hub, nor an IP4 state that joined) with the IP4;
    plus
    ``cohesion_<bloc>_density`` and ``cohesion_<bloc>_strength`` per bloc). Hub measures are
    NaN when the hub is not in the graph (no ties that year).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    hub : str
        The hub's actor id.
    weighted : bool
        Use the tie weights.
    blocs : sequence of str
        Blocs whose cohesion is measured.
    adversaries : sequence of str
        States whose cross-theatre ties are measured apart.
    allow_empty : bool
        Return NaN measures for a graph without ties instead of raising.

    Returns
    -------
    dict of str to float

    Raises
    ------
    ParameterError
        For a graph without ties (unless ``allow_empty``).

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import graph_measures
    >>> m = graph_measures(g)
    >>> m["states"], m["ties"]
    (35, 225)
    """
    if not allow_empty:
        g.require_edges()
    nan = math.nan
    out: dict[str, float] = {"states": g.n, "ties": g.m}
    if g.n == 0:
        out.update({k: nan for k in GRAPH_MEASURES if k not in out})
        for b in blocs:
            out[f"cohesion_{b}_density"] = nan
            out[f"cohesion_{b}_strength"] = nan
        return out
    out["density"] = density(g)
    out["clustering"] = average_clustering(g, weighted)
    out["transitivity"] = transitivity(g)
    out.update(components(g))
    out["degree_centralization"] = degree_centralization(g)
    if hub in g.index:
        hd = _hub_dependence(g, g.index[hub], weighted)
        out["efficiency"] = hd["efficiency"]
        out["hub_pairs_through"] = hd["pairs_through_hub"]
        out["hub_pairs_cut"] = hd["pairs_cut_by_hub"]
        out["hub_isolated"] = len(hd["isolated"])
        out["efficiency_without_hub"] = hd["efficiency_without_hub"]
        out["efficiency_drop"] = hd["efficiency_drop"]
        h = g.index[hub]
        out["hub_spoke_indo_pacific"] = _hub_and_spoke(g, h, "indo_pacific", weighted)
        out["hub_spoke_euro_atlantic"] = _hub_and_spoke(g, h, "euro_atlantic", weighted)
    else:
        out["efficiency"] = global_efficiency(g, weighted)
        for k in (
            "hub_pairs_through",
            "hub_pairs_cut",
            "hub_isolated",
            "efficiency_without_hub",
            "efficiency_drop",
            "hub_spoke_indo_pacific",
            "hub_spoke_euro_atlantic",
        ):
            out[k] = nan
    link = cross_theatre_linkage(g, weighted, adversaries)
    for k in (
        "cross_theatre",
        "cross_theatre_norm",
        "adversary_cross_theatre",
        "adversary_cross_theatre_norm",
    ):
        out[k] = link[k]
    ip4 = _bloc_ids(g, "IP4")
    nato = [a for a in _bloc_ids(g, "NATO") if a != hub and a not in ip4]
    nato_ip4 = _linkage(g, nato, ip4, weighted)
    out["linkage_NATO_IP4"] = nato_ip4["linkage"]
    out["linkage_NATO_IP4_norm"] = nato_ip4["linkage_norm"]
    for b in blocs:
        ids = _bloc_ids(g, b)
        c = _bloc(g, ids, weighted)
        out[f"cohesion_{b}_density"] = c["density"]
        out[f"cohesion_{b}_strength"] = c["strength"]
    return out


def _bloc_ids(g: AllianceGraph, bloc: str) -> list[str]:
    if bloc in g.memberships:
        return list(g.memberships[bloc])
    if bloc in BLOCS:
        return [a for a in BLOCS[bloc] if a in g.index]
    return []


def graph_table(values: dict[str, float]) -> pl.DataFrame:
    """A graph-measures dict as a two-column table (measure, value).

    Parameters
    ----------
    values : dict of str to float
        What :func:`graph_measures` returns.

    Returns
    -------
    polars.DataFrame

    Examples
    --------
    >>> from alliancekit.network.measures import graph_table
    >>> graph_table({"density": 0.5}).rows()
    [('density', 0.5)]
    """
    return pl.DataFrame(
        {"measure": list(values), "value": [float(v) for v in values.values()]},
        schema={"measure": pl.String, "value": pl.Float64},
    )
