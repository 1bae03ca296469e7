"""``alliancekit network`` and ``alliancekit scenario`` end to end (in this process; one smoke
test of each group in a real subprocess)."""

from __future__ import annotations

import io
import json

import polars as pl

from tests.cli import run, run_subprocess


def test_measures_json_and_actor_csv():
    r = run_subprocess("network", "measures", "--year", "2025", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {d["measure"]: d["value"] for d in json.loads(r.stdout)}
    assert {"hub_pairs_through", "hub_spoke_indo_pacific", "cross_theatre"} <= rows.keys()
    r = run(
        "network",
        "measures",
        "--year",
        "2025",
        "--level",
        "actor",
        "--actors",
        "IP4,USA",
        "--format",
        "csv",
    )
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(io.StringIO(r.stdout))
    assert set(df["actor"]) <= {"USA", "JPN", "AUS", "KOR", "NZL"} and "betweenness" in df.columns


def test_series_csv():
    r = run(
        "network",
        "series",
        "--from",
        "2010",
        "--to",
        "2012",
        "--measures",
        "hub_spoke_indo_pacific,cross_theatre",
    )
    assert r.returncode == 0, r.stderr
    df = pl.read_csv(io.StringIO(r.stdout))
    assert df.columns == ["year", "hub_spoke_indo_pacific", "cross_theatre"] and df.height == 3


def test_export_graphml(tmp_path):
    out = tmp_path / "net.graphml"
    r = run("network", "export", "--year", "2025", "--format", "graphml", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text().startswith("<?xml") and "USA" in out.read_text()
    two = tmp_path / "two.json"
    r = run("network", "export", "--year", "2025", "--format", "json", "--two-mode", "-o", str(two))
    assert r.returncode == 0, r.stderr
    assert "NATO" in {n["id"] for n in json.loads(two.read_text())["nodes"]}


def test_scenario_remove_and_gap_fill_json():
    r = run_subprocess("scenario", "remove", "--actor", "USA", "--year", "2025", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["scenario"] == "remove USA"
    assert any(m["measure"] == "efficiency" and m["change"] < 0 for m in d["measures"])
    r = run(
        "scenario",
        "gap-fill",
        "--hub",
        "USA",
        "--theatre",
        "indo_pacific",
        "--year",
        "2010",
        "--k",
        "2",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["k"] == 2 and d["k_edge_connected_after"] and d["new_ties"]


def test_clear_errors_not_tracebacks(tmp_path):
    for args, words in (
        (["scenario", "remove", "--actor", "ATLANTIS", "--year", "2025"], "ATLANTIS"),
        (["network", "measures", "--year", "1800"], "outside the curated data"),
        (
            [
                "network",
                "measures",
                "--year",
                "2025",
                "--kinds",
                "exercise_participation",
                "--theatres",
                "other",
            ],
            "empty",
        ),
        (
            ["network", "measures", "--year", "1950", "--source", "atop", "--home", str(tmp_path)],
            "atop",
        ),
        (["scenario", "gap-fill", "--year", "2025", "--k", "5"], "k must be"),
    ):
        r = run(*args)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert words.lower() in r.stderr.lower() and "Traceback" not in r.stderr, (args, r.stderr)


def test_picture(tmp_path):
    out = tmp_path / "net.svg"
    r = run("network", "picture", "--year", "2025", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "<svg" in out.read_text()


def test_report_sections(dataset):
    from alliancekit.report.network import sections

    secs = sections(dataset)
    assert [s.id for s in secs] == ["network", "network-structure", "network-without-hub"]
    assert (
        secs[0].body.count('class="chart-spec"') == 1
        and secs[1].body.count('class="chart-spec"') == 3
    )
    assert "hub-and-spoke index rises" in secs[1].body or "hub-and-spoke index" in secs[1].body
    assert "Gap-filling" in secs[2].body


def test_extension_file_changes_the_graph(tmp_path):
    ext = tmp_path / "my_ties.csv"
    ext.write_text(
        "tie_id,kind,actor_a,actor_b,name,signed,in_force,ended,strength,source_url,"
        "source_publisher,source_accessed,source_kind,verified_on,note\n"
        "kor-phl-test,reciprocal_access_agreement,KOR,PHL,A hypothetical RAA,2024-01-01,"
        "2024-01-01,,4,https://example.org/raa,Example,2025-01-01,official,2025-01-01,\n"
    )
    base = run("network", "measures", "--year", "2025", "--format", "json")
    more = run("network", "measures", "--year", "2025", "--format", "json", "--extra", str(ext))
    assert base.returncode == 0 and more.returncode == 0, more.stderr
    b = {d["measure"]: d["value"] for d in json.loads(base.stdout)}
    m = {d["measure"]: d["value"] for d in json.loads(more.stdout)}
    assert m["hub_spoke_indo_pacific"] > b["hub_spoke_indo_pacific"]
