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
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """The sources behind a subset of the curated data, and how to cite the dataset."""
    from alliancekit.cli._output import check_format, console, emit
    from alliancekit.data import citation
    from alliancekit.data import cite as run

    check_format(fmt)
    emit(run(table, actor=actor, kind=kind), fmt, title="Sources")
    if fmt == "table":
        console.print(citation())


@codes_app.command("convert")
def codes_convert(
    values: list[str] = typer.Argument(..., help="Codes to convert."),
    origin: str = typer.Option(
        ..., "--from", help="iso3c, cown, gwn, cowc, gwc, iso2c, country.name"
    ),
    destination: str = typer.Option(..., "--to", help="the scheme to convert to"),
) -> None:
    """Convert codes; an unmatched code prints as NA and the command exits 1."""
    from alliancekit.cli._output import console, error
    from alliancekit.codes import convert

    parsed: list = [
        int(v) if origin in ("cown", "gwn") and v.lstrip("-").isdigit() else v for v in values
    ]
    out = convert(parsed, origin, destination)
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
) -> None:
    """Add iso3c, cown and gwn columns to a CSV file; unmatched codes are errors by row."""
    import polars as pl

    from alliancekit.cli._output import console
    from alliancekit.codes import add_codes
    from alliancekit.schema import ParameterError

    if not path.is_file():
        raise ParameterError("PATH", f"file not found: {path}")
    df = pl.read_csv(path, infer_schema_length=0)
    if origin in ("cown", "gwn") and column in df.columns:
        df = df.with_columns(pl.col(column).cast(pl.Int64, strict=False).alias(column))
    out = add_codes(df, column, origin, file=str(path))
    out.write_csv(output)
    console.print(f"wrote {out.height} rows (read {df.height}) to {output}")


def report(
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
    extra: list[Path] = typer.Option(
        None, "--extra", help="Extension file merged into the data; repeatable."
    ),
    sweep: Path = typer.Option(
        None, "--sweep", help="Add a section on this sweep table (from 'simulate run')."
    ),
) -> None:
    """Write the self-contained HTML report (charts, network, tables, citations)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from alliancekit.cli._output import console
    from alliancekit.data import load
    from alliancekit.report import build_report

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("loading data", total=None)
        data = load(extra or ())

        def step(name: str) -> None:
            progress.update(task, description=f"section: {name}")

        path = build_report(data, output, on_section=step, sweep=sweep)
    console.print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB; {data.info.label()})")


def register(app: typer.Typer) -> None:
    app.command()(timeline)
    app.command()(cite)
    app.command()(report)
    app.add_typer(codes_app, name="codes")
