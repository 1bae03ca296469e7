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
def validate(extra: list[Path] = ExtraOpt) -> None:
    """Validate the shipped data and any extension files; exit 1 listing every error."""
    from alliancekit.cli._output import console, error
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
        console.print(f"[red]{len(issues)} error(s)[/]")
        raise typer.Exit(1)
    data = load(extra or ())
    console.print(
        f"[green]valid[/]: {data.actors.height} actors, {data.ties.height} ties, "
        f"{data.events.height} events, {spending_rows} spending figures from "
        f"{len(data.files) + 1} files ({data.info.label()})"
    )


TABLES = ("actors", "ties", "events", "spending")


def _check_table(table: str) -> None:
    from alliancekit.schema import ParameterError

    if table not in TABLES:
        raise ParameterError("TABLE", f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def _spending_rows(actor: str | None, kind: str | None, year: int | None):
    """The curated spending figures, filtered (``kind``: a measure, e.g. burden)."""
    import polars as pl

    from alliancekit.burden.data import load_spending
    from alliancekit.schema import ParameterError

    df = load_spending().drop("file", "row")
    if actor is not None:
        df = df.filter(pl.col("actor_id") == actor)
    if kind is not None:
        known = sorted(set(load_spending()["measure"].to_list()))
        if kind not in known:
            raise ParameterError("--kind", f"no measure {kind!r}; measures: {', '.join(known)}")
        df = df.filter(pl.col("measure") == kind)
    if year is not None:
        df = df.filter(pl.col("year") == year)
    return df


@app.command()
def show(
    table: str = typer.Argument(..., help="actors, ties, events or spending"),
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
    _check_table(table)
    data = load(extra or ())
    if table == "spending":  # --kind is a measure: burden, spending, gdp, ...
        df = _spending_rows(actor, kind, year)
        shown = ["actor_id", "year", "measure", "value", "unit", "price_basis", "edition"]
        out = df.select(shown) if fmt == "table" else df
        emit(out, fmt, title=f"spending ({df.height} rows)", caption=data.info.label())
        return
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
    table: str = typer.Argument(..., help="actors, ties, events or spending"),
    fmt: str = typer.Option(..., "--format", help="csv, parquet or json"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    extra: list[Path] = ExtraOpt,
) -> None:
    """Export a table, carrying the dataset's version and as-of date."""
    from alliancekit.cli._output import console
    from alliancekit.data import export_frame, load

    _check_table(table)
    data = load(extra or ())
    df = _spending_rows(None, None, None) if table == "spending" else data.table(table)
    df = df.drop("origin", strict=False)
    path = export_frame(df, output, fmt)
    console.print(f"wrote {df.height} rows of {table} to {path} ({data.info.label()})")
