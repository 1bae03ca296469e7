"""``alliancekit panel state-years|dyad-years``: peacesciencer-style panels from the catalog.

Imports stay inside the command so that the CLI starts fast.
"""

from __future__ import annotations

import os
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
# the command's flags for the Python parameters its errors may name
FLAGS = {"years": "--years", "extend_to": "--extend-to", "system": "--system", "add": "--add"}
FLAGS |= {"slice": "--contiguity-slice", "keep": "--gml-keep", "source": "--fpsim-source"}
FLAGS |= {"valuation": "--fpsim-valuation", "metric": "--fpsim-metric"}
FLAGS |= {"measures": "--fpsim-measures"}

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


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _valuation(text: str) -> str | dict[str, int]:
    """``--fpsim-valuation``: a name, or KIND=VALUE pairs (checked by the step itself)."""
    from alliancekit.schema import ParameterError

    if "=" not in text:
        return text.strip()
    out = {}
    for item in _list(text):
        kind, _, value = item.partition("=")
        try:
            out[kind.strip()] = int(value)
        except ValueError:
            raise ParameterError(
                "--fpsim-valuation", f"{item!r}: give KIND=VALUE with an integer value"
            ) from None
    return out


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

    _small_morsels()
    from alliancekit.schema import choice

    choice(system, ("cow", "gw"), "--system", "state system")
    allowed = STEPS if kind == "dyad" else STATE_STEPS
    steps = _steps(add, allowed)
    suffix = _check_output(output)

    options = {step: opts for step, opts in (options or {}).items() if step in steps}
    from alliancekit._params import parameters_as

    # errors name the command's options, not the Python parameters behind them
    with parameters_as(FLAGS), warnings.catch_warnings(record=True) as caught:
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
    from alliancekit import panels
    from alliancekit.catalog import MissingImportError, open_catalog
    from alliancekit.panels.build import datasets_needed

    cat = open_catalog(home)
    # Fail before any work when an input has not been imported.
    needed = datasets_needed(kind, system, steps, options)
    for name in needed:
        if not cat.has(name):
            raise MissingImportError(name, cat.home)
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


def _small_morsels() -> None:
    """Streamed panels in chunks of 50,000 rows instead of polars' 100,000: the directed
    dyad-years to 2025 peak at ≈ 225 MiB instead of ≈ 250 MiB, in the same time. Polars reads
    the setting when it is first imported (this command imports it after this), so it is set
    here, in the command's process only; a value the user set is kept."""
    os.environ.setdefault("POLARS_IDEAL_MORSEL_SIZE", "50000")


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
    gml_keep: str = typer.Option(
        "",
        "--gml-keep",
        help="gml_mids: comma-separated fields of the kept dispute to add too (dispnum, "
        "hostlev, fatality, ...; peacesciencer's keep).",
    ),
    fpsim_source: str = typer.Option(
        "atop",
        "--fpsim-source",
        help="fpsim: portfolios from ATOP obligations (atop, 1815-2018) or from the curated "
        "ties (curated, its actors, up to today).",
    ),
    fpsim_measures: str = typer.Option(
        "s,sw,kappa,pi",
        "--fpsim-measures",
        help="fpsim: comma-separated measures: s (Signorino-Ritter S), sw (capability-"
        "weighted S), kappa, pi.",
    ),
    fpsim_valuation: str = typer.Option(
        None,
        "--fpsim-valuation",
        help="fpsim: tie values; atop: valued (default) or binary; curated: strength "
        "(default), binary or alliance; or KIND=VALUE,... (ATOP obligations or curated "
        "tie kinds).",
    ),
    fpsim_metric: str = typer.Option(
        "absolute", "--fpsim-metric", help="fpsim: distance between values: absolute, squared."
    ),
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """Dyad-years of the COW or G-W system, with ATOP, NMC, majors, contiguity, ties and the
    covariates (rules: see the codebook, ``help(alliancekit.panels)``)."""

    from alliancekit.schema import choice

    choice(contiguity_slice, ("first", "last"), "--contiguity-slice", "slice")
    options = {
        "majors": {"mry": majors_mry},
        "contiguity": {"slice": contiguity_slice, "mry": contiguity_mry},
    }
    # only the options given: a panel built with the defaults records what it always did
    if gml_keep:
        options["gml_mids"] = {"keep": _list(gml_keep)}
    fpsim = {"source": fpsim_source, "measures": _list(fpsim_measures), "metric": fpsim_metric}
    defaults = {"source": "atop", "measures": ["s", "sw", "kappa", "pi"], "metric": "absolute"}
    fpsim = {k: v for k, v in fpsim.items() if v != defaults[k]}
    if fpsim_valuation is not None:
        fpsim["valuation"] = _valuation(fpsim_valuation)
    if fpsim:
        options["fpsim"] = fpsim
    _report(build("dyad", system, directed, years, extend_to, add, output, home, options), output)
