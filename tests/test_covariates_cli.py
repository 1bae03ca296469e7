"""The covariates from the command line: 'data import gml-mids|igos|igos-states|mindist|
capitals|rivalries', 'panel dyad-years --add ...' (the file's metadata cite every source),
'panel state-years --add igos,mindist,rivalries' and 'cite --step'."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from alliancekit.cli import app, main
from alliancekit.schema import ParameterError

pytestmark = pytest.mark.refdata

FILES = {
    "cow-states": "cow_states.parquet",
    "gml-mids": "gml_dirdisp.csv.gz",
    "igos": "cow_igo_ndy.parquet",
    "igos-states": "cow_igo_sy.csv.gz",
    "mindist": "cow_mindist.parquet",
    "capitals": "cow_capitals.csv.gz",
    "rivalries": "tss_rivalries.parquet",
    "atop": "atop_alliance.parquet",
    "nmc": "cow_nmc.parquet",
}
STEPS = "gml_mids,peace_years,igos,mindist,capdist,rivalries,fpsim"


@pytest.fixture(scope="module")
def home(refdata, tmp_path_factory):
    home = tmp_path_factory.mktemp("catalog")
    runner = CliRunner()
    for dataset, name in FILES.items():
        r = runner.invoke(app, ["data", "import", dataset, str(refdata(name)), "--home", str(home)])
        assert r.exit_code == 0, r.output
        assert "none dropped" in r.output
    return home


def test_dyad_years_with_every_covariate(home, tmp_path):
    out = tmp_path / "ndy.parquet"
    args = ["panel", "dyad-years", "--undirected", "--years", "1990-2000", "--add", STEPS]
    args += ["-o", str(out)]
    r = CliRunner().invoke(app, [*args, "--home", str(home)])
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df.columns[3:] == [
        "gmlmidonset",
        "gmlmidongoing",
        "gmlmidspell",
        "dyadigos",
        "mindist",
        "capdist",
        "tssr_id",
        "positional",
        "spatial",
        "ideological",
        "interventionary",
        "ongoingrivalry",
        "sallyvua",
        "sallyvwa",
        "kallyva",
        "pallyva",
    ]
    record = json.loads(pq.read_metadata(out).metadata[b"alliancekit"])
    names = {s["dataset"] for s in record["inputs"]}
    assert names == {"cow_states", "gml_mids", "igos", "mindist", "capitals", "rivalries"} | {
        "atop",
        "nmc",
    }
    assert all(s["citation"] and s["sha256"] for s in record["inputs"])
    assert [s["step"] for s in record["steps"][1:]] == STEPS.split(",")
    for key in ("gibleretal2016amid", "becketal1998ttsa", "pevehouseetal2020tow"):
        assert key in record["references"]
    for key in ("schvitz2022mis", "thompsonetal2021asr", "haege2011cc"):
        assert key in record["references"]


def test_state_years_with_covariates(home, tmp_path):
    out = tmp_path / "sy.csv"
    args = ["panel", "state-years", "--years", "2000", "--add", "igos,mindist,rivalries"]
    r = CliRunner().invoke(app, [*args, "-o", str(out), "--home", str(home)])
    assert r.exit_code == 0, r.output
    df = pl.read_csv(out)
    assert {"sum_igo_full", "minmindist", "n_positional"} <= set(df.columns)
    usa = df.filter(pl.col("ccode") == 2).row(0, named=True)
    assert usa["minmindist"] == 0.0 and usa["sum_igo_full"] > 50


def fails(argv, capsys) -> str:
    """Run the CLI's entry point; it must exit 1; its message."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 1
    cap = capsys.readouterr()
    return " ".join((cap.out + cap.err).split())


def test_unsupported_state_step_and_missing_import(home, refdata, tmp_path, capsys):
    out = str(tmp_path / "x.csv")
    msg = fails(
        ["panel", "state-years", "--add", "capdist", "-o", out, "--home", str(home)], capsys
    )
    assert "capdist" in msg
    empty = str(tmp_path / "empty")
    states = str(refdata("cow_states.parquet"))
    assert CliRunner().invoke(app, ["data", "import", "cow-states", states, "--home", empty])
    out = str(tmp_path / "x.parquet")
    msg = fails(["panel", "dyad-years", "--add", "rivalries", "-o", out, "--home", empty], capsys)
    assert "'rivalries'" in msg and "data import rivalries" in msg


def test_bad_file_is_refused_with_row_and_column(tmp_path, capsys):
    p = tmp_path / "tss.csv"
    p.write_text(
        "tssr_id,rivalry,ccode1,ccode2,start,end,positional,spatial,ideological,interventionary\n"
        "1,A-B,2,20,1900,18x0,1,,,\n"
    )
    msg = fails(["data", "import", "rivalries", str(p), "--home", str(tmp_path)], capsys)
    assert "row 1" in msg and "'end'" in msg and "18x0" in msg


def test_cite_steps_prints_the_covariates_bibtex():
    r = CliRunner().invoke(app, ["cite", "--steps", "fpsim,peace_years", "--format", "bibtex"])
    assert r.exit_code == 0, r.output
    for key in ("haege2011cc", "signorinoritter1999tbnt", "leeds2002atop", "becketal1998ttsa"):
        assert "{" + key + "," in r.output


def test_gw_frames_and_step_options(refdata, home):
    from alliancekit import panels as ps
    from alliancekit.catalog import open_catalog

    cat = open_catalog(home)
    r = CliRunner().invoke(
        app, ["data", "import", "gw-states", str(refdata("gw_states.parquet")), "--home", str(home)]
    )
    assert r.exit_code == 0, r.output
    gw = ps.build_panel(
        "dyad", "gw", directed=False, years="2000", add=["mindist", "rivalries"], catalog=cat
    )
    assert {"gwcode1", "ccode1", "mindist", "ongoingrivalry"} <= set(gw.columns)
    assert gw["ongoingrivalry"].sum() > 0
    opts = {"fpsim": {"valuation": "binary", "measures": ["s"]}, "gml_mids": {"keep": ["dispnum"]}}
    cow = ps.build_panel(
        "dyad",
        "cow",
        directed=False,
        years="2000",
        add=["gml_mids", "fpsim"],
        catalog=cat,
        options=opts,
    )
    assert cow.columns[3:] == ["gmlmidonset", "gmlmidongoing", "dispnum", "sallybua"]
    with pytest.raises(ParameterError):
        ps.build_panel(
            "dyad",
            "cow",
            years="2000",
            add=["fpsim"],
            catalog=cat,
            options={"fpsim": {"weights": 1}},
        )


def test_fpsim_and_gml_options_on_the_command_line(home, tmp_path, capsys):
    out = tmp_path / "fp.parquet"
    args = ["panel", "dyad-years", "--undirected", "--years", "2020-2025", "--extend-to", "2025"]
    args += ["--add", "gml_mids,fpsim", "--fpsim-source", "curated", "--fpsim-measures", "s"]
    args += ["--fpsim-valuation", "defence_treaty=2,member=1", "--gml-keep", "dispnum"]
    r = CliRunner().invoke(app, [*args, "-o", str(out), "--home", str(home)])
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df.columns[3:] == ["gmlmidonset", "gmlmidongoing", "dispnum", "sallyxua_curated"]
    usa_jpn = df.filter(ccode1=2, ccode2=740, year=2025)["sallyxua_curated"].item()
    assert -1 <= usa_jpn <= 1
    record = json.loads(pq.read_metadata(out).metadata[b"alliancekit"])
    options = {s["step"]: s.get("options") for s in record["steps"]}
    assert options["fpsim"]["source"] == "curated" and options["gml_mids"]["keep"] == ["dispnum"]
    assert "atop" not in {i["dataset"] for i in record["inputs"]}  # not read: curated ties
    base = ["panel", "dyad-years", "--years", "2000", "-o", str(out), "--home", str(home)]
    for flags, flag in [
        (["--add", "fpsim", "--fpsim-source", "icow"], "--fpsim-source"),
        (["--add", "fpsim", "--fpsim-measures", "s,tau"], "--fpsim-measures"),
        (["--add", "fpsim", "--fpsim-metric", "cosine"], "--fpsim-metric"),
        (["--add", "fpsim", "--fpsim-valuation", "loud"], "--fpsim-valuation"),
        (["--add", "fpsim", "--fpsim-valuation", "acsa=x"], "--fpsim-valuation"),
        (["--add", "gml_mids", "--gml-keep", "nonesuch"], "--gml-keep"),
    ]:
        msg = fails([*base, *flags], capsys)
        assert f"parameter '{flag}'" in msg, msg
