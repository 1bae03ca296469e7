"""How sensitive a network measure is to what was curated.

A measure computed on curated ties reflects what the curators found as much as the world. This
module recomputes measures on variants of the data that leave out the parts most exposed to
uneven curation (see :mod:`alliancekit.data.coverage` for the terms):

* ``all``: every tie;
* ``no_bilateral``: the agreement ties between two states (bilateral agreements) left out;
  memberships and a state's instruments with an organisation stay;
* ``no_<ACTOR>``: for each of the best-covered states (most agreement ties), every agreement
  tie it is a party to left out (its memberships stay).

>>> from alliancekit.data import load
>>> from alliancekit.network.sensitivity import HEADLINES, sensitivity
>>> sensitivity(load(), 2025, HEADLINES)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import polars as pl

from alliancekit.data.coverage import best_covered, is_agreement
from alliancekit.network.graphs import DEFAULT_HUB, AllianceGraph, build_graph
from alliancekit.schema import AlliancekitError, ParameterError

if TYPE_CHECKING:
    from alliancekit.data import Dataset

Measure = Callable[[AllianceGraph], float]


def _hub_betweenness(g: AllianceGraph) -> float:
    from alliancekit.network.measures import betweenness

    return betweenness(g).get(DEFAULT_HUB, math.nan)


def _hub_spoke_ip(g: AllianceGraph) -> float:
    from alliancekit.network.measures import hub_and_spoke_index

    return hub_and_spoke_index(g, "indo_pacific") if DEFAULT_HUB in g else math.nan


def _pairs_through_hub(g: AllianceGraph) -> float:
    from alliancekit.network.measures import hub_dependence

    return hub_dependence(g)["pairs_through_hub"] if DEFAULT_HUB in g else math.nan


# The headline measures of the report's network sections.
HEADLINES: dict[str, Measure] = {
    "hub_betweenness": _hub_betweenness,
    "hub_spoke_indo_pacific": _hub_spoke_ip,
    "hub_pairs_through": _pairs_through_hub,
}


def _state_ids(data: Dataset) -> list[str]:
    return data.actors.filter(pl.col("kind") == "state")["actor_id"].to_list()


def without_bilateral(data: Dataset) -> Dataset:
    """``data`` with the agreement ties between two states left out."""
    states = _state_ids(data)
    bilateral = is_agreement() & pl.col("actor_a").is_in(states) & pl.col("actor_b").is_in(states)
    return dataclasses.replace(data, ties=data.ties.filter(~bilateral))


def without_agreements_of(data: Dataset, actor: str) -> Dataset:
    """``data`` with every agreement tie of ``actor`` left out (its memberships stay)."""
    if actor not in data.actor_ids():
        raise ParameterError("actor", f"unknown actor {actor!r}")
    party = (pl.col("actor_a") == actor) | (pl.col("actor_b") == actor)
    return dataclasses.replace(data, ties=data.ties.filter(~(is_agreement() & party)))


def variants(data: Dataset, n_best: int = 3) -> list[tuple[str, str, Dataset]]:
    """The data variants, as (variant, what is left out, data): ``all``, ``no_bilateral`` and
    ``no_<ACTOR>`` for the ``n_best`` best-covered states."""
    out = [
        ("all", "nothing", data),
        ("no_bilateral", "agreement ties between two states", without_bilateral(data)),
    ]
    for actor in best_covered(data.ties, data.actors, n_best):
        out.append(
            (f"no_{actor}", f"agreement ties of {actor}", without_agreements_of(data, actor))
        )
    return out


def sensitivity(
    data: Dataset,
    on: dt.date | str | int,
    measures: Mapping[str, Measure] = HEADLINES,
    n_best: int = 3,
    graph: AllianceGraph | None = None,
) -> pl.DataFrame:
    """Each measure on the graph of ``on`` for every variant of the data (:func:`variants`).

    ``measures`` maps a name to a function of an :class:`AllianceGraph` returning a number.
    ``graph``: the graph of all of ``data`` on ``on``, when the caller has built it already
    (the ``all`` variant then uses it, and the measures it has computed and cached).
    Columns: variant, left_out, ties (curated ties in the variant), measure, value (NaN where
    the measure cannot be computed on the variant).
    """
    if not measures:
        raise ParameterError("measures", "give at least one measure")
    rows = []
    for variant, left_out, d in variants(data, n_best):
        try:
            g = graph if variant == "all" and graph is not None else build_graph(d, on)
        except AlliancekitError:
            g = None
        for name, fn in measures.items():
            value = math.nan
            if g is not None:
                try:
                    value = float(fn(g))
                except AlliancekitError:
                    value = math.nan
            rows.append((variant, left_out, d.ties.height, name, value))
    return pl.DataFrame(
        rows,
        schema={
            "variant": pl.String,
            "left_out": pl.String,
            "ties": pl.Int64,
            "measure": pl.String,
            "value": pl.Float64,
        },
        orient="row",
    )


def value_range(table: pl.DataFrame, measure: str) -> tuple[float, float]:
    """Lowest and highest value of ``measure`` over the variants of a :func:`sensitivity`
    table (NaN left out; ``(nan, nan)`` when none is a number)."""
    vals = table.filter((pl.col("measure") == measure) & pl.col("value").is_not_nan())["value"]
    if vals.is_empty():
        if measure not in set(table["measure"].to_list()):
            raise ParameterError("measure", f"no measure {measure!r} in the table")
        return math.nan, math.nan
    return float(vals.min()), float(vals.max())
