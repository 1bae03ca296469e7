"""The registry of graph-level measures: their names (:data:`GRAPH_MEASURES`), what each means
(:data:`GRAPH_MEASURE_DOCS`), and :func:`graph_measures`, which computes them in one pass."""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from alliancekit.network.graphs import ADVERSARIES, BLOCS, DEFAULT_HUB, AllianceGraph
from alliancekit.network.measures.blocs import (
    bloc_values,
    cross_theatre_linkage,
    linkage_values,
)
from alliancekit.network.measures.hub import (
    hub_and_spoke_of,
    hub_dependence_of,
)
from alliancekit.network.measures.structure import (
    average_clustering,
    components,
    degree_centralization,
    density,
    global_efficiency,
    transitivity,
)

# The measures of the hub (missing, NaN, when the hub is not in the graph) and of the ties
# across theatres: named once, for the registry and for graph_measures.
HUB_MEASURES = (
    "hub_pairs_through",
    "hub_pairs_cut",
    "hub_isolated",
    "efficiency_without_hub",
    "efficiency_drop",
    "hub_spoke_indo_pacific",
    "hub_spoke_euro_atlantic",
)
CROSS_THEATRE_MEASURES = (
    "cross_theatre",
    "cross_theatre_norm",
    "adversary_cross_theatre",
    "adversary_cross_theatre_norm",
)
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
    *HUB_MEASURES,
    *CROSS_THEATRE_MEASURES,
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
        hd = hub_dependence_of(g, g.index[hub], weighted)
        out["efficiency"] = hd["efficiency"]
        out["hub_pairs_through"] = hd["pairs_through_hub"]
        out["hub_pairs_cut"] = hd["pairs_cut_by_hub"]
        out["hub_isolated"] = len(hd["isolated"])
        out["efficiency_without_hub"] = hd["efficiency_without_hub"]
        out["efficiency_drop"] = hd["efficiency_drop"]
        h = g.index[hub]
        out["hub_spoke_indo_pacific"] = hub_and_spoke_of(g, h, "indo_pacific", weighted)
        out["hub_spoke_euro_atlantic"] = hub_and_spoke_of(g, h, "euro_atlantic", weighted)
    else:
        out["efficiency"] = global_efficiency(g, weighted)
        for k in HUB_MEASURES:
            out[k] = nan
    link = cross_theatre_linkage(g, weighted, adversaries)
    for k in CROSS_THEATRE_MEASURES:
        out[k] = link[k]
    ip4 = _bloc_ids(g, "IP4")
    nato = [a for a in _bloc_ids(g, "NATO") if a != hub and a not in ip4]
    nato_ip4 = linkage_values(g, nato, ip4, weighted)
    out["linkage_NATO_IP4"] = nato_ip4["linkage"]
    out["linkage_NATO_IP4_norm"] = nato_ip4["linkage_norm"]
    for b in blocs:
        ids = _bloc_ids(g, b)
        c = bloc_values(g, ids, weighted)
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
