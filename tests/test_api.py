"""The Python API and CLI as a notebook user meets them: lazy submodules, pandas frames,
--version, the spending table in `data show/export`, ties_of, errors that name the
parameter the user passed, burden tables without empty columns."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit.cli import app
from alliancekit.schema import ParameterError


def test_submodules_load_lazily():
    code = (
        "import sys, alliancekit as ak; "
        "assert 'polars' not in sys.modules and 'alliancekit.panels' not in sys.modules; "
        "mods = [ak.panels, ak.network, ak.burden, ak.codes, ak.importers, ak.catalog]; "
        "print(all(m.__name__.startswith('alliancekit.') for m in mods))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True"
    assert callable(ak.panels.create_dyadyears) and callable(ak.codes.convert)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ak.nothing  # noqa: B018


def test_version():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"alliancekit {ak.__version__}"


def test_pandas_frames_are_converted():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"iso": ["JPN", "USA"]})
    out = ak.codes.add_codes(df, "iso", "iso3c", ("cown",))
    assert isinstance(out, pl.DataFrame) and out["cown"].to_list() == [740, 2]
    states = pd.DataFrame(
        {
            "ccode": [2, 740],
            "statenme": ["United States of America", "Japan"],
            "styear": [1816, 1952],
            "stmonth": [1, 4],
            "stday": [1, 28],
            "endyear": [2016, 2016],
            "endmonth": [12, 12],
            "endday": [31, 31],
        }
    )
    dy = ak.panels.create_dyadyears(states=states, years=2000)
    assert dy.height == 2
    spending = ak.burden.load_spending().to_pandas()
    bt = ak.burden.burden_table(2024, "NATO", spending=spending)
    assert bt.table.height > 20


def test_other_objects_are_rejected_naming_the_parameter():
    with pytest.raises(ParameterError, match="parameter 'states'.*polars or pandas DataFrame"):
        ak.panels.create_dyadyears(states=[1, 2, 3])
    with pytest.raises(ParameterError, match="parameter 'df'"):
        ak.panels.add_nmc({"ccode": [2]}, pl.DataFrame())


def test_ties_of_both_sides(dataset):
    t = ak.ties_of("JPN", dataset)
    want = dataset.ties.filter((pl.col("actor_a") == "JPN") | (pl.col("actor_b") == "JPN"))
    assert t.height == want.height > dataset.ties.filter(pl.col("actor_a") == "JPN").height
    assert "JPN" not in t["other"].to_list()
    assert ak.ties_of("JPN", dataset, year=2025).height <= t.height


def test_data_show_and_export_spending(tmp_path):
    r = CliRunner().invoke(
        app, ["data", "show", "spending", "--actor", "JPN", "--year", "2024", "--format", "csv"]
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith("actor_id,year,measure") and "JPN,2024" in r.output
    out = tmp_path / "spending.parquet"
    r = CliRunner().invoke(app, ["data", "export", "spending", "--format", "parquet", "-o", out])
    assert r.exit_code == 0, r.output
    df = pl.read_parquet(out)
    assert df.height == ak.burden.load_spending().height and "dataset_version" in df.columns
    r = CliRunner().invoke(app, ["data", "show", "spend"])
    assert r.exit_code == 1 and "TABLE" in str(r.exception)


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        (
            [
                "scenario",
                "add-member",
                "--organisation",
                "NATO",
                "--actors",
                "XXX",
                "--year",
                "2025",
            ],
            "--actors",
        ),
        (["burden", "exploitation", "--year", "1970"], "--year"),
        (["burden", "equilibrium", "--year", "2024", "--us-cap", "120"], "--us-cap"),
        (["burden", "equilibrium", "--year", "2024", "--us-cut", "120"], "--us-cut"),
        (["burden", "equilibrium", "--year", "2024", "--pledge", "XXX=3"], "--pledge"),
    ],
)
def test_cli_errors_name_the_option(args, parameter):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1
    assert isinstance(r.exception, ParameterError) and r.exception.parameter == parameter


def test_python_errors_name_the_parameter():
    from alliancekit.burden.equilibrium import scenario

    with pytest.raises(ParameterError) as exc:
        scenario(["USA", "DEU"], [10.0, 5.0], [0.3, 0.1], hub_cap_pct=150)
    assert exc.value.parameter == "hub_cap_pct"
    with pytest.raises(ParameterError) as exc:
        ak.burden.equilibrium_for_year(2024, us_cap_pct=150)
    assert exc.value.parameter == "us_cap_pct"
    with pytest.raises(ParameterError) as exc:
        ak.burden.exploitation_for_year(1970)
    assert exc.value.parameter == "year"


def test_burden_tables_have_no_empty_population_columns_and_say_why_no_us_share():
    bt = ak.burden.burden_table(2025, "IP4")
    assert "population_mn" not in bt.table.columns and "per_capita_usd" not in bt.table.columns
    r = CliRunner().invoke(app, ["burden", "table", "--year", "2025", "--alliance", "IP4"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "nan%" not in text and "USA not among these allies" in text
