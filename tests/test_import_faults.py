"""Bad values in publishers' files are refused with file, row and column — never stored as
nulls, dropped or overwritten silently."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancekit.importers import read_atop, read_nmc
from alliancekit.importers.sipri import read_workbook
from alliancekit.schema import DataValidationError

NMC_HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
ATOP_HEADER = "ddyad,stateA,stateB,year,atopally,defense,offense,neutral,nonagg,consul\n"


def issues_of(fn, path):
    with pytest.raises(DataValidationError) as exc:
        fn(path)
    return exc.value.issues


def test_overflowing_integer_is_an_error_not_a_null(tmp_path):
    p = tmp_path / "nmc.csv"
    p.write_text(NMC_HEADER + "2,2000,99999999999999999999,1,1,1,1,1,0.1\n")
    (issue,) = issues_of(read_nmc, p)
    assert (issue.row, issue.column, issue.rule) == (1, "milex", "out_of_range")


def test_parquet_values_beyond_int64_are_errors(tmp_path):
    p = tmp_path / "nmc.parquet"
    row = {"ccode": [2, 20], "year": [2000, 2000], "milex": [1e30, 5.0], "milper": [1.0, 1.0]}
    row |= {"irst": [1.0, 1.0], "pec": [1.0, 1.0], "tpop": [1.0, 1.0], "upop": [1.0, 1.0]}
    pl.DataFrame(row | {"cinc": [0.1, 0.1]}).write_parquet(p)
    (issue,) = issues_of(read_nmc, p)
    assert (issue.row, issue.column, issue.rule) == (1, "milex", "out_of_range")


def test_infinite_float_is_an_error(tmp_path):
    p = tmp_path / "nmc.csv"
    p.write_text(NMC_HEADER + "2,2000,1,1,1,1,inf,1,0.1\n")
    (issue,) = issues_of(read_nmc, p)
    assert (issue.column, issue.rule) == ("tpop", "not_finite")


def test_atop_year_1e20_names_the_range_not_a_missing_value(tmp_path):
    p = tmp_path / "atop.csv"
    p.write_text(ATOP_HEADER + "2740,2,740,1e20,1,1,0,0,0,1\n")
    issues = issues_of(read_atop, p)
    assert [(i.row, i.column, i.rule) for i in issues] == [(1, "year", "out_of_range")]


def test_ragged_row_is_located(tmp_path):
    p = tmp_path / "nmc.csv"
    p.write_text(NMC_HEADER + "2,2000,1,1,1,1,1,1,0.1\n2,2001,1,1,1,1,1,1,0.1,9\n")
    (issue,) = issues_of(read_nmc, p)
    assert issue.rule == "ragged_row" and issue.row == 2
    assert "truncate_ragged_lines" not in issue.message


def test_binary_file_is_named_as_such(tmp_path):
    p = tmp_path / "nmc.csv"
    p.write_bytes(b"PK\x03\x04\x00\x00binary\x00" * 50)
    (issue,) = issues_of(read_nmc, p)
    assert issue.rule == "binary_file"


def test_utf16_file_reads_with_clean_column_names(tmp_path):
    p = tmp_path / "nmc.csv"
    p.write_bytes((NMC_HEADER + "2,2000,1,1,1,1,1,1,0.1\n").encode("utf-16"))
    df = read_nmc(p)
    assert df["ccode"].to_list() == [2] and "ccode" in df.columns


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=10**30))
def test_any_integer_is_stored_exactly_or_refused(tmp_path, value):
    p = tmp_path / "nmc.csv"
    p.write_text(NMC_HEADER + f"2,2000,{value},1,1,1,1,1,0.1\n")
    try:
        df = read_nmc(p)
    except DataValidationError as exc:
        assert value > 2**63 - 1
        assert exc.value.issues[0].column == "milex" if hasattr(exc, "value") else True
    else:
        assert df["milex"][0] == value


def _sipri(path, header, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Current US$"
    ws.append(["Country", "Notes", *header])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_sipri_year_outside_its_span_is_an_error(tmp_path):
    p = _sipri(tmp_path / "s.xlsx", [1890, 2024], [["Japan", None, 1.0, 2.0]])
    issues = issues_of(read_workbook, p)
    assert [(i.column, i.rule) for i in issues] == [("1890", "out_of_range")]


def test_sipri_country_listed_twice_is_an_error(tmp_path):
    p = _sipri(
        tmp_path / "s.xlsx", [2023, 2024], [["Japan", None, 1.0, 2.0], ["Japan", None, 3.0, 4.0]]
    )
    (issue,) = issues_of(read_workbook, p)
    assert (issue.row, issue.rule) == (3, "duplicate_row") and "first at row 2" in issue.message


def test_header_only_sipri_workbook_never_replaces_good_data(tmp_path, capsys):
    from alliancekit.catalog import open_catalog
    from alliancekit.cli import main

    home = tmp_path / "home"
    good = _sipri(tmp_path / "good.xlsx", [2023, 2024], [["Japan", None, 1.0, 2.0]])
    empty = _sipri(tmp_path / "empty.xlsx", [2023, 2024], [])
    with pytest.raises(SystemExit) as exc:
        main(["data", "import", "sipri", str(good), "--home", str(home)])
    assert exc.value.code == 0
    before = open_catalog(home).read("sipri")
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["data", "import", "sipri", str(empty), "--home", str(home)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "empty.xlsx" in err and "no country rows" in err and "Traceback" not in err
    assert open_catalog(home).read("sipri").equals(before)


GW_HEADER = "gwcode,stateabb,statename,startdate,enddate\n"


@pytest.mark.parametrize("bad", ["-0005-01-01", "0099-01-01", "2999-12-01"])
def test_gw_dates_outside_the_span_are_errors(tmp_path, bad):
    from alliancekit.importers import read_gw_states

    p = tmp_path / "gw.csv"
    p.write_text(GW_HEADER + f"2,USA,United States,{bad},2020-12-31\n")
    issues = issues_of(read_gw_states, p)
    assert any(i.column == "startdate" and i.row == 1 for i in issues), issues
    assert not any(i.rule == "overlap" for i in issues)


def test_duplicate_rows_in_gw_and_contiguity_are_errors(tmp_path):
    from alliancekit.importers import read_contiguity, read_gw_states

    gw = tmp_path / "gw.csv"
    row = "2,USA,United States,1816-01-01,2020-12-31\n"
    gw.write_text(GW_HEADER + row + row)
    assert [i.rule for i in issues_of(read_gw_states, gw)] == ["duplicate_row"]
    cont = tmp_path / "cont.csv"
    line = "2,20,1,1816-01-01,2016-12-31\n"
    cont.write_text("ccode1,ccode2,conttype,stdate,enddate\n" + line + line)
    (issue,) = issues_of(read_contiguity, cont)
    assert (issue.row, issue.rule) == (2, "duplicate_row")
