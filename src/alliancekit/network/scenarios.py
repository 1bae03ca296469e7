"""Scenarios: change the graph, measure before and after; and gap-filling without the hub.

    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph, gap_fill, remove, weaken
    >>> g = build_graph(load(), 2025)
    >>> remove(g, "USA").table.columns   # every graph measure before, after, change
    ['measure', 'before', 'after', 'change']
    >>> weaken(g, "USA", 0.5).name       # the US ties at half strength
    'weaken USA × 0.5'
    >>> gap_fill(g, "USA", theatre="indo_pacific", k=2).ties.columns
    ['a', 'b', 'theatre_a', 'theatre_b', 'cost', 'shared']

A scenario returns a :class:`NetworkScenarioResult`; gap-filling a :class:`GapFill`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from alliancekit._deprecated import renamed
from alliancekit.network.graphs import DEFAULT_HUB, LAYER_SCHEMA, AllianceGraph
from alliancekit.network.measures import graph_measures
from alliancekit.schema import THEATRES, ParameterError, choice


@dataclass
class NetworkScenarioResult:
    """A scenario's graphs and its measures before and after."""

    name: str
    before: AllianceGraph
    after: AllianceGraph
    measures_before: dict[str, float]
    measures_after: dict[str, float]
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> pl.DataFrame:
        """measure, before, after, change (after - before); NaN where a measure is undefined
        (e.g. hub measures once the hub is gone)."""
        keys = list(dict.fromkeys([*self.measures_before, *self.measures_after]))
        b = [_f(self.measures_before.get(k)) for k in keys]
        a = [_f(self.measures_after.get(k)) for k in keys]
        return pl.DataFrame(
            {
                "measure": keys,
                "before": b,
                "after": a,
                "change": [
                    None if x is None or y is None else y - x for x, y in zip(b, a, strict=True)
                ],
            },
            schema={
                "measure": pl.String,
                "before": pl.Float64,
                "after": pl.Float64,
                "change": pl.Float64,
            },
        )

    def to_dict(self) -> dict:
        return {
            "scenario": self.name,
            "graph": self.before.label,
            "notes": self.notes,
            "measures": self.table.to_dicts(),
        }


def _f(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def compare(
    before: AllianceGraph,
    after: AllianceGraph,
    name: str,
    *,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    notes: Sequence[str] = (),
) -> NetworkScenarioResult:
    """Measure both graphs (hub measures NaN after, if the hub is gone)."""
    return NetworkScenarioResult(
        name,
        before,
        after,
        graph_measures(before, hub, weighted),
        graph_measures(after, hub, weighted, allow_empty=True),
        list(notes),
    )


# ---------------------------------------------------------------------------------------------
# Changes to a graph


def removed(g: AllianceGraph, actor: str) -> AllianceGraph:
    """The graph without ``actor`` and its ties."""
    return g.without([actor])


def weakened(g: AllianceGraph, actor: str, factor: float) -> AllianceGraph:
    """The graph with every tie of ``actor`` multiplied by ``factor`` (0 removes the ties but
    keeps the actor; factor ≥ 0)."""
    i = g.require(actor)
    if not (factor >= 0 and math.isfinite(factor)):
        raise ParameterError("factor", f"the factor must be a number ≥ 0, not {factor}")
    touch = (g.src == i) | (g.dst == i)
    w = np.where(touch, g.weight * factor, g.weight)
    keep = w > 0
    layers = g.layers.with_columns(
        pl.when((pl.col("a") == actor) | (pl.col("b") == actor))
        .then(pl.col("strength") * factor)
        .otherwise(pl.col("strength"))
        .alias("strength")
    ).filter(pl.col("strength") > 0)
    return g._replace(
        src=g.src[keep],
        dst=g.dst[keep],
        weight=w[keep],
        layers=layers,
        label=f"{g.label}, {actor}'s ties × {factor:g}",
    )


def with_ties(
    g: AllianceGraph,
    ties: Iterable[tuple[str, str, float]],
    *,
    kind: str = "scenario",
    theatres: dict[str, str] | None = None,
    combine: str = "sum",
) -> AllianceGraph:
    """The graph with new ties ``(a, b, strength)``; a new actor needs its theatre in
    ``theatres`` (else ``other``). Strength adds to an existing pair (``combine="sum"``) or
    replaces it when stronger (``"max"``)."""
    ties = [(str(a), str(b), float(s)) for a, b, s in ties]
    for a, b, s in ties:
        if a == b:
            raise ParameterError("ties", f"a tie needs two different actors, not {a}–{b}")
        if not (s > 0 and math.isfinite(s)):
            raise ParameterError("ties", f"the strength of {a}–{b} must be > 0, not {s}")
    theatres = theatres or {}
    nodes = list(g.nodes)
    theatre = list(g.theatre)
    names = list(g.names) if g.names is not None else None
    for a, b, _ in ties:
        for x in (a, b):
            if x not in g.index and x not in nodes:
                nodes.append(x)
                theatre.append(theatres.get(x, "other"))
                if names is not None:
                    names.append(x)
    order = sorted(range(len(nodes)), key=lambda i: nodes[i])
    rank = {nodes[i]: r for r, i in enumerate(order)}
    pairs: dict[tuple[int, int], float] = {}
    for i, j, w in zip(g.src.tolist(), g.dst.tolist(), g.weight.tolist(), strict=True):
        p, q = rank[g.nodes[i]], rank[g.nodes[j]]
        pairs[(min(p, q), max(p, q))] = w
    new_rows = []
    for a, b, s in ties:
        p, q = rank[a], rank[b]
        key = (min(p, q), max(p, q))
        old = pairs.get(key, 0.0)
        pairs[key] = old + s if combine == "sum" else max(old, s)
        x, y = sorted((a, b))
        new_rows.append((x, y, kind, s, None, None))
    keys = sorted(pairs)
    new = AllianceGraph(
        nodes=tuple(nodes[i] for i in order),
        theatre=tuple(theatre[i] for i in order),
        src=np.array([k[0] for k in keys], dtype=np.int64),
        dst=np.array([k[1] for k in keys], dtype=np.int64),
        weight=np.array([pairs[k] for k in keys], dtype=np.float64),
        label=f"{g.label}, with {len(ties)} new tie(s)",
        on=g.on,
        source=g.source,
        names=None if names is None else tuple(names[i] for i in order),
        memberships=dict(g.memberships),
        _layers=pl.concat([g.layers, pl.DataFrame(new_rows, schema=LAYER_SCHEMA, orient="row")]),
    )
    return new


def with_members(
    g: AllianceGraph,
    organisation: str,
    states: Iterable[str],
    strength: float | None = None,
    *,
    theatres: dict[str, str] | None = None,
) -> AllianceGraph:
    """The graph with new members of an organisation or framework: each gets a co-member tie
    with every member on the graph's date (strength: the organisation's member-tie strength,
    e.g. NATO 5, unless given)."""
    if organisation not in g.memberships:
        raise ParameterError(
            "organisation",
            f"{organisation!r} has no members in this graph; organisations: {', '.join(sorted(g.memberships)) or 'none'}",
        )
    current = list(g.memberships[organisation])
    if strength is None:
        lay = g.layers.filter((pl.col("via") == organisation) & (pl.col("layer") == "member"))
        strength = float(lay["strength"].max()) if lay.height else 1.0
    states = [s for s in dict.fromkeys(states) if s not in current]
    ties = [(s, m, strength) for s in states for m in current]
    ties += [(a, b, strength) for i, a in enumerate(states) for b in states[i + 1 :]]
    new = with_ties(g, ties, kind="member", theatres=theatres)
    new.memberships[organisation] = tuple(sorted(current + states))
    new.label = f"{g.label}, {', '.join(states)} joining {organisation}"
    return new


# ---------------------------------------------------------------------------------------------
# Scenario runners


def remove(
    g: AllianceGraph, actor: str = DEFAULT_HUB, *, hub: str = DEFAULT_HUB, weighted: bool = True
) -> NetworkScenarioResult:
    """Remove an actor (the US by default): measures before and after.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    actor : str
        The actor removed.
    hub : str
        The hub whose measures are compared.
    weighted : bool
        Use the tie weights.

    Returns
    -------
    NetworkScenarioResult
        The graphs, the measures before and after (``.table``) and notes.

    Raises
    ------
    ParameterError
        When the actor is not in the graph.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import remove
    >>> r = remove(g, "USA")
    >>> r.notes[0][:48]
    'without USA: partners left with no tie: JPN; 40.'
    """
    after = removed(g, actor)
    notes = []
    if actor == hub:
        from alliancekit.network.measures import hub_dependence

        hd = hub_dependence(g, hub, weighted)
        left = ", ".join(hd["isolated"]) or "none"
        notes.append(
            f"without {hub}: partners left with no tie: {left}; "
            f"{hd['pairs_through_hub']:.1%} of connected pairs lose every shortest path, "
            f"{hd['pairs_cut_by_hub']:.1%} every path; global efficiency falls by "
            f"{hd['efficiency_drop']:.1%}"
        )
    return compare(g, after, f"remove {actor}", hub=hub, weighted=weighted, notes=notes)


def weaken(
    g: AllianceGraph,
    actor: str = DEFAULT_HUB,
    factor: float = 0.5,
    *,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
) -> NetworkScenarioResult:
    """Multiply the strength of an actor's ties by ``factor``.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    actor : str
        The actor whose ties are weakened.
    factor : float
        The multiplier, between 0 and 1.
    hub : str
        The hub whose measures are compared.
    weighted : bool
        Use the tie weights.

    Returns
    -------
    NetworkScenarioResult

    Raises
    ------
    ParameterError
        For an actor not in the graph or a factor outside (0, 1].

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import weaken
    >>> weaken(g, "USA", 0.5).name
    'weaken USA × 0.5'
    """
    return compare(
        g, weakened(g, actor, factor), f"weaken {actor} × {factor:g}", hub=hub, weighted=weighted
    )


def connect(
    g: AllianceGraph,
    ties: Iterable[tuple[str, str, float]],
    *,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    theatres: dict[str, str] | None = None,
) -> NetworkScenarioResult:
    """The scenario of new ties ``(a, b, strength)``: the graph before and with them
    (:func:`with_ties`), measured. Formerly ``add_ties``, a name that now belongs to the panels'
    step alone (:func:`alliancekit.panels.add_ties` adds tie columns to a panel).

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    ties : iterable of (str, str, float)
        New ties, with their strength.
    hub : str
        The hub whose measures are compared.
    weighted : bool
        Use the tie weights.
    theatres : dict of str to str, optional
        Theatres of actors new to the graph.

    Returns
    -------
    NetworkScenarioResult

    Raises
    ------
    ParameterError
        For a tie of an actor to itself, a strength out of range or an unknown theatre.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import connect
    >>> r = connect(g, [("JPN", "KOR", 3)])
    >>> r.measures_after["ties"] - r.measures_before["ties"]
    1
    """
    ties = list(ties)
    return compare(
        g,
        with_ties(g, ties, theatres=theatres),
        "add " + ", ".join(f"{a}–{b} ({s:g})" for a, b, s in ties),
        hub=hub,
        weighted=weighted,
    )


def add_members(
    g: AllianceGraph,
    organisation: str,
    states: Iterable[str],
    strength: float | None = None,
    *,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    theatres: dict[str, str] | None = None,
) -> NetworkScenarioResult:
    """Add members to an organisation or framework.

    Parameters
    ----------
    g : AllianceGraph
        The graph.
    organisation : str
        The organisation or framework joined.
    states : iterable of str
        The new members.
    strength : float, optional
        The strength of their ties with the other members (default: the organisation's).
    hub : str
        The hub whose measures are compared.
    weighted : bool
        Use the tie weights.
    theatres : dict of str to str, optional
        Theatres of states new to the graph.

    Returns
    -------
    NetworkScenarioResult

    Raises
    ------
    ParameterError
        For an unknown organisation.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> g = build_graph(load(), 2000)
    >>> from alliancekit.network import add_members
    >>> add_members(g, "NATO", ["JPN"]).name
    'JPN join NATO'
    """
    states = list(states)
    return compare(
        g,
        with_members(g, organisation, states, strength, theatres=theatres),
        f"{', '.join(states)} join {organisation}",
        hub=hub,
        weighted=weighted,
    )


# ---------------------------------------------------------------------------------------------
# Gap-filling


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


# Names this module used to give (the panels' add_ties is another thing; see connect).
__getattr__ = renamed(
    __name__, {"add_ties": "connect", "ScenarioResult": "NetworkScenarioResult"}, globals()
)
