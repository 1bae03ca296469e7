"""Crash safety and concurrency of the catalog: a process killed at any stage of an import
leaves exactly the old or exactly the new table; readers never fail while a writer works."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

from alliancekit.catalog import FAULT_ENV, LOCK_NAME, CatalogError, open_catalog

HEADER = "ddyad,stateA,stateB,year,atopally,defense,offense,neutral,nonagg,consul\n"


def atop_file(path, years):
    rows = [f"2740,2,740,{y},1,1,0,0,0,1\n740002,740,2,{y},1,1,0,0,0,1\n" for y in years]
    path.write_text(HEADER + "".join(rows))
    return path


def run_import(path, home, fault=None):
    env = dict(os.environ)
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    cmd = [sys.executable, "-m", "alliancekit", "data", "import", "atop", str(path)]
    return subprocess.run([*cmd, "--home", str(home)], capture_output=True, text=True, env=env)


STAGES = ["after_cache_tmp", "after_cache", "before_commit", "after_commit", "after_manifest"]


@pytest.mark.parametrize("stage", STAGES)
def test_kill_at_each_stage_leaves_old_or_new(tmp_path, stage):
    home = tmp_path / "home"
    old = atop_file(tmp_path / "old.csv", range(1950, 1953))  # 6 rows
    new = atop_file(tmp_path / "new.csv", range(1950, 1960))  # 20 rows
    assert run_import(old, home).returncode == 0
    killed = run_import(new, home, fault=stage)
    assert killed.returncode == 86, killed.stderr  # the injected kill happened
    cat = open_catalog(home)
    rows = cat.read("atop").height
    listed = cat.list()["rows"].to_list()
    committed = stage in ("after_commit", "after_manifest")
    assert rows == (20 if committed else 6)
    assert listed == [rows]  # the listing and the read agree
    # a second reader in another process sees the same state
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from alliancekit.catalog import open_catalog; "
            "print(open_catalog(sys.argv[1]).read('atop').height)",
            str(home),
        ],
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() == str(rows), probe.stderr
    # importing the new file again completes it, and leaves no leftovers
    again = run_import(new, home)
    assert again.returncode == 0, again.stderr
    assert ("unchanged" in again.stdout) == committed
    assert open_catalog(home).read("atop").height == 20
    leftovers = sorted(p.name for p in home.rglob("*.tmp"))
    assert leftovers == []
    assert len(list((home / "tables").glob("*.parquet"))) == 1


def test_readers_work_while_a_writer_holds_the_lock(tmp_path, monkeypatch):
    home = tmp_path / "home"
    assert run_import(atop_file(tmp_path / "a.csv", [1950]), home).returncode == 0
    with (home / LOCK_NAME).open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        cat = open_catalog(home)
        assert cat.read("atop").height == 2
        assert cat.list()["rows"].to_list() == [2]
        monkeypatch.setenv("ALLIANCEKIT_LOCK_TIMEOUT", "0.2")
        import polars as pl

        with pytest.raises(CatalogError, match="locked by another alliancekit process"):
            cat.store(
                "nmc", pl.DataFrame({"a": [1]}), source_file=None, version=None, citation=None
            )
        r = run_import(atop_file(tmp_path / "b.csv", [1951, 1952]), home)
        assert r.returncode == 1 and "locked by another alliancekit process" in r.stderr
        assert "Traceback" not in r.stderr


def test_empty_table_never_replaces_good_data(tmp_path):
    import polars as pl

    from alliancekit.schema import ParameterError

    cat = open_catalog(tmp_path / "home")
    cat.store("sipri", pl.DataFrame({"a": [1, 2]}), source_file=None, version=None, citation=None)
    with pytest.raises(ParameterError, match="no data rows"):
        cat.store("sipri", pl.DataFrame({"a": []}), source_file=None, version=None, citation=None)
    assert cat.read("sipri").height == 2


def test_damaged_catalog_file_says_so(tmp_path):
    home = tmp_path / "home"
    assert run_import(atop_file(tmp_path / "a.csv", [1950]), home).returncode == 0
    (home / "catalog.json").unlink()
    (home / "catalog.duckdb").write_bytes(b"not a database at all" * 10)
    with pytest.raises(CatalogError, match="damaged or not a DuckDB catalog"):
        open_catalog(home).read("atop")
