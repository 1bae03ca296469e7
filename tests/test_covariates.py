"""The covariate steps' rules on small hand-made tables: one dispute per dyad-year by the
reference's order, peace years as stevemisc::ps_btscs counts them (a literal port of its loop
against the fast version, under hypothesis), IGOs and distances in either order without
zero-fill, capitals of the first covered day, rivalries, rows never changed."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import covariates as cv
from alliancekit import panels as ps
from alliancekit.schema import ParameterError

GML_COLS = ["dispnum", "ccode1", "ccode2", "year", "midongoing", "midonset"]
GML_COLS += ["fatality", "hostlev", "mindur", "maxdur", "recip", "stmon"]


def gml(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=GML_COLS, orient="row")


def dyads(rows, directed_ok=True) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["ccode1", "ccode2", "year"], orient="row").cast(pl.Int16)


# ---------------------------------------------------------------------------------------------
# Disputes


def test_whittle_prefers_onsets_then_fatality_hostility_duration_recip_month_then_order():
    t = gml(
        [
            # (2, 20, 1900): a continuation and an onset -> the onset
            [1, 2, 20, 1900, 1, 0, 6, 5, 900, 900, 1, 1],
            [2, 2, 20, 1900, 1, 1, 0, 2, 1, 1, 0, 12],
            # (2, 40, 1900): unknown fatality (-9) ranks between 0 and 1
            [3, 2, 40, 1900, 1, 1, 0, 5, 9, 9, 1, 1],
            [4, 2, 40, 1900, 1, 1, -9, 2, 1, 1, 0, 12],
            # (2, 41, 1900): same fatality -> hostlev, then mindur
            [5, 2, 41, 1900, 1, 1, 1, 3, 9, 9, 1, 1],
            [6, 2, 41, 1900, 1, 1, 1, 4, 1, 1, 0, 12],
            [7, 2, 41, 1900, 1, 1, 1, 4, 2, 1, 0, 12],
            # (2, 42, 1900): all equal to recip, then the earliest month, then the first row
            [8, 2, 42, 1900, 1, 1, 1, 4, 2, 2, 0, 1],
            [9, 2, 42, 1900, 1, 1, 1, 4, 2, 2, 1, 5],
            [10, 2, 42, 1900, 1, 1, 1, 4, 2, 2, 1, 3],
            [11, 2, 42, 1900, 1, 1, 1, 4, 2, 2, 1, 3],
        ]
    )
    one = cv.whittle_gml(t)
    kept = dict(zip(one["ccode2"].to_list(), one["dispnum"].to_list(), strict=True))
    assert kept == {20: 2, 40: 4, 41: 7, 42: 10}


def test_add_gml_mids_fills_zero_within_the_data_years_only():
    t = gml([[1, 2, 20, 1900, 1, 1, 0, 3, 1, 1, 0, 1], [1, 20, 2, 1900, 1, 1, 0, 3, 1, 1, 0, 1]])
    t = pl.concat([t, gml([[2, 2, 20, 1901, 1, 0, 0, 3, 1, 1, 0, 1]])])
    df = dyads([[2, 20, 1900], [20, 2, 1901], [2, 20, 1901], [2, 20, 1899], [2, 20, 1950]])
    out = cv.add_gml_mids(df, t, keep=["dispnum"])
    assert out.select(pl.exclude("ccode1", "ccode2", "year")).rows() == [
        (1, 1, 1),
        (0, 0, None),  # directed: 20 -> 2 had no row in 1901
        (0, 1, 2),
        (None, None, None),  # before the data
        (None, None, None),  # after
    ]
    with pytest.raises(ParameterError):
        cv.add_gml_mids(df, t, keep=["nosuchfield"])
    with pytest.raises(ParameterError):
        cv.add_gml_mids(pl.DataFrame({"ccode": [2], "year": [1900]}), t)


# ---------------------------------------------------------------------------------------------
# Peace years


def btscs_reference(units, years, events):
    """stevemisc::ps_btscs(pad_ts = FALSE), line by line: drop missing events, then per unit
    in year order the DAMisc spell loop."""
    out = [None] * len(units)
    by: dict = {}
    for i, (u, e) in enumerate(zip(units, events, strict=True)):
        if e is not None:
            by.setdefault(u, []).append(i)
    for rows in by.values():
        rows.sort(key=lambda i: years[i])
        x = [events[i] for i in rows]
        tmp = [0] * len(x)
        if sum(x) == 0:
            tmp = list(range(len(x)))
        else:
            run = 0
            for j in range(1, len(x)):
                if x[j] == 0 and x[j - 1] == 0:
                    run += 1
                    tmp[j] = run
                if x[j] != 0 and x[j - 1] == 0:
                    tmp[j] = run + 1
                    run = 0
                if x[j] == 0 and x[j - 1] != 0:
                    tmp[j] = run = 0
        for i, v in zip(rows, tmp, strict=True):
            out[i] = v
    return out


def test_spells_hand_case():
    x = [0, 0, 0, 1, 1, 0, 0]
    got = cv.spell_counts(np.zeros(7, dtype=np.int64), np.arange(7), np.array(x, float))
    assert got.tolist() == [0, 1, 2, 3, 0, 0, 1] == btscs_reference([0] * 7, list(range(7)), x)


def test_peace_years_missing_events_gaps_and_directed_units():
    df = dyads([[2, 20, y] for y in (1900, 1901, 1902, 1905, 1906)] + [[20, 2, 1900]])
    df = df.with_columns(gmlmidongoing=pl.Series([1, 0, None, 0, 0, 0], dtype=pl.Int8))
    out = ps.add_peace_years(df)
    # the missing year neither counts nor breaks the count; the gap is not padded
    assert out["gmlmidspell"].to_list() == [0, 0, None, 1, 2, 0]
    with pytest.raises(ParameterError):
        ps.add_peace_years(dyads([[2, 20, 1900]]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(1900, 1915),
            st.one_of(st.none(), st.integers(0, 1)),
        ),
        max_size=60,
        unique_by=lambda r: (r[0], r[1]),
    ),
    st.booleans(),
)
def test_fast_spells_equal_the_literal_loop(rows, by_year):
    if by_year:
        rows = sorted(rows, key=lambda r: r[1])
    units = [r[0] for r in rows]
    years = [r[1] for r in rows]
    events = [r[2] for r in rows]
    expected = btscs_reference(units, years, events)
    ev = np.array([np.nan if e is None else e for e in events], dtype=float)
    got = cv.spell_counts(np.array(units, dtype=np.int64), np.array(years), ev)
    assert [None if g < 0 else int(g) for g in got] == expected


# ---------------------------------------------------------------------------------------------
# IGOs and distances


def test_igos_either_order_no_zero_fill_and_states():
    igo = pl.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1950], "dyadigos": [7]})
    df = dyads([[2, 20, 1950], [20, 2, 1950], [2, 20, 1951], [2, 40, 1950]])
    assert ps.add_igos(df, igo)["dyadigos"].to_list() == [7, 7, None, None]
    flipped = igo.with_columns(ccode1=pl.col("ccode2"), ccode2=pl.col("ccode1"))
    assert ps.add_igos(df, flipped)["dyadigos"].to_list() == [7, 7, None, None]
    sy = pl.DataFrame(
        {
            "ccode": [2],
            "year": [1950],
            "sum_igo_full": [5],
            "sum_igo_associate": [1],
            "sum_igo_observer": [0],
            "sum_igo_anytype": [6],
        }
    )
    states = pl.DataFrame({"ccode": [2, 2, 20], "year": [1950, 1951, 1950]})
    out = ps.add_igos(states, sy)
    assert out["sum_igo_anytype"].to_list() == [6, None, None]
    assert out.columns[-4:] == ["sum_igo_full", "sum_igo_associate", "sum_igo_observer"] + [
        "sum_igo_anytype"
    ]


def test_the_search_path_for_huge_sources_equals_the_table(monkeypatch):
    md = pl.DataFrame(
        {"ccode1": [2, 20, 2], "ccode2": [20, 70, 70], "year": [1950, 1950, 1951]},
        schema={"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16},
    ).with_columns(mindist=pl.Series([1.0, 2.0, 3.0]))
    df = dyads([[20, 2, 1950], [70, 20, 1950], [2, 70, 1951], [2, 70, 1950], [None, 2, 1950]])
    flipped = md.with_columns(ccode1=pl.col("ccode2"), ccode2=pl.col("ccode1"))
    table = [ps.add_minimum_distance(df, t)["mindist"].to_list() for t in (md, flipped)]
    monkeypatch.setattr("alliancekit.covariates._engine.MAX_TABLE", 0)  # the search path
    search = [ps.add_minimum_distance(df, t)["mindist"].to_list() for t in (md, flipped)]
    assert table == search == [[1.0, 2.0, 3.0, None, None]] * 2


def test_minimum_distance_dyads_and_states():
    md = pl.DataFrame(
        {"ccode1": [2, 2], "ccode2": [20, 70], "year": [1950, 1950], "mindist": [0.0, 12.5]}
    )
    df = dyads([[20, 2, 1950], [70, 2, 1950], [20, 70, 1950], [2, 20, 1885]])
    assert ps.add_minimum_distance(df, md)["mindist"].to_list() == [0.0, 12.5, None, None]
    states = pl.DataFrame({"ccode": [2, 70, 40], "year": [1950, 1950, 1950]})
    assert ps.add_minimum_distance(states, md)["minmindist"].to_list() == [0.0, 12.5, None]


def haversine_km(lat1, lng1, lat2, lng2):
    r = 6378.137
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


CAPITALS = pl.DataFrame(
    {
        "ccode": [2, 220, 220, 220, 20],
        "capital": ["Washington", "Paris", "Vichy", "Paris", "Ottawa"],
        "stdate": [
            dt.date(1816, 1, 1),
            dt.date(1816, 1, 1),
            dt.date(1940, 7, 9),
            dt.date(1942, 11, 28),
            dt.date(1867, 1, 1),
        ],
        "enddate": [
            dt.date(2024, 12, 31),
            dt.date(1940, 7, 8),
            dt.date(1942, 11, 27),
            dt.date(2024, 12, 31),
            dt.date(2024, 12, 31),
        ],
        "lat": [38.895037, 48.85889, 46.123927, 48.85889, 45.420878],
        "lng": [-77.036543, 2.320041, 3.4203712, 2.320041, -75.690111],
    }
)


def test_capital_of_the_first_covered_day():
    cy = cv.capital_years(CAPITALS).filter(pl.col("ccode") == 220)
    by_year = dict(zip(cy["year"].to_list(), cy["capital"].to_list(), strict=True))
    assert by_year[1940] == "Paris" and by_year[1941] == "Vichy" and by_year[1942] == "Vichy"
    assert by_year[1943] == "Paris"


def test_capital_distance_vichy_and_the_sphere():
    df = dyads([[2, 220, 1940], [2, 220, 1941], [220, 2, 1941], [2, 20, 1939], [2, 20, 1866]])
    d = ps.add_capital_distance(df, CAPITALS)["capdist"].to_list()
    assert d[0] == pytest.approx(haversine_km(38.895037, -77.036543, 48.85889, 2.320041), 1e-9)
    assert d[1] == pytest.approx(haversine_km(38.895037, -77.036543, 46.123927, 3.4203712), 1e-9)
    assert d[1] == d[2]  # symmetric
    assert abs(d[3] - 734.869417) < 1e-4  # the reference's USA-Canada km, printed rounded
    assert d[4] is None  # Canada has no capital before 1867
    same = cv.sphere_distance_km(*(np.array([10.0]),) * 4)
    assert same[0] == 0


# ---------------------------------------------------------------------------------------------
# Rivalries


RIVALS = pl.DataFrame(
    {
        "tssr_id": [1, 2],
        "rivalry": ["Austria-Serbia", "USA-Russia"],
        "ccode1": [300, 2],
        "ccode2": [345, 365],
        "start": [1816, 1945],
        "end": [1920, 2020],
        "positional": [None, 1],
        "spatial": [1, None],
        "ideological": [None, 1],
        "interventionary": [None, None],
    }
)


def test_rivalries_austria_after_1918_blanks_as_zero_and_after_the_data():
    df = dyads(
        [[300, 345, 1918], [345, 305, 1919], [300, 345, 1919], [365, 2, 2000], [2, 365, 2021]]
    )
    out = ps.add_strategic_rivalries(df, RIVALS)
    assert out.select(pl.exclude("ccode1", "ccode2", "year")).rows() == [
        (1, 0, 1, 0, 0, 1),
        (1, 0, 1, 0, 0, 1),
        (None, 0, 0, 0, 0, 0),
        (2, 1, 0, 1, 0, 1),
        (None, None, None, None, None, None),
    ]
    states = pl.DataFrame({"ccode": [2, 2, 305], "year": [2000, 2021, 1919]})
    out = ps.add_strategic_rivalries(states, RIVALS)
    assert out.select(pl.exclude("ccode", "year")).rows() == [
        (1, 0, 1, 0),
        (None, None, None, None),
        (0, 1, 0, 0),
    ]


# ---------------------------------------------------------------------------------------------
# Rows


def test_steps_never_change_rows_and_replace_their_columns():
    df = dyads([[2, 20, 1950], [2, 20, 1950]]).with_columns(mindist=pl.lit(-1.0))
    md = pl.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1950], "mindist": [3.0]})
    out = ps.add_minimum_distance(df, md)
    assert out.height == 2 and out["mindist"].to_list() == [3.0, 3.0]
    assert out.columns == ["ccode1", "ccode2", "year", "mindist"]


def test_wide_and_null_keys_read_nothing():
    df = pl.DataFrame(
        {"ccode1": [2, None, 2], "ccode2": [20, 20, 70000], "year": [1950, 1950, 1950]}
    )
    md = pl.DataFrame({"ccode1": [2], "ccode2": [20], "year": [1950], "mindist": [3.0]})
    assert ps.add_minimum_distance(df, md)["mindist"].to_list() == [3.0, None, None]


def test_build_panel_state_years_with_covariates():
    states = pl.DataFrame(
        {
            "stateabb": ["USA", "RUS"],
            "ccode": [2, 365],
            "statenme": ["United States", "Russia"],
            "styear": [1816, 1816],
            "stmonth": [1, 1],
            "stday": [1, 1],
            "endyear": [2016, 2016],
            "endmonth": [12, 12],
            "endday": [31, 31],
            "version": [2016, 2016],
        }
    )
    md = pl.DataFrame({"ccode1": [2], "ccode2": [365], "year": [2000], "mindist": [80.0]})
    out = ps.build_panel(
        "state",
        "cow",
        years="2000",
        add=["mindist", "rivalries"],
        tables={"cow_states": states, "mindist": md, "rivalries": RIVALS},
    )
    assert out["minmindist"].to_list() == [80.0, 80.0]
    assert out["n_positional"].to_list() == [1, 1]
    with pytest.raises(ParameterError):
        ps.build_panel("state", "cow", add=["capdist"], tables={"cow_states": states})
