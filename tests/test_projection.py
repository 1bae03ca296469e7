"""One projection of the curated ties onto pairs of states (issue 9): the graph's layers and
the panel's ``tie_<kind>`` columns give the same state pairs in every year from 1949 to the
data's as-of year, with and without an extension file; and the projection's own rules."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections import Counter

import polars as pl
import pytest

import alliancekit
from alliancekit import panels as ps
from alliancekit.data import TABLE_COLUMNS
from alliancekit.data.projection import (
    NOT_ALLIANCES,
    check_valuation,
    memberships,
    state_pairs,
    tie_values,
    top_value,
)
from alliancekit.network import build_graph
from alliancekit.schema import TIE_KINDS, ParameterError

SRC = {
    "source_url": "https://www.nato.int/cps/en/natohq/official_texts_133163.htm",
    "source_publisher": "NATO, Joint declaration by the EU and NATO (8 July 2016)",
    "source_accessed": "2026-11-26",
    "source_kind": "intergovernmental",
    "verified_on": "2026-11-26",
}
EXTENSION = [
    # one tie between two organisations: their members are tied, from July 2016
    dict(
        tie_id="eu-nato-2016",
        kind="security_declaration",
        actor_a="EU",
        actor_b="NATO",
        name="Joint Declaration by the EU and NATO",
        signed="2016-07-08",
        in_force="2016-07-08",
        strength="2",
    ),
    # seats on the Security Council: never an alliance
    dict(
        tie_id="unsc-usa",
        kind="member",
        actor_a="USA",
        actor_b="UNSC",
        name="Charter of the United Nations",
        signed="1945-06-26",
        in_force="1945-10-24",
        strength="1",
    ),
    dict(
        tie_id="unsc-fra",
        kind="member",
        actor_a="FRA",
        actor_b="UNSC",
        name="Charter of the United Nations",
        signed="1945-06-26",
        in_force="1945-10-24",
        strength="1",
    ),
]


@pytest.fixture(scope="module")
def extension(tmp_path_factory):
    p = tmp_path_factory.mktemp("ext") / "ties.csv"
    cols = TABLE_COLUMNS["ties"]
    with p.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for row in EXTENSION:
            w.writerow({c: (SRC | row).get(c, "") for c in cols})
    return p


@pytest.fixture(scope="module", params=["shipped", "extension"])
def data(request, extension):
    return alliancekit.load() if request.param == "shipped" else alliancekit.load([extension])


def _years(data) -> range:
    return range(1949, int(data.info.as_of[:4]) + 1)


def _panel_pairs(data) -> set[tuple[int, str, int, int]]:
    """(year, kind, code1, code2) of every tie_<kind> = 1 of an undirected dyad-year frame
    over every pair of the curated states with a COW code, 1949 to the as-of year."""
    codes = sorted(data.actors.get_column("cow_code").drop_nulls().unique().to_list())
    pairs = list(itertools.combinations(codes, 2))
    years = list(_years(data))
    frame = pl.DataFrame(
        {
            "ccode1": [a for _ in years for a, _b in pairs],
            "ccode2": [b for _ in years for _a, b in pairs],
            "year": [y for y in years for _ in pairs],
        },
        schema={"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16},
    )
    out = ps.add_ties(frame, data)
    got = set()
    for kind in TIE_KINDS:
        hit = out.filter(pl.col(f"tie_{kind}") == 1)
        got |= {(y, kind, a, b) for a, b, y in hit.select("ccode1", "ccode2", "year").iter_rows()}
    return got


def _graph_pairs(data) -> set[tuple[int, str, int, int]]:
    """The same from the graphs: for each year, the union of the layers of the graphs of every
    day in it on which a tie starts or ends (and 1 January). Between two such days nothing
    changes, so this is every day of the year."""
    cow = dict(data.actors.select("actor_id", "cow_code").drop_nulls().iter_rows())
    days: dict[int, set[dt.date]] = {}
    for col in ("start", "end"):
        for d in data.ties.get_column(col).drop_nulls().to_list():
            days.setdefault(d.year, set()).add(d)
    got = set()
    for year in _years(data):
        for day in sorted(days.get(year, set()) | {dt.date(year, 1, 1)}):
            layers = build_graph(data, day).layers
            for a, b, kind in layers.select("a", "b", "layer").iter_rows():
                if a in cow and b in cow:
                    x, y = sorted((cow[a], cow[b]))
                    got.add((year, kind, x, y))
    return got


def test_panel_and_graph_give_the_same_state_pairs_every_year(data):
    panel, graph = _panel_pairs(data), _graph_pairs(data)
    assert panel, "no ties at all"
    only_panel = sorted(panel - graph)[:5]
    only_graph = sorted(graph - panel)[:5]
    assert panel == graph, f"panel only: {only_panel}; graph only: {only_graph}"


def test_a_tie_between_two_organisations_joins_their_members(extension):
    plain, ext = alliancekit.load(), alliancekit.load([extension])
    pairs = state_pairs(ext.ties, ext.actors).filter(tie_id="eu-nato-2016")
    assert pairs.height > 100  # every EU member with every NATO member
    assert set(pairs.get_column("via")) == {"EU+NATO"}
    assert (pairs.get_column("a") != pairs.get_column("b")).all()
    # Finland, in the EU since 1995, and the United States, in NATO: from the declaration on
    fin_usa = pairs.filter(a="FIN", b="USA")
    assert fin_usa.select("start", "end").rows() == [(dt.date(2016, 7, 8), None)]
    # ... and the panel sees them: one extension tie, hundreds of state pairs
    frame = pl.DataFrame(
        {"ccode1": [2, 2], "ccode2": [375, 375], "year": [2015, 2017]},
        schema={"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16},
    )
    assert ps.add_ties(frame, ext)["tie_security_declaration"].to_list() == [0, 1]
    assert ps.add_ties(frame, plain)["tie_security_declaration"].to_list() == [0, 0]


def test_the_security_council_is_not_an_alliance(extension):
    ext = alliancekit.load([extension])
    assert "UNSC" in NOT_ALLIANCES
    pairs = state_pairs(ext.ties, ext.actors)
    assert pairs.filter(pl.col("tie_id").str.contains("unsc")).height == 0
    assert "UNSC" not in memberships(ext.ties, ext.actors).get_column("org").to_list()
    # France and the United States were not allies before NATO (1949), UNSC seats or not
    frame = pl.DataFrame(
        {"ccode1": [2, 2], "ccode2": [220, 220], "year": [1947, 1950]},
        schema={"ccode1": pl.Int16, "ccode2": pl.Int16, "year": pl.Int16},
    )
    assert ps.add_ties(frame, ext)["tie_member"].to_list() == [0, 1]
    assert build_graph(ext, 1950).memberships.get("UNSC") is None


def test_co_membership_holds_while_both_are_members(dataset):
    pairs = state_pairs(dataset.ties, dataset.actors)
    gbr_pol = pairs.filter(a="GBR", b="POL", via="NATO")
    assert gbr_pol.select("kind", "strength", "start", "end").rows() == [
        ("member", 5, dt.date(1999, 3, 12), None)
    ]
    # a pair is never a state with itself, and a < b throughout
    assert (pairs.get_column("a") < pairs.get_column("b")).all()
    # every pair holds for at least a day
    assert pairs.filter(pl.col("end").is_not_null() & (pl.col("end") <= pl.col("start"))).is_empty()


def test_valuations_of_tie_kinds(dataset):
    pairs = state_pairs(dataset.ties, dataset.actors)
    v = pairs.with_columns(
        s=tie_values(pairs, "strength"),
        b=tie_values(pairs, "binary"),
        al=tie_values(pairs, "alliance"),
        m=tie_values(pairs, {"defence_treaty": 4, "member": 2}),
    )
    assert v.get_column("s").to_list() == pairs.get_column("strength").to_list()
    assert set(v.get_column("b")) == {1}
    assert (v.filter(pl.col("al") == 1).get_column("strength") == 5).all()
    assert set(v.filter(kind="acsa").get_column("m")) == {0}
    assert set(v.filter(kind="defence_treaty").get_column("m")) == {4}
    assert (top_value("strength"), top_value("binary"), top_value({"acsa": 3})) == (5, 1, 3)
    for bad in ("loud", {"treaty": 1}, {"acsa": -1}, {"acsa": 0}, {}):
        with pytest.raises(ParameterError, match="parameter 'valuation'"):
            check_valuation(bad)


@pytest.mark.parametrize("with_extension", [False, True])
def test_a_days_pairs_are_the_projection_of_its_ties(extension, with_extension):
    """build_graph keeps the pairs of every tie's projection that are in force on its day
    (Dataset.projected): the same pairs, spells and memberships as projecting that day's ties,
    on every day a tie starts or ends (and the day before), a tie between two organisations
    included."""
    from alliancekit.data import in_force_on as ties_on
    from alliancekit.data.projection import in_force_on as pairs_on
    from alliancekit.data.projection import project

    data = alliancekit.load([extension] if with_extension else [])
    all_pairs, all_own = data.projected
    days = set()
    for col in ("start", "end"):
        for d in data.ties.get_column(col).drop_nulls().to_list():
            days |= {d, d - dt.timedelta(days=1)}
    for day in sorted(days):
        pairs, own = project(ties_on(data.ties, day), data.actors)
        assert Counter(pairs_on(all_pairs, day).rows()) == Counter(pairs.rows()), day
        assert pairs_on(all_own, day).rows() == own.rows(), day
