"""The local catalog of imported reference data: one DuckDB file, ``catalog.duckdb``.

Where: ``open_catalog(home)``, else the environment variable ``ALLIANCEKIT_HOME``, else the
user's data directory (``platformdirs.user_data_dir("alliancekit")``).

Each dataset (atop, nmc, cow_states, gw_states, majors, contiguity, sipri, ...) is a table
``ds_<name>`` in the DuckDB file; the table ``_imports`` records, per dataset, the source file's
name and path, its SHA-256, the row count, the version, the citation, the column list and when
it was imported. ``store()`` runs in one transaction: a failure leaves the catalog as it was.
Storing the same file (same checksum) again changes nothing.

Reads are fast: beside the DuckDB file, ``store()`` writes a Parquet copy of each table, named
by its checksum, under ``tables/``, and a manifest, ``catalog.json``, that lists the records and
the DuckDB file's stamp (size and modification time) when it was written. ``read()`` and
``list()`` trust the manifest only while the stamp still matches; otherwise they reconcile from
DuckDB, the one source of truth.

Crash safety (why the order matters): a store writes the new Parquet copy under a new name,
commits in DuckDB, then rewrites the manifest, then removes the old copy. A process killed at any
point leaves either the old or the new table readable, never a mix: before the commit DuckDB
holds the old table (a changed stamp sends readers to it); after the commit DuckDB holds the new
one. The next writer removes leftovers (``*.tmp``, Parquet copies no record points to).

Concurrency: writers take ``catalog.lock`` (an advisory file lock) and wait for it up to
``ALLIANCEKIT_LOCK_TIMEOUT`` seconds (default 30) before failing with a message; readers never
wait: while a writer holds DuckDB they read the last committed state from the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from alliancekit.schema import AlliancekitError, ParameterError

if TYPE_CHECKING:
    import polars as pl

HOME_ENV = "ALLIANCEKIT_HOME"
LOCK_TIMEOUT_ENV = "ALLIANCEKIT_LOCK_TIMEOUT"
# Fault injection for the crash tests: the process exits at the named stage of store().
FAULT_ENV = "ALLIANCEKIT_FAULT"
DB_NAME = "catalog.duckdb"
MANIFEST = "catalog.json"
LOCK_NAME = "catalog.lock"
_MANIFEST_FORMAT = 2
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# The command that imports each dataset (for error messages).
IMPORT_NAMES = {
    "atop": "atop",
    "nmc": "nmc",
    "cow_states": "cow-states",
    "gw_states": "gw-states",
    "majors": "majors",
    "contiguity": "contiguity",
}


class MissingImportError(AlliancekitError):
    """A step needs a dataset that has not been imported into the catalog."""

    def __init__(self, name: str, home: Path | None = None):
        self.name = name
        cmd = IMPORT_NAMES.get(name, name.replace("_", "-"))
        where = f" (catalog: {home})" if home else ""
        super().__init__(
            f"no '{name}' data imported{where}: run 'alliancekit data import {cmd} PATH' "
            f"with the file downloaded from its publisher"
        )


class CatalogError(AlliancekitError):
    """The catalog file cannot be opened (locked by another process, unreadable, ...)."""


def _fault(stage: str) -> None:
    if os.environ.get(FAULT_ENV) == stage:
        os._exit(86)


class _WriterLock:
    """An exclusive advisory lock on ``catalog.lock``, waited for up to ``timeout`` seconds."""

    def __init__(self, home: Path, timeout: float):
        self.path = home / LOCK_NAME
        self.timeout = timeout
        self._fh = None

    def __enter__(self) -> _WriterLock:
        import time

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a+")
        deadline = time.monotonic() + self.timeout
        while True:
            if _try_lock(self._fh):
                return self
            if time.monotonic() >= deadline:
                self._fh.close()
                raise CatalogError(
                    f"the catalog {self.path.parent} is locked by another alliancekit process "
                    f"(an import is running); waited {self.timeout:g} s. Try again when it "
                    f"has finished, or set {LOCK_TIMEOUT_ENV} to wait longer"
                )
            time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        _unlock(self._fh)
        self._fh.close()


def _try_lock(fh) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: DuckDB's own lock still guards the file
        return True
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fh) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _lock_held(home: Path) -> bool:
    """Whether another process holds the writer lock right now."""
    path = home / LOCK_NAME
    if not path.is_file():
        return False
    with path.open("a+") as fh:
        if _try_lock(fh):
            _unlock(fh)
            return False
        return True


def _lock_timeout() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "30")
    try:
        value = float(raw)
    except ValueError:
        raise ParameterError(
            LOCK_TIMEOUT_ENV, f"must be a number of seconds, got {raw!r}"
        ) from None
    if not value >= 0:
        raise ParameterError(LOCK_TIMEOUT_ENV, f"must be 0 or more seconds, got {raw!r}")
    return value


def default_home() -> Path:
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("alliancekit", appauthor=False))


def open_catalog(home: str | Path | None = None) -> Catalog:
    """The catalog under ``home`` (else ``$ALLIANCEKIT_HOME``, else the user data dir)."""
    return Catalog(Path(home).expanduser() if home is not None else default_home())


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class StoreResult:
    name: str
    rows: int
    sha256: str
    changed: bool  # False when the same file was already stored


class Catalog:
    """A DuckDB catalog of imported datasets (see the module docstring)."""

    _RECORD_COLUMNS = (
        "name",
        "file",
        "path",
        "sha256",
        "rows",
        "version",
        "citation",
        "columns",
        "imported_at",
        "cache",
    )

    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / DB_NAME

    def __repr__(self) -> str:
        return f"Catalog({str(self.home)!r})"

    # -- connections ---------------------------------------------------------------------

    def _connect(self, *, write: bool):
        import duckdb

        try:
            return self._open(duckdb, write)
        except duckdb.Error as exc:
            if _lock_held(self.home) or "lock" in str(exc).lower():
                why = "another alliancekit process is importing right now; try again when it ends"
            else:
                why = (
                    "the file is damaged or not a DuckDB catalog; move it away (or restore it "
                    "from a backup) and import the datasets again"
                )
            raise CatalogError(f"cannot open the catalog {self.path}: {why} ({exc})") from None
        except OSError as exc:
            raise CatalogError(f"cannot open the catalog {self.path}: {exc}") from None

    def _open(self, duckdb, write: bool):
        if write:
            self.home.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(self.path))
            con.execute(
                "CREATE TABLE IF NOT EXISTS _imports ("
                " name VARCHAR PRIMARY KEY, file VARCHAR, path VARCHAR, sha256 VARCHAR,"
                " rows BIGINT, version VARCHAR, citation VARCHAR, columns VARCHAR,"
                " imported_at TIMESTAMP WITH TIME ZONE, cache VARCHAR)"
            )
            return con
        if not self.path.is_file():
            return None
        return duckdb.connect(str(self.path), read_only=True)

    @staticmethod
    def _check_name(name: str) -> str:
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise ParameterError(
                "name", f"not a dataset name (lower-case letters, digits, _): {name!r}"
            )
        return name

    # -- manifest (fast path for reads) ----------------------------------------------------

    def _stamp(self) -> list:
        """Size and modification time of the DuckDB file and its write-ahead log."""
        out = []
        for p in (self.path, self.path.with_name(DB_NAME + ".wal")):
            try:
                st = p.stat()
                out.append([st.st_size, st.st_mtime_ns])
            except OSError:
                out.append(None)
        return out

    def _read_manifest(self) -> dict | None:
        try:
            data = json.loads((self.home / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT:
            return None
        return data

    def _records_from_db(self, con) -> dict[str, dict]:
        try:
            rows = con.execute(
                f"SELECT {', '.join(self._RECORD_COLUMNS)} FROM _imports ORDER BY name"
            ).fetchall()
        except Exception:  # no _imports table yet
            return {}
        out = {}
        for row in rows:
            rec = dict(zip(self._RECORD_COLUMNS, row, strict=True))
            if rec["imported_at"] is not None:
                rec["imported_at"] = rec["imported_at"].isoformat()
            out[rec["name"]] = rec
        return out

    def _write_manifest(self, records: dict[str, dict]) -> None:
        data = {"format": _MANIFEST_FORMAT, "stamp": self._stamp(), "tables": records}
        tmp = self.home / f"{MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
        os.replace(tmp, self.home / MANIFEST)

    def _records(self) -> dict[str, dict]:
        """The committed records: the manifest while it matches DuckDB, else DuckDB's own.

        While a writer holds DuckDB, the manifest (the last committed state) is used as it is.
        """
        manifest = self._read_manifest()
        if manifest is not None and manifest.get("stamp") == self._stamp():
            return manifest["tables"]
        if not self.path.is_file():
            return {}
        try:
            con = self._connect(write=False)
        except CatalogError:
            if manifest is not None and _lock_held(self.home):
                return manifest["tables"]
            raise
        try:
            records = self._records_from_db(con)
        finally:
            con.close()
        # Repair the manifest for the next reader, unless a writer is at work.
        lock = (self.home / LOCK_NAME).open("a+") if self.home.is_dir() else None
        if lock is not None:
            try:
                if _try_lock(lock):
                    try:
                        self._write_manifest(records)
                    except OSError:  # a read-only home: reads still work from DuckDB
                        pass
                    finally:
                        _unlock(lock)
            finally:
                lock.close()
        return records

    def _cleanup(self, records: dict[str, dict]) -> None:
        """Remove what a killed process left: temporary files, unreferenced Parquet copies."""
        for p in self.home.glob(f"{MANIFEST}*.tmp"):
            p.unlink(missing_ok=True)
        tables = self.home / "tables"
        if not tables.is_dir():
            return
        keep = {rec["cache"] for rec in records.values() if rec.get("cache")}
        for p in tables.iterdir():
            if f"tables/{p.name}" not in keep:
                p.unlink(missing_ok=True)

    # -- API -------------------------------------------------------------------------------

    def records(self, names: list[str]) -> dict[str, dict]:
        """What the catalog knows of each imported dataset of ``names``: file, sha256, rows,
        version, citation (the committed records; see :meth:`_records`)."""
        keys = ("file", "sha256", "rows", "version", "citation")
        recs = self._records()
        return {n: {k: recs[n].get(k) for k in keys} for n in names if n in recs}

    def has(self, name: str) -> bool:
        """Whether a dataset has been imported."""
        self._check_name(name)
        return name in self._records()

    def read(self, name: str) -> pl.DataFrame:
        """The stored table; :class:`MissingImportError` names the import command if absent."""
        import polars as pl

        self._check_name(name)
        rec = self._records().get(name)
        if rec is None:
            raise MissingImportError(name, self.home)
        if rec.get("cache"):
            try:
                df = pl.read_parquet(self.home / rec["cache"])
                if df.height == rec["rows"]:
                    return df
            except Exception:  # a damaged or missing copy: DuckDB holds the table
                pass
        con = self._connect(write=False)
        if con is None:
            raise MissingImportError(name, self.home)
        try:
            return pl.from_arrow(con.sql(f'SELECT * FROM "ds_{name}"').to_arrow_table())
        finally:
            con.close()

    def read_many(self, names: list[str]) -> dict[str, pl.DataFrame]:
        """Several stored tables (as :meth:`read`), their Parquet copies read in parallel."""
        import polars as pl

        for name in names:
            self._check_name(name)
        records = self._records()
        cached = [n for n in names if records.get(n, {}).get("cache")]
        out: dict[str, pl.DataFrame] = {}
        try:
            frames = pl.collect_all(
                [pl.scan_parquet(self.home / records[n]["cache"]) for n in cached]
            )
            out = {
                n: df
                for n, df in zip(cached, frames, strict=True)
                if df.height == records[n]["rows"]
            }
        except Exception:  # a damaged or missing copy: read() falls back to DuckDB
            pass
        return {n: out[n] if n in out else self.read(n) for n in names}

    def store(
        self,
        name: str,
        df: pl.DataFrame,
        *,
        source_file: str | Path | None,
        version: str | None,
        citation: str | None,
    ) -> StoreResult:
        """Store a validated table under ``name`` (replacing an earlier import).

        Atomic: the table and its record are committed in one DuckDB transaction, and a
        process killed at any point leaves the old or the new table readable (see the module
        docstring). Idempotent: if the same source (by SHA-256 of ``source_file``, else of the
        table's content) is already stored with the same row count, nothing is written. An
        empty table is refused: it would replace good data with nothing.
        """
        import polars as pl

        self._check_name(name)
        if not isinstance(df, pl.DataFrame):
            raise ParameterError("df", "store() takes a polars DataFrame")
        if df.height == 0:
            where = f" {Path(source_file).name}" if source_file is not None else ""
            raise ParameterError(
                "df",
                f"the table for '{name}'{where} has no data rows; nothing was stored and the "
                "catalog keeps what it had",
            )
        if source_file is not None and Path(source_file).is_file():
            sha = sha256_file(source_file)
            file, path = Path(source_file).name, str(Path(source_file).resolve())
        else:
            sha = hashlib.sha256(df.serialize()).hexdigest()
            file = path = None if source_file is None else str(source_file)
        self.home.mkdir(parents=True, exist_ok=True)
        with _WriterLock(self.home, _lock_timeout()):
            con = self._connect(write=True)
            try:
                records = self._records_from_db(con)
                self._cleanup(records)
                rec = records.get(name)
                if rec is not None and rec["sha256"] == sha and rec["rows"] == df.height:
                    changed = False
                else:
                    records[name] = self._commit(con, name, df, sha, file, path, version, citation)
                    changed = True
            finally:
                con.close()
            _fault("after_commit")
            self._write_manifest(records)
            _fault("after_manifest")
            if changed and rec is not None and rec.get("cache") != records[name]["cache"]:
                (self.home / rec["cache"]).unlink(missing_ok=True)
        return StoreResult(name, df.height, sha, changed=changed)

    def _commit(self, con, name, df, sha, file, path, version, citation) -> dict:
        """Write the Parquet copy under its new name, then commit table and record."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        cache_rel = f"tables/{name}-{sha[:16]}-{stamp}.parquet"
        cache = self.home / cache_rel
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".parquet.tmp")
        try:
            df.write_parquet(tmp, compression="lz4", statistics=False)
            _fault("after_cache_tmp")
            os.replace(tmp, cache)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fault("after_cache")
        imported_at = dt.datetime.now(dt.UTC)
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("_incoming", df.to_arrow())
            con.execute(f'CREATE OR REPLACE TABLE "ds_{name}" AS SELECT * FROM _incoming')
            con.unregister("_incoming")
            _fault("before_commit")
            con.execute("DELETE FROM _imports WHERE name = ?", [name])
            con.execute(
                "INSERT INTO _imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    name,
                    file,
                    path,
                    sha,
                    df.height,
                    version,
                    citation,
                    ",".join(df.columns),
                    imported_at,
                    cache_rel,
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            cache.unlink(missing_ok=True)
            raise
        con.execute("CHECKPOINT")
        return {
            "name": name,
            "file": file,
            "path": path,
            "sha256": sha,
            "rows": df.height,
            "version": version,
            "citation": citation,
            "columns": ",".join(df.columns),
            "imported_at": imported_at.isoformat(),
            "cache": cache_rel,
        }

    def list(self) -> pl.DataFrame:
        """One row per imported dataset: name, file, sha256, rows, version, citation,
        imported_at (empty frame when nothing is imported)."""
        import polars as pl

        schema = {
            "name": pl.String,
            "file": pl.String,
            "path": pl.String,
            "sha256": pl.String,
            "rows": pl.Int64,
            "version": pl.String,
            "citation": pl.String,
            "imported_at": pl.String,
        }
        records = self._records()
        rows = [{k: rec.get(k) for k in schema} for _, rec in sorted(records.items())]
        df = pl.DataFrame(rows, schema=schema, orient="row")
        return df.with_columns(
            pl.col("imported_at").str.to_datetime(time_zone="UTC", time_unit="us")
        )
