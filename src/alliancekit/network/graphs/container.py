"""The state graph's container: :class:`AllianceGraph`, its multiplex layers and weighted
projection, the named blocs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    pass

COMBINE = ("sum", "max")


# Named sets of actors that measures and filters accept beside actor and organisation ids.
BLOCS: dict[str, tuple[str, ...]] = {
    "IP4": ("AUS", "JPN", "KOR", "NZL"),
    "ADVERSARIES": ("CHN", "PRK", "RUS"),
}


ADVERSARIES = BLOCS["ADVERSARIES"]


DEFAULT_HUB = "USA"


@dataclass(eq=False)
class AllianceGraph:
    """An undirected weighted graph among states, with its multiplex layers.

    ``nodes`` are sorted actor ids; ``src``/``dst`` index them (``src < dst``), one entry per
    pair of states; ``weight`` is the projected strength of each pair.
    """

    nodes: tuple[str, ...]
    theatre: tuple[str, ...]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    label: str = ""
    on: dt.date | None = None
    source: str = "curated"
    names: tuple[str, ...] | None = None
    memberships: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _layers: pl.DataFrame | None = None
    _edge_info: pl.DataFrame | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    # -- basic facts ----------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.src)

    @cached_property
    def index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.nodes)}

    def __contains__(self, actor: str) -> bool:
        return actor in self.index

    def __repr__(self) -> str:
        return f"AllianceGraph({self.label or self.source}: {self.n} states, {self.m} ties)"

    def theatre_of(self, actor: str) -> str:
        return self.theatre[self.index[actor]]

    def neighbours(self, actor: str) -> list[str]:
        i = self.require(actor)
        nb = np.concatenate([self.dst[self.src == i], self.src[self.dst == i]])
        return sorted(self.nodes[j] for j in nb)

    def require(self, actor: str, parameter: str = "actor") -> int:
        """The node index of ``actor``; a :class:`ParameterError` when it is not in the graph."""
        try:
            return self.index[actor]
        except KeyError:
            raise ParameterError(
                parameter,
                f"{actor!r} is not a state of this graph ({self.label or self.source}; "
                f"{self.n} states: {', '.join(self.nodes[:12])}{' …' if self.n > 12 else ''})",
            ) from None

    def resolve(self, names: Iterable[str], parameter: str = "actors") -> list[str]:
        """Actor ids from ids, organisation ids (their members on the graph's date) and blocs."""
        out: list[str] = []
        for name in names:
            if name in self.index:
                out.append(name)
            elif name in self.memberships:
                out.extend(self.memberships[name])
            elif name in BLOCS:
                out.extend(a for a in BLOCS[name] if a in self.index)
            else:
                self.require(name, parameter)
        return list(dict.fromkeys(out))

    def require_edges(self) -> None:
        if self.m == 0:
            raise ParameterError(
                "graph",
                f"the graph is empty ({self.label or self.source}: no ties in force "
                "that pass the filters)",
            )

    # -- views ----------------------------------------------------------------------------------
    @property
    def layers(self) -> pl.DataFrame:
        """The multiplex: a, b, layer, strength, tie_id, via (one row per instrument and pair)."""
        if self._layers is None:
            self._layers = pl.DataFrame(
                {
                    "a": [self.nodes[i] for i in self.src],
                    "b": [self.nodes[j] for j in self.dst],
                    "layer": ["tie"] * self.m,
                    "strength": self.weight,
                    "tie_id": [None] * self.m,
                    "via": [None] * self.m,
                },
                schema=LAYER_SCHEMA,
            )
        return self._layers

    @property
    def edges(self) -> pl.DataFrame:
        """The weighted projection: a, b, weight, ties, kinds, basis (tie ids), via."""
        base = pl.DataFrame(
            {
                "a": [self.nodes[i] for i in self.src],
                "b": [self.nodes[j] for j in self.dst],
                "weight": self.weight.astype(float),
            },
            schema={"a": pl.String, "b": pl.String, "weight": pl.Float64},
        )
        info = self._edge_info
        if info is None:
            info = _edge_info(self.layers)
            self._edge_info = info
        return base.join(info, on=["a", "b"], how="left")

    # -- derived graphs -------------------------------------------------------------------------
    def _replace(
        self,
        keep_nodes: np.ndarray | None = None,
        src=None,
        dst=None,
        weight=None,
        layers: pl.DataFrame | None = None,
        label: str | None = None,
    ) -> AllianceGraph:
        src = self.src if src is None else src
        dst = self.dst if dst is None else dst
        weight = self.weight if weight is None else weight
        nodes, theatre, names = self.nodes, self.theatre, self.names
        memberships = self.memberships
        if keep_nodes is not None:
            remap = np.full(self.n, -1, dtype=np.int64)
            remap[keep_nodes] = np.arange(len(keep_nodes))
            ok = (remap[src] >= 0) & (remap[dst] >= 0)
            src, dst, weight = remap[src[ok]], remap[dst[ok]], weight[ok]
            nodes = tuple(self.nodes[i] for i in keep_nodes)
            theatre = tuple(self.theatre[i] for i in keep_nodes)
            names = None if names is None else tuple(names[i] for i in keep_nodes)
            kept = set(nodes)
            memberships = {o: tuple(a for a in ms if a in kept) for o, ms in memberships.items()}
            if layers is None:
                layers = self.layers.filter(pl.col("a").is_in(nodes) & pl.col("b").is_in(nodes))
        return AllianceGraph(
            nodes=nodes,
            theatre=theatre,
            src=np.asarray(src, dtype=np.int64),
            dst=np.asarray(dst, dtype=np.int64),
            weight=np.asarray(weight, dtype=np.float64),
            label=self.label if label is None else label,
            on=self.on,
            source=self.source,
            names=names,
            memberships=memberships,
            _layers=layers,
        )

    def without(self, actors: Iterable[str]) -> AllianceGraph:
        """The graph with these actors and their ties removed."""
        drop = {self.require(a) for a in actors}
        keep = np.array([i for i in range(self.n) if i not in drop], dtype=np.int64)
        return self._replace(keep_nodes=keep)

    def subgraph(self, actors: Iterable[str]) -> AllianceGraph:
        """The graph induced by these actors (ids, organisations or blocs)."""
        ids = self.resolve(actors)
        keep = np.array(sorted(self.index[a] for a in ids), dtype=np.int64)
        return self._replace(keep_nodes=keep)

    def to_networkx(self, weighted: bool = True, details: bool = False):
        """A networkx Graph: node attributes ``theatre`` (and ``name``); edge ``weight`` and
        ``distance`` (1/weight, the length shortest-path measures use); with ``details`` also
        ``ties``, ``kinds`` and ``basis`` (strings, ';'-separated)."""
        import networkx as nx

        G = nx.Graph()
        for i, a in enumerate(self.nodes):
            attrs = {"theatre": self.theatre[i]}
            if self.names is not None:
                attrs["name"] = self.names[i]
            G.add_node(a, **attrs)
        w = self.weight if weighted else np.ones(self.m)
        for i, j, x in zip(self.src.tolist(), self.dst.tolist(), w.tolist(), strict=True):
            G.add_edge(self.nodes[i], self.nodes[j], weight=x, distance=1.0 / x)
        if details and self.m:
            for row in self.edges.iter_rows(named=True):
                G.edges[row["a"], row["b"]].update(
                    ties=row["ties"] or 0,
                    kinds=";".join(row["kinds"] or []),
                    basis=";".join(row["basis"] or []),
                    via=";".join(row["via"] or []),
                )
        return G


LAYER_SCHEMA = {
    "a": pl.String,
    "b": pl.String,
    "layer": pl.String,
    "strength": pl.Float64,
    "tie_id": pl.String,
    "via": pl.String,
}


def _edge_info(layers: pl.DataFrame) -> pl.DataFrame:
    return layers.group_by("a", "b").agg(
        pl.len().alias("ties"),
        pl.col("layer").unique().sort().alias("kinds"),
        pl.col("tie_id").drop_nulls().unique().sort().alias("basis"),
        pl.col("via").drop_nulls().unique().sort().alias("via"),
    )


def project_layers(
    layers: pl.DataFrame, nodes: Sequence[str], combine: str
) -> tuple[np.ndarray, ...]:
    choice(combine, COMBINE, "combine", "rule")
    if layers.height == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e.copy(), np.zeros(0)
    agg = pl.col("strength").sum() if combine == "sum" else pl.col("strength").max()
    proj = layers.group_by("a", "b").agg(agg.alias("w")).sort("a", "b")
    index = {a: i for i, a in enumerate(nodes)}
    src = np.array([index[a] for a in proj["a"].to_list()], dtype=np.int64)
    dst = np.array([index[b] for b in proj["b"].to_list()], dtype=np.int64)
    return src, dst, proj["w"].to_numpy().astype(np.float64)
