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

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import polars as pl

from alliancekit.schema import (
    DataValidationError,
    FirstSeen,
    Issue,
    ParameterError,
    choice,
    unknown_actor,
)
from alliancekit.schema.spending import (  # noqa: F401  (re-exported: the vocabularies' old home)
    EDITION_RE,
    MEASURE_UNITS,
    MEASURES,
    MONEY_UNITS,
    OPTIONAL_SPENDING_COLUMNS,
    SPENDING_COLUMNS,
    SPENDING_SCHEMA,
    UNITS,
)
from alliancekit.textfile import display_name, read_table_rows

SPENDING_FILE = Path(__file__).resolve().parent.parent / "data" / "spending.csv"


@lru_cache(maxsize=1024)
def edition_key(edition: str) -> tuple[str, str]:
    """Sort key of an edition label ``"NATO 2025-08"``: its date, then its publisher."""
    m = EDITION_RE.match(edition or "")
    if not m:
        return ("", edition or "")
    return (m.group("date"), m.group("publisher"))


# ---------------------------------------------------------------------------------------------
# Reading and validating


def validate_rows(
    rows: list[dict[str, str] | None], file: str, actor_ids: set[str] | None
) -> tuple[list[dict], list[Issue]]:
    """Check each row (strings as read; ``None`` for a row already rejected, which keeps the
    numbering) through the spending record (:class:`alliancekit.schema.records.Spending`: the
    source and review rules of every curated table, and the figure's own) and return typed
    records plus every issue found (warnings included: a row with only warnings is kept)."""
    from alliancekit.schema.records import validate_row

    issues: list[Issue] = []
    records: list[dict] = []
    figures = FirstSeen(
        "value",
        "duplicate",
        "the same figure (actor, year, measure, unit, price basis, edition) "
        "is already given in row {row}",
    )
    for i, row in enumerate(rows, start=1):
        if row is None:
            continue
        res = validate_row("spending", row, file, i)
        bad = [p for p in res.issues if p.is_error]
        warnings = [p for p in res.issues if not p.is_error]
        aid = (row.get("actor_id") or "").strip()
        if (
            aid
            and actor_ids is not None
            and aid not in actor_ids
            and not any(p.column == "actor_id" for p in bad)
        ):
            bad.insert(0, unknown_actor(file, i, "actor_id", aid))
        rec = res.record
        if not bad and rec is not None:
            key = (rec.actor_id, rec.year, rec.measure, rec.unit, rec.price_basis, rec.edition)
            dup = figures.check(key, file, i, row.get("value"))
            if dup is not None:
                bad.append(dup)
        issues += bad + warnings
        if bad or rec is None:
            continue
        records.append({**rec.model_dump(), "file": file, "row": i})
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
        choice(edition, sorted(set(df["edition"].unique().to_list())), "edition", "edition")
        return d.filter(pl.col("edition") == edition)
    # Small after the year filter: choose in Python, then keep the chosen rows.
    keep = chosen_editions(
        d["actor_id"].to_list(),
        d["measure"].to_list(),
        d["unit"].to_list(),
        d["price_basis"].to_list(),
        d["edition"].to_list(),
        d["year"].to_list(),
    )
    return d if keep is None else d.filter(pl.Series(keep, dtype=pl.Boolean))


def chosen_editions(
    actors: Sequence[str],
    measures: Sequence[str],
    units: Sequence[str],
    bases: Sequence[str | None],
    editions: Sequence[str],
    years: Sequence[int],
) -> list[bool] | None:
    """The rule of :func:`pick_editions` on the columns of figures (US$ bn already US$ mn):
    for each series, the edition covering most of the years, ties to the latest edition
    (:func:`edition_key`).

    Parameters
    ----------
    actors, measures, units, bases, editions : sequence of str
        The figures' ``actor_id``, ``measure``, ``unit``, ``price_basis`` (None: none) and
        ``edition``, one entry per figure.
    years : sequence of int
        The figures' years.

    Returns
    -------
    list of bool or None
        Whether each figure is of its series' edition; ``None`` when every series has one
        edition only (every figure is kept).

    Examples
    --------
    >>> from alliancekit.burden.data import chosen_editions
    >>> chosen_editions(
    ...     ["JPN", "JPN", "JPN"], ["burden"] * 3, ["pct_gdp"] * 3, [None] * 3,
    ...     ["NATO 2025-08", "SIPRI 2025-04", "SIPRI 2025-04"], [2024, 2024, 2025],
    ... )
    [False, True, True]
    """
    keys = list(
        zip(
            actors,
            measures,
            [("ncu" if u == "ncu_mn" else "usd" if u == "usd_mn" else u) for u in units],
            bases,
            strict=True,
        )
    )
    cover: dict[tuple, dict[str, set]] = {}
    for k, e, y in zip(keys, editions, years, strict=True):
        cover.setdefault(k, {}).setdefault(e, set()).add(y)
    if all(len(by_ed) == 1 for by_ed in cover.values()):
        return None
    best = {
        k: max(by_ed, key=lambda e, _b=by_ed: (len(_b[e]), edition_key(e)))
        for k, by_ed in cover.items()
    }
    return [best[k] == e for k, e in zip(keys, editions, strict=True)]


def available_years(df: pl.DataFrame) -> list[int]:
    return sorted(set(df["year"].to_list())) if not df.is_empty() else []


def require_year(df: pl.DataFrame, year: int) -> None:
    if df.filter(pl.col("year") == year).is_empty():
        yrs = available_years(df)
        span = f"{yrs[0]}–{yrs[-1]}" if yrs else "none"
        raise ParameterError("year", f"no spending figures for {year} (years with figures: {span})")
