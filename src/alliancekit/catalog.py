"""The local catalog of imported reference data: one DuckDB file, ``catalog.duckdb``.

Where: ``open_catalog(home)``, else the environment variable ``ALLIANCEKIT_HOME``, else the
user's data directory (``platformdirs.user_data_dir("alliancekit")``).

Each dataset (atop, nmc, cow_states, gw_states, majors, contiguity, sipri, ...) is a table
``ds_<name>`` in the DuckDB file; the table ``_imports`` records, per dataset, the source file's
name and path, its SHA-256, the row count, the version, the citation, the column list and when
it was imported. ``store()`` runs in one transaction: a failure leaves the catalog as it was.
Storing the same file (same checksum) again changes nothing.

Reads are fast: beside the DuckDB file, ``store()`` writes a Parquet copy of each table, named
by its checksum, under ``tables/``; ``read()`` uses it when the catalog's record points to it
and falls back to DuckDB otherwise (and on any mismatch), so the DuckDB file stays the one
source of truth.
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
DB_NAME = "catalog.duckdb"
MANIFEST = "catalog.json"
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
            raise CatalogError(
                f"cannot open the catalog {self.path}: {exc} (is another alliancekit process "
                "importing right now?)"
            ) from None
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

    def _manifest(self) -> dict:
        try:
            return json.loads((self.home / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_manifest(self, con) -> None:
        rows = con.execute(
            "SELECT name, sha256, rows, cache, file, version, citation FROM _imports"
        ).fetchall()
        data = {
            n: {"sha256": s, "rows": r, "cache": c, "file": f, "version": v, "citation": t}
            for n, s, r, c, f, v, t in rows
        }
        tmp = self.home / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, self.home / MANIFEST)

    # -- API -------------------------------------------------------------------------------

    def records(self, names: list[str]) -> dict[str, dict]:
        """What the catalog knows of each imported dataset of ``names``: file, sha256, rows,
        version, citation (from the manifest when it has them; else from DuckDB)."""
        manifest = self._manifest()
        keys = ("file", "sha256", "rows", "version", "citation")
        if all(n in manifest and all(k in manifest[n] for k in keys) for n in names):
            return {n: {k: manifest[n][k] for k in keys} for n in names}
        listed = {r["name"]: r for r in self.list().iter_rows(named=True)}
        return {n: {k: listed[n][k] for k in keys} for n in names if n in listed}

    def has(self, name: str) -> bool:
        """Whether a dataset has been imported."""
        self._check_name(name)
        if name in self._manifest():
            return True
        con = self._connect(write=False)
        if con is None:
            return False
        try:
            return self._record(con, name) is not None
        finally:
            con.close()

    @staticmethod
    def _record(con, name: str):
        try:
            rows = con.execute(
                "SELECT sha256, rows, cache FROM _imports WHERE name = ?", [name]
            ).fetchall()
            return rows[0] if rows else None
        except Exception:  # no _imports table yet
            return None

    def read(self, name: str) -> pl.DataFrame:
        """The stored table; :class:`MissingImportError` names the import command if absent."""
        import polars as pl

        self._check_name(name)
        entry = self._manifest().get(name)
        if entry and entry.get("cache"):
            cache = self.home / entry["cache"]
            try:
                df = pl.read_parquet(cache)
                if df.height == entry["rows"]:
                    return df
            except Exception:  # a damaged or missing cache: fall back to DuckDB
                pass
        con = self._connect(write=False)
        if con is None:
            raise MissingImportError(name, self.home)
        try:
            if self._record(con, name) is None:
                raise MissingImportError(name, self.home)
            return pl.from_arrow(con.sql(f'SELECT * FROM "ds_{name}"').to_arrow_table())
        finally:
            con.close()

    def read_many(self, names: list[str]) -> dict[str, pl.DataFrame]:
        """Several stored tables (as :meth:`read`), their Parquet copies read in parallel."""
        import polars as pl

        for name in names:
            self._check_name(name)
        manifest = self._manifest()
        cached = [n for n in names if manifest.get(n, {}).get("cache")]
        out: dict[str, pl.DataFrame] = {}
        try:
            frames = pl.collect_all(
                [pl.scan_parquet(self.home / manifest[n]["cache"]) for n in cached]
            )
            out = {
                n: df
                for n, df in zip(cached, frames, strict=True)
                if df.height == manifest[n]["rows"]
            }
        except Exception:  # a damaged or missing cache: read() falls back to DuckDB
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

        Atomic: the table and its record are written in one transaction. Idempotent: if the
        same source (by SHA-256 of ``source_file``, else of the table's content) is already
        stored with the same row count, nothing is written.
        """
        import polars as pl

        self._check_name(name)
        if not isinstance(df, pl.DataFrame):
            raise ParameterError("df", "store() takes a polars DataFrame")
        if source_file is not None and Path(source_file).is_file():
            sha = sha256_file(source_file)
            file, path = Path(source_file).name, str(Path(source_file).resolve())
        else:
            sha = hashlib.sha256(df.serialize()).hexdigest()
            file = path = None if source_file is None else str(source_file)
        con = self._connect(write=True)
        try:
            rec = self._record(con, name)
            if rec is not None and rec[0] == sha and rec[1] == df.height:
                cache_ok = rec[2] and (self.home / rec[2]).is_file()
                if not cache_ok:
                    self._write_manifest(con)
                return StoreResult(name, df.height, sha, changed=False)
            cache_rel = f"tables/{name}-{sha[:16]}.parquet"
            cache = self.home / cache_rel
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".parquet.tmp")
            df.write_parquet(tmp, compression="lz4", statistics=False)
            arrow = df.to_arrow()
            con.execute("BEGIN TRANSACTION")
            try:
                con.register("_incoming", arrow)
                con.execute(f'CREATE OR REPLACE TABLE "ds_{name}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
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
                        dt.datetime.now(dt.UTC),
                        cache_rel,
                    ],
                )
                os.replace(tmp, cache)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                tmp.unlink(missing_ok=True)
                if rec is None or rec[2] != cache_rel:
                    cache.unlink(missing_ok=True)
                raise
            old = rec[2] if rec is not None else None
            if old and old != cache_rel:
                (self.home / old).unlink(missing_ok=True)
            self._write_manifest(con)
            return StoreResult(name, df.height, sha, changed=True)
        finally:
            con.close()

    def list(self) -> pl.DataFrame:
        """One row per imported dataset: name, file, sha256, rows, version, citation,
        imported_at (empty frame when nothing is imported)."""
        import polars as pl

        cols = ["name", "file", "path", "sha256", "rows", "version", "citation", "imported_at"]
        con = self._connect(write=False)
        empty = pl.DataFrame(
            schema={
                "name": pl.String,
                "file": pl.String,
                "path": pl.String,
                "sha256": pl.String,
                "rows": pl.Int64,
                "version": pl.String,
                "citation": pl.String,
                "imported_at": pl.Datetime("us", "UTC"),
            }
        )
        if con is None:
            return empty
        try:
            try:
                rows = con.execute(
                    f"SELECT {', '.join(cols)} FROM _imports ORDER BY name"
                ).fetchall()
            except Exception:
                return empty
        finally:
            con.close()
        return pl.DataFrame(rows, schema=empty.schema, orient="row")
