"""The local DuckDB catalog and the 'data import' / 'data list' commands."""

from __future__ import annotations

import polars as pl
import pytest
from typer.testing import CliRunner

from alliancekit import catalog as catmod
from alliancekit.catalog import MissingImportError, open_catalog
from alliancekit.cli import app
from alliancekit.schema import AlliancekitError, ParameterError

ATOP = (
    "ddyad,stateA,stateB,year,atopally,defense,offense,neutral,nonagg,consul\n"
    "2740,2,740,1952,1,1,0,0,0,1\n"
    "740002,740,2,1952,1,0,0,0,0,1\n"
)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def frame(n=3):
    return pl.DataFrame(
        {
            "ccode": pl.Series(range(1, n + 1), dtype=pl.Int16),
            "flag": pl.Series([1] * n, dtype=pl.Int8),
        }
    )


def test_store_read_list_has(home, tmp_path):
    cat = open_catalog(home)
    assert not cat.has("atop") and cat.list().is_empty()
    src = tmp_path / "f.csv"
    src.write_text("x\n")
    res = cat.store("atop", frame(), source_file=src, version="5.1", citation="Leeds 2002")
    assert res.changed and res.rows == 3
    assert cat.has("atop")
    back = cat.read("atop")
    assert back.equals(frame()) and back.schema["ccode"] == pl.Int16  # compact types survive
    listing = cat.list().row(0, named=True)
    assert listing["name"] == "atop" and listing["file"] == "f.csv" and listing["rows"] == 3
    assert listing["version"] == "5.1" and listing["citation"] == "Leeds 2002"
    assert len(listing["sha256"]) == 64 and listing["imported_at"] is not None


def test_same_checksum_is_idempotent(home, tmp_path):
    cat = open_catalog(home)
    src = tmp_path / "f.csv"
    src.write_text("x\n")
    cat.store("nmc", frame(), source_file=src, version="6", citation="c")
    first = cat.list()
    res = cat.store("nmc", frame(), source_file=src, version="6", citation="c")
    assert not res.changed
    assert cat.list().equals(first)  # imported_at unchanged


def test_failed_store_leaves_catalog_as_it_was(home, tmp_path, monkeypatch):
    cat = open_catalog(home)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("a\n")
    b.write_text("b\n")
    cat.store("atop", frame(3), source_file=a, version="1", citation="c")
    before = cat.list()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(catmod.os, "replace", boom)  # fails inside the transaction
    with pytest.raises(OSError):
        cat.store("atop", frame(5), source_file=b, version="2", citation="c")
    monkeypatch.undo()
    assert cat.list().equals(before)
    assert cat.read("atop").height == 3
    assert not list((home / "tables").glob("*.tmp"))


def test_read_falls_back_to_duckdb_without_the_parquet_copy(home):
    cat = open_catalog(home)
    cat.store("majors", frame(4), source_file=None, version=None, citation=None)
    for p in (home / "tables").glob("*.parquet"):
        p.unlink()
    assert cat.read("majors").height == 4


def test_missing_import_names_the_command(home):
    cat = open_catalog(home)
    with pytest.raises(MissingImportError, match=r"run 'alliancekit data import cow-states PATH'"):
        cat.read("cow_states")
    assert issubclass(MissingImportError, AlliancekitError)
    with pytest.raises(ParameterError):
        cat.read("Bad Name")


def test_home_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCEKIT_HOME", str(tmp_path / "envhome"))
    cat = open_catalog()
    assert cat.path == tmp_path / "envhome" / "catalog.duckdb"


def test_cli_import_twice_and_list(home, tmp_path):
    p = tmp_path / "atop5_1ddyr.csv"
    p.write_text(ATOP)
    runner = CliRunner()
    r = runner.invoke(app, ["data", "import", "atop", str(p), "--home", str(home)])
    assert r.exit_code == 0, r.output
    assert "stored" in r.output
    r = runner.invoke(app, ["data", "import", "atop", str(p), "--home", str(home)])
    assert r.exit_code == 0 and "unchanged" in r.output
    r = runner.invoke(app, ["data", "list", "--home", str(home), "--format", "csv"])
    assert r.exit_code == 0 and "atop5_1ddyr.csv" in r.output
    assert open_catalog(home).read("atop").height == 2


def test_cli_bad_file_exits_1_and_keeps_the_catalog(home, tmp_path):
    from tests.cli import run

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(ATOP)
    bad.write_text(ATOP.replace("740002,740", "740002,JPN"))
    cmd = ["data", "import", "atop"]
    assert run(*cmd, str(good), "--home", str(home)).returncode == 0
    r = run(*cmd, str(bad), "--home", str(home))
    assert r.returncode == 1
    assert "bad.csv, row 2, column 'statea'" in r.stderr and "Traceback" not in r.stderr
    assert open_catalog(home).list()["file"].to_list() == ["good.csv"]
