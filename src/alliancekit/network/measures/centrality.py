"""Per-actor measures (centralities and local clustering) and :func:`actor_measures`, the
table of them all; networkx's conventions (normalisation, disconnected graphs)."""

from __future__ import annotations

import numpy as np
import polars as pl

from alliancekit.network.graphs import AllianceGraph
from alliancekit.network.measures.paths import (
    DENSE_MAX,
    as_actor_dict,
    component_of,
    distance_matrix,
    edge_lengths,
    edge_weights,
    igraph_of,
    twin_classes,
)


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
    return as_actor_dict(g, degree_array(g))


def degree_array(g: AllianceGraph) -> np.ndarray:
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
    return as_actor_dict(g, strength_array(g, weighted))


def strength_array(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("strength", weighted)
    if key not in g._cache:
        w = edge_weights(g, weighted)
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
    return as_actor_dict(g, _eigenvector(g, weighted))


def _eigenvector(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("eig", weighted)
    if key in g._cache:
        return g._cache[key]
    out = np.zeros(g.n)
    if g.m == 0:
        g._cache[key] = out
        return out
    memb = component_of(g)
    w = edge_weights(g, weighted)
    # The leading eigenvalue of a component is at most its largest strength (Perron-Frobenius):
    # components are tried from the largest bound down until no bound can beat the best.
    st = strength_array(g, weighted)
    ncomp = memb.max() + 1
    size = np.bincount(memb, minlength=ncomp)
    upper = np.zeros(ncomp)
    np.maximum.at(upper, memb, st)
    candidates = [c for c in np.argsort(-upper) if size[c] > 1]
    best = -1.0
    found: list[tuple[int, float, np.ndarray, np.ndarray]] = []
    ig_graph = igraph_of(g)
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
    return as_actor_dict(g, _betweenness(g, weighted, normalized))


def _betweenness(g: AllianceGraph, weighted: bool, normalized: bool = True) -> np.ndarray:
    """Brandes' (2001, "A faster algorithm for betweenness centrality", J. Math. Sociology
    25(2)) accumulation in igraph, from one representative per twin class only
    (:func:`twin_classes`; Sariyüce et al. 2013): a twin's dependencies equal its representative's
    (swapping them maps the graph onto itself, and neither lies on a shortest path from the
    other), so each representative's count is multiplied by the size of its class."""
    key = ("btw", weighted, normalized)
    if key not in g._cache:
        if g.m == 0:
            b = np.zeros(g.n)
        else:
            rep = twin_classes(g, weighted)
            size = np.bincount(rep, minlength=g.n)
            reps = np.flatnonzero(size)
            lengths = edge_lengths(g, weighted)
            if len(reps) == g.n:
                b = np.asarray(igraph_of(g).betweenness(weights=lengths), dtype=float)
            else:
                b = np.zeros(g.n)
                for k in np.unique(size[reps]).tolist():
                    sources = reps[size[reps] == k].tolist()
                    b += k * np.asarray(igraph_of(g).betweenness(weights=lengths, sources=sources))
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
    return as_actor_dict(g, _closeness(g, weighted))


def _closeness(g: AllianceGraph, weighted: bool) -> np.ndarray:
    d = distance_matrix(g, weighted)
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
    return as_actor_dict(g, clustering_array(g, weighted))


def clustering_array(g: AllianceGraph, weighted: bool) -> np.ndarray:
    key = ("clust", weighted)
    if key not in g._cache:
        if g.m == 0:
            c = np.zeros(g.n)
        elif not weighted:
            c = np.nan_to_num(
                np.asarray(igraph_of(g).transitivity_local_undirected(mode="zero"), dtype=float)
            )
        else:
            # 2 × the sum over triangles at u of the geometric mean of normalised weights:
            # diag(W^(1/3) W^(1/3) W^(1/3)).
            if g.n <= DENSE_MAX:
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
            k = degree_array(g).astype(float)
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
    st = strength_array(g, weighted)
    order = np.lexsort((np.arange(g.n), -st))
    names = g.names or g.nodes
    cols = {
        "degree": degree_array(g).astype(np.int64),
        "strength": st,
        "eigenvector": _eigenvector(g, weighted),
        "betweenness": _betweenness(g, weighted),
        "closeness": _closeness(g, weighted),
        "clustering": clustering_array(g, weighted),
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
