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


@app.command()
def validate(
    extra: list[Path] = ExtraOpt,
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Fail on warnings too: weak sources and rows without a verified_on date.",
    ),
) -> None:
    """Validate the shipped data and any extension files; exit 1 listing every error.

    Warnings (weak sources, rows without verified_on) are listed but do not fail the check
    unless --strict is given.
    """
    from alliancekit.burden.data import SPENDING_FILE, spending_issues
    from alliancekit.cli._output import console, error, warning
    from alliancekit.data import load, strictly
    from alliancekit.data import validate as run

    # The spending table is curated too: held to its own rules (alliancekit.burden.data).
    issues = strictly([*run(extra or ()), *spending_issues(SPENDING_FILE)], strict)
    errors = [i for i in issues if i.is_error]
    for issue in issues:
        (error if issue.is_error else warning)(str(issue))
    if errors:
        console.print(f"[red]{len(errors)} error(s)[/]")
        raise typer.Exit(1)
    from alliancekit.burden.data import load_spending

    data = load(extra or ())
    warned = f", {len(issues)} warning(s)" if issues else ""
    console.print(
        f"[green]valid[/]{warned}: {data.actors.height} actors, {data.ties.height} ties, "
        f"{data.events.height} events, {load_spending().height} spending figures from "
        f"{len(data.files) + 1} files ({data.info.label()})"
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
    emit(out, fmt, title=f"{table} ({df.height} rows)", caption=data.info.label())


@app.command()
def export(
    table: str = typer.Argument(..., help="actors, ties or events"),
    fmt: str = typer.Option(..., "--format", help="csv, parquet or json"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    extra: list[Path] = ExtraOpt,
) -> None:
    """Export a table, carrying the dataset's version and as-of date."""
    from alliancekit.cli._output import console
    from alliancekit.data import export_frame, load

    data = load(extra or ())
    df = data.table(table).drop("origin")
    path = export_frame(df, output, fmt)
    console.print(f"wrote {df.height} rows of {table} to {path} ({data.info.label()})")
