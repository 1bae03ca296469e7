"""Panels and tables to Stata, R, Feather as well as Parquet and CSV, each with its
provenance record; Stata's 32-character names by a documented, collision-free rule."""

from __future__ import annotations

import polars as pl
import pytest
from typer.testing import CliRunner

from alliancekit import provenance
from alliancekit.writers import stata_names, write_table

LONG = "tie_information_security_agreement"
FRAME = pl.DataFrame(
    {
        "ccode1": pl.Series([2, 740, 20], dtype=pl.Int16),
        "year": pl.Series([2000, 2000, 2001], dtype=pl.Int16),
        "cinc1": [0.14, None, 0.01],
        "milex1": pl.Series([300_000, None, 8_000], dtype=pl.Int32),
        LONG: pl.Series([1, 0, None], dtype=pl.Int8),
        LONG + "_b": pl.Series([0, 1, 0], dtype=pl.Int8),
    }
)
RECORD = {"alliancekit_version": "x", "steps": [{"step": "atop"}], "references": ["leeds2002atop"]}


def test_stata_names_are_short_unique_and_documented():
    cols = ["a", LONG, LONG + "_b", "tie_information_security_agre_01", "x" * 32]
    names = stata_names(cols)
    assert all(len(n) <= 32 for n in names.values())
    assert len(set(names.values())) == len(cols)
    assert names["a"] == "a" and names["x" * 32] == "x" * 32
    # 01 is taken by a column of that name: the next number
    assert names[LONG] == "tie_information_security_agre_02"
    assert names[LONG + "_b"] == "tie_information_security_agre_03"


def test_stata_file(tmp_path):
    pd = pytest.importorskip("pandas")
    path = write_table(FRAME, tmp_path / "p.dta", RECORD)
    back = pd.read_stata(path, convert_missing=True)
    assert list(back.columns)[:4] == ["ccode1", "year", "cinc1", "milex1"]
    assert "tie_information_security_agre_01" in back.columns
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        assert "provenance" in reader.data_label
    assert labels["tie_information_security_agre_01"].startswith(LONG)
    assert labels["cinc1"].startswith("NMC: composite index")
    assert provenance.read(path) == RECORD


def test_r_file(tmp_path):
    pyreadr = pytest.importorskip("pyreadr")
    path = write_table(FRAME, tmp_path / "p.rds", RECORD)
    back = pyreadr.read_r(str(path))[None]
    assert list(back.columns) == FRAME.columns and len(back) == 3
    assert back["ccode1"].tolist() == [2, 740, 20]
    assert provenance.read(path) == RECORD


@pytest.mark.parametrize("suffix", [".feather", ".arrow", ".parquet", ".csv"])
def test_other_formats_keep_the_record(tmp_path, suffix):
    path = write_table(FRAME, tmp_path / f"p{suffix}", RECORD)
    assert provenance.read(path) == RECORD
    back = (
        pl.read_csv(path)
        if suffix == ".csv"
        else (pl.read_parquet(path) if suffix == ".parquet" else pl.read_ipc(path))
    )
    assert back.columns == FRAME.columns and back.height == 3


@pytest.mark.refdata
def test_panel_command_writes_stata_and_r(refdata, tmp_path):
    from alliancekit.cli import app

    home = tmp_path / "home"
    r = CliRunner().invoke(
        app,
        ["data", "import", "cow-states", str(refdata("cow_states.parquet")), "--home", str(home)],
    )
    assert r.exit_code == 0, r.output
    for suffix in (".dta", ".rds", ".feather"):
        out = tmp_path / f"sy{suffix}"
        r = CliRunner().invoke(
            app, ["panel", "state-years", "--years", "2000", "-o", str(out), "--home", str(home)]
        )
        assert r.exit_code == 0, r.output
        assert provenance.read(out)["output"] == "state-year panel"
    r = CliRunner().invoke(
        app, ["panel", "state-years", "-o", str(tmp_path / "x.xlsx"), "--home", str(home)]
    )
    assert r.exit_code == 1 and ".dta" in str(r.exception)
