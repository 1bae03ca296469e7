"""Typed columns of a publisher's table for the importers (integers, numbers, text, dates,
codes), and the checks across rows (duplicates, known codes, spells).

A row is never dropped or repaired: a bad cell is an :class:`~alliancekit.schema.Issue` naming
file, 1-based data row (the header is row 0), column and value, collected in the
:class:`~alliancekit.importers._raw.IssueList`, and the importer raises them all together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import polars as pl

from alliancekit.importers._raw import MISSING_STRINGS, IssueList, RawTable
from alliancekit.schema import YEAR_MAX, YEAR_MIN, Issue


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


# A spell's start and end, each as year, month and day columns (COW's layout), and the range of
# each: years in the data's span, months 1-12, days 1-31 (a real day is checked by ymd_dates).
SPELL_START = ("styear", "stmonth", "stday")
SPELL_END = ("endyear", "endmonth", "endday")
_YMD_RANGES = ((YEAR_MIN, YEAR_MAX), (1, 12), (1, 31))


def spell_columns(
    raw: RawTable,
    issues: IssueList,
    start: Sequence[str] = SPELL_START,
    end: Sequence[str] = SPELL_END,
) -> dict[str, pl.Series]:
    """The six integer columns of a spell (``start`` and ``end``: year, month and day), each
    checked against its range."""
    return {
        c: int_column(raw, c, issues, lo=lo, hi=hi)
        for cols in (start, end)
        for c, (lo, hi) in zip(cols, _YMD_RANGES, strict=True)
    }


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
