"""Shared fixtures. Reference-data tests read ALLIANCEKIT_TEST_DATA (set by .ci/run): unset,
they skip and say why; set but a file missing, they fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REFDATA_ENV = "ALLIANCEKIT_TEST_DATA"


@pytest.fixture(scope="session")
def refdata_dir() -> Path:
    value = os.environ.get(REFDATA_ENV)
    if not value:
        pytest.skip(
            f"{REFDATA_ENV} is not set: the reference peace-science tables are not available"
        )
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"{REFDATA_ENV}={value} is not a directory")
    return path


@pytest.fixture(scope="session")
def refdata(refdata_dir: Path):
    """Path of one reference table: refdata('atop_alliance.csv.gz'); fails when it is missing."""

    def get(name: str) -> Path:
        p = refdata_dir / name
        if not p.is_file():
            pytest.fail(f"{REFDATA_ENV} is set but {p} is missing")
        return p

    return get


@pytest.fixture(scope="session")
def dataset():
    import alliancekit

    return alliancekit.load()
