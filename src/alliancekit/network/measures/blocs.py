"""Blocs and theatres: cohesion inside a set of actors, linkage between two sets, and the ties
across the Euro-Atlantic and Indo-Pacific theatres."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from alliancekit.network.graphs import ADVERSARIES, AllianceGraph
from alliancekit.network.measures.paths import (
    edge_weights,
    in_theatre,
)


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
    ta = in_theatre(g, between[0])
    tb = in_theatre(g, between[1])
    w = edge_weights(g, weighted)
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
    return bloc_values(g, ids, weighted)


def bloc_values(g: AllianceGraph, ids: Sequence[str], weighted: bool) -> dict[str, float]:
    inside = np.zeros(g.n, dtype=bool)
    for a in ids:
        if a in g.index:
            inside[g.index[a]] = True
    k = int(inside.sum())
    pairs = k * (k - 1) / 2
    e = inside[g.src] & inside[g.dst]
    w = edge_weights(g, weighted)
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
    return linkage_values(g, a_ids, b_ids, weighted)


def linkage_values(
    g: AllianceGraph, a_ids: Sequence[str], b_ids: Sequence[str], weighted: bool
) -> dict:
    sa = np.zeros(g.n, dtype=bool)
    sb = np.zeros(g.n, dtype=bool)
    sa[[g.index[x] for x in a_ids if x in g.index]] = True
    sb[[g.index[x] for x in b_ids if x in g.index]] = True
    sb &= ~sa
    cross = (sa[g.src] & sb[g.dst]) | (sb[g.src] & sa[g.dst])
    possible = int(sa.sum()) * int(sb.sum())
    raw = float(edge_weights(g, weighted)[cross].sum())
    return {
        "linkage": raw,
        "ties": int(cross.sum()),
        "linkage_norm": raw / possible if possible else math.nan,
    }
