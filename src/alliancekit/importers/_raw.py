"""Reading a publisher's file for the importers: whatever its container, into a
:class:`RawTable` of text cells, its layout found, problems collected in an :class:`IssueList`.

Rules every importer follows:

- the container is told by its content, not its name: parquet (``PAR1``), gzip (``1f 8b``) or
  text (UTF-8, else Latin-1); a truncated gzip, an empty file or an unreadable parquet file is a
  file-level issue (row ``None``);
- column names are compared without case and surrounding blanks;
- the number of rows out equals the number of data rows in (checked against the raw line count
  for unquoted text files).
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from alliancekit.schema import DataValidationError, Issue

MAX_ISSUES = 200  # per file; more are summarised, never silently ignored
MISSING_STRINGS = ("", "NA", "na", "NaN", "nan", ".", "NULL", "null")


@dataclass
class RawTable:
    """A file's rows, every column as read (strings for text files, typed for parquet)."""

    name: str  # how issues name the file
    df: pl.DataFrame
    text_rows: int | None  # data rows counted on the raw text (None for parquet / quoted text)
    header: bool


class IssueList(list):
    """A list of issues that stops growing at MAX_ISSUES (and says so)."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def add(self, issue: Issue) -> None:
        if len(self) < MAX_ISSUES:
            self.append(issue)
        else:
            self.dropped += 1

    def raise_if_any(self, name: str) -> None:
        if self:
            if self.dropped:
                self.append(
                    Issue(
                        name,
                        None,
                        None,
                        "more_issues",
                        f"{self.dropped} further issue(s) not listed",
                    )
                )
            raise DataValidationError(list(self))


def fail(
    name: str,
    rule: str,
    message: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> DataValidationError:
    return DataValidationError([Issue(name, row, column, rule, message, value)])


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16, as spreadsheet programs save it
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Publishers' older text files (e.g. the G-W lists) are Latin-1.
        return data.decode("latin-1")


def _ragged_row(text: str, sep: str, header: bool) -> tuple[int, int, int] | None:
    """The first data row whose field count differs from the first line's:
    (1-based data row, fields found, fields expected)."""
    import csv

    reader = csv.reader(io.StringIO(text), delimiter=sep)
    expected = None
    data_row = 0
    for fields in reader:
        if not fields:
            continue
        if expected is None:
            expected = len(fields)
            if header:
                continue
        data_row += 1
        if len(fields) != expected:
            return data_row, len(fields), expected
    return None


def read_raw(path: str | Path, *, sep: str | None = None, header: bool | None = None) -> RawTable:
    """Read a parquet, gzip or text file into a frame (text: all columns as strings).

    ``sep``: the field separator (default: tab when the first line has tabs and no commas,
    else comma). ``header``: whether the first line names the columns (default: yes unless its
    first field is a number).
    """
    p = Path(path)
    name = str(p)
    if not p.exists():
        raise fail(name, "missing_file", "file not found")
    if p.is_dir():
        raise fail(name, "missing_file", "is a directory, not a file")
    data = p.read_bytes()
    if not data:
        raise fail(name, "empty_file", "the file is empty")
    if data[:4] == b"PAR1":
        try:
            df = pl.read_parquet(io.BytesIO(data))
        except Exception as exc:  # polars raises several error types for broken parquet
            raise fail(name, "unreadable_file", f"not a readable parquet file ({exc})") from None
        if df.height == 0:
            raise fail(name, "empty_file", "the parquet file has no rows")
        df = df.rename({c: c.strip().lower() for c in df.columns})
        return RawTable(name, df, None, True)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise fail(
                name,
                "corrupt_gzip",
                f"the gzip stream is truncated or corrupt ({exc}); download the file again",
            ) from None
        if not data:
            raise fail(name, "empty_file", "the file is empty (inside its gzip container)")
    if b"\x00" in data[:65536] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise fail(
            name,
            "binary_file",
            "a binary file, not delimited text, gzip or parquet: give the CSV (or .csv.gz, "
            ".parquet) file as the publisher distributes it",
        )
    text = _decode(data)
    if not text.strip():
        raise fail(name, "empty_file", "the file has no rows (only blanks)")
    first = text.lstrip("\r\n").split("\n", 1)[0]
    if sep is None:
        sep = "\t" if ("\t" in first and "," not in first) else ","
    if header is None:
        head = first.split(sep)[0].strip().strip('"')
        header = not _is_number(head)
    try:
        df = pl.read_csv(
            io.StringIO(text),
            separator=sep,
            has_header=header,
            infer_schema=False,
            truncate_ragged_lines=False,
        )
    except Exception as exc:
        ragged = _ragged_row(text, sep, header)
        if ragged is not None:
            row, found, expected = ragged
            raise fail(
                name,
                "ragged_row",
                f"this row has {found} fields where the first line has {expected}; check its "
                "separators and quotes",
                row=row,
            ) from None
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(
            name, "unreadable_file", f"cannot parse as delimited text ({first_line})"
        ) from None
    if header:
        df = df.rename({c: c.strip().lower() for c in df.columns})
    if df.height == 0:
        raise fail(name, "empty_file", "the file has a header but no data rows")
    text_rows = None
    if '"' not in text:
        lines = sum(1 for line in text.splitlines() if line.strip())
        text_rows = lines - (1 if header else 0)
        if text_rows != df.height:
            raise fail(
                name,
                "row_count",
                f"read {df.height} rows but the file has {text_rows} non-empty data lines",
            )
    return RawTable(name, df, text_rows, header)


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def find_layout(raw: RawTable, layouts: dict[str, Sequence[str]], what: str) -> str:
    """The first layout whose columns the file has (case-insensitively), else an issue."""
    cols = set(raw.df.columns)
    for layout, needed in layouts.items():
        if all(c in cols for c in needed):
            return layout
    best = max(layouts.items(), key=lambda kv: sum(c in cols for c in kv[1]))
    missing = [c for c in best[1] if c not in cols]
    shown = ", ".join(raw.df.columns[:12]) + (" ..." if len(raw.df.columns) > 12 else "")
    options = "; ".join(f"{k}: {', '.join(v)}" for k, v in layouts.items())
    raise DataValidationError(
        [
            Issue(
                raw.name,
                0,
                None,
                "wrong_columns",
                f"its columns [{shown}] are not those of {what}; expected one of the layouts "
                f"({options}); closest layout '{best[0]}' lacks {', '.join(missing)}",
            )
        ]
    )
