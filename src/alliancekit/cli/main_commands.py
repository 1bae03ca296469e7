"""Top-level commands: timeline, cite, codes and report."""

from __future__ import annotations

from pathlib import Path

import typer

codes_app = typer.Typer(
    help="Convert country codes (ISO3, COW, Gleditsch–Ward).", no_args_is_help=True
)


def timeline(
    actor: str = typer.Option(..., "--actor", help="Actor id, e.g. JPN."),
    with_actor: str = typer.Option(
        None, "--with", help="Only ties with (and events naming) this actor."
    ),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """The dated story of one actor's ties and events, with sources."""
    import polars as pl

    from alliancekit.cli._output import check_format, emit
    from alliancekit.data import load
    from alliancekit.query import timeline as build

    check_format(fmt)
    data = load()
    df = build(data, actor, with_actor)
    if fmt == "table":
        # A terminal is narrow: one column for what happened, the title with its publisher.
        df = df.select(
            "date",
            pl.format("{} ({})", "what", pl.col("kind").str.replace_all("_", " ")).alias("step"),
            "with",
            pl.format("{} [{}]", "title", "source_publisher").alias("title [source]"),
        )
    title = f"{actor}" + (f" and {with_actor}" if with_actor else "") + f": {df.height} dated steps"
    emit(df, fmt, title=title, caption=data.info.label())


def cite(
    table: str = typer.Option(None, "--table", help="actors, ties or events (default: all)."),
    actor: str = typer.Option(None, "--actor", help="Rows that involve this actor."),
    kind: str = typer.Option(None, "--kind", help="Ties or events of this kind."),
    fmt: str = typer.Option(
        "table", "--format", help="table, csv or json; with --for or --steps: bibtex or text"
    ),
    for_file: Path = typer.Option(
        None, "--for", help="An output of alliancekit: cite every source and step it used."
    ),
    steps: str = typer.Option(
        None,
        "--steps",
        help="Cite these steps' sources: comma-separated cow, gw, atop, nmc, majors, "
        "contiguity, ties.",
    ),
) -> None:
    """The sources behind a subset of the curated data, and how to cite the dataset; with
    --for FILE or --steps, BibTeX (or text) for every data source and step used."""
    if for_file is not None or steps is not None:
        import sys

        from alliancekit import provenance
        from alliancekit.cli._output import check_format

        chosen = "bibtex" if fmt == "table" else check_format(fmt, provenance.CITE_FORMATS)
        names = [x.strip() for x in steps.split(",") if x.strip()] if steps else None
        from alliancekit._params import parameters_as

        with parameters_as(
            {"steps": "--steps", "format": "--format", "path": "--for", "file": "--for"}
        ):
            text = provenance.cite(names, file=for_file, fmt=chosen)
        sys.stdout.write(text + "\n")
        return
    from alliancekit.cli._output import check_format, console, emit
    from alliancekit.data import citation
    from alliancekit.data import cite as run

    check_format(fmt)
    from alliancekit._params import parameters_as

    with parameters_as({"table": "--table", "actor": "--actor", "kind": "--kind"}):
        sources = run(table, actor=actor, kind=kind)
    emit(sources, fmt, title="Sources")
    if fmt == "table":
        console.print(citation())


@codes_app.command("convert")
def codes_convert(
    values: list[str] = typer.Argument(..., help="Codes to convert."),
    origin: str = typer.Option(
        ..., "--from", help="iso3c, cown, gwn, cowc, gwc, iso2c, country.name"
    ),
    destination: str = typer.Option(..., "--to", help="the scheme to convert to"),
    year: int = typer.Option(
        None,
        "--year",
        help="The year, for codes whose state depends on it (COW 345, 255/260, ...); "
        "default: the present.",
    ),
) -> None:
    """Convert codes; an unmatched code prints as NA and the command exits 1. Known gaps of
    countrycode (Serbia, West Germany, Yemen, Vietnam) are fixed by year (see
    ``alliancekit.codes``)."""
    from alliancekit.cli._output import console, error
    from alliancekit.codes import convert

    parsed: list = [
        int(v) if origin in ("cown", "gwn") and v.lstrip("-").isdigit() else v for v in values
    ]
    out = convert(parsed, origin, destination, year=year)
    for v, o in zip(values, out, strict=True):
        console.print(f"{v}\t{'NA' if o is None else o}", highlight=False)
    missing = [v for v, o in zip(values, out, strict=True) if o is None]
    if missing:
        error(f"no {destination} code for: {', '.join(missing)}")
        raise typer.Exit(1)


@codes_app.command("table")
def codes_table(
    path: Path = typer.Argument(..., help="A CSV file."),
    column: str = typer.Option(..., "--column", help="The column holding the codes."),
    origin: str = typer.Option(..., "--from", help="Scheme of that column."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV file to write."),
    year_column: str = typer.Option(
        None, "--year-column", help="A column of years, for codes whose state depends on it."
    ),
) -> None:
    """Add iso3c, cown and gwn columns to a CSV file; unmatched codes are errors by row."""
    import io

    import polars as pl

    from alliancekit.cli._output import console
    from alliancekit.codes import add_codes
    from alliancekit.paths import output_path
    from alliancekit.schema import ParameterError
    from alliancekit.textfile import read_table_text

    output_path(output, "--output")
    text = read_table_text(path)  # names the file when missing, a folder, not UTF-8 or empty
    try:
        df = pl.read_csv(io.StringIO(text), infer_schema_length=0)
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ParameterError("PATH", f"{path}: not a readable CSV table ({first})") from None
    if origin in ("cown", "gwn") and column in df.columns:
        df = df.with_columns(pl.col(column).cast(pl.Int64, strict=False).alias(column))
    from alliancekit._params import parameters_as

    with parameters_as({"column": "--column", "year_column": "--year-column"}):
        out = add_codes(df, column, origin, file=str(path), year_column=year_column)
    out.write_csv(output)
    console.print(f"wrote {out.height} rows (read {df.height}) to {output}")


def report(
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="File to write."),
    extra: list[Path] = typer.Option(
        None, "--extra", help="Extension file merged into the data; repeatable."
    ),
    fmt: str = typer.Option(
        "html", "--format", help="html, or pdf (the same report printed by Chromium)."
    ),
    sweep: Path = typer.Option(
        None, "--sweep", help="Add a section on this sweep table (from 'simulate run')."
    ),
) -> None:
    """Write the self-contained HTML report (charts, network, tables, citations), or its PDF."""
    import contextlib
    import sys

    from alliancekit.data import load
    from alliancekit.report import build_report
    from alliancekit.schema import choice

    choice(fmt, ("html", "pdf"), "--format", "format")
    # A spinner with the section being built, on a terminal only: rich's progress display is
    # a tenth of a second of imports that a pipe or a script would pay for nothing.
    terminal = sys.stdout.isatty()
    if terminal:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from alliancekit.cli._output import console

        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        task = progress.add_task("loading data", total=None)

        def say(text: str) -> None:
            progress.update(task, description=text)
    else:
        progress = contextlib.nullcontext()

        def say(text: str) -> None:
            pass

    with progress:
        data = load(extra or ())

        def step(name: str) -> None:
            say(f"section: {name}")

        if fmt == "pdf":
            import tempfile

            from alliancekit.report.pdf import html_to_pdf

            with tempfile.TemporaryDirectory() as tmp:
                html_path = build_report(
                    data, Path(tmp) / "report.html", on_section=step, sweep=sweep
                )
                say("printing PDF")
                from alliancekit._params import parameters_as

                with parameters_as({"pdf_path": "--format"}):
                    path = html_to_pdf(html_path, output)
        else:
            path = build_report(data, output, on_section=step, sweep=sweep)
    done = f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB; {data.info.label()})"
    if terminal:
        console.print(done)
    else:  # a plain line for pipes and logs, unwrapped
        print(done)


def _version(value: bool) -> None:
    if value:
        from alliancekit import __version__

        print(f"alliancekit {__version__}")
        raise typer.Exit()


def main_options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print alliancekit's version and exit.",
    ),
) -> None:
    """Analyse the system of alliances and security partnerships."""


# The top-level commands and groups register() adds, by their names on the command line.
COMMANDS = ("timeline", "cite", "report", "serve", "codes")


def register(app: typer.Typer) -> None:
    app.callback()(main_options)
    app.command()(timeline)
    app.command()(cite)
    app.command()(report)
    app.command()(serve)
    app.add_typer(codes_app, name="codes")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    sweep: Path = typer.Option(None, "--sweep", help="Monte Carlo sweep results (Parquet)."),
    extra: list[Path] = typer.Option(
        None, "--extra", help="Extension file merged into the data; repeatable."
    ),
) -> None:
    """Start the local dashboard and its JSON API; prints the address, opens nothing."""
    from alliancekit._params import parameters_as
    from alliancekit.app import serve as run
    from alliancekit.cli._output import console

    with parameters_as({"port": "--port", "sweep": "--sweep"}):
        run(
            host,
            port,
            extra=extra or (),
            sweep=sweep,
            echo=lambda s: console.print(s, highlight=False, soft_wrap=True),
        )
