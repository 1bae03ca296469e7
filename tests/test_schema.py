"""Partial dates and row validation: good rows pass, every broken rule is named."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit.schema import PartialDate, validate_row

GOOD_TIE = {
    "tie_id": "t-1",
    "kind": "acsa",
    "actor_a": "JPN",
    "actor_b": "AUS",
    "name": "ACSA",
    "signed": "2017-01-14",
    "in_force": "2017-09",
    "ended": "",
    "strength": "3",
    "source_url": "https://www.mofa.go.jp/",
    "source_publisher": "MOFA",
    "source_accessed": "2026-11-26",
    "source_kind": "official",
    "verified_on": "2026-11-26",
    "note": "",
}


def rules(table, row):
    return {(i.column, i.rule) for i in validate_row(table, row, "f.csv", 7).issues}


class TestPartialDate:
    def test_precisions_and_start(self):
        assert PartialDate.parse("2014").precision == "year"
        assert PartialDate.parse("2014-05").start == dt.date(2014, 5, 1)
        assert PartialDate.parse("2014-05-06").precision == "day"
        assert str(PartialDate.parse("2025-01")) == "2025-01"

    @pytest.mark.parametrize(
        "bad", ["14", "2014-13", "2014-02-30", "2014/05/06", "2014-5-6", "x", ""]
    )
    def test_bad_dates(self, bad):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)

    def test_coarser_precision_compares_equal(self):
        y, d = PartialDate.parse("2014"), PartialDate.parse("2014-05-06")
        assert y.compare(d) == 0 and d.compare(y) == 0
        assert PartialDate.parse("2014-04").compare(d) == -1
        assert PartialDate.parse("2015").compare(d) == 1

    @given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
    def test_round_trip_and_truncations_never_contradict(self, day):
        full = PartialDate.parse(day.isoformat())
        assert full.start == day
        for text in (day.isoformat()[:4], day.isoformat()[:7]):
            part = PartialDate.parse(text)
            assert part.compare(full) == 0
            assert part.start <= day


class TestRows:
    def test_good_tie(self):
        res = validate_row("ties", GOOD_TIE, "f.csv", 1)
        assert res.issues == [] and res.record.strength == 3

    def test_each_rule_is_named_with_column(self):
        assert ("kind", "unknown_kind") in rules("ties", {**GOOD_TIE, "kind": "friendship"})
        assert ("in_force", "date_order") in rules("ties", {**GOOD_TIE, "signed": "2018-01-01"})
        assert ("ended", "date_order") in rules("ties", {**GOOD_TIE, "ended": "2016"})
        assert ("signed", "bad_date") in rules("ties", {**GOOD_TIE, "signed": "2017-02-30"})
        assert ("source_url", "missing_source") in rules("ties", {**GOOD_TIE, "source_url": ""})
        assert ("source_publisher", "missing_source") in rules(
            "ties", {**GOOD_TIE, "source_publisher": " "}
        )
        assert ("source_accessed", "missing_source") in rules(
            "ties", {**GOOD_TIE, "source_accessed": ""}
        )
        assert ("strength", "invalid_value") in rules("ties", {**GOOD_TIE, "strength": "9"})
        assert ("strength", "not_an_integer") in rules("ties", {**GOOD_TIE, "strength": "strong"})
        assert ("actor_b", "invalid_value") in rules("ties", {**GOOD_TIE, "actor_b": "JPN"})

    def test_coarser_precision_is_not_a_date_order_error(self):
        assert rules("ties", {**GOOD_TIE, "signed": "2017", "in_force": "2017-01-01"}) == set()
        assert rules("ties", {**GOOD_TIE, "in_force": "2017-09", "ended": "2017"}) == set()

    def test_issue_names_file_row_column(self):
        issue = validate_row("ties", {**GOOD_TIE, "kind": "x"}, "ties/extra.csv", 12).issues[0]
        text = str(issue)
        assert "ties/extra.csv" in text and "row 12" in text and "'kind'" in text

    def test_actor_rules(self):
        good = {
            "actor_id": "JPN",
            "name": "Japan",
            "kind": "state",
            "iso3": "JPN",
            "cow_code": "740",
            "gw_code": "740",
            "theatre": "indo_pacific",
            "source_url": "https://x.org",
            "source_publisher": "COW",
            "source_accessed": "2026-11-26",
            "source_kind": "scholarly",
            "verified_on": "2026-11-26",
            "note": "",
        }
        assert rules("actors", good) == set()
        assert ("theatre", "unknown_value") in rules("actors", {**good, "theatre": "pacific"})
        assert ("cow_code", "not_an_integer") in rules("actors", {**good, "cow_code": "seven"})
        assert ("iso3", "invalid_value") in rules("actors", {**good, "iso3": ""})
        org = {
            **good,
            "actor_id": "NATO",
            "kind": "organisation",
            "iso3": "",
            "cow_code": "",
            "gw_code": "",
        }
        assert rules("actors", org) == set()
        assert ("iso3", "invalid_value") in rules("actors", {**org, "cow_code": "2"})

    def test_event_actors_list(self):
        ev = {
            "event_id": "e",
            "date": "2014-03-18",
            "kind": "crisis",
            "actors": "RUS;UKR",
            "title": "Crimea",
            "source_url": "https://x.org",
            "source_publisher": "p",
            "source_accessed": "2026-11-26",
            "source_kind": "scholarly",
            "verified_on": "2026-11-26",
            "note": "",
        }
        res = validate_row("events", ev, "e.csv", 1)
        assert res.record.actors == ("RUS", "UKR")
        assert ("actors", "invalid_value") in rules("events", {**ev, "actors": "RUS;;UKR"})


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.dictionaries(st.sampled_from(sorted(GOOD_TIE)), _text, min_size=1))
def test_malformed_rows_never_crash_and_always_name_a_column(changes):
    """Whatever garbage a row holds, validation returns a record or issues, never an exception."""
    row = {**GOOD_TIE, **changes}
    res = validate_row("ties", row, "f.csv", 3)
    assert (res.record is None) == any(i.is_error for i in res.issues)
    for issue in res.issues:
        assert issue.file == "f.csv" and issue.row == 3
        assert issue.column in GOOD_TIE and issue.rule


class TestProvenance:
    def test_source_kind_and_verified_on(self):
        assert ("source_kind", "unknown_value") in rules(
            "ties", {**GOOD_TIE, "source_kind": "blog"}
        )
        assert ("source_kind", "missing_source") in rules("ties", {**GOOD_TIE, "source_kind": ""})
        future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
        assert ("verified_on", "future_date") in rules("ties", {**GOOD_TIE, "verified_on": future})
        assert ("verified_on", "bad_date") in rules("ties", {**GOOD_TIE, "verified_on": "2026-11"})

    def test_missing_verification_and_weak_source_are_warnings(self):
        row = {**GOOD_TIE, "verified_on": "", "source_url": "https://en.wikipedia.org/wiki/X"}
        res = validate_row("ties", row, "f.csv", 7)
        assert res.record is not None
        assert {(i.column, i.rule, i.severity) for i in res.issues} == {
            ("verified_on", "missing_verification", "warning"),
            ("source_url", "weak_source", "warning"),
        }

    def test_weak_source_hosts(self):
        from alliancekit.schema import weak_source

        assert weak_source("https://www.kcnawatch.org/newstream/1") == "state propaganda outlet"
        assert weak_source("https://ja.scribd.com/doc/1") == "document-sharing site"
        assert weak_source("https://baike.baidu.com/item/x") == "encyclopedia"
        assert weak_source("https://www.mofa.go.jp/") is None
        assert weak_source("https://art.com/") is None  # rt.com matches whole labels only
        assert weak_source("not a url") is None

    def test_spending_uses_the_same_rules(self):
        from alliancekit.schema import validate_provenance

        got = validate_provenance(
            {"source_kind": "gossip", "verified_on": "", "source_url": "https://menafn.com/x"},
            "s.csv",
            4,
        )
        assert {(i.column, i.rule, i.severity) for i in got} == {
            ("source_kind", "unknown_value", "error"),
            ("verified_on", "missing_verification", "warning"),
            ("source_url", "weak_source", "warning"),
        }
