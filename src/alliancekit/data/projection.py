"""The curated ties projected onto pairs of states: one rule for the graphs and the panels.

The curated ties join states, organisations and frameworks (:mod:`alliancekit.data`). The
state graph (:func:`alliancekit.network.build_graph`) and the dyad-year panels
(:func:`alliancekit.panels.add_ties`) both need them as ties between two *states*; both take
them from :func:`state_pairs`, which decides once:

In force
    A tie holds from its ``start`` (``in_force``, else ``signed``) to the day before its
    ``end`` (``ended``: the first day no longer in force); no end: still in force. A tie with no
    start, or one that ends on or before it starts, is never in force. A projected pair holds on
    the days *all* the ties it rests on hold (the intersection of their spells).
Not alliances (:data:`NOT_ALLIANCES`)
    Ties with the UN Security Council are left out, memberships included: sitting on it together
    is not an alliance, and its permanent members would otherwise be tied to each other as
    members of one body.
State and state
    The pair itself (``via`` empty).
Membership (``member``, ``actor_a`` the member, ``actor_b`` the organisation or framework)
    Two states that are members of the same organisation on a common day are a ``member`` pair
    on those days (``via`` the organisation), its strength the lower of the two memberships'
    (NATO's 5 joins two NATO members; a NATO member and a Quad member share nothing through
    either), its ``tie_id`` the two membership ids joined by ``+``. A membership whose member is
    not a state (an organisation in another) makes no pair.
State and organisation (any other kind: Japan's IPCP with NATO, a mission to NATO)
    The state and each member of the organisation, on the days both the tie and that member's
    membership hold (``via`` the organisation); the tie's own kind and strength.
Organisation and organisation (the EU–NATO joint declaration, in an extension file)
    Each member of the one and each member of the other, on the days the tie and both
    memberships hold (``via`` the two ids, ``"EU+NATO"``); the tie's kind and strength. A state
    in both is not tied to itself.
Direction
    Pairs are unordered: ``a < b`` (actor ids). The two directed kinds (``diplomatic_mission``,
    ``exercise_participation``) are projected as ties between the two states too.
Several instruments
    A pair appears once per instrument it rests on (two states in NATO and the EU: two
    ``member`` rows); the graph's weights combine them, the panels' ``tie_<kind>`` flags and
    the portfolios of :func:`alliancekit.panels.add_fpsim` (``source="curated"``) read them.

Tie strength and valuation (:func:`tie_values`)
    Every pair carries its instrument's strength on the codebook's ordinal scale (5 collective
    defence ... 1 presence). :data:`VALUATIONS` name the ways to value a pair's ties as one
    integer: ``"strength"`` (the strongest instrument's strength, 1-5), ``"binary"`` (1 for any
    tie), ``"alliance"`` (1 for collective defence, strength 5, only); or a mapping of tie kinds
    to non-negative integers (the highest value among the pair's instruments; kinds not named
    count 0).

References
----------
The curated dataset's codebook: ``src/alliancekit/data/README.md`` (tie kinds, strength scale,
"Ties between states").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from alliancekit.schema import TIE_KINDS, ParameterError

# Bodies whose membership is not an alliance: never projected onto ties between members.
NOT_ALLIANCES = ("UNSC",)

PAIR_SCHEMA = {
    "a": pl.String,
    "b": pl.String,
    "kind": pl.String,
    "strength": pl.Int64,
    "tie_id": pl.String,
    "via": pl.String,
    "start": pl.Date,
    "end": pl.Date,
}
MEMBERSHIP_SCHEMA = {
    "org": pl.String,
    "member": pl.String,
    "tie_id": pl.String,
    "strength": pl.Int64,
    "start": pl.Date,
    "end": pl.Date,
}
VALUATIONS = ("strength", "binary", "alliance")


def _held(ties: pl.DataFrame) -> list[tuple]:
    """The ties ever in force, without those of :data:`NOT_ALLIANCES`, as row tuples
    (tie_id, kind, actor_a, actor_b, strength, start, end)."""
    # a table without strengths (a user's ties for the panels, which read no strength):
    # the pairs' strengths are null
    strength = "strength" if "strength" in ties.columns else pl.lit(None, pl.Int64)
    return [
        row
        for row in ties.select(
            "tie_id", "kind", "actor_a", "actor_b", strength, "start", "end"
        ).iter_rows()
        if row[5] is not None
        and (row[6] is None or row[6] > row[5])
        and row[2] not in NOT_ALLIANCES
        and row[3] not in NOT_ALLIANCES
    ]


def _states(actors: pl.DataFrame) -> set[str]:
    return set(actors.filter(pl.col("kind") == "state").get_column("actor_id").to_list())


def _member_rows(held: list[tuple], states: set[str]) -> list[tuple]:
    """(org, member, tie_id, strength, start, end) of the memberships of states."""
    return sorted(
        (b, a, tid, s, lo, hi)
        for tid, kind, a, b, s, lo, hi in held
        if kind == "member" and a in states and b not in states
    )


def memberships(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """The states' memberships of organisations and frameworks, by the rules above.

    Parameters
    ----------
    ties : polars.DataFrame
        Curated ties (``Dataset.ties``, or part of it such as those in force on a day).
    actors : polars.DataFrame
        The actors table (``Dataset.actors``).

    Returns
    -------
    polars.DataFrame
        org, member (a state), tie_id, strength, start, end (``end`` the first day no longer
        a member; null: still one), sorted by org and member.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.data.projection import memberships
    >>> data = load()
    >>> m = memberships(data.ties, data.actors)
    >>> m.filter(org="NATO", member="POL").select("start", "end").row(0)
    (datetime.date(1999, 3, 12), None)
    """
    rows = _member_rows(_held(ties), _states(actors))
    return pl.DataFrame(rows, schema=MEMBERSHIP_SCHEMA, orient="row")


def _overlap(lo1, hi1, lo2, hi2) -> tuple | None:
    """The intersection of two spells [lo, hi) (hi None: open), or None when it is empty."""
    lo = lo1 if lo1 > lo2 else lo2
    hi = hi1 if hi2 is None else (hi2 if hi1 is None or hi2 < hi1 else hi1)
    return None if hi is not None and hi <= lo else (lo, hi)


def state_pairs(ties: pl.DataFrame, actors: pl.DataFrame) -> pl.DataFrame:
    """The curated ties as ties between two states, by the rules of the module notes.

    Parameters
    ----------
    ties : polars.DataFrame
        Curated ties (``Dataset.ties``, with any extension files; or part of it: the graph of
        one day passes the ties in force that day, whose pairs are then all in force on it).
    actors : polars.DataFrame
        The actors table (``Dataset.actors``).

    Returns
    -------
    polars.DataFrame
        One row per instrument and pair of states: a, b (actor ids, ``a < b``), kind,
        strength (1-5), tie_id, via (the organisation(s) it runs through; null for a tie
        between the two states), start, end (the pair's first day, and first day no longer in
        force; null: still in force). Sorted by a, b, kind, tie_id, start.

    Raises
    ------
    polars.exceptions.ColumnNotFoundError
        When a table lacks a column of the curated layout (``load()`` always has them).

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.data.projection import state_pairs
    >>> data = load()
    >>> pairs = state_pairs(data.ties, data.actors)
    >>> pairs.filter(a="FRA", b="USA", kind="member").select("via", "strength", "start").row(0)
    ('NATO', 5, datetime.date(1949, 8, 24))
    >>> pairs.filter(via="UNSC").height  # the Security Council is not an alliance
    0
    """
    return project(ties, actors)[0]


def project(ties: pl.DataFrame, actors: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`state_pairs` and :func:`memberships` of the same ties, computed together.

    Parameters
    ----------
    ties, actors : polars.DataFrame
        As for :func:`state_pairs`.

    Returns
    -------
    tuple of polars.DataFrame
        The pairs and the memberships.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.data.projection import project
    >>> data = load()
    >>> pairs, members = project(data.ties, data.actors)
    >>> sorted(members.filter(org="AUKUS").get_column("member"))
    ['AUS', 'GBR', 'USA']
    """
    # Plain Python over the rows: a few hundred ties, and the graph of a day (built often)
    # costs a quarter of what a dozen polars joins on such small tables do.
    held = _held(ties)
    states = _states(actors)
    member_rows = _member_rows(held, states)
    members: dict[str, list[tuple]] = {}
    for org, m, tid, s, lo, hi in member_rows:
        members.setdefault(org, []).append((m, tid, s, lo, hi))
    rows: list[tuple] = []
    add = rows.append

    for tid, kind, a, b, s, lo, hi in held:
        if kind == "member":
            continue
        if a in states and b in states:
            if a != b:
                add(
                    (a, b, kind, s, tid, None, lo, hi)
                    if a < b
                    else (b, a, kind, s, tid, None, lo, hi)
                )
        elif a in states or b in states:  # a state and an organisation
            state, org = (a, b) if a in states else (b, a)
            for m, _, _, mlo, mhi in members.get(org, ()):
                spell = _overlap(lo, hi, mlo, mhi)
                if m != state and spell is not None:
                    x, y = (state, m) if state < m else (m, state)
                    add((x, y, kind, s, tid, org, *spell))
        else:  # two organisations
            via = f"{a}+{b}"
            for m1, _, _, lo1, hi1 in members.get(a, ()):
                first = _overlap(lo, hi, lo1, hi1)
                if first is None:
                    continue
                for m2, _, _, lo2, hi2 in members.get(b, ()):
                    spell = _overlap(*first, lo2, hi2)
                    if m1 != m2 and spell is not None:
                        x, y = (m1, m2) if m1 < m2 else (m2, m1)
                        add((x, y, kind, s, tid, via, *spell))
    for org, ms in members.items():  # sorted by member: x < y below
        for i, (x, tx, sx, lox, hix) in enumerate(ms):
            for y, ty, sy, loy, hiy in ms[i + 1 :]:
                spell = _overlap(lox, hix, loy, hiy)
                if x != y and spell is not None:  # x == y: one state's two spells
                    s = sx if sy is None or (sx is not None and sx < sy) else sy
                    add((x, y, "member", s, f"{tx}+{ty}", org, *spell))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(PAIR_SCHEMA)
    frame = pl.DataFrame(
        {name: list(col) for name, col in zip(PAIR_SCHEMA, columns, strict=True)},
        schema=PAIR_SCHEMA,
    )
    own = pl.DataFrame(member_rows, schema=MEMBERSHIP_SCHEMA, orient="row")
    return frame.sort("a", "b", "kind", "tie_id", "start"), own


def in_force_on(pairs: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """The pairs in force on ``day`` (``start <= day < end``)."""
    return pairs.filter(
        (pl.col("start") <= day) & (pl.col("end").is_null() | (pl.col("end") > day))
    )


def in_force_during(pairs: pl.DataFrame, year: int) -> pl.DataFrame:
    """The pairs in force on at least one day of ``year`` (the rule of yearly panels)."""
    return pairs.filter(
        (pl.col("start") <= dt.date(year, 12, 31))
        & (pl.col("end").is_null() | (pl.col("end") > dt.date(year, 1, 1)))
    )


def check_valuation(valuation: str | Mapping[str, int]) -> dict[str, int] | str:
    """``valuation`` checked: a name of :data:`VALUATIONS`, or a mapping of tie kinds to
    non-negative integers with a top of at least 1; else a :class:`ParameterError` naming
    ``valuation``."""
    if isinstance(valuation, str):
        if valuation not in VALUATIONS:
            raise ParameterError(
                "valuation",
                f"choose {', '.join(VALUATIONS)} or a mapping of tie kinds, not {valuation!r}",
            )
        return valuation
    values = dict(valuation)
    bad = [k for k in values if k not in TIE_KINDS]
    if bad or not values:
        raise ParameterError(
            "valuation",
            f"unknown tie kind(s) {', '.join(map(str, bad)) or '(none given)'}; "
            f"kinds: {', '.join(TIE_KINDS)}",
        )
    if any(not isinstance(v, int) or v < 0 for v in values.values()) or max(values.values()) < 1:
        raise ParameterError("valuation", "tie values must be non-negative integers, top >= 1")
    return values


def top_value(valuation: str | Mapping[str, int]) -> int:
    """The highest value a tie can take under ``valuation`` (5 for ``"strength"``)."""
    v = check_valuation(valuation)
    if isinstance(v, dict):
        return max(v.values())
    return 5 if v == "strength" else 1


def tie_values(pairs: pl.DataFrame, valuation: str | Mapping[str, int] = "strength") -> pl.Expr:
    """The value of each pair's instrument under ``valuation``, as an expression on ``pairs``
    (its columns kind and strength).

    Parameters
    ----------
    pairs : polars.DataFrame
        Rows of :func:`state_pairs` (only its columns are read, to check them).
    valuation : {"strength", "binary", "alliance"} or mapping of str to int
        See the module notes.

    Returns
    -------
    polars.Expr
        An Int64 expression: the instrument's value (0: no tie under this valuation).

    Raises
    ------
    ParameterError
        For an unknown valuation or tie kind, or a negative value.

    Examples
    --------
    >>> from alliancekit import load
    >>> from alliancekit.data.projection import state_pairs, tie_values
    >>> data = load()
    >>> p = state_pairs(data.ties, data.actors).filter(a="JPN", b="USA")
    >>> p.select(v=tie_values(p, "alliance")).get_column("v").max()
    1
    >>> p.select(v=tie_values(p, {"acsa": 2})).get_column("v").max()
    2
    """
    missing = [c for c in ("kind", "strength") if c not in pairs.columns]
    if missing:
        raise ParameterError("pairs", f"the pairs lack column(s) {', '.join(missing)}")
    v = check_valuation(valuation)
    if v == "strength":
        return pl.col("strength").cast(pl.Int64)
    if v == "binary":
        return pl.lit(1, pl.Int64)
    if v == "alliance":
        return (pl.col("strength") >= 5).cast(pl.Int64)
    return pl.col("kind").replace_strict(v, default=0, return_dtype=pl.Int64)
