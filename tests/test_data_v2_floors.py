"""Dataset v2 floors and balance rule on the shipped data (issue 14).

These fail until the curated v2 rows are merged into ``src/alliancekit/data/``: they are the
bar the merged data must clear, not a description of dataset v1.

Agreement (non-membership) ties are every tie but ``member`` (see
:mod:`alliancekit.data.coverage`).
"""

from __future__ import annotations

import polars as pl
import pytest

from alliancekit.data.coverage import MAX_AGREEMENT_SHARE, agreement_shares


@pytest.fixture(scope="module")
def shares(dataset) -> dict[str, tuple[int, float]]:
    s = agreement_shares(dataset.ties, dataset.actors)
    return {r["actor"]: (r["agreement_ties"], r["share"]) for r in s.iter_rows(named=True)}


def test_at_least_350_ties_and_100_events(dataset):
    assert dataset.ties.height >= 350
    assert dataset.events.height >= 100


def test_no_state_above_35_percent_of_the_agreement_ties(shares):
    assert MAX_AGREEMENT_SHARE == 0.35
    over = {a: round(s, 3) for a, (_, s) in shares.items() if s > MAX_AGREEMENT_SHARE}
    assert over == {}, f"states above {MAX_AGREEMENT_SHARE:.0%} of the agreement ties: {over}"


@pytest.mark.parametrize(("actor", "floor"), [("AUS", 30), ("KOR", 30), ("USA", 40)])
def test_party_to_enough_agreement_ties(dataset, shares, actor, floor):
    n = shares.get(actor, (0, 0.0))[0]
    direct = dataset.ties.filter(
        (pl.col("kind") != "member") & ((pl.col("actor_a") == actor) | (pl.col("actor_b") == actor))
    ).height
    assert n == direct
    assert n >= floor, f"{actor} is a party to {n} non-membership ties; the floor is {floor}"
