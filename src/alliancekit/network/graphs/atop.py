"""State graphs of ATOP obligations, one per year of the imported dyad-year table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.network.graphs.container import COMBINE, LAYER_SCHEMA, AllianceGraph
from alliancekit.network.graphs.labels import cow_labels
from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.data import Dataset

# ATOP obligation types (columns atop_<type>) and their default strength on the codebook's
# ordinal scale: defence and offence pacts bind to fight (5, collective defence); neutrality 3;
# non-aggression 2; consultation 1 (dialogue).
ATOP_TYPES = ("defense", "offense", "neutral", "nonagg", "consul")


ATOP_STRENGTH: dict[str, int] = {"defense": 5, "offense": 5, "neutral": 3, "nonagg": 2, "consul": 1}


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
    choice(combine, COMBINE, "combine", "rule")
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
