"""Network analysis of the alliance system: graphs, measures, time series, scenarios, exports.

    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph, graph_measures
    >>> g = build_graph(load(), 2025)
    >>> round(graph_measures(g)["hub_spoke_indo_pacific"], 3)
    0.613

Graphs are among states (memberships project onto co-member ties, see :mod:`.graphs`);
measures run in igraph/numpy and agree with networkx (see the tests). Time series:
:func:`alliancekit.network.series.series`; pictures: :mod:`alliancekit.network.picture`.
"""

from __future__ import annotations

from alliancekit._deprecated import renamed
from alliancekit.network.export import write_graph
from alliancekit.network.gapfill import gap_fill
from alliancekit.network.graphs import (
    ADVERSARIES,
    ATOP_STRENGTH,
    BLOCS,
    DEFAULT_HUB,
    AllianceGraph,
    build_graph,
    graphs_from_atop,
    two_mode,
)
from alliancekit.network.measures import (
    GRAPH_MEASURES,
    actor_measures,
    average_clustering,
    betweenness,
    bloc_cohesion,
    bloc_linkage,
    closeness,
    components,
    cross_theatre_linkage,
    degree,
    degree_centralization,
    density,
    eigenvector,
    global_efficiency,
    graph_measures,
    hub_and_spoke_index,
    hub_dependence,
    local_clustering,
    strength,
    transitivity,
)
from alliancekit.network.scenarios import (
    NetworkScenarioResult,
    add_members,
    connect,
    remove,
    weaken,
)

__all__ = [
    "ADVERSARIES",
    "ATOP_STRENGTH",
    "BLOCS",
    "DEFAULT_HUB",
    "GRAPH_MEASURES",
    "AllianceGraph",
    "actor_measures",
    "average_clustering",
    "betweenness",
    "bloc_cohesion",
    "bloc_linkage",
    "build_graph",
    "closeness",
    "components",
    "cross_theatre_linkage",
    "degree",
    "degree_centralization",
    "density",
    "eigenvector",
    "global_efficiency",
    "graph_measures",
    "graphs_from_atop",
    "hub_and_spoke_index",
    "hub_dependence",
    "local_clustering",
    "strength",
    "transitivity",
    "two_mode",
    "NetworkScenarioResult",
    "add_members",
    "connect",
    "gap_fill",
    "remove",
    "weaken",
    "write_graph",
]

# network.add_ties is now network.connect (panels.add_ties is the panels' step).
__getattr__ = renamed(__name__, {"add_ties": "connect"}, globals())
