"""Network measures of an :class:`~alliancekit.network.graphs.AllianceGraph`, one algorithm per
function, each citing its source.

Every measure takes ``weighted``: with it, tie strength is the weight (eigenvector, strength,
clustering) and ``1/strength`` the length of a tie (shortest paths, betweenness, closeness,
efficiency), so that strong ties are short; without it every tie counts 1. Per-actor measures
follow networkx's conventions (normalisation, disconnected graphs) so that results can be
checked against it; the heavy work runs in igraph's C code, scipy and numpy.

One job per module:

- :mod:`~alliancekit.network.measures.paths`: the path engine (shortest paths, twin classes,
  the computations every measure shares, cached on the graph);
- :mod:`~alliancekit.network.measures.centrality`: per-actor measures and
  :func:`actor_measures`;
- :mod:`~alliancekit.network.measures.structure`: density, clustering, components,
  centralization, efficiency;
- :mod:`~alliancekit.network.measures.hub`: hub dependence and the hub-and-spoke index;
- :mod:`~alliancekit.network.measures.blocs`: bloc cohesion, bloc and cross-theatre linkage;
- :mod:`~alliancekit.network.measures.registry`: the graph-level measures by name and
  :func:`graph_measures`.

Every public name is importable from here, as it was when this was one module.
"""

from __future__ import annotations

from alliancekit.network.measures.blocs import bloc_cohesion, bloc_linkage, cross_theatre_linkage
from alliancekit.network.measures.centrality import (
    actor_measures,
    betweenness,
    closeness,
    degree,
    eigenvector,
    local_clustering,
    strength,
)
from alliancekit.network.measures.hub import hub_and_spoke_index, hub_dependence
from alliancekit.network.measures.registry import (
    DEFAULT_BLOCS,
    GRAPH_MEASURE_DOCS,
    GRAPH_MEASURES,
    graph_measures,
    graph_table,
)
from alliancekit.network.measures.structure import (
    average_clustering,
    components,
    degree_centralization,
    density,
    global_efficiency,
    transitivity,
)

__all__ = [
    "DEFAULT_BLOCS",
    "GRAPH_MEASURES",
    "GRAPH_MEASURE_DOCS",
    "actor_measures",
    "average_clustering",
    "betweenness",
    "bloc_cohesion",
    "bloc_linkage",
    "closeness",
    "components",
    "cross_theatre_linkage",
    "degree",
    "degree_centralization",
    "density",
    "eigenvector",
    "global_efficiency",
    "graph_measures",
    "graph_table",
    "hub_and_spoke_index",
    "hub_dependence",
    "local_clustering",
    "strength",
    "transitivity",
]
