"""Reading a user's or a curated text table: the file-level problems, named once for all."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from alliancekit.schema import DataValidationError, Issue

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
    for i, raw in enumerate(reader, start=1):
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
