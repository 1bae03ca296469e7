"""Outputs say where they came from: panels written by the CLI carry a provenance record
(Parquet key-value metadata, or a sidecar .json beside a CSV file); `cite --for FILE` and
`cite --steps ...` print BibTeX or text for what they used; the NMC import records the
version its rows show."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit import provenance
from alliancekit.cli import app
from alliancekit.schema import ParameterError

FILES = {
    "cow-states": "cow_states.parquet",
    "gw-states": "gw_states.parquet",
    "nmc": "cow_nmc.parquet",
    "atop": "atop_alliance.parquet",
    "majors": "cow_majors.parquet",
}


@pytest.fixture(scope="module")
def home(refdata, tmp_path_factory):
    home = tmp_path_factory.mktemp("prov")
    for dataset, name in FILES.items():
        r = CliRunner().invoke(
            app, ["data", "import", dataset, str(refdata(name)), "--home", str(home)]
        )
        assert r.exit_code == 0, r.output
    return home


@pytest.mark.refdata
def test_nmc_import_records_the_version_its_rows_show(home):
    from alliancekit.catalog import open_catalog

    rec = open_catalog(home).records(["nmc"])["nmc"]
    assert rec["version"] == "7.0"  # rows reach 2022: past 6.0 (to 2016)


def test_nmc_version_of():
    from alliancekit.importers.nmc import version_of

    for last, want in ((2007, "4.0"), (2012, "5.0"), (2016, "6.0"), (2022, "7.0")):
        assert version_of(pl.DataFrame({"year": [1816, last]})) == want


@pytest.mark.refdata
def test_parquet_panel_carries_its_record(home, tmp_path):
    out = tmp_path / "ddy.parquet"
    args = ["panel", "dyad-years", "--years", "2000", "--add", "atop,nmc", "-o", str(out)]
    r = CliRunner().invoke(app, [*args, "--home", str(home)])
    assert r.exit_code == 0, r.output
    rec = json.loads(pl.read_parquet_metadata(out)[provenance.METADATA_KEY])
    assert rec["alliancekit_version"] == ak.__version__
    assert rec["dataset"]["version"] and rec["dataset"]["as_of"]
    inputs = {i["dataset"]: i for i in rec["inputs"]}
    assert set(inputs) == {"cow_states", "atop", "nmc"}
    assert inputs["atop"]["file"] == "atop_alliance.parquet" and len(inputs["atop"]["sha256"]) == 64
    assert inputs["nmc"]["version"] == "7.0"
    steps = [s["step"] for s in rec["steps"]]
    assert steps == ["create_dyadyears", "atop", "nmc"]
    assert rec["steps"][0]["directed"] is True and rec["steps"][0]["years"] == "2000"
    assert "leeds2002atop" in rec["references"] and rec["citations"]
    assert provenance.read(out) == rec
    bib = CliRunner().invoke(app, ["cite", "--for", str(out)])
    assert bib.exit_code == 0 and "@Article{leeds2002atop," in bib.output
    assert "@InCollection{singer1972nmc," in bib.output and "peacesciencer" in bib.output


@pytest.mark.refdata
def test_csv_panel_gets_a_sidecar(home, tmp_path):
    out = tmp_path / "sy.csv"
    args = ["panel", "state-years", "--system", "gw", "--years", "2000", "--add", "majors"]
    r = CliRunner().invoke(app, [*args, "-o", str(out), "--home", str(home)])
    assert r.exit_code == 0, r.output
    rec = json.loads((tmp_path / "sy.csv.json").read_text())
    assert {i["dataset"] for i in rec["inputs"]} == {"gw_states", "cow_states", "majors"}
    assert rec["steps"][1] == {"step": "majors", "options": {"mry": True}}
    text = CliRunner().invoke(app, ["cite", "--for", str(out), "--format", "text"])
    assert text.exit_code == 0 and "Gleditsch, Kristian S." in text.output


def test_cite_steps():
    out = provenance.cite(["atop", "contiguity"], fmt="bibtex")
    assert out.count("@") == 4 and "@Article{stinnett2002contiguity," in out
    text = provenance.cite(["ties"], fmt="text")
    assert "alliancekit curated security-architecture dataset, version" in text
    r = CliRunner().invoke(app, ["cite", "--steps", "atop,nmc", "--format", "text"])
    assert r.exit_code == 0 and "Leeds, Brett Ashley" in r.output
    r = CliRunner().invoke(app, ["cite", "--steps", "wars"])
    assert r.exit_code == 1 and r.exception.parameter == "--steps"
    with pytest.raises(ParameterError, match="format"):
        provenance.cite(["atop"], fmt="ris")


def test_cite_for_a_file_without_a_record(tmp_path):
    p = tmp_path / "plain.parquet"
    pl.DataFrame({"a": [1]}).write_parquet(p)
    r = CliRunner().invoke(app, ["cite", "--for", str(p)])
    assert r.exit_code == 1 and "no alliancekit provenance record" in str(r.exception)


@pytest.mark.refdata
def test_build_panel_writes_with_its_record(home, tmp_path, refdata):
    from alliancekit import panels
    from alliancekit.catalog import open_catalog
    from alliancekit.importers import read_majors

    majors = read_majors(refdata("cow_majors.parquet"))
    out = tmp_path / "sy.dta"
    df = panels.build_panel(
        "state",
        years="2000-2001",
        add=["nmc", "majors"],
        tables={"majors": majors},
        catalog=open_catalog(home),
        output=out,
    )
    rec = provenance.read(out)
    inputs = {i["dataset"]: i for i in rec["inputs"]}
    assert inputs["nmc"]["file"] == "cow_nmc.parquet" and inputs["majors"]["file"] is None
    assert inputs["majors"]["rows"] == majors.height == 14
    assert rec["steps"][0]["years"] == "2000-2001" and df.height > 300
