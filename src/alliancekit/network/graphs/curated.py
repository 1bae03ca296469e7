"""State graphs of the curated ties: :func:`build_graph` (a day's ties projected onto states by
:mod:`alliancekit.data.projection`) and the two-mode graph :func:`two_mode`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import polars as pl

from alliancekit.network.graphs.container import BLOCS, LAYER_SCHEMA, AllianceGraph, project_layers
from alliancekit.schema import THEATRES, TIE_KINDS, ParameterError, choices

if TYPE_CHECKING:
    from alliancekit.data import Dataset


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
    return tuple(choices(theatres, THEATRES, "theatre", "theatre"))


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
                "on",
                f"{day.year} is outside the curated data ({first}–{last}); "
                'for historical years use the ATOP graph (source="atop"; CLI: --source atop)',
            )
    kinds = check_kinds(kinds)
    theatres = check_theatres(theatres)
    to_weight = _scale(scale)
    from alliancekit.data.projection import in_force_on

    actor = data.actors.select("actor_id", "kind", "theatre", "name").to_dict(as_series=False)
    akind = dict(zip(actor["actor_id"], actor["kind"], strict=True))
    atheatre = dict(zip(actor["actor_id"], actor["theatre"], strict=True))
    aname = dict(zip(actor["actor_id"], actor["name"], strict=True))
    # The ties in force that day, projected onto states by the one rule of
    # alliancekit.data.projection (UNSC left out, organisations through their members): all
    # the ties are projected once per dataset and the pairs in force that day kept, the same
    # pairs as projecting that day's ties, for a fraction of the time of a series of graphs.
    all_pairs, all_own = data.projected
    pairs, own = in_force_on(all_pairs, day), in_force_on(all_own, day)
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
    src, dst, weight = project_layers(layers, nodes, combine)
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
    src, dst, weight = project_layers(layers, nodes, "sum")
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
