"""Spending figures: validation by file, row, column and rule; one edition per series.

Also holds the synthetic spending file the other burden tests use (figures invented)."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from alliancekit.burden.data import (
    SPENDING_COLUMNS,
    check_series,
    edition_key,
    load_spending,
    pick_editions,
    read_spending,
)
from alliancekit.schema import DataValidationError

SRC = ("https://example.org/fig", "Test publisher", "2026-11-26")

# actor -> (GDP US$ bn, current, 2024; burden % of GDP, 2024). Invented, for tests only.
ALLIES = {
    "USA": (29000.0, 3.4),
    "DEU": (4700.0, 2.1),
    "GBR": (3600.0, 2.3),
    "FRA": (3100.0, 2.1),
    "ITA": (2300.0, 1.5),
    "CAN": (2200.0, 1.4),
    "POL": (900.0, 4.1),
    "NLD": (1200.0, 2.0),
    "ESP": (1700.0, 1.3),
    "NOR": (480.0, 2.2),
    "EST": (42.0, 3.4),
    "LUX": (90.0, 1.2),
    "SWE": (600.0, 2.1),
    "FIN": (300.0, 2.4),
}
IP4_FIGS = {"JPN": (4000.0, 1.4), "KOR": (1700.0, 2.6), "AUS": (1750.0, 2.0), "NZL": (250.0, 1.2)}


def fig_row(**kw) -> dict:
    base = {
        "actor_id": "USA",
        "year": 2024,
        "measure": "burden",
        "value": 3.4,
        "unit": "pct_gdp",
        "price_basis": "",
        "estimate": 0,
        "edition": "NATO 2025-08",
        "source_url": SRC[0],
        "source_publisher": SRC[1],
        "source_accessed": SRC[2],
        "source_kind": "intergovernmental",
        "verified_on": SRC[2],
        "note": "",
    }
    base.update(kw)
    return base


def rows_for(
    year: int,
    scale: float = 1.0,
    edition: str = "NATO 2025-08",
    allies=None,
    real_growth: float = 0.0,
) -> list[dict]:
    """Spending (current and constant 2021 US$ mn), burden, GDP (US$ bn) and population."""
    out = []
    for aid, (gdp_bn, burden) in (allies or ALLIES).items():
        if year < 2024 and aid == "SWE":
            continue  # Sweden joined NATO in 2024
        g = gdp_bn * scale
        b = burden * (1.0 if year >= 2024 else 0.8)
        spend_mn = g * 1000 * b / 100
        common = {
            "actor_id": aid,
            "year": year,
            "estimate": 1 if year == 2025 else 0,
            "edition": edition,
        }
        out.append(
            fig_row(
                **common,
                measure="defence_expenditure",
                value=round(spend_mn, 3),
                unit="usd_mn",
                price_basis="current",
            )
        )
        out.append(
            fig_row(
                **common,
                measure="defence_expenditure",
                value=round(1000 * (1 + real_growth) ** (year - 2023), 6),
                unit="usd_mn",
                price_basis="constant_2021",
            )
        )
        out.append(
            fig_row(**common, measure="burden", value=round(b, 3), unit="pct_gdp", price_basis="")
        )
        if aid != "LUX":  # Luxembourg's GDP is derived from spending and burden
            out.append(
                fig_row(**common, measure="gdp", value=g, unit="usd_bn", price_basis="current")
            )
        out.append(
            fig_row(**common, measure="population", value=10.0, unit="mn_people", price_basis="")
        )
    return out


def default_rows() -> list[dict]:
    return (
        rows_for(2023, 0.95, real_growth=0.05)
        + rows_for(2024, real_growth=0.05)
        + rows_for(2025, 1.03, real_growth=0.05)
        + rows_for(2024, edition="SIPRI 2025-04", allies=IP4_FIGS)
        + rows_for(2025, 1.02, edition="SIPRI 2025-04", allies=IP4_FIGS)
    )


def write_spending(path: Path, rows: list[dict] | None = None, columns=SPENDING_COLUMNS) -> Path:
    rows = default_rows() if rows is None else rows
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


@pytest.fixture
def spending_file(tmp_path) -> Path:
    return write_spending(tmp_path / "spending.csv")


@pytest.fixture
def spending(spending_file) -> pl.DataFrame:
    return read_spending(spending_file)


# ---------------------------------------------------------------------------------------------


def test_reads_valid_file(spending):
    assert spending.height == len(default_rows())
    assert set(spending["measure"].unique()) == {
        "defence_expenditure",
        "burden",
        "gdp",
        "population",
    }
    assert spending.schema["estimate"] == pl.Boolean
    assert spending.filter(pl.col("measure") == "burden")["price_basis"].null_count() > 0


def _issues(tmp_path, rows, columns=SPENDING_COLUMNS):
    p = write_spending(tmp_path / "bad.csv", rows, columns)
    with pytest.raises(DataValidationError) as exc:
        read_spending(p)
    return exc.value.issues


@pytest.mark.parametrize(
    ("change", "column", "rule"),
    [
        ({"actor_id": "ATLANTIS"}, "actor_id", "unknown_actor"),
        ({"year": "20x4"}, "year", "not_an_integer"),
        ({"measure": "milex"}, "measure", "unknown_value"),
        ({"unit": "eur_mn"}, "unit", "unknown_value"),
        ({"unit": "usd_mn", "price_basis": "current"}, "unit", "unit_mismatch"),
        ({"value": "lots"}, "value", "not_a_number"),
        ({"value": ""}, "value", "required"),
        (
            {
                "measure": "defence_expenditure",
                "unit": "usd_mn",
                "value": -5,
                "price_basis": "current",
            },
            "value",
            "negative",
        ),
        ({"value": 140}, "value", "out_of_range"),
        (
            {"measure": "defence_expenditure", "unit": "usd_mn", "value": 5, "price_basis": ""},
            "price_basis",
            "required",
        ),
        ({"price_basis": "constant_2021"}, "price_basis", "invalid_value"),
        (
            {"measure": "gdp", "unit": "usd_mn", "price_basis": "real"},
            "price_basis",
            "invalid_value",
        ),
        ({"estimate": "e"}, "estimate", "invalid_value"),
        ({"edition": "latest"}, "edition", "invalid_value"),
        ({"source_url": ""}, "source_url", "missing_source"),
        ({"source_url": "nato.int"}, "source_url", "bad_url"),  # the rule of every table
        ({"source_accessed": "2025"}, "source_accessed", "bad_date"),
    ],
)
def test_bad_rows_name_file_row_column_rule(tmp_path, change, column, rule):
    issues = _issues(tmp_path, [fig_row(), fig_row(**{"actor_id": "DEU", "value": 2.1, **change})])
    assert [(i.row, i.column, i.rule) for i in issues] == [(2, column, rule)]
    assert issues[0].file.endswith("bad.csv")
    assert "bad.csv, row 2" in str(issues[0])


def test_negative_real_change_allowed(tmp_path):
    p = write_spending(
        tmp_path / "ok.csv", [fig_row(measure="real_change", unit="pct", value=-3.2)]
    )
    assert read_spending(p)["value"][0] == -3.2


def test_duplicate_figure(tmp_path):
    issues = _issues(tmp_path, [fig_row(), fig_row(value=3.5)])
    assert [(i.row, i.rule) for i in issues] == [(2, "duplicate")]
    assert "row 1" in issues[0].message


def test_same_figure_in_two_editions_is_fine(tmp_path):
    p = write_spending(
        tmp_path / "ok.csv", [fig_row(), fig_row(edition="NATO 2024-06", value=3.38)]
    )
    assert read_spending(p).height == 2


def test_file_level_problems(tmp_path):
    cols = [c for c in SPENDING_COLUMNS if c != "unit"] + ["colour"]
    issues = _issues(tmp_path, [fig_row()], cols)
    assert {(i.row, i.column, i.rule) for i in issues} == {
        (0, "unit", "missing_column"),
        (0, "colour", "unknown_column"),
    }
    with pytest.raises(DataValidationError, match="file not found"):
        read_spending(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataValidationError, match="empty"):
        read_spending(tmp_path / "empty.csv")


def test_every_issue_reported_together(tmp_path):
    issues = _issues(tmp_path, [fig_row(actor_id="XXX"), fig_row(value="n/a"), fig_row(estimate=2)])
    assert [i.row for i in issues] == [1, 2, 3]


def test_note_column_optional(tmp_path):
    cols = [c for c in SPENDING_COLUMNS if c != "note"]
    p = write_spending(tmp_path / "ok.csv", [fig_row()], cols)
    assert read_spending(p)["note"][0] is None


def test_curated_file_missing_gives_empty_table(monkeypatch, tmp_path):
    import alliancekit.burden.data as D

    monkeypatch.setattr(D, "SPENDING_FILE", tmp_path / "none.csv")
    assert load_spending().is_empty()


def test_curated_spending_file_is_valid():
    """The shipped figures pass validation and keep one edition per series."""
    import alliancekit.burden.data as D

    assert D.SPENDING_FILE.is_file(), "src/alliancekit/data/spending.csv ships with the package"
    df = load_spending()
    assert df.height > 0
    check_series(pick_editions(df))


# ---------------------------------------------------------------------------------------------
# Editions and price bases


def test_edition_key_orders_by_date():
    eds = ["SIPRI 2025-04", "NATO 2024-06", "NATO 2025-08"]
    assert max(eds, key=edition_key) == "NATO 2025-08"
    assert sorted(eds, key=edition_key)[0] == "NATO 2024-06"


def _two_editions() -> pl.DataFrame:
    rows = [
        fig_row(year=2014, value=3.7, edition="NATO 2024-06"),
        fig_row(year=2024, value=3.38, edition="NATO 2024-06"),
        fig_row(year=2024, value=3.4, edition="NATO 2025-08"),
        fig_row(year=2025, value=3.2, edition="NATO 2025-08"),
    ]
    return pl.DataFrame(rows).with_columns(
        pl.col("year").cast(pl.Int32),
        pl.col("price_basis").replace("", None),
        pl.lit(1).alias("row"),
    )


def test_pick_editions_never_mixes():
    df = _two_editions()
    with pytest.raises(DataValidationError) as exc:
        check_series(df)
    assert exc.value.issues[0].rule == "mixed_editions"
    # A single year: the latest edition that has it.
    one = pick_editions(df, [2024])
    assert one["edition"].to_list() == ["NATO 2025-08"] and one["value"].to_list() == [3.4]
    # A span: the edition covering most of it (ties to the latest); the other's years stay missing.
    span = pick_editions(df, [2014, 2024])
    assert set(span["edition"]) == {"NATO 2024-06"} and sorted(span["year"]) == [2014, 2024]
    span = pick_editions(df, [2014, 2024, 2025])
    assert set(span["edition"]) == {"NATO 2025-08"} and sorted(span["year"]) == [2024, 2025]
    check_series(span)
    assert pick_editions(df, None, "NATO 2024-06").height == 2


def test_mixed_price_bases_flagged():
    df = pl.DataFrame(
        [
            fig_row(
                measure="defence_expenditure", unit="usd_mn", price_basis="constant_2015", value=1.0
            ),
            fig_row(
                measure="defence_expenditure",
                unit="usd_mn",
                price_basis="constant_2021",
                value=1.1,
                year=2025,
            ),
        ]
    ).with_columns(pl.col("year").cast(pl.Int32), pl.lit(1).alias("row"))
    with pytest.raises(DataValidationError) as exc:
        check_series(df)
    assert {i.rule for i in exc.value.issues} == {"mixed_price_basis"}


def test_billions_become_millions(spending):
    gdp = pick_editions(spending.filter(pl.col("measure") == "gdp"), [2024])
    assert set(gdp["unit"]) == {"usd_mn"}
    assert gdp.filter(pl.col("actor_id") == "USA")["value"][0] == pytest.approx(29_000_000)
