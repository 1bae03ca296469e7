"""Time series of the graph measures, year by year, from the curated ties or from ATOP.

>>> from alliancekit.network.series import series
>>> series(2000, 2025).height                           # curated ties, 31 December each year
26
>>> series(1946, 2018, source="atop", atop=atop_frame)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit._deprecated import renamed
from alliancekit.network.graphs import (
    ADVERSARIES,
    DEFAULT_HUB,
    AllianceGraph,
    build_graph,
    data_years,
    graphs_from_atop,
)
from alliancekit.network.measures import DEFAULT_BLOCS, GRAPH_MEASURES, graph_measures
from alliancekit.schema import ParameterError, choice, choices

if TYPE_CHECKING:
    from alliancekit.data import Dataset

SOURCES = ("curated", "atop")
ATOP_YEARS = (1815, 2018)


def measure_names(blocs: Sequence[str] = DEFAULT_BLOCS) -> list[str]:
    """Every column :func:`series` can return."""
    names = list(GRAPH_MEASURES)
    for b in blocs:
        names += [f"cohesion_{b}_density", f"cohesion_{b}_strength"]
    return names


def check_measures(
    measures: Iterable[str] | None, blocs: Sequence[str] = DEFAULT_BLOCS
) -> list[str]:
    known = measure_names(blocs)
    if measures is None:
        return known
    return choices(measures, known, "measures", "measure")


def stored_atop(home: str | None = None) -> pl.DataFrame:
    """The ATOP dyad-years imported into the local catalog (``alliancekit data import atop``).
    Formerly ``read_atop``, the name of the importer that reads ATOP's published file
    (:func:`alliancekit.importers.read_atop`)."""
    from alliancekit.catalog import open_catalog

    return open_catalog(home).read("atop")


def atop_graphs(
    start: int, end: int, atop: pl.DataFrame | None = None, data: Dataset | None = None, **options
) -> dict[int, AllianceGraph]:
    """ATOP graphs for the years start..end (a year without obligations gives an empty graph)."""
    if atop is None:
        atop = stored_atop()
    years = atop["year"]
    lo, hi = int(years.min()), int(years.max())
    if not (lo <= start <= end <= hi):
        span = f"year {start} is" if start == end else f"years {start}–{end} are"
        raise ParameterError("year", f"{span} outside the ATOP data ({lo}–{hi})")
    graphs = graphs_from_atop(atop, range(start, end + 1), data=data, **options)
    empty = np.zeros(0, dtype=np.int64)
    for y in range(start, end + 1):
        if y not in graphs:
            graphs[y] = AllianceGraph(
                (),
                (),
                empty,
                empty.copy(),
                np.zeros(0),
                source="atop",
                label=f"ATOP obligations in {y}",
            )
    return dict(sorted(graphs.items()))


def curated_graphs(
    start: int, end: int, data: Dataset | None = None, **options
) -> dict[int, AllianceGraph]:
    """Curated graphs on 31 December of each year start..end."""
    if data is None:
        from alliancekit.data import load

        data = load()
    first, last = data_years(data)
    if not (first <= start <= end <= last):
        if start > end:
            raise ParameterError("start", f"the first year ({start}) is after the last ({end})")
        span = f"year {start} is" if start == end else f"years {start}–{end} are"
        outside = "start" if not first <= start <= last else "end"
        raise ParameterError(outside, f"{span} outside the curated data ({first}–{last})")
    return {y: build_graph(data, y, **options) for y in range(start, end + 1)}


def _row(args) -> dict:
    year, g, hub, weighted, blocs, adversaries = args
    out = graph_measures(g, hub, weighted, blocs, adversaries, allow_empty=True)
    return {"year": year, **out}


def _rows_serial(items, hub, weighted, blocs, adversaries, progress):
    rows = []
    for year, g in items:
        rows.append(_row((year, g, hub, weighted, blocs, adversaries)))
        if progress:
            progress(year)
    return rows


def _strip(g: AllianceGraph) -> AllianceGraph:
    """A light copy for another process: arrays and memberships, no frames."""
    return AllianceGraph(
        g.nodes,
        g.theatre,
        g.src,
        g.dst,
        g.weight,
        label=g.label,
        on=g.on,
        source=g.source,
        memberships=g.memberships,
    )


def series_of_graphs(
    graphs: dict[int, AllianceGraph],
    measures: Iterable[str] | None = None,
    *,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    blocs: Sequence[str] = DEFAULT_BLOCS,
    adversaries: Sequence[str] = ADVERSARIES,
    progress: Callable[[int], None] | None = None,
) -> pl.DataFrame:
    """The measures of each graph as a table, one row per year; empty years give nulls."""
    cols = check_measures(measures, blocs)
    items = sorted(graphs.items())
    rows = _rows_serial(items, hub, weighted, blocs, adversaries, progress)
    table = pl.DataFrame(
        [{"year": r["year"], **{c: _clean(r.get(c)) for c in cols}} for r in rows],
        schema={"year": pl.Int64, **{c: pl.Float64 for c in cols}},
        orient="row",
    )
    return table.with_columns(
        [
            pl.col(c).cast(pl.Int64)
            for c in ("states", "ties", "components", "largest_component", "hub_isolated")
            if c in cols
        ]
    )


def _clean(v) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def series(
    start: int,
    end: int,
    measures: Iterable[str] | None = None,
    *,
    source: str = "curated",
    data: Dataset | None = None,
    atop: pl.DataFrame | None = None,
    hub: str = DEFAULT_HUB,
    weighted: bool = True,
    blocs: Sequence[str] = DEFAULT_BLOCS,
    progress: Callable[[int], None] | None = None,
    **graph_options,
) -> pl.DataFrame:
    """Every graph measure (or those named) for each year from ``start`` to ``end``.

    source: ``curated`` (the ties in force on 31 December of each year) or ``atop`` (the ATOP
    obligations of each year; ``atop`` is the dyad-year table, read from the catalog when
    omitted). ``graph_options`` go to :func:`~alliancekit.network.graphs.build_graph` or
    :func:`~alliancekit.network.graphs.graphs_from_atop`.

    Parameters
    ----------
    start, end : int
        The first and last year.
    measures : iterable of str, optional
        Measure names (default: all of :data:`GRAPH_MEASURES`).
    source : {"curated", "atop"}
        The curated ties, or an ATOP table.
    data : Dataset, optional
        The curated tables (default: :func:`alliancekit.load`).
    atop : polars.DataFrame, optional
        The ATOP dyad-years (default: the catalog's import).
    hub : str
        The hub.
    weighted : bool
        Use the tie weights.
    blocs : sequence of str
        Blocs whose cohesion is measured.
    progress : callable, optional
        Called with each year done.
    **graph_options
        Passed to :func:`build_graph`.

    Returns
    -------
    polars.DataFrame
        One row per year, one column per measure.

    Raises
    ------
    ParameterError
        For ``start > end``, an unknown measure or source.
    MissingImportError
        For ``source="atop"`` when ATOP was never imported.

    Examples
    --------
    >>> from alliancekit.network.series import series
    >>> s = series(2000, 2002, ["density", "components"])
    >>> s["year"].to_list()
    [2000, 2001, 2002]
    """
    choice(source, SOURCES, "source", "source")
    if start > end:
        raise ParameterError("start", f"the first year ({start}) is after the last ({end})")
    check_measures(measures, blocs)
    if source == "curated":
        graphs = curated_graphs(start, end, data, **graph_options)
    else:
        graphs = atop_graphs(start, end, atop, data, **graph_options)
    return series_of_graphs(
        graphs, measures, hub=hub, weighted=weighted, blocs=blocs, progress=progress
    )


# series.read_atop is now series.stored_atop (importers.read_atop reads the published file).
__getattr__ = renamed(__name__, {"read_atop": "stored_atop"}, globals())
