"""Extension files are held to the curated rules: no dates outside the data's span or in the
future, no second actor with a state's codes, no actor listed twice in an event."""

from __future__ import annotations

import csv

import pytest

from alliancekit.data import TABLE_COLUMNS, validate

SRC = {
    "source_url": "https://www.mofa.go.jp/x.html",
    "source_publisher": "MOFA",
    "source_accessed": "2026-11-26",
    "source_kind": "official",
    "verified_on": "2026-11-26",
}


def _file(tmp_path, table, **row):
    cols = TABLE_COLUMNS[table]
    p = tmp_path / f"{table}.csv"
    with p.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerow({c: (SRC | row).get(c, "") for c in cols})
    return p


def _tie(tmp_path, **kw):
    base = dict(tie_id="x-1", kind="acsa", actor_a="JPN", actor_b="AUS", name="X", strength="3")
    return _file(tmp_path, "ties", **(base | kw))


def rules(issues):
    return {(i.column, i.rule) for i in issues if i.is_error}


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("signed", "0099", "bad_date"),
        ("in_force", "2999-05-01", "future_date"),
        ("source_accessed", "2999-01-01", "future_date"),
    ],
)
def test_dates_outside_the_span_or_in_the_future(tmp_path, column, value, rule):
    kw = {column: value} if column != "in_force" else {"signed": "2020", column: value}
    issues = validate([_tie(tmp_path, **({"signed": "2020"} | kw))])
    assert (column, rule) in rules(issues)


def test_new_actor_reusing_japans_codes(tmp_path):
    p = _file(
        tmp_path,
        "actors",
        actor_id="XJP",
        name="Not Japan",
        kind="state",
        iso3="JPN",
        cow_code="740",
        gw_code="740",
        theatre="indo_pacific",
    )
    got = rules(validate([p]))
    assert {("iso3", "duplicate_code"), ("cow_code", "duplicate_code")} <= got


def test_event_listing_an_actor_twice(tmp_path):
    p = _file(
        tmp_path,
        "events",
        event_id="e-1",
        date="2020-01-01",
        kind="summit",
        actors="JPN;JPN",
        title="t",
    )
    assert ("actors", "invalid_value") in rules(validate([p]))


def test_load_takes_one_path_as_one_file(tmp_path):
    from alliancekit.data import load
    from alliancekit.schema import ParameterError

    p = _tie(tmp_path, signed="2020-01-01")
    assert load(extra=str(p)).ties.height == load(extra=[p]).ties.height == load().ties.height + 1
    with pytest.raises(ParameterError, match="parameter 'extra'"):
        load(extra=5)
