"""Write a graph as GraphML, GEXF, node-link JSON or a CSV edge list.

Node attributes: ``theatre`` and ``name``; edge attributes: ``weight`` (projected strength),
``ties`` (instruments behind it), ``kinds``, ``basis`` (tie ids) and ``via`` (organisations),
the lists joined with ';' (GraphML and GEXF hold no lists). Every file carries the graph's
label (its source and date).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from alliancekit.network.graphs import AllianceGraph
from alliancekit.schema import ParameterError, choice

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")


def edge_list(g: AllianceGraph) -> pl.DataFrame:
    """The weighted projection as a flat table (lists joined with ';')."""
    e = g.edges
    return e.with_columns(
        [pl.col(c).list.join(";") for c, t in e.schema.items() if isinstance(t, pl.List)]
    ).sort("a", "b")


def write_graph(
    g: AllianceGraph,
    path: str | Path,
    fmt: str | None = None,
    record: dict[str, Any] | None = None,
) -> Path:
    """Write ``g`` to ``path`` in ``fmt`` (default: from the file's suffix); returns the path.

    ``record``, a provenance record (:func:`alliancekit.provenance.output_record`), goes where
    the format holds one: a GraphML graph attribute (``alliancekit_provenance``, JSON), the
    ``provenance`` member of node-link JSON, else a sidecar ``<file>.json`` (GEXF, CSV).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    path : str or Path
        Where to write.
    fmt : {"graphml", "gexf", "json", "csv"}, optional
        The format (default: from the suffix).
    record : dict, optional
        The provenance record to write with the graph.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ParameterError
        For an unknown format or an unwritable path.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> import tempfile, pathlib
    >>> from alliancekit.network import write_graph
    >>> write_graph(g, pathlib.Path(tempfile.mkdtemp()) / "g.graphml").name
    'g.graphml'
    """
    import networkx as nx

    path = Path(path)
    if fmt is None:
        fmt = {".graphml": "graphml", ".gexf": "gexf", ".json": "json", ".csv": "csv"}.get(
            path.suffix.lower()
        )
        if fmt is None:
            raise ParameterError(
                "fmt",
                f"cannot tell the format of {path.name}; choose one of {', '.join(EXPORT_FORMATS)}",
            )
    choice(fmt, EXPORT_FORMATS, "fmt", "export format")
    from alliancekit.paths import output_path

    path = output_path(path, "path")
    from alliancekit import provenance

    if fmt == "csv":
        edge_list(g).write_csv(path)
        if record:
            provenance.write_sidecar(path, record)
        return path
    G = g.to_networkx(details=True)
    G.graph["label"] = g.label
    G.graph["source"] = g.source
    if g.on is not None:
        G.graph["date"] = g.on.isoformat()
    if fmt == "graphml":
        if record:
            G.graph[provenance.GRAPHML_KEY] = json.dumps(record, sort_keys=True, default=str)
        nx.write_graphml(G, path)
    elif fmt == "gexf":
        nx.write_gexf(G, path)
        if record:
            provenance.write_sidecar(path, record)
    else:
        payload = nx.node_link_data(G, edges="links")
        if record:
            payload["provenance"] = record
        path.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    return path
