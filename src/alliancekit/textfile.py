"""Reading a user's or a curated text table: the file-level problems, named once for all."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from alliancekit.schema import DataValidationError, Issue

# Long notes and quoted treaty texts are legitimate: allow fields up to 16 MiB (the default,
# 128 KiB, made such files fail with a bare csv error).
csv.field_size_limit(min(sys.maxsize, 1 << 24))

# The checkout (or site-packages) folder: curated files are named relative to it in messages.
_ROOT = Path(__file__).resolve().parent.parent.parent


def display_name(path: Path) -> str:
    """How messages name a file: relative to the checkout for the curated tables, else as given."""
    try:
        return str(path.resolve().relative_to(_ROOT))
    except ValueError:
        return str(path)


def read_table_text(path: Path, name: str | None = None) -> str:
    """The text of a CSV file (UTF-8, a BOM allowed); raises naming the file when it is missing,
    not UTF-8 or empty."""
    name = name or str(path)
    if path.is_dir():
        raise DataValidationError(
            [Issue(name, None, None, "missing_file", "is a folder, not a CSV file")]
        )
    if not path.is_file():
        raise DataValidationError([Issue(name, None, None, "missing_file", "file not found")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [Issue(name, None, None, "encoding", f"not UTF-8 text ({exc.reason})")]
        ) from None
    if not text.strip():
        raise DataValidationError(
            [Issue(name, None, None, "empty_file", "the file is empty (no header row)")]
        )
    return text


def read_table_rows(
    path: Path,
    table: str,
    columns: Iterable[str],
    optional: Iterable[str] = (),
) -> tuple[list[dict[str, str] | None], list[Issue]]:
    """The data rows of a CSV table as strings, checked against its columns.

    Row ``i`` of the result is the file's data row ``i`` (1-based, the header is row 0); a row
    with too many or too few fields is ``None`` there, so that later rows keep their numbers
    in messages. Raises :class:`DataValidationError` for file-level problems and unknown or
    missing columns (naming each); returns the field-count issues beside the rows.
    """
    name = display_name(path)
    text = read_table_text(path, name)
    reader = csv.DictReader(io.StringIO(text, newline=""), restval=None, restkey="__extra__")
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    columns = list(columns)
    optional = set(optional)
    issues = [
        Issue(name, 0, c, "missing_column", f"the {table} table needs this column")
        for c in columns
        if c not in header and c not in optional
    ]
    issues += [
        Issue(name, 0, c, "unknown_column", f"not a column of the {table} table")
        for c in header
        if c not in columns
    ]
    if issues:
        raise DataValidationError(issues)
    rows: list[dict[str, str] | None] = []
    try:
        records = list(reader)
    except csv.Error as exc:
        # e.g. a field over the csv module's limit, or a NUL byte: name the row it stopped at
        row = reader.line_num - 1
        raise DataValidationError(
            [Issue(name, row, None, "unreadable_row", f"cannot read this row as CSV ({exc})")]
        ) from None
    for i, raw in enumerate(records, start=1):
        if "__extra__" in raw:
            message = f"more fields than the {len(header)} columns"
            issues.append(Issue(name, i, None, "field_count", message))
            rows.append(None)
            continue
        missing = [k for k, v in raw.items() if v is None]
        if missing:
            message = f"fewer fields than the {len(header)} columns"
            issues.append(Issue(name, i, missing[0], "field_count", message))
            rows.append(None)
            continue
        rows.append(raw)
    return rows, issues
