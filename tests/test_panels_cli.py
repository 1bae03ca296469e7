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
    for args in (["--add", "wars"], ["--years", "20x0"]):
        r = runner.invoke(app, ["panel", "dyad-years", *args, "-o", str(out), "--home", str(home)])
        assert r.exit_code != 0


def test_missing_import_is_a_clear_error(tmp_path, refdata):
    from tests.cli import run

    home = tmp_path / "h"
    r = run("data", "import", "cow-states", str(refdata("cow_states.parquet")), "--home", str(home))
    assert r.returncode == 0, r.stderr
    r = run(
        "panel",
        "dyad-years",
        "--add",
        "atop",
        "-o",
        str(tmp_path / "x.parquet"),
        "--home",
        str(home),
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


def test_dyad_years_defaults_agree_with_python_and_warn_past_the_data(home, tmp_path):
    """Directed by default, as create_dyadyears; --years past the data warns on stderr."""
    from alliancekit import panels as ps
    from alliancekit.catalog import open_catalog

    out = tmp_path / "d.parquet"
    cmd = [sys.executable, "-m", "alliancekit", "panel", "dyad-years"]
    args = ["--years", "2015-2018", "--add", "majors", "-o", str(out), "--home", str(home)]
    r = subprocess.run([*cmd, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "warning: years reach 2018" in r.stderr and "--extend-to 2018" in r.stderr
    df = pl.read_parquet(out)
    states = open_catalog(home).read("cow_states")
    py = ps.create_dyadyears(states=states, years="2015-2016")
    assert df.height == py.height and (df["ccode1"] > df["ccode2"]).any()


def test_dyad_years_step_options(home, tmp_path):
    out = tmp_path / "o.parquet"
    base = ["panel", "dyad-years", "--years", "2017", "--extend-to", "2017", "--add"]
    runner = CliRunner()
    r = runner.invoke(app, [*base, "majors,contiguity", "-o", str(out), "--home", str(home)])
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df["cowmaj1"].null_count() == 0 and df["conttype"].null_count() == df.height
    r = runner.invoke(
        app,
        [
            *base,
            "majors,contiguity",
            "--no-majors-mry",
            "--contiguity-mry",
            "--contiguity-slice",
            "last",
            "-o",
            str(out),
            "--home",
            str(home),
        ],
    )
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df["cowmaj1"].null_count() == df.height and df["conttype"].null_count() == 0
    r = runner.invoke(
        app, [*base, "contiguity", "--contiguity-slice", "mid", "-o", str(out), "--home", str(home)]
    )
    assert r.exit_code == 1 and "--contiguity-slice" in str(r.exception)


def test_gw_panels_take_every_step(home, tmp_path):
    """G-W frames get COW codes by year, so the COW steps work on them (the README's
    'panel state-years --system gw --add nmc,majors')."""
    runner = CliRunner()
    out = tmp_path / "sy.csv"
    r = runner.invoke(
        app,
        ["panel", "state-years", "--system", "gw", "--add", "nmc,majors", "-o", str(out)]
        + ["--home", str(home)],
    )
    assert r.exit_code == 0, r.output
    sy = pl.read_csv(out)
    assert sy.columns[:4] == ["gwcode", "statename", "year", "ccode"]
    srb = sy.filter((pl.col("gwcode") == 340) & (pl.col("year") == 2010))
    assert srb["ccode"].item() == 345 and srb["cinc"].item() > 0
    ger = sy.filter((pl.col("gwcode") == 260) & (pl.col("year") == 2000))
    assert ger["ccode"].item() == 255 and ger["cowmaj"].item() == 1
    out = tmp_path / "dy.parquet"
    r = runner.invoke(
        app,
        ["panel", "dyad-years", "--system", "gw", "--undirected", "--years", "2000"]
        + ["--add", "atop,contiguity", "-o", str(out), "--home", str(home)],
    )
    assert r.exit_code == 0, r.output
    dy = pl.read_parquet(out)
    assert (dy["gwcode1"] < dy["gwcode2"]).all()
    usa_can = dy.filter((pl.col("gwcode1") == 2) & (pl.col("gwcode2") == 20))
    assert usa_can["atop_defense"].item() == 1 and usa_can["conttype"].item() == 1


def test_panel_errors_name_the_option(home, tmp_path):
    out = str(tmp_path / "x.parquet")
    for args, option in (
        (["--years", "2x"], "--years"),
        (["--extend-to", "2000"], "--extend-to"),
    ):
        r = CliRunner().invoke(app, ["panel", "dyad-years", *args, "-o", out, "--home", str(home)])
        assert r.exit_code == 1 and r.exception.parameter == option, r.exception
