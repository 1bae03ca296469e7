"""Panels on the real tables: rows by year, no duplicates, day-exact membership, the add steps
(rows kept, hand-checked values against the raw tables), and add_ties on synthetic ties."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import polars as pl
import pytest

from alliancekit import panels as ps
from alliancekit.importers import (
    read_atop,
    read_contiguity,
    read_cow_states,
    read_gw_states,
    read_majors,
    read_nmc,
)
from alliancekit.schema import ParameterError

pytestmark = pytest.mark.refdata


@pytest.fixture(scope="module")
def t(refdata):
    return SimpleNamespace(
        states=read_cow_states(refdata("cow_states.parquet")),
        gw=read_gw_states(refdata("gw_states.parquet")),
        atop=read_atop(refdata("atop_alliance.parquet")),
        nmc=read_nmc(refdata("cow_nmc.parquet")),
        majors=read_majors(refdata("cow_majors.parquet")),
        cont=read_contiguity(refdata("cow_contdir.parquet")),
        raw_atop=pl.read_parquet(refdata("atop_alliance.parquet")),
        raw_nmc=pl.read_parquet(refdata("cow_nmc.parquet")),
    )


@pytest.fixture(scope="module")
def ddy(t):
    """Full directed COW dyad-years carried to 2025 with atop, nmc, majors and contiguity."""
    df = ps.create_dyadyears("cow", directed=True, extend_to=2025, states=t.states)
    n = df.height
    df = ps.add_atop_alliance(df, t.atop)
    df = ps.add_nmc(df, t.nmc)
    df = ps.add_majors(df, t.majors)
    df = ps.add_contiguity(df, t.cont)
    assert df.height == n
    return df


def spells(states: pl.DataFrame, system: str = "cow"):
    if system == "cow":
        return [
            (
                r["ccode"],
                dt.date(r["styear"], r["stmonth"], r["stday"]),
                dt.date(r["endyear"], r["endmonth"], r["endday"]),
            )
            for r in states.iter_rows(named=True)
        ]
    return [(r["gwcode"], r["startdate"], r["enddate"]) for r in states.iter_rows(named=True)]


def expected_counts(sp, directed: bool) -> dict[int, int]:
    """Members choose 2 (x2 directed), minus pairs never members on a common day (checked
    day by day on the spells, in plain Python)."""
    years = range(min(s[1].year for s in sp), max(s[2].year for s in sp) + 1)
    out = {}
    for y in years:
        a, b = dt.date(y, 1, 1), dt.date(y, 12, 31)
        iv: dict[int, list] = {}
        for code, s, e in sp:
            if s <= b and e >= a:
                iv.setdefault(code, []).append((max(s, a), min(e, b)))
        codes = sorted(iv)
        n = len(codes)
        false = 0
        partial = [c for c in codes if not any(lo == a and hi == b for lo, hi in iv[c])]
        for i, c1 in enumerate(partial):
            for c2 in partial[i + 1 :]:
                if not any(max(l1, l2) <= min(h1, h2) for l1, h1 in iv[c1] for l2, h2 in iv[c2]):
                    false += 1
        pairs = n * (n - 1) // 2 - false
        if n:
            out[y] = pairs * (2 if directed else 1)
    return out


# ---------------------------------------------------------------------------------------------
# Frames


def test_stateyears_by_year(t):
    sy = ps.create_stateyears("cow", states=t.states)
    assert sy.columns == ["ccode", "statenme", "year"]
    assert sy.select(pl.struct("ccode", "year").is_unique().all()).item()
    sp = spells(t.states)
    for y in (1816, 1900, 1946, 1975, 2016):
        n = len({c for c, s, e in sp if s.year <= y <= e.year})
        assert sy.filter(pl.col("year") == y).height == n
    jpn = sy.filter(pl.col("ccode") == 740)["year"]
    assert 1945 in jpn and 1946 not in jpn and 1951 not in jpn and 1952 in jpn
    assert sy["year"].max() == 2016
    assert ps.create_stateyears("cow", states=t.states, extend_to=2025)["year"].max() == 2025


def test_directed_dyadyears_rows_by_year(t):
    df = ps.create_dyadyears("cow", directed=True, states=t.states)
    got = dict(df.group_by("year").len().iter_rows())
    assert got == expected_counts(spells(t.states), directed=True)
    assert df.height == sum(got.values())
    assert df.select(pl.struct("ccode1", "ccode2", "year").is_unique().all()).item()
    assert df.schema == pl.Schema({"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16})


def test_same_year_different_days_is_no_dyad(t):
    df = ps.create_dyadyears("cow", directed=True, states=t.states, years=1975)
    rvn_sur = df.filter(pl.col("ccode1").is_in([817, 115]) & pl.col("ccode2").is_in([817, 115]))
    assert rvn_sur.is_empty()  # RVN gone 30 Apr 1975, Suriname in from 25 Nov 1975
    assert df.filter((pl.col("ccode1") == 817) & (pl.col("ccode2") == 2)).height == 1
    assert df.filter((pl.col("ccode1") == 115) & (pl.col("ccode2") == 2)).height == 1


def test_undirected_and_extend_to(t):
    und = ps.create_dyadyears("cow", directed=False, states=t.states)
    assert (und["ccode1"] < und["ccode2"]).all()
    assert und.select(pl.struct("ccode1", "ccode2", "year").is_unique().all()).item()
    assert dict(und.group_by("year").len().iter_rows()) == expected_counts(spells(t.states), False)
    ext = ps.create_dyadyears("cow", directed=True, states=t.states, extend_to=2025)
    last = ext.filter(pl.col("year") == 2016).height
    assert last == 195 * 194
    for y in range(2017, 2026):
        assert ext.filter(pl.col("year") == y).height == last
    assert 2_240_000 < ext.height < 2_260_000  # "about 2.25 million"
    with pytest.raises(ParameterError, match="extend_to"):
        ps.create_dyadyears("cow", states=t.states, extend_to=2000)


def test_gw_undirected_rows_by_year(t):
    df = ps.create_dyadyears("gw", directed=False, states=t.gw)
    assert df.columns == ["gwcode1", "gwcode2", "year"]
    assert dict(df.group_by("year").len().iter_rows()) == expected_counts(spells(t.gw, "gw"), False)
    assert (
        ps.create_dyadyears("gw", directed=False, states=t.gw, extend_to=2025)["year"].max() == 2025
    )


def test_years_selection(t):
    df = ps.create_dyadyears("cow", states=t.states, years="1950-1955")
    assert sorted(df["year"].unique().to_list()) == list(range(1950, 1956))
    assert ps.create_stateyears("cow", states=t.states, years=[1990, 2000])["year"].n_unique() == 2
    with pytest.raises(ParameterError, match="years"):
        ps.create_dyadyears("cow", states=t.states, years="1990-19x0")
    with pytest.raises(ParameterError, match="system"):
        ps.create_dyadyears("nato", states=t.states)


# ---------------------------------------------------------------------------------------------
# Add steps


def row(df, c1, c2, y):
    out = df.filter((pl.col("ccode1") == c1) & (pl.col("ccode2") == c2) & (pl.col("year") == y))
    assert out.height == 1
    return out.row(0, named=True)


def test_atop_directed_values(ddy, t):
    usa_jpn = row(ddy, 2, 740, 1952)
    raw = t.raw_atop.filter(
        (pl.col("ccode1") == 2) & (pl.col("ccode2") == 740) & (pl.col("year") == 1952)
    )
    assert usa_jpn["atop_defense"] == raw["atop_defense"].item() == 1
    assert usa_jpn["atop_alliance"] == 1
    gap = ddy.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 740))["year"]
    assert 1945 in gap and not any(y in gap for y in range(1946, 1952)) and 1952 in gap
    jpn_usa = row(ddy, 740, 2, 1952)
    raw = t.raw_atop.filter(
        (pl.col("ccode1") == 740) & (pl.col("ccode2") == 2) & (pl.col("year") == 1952)
    )
    assert jpn_usa["atop_defense"] == raw["atop_defense"].item() == 0  # one-way obligation
    assert jpn_usa["atop_consul"] == raw["atop_consul"].item()
    # no ATOP row within ATOP's years: 0; after them: null
    assert row(ddy, 2, 365, 1960)["atop_defense"] == 0
    assert row(ddy, 2, 740, 2019)["atop_defense"] is None
    # every directed ATOP row inside the frame is found as it is
    joined = t.atop.join(
        ddy.select("ccode1", "ccode2", "year", "atop_defense", "atop_consul"),
        on=["ccode1", "ccode2", "year"],
        suffix="_p",
    )
    assert joined.height > 200_000
    assert (joined["atop_defense"] == joined["atop_defense_p"]).all()
    assert (joined["atop_consul"] == joined["atop_consul_p"]).all()


def test_atop_undirected_rule_either_direction(t):
    und = ps.create_dyadyears("cow", directed=False, states=t.states, years=1832)
    und = ps.add_atop_alliance(und, t.atop)
    r = row(und, 211, 220, 1832)  # France owes Belgium defence; Belgium owes France nothing
    assert r["atop_defense"] == 1 and r["atop_alliance"] == 1


def test_nmc_values_both_sides(ddy, t):
    r = row(ddy, 740, 2, 1960)
    raw = t.raw_nmc.filter((pl.col("ccode") == 740) & (pl.col("year") == 1960)).row(0, named=True)
    for v in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert r[v + "1"] == raw[v]
    assert r["milex1"] == 454148 and r["cinc1"] == pytest.approx(0.036335, abs=1e-6)
    usa = t.raw_nmc.filter((pl.col("ccode") == 2) & (pl.col("year") == 1960)).row(0, named=True)
    assert r["cinc2"] == usa["cinc"]
    assert "cinc_ratio" not in ddy.columns  # not in the reference: an option
    one = ps.add_nmc(ddy.filter(pl.col("year") == 1960), t.nmc, ratio=True)
    share = row(one, 740, 2, 1960)["cinc_ratio"]
    assert share == pytest.approx(raw["cinc"] / (raw["cinc"] + usa["cinc"]))
    assert row(ddy, 740, 2, 2024)["cinc1"] is None  # NMC ends in 2022
    # missing stays missing
    miss = t.raw_nmc.filter(pl.col("milex").is_null()).row(0, named=True)
    sy = ps.add_nmc(ps.create_stateyears("cow", states=t.states), t.nmc)
    hit = sy.filter((pl.col("ccode") == miss["ccode"]) & (pl.col("year") == miss["year"]))
    assert hit.height in (0, 1) and (hit.is_empty() or hit["milex"].item() is None)


def test_majors_values(ddy, t):
    assert row(ddy, 2, 200, 1897)["cowmaj1"] == 0
    assert row(ddy, 2, 200, 1898)["cowmaj1"] == 1  # from 13 Aug 1898
    assert row(ddy, 2, 200, 1898)["cowmaj2"] == 1
    assert row(ddy, 740, 2, 1960)["cowmaj1"] == 0
    assert row(ddy, 740, 2, 1991)["cowmaj1"] == 1  # from 11 Dec 1991
    # after 2016 the majors of 31 Dec 2016 carry forward (mry, the reference's default)
    assert row(ddy, 2, 740, 2020)["cowmaj1"] == 1 and row(ddy, 20, 740, 2020)["cowmaj1"] == 0
    late = ddy.filter(pl.col("year") == 2025)
    assert ps.add_majors(late, t.majors, mry=False)["cowmaj1"].null_count() == late.height
    sy = ps.add_majors(ps.create_stateyears("cow", states=t.states), t.majors)
    assert sy.filter(pl.col("year") == 1950)["cowmaj"].sum() == 5


def test_contiguity_values(ddy):
    assert row(ddy, 2, 20, 1920)["conttype"] == 1
    assert row(ddy, 20, 2, 1950)["conttype"] == 1
    assert row(ddy, 710, 740, 1880)["conttype"] == 4
    assert row(ddy, 740, 710, 1895)["conttype"] == 4  # 4 until April: the first month's
    assert row(ddy, 710, 740, 1900)["conttype"] == 0
    assert row(ddy, 2, 740, 1960)["conttype"] == 0
    assert row(ddy, 2, 20, 2020)["conttype"] is None  # after the data (mry=False)


def test_contiguity_month_rule(t):
    """A record listed first wins the month it shares with another (255-271: a 0 record
    1816-01..1871-01 listed before a land record 1849-12..1870-01); slice='last' reads the
    year's last month, the record listed last winning; mry carries 2016 forward."""
    df = ps.create_dyadyears("cow", states=t.states, years="1849-1871")
    first = ps.add_contiguity(df, t.cont)
    last = ps.add_contiguity(df, t.cont, slice="last")
    pair = (pl.col("ccode1") == 255) & (pl.col("ccode2") == 271)
    assert first.filter(pair)["conttype"].to_list() == [0] * 23
    assert last.filter(pair)["conttype"].to_list() == [1] * 21 + [0, 0]
    late = ps.create_dyadyears("cow", states=t.states, years="2016-2018", extend_to=2018)
    carried = ps.add_contiguity(late, t.cont, mry=True)
    assert (
        row(carried, 2, 20, 2018)["conttype"] == 1 and row(carried, 2, 740, 2018)["conttype"] == 0
    )
    with pytest.raises(ParameterError, match="slice"):
        ps.add_contiguity(df, t.cont, slice="middle")


def test_atop_alliance_is_any_row(t):
    """atop_alliance = 1 for every dyad-year in ATOP's table, even with no obligation set."""
    none = t.atop.filter(pl.sum_horizontal(ps.ATOP_FLAGS) == 0)
    assert none.height == 170
    r = none.row(0, named=True)
    df = ps.create_dyadyears("cow", states=t.states, years=r["year"])
    got = row(ps.add_atop_alliance(df, t.atop), r["ccode1"], r["ccode2"], r["year"])
    assert got["atop_alliance"] == 1 and got["atop_defense"] == 0


def test_years_past_the_data_warn(t):
    with pytest.warns(ps.PanelWarning, match="extend_to=2018"):
        df = ps.create_dyadyears("cow", states=t.states, years="2000-2018")
    assert df["year"].max() == 2016
    with pytest.warns(ps.PanelWarning, match="only to 2020"):
        ps.create_stateyears("cow", states=t.states, years="2019-2021", extend_to=2020)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ps.create_dyadyears("cow", states=t.states, years="2000-2018", extend_to=2018)


def test_add_steps_keep_rows_and_types(ddy):
    assert ddy.height == 2_252_760  # the fixture asserts every step kept this count
    assert ddy.select(pl.struct("ccode1", "ccode2", "year").is_unique().all()).item()
    for c in ("atop_alliance", "atop_defense", "cowmaj1", "conttype"):
        assert ddy.schema[c] == pl.Int8
    expected = [
        "ccode1",
        "ccode2",
        "year",
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
    ]
    assert ddy.columns == expected
    assert ddy.estimated_size() < 300 * 2**20


def test_cow_steps_refuse_gw_frames(t):
    gw = ps.create_dyadyears("gw", directed=False, states=t.gw, years=2000)
    with pytest.raises(ParameterError, match="add_ccode_to_gw"):
        ps.add_atop_alliance(gw, t.atop)
    with pytest.raises(ParameterError, match="dyad-years"):
        ps.add_contiguity(ps.create_stateyears("cow", states=t.states, years=2000), t.cont)


def test_user_frame_with_nulls_and_unknown_codes(t):
    df = pl.DataFrame(
        {"ccode1": [2, None, 2, 9999], "ccode2": [740, 740, 1, 2], "year": [1952, 1952, 1952, 1952]}
    )
    out = ps.add_majors(ps.add_nmc(ps.add_atop_alliance(df, t.atop), t.nmc), t.majors)
    assert out.height == 4
    assert out["atop_defense"].to_list() == [1, None, 0, 0]
    assert out["cinc1"][1] is None and out["cinc2"][2] is None
    assert out["cowmaj1"].to_list() == [1, None, 1, 0]


# ---------------------------------------------------------------------------------------------
# Curated ties


def synthetic():
    actors = pl.DataFrame(
        {
            "actor_id": ["USA", "JPN", "CAN", "FRA", "NATO", "TWN"],
            "kind": ["state", "state", "state", "state", "organisation", "state"],
            "cow_code": [2, 740, 20, 220, None, None],
            "gw_code": [2, 740, 20, 220, None, None],
        },
        schema_overrides={"cow_code": pl.Int32, "gw_code": pl.Int32},
    )
    d = dt.date
    ties = pl.DataFrame(
        {
            "tie_id": ["t1", "m1", "m2", "m3", "p1", "x1"],
            "kind": [
                "defence_treaty",
                "member",
                "member",
                "member",
                "partnership_programme",
                "defence_treaty",
            ],
            "actor_a": ["USA", "USA", "CAN", "FRA", "JPN", "USA"],
            "actor_b": ["JPN", "NATO", "NATO", "NATO", "NATO", "TWN"],
            "start": [
                d(1952, 4, 28),
                d(1949, 8, 24),
                d(1949, 8, 24),
                d(1949, 8, 24),
                d(2014, 5, 6),
                d(1955, 3, 3),
            ],
            "end": [d(1960, 1, 1), None, None, d(1966, 7, 1), None, d(1980, 1, 1)],
        },
    )
    return SimpleNamespace(actors=actors, ties=ties)


def test_add_ties_rules():
    df = pl.DataFrame(
        {
            "ccode1": [2, 740, 2, 2, 2, 20, 740, 740, 2],
            "ccode2": [740, 2, 740, 20, 220, 220, 2, 20, 740],
            "year": [1952, 1952, 1960, 1950, 1967, 1966, 2015, 2015, 1959],
        },
        schema={"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16},
    )
    out = ps.add_ties(df, synthetic())
    assert out.height == df.height
    assert out["tie_defence_treaty"].to_list() == [1, 1, 0, 0, 0, 0, 0, 0, 1]  # ends 1 Jan 1960
    assert out["tie_member"].to_list() == [0, 0, 0, 1, 0, 1, 0, 0, 0]  # co-members, FRA left 1966
    # Japan's NATO partnership links it to each member on the days both hold
    assert out["tie_partnership_programme"].to_list() == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert out.schema["tie_member"] == pl.Int8
    from alliancekit.schema import TIE_KINDS

    assert {f"tie_{k}" for k in TIE_KINDS} <= set(out.columns)


def test_add_ties_on_gw_frames():
    df = ps.create_dyadyears(
        "gw",
        directed=False,
        years=2015,
        states=pl.DataFrame(
            {
                "gwcode": [2, 740, 20],
                "stateabb": ["USA", "JPN", "CAN"],
                "statename": ["a", "b", "c"],
                "startdate": [dt.date(1816, 1, 1)] * 3,
                "enddate": [dt.date(2017, 12, 31)] * 3,
            }
        ),
    )
    out = ps.add_ties(df, synthetic())
    assert out.height == 3 and out["tie_partnership_programme"].sum() == 2


def test_add_ties_on_the_curated_dataset(t):
    import alliancekit

    data = alliancekit.load()
    df = ps.create_dyadyears("cow", directed=True, states=t.states, years="1949-2016")
    out = ps.add_ties(df, data)
    assert out.height == df.height
    assert data.ties.filter(pl.col("tie_id") == "us-jpn-1960-treaty").height == 1
    assert row(out, 2, 740, 1961)["tie_defence_treaty"] == 1
    assert row(out, 740, 2, 1961)["tie_defence_treaty"] == 1
    assert data.ties.filter(pl.col("tie_id").str.starts_with("nato-member-")).height >= 2
    assert row(out, 2, 20, 1950)["tie_member"] == 1


# ---------------------------------------------------------------------------------------------
# build_panel / plan_panel: the steps together give what the verbs give one by one


def test_build_panel_equals_the_verbs(ddy, t, tmp_path):
    tables = {
        "cow_states": t.states,
        "atop": t.atop,
        "nmc": t.nmc,
        "majors": t.majors,
        "contiguity": t.cont,
    }
    add = ["atop", "nmc", "majors", "contiguity"]
    built = ps.build_panel("dyad", "cow", directed=True, extend_to=2025, add=add, tables=tables)
    assert built.equals(ddy) and built.schema == ddy.schema
    # streamed to a file, as the CLI does
    query, rows = ps.plan_panel(
        "dyad", "cow", directed=True, years="1990-2000", add=add, tables=tables
    )
    query.sink_parquet(tmp_path / "p.parquet")
    part = ddy.filter(pl.col("year").is_between(1990, 2000))
    assert rows == part.height and pl.read_parquet(tmp_path / "p.parquet").equals(part)
    # undirected, another order of steps, ties in the middle: the same as the verbs
    un = ps.create_dyadyears("cow", directed=False, years="1950-1960", states=t.states)
    verbs = ps.add_atop_alliance(ps.add_ties(ps.add_contiguity(un, t.cont)), t.atop)
    built = ps.build_panel(
        "dyad",
        "cow",
        directed=False,
        years="1950-1960",
        add=["contiguity", "ties", "atop"],
        tables=tables,
    )
    assert built.equals(verbs) and built.columns == verbs.columns


def test_odd_keys_as_the_lookup_tables_read_them(t):
    # Int16 keys index the tables directly (negative ones by their 16-bit pattern); wider
    # types go through the same pattern, and codes beyond 16 bits are unknown codes
    for dtype in (pl.Int16, pl.Int32, pl.Int64):
        df = pl.DataFrame(
            {
                "ccode1": [2, -2, 2, 2],
                "ccode2": [740, 740, -740, 740],
                "year": [1952, 1952, 1952, -1952],
            },
            schema={"ccode1": dtype, "ccode2": dtype, "year": dtype},
        )
        out = ps.add_contiguity(ps.add_nmc(ps.add_atop_alliance(df, t.atop), t.nmc), t.cont)
        assert out["atop_defense"].to_list() == [1, 0, 0, None]
        assert out["cinc1"][0] is not None and out["cinc1"][1] is None
        assert out["conttype"].to_list() == [0, 0, 0, None]
    wide = pl.DataFrame({"ccode1": [2, 2 + 2**16], "ccode2": [740, 740], "year": [1952, 1952]})
    assert ps.add_atop_alliance(wide, t.atop)["atop_defense"].to_list() == [1, 0]


def test_contiguity_types_are_checked(t):
    df = ps.create_dyadyears("cow", years=1950, states=t.states)
    bad = t.cont.with_columns(pl.lit(9, pl.Int8).alias("conttype"))
    with pytest.raises(ParameterError, match="conttype"):
        ps.add_contiguity(df, bad)


@pytest.mark.parametrize(
    ("gwcode", "year", "ccode"),
    [
        (340, 1900, 345),  # Serbia
        (340, 2010, 345),
        (345, 1950, 345),  # Yugoslavia
        (255, 1900, 255),  # Germany (Prussia)
        (260, 1980, 260),  # the FRG
        (260, 1990, 260),
        (260, 2000, 255),  # unified Germany
        (265, 1980, 265),
        (678, 1980, 678),  # Yemen Arab Republic
        (678, 1995, 679),  # unified Yemen
        (680, 1980, 680),
        (816, 1980, 816),  # Vietnam
        (817, 1970, 817),
        (740, 1948, None),  # Japan, occupied: not a COW member
        (99, 1825, None),  # Great Colombia
        (815, 1850, None),  # Annam
        (2, 2017, 2),  # G-W reaches 2017: COW states of 2016 carried
    ],
)
def test_ccode_to_gw_by_year(t, gwcode, year, ccode):
    sy = ps.add_ccode_to_gw(ps.create_stateyears("gw", states=t.gw), t.states)
    hit = sy.filter((pl.col("gwcode") == gwcode) & (pl.col("year") == year))
    assert hit["ccode"].to_list() == [ccode]


@pytest.mark.parametrize(
    ("ccode", "year", "gwcode"),
    [(345, 1900, 340), (345, 1950, 345), (345, 2010, 340), (255, 1900, 255), (255, 1995, 260)]
    + [(260, 1980, 260), (679, 1995, 678), (221, 2000, None)],
)
def test_gwcode_to_cow_by_year(t, ccode, year, gwcode):
    sy = ps.add_gwcode_to_cow(ps.create_stateyears("cow", states=t.states), t.gw)
    hit = sy.filter((pl.col("ccode") == ccode) & (pl.col("year") == year))
    assert hit["gwcode"].to_list() == [gwcode]


def test_gw_dyads_take_cow_steps(t):
    dy = ps.create_dyadyears("gw", directed=True, states=t.gw, years="1990-1991")
    dy = ps.add_ccode_to_gw(dy, t.states)
    assert dy.columns == ["gwcode1", "gwcode2", "year", "ccode1", "ccode2"]
    dy = ps.add_nmc(ps.add_majors(ps.add_atop_alliance(dy, t.atop), t.majors), t.nmc)
    r = dy.filter((pl.col("gwcode1") == 260) & (pl.col("gwcode2") == 2) & (pl.col("year") == 1991))
    assert r["ccode1"].item() == 255 and r["atop_defense"].item() == 1 and r["cowmaj1"].item() == 1
    with pytest.raises(ParameterError, match="already has COW codes"):
        ps.add_ccode_to_gw(dy, t.states)
    built = ps.build_panel(
        "dyad",
        "gw",
        years="1990-1991",
        add=["atop", "majors", "nmc"],
        tables={"gw_states": t.gw, "cow_states": t.states, "atop": t.atop}
        | {"majors": t.majors, "nmc": t.nmc},
    )
    assert built.sort(built.columns[:3]).equals(dy.sort(dy.columns[:3]))
