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
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def add_fpsim(df: pl.DataFrame, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """Alliance-portfolio similarity: :func:`alliancekit.fpsim.add_fpsim` (loaded on use)."""
    from alliancekit.fpsim import add_fpsim as run

    return run(df, *args, **kwargs)


STEPS = ("atop", "nmc", "majors", "contiguity", "ties", *_covariates.STEPS)
STATE_STEPS = ("nmc", "majors", *_covariates.STATE_STEPS)
_STEP_DATA = {"atop": "atop", "nmc": "nmc", "majors": "majors", "contiguity": "contiguity"}


STEP_OPTIONS = {"nmc": ("ratio",), "majors": ("mry",), "contiguity": ("slice", "mry")}
STEP_OPTIONS |= _covariates.STEP_OPTIONS


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
    """Create state-years (``kind="state"``) or dyad-years and add the ``add`` steps (atop,
    nmc, majors, contiguity, ties), the same as calling the verbs one after the other.

    ``output``: also write the panel there (.parquet, .csv, .feather, .dta, .rds; see
    :mod:`alliancekit.writers`) with its provenance record, as the CLI does: the inputs
    read from the catalog with their files and checksums, frames given in ``tables`` with
    their row counts and a checksum of their content.

    Columns come in the order of ``add``. ``tables`` maps
    dataset names (cow_states, gw_states, atop, nmc, majors, contiguity) to frames; missing
    ones are read from the catalog. ``options`` maps a step to the keyword options of its
    verb: ``{"majors": {"mry": False}, "contiguity": {"slice": "last", "mry": True},
    "nmc": {"ratio": True}}``. ``progress``, if given, is called with a description of
    each phase as it starts.

    Faster than the verbs one by one: the frame's keys are read once and the steps' columns
    are computed in one polars query (see the notes above ``Keys``).
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
    cow_steps = [s for s in steps if s in _STEP_DATA or s in _covariates.STEPS]
    needed = [f"{system}_states"] + [_STEP_DATA[s] for s in steps if s in _STEP_DATA]
    needed += _covariates.datasets(steps, kind)
    if system == "gw" and cow_steps:
        needed.append("cow_states")
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
    """:func:`build_panel` as a lazy query, and the panel's number of rows. The frame is
    created and the inputs laid out; the per-row work is left to the query, so that
    ``query.sink_parquet(path)`` (what the CLI does) computes and writes the panel chunk by
    chunk on polars' threads, never holding all of it in memory.
    """
    if kind not in ("state", "dyad"):
        raise ParameterError("kind", "choose state or dyad")
    check_system(system)
    steps = list(dict.fromkeys(add))
    for s in steps:
        if s not in STEPS or (kind == "state" and s not in STATE_STEPS):
            raise ParameterError("add", f"unknown or unsupported step {s!r} for {kind}-years")
    tables = dict(tables or {})
    options = _check_options(options or {}, steps)
    report = progress or (lambda _: None)

    cow_steps = [s for s in steps if s in _STEP_DATA or s in _covariates.STEPS]
    needed = [f"{system}_states"] + [_STEP_DATA[s] for s in steps if s in _STEP_DATA]
    needed += _covariates.datasets(steps, kind)
    if system == "gw" and cow_steps:
        needed.append("cow_states")  # to give the G-W frame COW codes
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
            out = _covariates.apply(run[0], out, tables, **options.get(run[0], {}))
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
