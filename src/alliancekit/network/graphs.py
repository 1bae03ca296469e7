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

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.data.projection import NOT_ALLIANCES  # noqa: F401 - its home; kept here too
from alliancekit.schema import THEATRES, TIE_KINDS, ParameterError

if TYPE_CHECKING:
    from alliancekit.data import Dataset

COMBINE = ("sum", "max")

# Named sets of actors that measures and filters accept beside actor and organisation ids.
BLOCS: dict[str, tuple[str, ...]] = {
    "IP4": ("AUS", "JPN", "KOR", "NZL"),
    "ADVERSARIES": ("CHN", "PRK", "RUS"),
}
ADVERSARIES = BLOCS["ADVERSARIES"]
DEFAULT_HUB = "USA"

# ATOP obligation types (columns atop_<type>) and their default strength on the codebook's
# ordinal scale: defence and offence pacts bind to fight (5, collective defence); neutrality 3;
# non-aggression 2; consultation 1 (dialogue).
ATOP_TYPES = ("defense", "offense", "neutral", "nonagg", "consul")
ATOP_STRENGTH: dict[str, int] = {"defense": 5, "offense": 5, "neutral": 3, "nonagg": 2, "consul": 1}


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


def _project(layers: pl.DataFrame, nodes: Sequence[str], combine: str) -> tuple[np.ndarray, ...]:
    if combine not in COMBINE:
        raise ParameterError(
            "combine", f"unknown rule {combine!r}; choose one of {', '.join(COMBINE)}"
        )
    if layers.height == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e.copy(), np.zeros(0)
    agg = pl.col("strength").sum() if combine == "sum" else pl.col("strength").max()
    proj = layers.group_by("a", "b").agg(agg.alias("w")).sort("a", "b")
    index = {a: i for i, a in enumerate(nodes)}
    src = np.array([index[a] for a in proj["a"]], dtype=np.int64)
    dst = np.array([index[b] for b in proj["b"]], dtype=np.int64)
    return src, dst, proj["w"].to_numpy().astype(np.float64)


def _scale(scale: Mapping[int, float] | None):
    if scale is None:
        return lambda s: float(s)
    bad = [k for k in range(1, 6) if k not in scale]
    if bad:
        raise ParameterError("scale", f"the strength scale must map every level 1–5; missing {bad}")
    if any(float(v) <= 0 for v in scale.values()):
        raise ParameterError("scale", "strengths must be positive")
    return lambda s: float(scale[int(s)])


def data_years(data: Dataset) -> tuple[int, int]:
    """First and last year of the curated data: the first tie in force to the as-of date."""
    first = data.ties["start"].drop_nulls().min()
    last = int(data.info.as_of[:4])
    return (first.year if first else last), last


def _as_day(on: dt.date | str | int) -> dt.date:
    from alliancekit.data import as_date

    return as_date(on, "year")


def check_kinds(kinds: Iterable[str] | None) -> tuple[str, ...] | None:
    if kinds is None:
        return None
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in TIE_KINDS]
    if bad:
        raise ParameterError(
            "kinds", f"unknown tie kind(s) {', '.join(bad)}; kinds: {', '.join(TIE_KINDS)}"
        )
    return kinds


def check_theatres(theatres: Iterable[str] | None) -> tuple[str, ...] | None:
    if theatres is None:
        return None
    theatres = tuple(theatres)
    bad = [t for t in theatres if t not in THEATRES]
    if bad:
        raise ParameterError(
            "theatre", f"unknown theatre(s) {', '.join(bad)}; choose from {', '.join(THEATRES)}"
        )
    return theatres


def build_graph(
    data: Dataset,
    on: dt.date | str | int,
    *,
    kinds: Iterable[str] | None = None,
    theatres: Iterable[str] | None = None,
    actors: Iterable[str] | None = None,
    scale: Mapping[int, float] | None = None,
    combine: str = "sum",
    partnerships: bool = True,
    check_year: bool = True,
) -> AllianceGraph:
    """The state graph of the curated ties in force on a day (a bare year: its 31 December).

    kinds: keep only instruments of these tie kinds (``member`` keeps memberships).
    theatres: keep only states of these theatres (add ``global`` to keep the United States).
    actors: keep only these states (organisation ids and bloc names such as ``IP4`` stand for
    their members on that date); they are nodes even without ties.
    scale: maps the ordinal strengths 1–5 to weights (default: the levels themselves).
    combine: how the strengths of several instruments between one pair add up (``sum``, ``max``).
    partnerships: project a state's ties with an organisation (IPCP with NATO, a mission to
    NATO) onto ties with its members; when False such ties are left out.

    The ties are projected onto states by :func:`alliancekit.data.projection.state_pairs`
    (the rule the panels' ``tie_<kind>`` columns follow too): ties with the UN Security
    Council (:data:`NOT_ALLIANCES`) are left out, as sitting on it together is not an
    alliance; a tie with an organisation, or between two, joins their members.

    Parameters
    ----------
    data : Dataset
        The curated tables (:func:`alliancekit.load`), with any extension files.
    on : datetime.date, str or int
        The day (an ISO date text, or a year: its 31 December).
    kinds, theatres, actors : iterable of str, optional
        Filters, as above.
    scale : mapping of int to float, optional
        Weights of the strengths 1-5.
    combine : {"sum", "max"}
        How several instruments between one pair add up.
    partnerships : bool
        Project ties with organisations onto their members.
    check_year : bool
        Refuse a day outside the curated span.

    Returns
    -------
    AllianceGraph
        The undirected, weighted state graph.

    Raises
    ------
    ParameterError
        For an unknown kind, theatre or actor, a malformed date or a year outside the data.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import build_graph
    >>> build_graph(load(), 2025)
    AllianceGraph(curated ties in force on 2025-12-31: 63 states, 727 ties)
    >>> build_graph(load(), 2025, theatres=["indo_pacific"]).n < 63
    True
    """
    day = _as_day(on)
    as_of = dt.date.fromisoformat(data.info.as_of)
    if isinstance(on, int) and on == as_of.year:
        day = as_of  # the current year: the data's as-of date, not a future 31 December
    if check_year:
        first, last = data_years(data)
        if not first <= day.year <= last:
            raise ParameterError(
                "year",
                f"{day.year} is outside the curated data ({first}–{last}); "
                "use --source atop for historical years",
            )
    kinds = check_kinds(kinds)
    theatres = check_theatres(theatres)
    to_weight = _scale(scale)
    from alliancekit.data import in_force_on
    from alliancekit.data.projection import project

    actor_rows = data.actors.select("actor_id", "kind", "theatre", "name")
    akind = dict(zip(actor_rows["actor_id"], actor_rows["kind"], strict=True))
    atheatre = dict(zip(actor_rows["actor_id"], actor_rows["theatre"], strict=True))
    aname = dict(zip(actor_rows["actor_id"], actor_rows["name"], strict=True))
    # The ties in force that day, projected onto states by the one rule of
    # alliancekit.data.projection (UNSC left out, organisations through their members).
    ties = in_force_on(data.ties, day)
    pairs, own = project(ties, data.actors)
    members: dict[str, list[str]] = {}
    for org, member in own.select("org", "member").iter_rows():
        members.setdefault(org, []).append(member)
    memberships = {org: tuple(sorted(set(ms))) for org, ms in members.items()}
    if kinds is not None:
        pairs = pairs.filter(pl.col("kind").is_in(kinds))
    if not partnerships:  # only ties between states, and co-membership
        pairs = pairs.filter(pl.col("via").is_null() | (pl.col("kind") == "member"))
    weights = pairs.get_column("strength").unique().to_list()
    layers = pairs.select(
        "a",
        "b",
        pl.col("kind").alias("layer"),
        pl.col("strength").replace_strict(
            weights, [to_weight(s) for s in weights], return_dtype=pl.Float64
        ),
        "tie_id",
        "via",
    )

    keep: set[str] | None = None
    if actors is not None:
        keep = set()
        for name in actors:
            if name in memberships:
                keep.update(memberships[name])
            elif name in BLOCS:
                keep.update(BLOCS[name])
            elif akind.get(name) == "state":
                keep.add(name)
            elif name in akind:
                keep.update(members.get(name, ()))  # an organisation with no members that day
            else:
                raise ParameterError(
                    "actors", f"unknown actor {name!r}; see 'alliancekit data show actors'"
                )
    if theatres is not None:
        allowed = {a for a, t in atheatre.items() if t in theatres}
        keep = allowed if keep is None else keep & allowed
    if keep is not None:
        layers = layers.filter(pl.col("a").is_in(sorted(keep)) & pl.col("b").is_in(sorted(keep)))
    nodes_set = set(layers["a"].to_list()) | set(layers["b"].to_list())
    if actors is not None and keep is not None:
        nodes_set |= {a for a in keep if akind.get(a) == "state"}
    nodes = tuple(sorted(nodes_set))
    src, dst, weight = _project(layers, nodes, combine)
    label = f"curated ties in force on {day.isoformat()}"
    kept = set(nodes)
    return AllianceGraph(
        nodes=nodes,
        theatre=tuple(atheatre[a] for a in nodes),
        src=src,
        dst=dst,
        weight=weight,
        label=label,
        on=day,
        source="curated",
        names=tuple(aname[a] for a in nodes),
        memberships={o: tuple(a for a in ms if a in kept) for o, ms in memberships.items()},
        _layers=layers,
    )


def two_mode(data: Dataset, on: dt.date | str | int) -> AllianceGraph:
    """The two-mode graph of the ties in force on a day: states *and* organisations/frameworks
    are nodes; member ties join a state to its organisation (no projection).

    Parameters
    ----------
    data : Dataset
        The curated tables.
    on : datetime.date, str or int
        The day (a year: its 31 December).

    Returns
    -------
    AllianceGraph
        States and organisations as nodes, memberships and partnerships as ties.

    Raises
    ------
    ParameterError
        For a malformed date.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.network import two_mode
    >>> two_mode(load(), 2025)
    AllianceGraph(two-mode graph of the ties in force on 2025-12-31: 72 states, 208 ties)
    """
    from alliancekit.data import in_force_on

    day = _as_day(on)
    actor_rows = data.actors.select("actor_id", "theatre", "name", "kind")
    atheatre = dict(zip(actor_rows["actor_id"], actor_rows["theatre"], strict=True))
    aname = dict(zip(actor_rows["actor_id"], actor_rows["name"], strict=True))
    ties = in_force_on(data.ties, day)
    rows = [
        ((a, b) if a < b else (b, a)) + (kind, float(s), tid, None)
        for tid, kind, a, b, s in ties.select(
            "tie_id", "kind", "actor_a", "actor_b", "strength"
        ).iter_rows()
    ]
    layers = pl.DataFrame(rows, schema=LAYER_SCHEMA, orient="row")
    nodes = tuple(sorted(set(layers["a"].to_list()) | set(layers["b"].to_list())))
    src, dst, weight = _project(layers, nodes, "sum")
    return AllianceGraph(
        nodes=nodes,
        theatre=tuple(atheatre[a] for a in nodes),
        src=src,
        dst=dst,
        weight=weight,
        label=f"two-mode graph of the ties in force on {day.isoformat()}",
        on=day,
        source="curated-two-mode",
        names=tuple(aname[a] for a in nodes),
        _layers=layers,
    )


# ---------------------------------------------------------------------------------------------
# ATOP


def cow_theatre(code: int) -> str:
    """Theatre of a COW state code not in the curated actors: Europe (200–399) and Canada are
    euro_atlantic, Asia and Oceania (700–999) indo_pacific, the United States global, the rest
    other."""
    if code == 2:
        return "global"
    if code == 20 or 200 <= code < 400:
        return "euro_atlantic"
    if 700 <= code < 1000:
        return "indo_pacific"
    return "other"


_ISO3_OF_COW: dict[int, str | None] = {}


def _iso3_of_cow(codes: list[int]) -> dict[int, str | None]:
    """ISO3 codes of COW codes (via countrycode; cached; None when it has none)."""
    todo = [c for c in codes if c not in _ISO3_OF_COW]
    if todo:
        try:
            from alliancekit.codes import convert

            out = convert(todo, "cown", "iso3c")
        except Exception:  # noqa: BLE001 - labels only: fall back to COW<code>
            out = [None] * len(todo)
        _ISO3_OF_COW.update(zip(todo, out, strict=True))
    return {c: _ISO3_OF_COW[c] for c in codes}


def cow_labels(codes: Iterable[int], data: Dataset | None = None) -> dict[int, tuple[str, str]]:
    """Node id and theatre for COW codes: the curated actor id and theatre where the actors
    table codes the state; else its ISO3 code (unless another node already has it) and
    :func:`cow_theatre`; else ``COW<code>``."""
    codes = sorted({int(c) for c in codes})
    known: dict[int, tuple[str, str]] = {}
    if data is not None:
        for aid, cow, th in data.actors.select("actor_id", "cow_code", "theatre").iter_rows():
            if cow is not None:
                known[int(cow)] = (aid, th)
    used = {aid for aid, _ in known.values()}
    iso = _iso3_of_cow([c for c in codes if c not in known])
    out: dict[int, tuple[str, str]] = {}
    for c in codes:
        if c in known:
            out[c] = known[c]
            continue
        label = iso.get(c)
        if not label or label in used:
            label = f"COW{c}"
        used.add(label)
        out[c] = (label, cow_theatre(c))
    return out


def atop_pairs(
    df: pl.DataFrame,
    types: Sequence[str] = ATOP_TYPES,
    strength: Mapping[str, float] | None = None,
    combine: str = "max",
) -> pl.DataFrame:
    """Undirected ATOP dyad-years with the projected weight: year, ccode1 < ccode2, weight and
    one 0/1 column per obligation type kept. The weight combines the strengths of the
    obligations the pair holds (``max``: the strongest, the default; ``sum``)."""
    strength = dict(ATOP_STRENGTH if strength is None else strength)
    bad = [t for t in types if t not in ATOP_TYPES]
    if bad:
        raise ParameterError(
            "types", f"unknown ATOP obligation(s) {', '.join(bad)}; types: {', '.join(ATOP_TYPES)}"
        )
    if combine not in COMBINE:
        raise ParameterError(
            "combine", f"unknown rule {combine!r}; choose one of {', '.join(COMBINE)}"
        )
    need = ["ccode1", "ccode2", "year", *(f"atop_{t}" for t in types)]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ParameterError("atop", f"the ATOP table lacks column(s) {', '.join(missing)}")
    terms = [pl.col(f"atop_{t}").fill_null(0).cast(pl.Float64) * float(strength[t]) for t in types]
    w = pl.max_horizontal(terms) if combine == "max" else pl.sum_horizontal(terms)
    lo = pl.min_horizontal("ccode1", "ccode2").cast(pl.Int64)
    hi = pl.max_horizontal("ccode1", "ccode2").cast(pl.Int64)
    return (
        df.lazy()
        .with_columns(c1=lo, c2=hi, weight=w)
        .filter((pl.col("c1") != pl.col("c2")) & (pl.col("weight") > 0))
        .group_by("year", "c1", "c2")
        .agg(pl.col("weight").max(), *(pl.col(f"atop_{t}").max() for t in types))
        .rename({"c1": "ccode1", "c2": "ccode2"})
        .sort("year", "ccode1", "ccode2")
        .collect()
    )


def graphs_from_atop(
    df: pl.DataFrame,
    years: Iterable[int] | None = None,
    *,
    types: Sequence[str] = ATOP_TYPES,
    strength: Mapping[str, float] | None = None,
    combine: str = "max",
    data: Dataset | None = None,
) -> dict[int, AllianceGraph]:
    """One graph per year of an ATOP dyad-year table (ccode1, ccode2, year, atop_defense,
    atop_offense, atop_neutral, atop_nonagg, atop_consul), as imported into the catalog.

    Nodes are the states with an obligation that year, named by their curated actor id where
    the actors table codes them (``USA``, ``JPN``; ``data`` defaults to the curated data when it
    loads), else by ISO3 code, else ``COW<code>`` (e.g. ``COW260``, the German Federal Republic). Layers are the obligation types; the projection weight
    is the strongest obligation (:data:`ATOP_STRENGTH`, or ``combine="sum"``).

    Parameters
    ----------
    df : polars.DataFrame
        The ATOP dyad-years (``alliancekit data import atop``, then the catalog's ``atop``).
    years : iterable of int, optional
        The years (default: every year of the table).
    types : sequence of str
        The obligation types that make a tie.
    strength : mapping of str to float, optional
        The weight of each type (default :data:`ATOP_STRENGTH`).
    combine : {"max", "sum"}
        How several obligations between one pair add up.
    data : Dataset, optional
        The curated tables, for actor ids.

    Returns
    -------
    dict of int to AllianceGraph

    Raises
    ------
    ParameterError
        For a missing column, an unknown type or ``combine``.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit.network import graphs_from_atop
    >>> atop = pl.DataFrame({"ccode1": [2, 2], "ccode2": [740, 732], "year": [2018, 2018],
    ...     "atop_defense": [1, 1], "atop_offense": [0, 0], "atop_neutral": [0, 0],
    ...     "atop_nonagg": [0, 0], "atop_consul": [1, 1]})
    >>> graphs_from_atop(atop)[2018].nodes
    ('JPN', 'KOR', 'USA')
    """
    pairs = atop_pairs(df, types, strength, combine)
    if years is not None:
        wanted = sorted(set(int(y) for y in years))
        pairs = pairs.filter(pl.col("year").is_in(wanted))
    if data is None:
        try:
            from alliancekit.data import load

            data = load()
        except Exception:  # noqa: BLE001 - the curated data are only used for labels
            data = None
    codes = np.unique(np.concatenate([pairs["ccode1"].to_numpy(), pairs["ccode2"].to_numpy()]))
    labels = cow_labels(codes.tolist(), data)
    strength = dict(ATOP_STRENGTH if strength is None else strength)
    out: dict[int, AllianceGraph] = {}
    for (year,), part in pairs.partition_by("year", as_dict=True, maintain_order=True).items():
        a = part["ccode1"].to_numpy()
        b = part["ccode2"].to_numpy()
        m = len(a)
        ucodes, inv = np.unique(np.concatenate([a, b]), return_inverse=True)
        ids = [labels[int(c)][0] for c in ucodes]
        order = np.argsort(ids, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        s, d = rank[inv[:m]], rank[inv[m:]]
        lo, hi = np.minimum(s, d), np.maximum(s, d)
        nodes = tuple(ids[i] for i in order)
        out[int(year)] = _AtopGraph(
            nodes=nodes,
            theatre=tuple(labels[int(ucodes[i])][1] for i in order),
            src=lo.astype(np.int64),
            dst=hi.astype(np.int64),
            weight=part["weight"].to_numpy().astype(np.float64),
            label=f"ATOP obligations in {int(year)}",
            on=dt.date(int(year), 12, 31),
            source="atop",
            _wide=part,
            _types=tuple(types),
            _strength=strength,
        )
    return out


@dataclass(eq=False)
class _AtopGraph(AllianceGraph):
    """An ATOP year: the multiplex is built from the obligation columns on first use."""

    _wide: pl.DataFrame | None = None
    _types: tuple[str, ...] = ATOP_TYPES
    _strength: dict[str, float] = field(default_factory=dict)

    @property
    def layers(self) -> pl.DataFrame:
        if self._layers is None and self._wide is not None:
            idx = {i: a for i, a in enumerate(self.nodes)}
            a = [idx[i] for i in self.src]
            b = [idx[j] for j in self.dst]
            frames = []
            for t in self._types:
                mask = self._wide[f"atop_{t}"].to_numpy() > 0
                frames.append(
                    pl.DataFrame(
                        {
                            "a": [x for x, k in zip(a, mask, strict=True) if k],
                            "b": [y for y, k in zip(b, mask, strict=True) if k],
                            "layer": [t] * int(mask.sum()),
                            "strength": [float(self._strength[t])] * int(mask.sum()),
                            "tie_id": [None] * int(mask.sum()),
                            "via": [None] * int(mask.sum()),
                        },
                        schema=LAYER_SCHEMA,
                    )
                )
            self._layers = pl.concat(frames)
        return super().layers
