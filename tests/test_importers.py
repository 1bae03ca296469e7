"""Importers: the real tables in both containers, the publishers' layouts (small files in
those layouts), and bad files that must fail with a clear message naming file, row, column."""

from __future__ import annotations

import gzip

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancekit.importers import (
    SOURCES,
    read_atop,
    read_contiguity,
    read_cow_states,
    read_gw_states,
    read_majors,
    read_nmc,
)
from alliancekit.schema import DataValidationError

REAL = {
    "atop_alliance": (read_atop, 273_296),
    "cow_nmc": (read_nmc, 17_121),
    "cow_states": (read_cow_states, 243),
    "gw_states": (read_gw_states, 216),
    "cow_majors": (read_majors, 14),
    "cow_contdir": (read_contiguity, 1_874),
}


def issues_of(exc: pytest.ExceptionInfo) -> list:
    return exc.value.issues


# ---------------------------------------------------------------------------------------------
# Real tables


@pytest.mark.refdata
@pytest.mark.parametrize("stem", sorted(REAL))
def test_real_tables_both_containers_agree(refdata, stem):
    reader, rows = REAL[stem]
    a = reader(refdata(f"{stem}.parquet"))
    b = reader(refdata(f"{stem}.csv.gz"))
    assert a.height == rows  # no row dropped (the README's counts)
    assert a.equals(b)
    raw = pl.read_parquet(refdata(f"{stem}.parquet"))
    assert set(a.columns) <= {c.lower() for c in raw.columns}  # peacesciencer's names


@pytest.mark.refdata
def test_real_values_and_compact_types(refdata):
    atop = read_atop(refdata("atop_alliance.parquet"))
    assert atop.schema["ccode1"] == pl.Int16 and atop.schema["atop_defense"] == pl.Int8
    row = atop.filter(
        (pl.col("ccode1") == 2) & (pl.col("ccode2") == 740) & (pl.col("year") == 1952)
    )
    assert row["atop_defense"].to_list() == [1]
    nmc = read_nmc(refdata("cow_nmc.parquet"))
    jpn = nmc.filter((pl.col("ccode") == 740) & (pl.col("year") == 1960)).row(0, named=True)
    assert (
        jpn["milex"] == 454148
        and jpn["milper"] == 263
        and jpn["cinc"] == pytest.approx(0.036335, abs=1e-6)
    )
    raw = pl.read_parquet(refdata("cow_nmc.parquet"))
    # missing stays missing: as many nulls as the raw table
    for c in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert nmc[c].null_count() == raw[c].null_count()
    states = read_cow_states(refdata("cow_states.parquet"))
    assert states.filter(pl.col("ccode") == 740).height == 2  # Japan's two spells


# ---------------------------------------------------------------------------------------------
# Publishers' layouts


def write(tmp_path, name, text, *, compress=False, encoding="utf-8"):
    p = tmp_path / name
    data = text.encode(encoding)
    p.write_bytes(gzip.compress(data) if compress else data)
    return p


ATOP_PUB = (
    "ddyad,stateA,stateB,year,atopally,defense,offense,neutral,nonagg,consul,shareob\n"
    "2740,2,740,1952,1,1,0,0,0,1,0\n"
    "740002,740,2,1952,1,0,0,0,0,1,0\n"
    "220211,220,211,1832,1,1,0,0,0,0,0\n"
)


def test_atop_publisher_layout(tmp_path):
    df = read_atop(write(tmp_path, "atop5_1ddyr.csv", ATOP_PUB))
    assert df.columns == [
        "ccode1",
        "ccode2",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
    ]
    assert df.height == 3
    assert df.row(1) == (740, 2, 1952, 0, 0, 0, 0, 1)


def test_atop_column_case_and_gzip(tmp_path):
    text = ATOP_PUB.replace("stateA", "STATEA").replace("defense", "Defense")
    df = read_atop(write(tmp_path, "a.csv.gz", text, compress=True))
    assert df.height == 3


def test_nmc_publisher_layout_minus_nine_is_missing(tmp_path):
    text = (
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
        "JPN,740,1952,289212,119,7000,48877,85503,23003,0.0295,2021\n"
        "JPN,740,1953,-9,-9,-9,-9,86000,-9,0.03,2021\n"
    )
    df = read_nmc(write(tmp_path, "NMC-60-abridged.csv", text))
    assert df.height == 2
    assert df.row(1, named=True)["milex"] is None and df.row(1, named=True)["upop"] is None
    assert df.row(1, named=True)["tpop"] == 86000.0


def test_states_and_majors_publisher_layout(tmp_path):
    states = (
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
        "JPN,740,Japan,1860,1,1,1945,8,14,2016\n"
        "JPN,740,Japan,1952,4,28,2016,12,31,2016\n"
    )
    df = read_cow_states(write(tmp_path, "states2016.csv", states))
    assert df.height == 3 and df.schema["stmonth"] == pl.Int8
    majors = (
        "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,1898,8,13,2016,12,31,2016\n"
        "JPN,740,1895,4,1,1945,8,14,2016\n"
    )
    m = read_majors(write(tmp_path, "majors2016.csv", majors))
    assert m.columns[0] == "ccode" and m.height == 2


def test_contiguity_publisher_layout(tmp_path):
    text = (
        "dyad,state1no,state1ab,state2no,state2ab,conttype,begin,end,version\n"
        "2020,2,USA,20,CAN,1,192001,201612,3.2\n"
        "20002,20,CAN,2,USA,1,192001,201612,3.2\n"
    )
    df = read_contiguity(write(tmp_path, "contdir.csv", text))
    assert df.row(0, named=True)["stdate"].isoformat() == "1920-01-01"
    assert df.row(0, named=True)["enddate"].isoformat() == "2016-12-01"


def test_gw_publisher_layout_tab_no_header_latin1(tmp_path):
    text = (
        "2\tUSA\tUnited States of America\t01:01:1816\t31:12:2017\n"
        "437\tCDI\tC\u00f4te d'Ivoire\t07:08:1960\t31:12:2017\n"
        "817\tRVN\tVietnam, Republic of\t01:05:1954\t30:04:1975\n"
    )
    df = read_gw_states(write(tmp_path, "ksgmdw.txt", text, encoding="latin-1"))
    assert df.height == 3
    assert df["statename"][1] == "C\u00f4te d'Ivoire"
    assert df["enddate"][2].isoformat() == "1975-04-30"


# ---------------------------------------------------------------------------------------------
# Bad files


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        read_atop(tmp_path / "nope.csv")
    with pytest.raises(DataValidationError, match="empty") as exc:
        read_atop(write(tmp_path, "empty.csv", ""))
    assert issues_of(exc)[0].row is None
    with pytest.raises(DataValidationError, match="no data rows"):
        read_atop(
            write(
                tmp_path,
                "header.csv",
                "ccode1,ccode2,year,atop_defense,atop_offense,"
                "atop_neutral,atop_nonagg,atop_consul\n",
            )
        )


def test_truncated_gzip(tmp_path):
    data = gzip.compress(ATOP_PUB.encode() * 50)
    p = tmp_path / "atop.csv.gz"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataValidationError, match="truncated or corrupt") as exc:
        read_atop(p)
    assert str(p) in str(exc.value)


def test_wrong_columns_names_them(tmp_path):
    with pytest.raises(DataValidationError, match="not those of an ATOP dyad-year file") as exc:
        read_atop(write(tmp_path, "x.csv", "a,b,c\n1,2,3\n"))
    assert "statea" in str(exc.value) and issues_of(exc)[0].row == 0


def test_non_numeric_code_names_row_and_column(tmp_path):
    text = ATOP_PUB.replace("740002,740,2,1952", "740002,JPN,2,1952")
    with pytest.raises(DataValidationError) as exc:
        read_atop(write(tmp_path, "a.csv", text))
    (issue,) = issues_of(exc)
    assert (issue.row, issue.column, issue.rule, issue.value) == (
        2,
        "statea",
        "not_an_integer",
        "JPN",
    )


def test_unknown_state_code(tmp_path):
    text = ATOP_PUB.replace("220211,220,211", "220211,220,5")
    with pytest.raises(DataValidationError, match="not a COW state code") as exc:
        read_atop(write(tmp_path, "a.csv", text))
    assert issues_of(exc)[0].row == 3
    # against an imported state list instead of the built-in one
    with pytest.raises(DataValidationError, match="not a COW state code"):
        read_atop(write(tmp_path, "b.csv", ATOP_PUB), known_codes={2, 740})


def test_flags_duplicates_and_same_state(tmp_path):
    with pytest.raises(DataValidationError, match=r"not one of \[0, 1\]"):
        read_atop(
            write(tmp_path, "a.csv", ATOP_PUB.replace("2740,2,740,1952,1,1", "2740,2,740,1952,1,2"))
        )
    dup = ATOP_PUB + "2740,2,740,1952,1,1,0,0,0,1,0\n"
    with pytest.raises(DataValidationError, match="repeats row 1") as exc:
        read_atop(write(tmp_path, "b.csv", dup))
    assert issues_of(exc)[0].row == 4
    with pytest.raises(DataValidationError, match="two states"):
        read_atop(write(tmp_path, "c.csv", ATOP_PUB.replace("2740,2,740", "2740,2,2")))


def test_ragged_row_is_an_error(tmp_path):
    with pytest.raises(DataValidationError):
        read_atop(write(tmp_path, "a.csv", ATOP_PUB + "1,2\n"))


def test_impossible_date_and_overlapping_spells(tmp_path):
    head = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
    with pytest.raises(DataValidationError, match="impossible date") as exc:
        read_cow_states(write(tmp_path, "s.csv", head + "JPN,740,Japan,1860,2,30,1945,8,14,2016\n"))
    assert issues_of(exc)[0].column == "stday"
    overlap = (
        head + "JPN,740,Japan,1860,1,1,1945,8,14,2016\nJPN,740,Japan,1940,1,1,2016,12,31,2016\n"
    )
    with pytest.raises(DataValidationError, match="overlaps the spell of row 1"):
        read_cow_states(write(tmp_path, "t.csv", overlap))
    with pytest.raises(DataValidationError, match="not a YYYYMM month"):
        read_contiguity(
            write(tmp_path, "c.csv", "state1no,state2no,conttype,begin,end\n2,20,1,192013,201612\n")
        )
    with pytest.raises(DataValidationError, match="dd:mm:yyyy|%d:%m:%Y"):
        read_gw_states(write(tmp_path, "g.txt", "2\tUSA\tUSA\t1816-01-01\t31:12:2017\n"))


def test_unreadable_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    p.write_bytes(b"PAR1" + b"\0" * 20)
    with pytest.raises(DataValidationError, match="parquet"):
        read_nmc(p)


def test_every_source_is_registered():
    # SIPRI's workbook too: every importer is registered in one place (issue 9)
    assert set(SOURCES) == {"atop", "nmc", "cow_states", "gw_states", "majors", "contiguity"} | {
        "sipri",
        "gml_mids",
        "igos",
        "igos_states",
        "mindist",
        "capitals",
        "rivalries",
    }


COLS = ["statea", "stateb", "year", "defense"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.integers(min_value=0, max_value=2),
    col=st.sampled_from(COLS),
    junk=st.text(alphabet="abcxyz!?%-._ ", min_size=1, max_size=6).filter(
        lambda s: s.strip() not in ("", ".", "-", "NA", "na", "nan", "NaN")
    ),
)
def test_any_corrupted_cell_is_reported_where_it_is(tmp_path, row, col, junk):
    lines = ATOP_PUB.splitlines()
    header = lines[0].split(",")
    cells = lines[row + 1].split(",")
    idx = [h.lower() for h in header].index(col)
    cells[idx] = junk.replace(",", "")
    lines[row + 1] = ",".join(cells)
    p = write(tmp_path, "h.csv", "\n".join(lines) + "\n")
    with pytest.raises(DataValidationError) as exc:
        read_atop(p)
    assert any(i.row == row + 1 and i.column == col for i in issues_of(exc))
