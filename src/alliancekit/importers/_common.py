"""Shared machinery of the importers: read a file whatever its container, find its layout,
parse typed columns and collect every problem as an :class:`~alliancekit.schema.Issue`.

Rules every importer follows:

- the container is told by its content, not its name: parquet (``PAR1``), gzip (``1f 8b``) or
  text (UTF-8, else Latin-1); a truncated gzip, an empty file or an unreadable parquet file is a
  file-level issue (row ``None``);
- column names are compared without case and surrounding blanks;
- a row is never dropped or repaired: a bad cell is an issue naming file, 1-based data row
  (the header is row 0), column and value, and the importer raises them all together;
- the number of rows out equals the number of data rows in (checked against the raw line count
  for unquoted text files).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from alliancekit.codes import builtin_codes  # noqa: F401 - the importers check codes with it
from alliancekit.schema import YEAR_MAX, YEAR_MIN, DataValidationError, Issue

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


def _row_numbers(mask: pl.Series) -> list[int]:
    return [i + 1 for i in mask.arg_true().to_list()]


def int_column(
    raw: RawTable,
    column: str,
    issues: IssueList,
    *,
    shown: str | None = None,
    lo: int | None = None,
    hi: int | None = None,
    allowed: Collection[int] | None = None,
    missing_codes: Collection[int] = (),
    required: bool = True,
) -> pl.Series:
    """Parse one column as integers (Int64), recording non-integers and out-of-range values.

    ``missing_codes`` (e.g. ``-9``) and blank cells become null; a null in a ``required`` column
    is an issue.
    """
    s = raw.df.get_column(column)
    label = shown or column
    if s.dtype == pl.String:
        txt = s.str.strip_chars()
        blank = txt.is_null() | txt.is_in(MISSING_STRINGS)
        parsed = txt.cast(pl.Int64, strict=False)
        bad = parsed.is_null() & ~blank
        if bad.any():
            # Accept integral decimals ("1816.0"); anything else is not an integer.
            as_float = txt.cast(pl.Float64, strict=False)
            integral = as_float.is_not_null() & (as_float.round(0) == as_float)
            parsed = pl.select(
                pl.when(integral & bad)
                .then(as_float.cast(pl.Int64, strict=False))
                .otherwise(parsed)
            ).to_series()
            _overflow_issues(raw, s, integral & bad & parsed.is_null(), label, issues)
            bad = bad & ~integral
            for row in _row_numbers(bad):
                issues.add(
                    Issue(raw.name, row, label, "not_an_integer", "not an integer", str(s[row - 1]))
                )
        parsed = parsed.set(blank, None) if blank.any() else parsed
    elif s.dtype.is_integer():
        parsed = s.cast(pl.Int64)
    elif s.dtype.is_float():
        integral = s.is_null() | s.is_nan() | (s.round(0) == s)
        bad = ~integral.fill_null(True)
        for row in _row_numbers(bad):
            issues.add(
                Issue(raw.name, row, label, "not_an_integer", "not an integer", str(s[row - 1]))
            )
        parsed = s.fill_nan(None).cast(pl.Int64, strict=False)
        _overflow_issues(
            raw, s, (integral & ~s.is_nan() & parsed.is_null()).fill_null(False), label, issues
        )
    else:
        issues.add(
            Issue(raw.name, None, label, "wrong_type", f"column has type {s.dtype}, not integers")
        )
        return pl.Series(column, [None] * raw.df.height, dtype=pl.Int64)
    if missing_codes:
        parsed = parsed.set(parsed.is_in(list(missing_codes)).fill_null(False), None)
    if required:
        for row in _row_numbers(
            parsed.is_null() & ~_bad_mask(issues, raw.name, label, raw.df.height)
        ):
            issues.add(Issue(raw.name, row, label, "required", "a value is required here"))
    checks = []
    if lo is not None:
        checks.append((parsed < lo, f"below the minimum {lo}"))
    if hi is not None:
        checks.append((parsed > hi, f"above the maximum {hi}"))
    if allowed is not None:
        checks.append((~parsed.is_in(list(allowed)), f"not one of {sorted(allowed)}"))
    for mask, msg in checks:
        mask = mask.fill_null(False)
        for row in _row_numbers(mask):
            issues.add(Issue(raw.name, row, label, "out_of_range", msg, str(parsed[row - 1])))
    return parsed.alias(column)


def _overflow_issues(
    raw: RawTable, s: pl.Series, mask: pl.Series, label: str, issues: IssueList
) -> None:
    """Integral values too large for a 64-bit integer: an issue, never a silent null."""
    for row in _row_numbers(mask.fill_null(False)):
        issues.add(
            Issue(
                raw.name,
                row,
                label,
                "out_of_range",
                "too large for an integer column (beyond ±9.2e18)",
                str(s[row - 1]),
            )
        )


def _bad_mask(issues: IssueList, name: str, column: str, n: int) -> pl.Series:
    rows = [i.row - 1 for i in issues if i.file == name and i.column == column and i.row]
    mask = pl.Series([False] * n, dtype=pl.Boolean)
    if rows:
        mask = mask.scatter(rows, True)
    return mask


def float_column(
    raw: RawTable, column: str, issues: IssueList, *, missing_codes=(), lo: float | None = None
) -> pl.Series:
    """Parse one column as Float64 (blank and ``missing_codes`` become null)."""
    s = raw.df.get_column(column)
    if s.dtype == pl.String:
        txt = s.str.strip_chars()
        blank = txt.is_null() | txt.is_in(MISSING_STRINGS)
        parsed = txt.cast(pl.Float64, strict=False)
        bad = parsed.is_null() & ~blank
        for row in _row_numbers(bad):
            issues.add(
                Issue(raw.name, row, column, "not_a_number", "not a number", str(s[row - 1]))
            )
    elif s.dtype.is_numeric():
        parsed = s.cast(pl.Float64).fill_nan(None)
    else:
        issues.add(
            Issue(raw.name, None, column, "wrong_type", f"column has type {s.dtype}, not numbers")
        )
        return pl.Series(column, [None] * raw.df.height, dtype=pl.Float64)
    if missing_codes:
        parsed = parsed.set(parsed.is_in([float(m) for m in missing_codes]).fill_null(False), None)
    for row in _row_numbers(parsed.is_infinite().fill_null(False)):
        issues.add(
            Issue(raw.name, row, column, "not_finite", "not a finite number", str(s[row - 1]))
        )
    if lo is not None:
        for row in _row_numbers((parsed < lo).fill_null(False)):
            issues.add(
                Issue(
                    raw.name,
                    row,
                    column,
                    "out_of_range",
                    f"below the minimum {lo}",
                    str(parsed[row - 1]),
                )
            )
    return parsed.alias(column)


def str_column(raw: RawTable, column: str) -> pl.Series:
    s = raw.df.get_column(column)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    s = s.str.strip_chars()
    return s.set(s.is_in(MISSING_STRINGS).fill_null(False), None).alias(column)


def date_column(
    raw: RawTable, column: str, issues: IssueList, *, formats: Sequence[str], required: bool = True
) -> pl.Series:
    """Parse a date column given as a date type or as text in one of ``formats``."""
    s = raw.df.get_column(column)
    if s.dtype == pl.Date:
        parsed = s
    elif isinstance(s.dtype, pl.Datetime):
        parsed = s.dt.date()
    else:
        txt = s.cast(pl.String).str.strip_chars()
        blank = txt.is_null() | txt.is_in(MISSING_STRINGS)
        parsed = None
        for fmt in formats:
            attempt = txt.str.strptime(pl.Date, fmt, strict=False)
            parsed = attempt if parsed is None else parsed.fill_null(attempt)
        bad = parsed.is_null() & ~blank
        for row in _row_numbers(bad):
            issues.add(
                Issue(
                    raw.name,
                    row,
                    column,
                    "bad_date",
                    f"not a date in the form {' or '.join(formats)}",
                    str(s[row - 1]),
                )
            )
    # Years outside the span every importer accepts (``-0005``, ``0099``, ``2999``) are typing
    # slips, not history: an error, as for integer year columns.
    year = parsed.dt.year()
    for row in _row_numbers(((year < YEAR_MIN) | (year > YEAR_MAX)).fill_null(False)):
        issues.add(
            Issue(
                raw.name,
                row,
                column,
                "out_of_range",
                f"a date outside {YEAR_MIN}-{YEAR_MAX}",
                str(s[row - 1]),
            )
        )
    if required:
        bad_rows = {i.row for i in issues if i.file == raw.name and i.column == column}
        for row in _row_numbers(parsed.is_null()):
            if row not in bad_rows:
                issues.add(Issue(raw.name, row, column, "required", "a date is required here"))
    return parsed.alias(column)


def ymd_dates(
    raw: RawTable, prefix: tuple[str, str, str], cols: dict[str, pl.Series], issues: IssueList
) -> pl.Series:
    """A Date from three integer columns (year, month, day), recording impossible dates."""
    y, m, d = (cols[c] for c in prefix)
    values: list[dt.date | None] = []
    for i, (yy, mm, dd) in enumerate(zip(y.to_list(), m.to_list(), d.to_list(), strict=True)):
        if yy is None or mm is None or dd is None:
            values.append(None)
            continue
        try:
            values.append(dt.date(yy, mm, dd))
        except ValueError as exc:
            issues.add(
                Issue(
                    raw.name,
                    i + 1,
                    prefix[2],
                    "bad_date",
                    f"impossible date ({exc})",
                    f"{yy}-{mm}-{dd}",
                )
            )
            values.append(None)
    return pl.Series(values, dtype=pl.Date)


def check_duplicates(name: str, df: pl.DataFrame, keys: Sequence[str], issues: IssueList) -> None:
    """Issue for every row whose ``keys`` repeat an earlier row's."""
    dup = df.select(
        pl.struct(keys).is_duplicated() & ~pl.struct(keys).is_first_distinct()
    ).to_series()
    if dup.any():
        first = df.with_row_index("_r").group_by(keys).agg(pl.col("_r").min().alias("_first"))
        rows = df.with_row_index("_r").filter(dup).join(first, on=list(keys), how="left")
        for r in rows.iter_rows(named=True):
            key = ", ".join(f"{k}={r[k]}" for k in keys)
            issues.add(
                Issue(
                    name,
                    r["_r"] + 1,
                    keys[0],
                    "duplicate_row",
                    f"repeats row {r['_first'] + 1} ({key})",
                )
            )


def check_codes(
    name: str,
    series: pl.Series,
    known: Collection[int] | None,
    issues: IssueList,
    column: str,
    system: str = "COW",
) -> None:
    """Issue for every code that is not a state code of the system."""
    if known is None:
        return
    bad = ~series.is_in(list(known)) & series.is_not_null()
    for row in _row_numbers(bad):
        issues.add(
            Issue(
                name,
                row,
                column,
                "unknown_code",
                f"not a {system} state code",
                str(series[row - 1]),
            )
        )


def finish(raw: RawTable, df: pl.DataFrame, issues: IssueList) -> pl.DataFrame:
    """Raise collected issues; check that no row was lost on the way."""
    issues.raise_if_any(raw.name)
    if df.height != raw.df.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"{raw.name}: {raw.df.height} rows in, {df.height} rows out")
    return df


def compact_int(s: pl.Series) -> pl.Series:
    """The smallest of Int16/Int32/Int64 that holds the values."""
    if s.null_count() == s.len():
        return s.cast(pl.Int32)
    lo, hi = s.min(), s.max()
    for dtype, (a, b) in ((pl.Int16, (-(2**15), 2**15 - 1)), (pl.Int32, (-(2**31), 2**31 - 1))):
        if a <= lo and hi <= b:
            return s.cast(dtype)
    return s.cast(pl.Int64)


def check_spells(
    name: str, df: pl.DataFrame, code: str, start: str, end: str, issues: IssueList
) -> None:
    """Add an issue for every spell of ``df`` that ends before it starts, and for every two
    spells of the same ``code`` that overlap (rows numbered from 1, in the file's order)."""
    rows = df.with_row_index("_r")
    for r in rows.filter(pl.col(start) > pl.col(end)).iter_rows(named=True):
        issues.add(
            Issue(
                name, r["_r"] + 1, end, "date_order", "the spell ends before it starts", str(r[end])
            )
        )
    ordered = rows.sort(code, start).with_columns(
        pl.col(end).shift(1).over(code).alias("_prev_end"),
        pl.col("_r").shift(1).over(code).alias("_prev_row"),
    )
    for r in ordered.filter(pl.col(start) <= pl.col("_prev_end")).iter_rows(named=True):
        issues.add(
            Issue(
                name,
                r["_r"] + 1,
                start,
                "overlapping_spells",
                f"overlaps the spell of row {r['_prev_row'] + 1} of the same state",
                str(r[start]),
            )
        )
