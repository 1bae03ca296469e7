"""``alliancekit panel state-years|dyad-years``: peacesciencer-style panels from the catalog.

Imports stay inside the command so that the CLI starts fast.
"""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

app = typer.Typer(
    help="Build state-year and dyad-year panels (COW or G-W) with alliance, "
    "capability, major-power, contiguity and curated-tie columns.",
    no_args_is_help=True,
)

COVARIATES = ("gml_mids", "peace_years", "igos", "mindist", "capdist", "rivalries", "fpsim")
STEPS = ("atop", "nmc", "majors", "contiguity", "ties", *COVARIATES)
STATE_STEPS = ("nmc", "majors", "igos", "mindist", "rivalries")
NEEDS = {"atop": "atop", "nmc": "nmc", "majors": "majors", "contiguity": "contiguity"}
NEEDS |= {"gml_mids": "gml_mids", "mindist": "mindist", "capdist": "capitals"}
NEEDS |= {"rivalries": "rivalries"}

SystemOpt = typer.Option("cow", "--system", help="State system: cow or gw.")
YearsOpt = typer.Option(None, "--years", help="Keep these years: 1816-2016 or 1990.")
ExtendOpt = typer.Option(
    None,
    "--extend-to",
    help="Carry states still members at the end of the state data forward to this year.",
)
AddOpt = typer.Option(
    "",
    "--add",
    help="Comma-separated steps: atop,nmc,majors,contiguity,ties,gml_mids,peace_years,igos,"
    "mindist,capdist,rivalries,fpsim.",
)
OutOpt = typer.Option(..., "-o", "--output", help="Output file: .parquet or .csv.")
HomeOpt = typer.Option(
    None,
    "--home",
    help="Catalog folder (default: $ALLIANCEKIT_HOME, else the user data directory).",
)


def _steps(add: str, allowed: tuple[str, ...]) -> list[str]:
    from alliancekit.schema import ParameterError

    steps = [s.strip().lower() for s in add.split(",") if s.strip()]
    for s in steps:
        if s not in allowed:
            raise ParameterError(
                "--add", f"unknown or unsupported step {s!r} here; choose from {', '.join(allowed)}"
            )
    return list(dict.fromkeys(steps))


def _check_output(output: Path) -> str:
    from alliancekit.schema import ParameterError

    suffix = output.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ParameterError("--output", f"write .parquet or .csv, not {output.name!r}")
    return suffix


def build(
    kind: str,
    system: str,
    directed: bool,
    years: str | None,
    extend_to: int | None,
    add: str,
    output: Path,
    home: Path | None,
) -> int:
    """Build a panel and write it; returns the number of rows."""
    from alliancekit.schema import ParameterError

    if system not in ("cow", "gw"):
        raise ParameterError("--system", f"unknown state system {system!r}; choose cow or gw")
    allowed = STEPS if kind == "dyad" else STATE_STEPS
    steps = _steps(add, allowed)
    if system == "gw" and any(s != "ties" for s in steps):
        raise ParameterError(
            "--add",
            "only ties works on G-W codes; the other steps use COW codes: build the panel "
            "with --system cow",
        )
    suffix = _check_output(output)

    _exit_fast()
    with _gc_paused():
        return _build(kind, system, directed, years, extend_to, steps, output, home, suffix)


def _build(
    kind: str,
    system: str,
    directed: bool,
    years: str | None,
    extend_to: int | None,
    steps: list[str],
    output: Path,
    home: Path | None,
    suffix: str,
) -> int:
    """:func:`build` once the options are checked."""
    from alliancekit.catalog import MissingImportError, open_catalog

    cat = open_catalog(home)
    # Fail before any work when an input has not been imported.
    needed = [f"{system}_states"] + [NEEDS[s] for s in steps if s in NEEDS]
    if "igos" in steps:
        needed.append("igos" if kind == "dyad" else "igos_states")
    if "fpsim" in steps:
        needed += ["atop", "nmc"]
    for name in needed:
        if not cat.has(name):
            raise MissingImportError(name, cat.home)
    from alliancekit import panels

    with _progress() as report:
        query, rows = panels.plan_panel(
            kind,
            system,
            directed=directed,
            years=years,
            extend_to=extend_to,
            add=steps,
            catalog=cat,
            progress=report,
        )
        report(f"writing {output.name}")
        output.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            # Streamed: polars computes the added columns and writes them chunk by chunk, on
            # both cores, without holding the whole panel. No column statistics: they cost
            # a fifth of the writing time and panels are read whole. lz4 writes faster than
            # no compression (less to write) and every Parquet reader knows it. The file's
            # key-value metadata cite every source the panel read.
            query.sink_parquet(
                output,
                compression="lz4",
                statistics=False,
                metadata=_sources_metadata(cat, needed, steps),
            )
        else:
            query.collect().write_csv(output)
    return rows


def _sources_metadata(cat, needed: list[str], steps: list[str]) -> dict[str, str]:
    """Parquet key-value metadata: ``alliancekit.sources``, a JSON list of the imported
    datasets the panel read (name, file, sha256, version, citation), and
    ``alliancekit.steps``; the curated ties, when used, cite the alliancekit dataset."""
    import json

    records = {r["name"]: r for r in cat.list().iter_rows(named=True)}
    sources = [
        {k: records[n][k] for k in ("name", "file", "sha256", "version", "citation")}
        for n in dict.fromkeys(needed)
        if n in records
    ]
    if "ties" in steps:
        from alliancekit.data import citation

        sources.append({"name": "ties", "citation": str(citation())})
    return {"alliancekit.sources": json.dumps(sources), "alliancekit.steps": ",".join(steps)}


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the panel is built: the command creates few Python
    objects, but importing polars and numpy creates many, and the collections that triggers
    walk everything typer and pydantic left too (0.01-0.02 s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _exit_fast() -> None:
    """At exit, the interpreter's last garbage collections walk the hundreds of thousands of
    objects polars and numpy created when imported: about 0.05 s of the command. Freezing
    them just before (atexit handlers run first) skips that walk; nothing needs collecting
    then: the panel is written and closed, and sys.stdout/sys.stderr are flushed anyway."""
    atexit.unregister(gc.freeze)  # once, however many panels a process builds
    atexit.register(gc.freeze)


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A transient progress display on stderr, updated with each phase's description.

    Only on a terminal: a transient display draws nothing elsewhere, so rich is not even
    imported then (start-up time).
    """
    if not sys.stderr.isatty():
        yield lambda _description: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from alliancekit.cli._output import err_console

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        task = progress.add_task("reading the inputs", total=None)
        yield lambda description: progress.update(task, description=description)


def _report(n: int, output: Path) -> None:
    if not sys.stderr.isatty():  # a plain line for logs and pipes; rich costs 0.02 s to load
        print(f"wrote {n:,} rows to {output}", file=sys.stderr)
        return
    from alliancekit.cli._output import err_console

    err_console.print(f"[green]wrote[/] {n:,} rows to {output}")


@app.command("state-years")
def state_years(
    system: str = SystemOpt,
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = typer.Option(
        "", "--add", help="Comma-separated steps: nmc,majors,igos,mindist,rivalries."
    ),
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """State-years of the COW or G-W system, with capability and major-power columns."""
    _report(build("state", system, False, years, extend_to, add, output, home), output)


@app.command("dyad-years")
def dyad_years(
    system: str = SystemOpt,
    directed: bool = typer.Option(
        False, "--directed/--undirected", help="Ordered pairs (both directions) or code1 < code2."
    ),
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = AddOpt,
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """Dyad-years of the COW or G-W system, with ATOP, NMC, majors, contiguity and ties."""
    _report(build("dyad", system, directed, years, extend_to, add, output, home), output)
