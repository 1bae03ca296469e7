"""Code conversion: the override table fixes countrycode's gaps, by year where the state
behind a code depends on it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.codes import OVERRIDES, convert


@pytest.mark.parametrize(
    ("values", "origin", "destination", "year", "want"),
    [
        (["SRB"], "iso3c", "cown", None, [345]),
        ([345], "cown", "iso3c", None, ["SRB"]),
        ([345], "cown", "iso3c", 2000, ["SCG"]),
        ([345], "cown", "iso3c", 1980, ["YUG"]),
        ([260], "cown", "iso3c", 1980, ["DEU"]),
        ([255], "cown", "iso3c", None, ["DEU"]),
        (["VNM"], "iso3c", "gwn", None, [816]),
        ([340], "gwn", "cown", None, [345]),
        ([260], "gwn", "cown", 1980, [260]),
        ([260], "gwn", "cown", 2000, [255]),
        ([255], "cown", "gwn", 1900, [255]),
        ([255], "cown", "gwn", 2000, [260]),
        ([345], "cown", "gwn", 1950, [345]),
        ([345], "cown", "gwn", 2010, [340]),
        ([679], "cown", "gwn", None, [678]),
        (["JPN", "USA"], "iso3c", "cown", None, [740, 2]),
    ],
)
def test_overrides(values, origin, destination, year, want):
    assert convert(values, origin, destination, year=year) == want


def test_a_year_per_value():
    assert convert([345, 345], "cown", "iso3c", year=[1980, 2010]) == ["YUG", "SRB"]


def test_every_override_is_documented():
    import alliancekit.codes as codes

    for origin, destination in OVERRIDES:
        assert f"{origin:<12}{destination}" in codes.__doc__.replace("  ", " " * 2), (
            origin,
            destination,
        )


def test_codes_convert_command():
    r = CliRunner().invoke(app, ["codes", "convert", "SRB", "--from", "iso3c", "--to", "cown"])
    assert r.exit_code == 0 and "345" in r.output
    r = CliRunner().invoke(
        app, ["codes", "convert", "260", "345", "--from", "cown", "--to", "iso3c", "--year", "1980"]
    )
    assert r.exit_code == 0 and "DEU" in r.output and "YUG" in r.output


def test_codes_table_by_year(tmp_path):
    import polars as pl

    from alliancekit.codes import add_codes

    df = pl.DataFrame({"c": [345, 345, 260], "y": ["1980", "2010", "1980"]})
    out = add_codes(df, "c", "cown", ("iso3c", "gwn"), year_column="y")
    assert out["iso3c"].to_list() == ["YUG", "SRB", "DEU"]
    assert out["gwn"].to_list() == [345, 340, 260]
    src = tmp_path / "in.csv"
    df.write_csv(src)
    dst = tmp_path / "out.csv"
    args = ["codes", "table", str(src), "--column", "c", "--from", "cown", "-o", str(dst)]
    r = CliRunner().invoke(app, [*args, "--year-column", "y"])
    assert r.exit_code == 0, r.output
    assert pl.read_csv(dst)["iso3c"].to_list() == ["YUG", "SRB", "DEU"]
    r = CliRunner().invoke(app, [*args, "--year-column", "when"])
    assert r.exit_code == 1 and r.exception.parameter == "--year-column"
