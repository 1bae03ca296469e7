"""``alliancekit simulate …``: run, summary, sensitivity, discover; the examples run; bad specs
exit 1 with the key path and the rule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from alliancekit.cli import main
from alliancekit.simulate.sensitivity import ISHIGAMI, ishigami, sobol_indices

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


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


@pytest.fixture(scope="module")
def burden_table(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sweep") / "burden.parquet"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "simulate",
                "run",
                str(EXAMPLES / "burden-sweep.toml"),
                "--draws",
                "3000",
                "--workers",
                "1",
                "-o",
                str(path),
                "--quiet",
            ]
        )
    assert exc.value.code == 0
    return path


def test_the_examples_run_and_summarise(capsys, tmp_path, burden_table):
    code, out, err = cli(
        capsys,
        "simulate",
        "run",
        str(EXAMPLES / "us-retrenchment-sweep.toml"),
        "--draws",
        "400",
        "--workers",
        "1",
        "-o",
        str(tmp_path / "r.parquet"),
    )
    assert code == 0, err
    assert "wrote 400 draws" in out and "P(filled_share < 0.5)" in out
    t = pq.read_table(tmp_path / "r.parquet")
    assert t.num_rows == 400 and {"hub_dependence", "gap_fill_cost", "us_cut"} <= set(
        t.column_names
    )
    code, out, _ = cli(capsys, "simulate", "summary", str(burden_table), "--format", "json")
    s = json.loads(out)
    assert s["draws"] == 3000 and s["seed"] == 20250624
    rows = {r["column"]: r for r in s["columns"]}
    assert rows["us_cut"]["role"] == "parameter" and 0 <= rows["us_cut"]["mean"] <= 50
    assert rows["total"]["mcse_mean"] == pytest.approx(rows["total"]["sd"] / np.sqrt(3000))
    p = {t["threshold"]: t for t in s["thresholds"]}["P(meets_3_5pct >= 10)"]
    assert p["mcse"] == pytest.approx(np.sqrt(p["p"] * (1 - p["p"]) / 3000))
    code, out, _ = cli(capsys, "simulate", "summary", str(burden_table), "--format", "csv")
    assert code == 0 and out.startswith("column,role,n,mean")


def test_workers_give_the_same_table(capsys, tmp_path):
    paths = []
    for w in ("1", "2"):
        p = tmp_path / f"w{w}.parquet"
        code, _, err = cli(
            capsys,
            "simulate",
            "run",
            str(EXAMPLES / "burden-sweep.toml"),
            "--draws",
            "20000",
            "--workers",
            w,
            "-o",
            str(p),
            "--quiet",
        )
        assert code == 0, err
        paths.append(p)
    a, b = (pq.read_table(p) for p in paths)
    for c in a.column_names:
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy(), equal_nan=True), c


@pytest.mark.parametrize(
    "text, message",
    [
        ("year = 2025\ndraws = 0\nseed = 1\n", "draws: must be >= 1"),
        ("year = 2025\ndraws = 5\nseed = 1\ncolour = 'red'\n", "colour: unknown key"),
        (
            "year = 2025\ndraws = 5\nseed = 1\nalliance = ['DEU', 'XXX']\n",
            "alliance[1]: unknown actor 'XXX'",
        ),
        (
            "year = 2025\ndraws = 5\nseed = 1\n[parameters.c]\nkind = 'hub_cut'\ndist = 'uniform'\nlow = 0\nhigh = 120\n",
            "parameters.c.high: must be <= 100",
        ),
    ],
)
def test_bad_specs_exit_1(capsys, tmp_path, text, message):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "simulate", "run", str(p), "-o", str(tmp_path / "x.parquet"))
    assert code == 1 and message in err, err
    assert not (tmp_path / "x.parquet").exists()


def test_summary_of_a_file_that_is_not_a_sweep(capsys, tmp_path):
    (tmp_path / "x.parquet").write_text("hello", encoding="utf-8")
    code, _, err = cli(capsys, "simulate", "summary", str(tmp_path / "x.parquet"))
    assert code == 1 and "not a Parquet file" in err


def test_sobol_recovers_ishigami():
    rows = sobol_indices(["x1", "x2", "x3"], lambda u: {"y": ishigami(u)}, samples=2048, seed=3)
    for i, r in enumerate(rows):
        assert r["S1"] == pytest.approx(ISHIGAMI["S1"][i], abs=0.05)
        assert r["ST"] == pytest.approx(ISHIGAMI["ST"][i], abs=0.05)
        assert r["ST_conf"] > 0


def test_sensitivity_of_a_one_parameter_spec(capsys, tmp_path):
    p = tmp_path / "one.toml"
    p.write_text(
        "year = 2025\ndraws = 10\nseed = 4\n[outputs]\nmeasures = ['total', 'meets_2pct']\n"
        "[parameters.cut]\nkind = 'hub_cut'\ndist = 'uniform'\nlow = 0\nhigh = 40\n"
        "[parameters.theta]\nkind = 'private_share'\ndist = 'fixed'\nvalue = 0\n",
        encoding="utf-8",
    )
    code, out, err = cli(
        capsys, "simulate", "sensitivity", str(p), "--samples", "128", "--format", "json"
    )
    assert code == 0, err
    res = json.loads(out)
    total = [r for r in res["rows"] if r["output"] == "total"]
    assert [r["parameter"] for r in total] == ["cut"]
    assert total[0]["S1"] == pytest.approx(1, abs=0.05) and total[0]["ST"] == pytest.approx(
        1, abs=0.05
    )
    assert res["evaluations"] == 128 * 3


def test_discover_finds_the_box(capsys, burden_table):
    code, out, err = cli(
        capsys,
        "simulate",
        "discover",
        str(burden_table),
        "--where",
        "filled_share < 0.94",
        "--format",
        "json",
    )
    assert code == 0, err
    res = json.loads(out)
    assert res["cases"] > 0 and res["boxes"]
    b = res["boxes"][0]
    assert 0 < b["coverage"] <= 1 and 0 < b["density"] <= 1 and b["restricted"]
    code, out, _ = cli(
        capsys, "simulate", "discover", str(burden_table), "--where", "filled_share < 0.94"
    )
    assert code == 0 and "box 1:" in out and "coverage" in out
    code, _, err = cli(capsys, "simulate", "discover", str(burden_table), "--where", "nope >")
    assert code == 1 and "--where" in err
