"""Scenarios: change the graph, measure before and after (gap-filling without the hub:
:mod:`alliancekit.network.gapfill`).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from alliancekit._deprecated import renamed
from alliancekit.network.graphs import DEFAULT_HUB, LAYER_SCHEMA, AllianceGraph
from alliancekit.network.measures import graph_measures
from alliancekit.schema import ParameterError


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


# Gap-filling lives in its own module; its names are importable from here as before.
from alliancekit.network.gapfill import (  # noqa: E402, F401
    COST_RULE,
    GapFill,
    gap_fill,
    pair_cost,
    shared_contexts,
)

# Names this module used to give (the panels' add_ties is another thing; see connect).
__getattr__ = renamed(
    __name__, {"add_ties": "connect", "ScenarioResult": "NetworkScenarioResult"}, globals()
)
