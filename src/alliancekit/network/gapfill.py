"""Gap-filling without the hub: the cheapest new ties among the hub's allies that leave them
connected (k = 1) or 2-edge-connected (k = 2) once the hub is gone, by networkx's
k-edge augmentation on a cost of each possible tie (:data:`COST_RULE`).

    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph, gap_fill
    >>> g = build_graph(load(), 2025)
    >>> gap_fill(g, "USA", theatre="indo_pacific", k=2).ties.columns
    ['a', 'b', 'theatre_a', 'theatre_b', 'cost', 'shared']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl

from alliancekit.network.graphs import DEFAULT_HUB, AllianceGraph
from alliancekit.schema import THEATRES, ParameterError, choice


@dataclass
class GapFill:
    """The cheapest new ties among the allies that leave them k-edge-connected without the hub."""

    hub: str
    k: int
    allies: list[str]
    ties: pl.DataFrame  # a, b, theatre_a, theatre_b, cost, shared
    total_cost: float
    components_before: int
    isolated_before: list[str]
    connected_after: bool
    cost_rule: str
    label: str

    def to_dict(self) -> dict:
        return {
            "hub": self.hub,
            "k": self.k,
            "graph": self.label,
            "allies": self.allies,
            "components_without_hub": self.components_before,
            "isolated_without_hub": self.isolated_before,
            "new_ties": self.ties.to_dicts(),
            "total_cost": self.total_cost,
            "k_edge_connected_after": self.connected_after,
            "cost_rule": self.cost_rule,
        }


COST_RULE = (
    "cost(a, b) = (1 if a and b share a theatre else 2) / (1 + c), where c counts what a and b "
    "already share: organisations or frameworks they both belong to or partner with, and "
    "states (other than the hub) both have a direct agreement with. A new tie is cheaper "
    "between neighbours and between partners that already work in the same frameworks"
)


def shared_contexts(g: AllianceGraph, hub: str) -> dict[str, set[str]]:
    """Per actor: the organisations it belongs to or partners with (``org:NATO``) and the
    states it has a direct agreement with, the hub left out."""
    lay = g.layers
    out: dict[str, set[str]] = {}
    for a, b, via in lay.select("a", "b", "via").iter_rows():
        if via is not None:
            out.setdefault(a, set()).add(f"org:{via}")
            out.setdefault(b, set()).add(f"org:{via}")
        else:
            if b != hub:
                out.setdefault(a, set()).add(b)
            if a != hub:
                out.setdefault(b, set()).add(a)
    return out


def pair_cost(g: AllianceGraph, a: str, b: str, common: int) -> float:
    """The default cost of a new tie a–b (see :data:`COST_RULE`)."""
    same = g.theatre_of(a) == g.theatre_of(b)
    return (1.0 if same else 2.0) / (1.0 + common)


def gap_fill(
    g: AllianceGraph,
    hub: str = DEFAULT_HUB,
    *,
    theatre: str | None = None,
    allies: Iterable[str] | None = None,
    k: int = 1,
    cost: Callable[[AllianceGraph, str, str, int], float] | None = None,
) -> GapFill:
    """Without the hub, the cheapest set of new ties among its allies that leaves them
    connected (k=1) or 2-edge-connected (k=2, no single broken tie splits them).

    allies: the hub's partners on the graph (in ``theatre`` if given) unless named (ids,
    organisations, blocs). Existing ties among them count; every absent pair is a candidate at
    ``cost(g, a, b, shared)`` (default :func:`pair_cost`; ``shared`` from
    :func:`shared_contexts`). The augmentation is
    networkx's ``k_edge_augmentation`` with weighted candidates: for k=1 a minimum spanning
    tree over the components, for k=2 the weighted bridge augmentation (Eswaran & Tarjan 1976,
    "Augmentation problems", SIAM J. Computing 5(4); Khuller & Thurimella 1993 for weights,
    an approximation within a factor 2).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    hub : str
        The hub left out.
    theatre : str, optional
        Keep the hub's partners in this theatre.
    allies : iterable of str, optional
        The allies to reconnect (default: the hub's partners).
    k : {1, 2}
        Connected, or 2-edge-connected.
    cost : callable, optional
        ``cost(g, a, b, shared)`` of a new tie.

    Returns
    -------
    GapFill
        The new ties (``.ties``), their total cost and what was cut off before.

    Raises
    ------
    ParameterError
        For an unknown theatre, a hub not in the graph or ``k`` other than 1 or 2.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import gap_fill
    >>> gf = gap_fill(g, theatre="indo_pacific", k=1)
    >>> gf.isolated_before, gf.connected_after
    (['JPN', 'KOR'], True)
    """
    import networkx as nx
    from networkx.algorithms.connectivity import k_edge_augmentation

    if k not in (1, 2):
        raise ParameterError("k", f"k must be 1 (connected) or 2 (2-edge-connected), not {k}")
    if theatre is not None:
        choice(theatre, THEATRES, "theatre", "theatre")
    g.require(hub, "hub")
    if allies is None:
        group = [a for a in g.neighbours(hub) if theatre is None or g.theatre_of(a) == theatre]
    else:
        group = [a for a in g.resolve(allies, "allies") if a != hub]
        if theatre is not None:
            group = [a for a in group if g.theatre_of(a) == theatre]
    need = 2 if k == 1 else 3
    if len(group) < need:
        where = f" in {theatre}" if theatre else ""
        raise ParameterError(
            "allies",
            f"{len(group)} ally(ies) of {hub}{where} on this graph ({', '.join(group) or 'none'}); "
            f"gap-filling with k={k} needs at least {need}",
        )
    rest = g.without([hub])
    G = rest.to_networkx()
    H = G.subgraph(group).copy()
    ctx = shared_contexts(g, hub)
    rule = cost or pair_cost
    avail = {}
    commons = {}
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            if H.has_edge(a, b):
                continue
            c = len((ctx.get(a, set()) & ctx.get(b, set())) - {a, b})
            commons[(a, b)] = c
            avail[(a, b)] = float(rule(rest, a, b, c))
    comps = nx.number_connected_components(H)
    isolated = sorted(a for a in group if H.degree(a) == 0)
    # networkx's weighted augmentation walks sets of nodes: with string ids their order, and
    # so the answer, changed with PYTHONHASHSEED. Integer labels in sorted order hash the same
    # in every process, so the same graph always gets the same ties.
    order = sorted(H.nodes)
    num = {a: i for i, a in enumerate(order)}
    Hi = nx.Graph()
    Hi.add_nodes_from(range(len(order)))
    Hi.add_edges_from(sorted((min(num[a], num[b]), max(num[a], num[b])) for a, b in H.edges))
    avail_i = {(min(num[a], num[b]), max(num[a], num[b])): w for (a, b), w in sorted(avail.items())}
    try:
        new = [
            (order[a], order[b])
            for a, b in k_edge_augmentation(Hi, k=k, avail=avail_i, weight="weight", partial=False)
        ]
    except nx.NetworkXUnfeasible as exc:
        raise ParameterError(
            "k", f"no set of new ties makes the allies {k}-edge-connected: {exc}"
        ) from None
    rows = []
    for a, b in new:
        x, y = (a, b) if (a, b) in avail else (b, a)
        rows.append(
            {
                "a": x,
                "b": y,
                "theatre_a": rest.theatre_of(x),
                "theatre_b": rest.theatre_of(y),
                "cost": avail[(x, y)],
                "shared": commons[(x, y)],
            }
        )
    ties = pl.DataFrame(
        rows,
        schema={
            "a": pl.String,
            "b": pl.String,
            "theatre_a": pl.String,
            "theatre_b": pl.String,
            "cost": pl.Float64,
            "shared": pl.Int64,
        },
    ).sort("a", "b")
    H2 = H.copy()
    H2.add_edges_from(new)
    ok = nx.is_k_edge_connected(H2, k)
    return GapFill(
        hub,
        k,
        sorted(group),
        ties,
        float(ties["cost"].sum()) if ties.height else 0.0,
        comps,
        isolated,
        ok,
        COST_RULE if cost is None else "user-given",
        f"{g.label}, without {hub}",
    )
