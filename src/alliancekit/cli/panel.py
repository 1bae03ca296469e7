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
# the covariates' datasets (igos: dyad- or state-years; fpsim: two)
COVARIATE_NEEDS = {"gml_mids": ("gml_mids",), "mindist": ("mindist",)}
COVARIATE_NEEDS |= {"capdist": ("capitals",), "rivalries": ("rivalries",), "fpsim": ("atop", "nmc")}

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
OutOpt = typer.Option(
    ...,
    "-o",
    "--output",
    help="Output file: .parquet, .csv, .feather/.arrow, .dta (Stata) or .rds (R).",
)
MajorsMryOpt = typer.Option(
    True,
    "--majors-mry/--no-majors-mry",
    help="After the major-power data end (2016), carry the majors of its last day forward "
    "(peacesciencer's default) or leave the years empty.",
)
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
    from alliancekit.writers import check_suffix

    return check_suffix(output, "--output")


def build(
    kind: str,
    system: str,
    directed: bool,
    years: str | None,
    extend_to: int | None,
    add: str,
    output: Path,
    home: Path | None,
    options: dict | None = None,
) -> int:
    """Build a panel and write it; returns the number of rows. Warnings (e.g. ``--years``
    past the data) print on stderr."""
    import warnings

    from alliancekit.schema import ParameterError

    if system not in ("cow", "gw"):
        raise ParameterError("--system", f"unknown state system {system!r}; choose cow or gw")
    allowed = STEPS if kind == "dyad" else STATE_STEPS
    steps = _steps(add, allowed)
    suffix = _check_output(output)

    options = {step: opts for step, opts in (options or {}).items() if step in steps}
    from alliancekit._params import parameters_as

    _exit_fast()
    # errors name the command's options, not the Python parameters behind them
    names = {"years": "--years", "extend_to": "--extend-to", "system": "--system"}
    names |= {"add": "--add", "slice": "--contiguity-slice"}
    with _gc_paused(), parameters_as(names), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return _build(
                kind, system, directed, years, extend_to, steps, output, home, suffix, options
            )
        finally:
            _print_warnings(caught)


def _print_warnings(caught: list) -> None:
    for w in caught:
        message = f"warning: {w.message}"
        if not sys.stderr.isatty():
            print(message, file=sys.stderr)
            continue
        from rich.markup import escape

        from alliancekit.cli._output import err_console

        err_console.print(f"[bold yellow]warning:[/] {escape(str(w.message))}", soft_wrap=True)


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
    options: dict,
) -> int:
    """:func:`build` once the options are checked."""
    from alliancekit.catalog import MissingImportError, open_catalog

    cat = open_catalog(home)
    # Fail before any work when an input has not been imported.
    needed = [f"{system}_states"] + [NEEDS[s] for s in steps if s in NEEDS]
    for s in steps:
        if s == "igos":
            needed.append("igos" if kind == "dyad" else "igos_states")
        needed += COVARIATE_NEEDS.get(s, ())
    needed = list(dict.fromkeys(needed))
    if system == "gw" and any(s in NEEDS or s in COVARIATES for s in steps):
        needed.append("cow_states")  # G-W frames get COW codes for the COW steps
    for name in needed:
        if not cat.has(name):
            raise MissingImportError(name, cat.home)
    from alliancekit import panels
    from alliancekit.paths import output_path

    output_path(output, "--output")

    with _progress() as report:
        query, rows = panels.plan_panel(
            kind,
            system,
            directed=directed,
            years=years,
            extend_to=extend_to,
            add=steps,
            catalog=cat,
            options=options,
            progress=report,
        )
        report(f"writing {output.name}")
        from alliancekit import provenance

        record = provenance.panel_record(
            kind=kind,
            system=system,
            directed=directed if kind == "dyad" else None,
            years=years,
            extend_to=extend_to,
            steps=steps,
            options=options,
            imports=cat.records(needed),
        )
        if suffix == ".parquet":
            # Streamed: polars computes the added columns and writes them chunk by chunk, on
            # both cores, without holding the whole panel. No column statistics: they cost
            # a fifth of the writing time and panels are read whole. lz4 writes faster than
            # no compression (less to write) and every Parquet reader knows it. The
            # provenance record goes in the file's key-value metadata.
            query.sink_parquet(
                output,
                compression="lz4",
                statistics=False,
                metadata=provenance.parquet_metadata(record),
            )
        else:  # CSV, Feather/Arrow, Stata, R: see alliancekit.writers
            from alliancekit.writers import write_table

            write_table(query.collect(), output, record)
    return rows


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
    from alliancekit.cli._output import err_console, styled

    err_console.print(styled("wrote", "green", f" {n:,} rows to {output}"))


@app.command("state-years")
def state_years(
    system: str = SystemOpt,
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = typer.Option(
        "", "--add", help="Comma-separated steps: nmc,majors,igos,mindist,rivalries."
    ),
    majors_mry: bool = MajorsMryOpt,
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """State-years of the COW or G-W system, with capability and major-power columns."""
    options = {"majors": {"mry": majors_mry}}
    _report(build("state", system, False, years, extend_to, add, output, home, options), output)


@app.command("dyad-years")
def dyad_years(
    system: str = SystemOpt,
    directed: bool = typer.Option(
        True,
        "--directed/--undirected",
        help="Ordered pairs, both directions (the default, as create_dyadyears), or code1 < code2.",
    ),
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = AddOpt,
    majors_mry: bool = MajorsMryOpt,
    contiguity_slice: str = typer.Option(
        "first",
        "--contiguity-slice",
        help="Contiguity of the year's first month on record (first, peacesciencer's "
        "default) or its last.",
    ),
    contiguity_mry: bool = typer.Option(
        False,
        "--contiguity-mry/--no-contiguity-mry",
        help="After the contiguity data end (2016), repeat each dyad's last value "
        "(default: leave the years empty, as peacesciencer).",
    ),
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """Dyad-years of the COW or G-W system, with ATOP, NMC, majors, contiguity and ties
    (rules: see the codebook, ``help(alliancekit.panels)``)."""
    from alliancekit.schema import ParameterError

    if contiguity_slice not in ("first", "last"):
        raise ParameterError(
            "--contiguity-slice", f"choose first or last, not {contiguity_slice!r}"
        )
    options = {
        "majors": {"mry": majors_mry},
        "contiguity": {"slice": contiguity_slice, "mry": contiguity_mry},
    }
    _report(build("dyad", system, directed, years, extend_to, add, output, home, options), output)
