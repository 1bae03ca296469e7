"""The curated security-architecture dataset: its files, its loader and its citations.

This module reads and validates the tables (:func:`load`, :func:`validate`); beside it,
:mod:`.dates` (ties in force on a day or in a year), :mod:`.citing` (the sources behind a
subset) and :mod:`.export` (a table written with the dataset's version), whose names are
importable from here too.

``load()`` reads ``actors.csv``, ``ties/*.csv`` and ``events.csv`` from this folder (and any
extension files a user gives), validates every row (:mod:`alliancekit.schema`) and returns
polars DataFrames. Nothing is dropped or changed: a file that breaks a rule raises
:class:`~alliancekit.schema.DataValidationError` listing every problem by file, row and column.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import polars as pl

from alliancekit.schema import (
    ID_COLUMN,
    OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    DataValidationError,
    Issue,
    ParameterError,
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

    @cached_property
    def projected(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Every tie projected onto pairs of states, and the states' memberships
        (:func:`alliancekit.data.projection.project` of all the ties), computed once: the
        pairs and memberships in force on a day are those whose spells hold that day, as if the
        day's ties had been projected (a pair's spell is the intersection of its ties')."""
        from alliancekit.data.projection import project

        return project(self.ties, self.actors)


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


# The other jobs of the package, importable from here as before the split.
from alliancekit.data.citing import citation, cite  # noqa: E402
from alliancekit.data.dates import as_date, in_force_during, in_force_on  # noqa: E402
from alliancekit.data.export import EXPORT_FORMATS, export_frame  # noqa: E402

__all__ = [
    "DATA_DIR",
    "EXPORT_FORMATS",
    "TABLES",
    "Dataset",
    "DatasetInfo",
    "as_date",
    "cite",
    "citation",
    "dataset_info",
    "export_frame",
    "in_force_during",
    "in_force_on",
    "infer_table",
    "load",
    "strictly",
    "validate",
]
