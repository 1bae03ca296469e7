"""Write a graph as GraphML, GEXF, node-link JSON or a CSV edge list.

Node attributes: ``theatre`` and ``name``; edge attributes: ``weight`` (projected strength),
``ties`` (instruments behind it), ``kinds``, ``basis`` (tie ids) and ``via`` (organisations),
the lists joined with ';' (GraphML and GEXF hold no lists). Every file carries the graph's
label (its source and date).
"""

from __future__ import annotations

import json
from pathlib import Path

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


def write_graph(g: AllianceGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``g`` to ``path`` in ``fmt`` (default: from the file's suffix); returns the path.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    path : str or Path
        Where to write.
    fmt : {"graphml", "gexf", "json", "csv"}, optional
        The format (default: from the suffix).

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
    if fmt == "csv":
        edge_list(g).write_csv(path)
        return path
    G = g.to_networkx(details=True)
    G.graph["label"] = g.label
    G.graph["source"] = g.source
    if g.on is not None:
        G.graph["date"] = g.on.isoformat()
    if fmt == "graphml":
        nx.write_graphml(G, path)
    elif fmt == "gexf":
        nx.write_gexf(G, path)
    else:
        payload = nx.node_link_data(G, edges="links")
        path.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    return path
