"""The ``create_*`` verbs: state-years and dyad-years of the COW or G-W system."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import check_system, dataset
from alliancekit.panels._years import (
    filter_years,
    parse_years,
    spells,
    state_year_intervals,
    warn_past_data,
)
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


@polars_frames("states")
def create_stateyears(
    system: str = "cow",
    years: Any = None,
    extend_to: int | None = None,
    *,
    states: pl.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """State-years of the COW (``ccode, statenme, year``) or G-W (``gwcode, statename,
    year``) system: a state is a member in a year if one of its spells covers a day of it.

    ``years``: keep only these (``"1816-2016"``, ``(1990, 2000)``, a range or a list).
    ``extend_to``: carry states still members at the end of the data forward to that year.
    """
    check_system(system)
    states = dataset(f"{system}_states", states, catalog)
    sp = spells(system, states, extend_to)
    warn_past_data(parse_years(years), sp, system, extend_to)
    code, name = ("ccode", "statenme") if system == "cow" else ("gwcode", "statename")
    names = sp.group_by("code").agg(pl.col("name").sort_by("end").last())
    sy = (
        sp.select(
            "code",
            pl.int_ranges(
                pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16
            ).alias("year"),
        )
        .explode("year")
        .unique()
        .join(names, on="code", how="left")
        .sort("code", "year")
        .select(pl.col("code").alias(code), pl.col("name").alias(name), "year")
    )
    return filter_years(sy, years)


def _pairs_for_year(
    codes: np.ndarray, directed: bool, cache: dict
) -> tuple[np.ndarray, np.ndarray]:
    n = len(codes)
    key = (n, directed)
    if key not in cache:
        if directed:  # every (i, j) with i != j, row-major
            i = np.repeat(np.arange(n, dtype=np.int32), n - 1)
            j = np.tile(np.arange(n - 1, dtype=np.int32), n)
            j += j >= i
        else:
            i, j = np.triu_indices(n, k=1)
            i, j = i.astype(np.int32), j.astype(np.int32)
        cache[key] = (i, j)
    i, j = cache[key]
    return codes[i], codes[j]


@polars_frames("states")
def create_dyadyears(
    system: str = "cow",
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    *,
    states: pl.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> pl.DataFrame:
    """Dyad-years of the COW (``ccode1, ccode2, year``) or G-W (``gwcode1, gwcode2, year``)
    system: every ordered (``directed``) or unordered (code1 < code2) pair of states that are
    both members on at least one common day of the year. Sorted by year, code1, code2.
    """
    if not isinstance(directed, bool):
        raise ParameterError("directed", f"must be True or False, not {directed!r}")
    check_system(system)
    states = dataset(f"{system}_states", states, catalog)
    sp = spells(system, states, extend_to)
    iv = state_year_intervals(sp.lazy())
    sel = parse_years(years)
    warn_past_data(sel, sp, system, extend_to)
    if isinstance(sel, tuple):
        iv = iv.filter(pl.col("year").is_between(sel[0], sel[1]))
    elif sel is not None:
        iv = iv.filter(pl.col("year").is_in(sorted(sel)))
    iv = iv.collect().lazy()
    # the small queries of the set-up run together: one collect
    members, pairs = pl.collect_all(
        [iv.select("year", "code").unique().sort("year", "code"), _false_dyads(iv)]
    )
    false: dict[int, list[tuple[int, int]]] = {}
    for y, a, b in pairs.iter_rows():
        false.setdefault(int(y), []).append((int(a), int(b)))
    yrs = members["year"].to_numpy()
    codes = members["code"].to_numpy()
    bounds = np.flatnonzero(np.diff(yrs)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(yrs)]))
    cache: dict = {}
    c1s, c2s, ys = [], [], []
    last: tuple[bytes, np.ndarray, np.ndarray] | None = None
    for a, b in zip(starts, ends, strict=True):
        c = codes[a:b]
        sig = c.tobytes()
        if last is not None and last[0] == sig:  # same members as the year before
            c1, c2 = last[1], last[2]
        else:
            c1, c2 = _pairs_for_year(c, directed, cache)
            last = (sig, c1, c2)
        y = int(yrs[a])
        if y in false:
            bad = false[y]
            keep = np.ones(len(c1), dtype=bool)
            for x1, x2 in bad:
                keep &= ~(((c1 == x1) & (c2 == x2)) | ((c1 == x2) & (c2 == x1)))
            c1, c2 = c1[keep], c2[keep]
        c1s.append(c1)
        c2s.append(c2)
        ys.append(np.full(len(c1), y, dtype=np.int16))
    k1, k2 = ("ccode1", "ccode2") if system == "cow" else ("gwcode1", "gwcode2")
    if not c1s:
        return pl.DataFrame(schema={k1: pl.Int16, k2: pl.Int16, "year": pl.Int16})
    return pl.DataFrame(
        {
            k1: np.concatenate(c1s).astype(np.int16, copy=False),
            k2: np.concatenate(c2s).astype(np.int16, copy=False),
            "year": np.concatenate(ys),
        }
    )


def _false_dyads(iv: pl.LazyFrame) -> pl.LazyFrame:
    """Pairs of states both members in a year but never on the same day of it (year, code,
    code_b with code < code_b)."""
    full = iv.group_by("year", "code").agg(pl.col("full").any())
    partial = iv.join(full.filter(~pl.col("full")).select("year", "code"), on=["year", "code"])
    return (
        partial.join(partial, on="year", suffix="_b")
        .filter(pl.col("code") < pl.col("code_b"))
        .with_columns(
            (pl.max_horizontal("lo", "lo_b") <= pl.min_horizontal("hi", "hi_b")).alias("overlap")
        )
        .group_by("year", "code", "code_b")
        .agg(pl.col("overlap").any())
        .filter(~pl.col("overlap"))
        .select("year", "code", "code_b")
    )
