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
    from alliancekit.cli._output import console, error, styled, warning
    from alliancekit.data import load, strictly
    from alliancekit.data import validate as run

    # The spending table is curated too: held to its own rules (alliancekit.burden.data).
    issues = strictly([*run(extra or ()), *spending_issues(SPENDING_FILE)], strict)
    errors = [i for i in issues if i.is_error]
    for issue in issues:
        (error if issue.is_error else warning)(str(issue))
    if errors:
        console.print(styled(f"{len(errors)} error(s)", "red"))
        raise typer.Exit(1)
    from alliancekit.burden.data import load_spending

    data = load(extra or ())
    warned = f", {len(issues)} warning(s)" if issues else ""
    console.print(
        styled(
            "valid",
            "green",
            f"{warned}: {data.actors.height} actors, {data.ties.height} ties, "
            f"{data.events.height} events, {load_spending().height} spending figures from "
            f"{len(data.files) + 1} files ({data.info.label()})",
        )
    )


TABLES = ("actors", "ties", "events", "spending")


def _check_table(table: str) -> None:
    from alliancekit.schema import choice

    choice(table, TABLES, "TABLE", "table")


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
    raw: bool = RawOpt,
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
    from alliancekit._params import parameters_as

    with parameters_as({"actor": "--actor", "kind": "--kind", "year": "--year"}):
        df = select_rows(data, table, actor=actor, kind=kind, year=year)
    from alliancekit.schema import SOURCE_COLUMNS, TABLE_COLUMNS

    # The table view leaves out the source columns (the other formats keep every column).
    cols = [c for c in TABLE_COLUMNS[table] if c not in (*SOURCE_COLUMNS, "note")]
    out = df.select(cols) if fmt == "table" else df.drop("origin")
    emit(out, fmt, title=f"{table} ({df.height} rows)", caption=data.info.label(), raw_csv=raw)


@app.command()
def export(
    table: str = typer.Argument(..., help="actors, ties, events or spending"),
    fmt: str = typer.Option(..., "--format", help="csv, parquet or json"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    extra: list[Path] = ExtraOpt,
    raw: bool = RawOpt,
) -> None:
    """Export a table, carrying the dataset's version and as-of date."""
    from alliancekit.cli._output import console
    from alliancekit.data import export_frame, load

    _check_table(table)
    data = load(extra or ())
    df = _spending_rows(None, None, None) if table == "spending" else data.table(table)
    df = df.drop("origin", strict=False)
    from alliancekit import provenance

    record = provenance.output_record(
        f"data export {table}",
        options={"table": table, "format": fmt, "raw": raw},
        inputs=[provenance.file_input(f, "extension") for f in extra or ()],
        sources=provenance.spending_sources(df) if table == "spending" else (),
    )
    path = export_frame(
        df,
        output,
        fmt,
        raw_csv=raw,
        metadata=provenance.parquet_metadata(record),
        members={"provenance": record},
    )
    if fmt == "csv":
        provenance.write_sidecar(path, record)
    console.print(f"wrote {df.height} rows of {table} to {path} ({data.info.label()})")


@app.command()
def coverage(
    by: str = typer.Option("actor", "--by", help="actor, kind or year"),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
    extra: list[Path] = ExtraOpt,
) -> None:
    """What the data cover: ties per actor, kind or year; each state's share of the agreement
    (non-membership) ties; the share of rows by source_kind.

    table prints all three; csv prints the --by table; json gives
    {"by", "table", "balance", "sources"}.
    """
    import json
    import sys

    import polars as pl

    from alliancekit.burden.data import load_spending
    from alliancekit.cli._output import check_format, console, emit, styled
    from alliancekit.data import load
    from alliancekit.data.coverage import MAX_AGREEMENT_SHARE
    from alliancekit.data.coverage import coverage as run

    check_format(fmt)
    data = load(extra or ())
    cov = run(data, by, spending=load_spending())
    if fmt == "csv":
        emit(cov.table, "csv")
        return
    if fmt == "json":
        payload = {
            "by": cov.by,
            "dataset": data.info.label(),
            **{
                k: json.loads(getattr(cov, k).write_json()) for k in ("table", "balance", "sources")
            },
        }
        sys.stdout.write(json.dumps(payload) + "\n")
        return
    shown = cov.table
    share_cols = [c for c in shown.columns if "share" in c]
    shown = shown.with_columns(pl.col(share_cols).round(3))
    if by == "actor":
        kinds = shown.columns[6:]
        shown = shown.with_columns(
            kinds=pl.concat_str(
                [pl.when(pl.col(k) > 0).then(pl.format(f"{k} {{}}", pl.col(k))) for k in kinds],
                separator=", ",
                ignore_nulls=True,
            )
        ).drop(kinds)
    emit(shown, "table", title=f"Ties by {by} ({data.ties.height} ties)", caption=data.info.label())
    bal = cov.balance.filter(pl.col("agreement_ties") > 0).with_columns(pl.col("share").round(3))
    emit(
        bal,
        "table",
        title=f"Share of the {data.ties.filter(pl.col('kind') != 'member').height} agreement "
        f"(non-membership) ties per state; balance rule: at most {MAX_AGREEMENT_SHARE:.0%}",
    )
    emit(cov.sources.with_columns(pl.col("share").round(3)), "table", title="Rows by source_kind")
    over = bal.filter(pl.col("above_max"))["actor"].to_list()
    if over:
        console.print(styled("above the balance rule:", "yellow", f" {', '.join(over)}"))
