"""Conformance with peacesciencer 1.2.9: the directed dyad-year panel equals the reference's
output cell by cell for the 15 years of ``conformance/peacesciencer_ddy_directed.parquet``
(beside ``$ALLIANCEKIT_TEST_DATA``; see its README).

The one deliberate difference is the width of the types: alliancekit stores codes, years and
flags as small integers (Int8/Int16/Int32) where the reference writes Int64, and keeps NMC's
``tpop``/``upop`` as Float64 (the NMC rows hold a fractional population, Morocco 1912:
4517.6, which an integer column would lose). Values are compared after widening.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from alliancekit import panels as ps
from alliancekit.importers import (
    read_atop,
    read_contiguity,
    read_cow_states,
    read_majors,
    read_nmc,
)

pytestmark = pytest.mark.refdata

KEYS = ["ccode1", "ccode2", "year"]
FLOAT_IN_ALLIANCEKIT = {"tpop1", "upop1", "tpop2", "upop2"}  # see the module notes


@pytest.fixture(scope="module")
def conformance_dir(refdata_dir: Path) -> Path:
    path = refdata_dir.parent / "conformance"
    if not (path / "peacesciencer_ddy_directed.parquet").is_file():
        pytest.skip(f"no conformance references in {path} (beside ALLIANCEKIT_TEST_DATA)")
    return path


@pytest.fixture(scope="module")
def reference(conformance_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(conformance_dir / "peacesciencer_ddy_directed.parquet").sort(KEYS)


@pytest.fixture(scope="module")
def ours(refdata, reference) -> pl.DataFrame:
    years = sorted(reference["year"].unique().to_list())
    df = ps.create_dyadyears(
        "cow",
        directed=True,
        extend_to=2025,
        states=read_cow_states(refdata("cow_states.parquet")),
    )
    df = ps.add_atop_alliance(df, read_atop(refdata("atop_alliance.parquet")))
    df = ps.add_nmc(df, read_nmc(refdata("cow_nmc.parquet")))
    df = ps.add_cow_majors(df, read_majors(refdata("cow_majors.parquet")))
    df = ps.add_contiguity(df, read_contiguity(refdata("cow_contdir.parquet")))
    return df.filter(pl.col("year").is_in(years)).sort(KEYS)


def test_same_rows_and_columns(ours, reference):
    assert ours.columns == reference.columns
    assert ours.height == reference.height == 355_912
    assert ours.select(KEYS).cast(pl.Int64).equals(reference.select(KEYS))


def test_same_types(ours, reference):
    for name, dtype in reference.schema.items():
        got = ours.schema[name]
        if dtype == pl.Float64 or name in FLOAT_IN_ALLIANCEKIT:
            assert got == pl.Float64, name
        else:
            assert dtype == pl.Int64 and got.is_integer(), (name, got)


@pytest.mark.parametrize(
    "column",
    [
        "atop_alliance",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
        "milex1",
        "milper1",
        "irst1",
        "pec1",
        "tpop1",
        "upop1",
        "cinc1",
        "milex2",
        "milper2",
        "irst2",
        "pec2",
        "tpop2",
        "upop2",
        "cinc2",
        "cowmaj1",
        "cowmaj2",
        "conttype",
    ],
)
def test_same_values_and_nulls(ours, reference, column):
    want = reference[column]
    got = ours[column].cast(want.dtype)
    same = got.eq_missing(want)
    if not same.all():
        bad = reference.select(KEYS).with_columns(ref=want, alliancekit=got).filter(~same)
        by_year = dict(bad.group_by("year").len().sort("year").iter_rows())
        pytest.fail(f"{column}: {bad.height} cells differ (by year {by_year}):\n{bad.head(8)}")
