"""Alliance graphs among states, from the curated ties or from ATOP obligations.

The analysis graph is among **states**. An organisation or framework is not a node: membership
becomes ties between its co-members (NATO membership gives collective-defence ties among all
members), and a tie between a state and an organisation (Japan's IPCP with NATO, a mission to
NATO) becomes ties between the state and each member of the organisation on that date. Every
projected tie records its basis (``tie_id`` and ``via``, the organisation it runs through).
Organisations appear as nodes only in the two-mode export (:func:`two_mode`).

An :class:`AllianceGraph` has two views:

* the **multiplex** (``graph.layers``): one row per instrument and pair of states, with its
  layer (the tie kind, or the ATOP obligation type), strength and basis;
* the **weighted projection** (``graph.edges``): one row per pair of states, its weight the
  strengths of its instruments combined (``"sum"``: every instrument adds; ``"max"``: the
  strongest counts).

Strengths are the ordinal scale of the codebook (5 collective defence … 1 presence) unless a
``scale`` maps them to other values; measures take ``weighted=False`` to ignore them.
"""

from __future__ import annotations

from alliancekit.data.projection import NOT_ALLIANCES
from alliancekit.network.graphs.atop import ATOP_STRENGTH, ATOP_TYPES, atop_pairs, graphs_from_atop
from alliancekit.network.graphs.container import (
    ADVERSARIES,
    BLOCS,
    COMBINE,
    DEFAULT_HUB,
    LAYER_SCHEMA,
    AllianceGraph,
)
from alliancekit.network.graphs.curated import (
    build_graph,
    check_kinds,
    check_theatres,
    data_years,
    two_mode,
)
from alliancekit.network.graphs.labels import cow_labels, cow_theatre

__all__ = [
    "ADVERSARIES",
    "ATOP_STRENGTH",
    "ATOP_TYPES",
    "BLOCS",
    "COMBINE",
    "DEFAULT_HUB",
    "LAYER_SCHEMA",
    "NOT_ALLIANCES",
    "AllianceGraph",
    "atop_pairs",
    "build_graph",
    "check_kinds",
    "check_theatres",
    "cow_labels",
    "cow_theatre",
    "data_years",
    "graphs_from_atop",
    "two_mode",
]
