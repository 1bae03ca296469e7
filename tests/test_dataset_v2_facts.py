"""A dozen of dataset v2's new facts, each with the date its source gives (and the source's
publisher), so that an edit that moves one of them fails here as well as in review."""

from __future__ import annotations

import pytest

from alliancekit.data import load

# tie_id: (signed, in_force, ended, publisher contains)
FACTS = {
    "usa-aus-dtct": ("2007-09-05", "2013-05-16", None, "Legislation"),
    "usa-nzl-wellington-declaration": ("2010-11-04", None, None, "State"),
    "usa-kor-washington-declaration": ("2023-04-26", None, None, "President"),
    "usa-sgp-sfa-2005": ("2005-07-12", None, None, "White House"),
    "usa-tha-manila-pact": ("1954-09-08", "1955-02-19", None, ""),
    "aukus-ennpia-aus-usa": ("2021-11-22", "2022-02-08", None, "Parliament"),
    "aus-idn-lombok": ("2006-11-13", "2008-02-07", None, ""),
    "aus-tuv-falepili": ("2023-11-09", "2024-08-28", None, "Parliament"),
    "aus-slb-2017-bst": ("2017-08-14", "2018-06-13", None, "Foreign Affairs"),
    "gigo-member-JPN": ("2023-12-14", None, None, "Foreign Affairs"),
    "rus-chn-1950-treaty": ("1950-02-14", "1950-04-11", "1980-04-11", "State"),
    "rus-chn-2001-treaty": ("2001-07-16", None, None, "Foreign Affairs"),
    "blr-rus-2024-security-guarantees": ("2024-12-06", "2025-03-13", None, "Foreign Affairs"),
}


@pytest.fixture(scope="module")
def ties():
    return load().ties


def _text(v):
    return None if v is None else str(v)


@pytest.mark.parametrize("tie_id", list(FACTS))
def test_new_fact_keeps_its_sourced_dates(ties, tie_id):
    signed, in_force, ended, publisher = FACTS[tie_id]
    row = ties.filter(ties["tie_id"] == tie_id).row(0, named=True)
    assert (_text(row["signed"]), _text(row["in_force"]), _text(row["ended"])) == (
        signed,
        in_force,
        ended,
    )
    assert publisher.lower() in row["source_publisher"].lower()
    assert row["source_kind"] in ("official", "intergovernmental")
    assert row["verified_on"] is not None
