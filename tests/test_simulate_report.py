"""``alliancekit report --sweep``: the sweep section, each part with its reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancekit.data import load
from alliancekit.report.sweep import sections
from alliancekit.simulate import load_spec, run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sweep") / "burden.parquet"
    run(load_spec(EXAMPLES / "burden-sweep.toml"), path, draws=2000, backend="inprocess")
    return path


def test_the_sweep_section_has_charts_probabilities_ranking_and_boxes(table):
    (sec,) = sections(table, samples=64, data=load())
    assert sec.id == "sweep" and sec.title.startswith("Scenario sweep: NATO burden sharing")
    body = sec.body
    assert body.count('class="chart-spec"') == 2  # the distributions and the sensitivity ranking
    assert "Threshold probabilities" in body and "P(meets_3_5pct &gt;= 10)" in body
    assert "Across the draws, " in body and "The likeliest of these outcomes is" in body
    assert "decides most of" in body
    assert "Scenario discovery: when is alliance_burden &gt;= 3.5?" in body


def test_report_command_takes_a_sweep(tmp_path, table, monkeypatch):
    import alliancekit.report.sweep as sweep_module
    from alliancekit.cli import main

    monkeypatch.setattr(sweep_module, "SENSITIVITY_SAMPLES", 64)
    out = tmp_path / "r.html"
    with pytest.raises(SystemExit) as exc:
        main(["report", "-o", str(out), "--sweep", str(table)])
    assert exc.value.code in (0, None)
    html = out.read_text(encoding="utf-8")
    assert 'id="sweep"' in html and html.index('id="sweep"') < html.index('id="sources"')
