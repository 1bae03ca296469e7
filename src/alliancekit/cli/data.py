"""``alliancekit data …``: validate, show and export the curated tables."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="The curated dataset: validate, show, export (and import reference data).",
    no_args_is_help=True,
)

ExtraOpt = typer.Option(
    None, "--extra", help="A user's extension file (same columns as a table); repeatable."
)
RawOpt = typer.Option(
    False,
    "--raw",
    help="CSV: keep text cells that start with = + - @ as they are (by default they are "
    "prefixed with ' so that a spreadsheet does not run them as formulas).",
)


@app.command()
def validate(extra: list[Path] = ExtraOpt) -> None:
    """Validate the shipped data and any extension files; exit 1 listing every error."""
    from alliancekit.cli._output import console, error, styled
    from alliancekit.data import load
    from alliancekit.data import validate as run

    issues = run(extra or ())
    # The spending table is curated too: held to its own rules (alliancekit.burden.data).
    from alliancekit.burden.data import SPENDING_FILE, read_spending
    from alliancekit.schema import DataValidationError

    spending_rows = 0
    try:
        spending_rows = read_spending(SPENDING_FILE).height
    except DataValidationError as exc:
        issues = [*issues, *exc.issues]
    if issues:
        for issue in issues:
            error(str(issue))
        console.print(styled(f"{len(issues)} error(s)", "red"))
        raise typer.Exit(1)
    data = load(extra or ())
    console.print(
        styled(
            "valid",
            "green",
            f": {data.actors.height} actors, {data.ties.height} ties, "
            f"{data.events.height} events, {spending_rows} spending figures from "
            f"{len(data.files) + 1} files ({data.info.label()})",
        )
    )


@app.command()
def show(
    table: str = typer.Argument(..., help="actors, ties or events"),
    actor: str = typer.Option(None, "--actor", help="Only rows that involve this actor id."),
    kind: str = typer.Option(None, "--kind", help="Only rows of this kind."),
    year: int = typer.Option(
        None, "--year", help="Ties in force during the year; events of the year."
    ),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
    extra: list[Path] = ExtraOpt,
    raw: bool = RawOpt,
) -> None:
    """Show a table, filtered."""
    from alliancekit.cli._output import check_format, emit
    from alliancekit.data import load
    from alliancekit.query import select_rows

    check_format(fmt)
    data = load(extra or ())
    df = select_rows(data, table, actor=actor, kind=kind, year=year)
    cols = {
        "actors": ["actor_id", "name", "kind", "iso3", "cow_code", "gw_code", "theatre"],
        "ties": [
            "tie_id",
            "kind",
            "actor_a",
            "actor_b",
            "name",
            "signed",
            "in_force",
            "ended",
            "strength",
        ],
        "events": ["event_id", "date", "kind", "actors", "title"],
    }[table]
    out = df.select(cols) if fmt == "table" else df.drop("origin")
    emit(out, fmt, title=f"{table} ({df.height} rows)", caption=data.info.label(), raw_csv=raw)


@app.command()
def export(
    table: str = typer.Argument(..., help="actors, ties or events"),
    fmt: str = typer.Option(..., "--format", help="csv, parquet or json"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    extra: list[Path] = ExtraOpt,
    raw: bool = RawOpt,
) -> None:
    """Export a table, carrying the dataset's version and as-of date."""
    from alliancekit.cli._output import console
    from alliancekit.data import export_frame, load

    data = load(extra or ())
    df = data.table(table).drop("origin")
    path = export_frame(df, output, fmt, raw_csv=raw)
    console.print(f"wrote {df.height} rows of {table} to {path} ({data.info.label()})")
