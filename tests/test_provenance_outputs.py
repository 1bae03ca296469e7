"""Every output written by the CLI says where it came from, not only panels (issue 10, item 3):
network measures and series, graphs (GraphML graph attribute, node-link JSON member, sidecar
for GEXF and CSV), burden tables, series and the exploitation test, and data exports; and
`cite --for FILE` reads each of them back."""

from __future__ import annotations

import json

import polars as pl
import pytest

from alliancekit import provenance
from alliancekit.schema import ParameterError
from tests.cli import run

EXT = (
    "tie_id,kind,actor_a,actor_b,name,signed,in_force,ended,strength,source_url,"
    "source_publisher,source_accessed,source_kind,verified_on,note\n"
    "kor-phl-test,reciprocal_access_agreement,KOR,PHL,A hypothetical RAA,2024-01-01,"
    "2024-01-01,,4,https://example.org/raa,Example,2025-01-01,official,2025-01-01,\n"
)


def _ok(r):
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_network_measures_to_parquet_carry_options_and_extension_file(tmp_path):
    ext = tmp_path / "my_ties.csv"
    ext.write_text(EXT)
    out = tmp_path / "m.parquet"
    r = _ok(
        run(
            "network",
            "measures",
            "--year",
            "2025",
            "--level",
            "actor",
            "--extra",
            str(ext),
            "-o",
            str(out),
        )
    )
    assert "provenance: the file's metadata" in r.stdout
    df = pl.read_parquet(out)
    printed = pl.read_csv(
        _ok(
            run(
                "network",
                "measures",
                "--year",
                "2025",
                "--level",
                "actor",
                "--extra",
                str(ext),
                "--format",
                "csv",
            )
        ).stdout.encode()
    )
    assert df.height == printed.height and df.columns == printed.columns
    rec = provenance.read(out)
    assert rec["output"] == "network actor measures"
    opts = rec["steps"][0]["options"]
    assert opts["year"] == 2025 and opts["level"] == "actor" and opts["hub"] == "USA"
    (ext_in,) = rec["inputs"]
    assert ext_in["file"] == "my_ties.csv" and ext_in["rows"] == 1
    assert len(ext_in["sha256"]) == 64
    assert rec["dataset"]["version"] and "alliancekit_data" in rec["references"]
    bib = _ok(run("cite", "--for", str(out))).stdout
    assert "@Misc{alliancekit_data" in bib


def test_network_series_csv_gets_a_sidecar(tmp_path):
    out = tmp_path / "s.csv"
    r = _ok(run("network", "series", "--from", "2000", "--to", "2002", "-o", str(out)))
    assert "s.csv.json beside it" in r.stdout
    assert pl.read_csv(out)["year"].to_list() == [2000, 2001, 2002]
    rec = json.loads((tmp_path / "s.csv.json").read_text())
    assert rec["output"] == "network series"
    assert rec["steps"][0]["options"]["from"] == 2000
    assert provenance.read(out) == rec


def test_format_and_output_together_is_an_error(tmp_path):
    out = tmp_path / "m.parquet"
    r = run("network", "measures", "--year", "2025", "--format", "json", "-o", str(out))
    assert r.returncode == 1 and "--format" in r.stderr and not out.exists()
    r = run("network", "measures", "--year", "2025", "-o", str(tmp_path / "m.xlsx"))
    assert r.returncode == 1 and "--output" in r.stderr and "m.xlsx" in r.stderr


@pytest.mark.parametrize("suffix", ["graphml", "json", "gexf", "csv"])
def test_graph_exports_carry_their_record(tmp_path, suffix):
    out = tmp_path / f"g.{suffix}"
    _ok(run("network", "export", "--year", "2010", "--format", suffix, "-o", str(out)))
    rec = provenance.read(out)
    assert rec["output"] == "network graph"
    assert rec["steps"][0]["options"]["year"] == 2010
    if suffix == "graphml":
        # the record is a graph attribute: other GraphML readers see it too
        import networkx as nx

        assert json.loads(nx.read_graphml(out).graph[provenance.GRAPHML_KEY]) == rec
    elif suffix == "json":
        payload = json.loads(out.read_text())
        assert payload["provenance"] == rec and payload["nodes"]
    else:
        assert (tmp_path / f"g.{suffix}.json").is_file()
    assert "@Manual{alliancekit" in _ok(run("cite", "--for", str(out))).stdout


def test_graphml_without_a_record_and_a_broken_one(tmp_path):
    import networkx as nx

    plain = tmp_path / "plain.graphml"
    nx.write_graphml(nx.path_graph(3), plain)
    with pytest.raises(ParameterError, match="carries no alliancekit provenance record"):
        provenance.read(plain)
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><graph>")
    with pytest.raises(ParameterError, match="not a GraphML file") as exc:
        provenance.read(bad)
    assert exc.value.parameter == "path"
    r = run("cite", "--for", str(bad))
    assert r.returncode == 1 and "--for" in r.stderr


def test_burden_table_records_the_editions_it_used(tmp_path):
    out = tmp_path / "b.parquet"
    _ok(run("burden", "table", "--year", "2025", "-o", str(out)))
    df = pl.read_parquet(out)
    printed = pl.read_csv(
        _ok(run("burden", "table", "--year", "2025", "--format", "csv")).stdout.encode()
    )
    assert df.shape == printed.shape
    rec = provenance.read(out)
    assert rec["output"] == "burden table"
    editions = sorted(set(df["edition"].drop_nulls()))
    assert [s["edition"] for s in rec["sources"]] == editions
    for s in rec["sources"]:
        assert s["url"].startswith("https://") and s["publisher"] and s["accessed"]
    assert rec["steps"][0]["options"]["totals"]["members"] == 32


def test_burden_series_and_exploitation_from_a_users_file(tmp_path):
    out = tmp_path / "series.dta"
    _ok(run("burden", "series", "--from", "2014", "--to", "2016", "-o", str(out)))
    rec = provenance.read(out)
    assert rec["output"] == "burden series" and rec["sources"]
    table = tmp_path / "allies.csv"
    table.write_text(
        "actor,gdp,burden\nUSA,100,3.5\nGBR,20,2.0\nFRA,18,1.9\nDEU,25,1.3\nITA,12,1.5\n"
    )
    res = tmp_path / "ex.csv"
    _ok(run("burden", "exploitation", "--input", str(table), "-o", str(res)))
    rec = provenance.read(res)
    assert rec["inputs"][0]["file"] == "allies.csv" and rec["inputs"][0]["rows"] == 5
    assert "alliancekit_data" not in rec["references"]  # the user's figures, not ours
    assert pl.read_csv(res)["n"].to_list() == [5]


def test_data_export_carries_its_record(tmp_path):
    for fmt in ("parquet", "json", "csv"):
        out = tmp_path / f"spending.{fmt}"
        _ok(run("data", "export", "spending", "--format", fmt, "-o", str(out)))
        rec = provenance.read(out)
        assert rec["output"] == "data export spending"
        if fmt == "parquet":  # the dataset's own keys are kept beside the record
            meta = pl.read_parquet_metadata(out)
            assert meta["alliancekit_dataset_version"] == rec["dataset"]["version"]
        assert {s["edition"] for s in rec["sources"]} >= {"NATO 2025-08"}


def test_output_record_rejects_unknown_references():
    with pytest.raises(ParameterError) as exc:
        provenance.output_record("x", options={}, references=["nope"])
    assert exc.value.parameter == "references"


def test_file_input_counts_rows_without_a_final_newline(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n3,4")
    rec = provenance.file_input(p, "extension")
    assert rec["rows"] == 2 and rec["file"] == "t.csv"
