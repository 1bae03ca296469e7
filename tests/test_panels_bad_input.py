"""The Python API's bad inputs (issue 11): alliancekit's own error naming the parameter."""

from __future__ import annotations

import polars as pl
import pytest

from alliancekit import panels
from alliancekit.panels import PanelWarning
from alliancekit.schema import ParameterError

STATES = pl.DataFrame(
    {
        "stateabb": ["USA", "CAN"],
        "ccode": [2, 20],
        "statenme": ["United States", "Canada"],
        "styear": [1816, 1920],
        "stmonth": [1, 1],
        "stday": [1, 10],
        "endyear": [2016, 2016],
        "endmonth": [12, 12],
        "endday": [31, 31],
        "version": [2016, 2016],
    }
)
NMC = pl.DataFrame(
    {"ccode": [2, 20], "year": [2000, 2000]}
    | {v: [1.0, 2.0] for v in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")}
)


@pytest.fixture
def sy():
    return panels.create_stateyears(years=2000, states=STATES)


def test_no_frame(sy):
    with pytest.raises(ParameterError, match="create_stateyears"):
        panels.add_nmc(None, NMC)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (NMC.drop("cinc"), "lacks cinc"),
        (NMC.with_columns(pl.col("year").cast(pl.String)), "must hold integers"),
        (NMC.head(0), "no rows"),
    ],
)
def test_bad_nmc_tables(sy, table, message):
    with pytest.raises(ParameterError, match=message) as exc:
        panels.add_nmc(sy, table)
    assert exc.value.parameter == "nmc"


@pytest.mark.parametrize("value", [99999, "2025", 2.5])
def test_extend_to_must_be_a_year(value):
    with pytest.raises(ParameterError) as exc:
        panels.create_stateyears(extend_to=value, states=STATES)
    assert exc.value.parameter == "extend_to"


def test_directed_must_be_a_bool():
    with pytest.raises(ParameterError, match="True or False"):
        panels.create_dyadyears(directed="no", years=2000, states=STATES)


def test_replacing_columns_says_so(sy):
    once = panels.add_nmc(sy, NMC)
    with pytest.warns(PanelWarning, match="already has milex"):
        twice = panels.add_nmc(once, NMC)
    assert twice.equals(once)


@pytest.mark.parametrize("years", ["99999", "1700-1800", (2000, 3000), [2000, 99999]])
def test_years_outside_the_span(years):
    with pytest.raises(ParameterError, match="outside the years") as exc:
        panels.create_stateyears(years=years, states=STATES)
    assert exc.value.parameter == "years"
