"""Reading a user's or a curated text table: the file-level problems, named once for all."""

from __future__ import annotations

from pathlib import Path

from alliancekit.schema import DataValidationError, Issue


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
