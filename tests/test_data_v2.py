"""Dataset v2 (issue 14): the codebook documents every kind and actor, the review trail
(``data validate --strict``) and ``data coverage``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest

from alliancekit.data import DATA_DIR, validate
from alliancekit.data.coverage import (
    agreement_shares,
    best_covered,
    coverage,
    coverage_by_actor,
    coverage_by_kind,
    coverage_by_year,
    source_kind_shares,
)
from alliancekit.schema import DEFAULT_STRENGTH, TIE_COLUMNS, TIE_KINDS, ParameterError
from tests.cli import run

# ---------------------------------------------------------------------------------------------
# The codebook


def codebook_table(heading: str) -> list[list[str]]:
    """The rows (cells, stripped) of the first Markdown table after ``heading`` in the README."""
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    start = text.index(heading + "\n")
    rows: list[list[str]] = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif rows:
            break
    return rows[1:]  # the header row is not data


def _code(cell: str) -> str:
    m = re.fullmatch(r"`([^`]+)`", cell)
    assert m, f"expected a `code` cell, got {cell!r}"
    return m.group(1)


def test_codebook_documents_every_tie_kind_with_its_default_strength(dataset):
    rows = {_code(r[0]): r[2] for r in codebook_table("### Kinds")}
    assert set(TIE_KINDS) == set(rows), "codebook kinds and schema.TIE_KINDS differ"
    assert set(dataset.ties["kind"]) <= set(rows)
    for kind, default in DEFAULT_STRENGTH.items():
        if default is not None:
            assert rows[kind] == str(default), kind
    assert rows["defence_cooperation_agreement"] == "3"
    assert rows["framework_treaty"] == "4"


def test_codebook_lists_every_actor(dataset):
    rows = {_code(r[0]): r for r in codebook_table("### Actors in the data")}
    ids = set(dataset.actors["actor_id"])
    assert ids - set(rows) == set(), "actors missing from the codebook"
    assert set(rows) - ids == set(), "codebook lists actors that are not in actors.csv"
    for rec in dataset.actors.iter_rows(named=True):
        assert rows[rec["actor_id"]][2:4] == [rec["kind"], rec["theatre"]], rec["actor_id"]


def test_every_row_has_a_source_kind_and_a_verification_date(dataset):
    for name in ("actors", "ties", "events"):
        df = dataset.table(name)
        assert df["source_kind"].null_count() == 0, name
        assert df.filter(pl.col("verified_on") > dt.date.today()).is_empty(), name


# ---------------------------------------------------------------------------------------------
# The review trail


def _tie(**kw) -> dict:
    base = {c: "" for c in TIE_COLUMNS}
    base.update(
        tie_id="v2-test-1",
        kind="defence_cooperation_agreement",
        actor_a="AUS",
        actor_b="KOR",
        name="A hypothetical defence cooperation MOU",
        signed="2024-05-01",
        strength="3",
        source_url="https://www.dfat.gov.au/",
        source_publisher="DFAT",
        source_accessed="2026-11-26",
        source_kind="official",
        verified_on="2026-11-26",
    )
    base.update(kw)
    return base


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TIE_COLUMNS))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture()
def weak_file(tmp_path) -> Path:
    return _write(
        tmp_path / "weak_ties.csv",
        [
            _tie(source_url="https://en.wikipedia.org/wiki/Some_treaty"),
            _tie(tie_id="v2-test-2", kind="framework_treaty", strength="4", verified_on=""),
            _tie(tie_id="v2-test-3"),
        ],
    )


def test_weak_source_and_missing_verification_warn_then_fail_strict(weak_file):
    mine = [i for i in validate([weak_file]) if i.file == str(weak_file)]
    assert {(i.row, i.column, i.rule, i.severity) for i in mine} == {
        (1, "source_url", "weak_source", "warning"),
        (2, "verified_on", "missing_verification", "warning"),
    }
    strict = [i for i in validate([weak_file], strict=True) if i.file == str(weak_file)]
    assert {(i.row, i.rule) for i in strict} == {(1, "weak_source"), (2, "missing_verification")}
    assert all(i.is_error for i in strict)


def test_cli_strict_names_file_row_column_and_rule(weak_file):
    plain = run("data", "validate", "--extra", str(weak_file))
    shipped_errors = "error(s)" in plain.stdout
    assert shipped_errors or plain.returncode == 0, plain.stdout + plain.stderr
    assert f"{weak_file}, row 1, column 'source_url': [weak_source]" in plain.stderr
    strict = run("data", "validate", "--strict", "--extra", str(weak_file))
    assert strict.returncode == 1
    assert f"error: {weak_file}, row 1, column 'source_url': [weak_source]" in strict.stderr
    assert f"{weak_file}, row 2, column 'verified_on': [missing_verification]" in strict.stderr
    assert f"{weak_file}, row 3" not in strict.stderr


def test_future_verification_date_is_an_error(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    p = _write(tmp_path / "future.csv", [_tie(verified_on=future)])
    got = [(i.row, i.column, i.rule) for i in validate([p]) if i.file == str(p)]
    assert got == [(1, "verified_on", "future_date")]


# ---------------------------------------------------------------------------------------------
# Coverage

TIES = pl.DataFrame(
    {
        "tie_id": ["m1", "m2", "a1", "a2", "a3", "a4"],
        "kind": ["member", "member", "acsa", "acsa", "framework_treaty", "security_declaration"],
        "actor_a": ["USA", "GBR", "JPN", "JPN", "AUS", "KOR"],
        "actor_b": ["NATO", "NATO", "AUS", "GBR", "USA", "NATO"],
        "start": [dt.date(1949, 8, 24), dt.date(1949, 8, 24), dt.date(2017, 9, 1)]
        + [dt.date(2017, 8, 1), None, dt.date(2020, 1, 1)],
        "end": [None, None, None, dt.date(2019, 1, 1), None, None],
        "source_kind": ["intergovernmental"] * 2 + ["official"] * 3 + ["press"],
        "source_url": ["https://www.nato.int/"] * 2
        + ["https://www.mofa.go.jp/"] * 3
        + ["https://menafn.com/x"],
    }
)
ACTORS = pl.DataFrame(
    {
        "actor_id": ["USA", "GBR", "JPN", "AUS", "KOR", "NATO"],
        "name": ["United States", "United Kingdom", "Japan", "Australia", "Korea", "NATO"],
        "kind": ["state"] * 5 + ["organisation"],
    }
)


def test_agreement_shares_and_best_covered():
    s = agreement_shares(TIES, ACTORS)
    got = dict(zip(s["actor"], s["agreement_ties"], strict=True))
    assert got == {"JPN": 2, "AUS": 2, "GBR": 1, "KOR": 1, "USA": 1}
    assert s.filter(pl.col("actor") == "JPN")["share"][0] == pytest.approx(0.5)
    assert s.filter(pl.col("above_max"))["actor"].to_list() == ["AUS", "JPN"]
    assert best_covered(TIES, ACTORS, 2) == ["AUS", "JPN"]
    with pytest.raises(ParameterError, match="'n'"):
        best_covered(TIES, ACTORS, -1)


def test_coverage_tables():
    by_actor = coverage_by_actor(TIES, ACTORS)
    jpn = by_actor.filter(pl.col("actor") == "JPN").row(0, named=True)
    assert jpn["ties"] == 2 and jpn["acsa"] == 2 and jpn["member"] == 0
    assert by_actor.filter(pl.col("actor") == "NATO")["ties"][0] == 3
    by_kind = coverage_by_kind(TIES, ACTORS).filter(pl.col("kind") == "acsa").row(0, named=True)
    assert by_kind["top_state"] == "JPN" and by_kind["top_state_share"] == 1.0
    by_year = coverage_by_year(TIES, 2017, 2020)
    assert by_year["agreement_in_force"].to_list() == [2, 2, 1, 2]
    assert by_year["ties_started"].to_list() == [2, 0, 0, 1]
    src = source_kind_shares({"ties": TIES})
    row = src.filter((pl.col("table") == "all") & (pl.col("source_kind") == "press"))
    assert row["rows"][0] == 1 and row["weak_rows"][0] == 1
    assert src.filter(pl.col("table") == "ties")["share"].sum() == pytest.approx(1.0)


def test_coverage_names_its_parameter(dataset):
    with pytest.raises(ParameterError, match="'by'"):
        coverage(dataset, "theatre")


def test_cli_coverage_end_to_end():
    r = run("data", "coverage", "--by", "kind", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["by"] == "kind" and {"table", "balance", "sources"} <= set(out)
    kinds = {row["kind"]: row for row in out["table"]}
    assert "member" in kinds and kinds["member"]["ties"] > 0
    assert {row["table"] for row in out["sources"]} >= {"ties", "spending", "all"}
    assert all(0 <= row["share"] <= 1 for row in out["balance"])

    r = run("data", "coverage", "--by", "year", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == (
        "year,ties_started,agreement_ties_started,in_force,agreement_in_force"
    )

    r = run("data", "coverage")
    assert r.returncode == 0, r.stderr
    assert "Ties by actor" in r.stdout and "Rows by source_kind" in r.stdout
    assert "agreement (non-membership) ties per state" in r.stdout

    r = run("data", "coverage", "--by", "theatre")
    assert r.returncode == 1 and "'by'" in r.stderr


# ---------------------------------------------------------------------------------------------
# Sensitivity of the network measures to coverage


def test_variants_leave_out_what_they_say(dataset):
    from alliancekit.network.sensitivity import variants, without_agreements_of, without_bilateral

    states = set(dataset.actors.filter(pl.col("kind") == "state")["actor_id"])
    nb = without_bilateral(dataset).ties
    left = nb.filter(
        (pl.col("kind") != "member")
        & pl.col("actor_a").is_in(states)
        & pl.col("actor_b").is_in(states)
    )
    assert left.is_empty() and nb.filter(pl.col("kind") == "member").height == (
        dataset.ties.filter(pl.col("kind") == "member").height
    )
    best = best_covered(dataset.ties, dataset.actors, 3)
    names = [v for v, _, _ in variants(dataset, 3)]
    assert names == ["all", "no_bilateral", *(f"no_{a}" for a in best)]
    jpn = without_agreements_of(dataset, "JPN").ties
    party = (pl.col("actor_a") == "JPN") | (pl.col("actor_b") == "JPN")
    assert jpn.filter(party & (pl.col("kind") != "member")).is_empty()
    with pytest.raises(ParameterError, match="'actor'"):
        without_agreements_of(dataset, "ATLANTIS")


def test_sensitivity_table_and_range(dataset):
    from alliancekit.network.sensitivity import sensitivity, value_range

    def states(g):
        return float(g.n)

    t = sensitivity(dataset, 2025, {"states": states}, n_best=1)
    assert t["variant"].to_list()[:2] == ["all", "no_bilateral"] and t.height == 3
    lo, hi = value_range(t, "states")
    assert lo <= t.filter(pl.col("variant") == "all")["value"][0] <= hi
    with pytest.raises(ParameterError, match="'measure'"):
        value_range(t, "nope")
    with pytest.raises(ParameterError, match="'measures'"):
        sensitivity(dataset, 2025, {})
