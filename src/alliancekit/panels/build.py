"""A whole panel in one call (what the CLI runs): the steps planned together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from alliancekit import covariates as _covariates
from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import check_system
from alliancekit.panels._lookup import STREAMING_ROWS, Keys, assert_rows, index_for, query_of
from alliancekit.panels.frames import create_dyadyears, create_stateyears
from alliancekit.panels.steps import PLANNERS
from alliancekit.panels.systems import add_ccode_to_gw
from alliancekit.panels.ties import add_ties
from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def add_fpsim(df: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Add alliance-portfolio similarity (S, kappa, pi) to COW dyad-years.

    :func:`alliancekit.fpsim.add_fpsim`, imported on first use (it loads scipy); see
    :mod:`alliancekit.fpsim` for the portfolios, the valuations of ties and the columns.

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years.
    *args, **kwargs
        Those of :func:`alliancekit.fpsim.add_fpsim` (``atop``, ``nmc``, ``source``,
        ``valuation``, ``metric``, ``measures``, ``members``, ``data``, ``catalog``).

    Returns
    -------
    polars.DataFrame
        ``df`` with one Float64 column per measure; rows unchanged.

    Raises
    ------
    ParameterError
        As :func:`alliancekit.fpsim.add_fpsim`.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 20], "ccode2": [20, 40, 40],
    ...     "year": [1960] * 3})
    >>> atop = pl.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1960],
    ...     "atop_defense": [1], "atop_offense": [0], "atop_neutral": [0], "atop_nonagg": [0],
    ...     "atop_consul": [0]})
    >>> ps.add_fpsim(df, atop, measures=["s"])["sallyvua"].round(3).to_list()
    [1.0, -1.0, -1.0]

    References
    ----------
    Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the
    Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144.
    Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy
    Similarity for Chance Agreement. Political Analysis 19(3): 287-305.
    """
    from alliancekit.fpsim import add_fpsim as run

    return run(df, *args, **kwargs)


STEPS = ("atop", "nmc", "majors", "contiguity", "ties", *_covariates.STEPS)
STATE_STEPS = ("nmc", "majors", *_covariates.STATE_STEPS)
_STEP_DATA = {"atop": "atop", "nmc": "nmc", "majors": "majors", "contiguity": "contiguity"}


STEP_OPTIONS = {"nmc": ("ratio",), "majors": ("mry",), "contiguity": ("slice", "mry")}
STEP_OPTIONS |= _covariates.STEP_OPTIONS


def datasets_needed(
    kind: str, system: str, steps: Iterable[str], options: dict | None = None
) -> list[str]:
    """The catalog datasets a panel of these ``steps`` (with these ``options``) reads: the
    state list, each step's sources, and the COW state list for the COW steps of a G-W
    frame (which get COW codes first). The CLI checks them before any work."""
    steps = list(dict.fromkeys(steps))
    needed = [f"{system}_states"] + [_STEP_DATA[s] for s in steps if s in _STEP_DATA]
    needed += _covariates.datasets(steps, kind, options)
    if system == "gw" and any(s in _STEP_DATA or s in _covariates.STEPS for s in steps):
        needed.append("cow_states")  # to give the G-W frame COW codes
    return list(dict.fromkeys(needed))


def _check_options(options: dict[str, dict[str, Any]], steps: list[str]) -> dict:
    for step, opts in options.items():
        allowed = STEP_OPTIONS.get(step, ())
        if step not in steps:
            raise ParameterError("options", f"options for {step!r}, a step not in add")
        for name in opts:
            if name not in allowed:
                raise ParameterError(
                    "options",
                    f"{step} has no option {name!r}"
                    + (f"; it has {', '.join(allowed)}" if allowed else ""),
                )
    return options


@polars_frames("tables")
def build_panel(
    kind: str = "dyad",
    system: str = "cow",
    *,
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    add: Iterable[str] = (),
    tables: dict[str, pl.DataFrame] | None = None,
    catalog: Catalog | None = None,
    ties_data: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
    output: str | Path | None = None,
) -> pl.DataFrame:
    """A whole panel in one call: create the frame and add the steps, as the CLI does.

    The same as calling the verbs one after the other, and faster: the frame's keys are read
    once and the steps on the lookup engine (atop, nmc, majors, contiguity) are computed in one
    polars query (see :mod:`alliancekit.panels._lookup`). Columns come in the order of ``add``.

    Parameters
    ----------
    kind : {"dyad", "state"}
        Dyad-years or state-years.
    system : {"cow", "gw"}
        The state system (G-W frames get COW codes first for the COW steps).
    directed, years, extend_to
        As for :func:`create_dyadyears` (``directed`` is ignored for state-years).
    add : iterable of str
        The steps (:data:`STEPS`: atop, nmc, majors, contiguity, ties, gml_mids, peace_years,
        igos, mindist, capdist, rivalries, fpsim; state-years: :data:`STATE_STEPS`).
    tables : dict of str to DataFrame, optional
        Input tables by dataset name (cow_states, gw_states, atop, nmc, majors, contiguity,
        gml_mids, igos, igos_states, mindist, capitals, rivalries); the others are read from
        the catalog.
    catalog : Catalog, optional
        The catalog to read from.
    ties_data : Dataset, optional
        The curated tables for ``ties`` (default: the shipped dataset).
    options : dict of str to dict, optional
        Keyword options of the steps' verbs (:data:`STEP_OPTIONS`), e.g.
        ``{"majors": {"mry": False}, "contiguity": {"slice": "last"}, "nmc": {"ratio": True}}``.
    progress : callable, optional
        Called with a description of each phase as it starts.
    output : str or Path, optional
        Also write the panel there (.parquet, .csv, .feather, .dta, .rds; see
        :mod:`alliancekit.writers`) with its provenance record: the inputs read from the
        catalog with their files and checksums, frames given in ``tables`` with their row
        counts and a checksum of their content.

    Returns
    -------
    polars.DataFrame
        The panel.

    Raises
    ------
    ParameterError
        For an unknown ``kind``, ``system`` or step, options of a step not in ``add`` or not
        its own, and the errors of the verbs.
    MissingImportError
        When a table is neither given nor imported.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> majors = pl.DataFrame({"ccode": [2, 200], "styear": [1898, 1816], "stmonth": [1, 1],
    ...     "stday": [1, 1], "endyear": [2016, 2016], "endmonth": [12, 12], "endday": [31, 31]})
    >>> df = ps.build_panel("dyad", directed=False, years=2016, add=["majors", "ties"],
    ...     tables={"cow_states": states, "majors": majors})
    >>> df.select("ccode2", "cowmaj1", "cowmaj2", "tie_member", "tie_defence_treaty").rows()
    [(200, 1, 1, 1, 0), (740, 1, 0, 0, 1), (740, 1, 0, 0, 0)]

    References
    ----------
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    query, rows = plan_panel(
        kind,
        system,
        directed=directed,
        years=years,
        extend_to=extend_to,
        add=add,
        tables=tables,
        catalog=catalog,
        ties_data=ties_data,
        options=options,
        progress=progress,
    )
    out = query.collect(engine="in-memory" if rows < STREAMING_ROWS else "streaming")
    if out.height != rows:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"build_panel changed the row count: {rows} -> {out.height}")
    if output is not None:
        _write_with_record(
            out, output, kind, system, directed, years, extend_to, add, tables, catalog, options
        )
    return out


def _write_with_record(
    out, output, kind, system, directed, years, extend_to, add, tables, catalog, options
) -> None:
    import hashlib

    from alliancekit import provenance
    from alliancekit.writers import check_suffix, write_table

    check_suffix(output, "output")
    steps = list(dict.fromkeys(add))
    needed = datasets_needed(kind, system, steps, options)
    given = dict(tables or {})
    imports = {}
    for name in needed:
        if name in given:
            frame = given[name]
            imports[name] = {
                "file": None,
                "sha256": hashlib.sha256(frame.serialize()).hexdigest(),
                "rows": frame.height,
                "version": None,
                "citation": None,
            }
    rest = [n for n in needed if n not in given]
    if rest:
        if catalog is None:
            from alliancekit.catalog import open_catalog

            catalog = open_catalog()
        imports.update(catalog.records(rest))
    record = provenance.panel_record(
        kind=kind,
        system=system,
        directed=directed if kind == "dyad" else None,
        years=years if years is None or isinstance(years, (str, int)) else str(years),
        extend_to=extend_to,
        steps=steps,
        options=options or {},
        imports=imports,
    )
    write_table(out, output, record)


@polars_frames("tables")
def plan_panel(
    kind: str = "dyad",
    system: str = "cow",
    *,
    directed: bool = True,
    years: Any = None,
    extend_to: int | None = None,
    add: Iterable[str] = (),
    tables: dict[str, pl.DataFrame] | None = None,
    catalog: Catalog | None = None,
    ties_data: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[pl.LazyFrame, int]:
    """:func:`build_panel` as a lazy query, and the panel's number of rows.

    The frame is created and the inputs laid out; the per-row work is left to the query, so
    that ``query.sink_parquet(path)`` (what the CLI does) computes and writes the panel chunk
    by chunk on polars' threads, never holding all of it in memory.

    Parameters
    ----------
    kind, system, directed, years, extend_to, add, tables, catalog, ties_data, options, progress
        As for :func:`build_panel`.

    Returns
    -------
    tuple of (polars.LazyFrame, int)
        The query and the number of rows it gives.

    Raises
    ------
    ParameterError
        As :func:`build_panel`.
    MissingImportError
        When a table is neither given nor imported.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> query, rows = ps.plan_panel("state", years=2016, tables={"cow_states": states})
    >>> rows, query.collect().height
    (3, 3)

    References
    ----------
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    choice(kind, ("state", "dyad"), "kind", "panel kind")
    check_system(system)
    steps = list(dict.fromkeys(add))
    for s in steps:
        if s not in STEPS or (kind == "state" and s not in STATE_STEPS):
            raise ParameterError("add", f"unknown or unsupported step {s!r} for {kind}-years")
    tables = dict(tables or {})
    options = _check_options(options or {}, steps)
    report = progress or (lambda _: None)

    cow_steps = [s for s in steps if s in _STEP_DATA or s in _covariates.STEPS]
    needed = datasets_needed(kind, system, steps, options)
    missing = [name for name in needed if name not in tables]
    if missing:  # read from the catalog, all at once
        if catalog is None:
            from alliancekit.catalog import open_catalog

            catalog = open_catalog()
        tables.update(catalog.read_many(missing))
    states = tables[f"{system}_states"]
    report("building the frame")
    if kind == "dyad":
        base = create_dyadyears(system, directed, years, extend_to, states=states)
    else:
        base = create_stateyears(system, years, extend_to, states=states)
    if system == "gw" and cow_steps:
        report("adding COW codes")
        base = add_ccode_to_gw(base, tables["cow_states"])

    # Runs of steps other than ties are applied together: one index over their sources,
    # one query. Ties has its own routine.
    runs: list[list[str]] = []
    alone = ("ties", *_covariates.STEPS)  # steps that run on the frame, one by one
    for step in steps:
        if step in alone or not runs or runs[-1][0] in alone:
            runs.append([step])
        else:
            runs[-1].append(step)
    out = base
    query = base.lazy()
    for i, run in enumerate(runs):
        report("adding " + ", ".join(run))
        if run == ["ties"]:
            out = add_ties(out, ties_data)
            query = out.lazy()
            continue
        if run[0] in _covariates.STEPS:
            extra = options.get(run[0], {})
            if run[0] == "fpsim" and ties_data is not None:  # the curated ties given
                extra = {"data": ties_data, **extra}
            out = _covariates.apply(run[0], out, tables, **extra)
            query = out.lazy()
            continue
        keys = Keys(out)
        sources = {step: tables[_STEP_DATA[step]] for step in run}
        index = index_for(sources, keys)
        plans = [
            PLANNERS[step](keys, data, index, **options.get(step, {}))
            for step, data in sources.items()
        ]
        query = query_of(out, keys, index, plans)
        if i < len(runs) - 1:  # ties comes next and needs a frame
            out = assert_rows(base, query.collect(), "build_panel")
    return query, base.height
