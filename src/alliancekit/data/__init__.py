"""The curated security-architecture dataset: its files, its loader and its citations.

``load()`` reads ``actors.csv``, ``ties/*.csv`` and ``events.csv`` from this folder (and any
extension files a user gives), validates every row (:mod:`alliancekit.schema`) and returns
polars DataFrames. Nothing is dropped or changed: a file that breaks a rule raises
:class:`~alliancekit.schema.DataValidationError` listing every problem by file, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from alliancekit.schema import (
    EVENT_KINDS,
    ID_COLUMN,
    OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    TIE_KINDS,
    DataValidationError,
    Issue,
    ParameterError,
    check_year,
    choice,
    validate_row,
)
from alliancekit.schema.spending import SOURCE_SCHEMA
from alliancekit.textfile import display_name, read_table_rows, read_table_text

DATA_DIR = Path(__file__).resolve().parent
TABLES = ("actors", "ties", "events")


@dataclass(frozen=True)
class DatasetInfo:
    """Identity of the curated dataset; carried by every export and the report."""

    title: str
    version: str
    as_of: str
    licence: str

    def label(self) -> str:
        return f"{self.title}, version {self.version} (as of {self.as_of})"


@lru_cache(maxsize=1)
def dataset_info() -> DatasetInfo:
    meta = tomllib.loads((DATA_DIR / "dataset.toml").read_text(encoding="utf-8"))
    return DatasetInfo(meta["title"], meta["version"], meta["as_of"], meta["licence"])


@dataclass(frozen=True)
class Dataset:
    """The validated tables. ``ties`` and ``events`` carry parsed dates beside the stored text.

    ties: the stored columns plus ``start`` (first day in force: ``in_force``, else
    ``signed``), ``end`` (first day no longer in force, from ``ended``) and ``origin`` (the file
    the row came from). events: ``date_start`` and ``actors`` as a list.
    """

    actors: pl.DataFrame
    ties: pl.DataFrame
    events: pl.DataFrame
    info: DatasetInfo
    files: tuple[str, ...]

    def table(self, name: str) -> pl.DataFrame:
        return getattr(self, choice(name, TABLES, "table", "table"))

    def actor_ids(self) -> set[str]:
        return set(self.actors["actor_id"].to_list())


# ---------------------------------------------------------------------------------------------
# Reading files


def _read_rows(path: Path, table: str) -> tuple[list[dict[str, str] | None], list[Issue]]:
    """The rows of one CSV file as strings (``None`` for a row with the wrong number of
    fields, so the others keep their numbers), with file-level problems (columns, encoding)."""
    try:
        return read_table_rows(path, table, TABLE_COLUMNS[table], OPTIONAL_COLUMNS)
    except DataValidationError as exc:
        return [], exc.issues


def infer_table(path: Path) -> str:
    """Which table an extension file extends, from its header."""
    text = read_table_text(path, str(path))
    header = [h.strip() for h in next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])]
    for table in TABLES:
        if ID_COLUMN[table] in header:
            return table
    raise DataValidationError(
        [
            Issue(
                str(path),
                0,
                None,
                "unknown_table",
                "header has none of actor_id, tie_id, event_id: cannot tell which table it extends",
            )
        ]
    )


def _extra_files(extra: object) -> tuple[str | Path, ...]:
    """``extra`` as a tuple of paths: one path (a str or Path) is one file, not its letters."""
    if extra is None:
        return ()
    if isinstance(extra, str | Path):
        return (extra,)
    try:
        files = tuple(extra)  # type: ignore[arg-type]
    except TypeError:
        raise ParameterError(
            "extra", f"give a path or a list of paths to CSV files, not {type(extra).__name__}"
        ) from None
    for f in files:
        if not isinstance(f, str | Path):
            raise ParameterError("extra", f"not a path: {f!r}")
    return files


def _files(extra: Sequence[str | Path]) -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {
        "actors": [DATA_DIR / "actors.csv"],
        "ties": sorted((DATA_DIR / "ties").glob("*.csv")),
        "events": [DATA_DIR / "events.csv"],
    }
    for p in extra:
        p = Path(p)
        files[infer_table(p)].append(p)
    return files


# ---------------------------------------------------------------------------------------------
# Validation across rows and tables


def _validate(files: dict[str, list[Path]]) -> tuple[dict[str, list], list[Issue]]:
    issues: list[Issue] = []
    records: dict[str, list] = {t: [] for t in TABLES}
    for table in TABLES:
        seen: dict[str, tuple[str, int]] = {}
        for path in files[table]:
            rows, file_issues = _read_rows(path, table)
            issues += file_issues
            name = display_name(path)
            for i, row in enumerate(rows, start=1):
                if row is None:
                    continue
                res = validate_row(table, row, name, i)
                issues += res.issues
                rid = (row.get(ID_COLUMN[table]) or "").strip()
                if rid:
                    if rid in seen:
                        f0, r0 = seen[rid]
                        issues.append(
                            Issue(
                                name,
                                i,
                                ID_COLUMN[table],
                                "duplicate_id",
                                f"id already used in {f0}, row {r0}",
                                rid,
                            )
                        )
                        continue
                    seen[rid] = (name, i)
                if res.record is not None:
                    records[table].append((name, i, res.record))
    kinds = {rec.actor_id: rec.kind for _, _, rec in records["actors"]}
    # A state's codes identify it: a second actor with Japan's ISO3 or COW code is an error.
    for col in ("iso3", "cow_code", "gw_code"):
        owner: dict[object, tuple[str, str, int]] = {}
        for name, i, rec in records["actors"]:
            code = getattr(rec, col)
            if code is None:
                continue
            if code in owner:
                aid, f0, r0 = owner[code]
                issues.append(
                    Issue(
                        name,
                        i,
                        col,
                        "duplicate_code",
                        f"{col} {code} is already {aid}'s ({f0}, row {r0})",
                        str(code),
                    )
                )
            else:
                owner[code] = (rec.actor_id, name, i)
    for name, i, tie in records["ties"]:
        for col in ("actor_a", "actor_b"):
            aid = getattr(tie, col)
            if aid not in kinds:
                issues.append(
                    Issue(name, i, col, "unknown_actor", "not an actor_id of the actors table", aid)
                )
        if tie.kind == "member" and kinds.get(tie.actor_b) == "state":
            issues.append(
                Issue(
                    name,
                    i,
                    "actor_b",
                    "member_of_state",
                    "a member tie's actor_b must be an organisation or framework",
                    tie.actor_b,
                )
            )
    for name, i, ev in records["events"]:
        for aid in ev.actors:
            if aid not in kinds:
                issues.append(
                    Issue(
                        name,
                        i,
                        "actors",
                        "unknown_actor",
                        "not an actor_id of the actors table",
                        aid,
                    )
                )
    return records, issues


# ---------------------------------------------------------------------------------------------
# Building the tables


def _source_fields(rec) -> dict:
    return {
        "source_url": rec.source_url,
        "source_publisher": rec.source_publisher,
        "source_accessed": rec.source_accessed,
        "source_kind": rec.source_kind,
        "verified_on": rec.verified_on,
        "note": rec.note,
    }


def _frames(records: dict[str, list]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    actors = pl.DataFrame(
        [
            {
                "actor_id": r.actor_id,
                "name": r.name,
                "kind": r.kind,
                "iso3": r.iso3,
                "cow_code": r.cow_code,
                "gw_code": r.gw_code,
                "theatre": r.theatre,
                **_source_fields(r),
                "origin": f,
            }
            for f, _, r in records["actors"]
        ],
        schema={
            "actor_id": pl.String,
            "name": pl.String,
            "kind": pl.String,
            "iso3": pl.String,
            "cow_code": pl.Int32,
            "gw_code": pl.Int32,
            "theatre": pl.String,
            **SOURCE_SCHEMA,
            "origin": pl.String,
        },
    )

    def txt(d):
        return None if d is None else str(d)

    ties = pl.DataFrame(
        [
            {
                "tie_id": r.tie_id,
                "kind": r.kind,
                "actor_a": r.actor_a,
                "actor_b": r.actor_b,
                "name": r.name,
                "signed": txt(r.signed),
                "in_force": txt(r.in_force),
                "ended": txt(r.ended),
                "strength": r.strength,
                **_source_fields(r),
                "start": (r.in_force or r.signed).start if (r.in_force or r.signed) else None,
                "end": r.ended.start if r.ended else None,
                "origin": f,
            }
            for f, _, r in records["ties"]
        ],
        schema={
            "tie_id": pl.String,
            "kind": pl.String,
            "actor_a": pl.String,
            "actor_b": pl.String,
            "name": pl.String,
            "signed": pl.String,
            "in_force": pl.String,
            "ended": pl.String,
            "strength": pl.Int8,
            **SOURCE_SCHEMA,
            "start": pl.Date,
            "end": pl.Date,
            "origin": pl.String,
        },
    )
    events = pl.DataFrame(
        [
            {
                "event_id": r.event_id,
                "date": str(r.date),
                "kind": r.kind,
                "actors": list(r.actors),
                "title": r.title,
                **_source_fields(r),
                "date_start": r.date.start,
                "origin": f,
            }
            for f, _, r in records["events"]
        ],
        schema={
            "event_id": pl.String,
            "date": pl.String,
            "kind": pl.String,
            "actors": pl.List(pl.String),
            "title": pl.String,
            **SOURCE_SCHEMA,
            "date_start": pl.Date,
            "origin": pl.String,
        },
    ).sort("date_start", "event_id")
    return actors, ties, events


def load(extra: Iterable[str | Path] = ()) -> Dataset:
    """Load and validate the curated dataset, merged with a user's extension files.

    ``extra`` files have the columns of one of the tables (told apart by their id column:
    ``actor_id``, ``tie_id`` or ``event_id``) and pass the same validation; ids must not repeat
    those of the shipped data.
    """
    extra = _extra_files(extra)
    if not extra:
        return _load_shipped()
    return _load(extra)


@lru_cache(maxsize=1)
def _load_shipped() -> Dataset:
    return _load(())


def _load(extra: tuple) -> Dataset:
    files = _files(extra)
    records, issues = _validate(files)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise DataValidationError(errors)
    actors, ties, events = _frames(records)
    names = tuple(display_name(p) for t in TABLES for p in files[t])
    return Dataset(actors, ties, events, dataset_info(), names)


def validate(extra: Iterable[str | Path] = (), strict: bool = False) -> list[Issue]:
    """Every problem in the shipped data (and ``extra`` files); an empty list when valid.

    Errors stop a load; warnings (weak sources, rows without ``verified_on``) do not. With
    ``strict``, every warning is returned as an error.
    """
    try:
        files = _files(_extra_files(extra))
    except DataValidationError as exc:
        return exc.issues
    return strictly(_validate(files)[1], strict)


def strictly(issues: Iterable[Issue], strict: bool = True) -> list[Issue]:
    """``issues`` with every warning made an error when ``strict`` (else unchanged)."""
    import dataclasses

    from alliancekit.schema.records import LISTED_WEAK_RULE

    if not strict:
        return list(issues)
    return [
        i if i.is_error or i.rule == LISTED_WEAK_RULE else dataclasses.replace(i, severity="error")
        for i in issues
    ]


# ---------------------------------------------------------------------------------------------
# Ties in time


def as_date(on: dt.date | str | int, parameter: str = "on") -> dt.date:
    """A day from a date, an ISO date text or a bare year (its last day, 31 December).

    Raises :class:`~alliancekit.schema.ParameterError` naming ``parameter`` for anything else.
    """
    if isinstance(on, dt.date):
        return on
    if isinstance(on, int):
        return dt.date(check_year(on, parameter), 12, 31)
    if not isinstance(on, str):
        raise ParameterError(parameter, f"give a date, an ISO date text or a year, not {on!r}")
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise ParameterError(parameter, f"not an ISO date YYYY-MM-DD: {on!r}") from None


def in_force_on(ties: pl.DataFrame, on: dt.date | str | int) -> pl.DataFrame:
    """Ties in force on a day (a bare year means its last day, 31 December).

    In force: ``start <= on`` and (``end`` is null or ``on < end``). A tie with no start date is
    never in force: its date is unknown, not early.
    """
    day = as_date(on)
    return ties.filter(
        pl.col("start").is_not_null()
        & (pl.col("start") <= day)
        & (pl.col("end").is_null() | (pl.col("end") > day))
    )


def in_force_during(ties: pl.DataFrame, year: int) -> pl.DataFrame:
    """Ties in force on at least one day of ``year`` (the rule of yearly panels)."""
    year = check_year(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return ties.filter(
        pl.col("start").is_not_null()
        & (pl.col("start") <= last)
        & (pl.col("end").is_null() | (pl.col("end") > first))
    )


# ---------------------------------------------------------------------------------------------
# Citing


def cite(
    table: str | None = None,
    *,
    actor: str | None = None,
    kind: str | None = None,
    ids: Iterable[str] | None = None,
    data: Dataset | None = None,
) -> pl.DataFrame:
    """The sources behind a subset of the curated data, like peacesciencer's ``ps_cite()``.

    Filters: ``table`` (actors, ties, events; default all), ``actor`` (rows that involve it),
    ``kind`` (tie or event kind), ``ids`` (row ids). Returns one row per distinct source with
    its source kind(s), the tables and the number of rows it supports.
    """
    data = data or load()
    tables = [table] if table else list(TABLES)
    if kind is not None:
        known = set(data.ties["kind"].to_list()) | set(data.events["kind"].to_list())
        known |= set(TIE_KINDS) | set(EVENT_KINDS)
        if kind not in known:
            raise ParameterError(
                "kind",
                f"unknown kind {kind!r}; choose a tie or event kind: {', '.join(sorted(known))}",
            )
        tables = [t for t in tables if t != "actors"]  # actors have no kind of tie or event
        if not tables:
            raise ParameterError("kind", "actors have no tie or event kind; leave out 'kind'")
    parts = []
    for t in tables:
        df = data.table(t)
        idc = ID_COLUMN[t]
        if actor is not None:
            if actor not in data.actor_ids():
                raise ParameterError("actor", f"unknown actor {actor!r}")
            if t == "actors":
                df = df.filter(pl.col("actor_id") == actor)
            elif t == "ties":
                df = df.filter((pl.col("actor_a") == actor) | (pl.col("actor_b") == actor))
            else:
                df = df.filter(pl.col("actors").list.contains(actor))
        if kind is not None and t != "actors":
            df = df.filter(pl.col("kind") == kind)
        if ids is not None:
            df = df.filter(pl.col(idc).is_in(list(ids)))
        parts.append(
            df.select(
                "source_publisher", "source_url", "source_accessed", "source_kind"
            ).with_columns(table=pl.lit(t))
        )
    allrows = pl.concat(parts)
    return (
        allrows.group_by("source_publisher", "source_url")
        .agg(
            pl.col("source_accessed").max(),
            pl.col("source_kind").unique().sort().str.join(";"),
            pl.col("table").unique().sort().str.join(";").alias("tables"),
            pl.len().alias("rows"),
        )
        .sort("source_publisher", "source_url")
    )


def citation() -> str:
    """How to cite the curated dataset itself."""
    info = dataset_info()
    return (
        f"alliancekit developers ({info.as_of[:4]}). {info.title}, version {info.version} "
        f"(as of {info.as_of}). Licensed {info.licence}."
    )


# ---------------------------------------------------------------------------------------------
# Exporting

EXPORT_FORMATS = ("csv", "parquet", "json")


def export_frame(df: pl.DataFrame, path: str | Path, fmt: str, *, raw_csv: bool = False) -> Path:
    """Write a table with the dataset's version and as-of date (columns, or JSON metadata).

    CSV text cells that a spreadsheet would run as formulas (starting with ``= + - @``) are
    prefixed with ``'`` unless ``raw_csv`` (see :func:`alliancekit.paths.neutralise_formulas`).
    """
    choice(fmt, EXPORT_FORMATS, "format", "format")
    info = dataset_info()
    from alliancekit.paths import output_path

    path = output_path(path, "path")
    # Lists do not fit a CSV cell: events' actors go back to their ';'-separated form.
    flat = df.with_columns(
        [pl.col(c).list.join(";") for c, t in df.schema.items() if isinstance(t, pl.List)]
    )
    tagged = flat.with_columns(
        dataset_version=pl.lit(info.version), dataset_as_of=pl.lit(info.as_of)
    )
    if fmt == "csv":
        from alliancekit.paths import neutralise_formulas

        (tagged if raw_csv else neutralise_formulas(tagged)).write_csv(path)
    elif fmt == "parquet":
        tagged.write_parquet(
            path,
            metadata={
                "alliancekit_dataset_version": info.version,
                "alliancekit_dataset_as_of": info.as_of,
            },
        )
    else:
        import json

        payload = {
            "dataset": {
                "title": info.title,
                "version": info.version,
                "as_of": info.as_of,
                "licence": info.licence,
            },
            "rows": json.loads(flat.write_json()),
        }
        path.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
    return path
