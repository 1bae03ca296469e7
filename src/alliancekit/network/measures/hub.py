"""Hub dependence: what the network loses without its hub (the United States by default), and
how much of a theatre's ties run through it (the hub-and-spoke index)."""

from __future__ import annotations

import math

import numpy as np

from alliancekit.network.graphs import DEFAULT_HUB, AllianceGraph
from alliancekit.network.measures import paths as _paths
from alliancekit.network.measures.centrality import (
    degree_array,
)
from alliancekit.network.measures.paths import (
    DENSE_MAX,
    EPS,
    distance_matrix,
    edge_weights,
    in_theatre,
    length_matrix,
    twin_classes,
)
from alliancekit.network.measures.structure import (
    efficiency_from,
)
from alliancekit.schema import THEATRES, choice


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
    return hub_dependence_of(g, h, weighted)


def _inherit_twins(g: AllianceGraph, g2: AllianceGraph, h: int, weighted: bool) -> None:
    """Give ``g2`` (``g`` without ``h``) the twin classes and tie lengths of ``g``: twins stay
    twins when a third state leaves, so g2 need not be hashed again (its classes may be a
    little coarser still, which would save little)."""
    if ("twins", weighted) in g2._cache or not (_paths.TWINS_MIN <= g2.n and g.n <= DENSE_MAX):
        return
    length = length_matrix(g, weighted)
    if length is None:
        return
    rep = twin_classes(g, weighted)
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


def hub_dependence_of(g: AllianceGraph, h: int, weighted: bool) -> dict:
    key = ("hub", h, weighted)
    if key in g._cache:
        out = g._cache[key]
        return {**out, "isolated": list(out["isolated"])}
    g2 = _without_index(g, h)
    _inherit_twins(g, g2, h, weighted)
    d2 = distance_matrix(g2, weighted)
    d1, dh = _distances_via(g, h, d2, weighted)
    if ("dist", weighted) not in g._cache:
        g._cache[("dist", weighted)] = _with_row(d1, dh, h)
    d = g._cache[("dist", weighted)]
    # ordered pairs of other states, counted twice (d1 ≤ d2; the diagonal is 0 in both)
    k = g.n - 1
    unreachable = int(np.count_nonzero(d1 == np.inf))
    npairs = (k * k - k - unreachable) // 2
    through = int(np.count_nonzero(d2 > d1 * (1 + EPS) + EPS)) // 2
    cut = (int(np.count_nonzero(d2 == np.inf)) - unreachable) // 2
    partners = np.concatenate([g.dst[g.src == h], g.src[g.dst == h]])
    alone = partners[degree_array(g2)[partners - (partners > h)] == 0]
    isolated = sorted(g.nodes[i] for i in alone.tolist())
    e1 = efficiency_from(d)
    e2 = efficiency_from(d2)
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
    return hub_and_spoke_of(g, h, theatre, weighted)


def hub_and_spoke_of(g: AllianceGraph, h: int, theatre: str, weighted: bool) -> float:
    w = edge_weights(g, weighted)
    th = in_theatre(g, theatre)
    spoke = np.zeros(g.n, dtype=bool)
    hub_edges = (g.src == h) | (g.dst == h)
    other = np.where(g.src == h, g.dst, g.src)
    spoke[other[hub_edges]] = True
    spoke &= th
    spoke[h] = False
    hsum = w[hub_edges & spoke[other]].sum()
    ssum = w[spoke[g.src] & spoke[g.dst]].sum()
    return float(ssum / (ssum + hsum)) if hsum > 0 else math.nan
