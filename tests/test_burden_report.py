"""The burden sections of the HTML report: charts and tables from the spending figures."""

from __future__ import annotations

from pathlib import Path

import pytest

import alliancekit.burden.data as burden_data
from alliancekit.report import SECTION_MODULES
from alliancekit.report import burden as report_burden
from tests.test_burden_data import write_spending


@pytest.fixture
def spending_file(tmp_path) -> Path:
    return write_spending(tmp_path / "spending.csv")


def test_registered_before_sources():
    assert SECTION_MODULES.index("alliancekit.report.burden") < SECTION_MODULES.index(
        "alliancekit.report.sources"
    )


def test_sections_on_synthetic_figures(monkeypatch, spending_file, dataset):
    monkeypatch.setattr(burden_data, "SPENDING_FILE", spending_file)
    secs = report_burden.sections(dataset)
    ids = [s.id for s in secs]
    assert ids == ["burden", "burden-us-share", "burden-exploitation", "burden-equilibrium"]
    body = {s.id: s.body for s in secs}
    assert body["burden"].count('class="chart-spec"') == 1 and "3.5% core" in body["burden"]
    assert "not measurable" in body["burden"]
    assert (
        'class="chart-spec"' in body["burden-us-share"]
        and 'class="chart-spec"' in body["burden-exploitation"]
    )
    assert (
        "Who fills the gap" in body["burden-equilibrium"]
        and 'class="chart-spec"' in body["burden-equilibrium"]
    )
    assert "Spearman" in body["burden-exploitation"]


def test_section_without_figures(monkeypatch, tmp_path, dataset):
    monkeypatch.setattr(burden_data, "SPENDING_FILE", tmp_path / "none.csv")
    (sec,) = report_burden.sections(dataset)
    assert "No defence spending figures" in sec.body


def test_sections_on_curated_figures(dataset):
    assert burden_data.SPENDING_FILE.is_file()
    secs = report_burden.sections(dataset)
    assert secs[0].id == "burden" and 'class="chart-spec"' in secs[0].body
