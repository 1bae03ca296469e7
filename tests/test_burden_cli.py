"""``alliancekit burden …`` and ``alliancekit data import sipri``: output, formats, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alliancekit.cli import main
from tests.test_burden_data import write_spending


@pytest.fixture
def spending_file(tmp_path) -> Path:
    return write_spending(tmp_path / "spending.csv")


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_table_json_csv_and_table(capsys, spending_file):
    code, out, err = cli(
        capsys,
        "burden",
        "table",
        "--year",
        "2024",
        "--spending",
        str(spending_file),
        "--format",
        "json",
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["totals"]["members"] == 32 and payload["totals"]["with_figures"] == 14
    usa = next(r for r in payload["allies"] if r["actor_id"] == "USA")
    assert usa["burden_pct"] == pytest.approx(3.4) and usa["meets_5pct"] == "not measurable"
    code, out, _ = cli(
        capsys,
        "burden",
        "table",
        "--year",
        "2024",
        "--spending",
        str(spending_file),
        "--format",
        "csv",
        "--alliance",
        "IP4",
    )
    assert code == 0 and out.splitlines()[0].startswith("actor_id,name,year")
    assert len(out.splitlines()) == 5
    code, out, _ = cli(
        capsys, "burden", "table", "--year", "2024", "--spending", str(spending_file)
    )
    assert code == 0 and "Burden sharing, NATO 2024" in out and "no figures for" in out


def test_exploitation_year_span_and_input(capsys, spending_file, tmp_path):
    code, out, _ = cli(
        capsys,
        "burden",
        "exploitation",
        "--year",
        "2024",
        "--spending",
        str(spending_file),
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["test"]["n"] == 14
    code, out, _ = cli(
        capsys,
        "burden",
        "exploitation",
        "--from",
        "2023",
        "--to",
        "2025",
        "--spending",
        str(spending_file),
        "--format",
        "csv",
    )
    assert code == 0 and len(out.splitlines()) == 4
    p = tmp_path / "oz.csv"
    p.write_text(
        "actor,gdp,burden\nUSA,100,9\nGBR,20,6\nFRA,18,6.5\nDEU,15,4\nITA,8,3\nBEL,3,3.1\n"
    )
    code, out, _ = cli(capsys, "burden", "exploitation", "--input", str(p))
    assert code == 0 and "spearman_rho" in out and "supports" in out
    code, _, err = cli(capsys, "burden", "exploitation", "--input", str(p), "--year", "2024")
    assert code == 1 and "exactly one" in err


def test_equilibrium_json(capsys, spending_file):
    code, out, err = cli(
        capsys,
        "burden",
        "equilibrium",
        "--year",
        "2025",
        "--spending",
        str(spending_file),
        "--us-cut",
        "25",
        "--format",
        "json",
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["summary"]["scenario"] == "USA cuts its spending by 25%"
    assert 0 < d["summary"]["fill_ratio"] < 1
    usa = next(r for r in d["allies"] if r["actor_id"] == "USA")
    assert usa["spending_after"] == pytest.approx(0.75 * usa["spending_before"])
    code, out, _ = cli(
        capsys,
        "burden",
        "equilibrium",
        "--year",
        "2025",
        "--spending",
        str(spending_file),
        "--us-cap",
        "2.0",
        "--pledge",
        "DEU=3.5",
        "--private-share",
        "0.3",
    )
    assert code == 0 and "capped" in out and "pledge" in out
    code, _, err = cli(
        capsys,
        "burden",
        "equilibrium",
        "--year",
        "2025",
        "--spending",
        str(spending_file),
        "--pledge",
        "DEU:3.5",
    )
    assert code == 1 and "--pledge" in err


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "alliancekit", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_bad_user_table_exits_1_naming_file_row_column(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("actor,gdp,spending\nUSA,100,3\nGBR,20,-1\nATLANTIS,5,0.1\n")
    r = _run("burden", "exploitation", "--input", str(p))
    assert r.returncode == 1
    assert "bad.csv, row 2, column 'spending'" in r.stderr and "negative" in r.stderr
    assert "row 3, column 'actor'" in r.stderr and "unknown_actor" in r.stderr


def test_bad_spending_file_and_unknown_source(capsys, tmp_path):
    from tests.test_burden_data import fig_row

    p = write_spending(tmp_path / "s.csv", [fig_row(value="abc")])
    code, _, err = cli(capsys, "burden", "table", "--year", "2024", "--spending", str(p))
    assert code == 1 and "s.csv, row 1, column 'value'" in err
    code, _, err = cli(capsys, "burden", "table", "--year", "2024", "--source", "imf")
    assert code == 1 and "source" in err


def test_data_import_sipri_and_source_sipri(capsys, tmp_path):
    from tests.test_sipri import build_workbook

    wb = build_workbook(tmp_path / "SIPRI-Milex-data-1949-2024.xlsx")
    home = tmp_path / "home"
    code, out, err = cli(capsys, "data", "import", "sipri", str(wb), "--home", str(home))
    assert code == 0, err
    assert "SIPRI 2025-04" in out and "USSR" in out
    code, out, err = cli(
        capsys,
        "burden",
        "table",
        "--year",
        "2024",
        "--alliance",
        "IP4",
        "--source",
        "sipri",
        "--home",
        str(home),
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["totals"]["with_figures"] == 2
    code, _, err = cli(
        capsys,
        "burden",
        "table",
        "--year",
        "2024",
        "--source",
        "sipri",
        "--home",
        str(tmp_path / "empty"),
    )
    assert code == 1 and "data import sipri" in err
