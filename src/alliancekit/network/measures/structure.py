"""Graph-level measures of structure: density, clustering, transitivity, components,
centralization and efficiency."""

from __future__ import annotations

import math

import numpy as np

from alliancekit.network.graphs import AllianceGraph
from alliancekit.network.measures.centrality import (
    clustering_array,
    degree_array,
)
from alliancekit.network.measures.paths import (
    component_of,
    distance_matrix,
    igraph_of,
)


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
    return float(clustering_array(g, weighted).mean()) if g.n else 0.0


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
    t = igraph_of(g).transitivity_undirected() if g.m else 0.0
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
    sizes = np.bincount(component_of(g))
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
    d = degree_array(g)
    return float((d.max() - d).sum() / ((g.n - 1) * (g.n - 2)))


def efficiency_from(d: np.ndarray) -> float:
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
    return efficiency_from(distance_matrix(g, weighted))
