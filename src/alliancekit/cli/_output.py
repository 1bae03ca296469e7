"""Printing for the CLI: rich tables on a terminal, CSV or JSON for pipes and files."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    import polars as pl

# Markup and emoji codes are off: what is printed comes from data, files and paths, and a tie
# named "Treaty [/] of ..." or a folder "[sic]" must print as it is. Styles are given with
# ``style=`` (see :func:`styled`), never as markup inside text.
console = Console(markup=False, emoji=False)
err_console = Console(stderr=True, markup=False, emoji=False)


def styled(label: str, style: str, rest: str = ""):
    """A line whose first word is coloured and whose rest is printed verbatim."""
    from rich.text import Text

    return Text.assemble((label, style), rest)


OUTPUT_FORMATS = ("table", "csv", "json")


def error(message: str) -> None:
    err_console.print(styled("error:", "bold red", f" {message}"), highlight=False, soft_wrap=True)


def warning(message: str) -> None:
    err_console.print(
        styled("warning:", "bold yellow", f" {message}"), highlight=False, soft_wrap=True
    )


def check_format(fmt: str, allowed: tuple[str, ...] = OUTPUT_FORMATS) -> str:
    from alliancekit.schema import choice

    return choice(fmt, allowed, "--format", "format")


def emit(
    df: pl.DataFrame,
    fmt: str = "table",
    title: str | None = None,
    caption: str | None = None,
    raw_csv: bool = False,
) -> None:
    """Print a table in the chosen format (lists are joined with ';' for CSV; CSV text cells
    that would run as spreadsheet formulas are prefixed with ``'`` unless ``raw_csv``)."""
    import polars as pl

    check_format(fmt)
    if fmt == "json":
        sys.stdout.write(df.write_json() + "\n")
        return
    flat = df.with_columns(
        [pl.col(c).list.join(";") for c, t in df.schema.items() if isinstance(t, pl.List)]
    )
    if fmt == "csv":
        from alliancekit.paths import neutralise_formulas

        sys.stdout.write((flat if raw_csv else neutralise_formulas(flat)).write_csv())
        return
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False)
    for c in flat.columns:
        table.add_column(c, overflow="fold")
    for row in flat.iter_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def write_output(df: pl.DataFrame, output, fmt: str, record: dict, default: str = "table") -> None:
    """Write ``df`` to ``output`` (the format its suffix names) with its provenance record,
    and say where the record went. ``--format`` is for printing: with ``-o`` it stays at its
    ``default``."""
    from alliancekit._params import parameters_as
    from alliancekit.schema import ParameterError
    from alliancekit.writers import SIDECAR_SUFFIXES, write_table

    if fmt != default:
        raise ParameterError(
            "--format", "give --format to print, or -o FILE to write (its suffix names the format)"
        )
    with parameters_as({"path": "--output"}):
        path = write_table(df, output, record)
    where = (
        f"{path.name}.json beside it"
        if path.suffix.lower() in SIDECAR_SUFFIXES
        else "the file's metadata"
    )
    console.print(
        f"wrote {df.height} rows to {path} (provenance: {where}; alliancekit cite --for {path})",
        highlight=False,
    )
