"""The importers of issue 13 (GML disputes, COW IGOs, minimum distance, capitals, rivalries):
the real tables in both containers, the publishers' layouts, and bad cells named by file,
row and column."""

from __future__ import annotations

import polars as pl
import pytest

from alliancekit.importers import (
    SOURCES,
    read_capitals,
    read_gml_mids,
    read_igos,
    read_igos_states,
    read_mindist,
    read_rivalries,
)
from alliancekit.schema import DataValidationError

TABLES = {
    "gml_dirdisp": (read_gml_mids, 10_276),
    "cow_igo_ndy": (read_igos, 917_695),
    "cow_igo_sy": (read_igos_states, 15_557),
    "cow_mindist": (read_mindist, 952_244),
    "cow_capitals": (read_capitals, 242),
    "tss_rivalries": (read_rivalries, 264),
}
GML_HEADER = (
    "dispnum,ccode1,ccode2,year,midongoing,midonset,fatality,hostlev,mindur,maxdur,recip,stmon"
)


def issues_of(fn, path):
    with pytest.raises(DataValidationError) as exc:
        fn(path)
    return [(i.row, i.column, i.rule) for i in exc.value.issues]


@pytest.mark.refdata
@pytest.mark.parametrize("stem", sorted(TABLES))
def test_real_tables_both_containers_agree(refdata, stem):
    reader, rows = TABLES[stem]
    a = reader(refdata(f"{stem}.parquet"))
    b = reader(refdata(f"{stem}.csv.gz"))
    assert a.height == b.height == rows  # nothing dropped
    assert a.equals(b)
    raw = pl.read_parquet(refdata(f"{stem}.parquet"))
    for c in ("ccode1", "ccode2", "ccode", "year"):
        if c in a.columns:
            assert a[c].dtype == pl.Int16
            assert a[c].cast(pl.Int64).equals(raw[c].cast(pl.Int64))


def test_registered_for_the_cli():
    from alliancekit.cli.catalog import DATASETS

    for cli, name in {
        "gml-mids": "gml_mids",
        "igos": "igos",
        "igos-states": "igos_states",
        "mindist": "mindist",
        "capitals": "capitals",
        "rivalries": "rivalries",
    }.items():
        assert DATASETS[cli] == name
        assert SOURCES[name].citation and SOURCES[name].version


def test_gml_bad_cells_are_located(tmp_path):
    p = tmp_path / "gml.csv"
    p.write_text(
        GML_HEADER + "\n1,2,200,1902,1,1,0,3,1,31,0,5\n1,2,2,1902,1,2,0,3,1,31,0,5\n"
        "1,2,200,1902,1,1,0,3,1,31,0,5\n"
    )
    got = issues_of(read_gml_mids, p)
    assert (2, "midonset", "out_of_range") in got
    assert (2, "ccode2", "same_state") in got
    p.write_text(GML_HEADER + "\n1,2,200,1902,1,1,0,3,1,31,0,5\n1,2,200,1902,1,1,0,3,1,31,0,5\n")
    assert issues_of(read_gml_mids, p) == [(2, "dispnum", "duplicate_row")]
    p.write_text(GML_HEADER + "\n1,2,200,1902,1,1,,3,1,31,0,5\n")
    assert issues_of(read_gml_mids, p) == [(1, "fatality", "required")]


def test_igo_publisher_layouts(tmp_path):
    p = tmp_path / "dyadic_formatv3.csv"
    p.write_text(
        "dyadid,ccode1,state1,ccode2,state2,year,AALCO,ABEDA,ACCT\n"
        "2020,2,USA,20,CAN,1950,1,0,-9\n"
        "20002,20,CAN,2,USA,1951,1,1,-1\n"
    )
    df = read_igos(p)
    assert df.rows() == [(2, 20, 1950, 1), (2, 20, 1951, 2)]
    p.write_text("dyadid,ccode1,ccode2,year,AALCO\n2020,2,20,1950,7\n")
    assert issues_of(read_igos, p) == [(1, "aalco", "out_of_range")]
    s = tmp_path / "state_year_formatv3.csv"
    s.write_text(
        "ccode,year,state,AAAID,ABEDA,ACCT,ACP\n2,1950,USA,1,2,3,-9\n20,1950,CAN,0,1,1,-1\n"
    )
    df = read_igos_states(s)
    assert df.rows() == [(2, 1950, 1, 1, 1, 3), (20, 1950, 2, 0, 0, 2)]


def test_igo_peacesciencer_order_and_duplicates(tmp_path):
    p = tmp_path / "igo.csv"
    p.write_text("ccode1,ccode2,year,dyadigos\n20,2,1950,3\n2,20,1951,x\n")
    got = issues_of(read_igos, p)
    assert (1, "ccode1", "dyad_order") in got and (2, "dyadigos", "not_an_integer") in got


def test_mindist_bad_values(tmp_path):
    p = tmp_path / "md.csv"
    p.write_text("ccode1,ccode2,year,mindist\n2,20,1950,-1\n2,20,1951,inf\n2,20,1952,\n")
    got = issues_of(read_mindist, p)
    assert got == [(2, "mindist", "not_finite"), (1, "mindist", "out_of_range")]


def test_capitals_layouts_and_errors(tmp_path):
    p = tmp_path / "caps.csv"
    p.write_text(
        "ccode,capital,styear,stmon,stday,endyear,endmon,endday,lat,lng\n"
        "220,Paris,1816,1,1,1940,7,8,48.85889,2.320041\n"
        "220,Vichy,1940,7,9,1942,11,27,46.123927,3.4203712\n"
    )
    df = read_capitals(p)
    assert df["capital"].to_list() == ["Paris", "Vichy"]
    assert str(df["stdate"][1]) == "1940-07-09"
    p.write_text(
        "ccode,capital,stdate,enddate,lat,lng\n"
        "220,Paris,1816-01-01,1815-01-01,48.8,2.3\n220,X,1816-01-01,1900-01-01,91,2\n"
    )
    got = issues_of(read_capitals, p)
    assert (2, "lat", "out_of_range") in got and (1, "enddate", "date_order") in got


def test_rivalries_spellings_and_errors(tmp_path):
    p = tmp_path / "tss.csv"
    head = "tssr_id,rivalry,ccode1,ccode2,start,end,positional,spatial,ideological,interventionary"
    p.write_text(head + "\n1,A-B,220,300,P1494,1918,1,1,,\n2,C-D,2,365,1945,ongoing,1,,1,\n")
    df = read_rivalries(p)
    assert df["start"].to_list() == [1494, 1945] and df["end"].to_list() == [1918, 2020]
    assert df["ideological"].to_list() == [None, 1]
    p.write_text(head + "\n1,A-B,300,220,1900,1890,2,1,,\n1,C-D,2,365,1945,1950,1,,1,\n")
    got = issues_of(read_rivalries, p)
    assert (1, "positional", "out_of_range") in got
    assert (1, "ccode1", "dyad_order") in got and (1, "end", "date_order") in got


def _publisher_dyadic(n_igos: int, rows: list[tuple[int, int, int, list[int]]]) -> str:
    igos = [f"IGO{i}" for i in range(n_igos)]
    lines = ["dyadid,ccode1,state1,ccode2,state2,year," + ",".join(igos)]
    for c1, c2, year, vals in rows:
        lines.append(f"{c1 * 1000 + c2},{c1},A,{c2},B,{year}," + ",".join(map(str, vals)))
    return "\n".join(lines) + "\n"


def test_large_publisher_files_take_the_typed_pass(tmp_path, monkeypatch):
    import gzip

    from alliancekit.importers import igos as mod

    rng = [[(i * 7 + j) % 4 - 1 for j in range(60)] for i in range(3)]  # -1, 0, 1, 2 ...
    rng = [[v if v in (-1, 0, 1) else -9 for v in row] for row in rng]
    text = _publisher_dyadic(
        60, [(2, 20, 1950, rng[0]), (20, 2, 1951, rng[1]), (2, 40, 1950, rng[2])]
    )
    p = tmp_path / "dyadic_formatv3.csv"
    p.write_text(text)
    g = tmp_path / "dyadic_formatv3.csv.gz"
    g.write_bytes(gzip.compress(text.encode()))
    assert mod._fast_publisher(p, mod.DYAD_IDS, {"dyadigos": (1,)}, ("ccode1",)) is not None
    fast, fast_gz = read_igos(p), read_igos(g)
    monkeypatch.setattr(mod, "FAST_MIN_IGOS", 10**6)
    slow = read_igos(p)
    assert fast.equals(slow) and fast_gz.equals(slow)
    assert slow["dyadigos"].to_list() == [sum(v == 1 for v in row) for row in rng]
    monkeypatch.undo()
    bad = rng[0][:-1] + [5]
    p.write_text(_publisher_dyadic(60, [(2, 20, 1950, rng[1]), (2, 41, 1950, bad)]))
    assert issues_of(read_igos, p) == [(2, "igo59", "out_of_range")]
