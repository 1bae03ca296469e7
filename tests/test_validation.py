"""One validation layer: every table's rows go through the records of
:mod:`alliancekit.schema.records`, so one rule gives one rule name and one message in every table,
and every "must be one of" parameter check goes through :func:`alliancekit.schema.choice`."""

from __future__ import annotations

import datetime as dt

import pytest

from alliancekit.burden.data import read_spending, spending_issues
from alliancekit.burden.exploitation import read_table
from alliancekit.schema import DataValidationError, FirstSeen, ParameterError, choice
from alliancekit.schema.records import RECORD_TYPES, validate_row

from .test_burden_data import fig_row, write_spending
from .test_schema import GOOD_TIE

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def test_choice_returns_the_value_or_names_the_parameter_and_the_choices():
    assert choice("csv", ("csv", "json"), "fmt") == "csv"
    with pytest.raises(ParameterError) as exc:
        choice("xls", ("csv", "json"), "fmt", "format")
    assert exc.value.parameter == "fmt"
    assert str(exc.value) == "parameter 'fmt': unknown format 'xls'; choose one of csv, json"
    with pytest.raises(ParameterError, match="choose one of 1, 2"):
        choice([1], (1, 2), "k")  # an unhashable value is refused, not a TypeError


def test_every_table_has_a_record():
    assert set(RECORD_TYPES) == {"actors", "ties", "events", "spending", "exploitation", "sipri"}


@pytest.mark.parametrize(
    ("column", "value", "rule", "message"),
    [
        ("source_url", "nato.int", "bad_url", "source_url must be an http(s) URL"),
        (
            "source_accessed",
            "2025",
            "bad_date",
            "source_accessed must be a full ISO date YYYY-MM-DD",
        ),
        ("source_accessed", FUTURE, "future_date", "source_accessed is in the future"),
        ("verified_on", FUTURE, "future_date", "verified_on is in the future"),
        ("source_publisher", "", "missing_source", "every row cites its source"),
        ("source_kind", "blog", "unknown_value", None),
    ],
)
def test_a_source_rule_reads_the_same_in_a_tie_and_a_spending_file(
    tmp_path, column, value, rule, message
):
    tie = [
        (i.column, i.rule, i.message)
        for i in validate_row("ties", {**GOOD_TIE, column: value}, "ties.csv", 1).issues
        if i.is_error
    ]
    p = write_spending(tmp_path / "s.csv", [fig_row(**{column: value})])
    fig = [(i.column, i.rule, i.message) for i in spending_issues(p) if i.is_error]
    assert tie == fig
    assert [(c, r) for c, r, _ in tie] == [(column, rule)]
    if message:
        assert tie[0][2] == message
    else:  # a vocabulary: the message lists what is allowed
        assert "official" in tie[0][2] and "press" in tie[0][2]


def test_actor_id_rule_is_the_actors_table_rule(tmp_path):
    actor = validate_row("actors", {"actor_id": "jpn"}, "actors.csv", 1).issues
    p = write_spending(tmp_path / "s.csv", [fig_row(actor_id="usa")])
    fig = spending_issues(p, actor_ids=())
    pick = [(i.rule, i.message) for i in actor if i.column == "actor_id"]
    assert pick == [(i.rule, i.message) for i in fig if i.column == "actor_id"]
    assert pick == [("bad_id", "actor_id must be upper-case letters, digits and '_'")]


def test_blank_required_cells_say_so_in_every_table(tmp_path):
    tie = validate_row("ties", {**GOOD_TIE, "name": " "}, "ties.csv", 1).issues
    assert [(i.column, i.rule, i.message) for i in tie if i.is_error] == [
        ("name", "required", "a value is required")
    ]
    p = write_spending(tmp_path / "s.csv", [fig_row(edition="")])
    assert [(i.column, i.rule, i.message) for i in spending_issues(p) if i.is_error] == [
        ("edition", "required", "a value is required")
    ]
    t = tmp_path / "allies.csv"
    t.write_text("actor,gdp,burden\n,100,3\n")
    with pytest.raises(DataValidationError) as exc:
        read_table(t)
    assert [(i.column, i.rule, i.message) for i in exc.value.issues] == [
        ("actor", "required", "a value is required")
    ]


def test_numbers_read_alike_in_a_spending_file_and_a_users_table(tmp_path):
    p = write_spending(
        tmp_path / "s.csv",
        [fig_row(measure="gdp", unit="usd_mn", price_basis="current", value="1,234.5")],
    )
    assert read_spending(p)["value"].to_list() == [1234.5]
    t = tmp_path / "allies.csv"
    t.write_text('actor,gdp,burden\nUSA,"1,000",3%\nJPN,500,1\nDEU,400,inf\n')
    with pytest.raises(DataValidationError) as exc:
        read_table(t)
    # A number that is not finite is no number in either table.
    assert [(i.row, i.column, i.rule, i.message) for i in exc.value.issues] == [
        (3, "burden", "not_a_number", "burden must be a number")
    ]
    t.write_text('actor,gdp,burden\nUSA,"1,000",3%\nJPN,500,1\n')
    assert read_table(t)["burden_pct"].to_list() == [3.0, 1.0]


def test_first_seen_names_the_first_row():
    seen = FirstSeen("tie_id", "duplicate_id", "id already used in {file}, row {row}")
    assert seen.check("t-1", "a.csv", 3) is None
    issue = seen.check("t-1", "b.csv", 9, "t-1")
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "b.csv",
        9,
        "tie_id",
        "duplicate_id",
    )
    assert issue.message == "id already used in a.csv, row 3"


def test_sipri_row_record():
    res = validate_row(
        "sipri",
        {"Country": "Ruritania", "2020": "-1", "2021": "n.a."},
        "w.xlsx (sheet 'Current US$')",
        12,
        {"Country": "Ruritania", "cells": {"2019": None, "2020": -1.0, "2021": "n.a."}},
    )
    assert [(i.row, i.column, i.rule, i.value) for i in res.issues] == [
        (12, "2020", "negative", "-1"),
        (12, "2021", "not_a_number", "n.a."),
    ]
    ok = validate_row("sipri", {}, "w.xlsx", 3, {"Country": "Ruritania", "cells": {"2020": 5}})
    assert ok.record.cells == {"2020": 5.0}
