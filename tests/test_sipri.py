"""The SIPRI workbook importer, on a small workbook built in SIPRI's published layout: one sheet
per measure, title rows, a header row with Country, Notes and years, region header rows, the
markers '...' and 'xxx', estimates in blue."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from alliancekit.importers.sipri import classify_sheet, read_workbook, to_spending
from alliancekit.schema import DataValidationError

YEARS = [2014, 2015, 2023, 2024]
# country -> current US$ m per year; None -> '...'; 'xxx' kept as is
CURRENT = {
    "United States of America": [663_000.0, 639_000.0, 916_000.0, 997_000.0],
    "Germany": [44_000.0, 39_800.0, 66_800.0, 88_500.0],
    "Japan": [46_900.0, 42_100.0, 50_200.0, 55_300.0],
    "Korea, South": [37_500.0, 36_500.0, 47_900.0, 47_600.0],
    "Korea, North": [None, None, None, None],
    "USSR": ["xxx", "xxx", "xxx", "xxx"],
}
SHARE = {  # stored as fractions, shown as percent
    "United States of America": [0.0377, 0.0352, 0.0336, 0.0342],
    "Germany": [0.0115, 0.0111, 0.0152, 0.0190],
    "Japan": [0.0097, 0.0095, 0.0120, 0.0140],
    "Korea, South": [0.0252, 0.0248, 0.0280, 0.0260],
    "Korea, North": [None, None, None, None],
    "USSR": ["xxx", "xxx", "xxx", "xxx"],
}
BLUE = "FF0070C0"


def build_workbook(path: Path, *, bad_cell: str | None = None, constant_year: int = 2023) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    front = wb.active
    front.title = "Front page"
    front["A1"] = "SIPRI Military Expenditure Database"

    def sheet(title: str, data: dict, fmt: str | None = None, blue: tuple[str, int] | None = None):
        ws = wb.create_sheet(title)
        ws.append([f"Military expenditure by country, {title}, 2014-2024"])
        ws.append(
            [
                "Figures are SIPRI estimates where shown in blue. '...' = data unavailable. "
                "'xxx' = country did not exist or was not independent."
            ]
        )
        ws.append([])
        ws.append([])
        ws.append(["Country", "Notes", *YEARS])
        regions = {
            "United States of America": "Americas",
            "Germany": "Europe",
            "Japan": "Asia & Oceania",
        }
        for country, values in data.items():
            if country in regions:
                ws.append([regions[country]])
                ws.append(["North America" if country.startswith("United") else None])
            row = [country, "‡" if country == "Japan" else None]
            row += ["..." if v is None else v for v in values]
            ws.append(row)
            r = ws.max_row
            for j in range(len(YEARS)):
                c = ws.cell(row=r, column=3 + j)
                if fmt and isinstance(c.value, float):
                    c.number_format = fmt
                if blue and blue[0] == country and blue[1] == YEARS[j]:
                    c.font = Font(color=BLUE)
        ws.append([])
        ws.append(["‡ Japan: figures exclude military pensions."])
        return ws

    ws = sheet("Current US$", CURRENT, blue=("Korea, South", 2024))
    if bad_cell:
        ws.cell(
            row=8, column=4
        ).value = bad_cell  # the USA row (title rows, header, two region rows)
    sheet(
        f"Constant ({constant_year}) US$",
        {k: [v * 0.9 if isinstance(v, float) else v for v in vs] for k, vs in CURRENT.items()},
    )
    sheet("Share of GDP", SHARE, fmt="0.0%")
    sheet("Per capita", {"Germany": [540.0, 490.0, 800.0, 1050.0]})
    wb.create_sheet("Regional totals").append(["Region", "2024"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("sipri") / "SIPRI-Milex-data-1949-2024.xlsx")


def test_sheet_names():
    assert classify_sheet("Constant (2023) US$").price_basis == "constant_2023"
    assert classify_sheet("Constant (2019) USD").price_basis == "constant_2019"
    assert classify_sheet("Current US$").measure == "defence_expenditure"
    assert classify_sheet("Share of GDP").unit == "pct_gdp"
    assert classify_sheet("Share of Govt. spending").measure == "share_govt_spending"
    assert classify_sheet("Local currency calendar years").unit == "ncu_mn"
    assert classify_sheet("Front page") is None and classify_sheet("Regional totals") is None


def test_reads_every_cell(workbook):
    res = read_workbook(workbook)
    t = res.table
    assert set(res.sheets) == {"Current US$", "Constant (2023) US$", "Share of GDP", "Per capita"}
    assert set(res.skipped) == {"Front page", "Regional totals"}
    # Every country row × year of each sheet is one row: nothing dropped.
    assert t.height == 6 * 4 * 3 + 1 * 4
    cur = t.filter(pl.col("sheet") == "Current US$")
    usa = cur.filter((pl.col("actor_id") == "USA") & (pl.col("year") == 2024)).row(0, named=True)
    assert usa["value"] == 997_000.0 and usa["unit"] == "usd_mn" and usa["price_basis"] == "current"
    assert usa["region"] == "North America"
    prk = cur.filter(pl.col("country") == "Korea, North")
    assert prk["value"].null_count() == 4 and set(prk["marker"]) == {"not_available"}
    assert prk["actor_id"][0] == "PRK"
    ussr = cur.filter(pl.col("country") == "USSR")
    assert set(ussr["marker"]) == {"not_a_state"} and ussr["actor_id"][0] is None
    assert "USSR" in res.unmapped
    jpn = cur.filter(pl.col("actor_id") == "JPN")
    assert set(jpn["notes"]) == {"‡"}


def test_share_of_gdp_becomes_percent(workbook):
    t = read_workbook(workbook).table.filter(pl.col("sheet") == "Share of GDP")
    v = t.filter((pl.col("actor_id") == "DEU") & (pl.col("year") == 2024))["value"][0]
    assert v == pytest.approx(1.90)
    assert set(t["measure"]) == {"burden"}


def test_blue_figures_are_estimates(workbook):
    t = read_workbook(workbook).table
    est = t.filter(pl.col("estimate"))
    assert est.select("actor_id", "year", "sheet").rows() == [("KOR", 2024, "Current US$")]


def test_edition_from_last_year_or_given(workbook):
    assert read_workbook(workbook).edition == "SIPRI 2025-04"
    assert read_workbook(workbook, edition="SIPRI 2025-04b").edition == "SIPRI 2025-04b"


def test_to_spending_format(workbook):
    res = read_workbook(workbook)
    sp = to_spending(res.table, res.edition)
    assert set(sp["measure"]) == {"defence_expenditure", "burden"}
    assert set(sp["price_basis"].drop_nulls()) == {"current", "constant_2023"}
    assert sp["actor_id"].null_count() == 0 and sp["value"].null_count() == 0
    from alliancekit.burden import burden_table

    bt = burden_table(2024, "IP4", spending=sp)
    kor = bt.table.filter(pl.col("actor_id") == "KOR").row(0, named=True)
    assert kor["burden_pct"] == pytest.approx(2.6) and kor["estimate"] is True
    assert kor["gdp_derived"] and kor["gdp_usd_mn"] == pytest.approx(47_600 / 0.026)
    assert bt.missing == ["AUS", "NZL"]


def test_bad_cell_names_sheet_row_and_year(tmp_path):
    p = build_workbook(tmp_path / "bad.xlsx", bad_cell="n.a.")
    with pytest.raises(DataValidationError) as exc:
        read_workbook(p)
    (issue,) = exc.value.issues
    assert "Current US$" in issue.file and issue.row == 8 and issue.column == "2015"
    assert issue.rule == "not_a_number" and issue.value == "n.a."


def test_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("country,2024\n")
    with pytest.raises(DataValidationError, match="not an Excel"):
        read_workbook(p)
    with pytest.raises(DataValidationError, match="not found"):
        read_workbook(tmp_path / "none.xlsx")


def test_workbook_without_measure_sheets(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(DataValidationError, match="no sheet of SIPRI"):
        read_workbook(tmp_path / "x.xlsx")


def test_sheet_without_header(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Current US$"
    wb.active.append(["Nation", 2024])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(DataValidationError) as exc:
        read_workbook(tmp_path / "x.xlsx")
    assert exc.value.issues[0].rule == "no_header"


def test_import_into_catalog_and_use_it(workbook, tmp_path):
    from alliancekit.burden import get_spending
    from alliancekit.catalog import MissingImportError
    from alliancekit.importers.sipri import import_sipri

    home = tmp_path / "home"
    with pytest.raises(MissingImportError):
        get_spending("sipri", home=home)
    res = import_sipri(workbook, home)
    sp = get_spending("sipri", home=home)
    assert sp.height == to_spending(res.table, res.edition).height
    assert set(sp["edition"]) == {"SIPRI 2025-04"}
