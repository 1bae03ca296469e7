"""The shipped dataset loads, validates and meets the coverage floor; extension files are held
to the same rules and every problem names its file, row and column."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import alliancekit
from alliancekit.data import DATA_DIR, in_force_during, in_force_on, load, validate
from alliancekit.schema import TIE_COLUMNS, TIE_KINDS, DataValidationError

NATO_MEMBERS = set(
    "ALB BEL BGR CAN HRV CZE DNK EST FIN FRA DEU GRC HUN ISL ITA LVA LTU LUX MNE NLD MKD NOR "
    "POL PRT ROU SVK SVN ESP SWE TUR GBR USA".split()
)


def write_csv(path: Path, columns, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns))
        w.writeheader()
        w.writerows(rows)
    return path


def tie(**kw):
    base = {c: "" for c in TIE_COLUMNS}
    base.update(
        tie_id="user-1",
        kind="acsa",
        actor_a="JPN",
        actor_b="DEU",
        name="ACSA",
        signed="2024-01-29",
        in_force="2024-07",
        strength="3",
        source_url="https://www.mofa.go.jp/",
        source_publisher="MOFA Japan",
        source_accessed="2026-11-26",
        source_kind="official",
        verified_on="2026-11-26",
    )
    base.update(kw)
    return base


def test_shipped_data_is_valid():
    # Warnings (weak sources awaiting replacement) do not make the data invalid.
    assert [i for i in validate() if i.is_error] == []


def test_coverage_floor(dataset):
    assert dataset.ties.height >= 150
    assert dataset.events.height >= 40
    nato = dataset.ties.filter((pl.col("kind") == "member") & (pl.col("actor_b") == "NATO"))
    assert set(nato["actor_a"]) == NATO_MEMBERS
    assert nato["in_force"].null_count() == 0
    ip4 = {"AUS", "JPN", "NZL", "KOR"}
    assert ip4 <= set(dataset.actors["actor_id"])


def test_every_row_cites_a_source(dataset):
    for name in ("actors", "ties", "events"):
        df = dataset.table(name)
        for col in ("source_url", "source_publisher", "source_accessed"):
            assert df[col].null_count() == 0, (name, col)
        assert df["source_url"].str.starts_with("http").all(), name
        assert (df["source_accessed"] <= dt.date.today()).all(), name


def test_every_tie_kind_is_known_and_used(dataset):
    assert set(dataset.ties["kind"]) <= set(TIE_KINDS)


def test_states_carry_codes_that_match_countrycode(dataset):
    from alliancekit.codes import convert

    states = dataset.actors.filter(pl.col("kind") == "state")
    assert states["cow_code"].null_count() == 0
    # G-W's list of independent states leaves out microstates; their rows say so.
    no_gw = states.filter(pl.col("gw_code").is_null())
    assert set(no_gw["actor_id"]) <= {"TUV", "NRU", "TON"}
    assert all("Gleditsch-Ward list" in n for n in no_gw["note"])
    assert convert(states["iso3"].to_list(), "iso3c", "cown") == states["cow_code"].to_list()
    gw = states.filter(pl.col("gw_code").is_not_null())
    assert convert(gw["iso3"].to_list(), "iso3c", "gwn") == gw["gw_code"].to_list()


def test_in_force_rules(dataset):
    ties = dataset.ties
    fin = ties.filter(pl.col("tie_id") == "nato-member-FIN")
    assert in_force_on(fin, "2023-04-03").height == 0
    assert in_force_on(fin, "2023-04-04").height == 1
    uk_eu = ties.filter((pl.col("actor_a") == "GBR") & (pl.col("actor_b") == "EU"))
    assert in_force_on(uk_eu, "2020-01-31").height == 1
    assert in_force_on(uk_eu, "2020-02-01").height == 0
    assert in_force_during(uk_eu, 2020).height == 1
    assert in_force_during(uk_eu, 2021).height == 0


def test_partial_dates_count_from_first_day():
    df = pl.DataFrame(
        {"start": [dt.date(2014, 1, 1)], "end": [None]}, schema={"start": pl.Date, "end": pl.Date}
    )
    assert in_force_on(df, "2014-01-01").height == 1
    assert in_force_on(df, "2013-12-31").height == 0


def test_load_returns_polars_and_cite_lists_sources(dataset):
    assert isinstance(dataset.ties, pl.DataFrame)
    src = alliancekit.cite(actor="JPN")
    assert src.height >= 5
    assert {"source_publisher", "source_url", "source_accessed", "tables", "rows"} <= set(
        src.columns
    )
    assert src["rows"].sum() >= alliancekit.cite("ties", actor="JPN")["rows"].sum()
    assert "version" in alliancekit.citation()


class TestExtensionFiles:
    def test_good_extra_merges(self, tmp_path):
        p = write_csv(tmp_path / "mine.csv", TIE_COLUMNS, [tie()])
        base = load()
        merged = load([p])
        assert merged.ties.height == base.ties.height + 1
        assert "user-1" in merged.ties["tie_id"].to_list()
        assert [i for i in validate([p]) if i.file.endswith("mine.csv")] == []

    @pytest.mark.parametrize(
        "change, column, rule",
        [
            ({"actor_b": "ATLANTIS"}, "actor_b", "unknown_actor"),
            ({"kind": "alliance-ish"}, "kind", "unknown_kind"),
            ({"signed": "2025-01-01"}, "in_force", "date_order"),
            ({"ended": "2023"}, "ended", "date_order"),
            ({"tie_id": "nato-member-FIN"}, "tie_id", "duplicate_id"),
            ({"source_url": ""}, "source_url", "missing_source"),
            ({"in_force": "2024-13"}, "in_force", "bad_date"),
            ({"kind": "member", "actor_b": "DEU"}, "actor_b", "member_of_state"),
        ],
    )
    def test_bad_extra_is_named(self, tmp_path, change, column, rule):
        p = write_csv(tmp_path / "bad.csv", TIE_COLUMNS, [tie(tie_id="ok-row"), tie(**change)])
        with pytest.raises(DataValidationError) as exc:
            load([p])
        issues = [i for i in exc.value.issues if i.rule == rule]
        assert issues, exc.value.issues
        assert (
            issues[0].file.endswith("bad.csv") and issues[0].row == 2 and issues[0].column == column
        )

    def test_missing_column(self, tmp_path):
        cols = [c for c in TIE_COLUMNS if c != "strength"]
        p = write_csv(tmp_path / "x.csv", cols, [{k: v for k, v in tie().items() if k in cols}])
        with pytest.raises(DataValidationError) as exc:
            load([p])
        assert [(i.column, i.rule) for i in exc.value.issues] == [("strength", "missing_column")]

    def test_empty_and_unknown_and_binary_files(self, tmp_path):
        empty = tmp_path / "empty.csv"
        empty.write_text("")
        with pytest.raises(DataValidationError, match="empty.csv"):
            load([empty])
        other = tmp_path / "other.csv"
        other.write_text("a,b\n1,2\n")
        with pytest.raises(DataValidationError, match="unknown_table"):
            load([other])
        binary = tmp_path / "bin.csv"
        binary.write_bytes(b"tie_id,kind\n\xff\xfe\x00\n")
        with pytest.raises(DataValidationError, match="encoding"):
            load([binary])
        with pytest.raises(DataValidationError, match="missing_file"):
            load([tmp_path / "nope.csv"])

    def test_ragged_row(self, tmp_path):
        p = tmp_path / "ragged.csv"
        p.write_text(",".join(TIE_COLUMNS) + "\n" + "a,b\n")
        with pytest.raises(DataValidationError) as exc:
            load([p])
        assert exc.value.issues[0].rule == "field_count" and exc.value.issues[0].row == 1

    def test_rows_after_a_ragged_row_keep_their_numbers(self, tmp_path):
        p = write_csv(tmp_path / "x.csv", TIE_COLUMNS, [tie(tie_id="r1"), tie(tie_id="r2")])
        lines = p.read_text().splitlines()
        bad = tie(tie_id="r3", actor_a="NOWHERE")
        lines.insert(2, "a,b")  # data row 2 is ragged; the unknown actor is on data row 4
        lines.append(",".join(bad[c] for c in TIE_COLUMNS))
        p.write_text("\n".join(lines) + "\n")
        with pytest.raises(DataValidationError) as exc:
            load([p])
        found = sorted((i.row, i.rule) for i in exc.value.issues)
        assert found[0] == (2, "field_count")
        assert [row for row, rule in found if rule != "field_count"] == [4]

    def test_errors_are_all_reported_not_just_the_first(self, tmp_path):
        rows = [tie(tie_id=f"r{i}", actor_a="NOWHERE") for i in range(5)]
        p = write_csv(tmp_path / "many.csv", TIE_COLUMNS, rows)
        with pytest.raises(DataValidationError) as exc:
            load([p])
        assert [i.row for i in exc.value.issues] == [1, 2, 3, 4, 5]


def test_data_folder_has_codebook_and_licence():
    readme = (DATA_DIR / "README.md").read_text()
    for kind in TIE_KINDS:
        assert f"`{kind}`" in readme, kind
    assert (DATA_DIR.parent.parent.parent / "LICENSE-DATA").is_file()
