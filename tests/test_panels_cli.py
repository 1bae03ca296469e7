"""``alliancekit panel`` end to end: import the real tables into a temporary catalog, build
panels, read them back; a missing import is a clear error naming the command to run."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest
from typer.testing import CliRunner

from alliancekit.cli import app

pytestmark = pytest.mark.refdata

FILES = {
    "atop": "atop_alliance.parquet",
    "nmc": "cow_nmc.csv.gz",
    "cow-states": "cow_states.csv.gz",
    "gw-states": "gw_states.parquet",
    "majors": "cow_majors.parquet",
    "contiguity": "cow_contdir.csv.gz",
}


@pytest.fixture(scope="module")
def home(refdata, tmp_path_factory):
    home = tmp_path_factory.mktemp("catalog")
    runner = CliRunner()
    for dataset, name in FILES.items():
        r = runner.invoke(app, ["data", "import", dataset, str(refdata(name)), "--home", str(home)])
        assert r.exit_code == 0, r.output
    return home


def test_dyad_years_command(home, tmp_path):
    out = tmp_path / "ddy.parquet"
    r = CliRunner().invoke(
        app,
        [
            "panel",
            "dyad-years",
            "--system",
            "cow",
            "--directed",
            "--years",
            "1950-1955",
            "--add",
            "atop,nmc,majors,contiguity,ties",
            "-o",
            str(out),
            "--home",
            str(home),
        ],
    )
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert sorted(df["year"].unique().to_list()) == list(range(1950, 1956))
    assert {"atop_defense", "milex1", "cinc2", "cowmaj1", "conttype", "tie_member"} <= set(
        df.columns
    )
    r1952 = df.filter(
        (pl.col("ccode1") == 2) & (pl.col("ccode2") == 740) & (pl.col("year") == 1952)
    )
    assert r1952["atop_defense"].item() == 1


def test_state_years_csv_and_extend(home, tmp_path):
    out = tmp_path / "sy.csv"
    r = CliRunner().invoke(
        app,
        [
            "panel",
            "state-years",
            "--extend-to",
            "2025",
            "--add",
            "nmc,majors",
            "-o",
            str(out),
            "--home",
            str(home),
        ],
    )
    assert r.exit_code == 0, r.output
    df = pl.read_csv(out)
    assert df["year"].max() == 2025 and {"cinc", "cowmaj"} <= set(df.columns)


def test_gw_panel_and_bad_options(home, tmp_path):
    runner = CliRunner()
    out = tmp_path / "gw.parquet"
    r = runner.invoke(
        app,
        [
            "panel",
            "dyad-years",
            "--system",
            "gw",
            "--years",
            "2000",
            "-o",
            str(out),
            "--home",
            str(home),
        ],
    )
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out).columns == ["gwcode1", "gwcode2", "year"]
    for args in (["--system", "gw", "--add", "atop"], ["--add", "wars"], ["--years", "20x0"]):
        r = runner.invoke(app, ["panel", "dyad-years", *args, "-o", str(out), "--home", str(home)])
        assert r.exit_code != 0


def test_missing_import_is_a_clear_error(tmp_path, refdata):
    home = tmp_path / "h"
    cmd = [sys.executable, "-m", "alliancekit"]
    subprocess.run(
        [
            *cmd,
            "data",
            "import",
            "cow-states",
            str(refdata("cow_states.parquet")),
            "--home",
            str(home),
        ],
        check=True,
        capture_output=True,
    )
    r = subprocess.run(
        [
            *cmd,
            "panel",
            "dyad-years",
            "--add",
            "atop",
            "-o",
            str(tmp_path / "x.parquet"),
            "--home",
            str(home),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "no 'atop' data imported" in r.stderr
    assert "alliancekit data import atop PATH" in r.stderr
    assert "Traceback" not in r.stderr


def test_panel_reads_the_catalog_even_with_a_damaged_parquet_copy(home, tmp_path):
    import json
    import shutil

    from alliancekit.catalog import open_catalog

    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    manifest = json.loads((copy / "catalog.json").read_text())
    (copy / manifest["tables"]["nmc"]["cache"]).write_bytes(b"not parquet")
    cat = open_catalog(copy)
    tables = cat.read_many(["cow_states", "nmc"])
    assert tables["nmc"].equals(open_catalog(home).read("nmc"))  # from DuckDB
    out = tmp_path / "sy.parquet"
    r = CliRunner().invoke(
        app,
        [
            "panel",
            "state-years",
            "--years",
            "2000",
            "--add",
            "nmc",
            "-o",
            str(out),
            "--home",
            str(copy),
        ],
    )
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out)["cinc"].null_count() < pl.read_parquet(out).height
