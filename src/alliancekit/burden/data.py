"""Defence spending figures: load and validate ``spending.csv``, and pick consistent series.

The file is long, one published figure per row::

    actor_id,year,measure,value,unit,price_basis,estimate,edition,source_url,source_publisher,
    source_accessed,source_kind,verified_on,note

Validation never fixes or drops a row: every broken rule becomes an
:class:`~alliancekit.schema.Issue` naming the file, the row (1-based data row), the column and
the rule, and all of them are raised together as a
:class:`~alliancekit.schema.DataValidationError`.

Editions re-base prices and revise figures, so **one series never mixes two editions or two
price bases**. A *series* is one actor's figures for one measure in one currency and price
basis; :func:`pick_editions` keeps, for each series, exactly one edition (the one covering most
of the requested years; ties go to the latest edition) and :func:`check_series` raises when a
frame handed to a computation still mixes them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import polars as pl

from alliancekit.schema import DataValidationError, Issue, ParameterError, validate_provenance
from alliancekit.schema.spending import SPENDING_SCHEMA
from alliancekit.textfile import display_name, read_table_rows

SPENDING_FILE = Path(__file__).resolve().parent.parent / "data" / "spending.csv"

SPENDING_COLUMNS = (
    "actor_id",
    "year",
    "measure",
    "value",
    "unit",
    "price_basis",
    "estimate",
    "edition",
    "source_url",
    "source_publisher",
    "source_accessed",
    "source_kind",
    "verified_on",
    "note",
)
OPTIONAL_SPENDING_COLUMNS = {"note"}

# measure -> units it may be published in
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "defence_expenditure": ("usd_mn", "usd_bn", "ncu_mn"),
    "gdp": ("usd_mn", "usd_bn", "ncu_mn"),
    "burden": ("pct_gdp",),
    "population": ("mn_people",),
    "real_change": ("pct",),
    "defence_related": ("pct_gdp", "usd_mn", "usd_bn", "ncu_mn"),
}
MEASURES = tuple(MEASURE_UNITS)
UNITS = ("usd_mn", "usd_bn", "pct_gdp", "mn_people", "pct", "ncu_mn")
MONEY_UNITS = ("usd_mn", "usd_bn", "ncu_mn")
# Money needs a price basis; shares and counts have none. A real change is measured at constant
# prices and may name them.
_PRICE_RE = re.compile(r"^(current|constant_(\d{4}))$")
_EDITION_RE = re.compile(r"^(?P<publisher>\S.*?)\s+(?P<date>\d{4}(?:-\d{2})?)$")
_ACTOR_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Measures that may be negative (a real change can be a fall).
_SIGNED = {"real_change"}


def edition_key(edition: str) -> tuple[str, str]:
    """Sort key of an edition label ``"NATO 2025-08"``: its date, then its publisher."""
    m = _EDITION_RE.match(edition or "")
    if not m:
        return ("", edition or "")
    return (m.group("date"), m.group("publisher"))


# ---------------------------------------------------------------------------------------------
# Reading and validating


def validate_rows(
    rows: list[dict[str, str] | None], file: str, actor_ids: set[str] | None
) -> tuple[list[dict], list[Issue]]:
    """Check each row (strings as read; ``None`` for a row already rejected, which keeps the
    numbering) and return typed records plus every issue found (warnings included: a row with
    only warnings is kept). ``source_kind`` and ``verified_on`` follow the rules of every
    curated table (:func:`alliancekit.schema.validate_provenance`)."""
    issues: list[Issue] = []
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for i, raw in enumerate(rows, start=1):
        if raw is None:
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        bad: list[Issue] = []

        def add(
            column: str,
            rule: str,
            message: str,
            _i: int = i,
            _row: dict = row,
            _bad: list[Issue] = bad,
        ) -> None:
            _bad.append(Issue(file, _i, column, rule, message, _row.get(column)))

        for col in ("actor_id", "year", "measure", "value", "unit", "estimate", "edition"):
            if not row.get(col):
                add(col, "required", "a value is required")
        for col in ("source_url", "source_publisher", "source_accessed"):
            if not row.get(col):
                add(col, "missing_source", "every figure cites its source")
        aid = row.get("actor_id", "")
        if aid:
            if not _ACTOR_RE.match(aid):
                add(
                    "actor_id",
                    "invalid_value",
                    "actor_id must be upper-case letters, digits and '_'",
                )
            elif actor_ids is not None and aid not in actor_ids:
                add("actor_id", "unknown_actor", "not an actor_id of the actors table")
        year = None
        if row.get("year"):
            try:
                year = int(row["year"])
                if not 1800 <= year <= 2200:
                    add("year", "out_of_range", "year must be between 1800 and 2200")
            except ValueError:
                add("year", "not_an_integer", "year must be an integer")
        measure, unit = row.get("measure", ""), row.get("unit", "")
        if measure and measure not in MEASURE_UNITS:
            add("measure", "unknown_value", f"measure must be one of {', '.join(MEASURES)}")
        if unit and unit not in UNITS:
            add("unit", "unknown_value", f"unit must be one of {', '.join(UNITS)}")
        elif unit and measure in MEASURE_UNITS and unit not in MEASURE_UNITS[measure]:
            add(
                "unit",
                "unit_mismatch",
                f"measure {measure} takes unit {' or '.join(MEASURE_UNITS[measure])}",
            )
        basis = row.get("price_basis", "")
        if basis and not _PRICE_RE.match(basis):
            add("price_basis", "invalid_value", "price_basis must be 'current' or 'constant_YYYY'")
        elif unit in MONEY_UNITS and not basis:
            add(
                "price_basis",
                "required",
                "a money figure needs its price basis (current or constant_YYYY)",
            )
        elif unit in ("pct_gdp", "mn_people") and basis:
            add(
                "price_basis",
                "invalid_value",
                f"a figure in {unit} has no price basis; leave it empty",
            )
        value = None
        if row.get("value"):
            try:
                value = float(row["value"].replace(",", ""))
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                add("value", "not_a_number", "value must be a number")
                value = None
        if value is not None and measure not in _SIGNED and value < 0:
            add("value", "negative", f"a {measure or 'figure'} cannot be negative")
        if value is not None and unit == "pct_gdp" and value > 100:
            add("value", "out_of_range", "a share of GDP above 100% is impossible")
        est = row.get("estimate", "")
        if est and est not in ("0", "1"):
            add("estimate", "invalid_value", "estimate must be 0 or 1")
        ed = row.get("edition", "")
        if ed and not _EDITION_RE.match(ed):
            add(
                "edition",
                "invalid_value",
                "edition must read 'PUBLISHER YYYY-MM', e.g. 'NATO 2025-08'",
            )
        url = row.get("source_url", "")
        if url and not re.match(r"^https?://\S+$", url):
            add("source_url", "invalid_value", "source_url must be an http(s) URL")
        accessed = None
        if row.get("source_accessed"):
            try:
                if not re.match(r"^\d{4}-\d{2}-\d{2}$", row["source_accessed"]):
                    raise ValueError
                accessed = dt.date.fromisoformat(row["source_accessed"])
            except ValueError:
                add(
                    "source_accessed",
                    "bad_date",
                    "source_accessed must be a full ISO date YYYY-MM-DD",
                )
        provenance = validate_provenance(row, file, i)
        bad += [p for p in provenance if p.is_error]
        warnings = [p for p in provenance if not p.is_error]
        if not bad:
            key = (aid, year, measure, unit, basis, ed)
            if key in seen:
                bad.append(
                    Issue(
                        file,
                        i,
                        "value",
                        "duplicate",
                        f"the same figure (actor, year, measure, unit, price basis, edition) "
                        f"is already given in row {seen[key]}",
                        row.get("value"),
                    )
                )
            else:
                seen[key] = i
        if bad:
            issues += bad + warnings
            continue
        issues += warnings
        records.append(
            {
                "actor_id": aid,
                "year": year,
                "measure": measure,
                "value": value,
                "unit": unit,
                "price_basis": basis or None,
                "estimate": est == "1",
                "edition": ed,
                "source_url": url,
                "source_publisher": row["source_publisher"],
                "source_accessed": accessed,
                "source_kind": row["source_kind"],
                "verified_on": (
                    dt.date.fromisoformat(row["verified_on"]) if row.get("verified_on") else None
                ),
                "note": row.get("note") or None,
                "file": file,
                "row": i,
            }
        )
    return records, issues


def empty_spending() -> pl.DataFrame:
    return pl.DataFrame(schema=SPENDING_SCHEMA)


def _read(path: Path, actor_ids: Iterable[str] | None) -> tuple[list[dict], list[Issue]]:
    name = display_name(path)
    rows, issues = read_table_rows(path, "spending", SPENDING_COLUMNS, OPTIONAL_SPENDING_COLUMNS)
    if actor_ids is None:
        from alliancekit.data import load

        known: set[str] | None = load().actor_ids()
    else:
        known = set(actor_ids) or None
    records, row_issues = validate_rows(rows, name, known)
    return records, sorted(issues + row_issues, key=lambda x: x.row or 0)


def spending_issues(path: str | Path, actor_ids: Iterable[str] | None = None) -> list[Issue]:
    """Every problem of one spending file, errors and warnings (weak sources, rows without
    ``verified_on``); an empty list when it is clean. ``actor_ids`` as for
    :func:`read_spending`."""
    try:
        return _read(Path(path), actor_ids)[1]
    except DataValidationError as exc:
        return exc.issues


def read_spending(path: str | Path, actor_ids: Iterable[str] | None = None) -> pl.DataFrame:
    """Read and validate one spending file; raises :class:`DataValidationError` on any error
    (warnings do not stop it: see :func:`spending_issues`).

    ``actor_ids``: the known actors (default: the curated actors table); pass ``()`` to skip
    the check.

    Parameters
    ----------
    path : str or Path
        A spending file (CSV, the columns above).
    actor_ids : iterable of str, optional
        The known actor ids (default: not checked).

    Returns
    -------
    polars.DataFrame
        The validated figures, with ``file`` and ``row`` of each.

    Raises
    ------
    DataValidationError
        Every broken rule at once, by file, row, column and rule.

    Examples
    --------
    >>> from alliancekit.burden.data import SPENDING_FILE, read_spending
    >>> read_spending(SPENDING_FILE).height > 1000
    True
    """
    records, issues = _read(Path(path), actor_ids)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise DataValidationError(errors)
    return pl.DataFrame(records, schema=SPENDING_SCHEMA)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> pl.DataFrame:
    return read_spending(path)


def load_spending(path: str | Path | None = None) -> pl.DataFrame:
    """The curated spending figures (or a user's file in the same format), validated.

    A missing curated file gives an empty table (the figures are being curated); a user's
    missing file is an error.

    Parameters
    ----------
    path : str or Path, optional
        A spending file of your own (default: the shipped ``spending.csv``).

    Returns
    -------
    polars.DataFrame

    Raises
    ------
    DataValidationError
        For a file that breaks a rule.

    Examples
    --------
    >>> from alliancekit.burden import load_spending
    >>> sorted(set(load_spending()["measure"]))[:3]
    ['burden', 'defence_expenditure', 'gdp']
    """
    if path is None:
        if not SPENDING_FILE.is_file():
            return empty_spending()
        return _cached(str(SPENDING_FILE), SPENDING_FILE.stat().st_mtime)
    p = Path(path)
    if p.is_file():
        return _cached(str(p.resolve()), p.stat().st_mtime)
    return read_spending(p)


# ---------------------------------------------------------------------------------------------
# Series: one edition and one price basis each


def _normalise_expr() -> list[pl.Expr]:
    return [
        pl.when(pl.col("unit") == "usd_bn")
        .then(pl.col("value") * 1000)
        .otherwise(pl.col("value"))
        .alias("value"),
        pl.when(pl.col("unit") == "usd_bn")
        .then(pl.lit("usd_mn"))
        .otherwise(pl.col("unit"))
        .alias("unit"),
    ]


def normalise_units(df: pl.DataFrame) -> pl.DataFrame:
    """US$ billions become US$ millions (value × 1000); every other unit is left as it is."""
    return df.with_columns(_normalise_expr())


SERIES_KEY = ("actor_id", "measure", "currency", "price_basis")


def _currency_expr() -> list[pl.Expr]:
    return [
        pl.when(pl.col("unit") == "ncu_mn")
        .then(pl.lit("ncu"))
        .when(pl.col("unit").is_in(["usd_mn", "usd_bn"]))
        .then(pl.lit("usd"))
        .otherwise(pl.col("unit"))
        .alias("currency"),
        pl.col("price_basis").fill_null("").alias("price_basis"),
    ]


def _with_currency(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(_currency_expr())


def check_series(df: pl.DataFrame, file: str = "<spending>") -> None:
    """Raise when one series (actor, measure, currency, price basis) mixes editions, or when one
    actor's measure at constant prices mixes base years; ``df`` is what a computation uses
    (current and constant prices side by side are two series and fine).

    Parameters
    ----------
    df : polars.DataFrame
        Figures as a computation uses them.
    file : str
        The name errors give for the table.

    Raises
    ------
    DataValidationError
        When a series mixes editions or base years.

    Examples
    --------
    >>> from alliancekit.burden import check_series, load_spending, pick_editions
    >>> check_series(pick_editions(load_spending(), [2024]))
    """
    if df.is_empty():
        return
    d = _with_currency(df)
    issues: list[Issue] = []
    mixed = d.group_by(SERIES_KEY).agg(pl.col("edition").unique().sort(), pl.col("row").min())
    for r in mixed.filter(pl.col("edition").list.len() > 1).sort("row").iter_rows(named=True):
        issues.append(
            Issue(
                file,
                r["row"],
                "edition",
                "mixed_editions",
                f"the {r['measure']} series of {r['actor_id']} ({r['price_basis'] or 'ratio'}) "
                f"mixes editions {', '.join(r['edition'])}",
                None,
            )
        )
    # Constant prices of two base years are two series: a computation takes one, never both.
    bases = (
        d.filter(pl.col("price_basis").str.starts_with("constant_"))
        .group_by("actor_id", "measure", "currency")
        .agg(pl.col("price_basis").unique().sort(), pl.col("row").min())
    )
    for r in bases.filter(pl.col("price_basis").list.len() > 1).sort("row").iter_rows(named=True):
        issues.append(
            Issue(
                file,
                r["row"],
                "price_basis",
                "mixed_price_basis",
                f"the {r['measure']} series of {r['actor_id']} mixes price bases "
                f"{', '.join(r['price_basis'])}",
                None,
            )
        )
    if issues:
        raise DataValidationError(issues)


def pick_editions(
    df: pl.DataFrame, years: Iterable[int] | None = None, edition: str | None = None
) -> pl.DataFrame:
    """Keep one edition per series: ``edition`` if given, else the edition that covers most of
    ``years`` (all years when ``None``), ties going to the latest edition. Rows of ``years``
    only are returned, US$ bn turned into US$ mn; years the chosen edition lacks stay missing
    (never filled from another edition).

    Parameters
    ----------
    df : polars.DataFrame
        The spending table.
    years : iterable of int, optional
        The years a computation needs (default: all).
    edition : str, optional
        Keep only this edition.

    Returns
    -------
    polars.DataFrame
        The figures of one edition per series.

    Raises
    ------
    ParameterError
        For an edition no figure carries.

    Examples
    --------
    >>> from alliancekit.burden import load_spending, pick_editions
    >>> from alliancekit.burden import check_series
    >>> picked = pick_editions(load_spending(), [2024])
    >>> check_series(picked) is None
    True
    """
    d = df
    if years is not None:
        d = d.filter(pl.col("year").is_in(sorted(set(int(y) for y in years))))
    if d.is_empty():
        return d
    if (d["unit"] == "usd_bn").any():
        d = d.with_columns(_normalise_expr())
    if edition is not None:
        known = set(df["edition"].unique().to_list())
        if edition not in known:
            raise ParameterError(
                "edition", f"unknown edition {edition!r}; choose one of {', '.join(sorted(known))}"
            )
        return d.filter(pl.col("edition") == edition)
    # Small after the year filter: choose in Python, then keep the chosen rows.
    keys = list(
        zip(
            d["actor_id"].to_list(),
            d["measure"].to_list(),
            [
                ("ncu" if u == "ncu_mn" else "usd" if u == "usd_mn" else u)
                for u in d["unit"].to_list()
            ],
            d["price_basis"].to_list(),
            strict=True,
        )
    )
    eds = d["edition"].to_list()
    yrs = d["year"].to_list()
    cover: dict[tuple, dict[str, set]] = {}
    for k, e, y in zip(keys, eds, yrs, strict=True):
        cover.setdefault(k, {}).setdefault(e, set()).add(y)
    best = {
        k: max(by_ed, key=lambda e, _b=by_ed: (len(_b[e]), edition_key(e)))
        for k, by_ed in cover.items()
    }
    mask = [best[k] == e for k, e in zip(keys, eds, strict=True)]
    return d.filter(pl.Series(mask, dtype=pl.Boolean))


def available_years(df: pl.DataFrame) -> list[int]:
    return sorted(set(df["year"].to_list())) if not df.is_empty() else []


def require_year(df: pl.DataFrame, year: int) -> None:
    if df.filter(pl.col("year") == year).is_empty():
        yrs = available_years(df)
        span = f"{yrs[0]}–{yrs[-1]}" if yrs else "none"
        raise ParameterError("year", f"no spending figures for {year} (years with figures: {span})")
