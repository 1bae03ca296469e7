"""Printing for the CLI: rich tables on a terminal, CSV or JSON for pipes and files."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    import polars as pl

console = Console()
err_console = Console(stderr=True)
OUTPUT_FORMATS = ("table", "csv", "json")


def error(message: str) -> None:
    from rich.markup import escape

    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def warning(message: str) -> None:
    from rich.markup import escape

    err_console.print(
        f"[bold yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True
    )


def check_format(fmt: str, allowed: tuple[str, ...] = OUTPUT_FORMATS) -> str:
    from alliancekit.schema import ParameterError

    if fmt not in allowed:
        raise ParameterError(
            "--format", f"unknown format {fmt!r}; choose one of {', '.join(allowed)}"
        )
    return fmt


def emit(
    df: pl.DataFrame, fmt: str = "table", title: str | None = None, caption: str | None = None
) -> None:
    """Print a table in the chosen format (lists are joined with ';' for CSV)."""
    import polars as pl

    check_format(fmt)
    if fmt == "json":
        sys.stdout.write(df.write_json() + "\n")
        return
    flat = df.with_columns(
        [pl.col(c).list.join(";") for c, t in df.schema.items() if isinstance(t, pl.List)]
    )
    if fmt == "csv":
        sys.stdout.write(flat.write_csv())
        return
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False)
    for c in flat.columns:
        table.add_column(c, overflow="fold")
    for row in flat.iter_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
