"""The command-line tool end to end: output, files and exit codes (in this process through
:func:`tests.cli.run`; one smoke test per command group in a real subprocess)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from alliancekit.schema import TIE_COLUMNS
from tests.cli import run, run_subprocess
from tests.test_data import tie, write_csv  # noqa: F401  (shared row builders)


def test_validate_ok():
    # the smoke test of 'alliancekit data' in a real process (the others run in this one)
    r = run_subprocess("data", "validate")
    assert r.returncode == 0, r.stderr
    assert "valid" in r.stdout and "ties" in r.stdout


def test_validate_bad_extra_exits_1_naming_file_row_column(tmp_path):
    p = write_csv(tmp_path / "bad.csv", TIE_COLUMNS, [tie(actor_b="ATLANTIS")])
    r = run("data", "validate", "--extra", str(p))
    assert r.returncode == 1
    assert "bad.csv" in r.stderr and "row 1" in r.stderr and "actor_b" in r.stderr
    assert "unknown_actor" in r.stderr


def test_show_filters_and_formats():
    r = run("data", "show", "ties", "--actor", "FIN", "--kind", "member", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {row["actor_b"] for row in rows} >= {"NATO"}
    assert all("FIN" in (row["actor_a"], row["actor_b"]) for row in rows)
    r = run("data", "show", "events", "--year", "2022", "--format", "csv")
    assert r.returncode == 0 and r.stdout.startswith("event_id,")
    assert all(line.split(",")[1].startswith("2022") for line in r.stdout.splitlines()[1:])


@pytest.mark.parametrize(
    "args, needle",
    [
        (("data", "show", "ties", "--actor", "XYZ"), "unknown actor 'XYZ'"),
        (("data", "show", "ties", "--kind", "nope"), "parameter '--kind'"),  # the flag
        (("data", "show", "things"), "unknown table 'things'"),
        (("data", "show", "ties", "--format", "xml"), "--format"),
        (("timeline", "--actor", "JPN", "--with", "ZZZ"), "parameter 'with'"),
        (("data", "export", "ties", "--format", "xlsx", "-o", "x.xlsx"), "unknown format"),
    ],
)
def test_bad_parameters_exit_1_with_a_named_parameter(args, needle, tmp_path):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_carries_version(tmp_path, fmt, dataset):
    out = tmp_path / f"ties.{fmt}"
    r = run("data", "export", "ties", "--format", fmt, "-o", str(out))
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        payload = json.loads(out.read_text())
        assert payload["dataset"]["version"] == dataset.info.version
        assert len(payload["rows"]) == dataset.ties.height
    else:
        df = pl.read_csv(out) if fmt == "csv" else pl.read_parquet(out)
        assert df.height == dataset.ties.height
        assert df["dataset_version"].unique().to_list() == [dataset.info.version]
        assert df["dataset_as_of"].unique().to_list() == [dataset.info.as_of]


def test_timeline_japan_nato_tells_the_story_with_sources():
    r = run("timeline", "--actor", "JPN", "--with", "NATO", "--format", "csv")
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(r.stdout.encode(), infer_schema_length=0)
    assert df["date"].to_list() == sorted(df["date"].to_list())
    assert df["source_url"].null_count() == 0
    dates = set(df["date"])
    # Information security agreement 2010, IPCP 2014, ITPP 2023, own mission 2025 (MOFA, NATO).
    for d in ("2010-06-25", "2014-05-06", "2023-07-12"):
        assert d in dates, d
    assert any(d.startswith("2025-01") for d in dates)
    # On one day the story reads event, signature, entry into force.
    same_day = df.filter(pl.col("date") == "2010-06-25")["what"].to_list()
    assert same_day == ["event", "signed", "in force"]
    r = run("timeline", "--actor", "JPN", "--with", "NATO")
    assert r.returncode == 0 and "signed (information security agreement)" in r.stdout


def test_cite_and_codes():
    r = run_subprocess("cite", "--actor", "KOR", "--format", "csv")  # a real process
    assert r.returncode == 0 and "source_url" in r.stdout.splitlines()[0]
    r = run_subprocess("codes", "convert", "JPN", "DEU", "VNM", "--from", "iso3c", "--to", "gwn")
    assert r.returncode == 0 and "740" in r.stdout and "260" in r.stdout and "816" in r.stdout
    r = run("codes", "convert", "XXX", "--from", "iso3c", "--to", "cown")
    assert r.returncode == 1 and "XXX" in r.stderr


def test_codes_table(tmp_path):
    src = tmp_path / "mine.csv"
    src.write_text("country,value\nJPN,1\nKOR,2\nUSA,3\n")
    out = tmp_path / "out.csv"
    r = run("codes", "table", str(src), "--column", "country", "--from", "iso3c", "-o", str(out))
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(out)
    assert df.height == 3 and df["cown"].to_list() == [740, 732, 2]
    bad = tmp_path / "bad.csv"
    bad.write_text("country\nJPN\nXXX\n")
    r = run("codes", "table", str(bad), "--column", "country", "--from", "iso3c", "-o", str(out))
    assert r.returncode == 1 and "bad.csv, row 2, column 'country'" in r.stderr
