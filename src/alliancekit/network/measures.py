"""Network measures of an :class:`~alliancekit.network.graphs.AllianceGraph`, one algorithm per
function, each citing its source.

Every measure takes ``weighted``: with it, tie strength is the weight (eigenvector, strength,
clustering) and ``1/strength`` the length of a tie (shortest paths, betweenness, closeness,
efficiency), so that strong ties are short; without it every tie counts 1. Per-actor measures
follow networkx's conventions (normalisation, disconnected graphs) so that results can be
checked against it; the heavy work runs in igraph's C code and numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from alliancekit.network.graphs import ADVERSARIES, BLOCS, DEFAULT_HUB, AllianceGraph
from alliancekit.schema import THEATRES, ParameterError

_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# Shared computations, cached on the graph


def _ig(g: AllianceGraph):
    key = ("igraph",)
    if key not in g._cache:
        import igraph as ig

        g._cache[key] = ig.Graph(n=g.n, edges=list(zip(g.src.tolist(), g.dst.tolist(), strict=True)))
    return g._cache[key]


def _lengths(g: AllianceGraph, weighted: bool):
    return (1.0 / g.weight).tolist() if weighted and g.m else None


def _weights(g: AllianceGraph, weighted: bool) -> np.ndarray:
    return g.weight if weighted else np.ones(g.m)


def _distances(g: AllianceGraph, weighted: bool) -> np.ndarray:
    """All-pairs shortest-path lengths (inf where unreachable): breadth-first search (igraph)
    unweighted; weighted, Floyd–Warshall (scipy) on graphs of up to 400 states, where it beats
    repeated Dijkstra, and Dijkstra (igraph) above."""
    key = ("dist", weighted)
    if key not in g._cache:
        if g.n == 0:
            d = np.zeros((0, 0))
        elif weighted and g.m and g.n <= 400:
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import floyd_warshall

            length = 1.0 / g.weight
            m = csr_matrix((length, (g.src, g.dst)), shape=(g.n, g.n))
            d = floyd_warshall(m, directed=False)
        else:
            d = np.array(_ig(g).distances(weights=_lengths(g, weighted)), dtype=float)
        g._cache[key] = d
    return g._cache[key]


def _membership(g: AllianceGraph) -> np.ndarray:
    key = ("components",)
    if key not in g._cache:
        g._cache[key] = np.asarray(_ig(g).connected_components().membership, dtype=np.int64)
    return g._cache[key]


def _as_dict(g: AllianceGraph, values) -> dict[str, float]:
    return {a: float(v) for a, v in zip(g.nodes, values, strict=True)}


# ---------------------------------------------------------------------------------------------
# Per-actor measures


def degree(g: AllianceGraph) -> dict[str, float]:
    """Degree: the number of states an actor is tied to (Freeman 1979, "Centrality in social
    networks: conceptual clarification", Social Networks 1(3), degree centrality, unnormalised)."""
    return _as_dict(g, _degree(g))


def _degree(g: AllianceGraph) -> np.ndarray:
    return np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)


def strength(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Strength: the sum of an actor's tie weights (Barrat et al. 2004, PNAS 101(11), the
    weighted generalisation of Freeman's 1979 degree); the degree when unweighted."""
    return _as_dict(g, _strength(g, weighted))


def _strength(g: AllianceGraph, weighted: bool) -> np.ndarray:
    w = _weights(g, weighted)
    return np.bincount(g.src, w, minlength=g.n) + np.bincount(g.dst, w, minlength=g.n)


def eigenvector(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Eigenvector centrality (Bonacich 1972, "Factoring and weighting approaches to status
    scores and clique identification", J. Math. Sociology 2(1)): the leading eigenvector of the
    (weighted) adjacency matrix, scaled to unit Euclidean norm as networkx does.

    On a disconnected graph the vector is the limit of networkx's power iteration from the
    all-ones vector: the components with the largest leading eigenvalue carry it, each in
    proportion to the sum of its own eigenvector; the others are 0.
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


def betweenness(g: AllianceGraph, weighted: bool = True, normalized: bool = True) -> dict[str, float]:
    """Betweenness centrality (Freeman 1977, "A set of measures of centrality based on
    betweenness", Sociometry 40(1)), computed with Brandes' algorithm (2001): the share of
    shortest paths between other pairs that pass through an actor. Normalised by
    (n-1)(n-2)/2 pairs, as networkx does."""
    return _as_dict(g, _betweenness(g, weighted, normalized))


def _betweenness(g: AllianceGraph, weighted: bool, normalized: bool = True) -> np.ndarray:
    key = ("btw", weighted, normalized)
    if key not in g._cache:
        if g.m == 0:
            b = np.zeros(g.n)
        else:
            b = np.asarray(_ig(g).betweenness(weights=_lengths(g, weighted)), dtype=float)
            if normalized:
                b = b * 2.0 / ((g.n - 1) * (g.n - 2)) if g.n > 2 else b * 0.0
        g._cache[key] = b
    return g._cache[key]


def closeness(g: AllianceGraph, weighted: bool = True) -> dict[str, float]:
    """Closeness centrality (Freeman 1979): (r)/(sum of distances to the r reachable actors),
    scaled by r/(n-1) for disconnected graphs (Wasserman & Faust 1994, networkx's default)."""
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
    triangle (Onnela et al. 2005, Phys. Rev. E 71, networkx's weighted clustering)."""
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
            # diag(W^(1/3) W^(1/3) W^(1/3)). Dense for small graphs, sparse above (BLAS threads
            # on large dense products are slow on a busy machine).
            w = np.cbrt(g.weight / g.weight.max())
            if g.n <= 120:
                w3 = np.zeros((g.n, g.n))
                w3[g.src, g.dst] = w
                w3[g.dst, g.src] = w
                tri = ((w3 @ w3) * w3).sum(axis=1)
            else:
                from scipy.sparse import csr_matrix

                w3 = csr_matrix((np.concatenate([w, w]), (np.concatenate([g.src, g.dst]),
                                                         np.concatenate([g.dst, g.src]))),
                                shape=(g.n, g.n))
                tri = np.asarray((w3 @ w3).multiply(w3).sum(axis=1)).ravel()
            k = _degree(g).astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                c = np.where(k > 1, tri / (k * (k - 1)), 0.0)
        g._cache[key] = c
    return g._cache[key]


def actor_measures(g: AllianceGraph, weighted: bool = True) -> pl.DataFrame:
    """Every per-actor measure as a table: actor, name, theatre, degree, strength, eigenvector,
    betweenness, closeness, clustering (sorted by strength)."""
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
    return pl.DataFrame(
        [
            pl.Series("actor", [g.nodes[i] for i in order], dtype=pl.String),
            pl.Series("name", [names[i] for i in order], dtype=pl.String),
            pl.Series("theatre", [g.theatre[i] for i in order], dtype=pl.String),
            *(pl.Series(k, v[order]) for k, v in cols.items()),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Graph measures


def density(g: AllianceGraph) -> float:
    """Density: ties present over possible pairs, 2m / (n(n-1)) (Wasserman & Faust 1994)."""
    return 2.0 * g.m / (g.n * (g.n - 1)) if g.n > 1 else 0.0


def average_clustering(g: AllianceGraph, weighted: bool = False) -> float:
    """Average local clustering over all actors, zeros included (Watts & Strogatz 1998)."""
    return float(_local_clustering(g, weighted).mean()) if g.n else 0.0


def transitivity(g: AllianceGraph) -> float:
    """Transitivity: 3 × triangles / connected triples (Wasserman & Faust 1994; networkx's
    ``transitivity``)."""
    return float(np.nan_to_num(_ig(g).transitivity_undirected())) if g.m else 0.0


def components(g: AllianceGraph) -> dict[str, int]:
    """Connected components: how many, and the size of the largest."""
    if g.n == 0:
        return {"components": 0, "largest_component": 0}
    sizes = np.bincount(_membership(g))
    return {"components": int(len(sizes)), "largest_component": int(sizes.max())}


def degree_centralization(g: AllianceGraph) -> float:
    """Freeman's (1979) degree centralisation: sum of (max degree - degree) over its maximum,
    (n-1)(n-2); 1 for a star, 0 when all degrees are equal."""
    if g.n < 3:
        return 0.0
    d = _degree(g)
    return float((d.max() - d).sum() / ((g.n - 1) * (g.n - 2)))


def _efficiency_from(d: np.ndarray) -> float:
    n = d.shape[0]
    if n < 2:
        return 0.0
    with np.errstate(divide="ignore"):
        inv = 1.0 / d
    np.fill_diagonal(inv, 0.0)
    inv[~np.isfinite(inv)] = 0.0
    return float(inv.sum() / (n * (n - 1)))


def global_efficiency(g: AllianceGraph, weighted: bool = True) -> float:
    """Global efficiency (Latora & Marchiori 2001, "Efficient behavior of small-world
    networks", Phys. Rev. Lett. 87(19)): the mean of 1/d(i,j) over ordered pairs, 0 for
    unreachable pairs. Weighted, d sums the lengths 1/strength."""
    return _efficiency_from(_distances(g, weighted))


def _without_index(g: AllianceGraph, h: int) -> AllianceGraph:
    key = ("without", h)
    if key not in g._cache:
        keep = np.array([i for i in range(g.n) if i != h], dtype=np.int64)
        ok = (g.src != h) & (g.dst != h)
        remap = np.full(g.n, -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        g2 = AllianceGraph(
            nodes=tuple(g.nodes[i] for i in keep), theatre=tuple(g.theatre[i] for i in keep),
            src=remap[g.src[ok]], dst=remap[g.dst[ok]], weight=g.weight[ok], source=g.source,
        )
        g._cache[key] = g2
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
    """
    h = g.require(hub, "hub")
    return _hub_dependence(g, h, weighted)


def _distances_via(g: AllianceGraph, h: int, d2: np.ndarray, weighted: bool) -> np.ndarray:
    """All-pairs distances of ``g`` from those of ``g`` without ``h`` (``d2``): a shortest
    path either avoids h or runs s … h … t, so d = min(d2, d(s,h) + d(h,t)), with d(s,h) the
    best neighbour v of h: l(h,v) + d2(v,s). One all-pairs search instead of two."""
    n = g.n
    rest = np.array([i for i in range(n) if i != h], dtype=np.int64)
    touch = (g.src == h) | (g.dst == h)
    nb = np.where(g.src[touch] == h, g.dst[touch], g.src[touch])
    length = (1.0 / g.weight[touch]) if weighted else np.ones(len(nb))
    if len(nb):
        pos = nb - (nb > h)
        dh = (length[:, None] + d2[pos, :]).min(axis=0)
    else:
        dh = np.full(n - 1, np.inf)
    d = np.empty((n, n))
    d[np.ix_(rest, rest)] = np.minimum(d2, dh[:, None] + dh[None, :])
    d[h, rest] = dh
    d[rest, h] = dh
    d[h, h] = 0.0
    return d


def _hub_dependence(g: AllianceGraph, h: int, weighted: bool) -> dict:
    rest = np.array([i for i in range(g.n) if i != h], dtype=np.int64)
    g2 = _without_index(g, h)
    d2 = _distances(g2, weighted)
    key = ("dist", weighted)
    if key not in g._cache:
        g._cache[key] = _distances_via(g, h, d2, weighted)
    d = g._cache[key]
    d1 = d[np.ix_(rest, rest)]
    iu = np.triu_indices(len(rest), 1)
    a, b = d1[iu], d2[iu]
    connected = np.isfinite(a)
    npairs = int(connected.sum())
    through = connected & ~(b <= a * (1 + _EPS) + _EPS)
    cut = connected & ~np.isfinite(b)
    nb = set(np.concatenate([g.dst[g.src == h], g.src[g.dst == h]]).tolist())
    deg2 = _degree(g2)
    isolated = sorted(g.nodes[i] for i in nb if deg2[int(np.searchsorted(rest, i))] == 0)
    e1 = _efficiency_from(d)
    e2 = _efficiency_from(d2)
    return {
        "pairs": npairs,
        "pairs_through_hub": float(through.sum() / npairs) if npairs else math.nan,
        "pairs_cut_by_hub": float(cut.sum() / npairs) if npairs else math.nan,
        "isolated": isolated,
        "efficiency": e1,
        "efficiency_without_hub": e2,
        "efficiency_drop": (e1 - e2) / e1 if e1 > 0 else math.nan,
    }


def hub_and_spoke_index(
    g: AllianceGraph, theatre: str, hub: str = DEFAULT_HUB, weighted: bool = True
) -> float:
    """Hub-and-spoke index of a theatre: of the tie strength among the hub and its partners in
    that theatre, the share that runs spoke-to-spoke, S / (S + H), with H the strength of the
    hub's ties to them and S that of the ties among them. 0 is a pure hub-and-spoke system (the
    "San Francisco system" of bilateral alliances, Cha 2010 "Powerplay", International Security
    34(3)), values towards 1 a lattice. NaN when the hub has no partner there.
    """
    if theatre not in THEATRES:
        raise ParameterError("theatre", f"unknown theatre {theatre!r}; choose from {', '.join(THEATRES)}")
    h = g.require(hub, "hub")
    return _hub_and_spoke(g, h, theatre, weighted)


def _hub_and_spoke(g: AllianceGraph, h: int, theatre: str, weighted: bool) -> float:
    w = _weights(g, weighted)
    th = np.array([t == theatre for t in g.theatre])
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
    groups (Wasserman & Faust 1994, ch. 4)."""
    adv = np.array([a in set(adversaries) for a in g.nodes], dtype=bool)
    ta = np.array([t == between[0] for t in g.theatre])
    tb = np.array([t == between[1] for t in g.theatre])
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


def bloc_cohesion(g: AllianceGraph, members: Iterable[str], weighted: bool = True) -> dict[str, float]:
    """Cohesion of a set of actors (ids, organisation ids for their members on the graph's
    date, or a bloc name such as ``IP4``): the density of ties inside it and their mean
    strength per possible pair (Wasserman & Faust 1994, subgroup density)."""
    ids = g.resolve(members, "members") if not isinstance(members, str) else g.resolve([members], "members")
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
    density, Wasserman & Faust 1994). An actor in both sets counts only on the first side."""
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
    return {"linkage": raw, "ties": int(cross.sum()),
            "linkage_norm": raw / possible if possible else math.nan}


GRAPH_MEASURES = (
    "states", "ties", "density", "clustering", "transitivity", "components", "largest_component",
    "degree_centralization", "efficiency",
    "hub_pairs_through", "hub_pairs_cut", "hub_isolated", "efficiency_without_hub",
    "efficiency_drop",
    "hub_spoke_indo_pacific", "hub_spoke_euro_atlantic",
    "cross_theatre", "cross_theatre_norm", "adversary_cross_theatre",
    "adversary_cross_theatre_norm", "linkage_NATO_IP4", "linkage_NATO_IP4_norm",
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
    NaN when the hub is not in the graph (no ties that year)."""
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
        for k in ("hub_pairs_through", "hub_pairs_cut", "hub_isolated", "efficiency_without_hub",
                  "efficiency_drop", "hub_spoke_indo_pacific", "hub_spoke_euro_atlantic"):
            out[k] = nan
    link = cross_theatre_linkage(g, weighted, adversaries)
    for k in ("cross_theatre", "cross_theatre_norm", "adversary_cross_theatre",
              "adversary_cross_theatre_norm"):
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


def measures(g: AllianceGraph, hub: str = DEFAULT_HUB, weighted: bool = True) -> tuple[dict, pl.DataFrame]:
    """Graph measures and the per-actor table together (what the benchmark times)."""
    return graph_measures(g, hub, weighted), actor_measures(g, weighted)


def graph_table(values: dict[str, float]) -> pl.DataFrame:
    """A graph-measures dict as a two-column table (measure, value)."""
    return pl.DataFrame(
        {"measure": list(values), "value": [float(v) for v in values.values()]},
        schema={"measure": pl.String, "value": pl.Float64},
    )
