"""Graphs from ties: projection of memberships, partnerships, dates, filters, scales; ATOP."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from alliancekit.network import build_graph, graphs_from_atop, two_mode
from alliancekit.network.graphs import atop_pairs, cow_theatre
from alliancekit.schema import ParameterError
from tests.test_network_support import MINI, make_data


@pytest.fixture(scope="module")
def mini():
    return make_data(MINI)


def pair(g, a, b):
    e = g.edges.filter(pl.col("a") == min(a, b), pl.col("b") == max(a, b))
    return e.row(0, named=True) if e.height else None


def test_membership_projects_onto_co_members_with_basis(mini):
    g = build_graph(mini, 2000, kinds=["member"])
    assert set(g.nodes) == {"USA", "GBR", "FRA", "POL"}  # NATO is not a node
    assert g.m == 6  # every pair of the four members
    e = pair(g, "GBR", "POL")
    assert e["weight"] == 5 and e["kinds"] == ["member"] and e["via"] == ["NATO"]
    assert e["basis"] == ["nato-GBR+nato-POL"]
    assert g.memberships["NATO"] == ("FRA", "GBR", "POL", "USA")


def test_security_council_membership_is_not_an_alliance(mini):
    g = build_graph(mini, 2024)
    assert "UNSC" not in g.memberships
    assert pair(g, "CHN", "USA") is None and pair(g, "RUS", "USA") is None


def test_membership_starts_on_accession(mini):
    g = build_graph(mini, 1998, kinds=["member"])
    assert "POL" not in g.nodes and g.m == 3


def test_partnership_with_an_organisation_reaches_each_member(mini):
    g = build_graph(mini, 2015)
    for m in ("USA", "GBR", "FRA", "POL"):
        e = pair(g, "JPN", m)
        assert e is not None and "partnership_programme" in e["kinds"] and "NATO" in e["via"]
    # US–Japan: the treaty (5) and the IPCP through NATO (2), summed
    assert pair(g, "JPN", "USA")["weight"] == 7
    off = build_graph(mini, 2015, partnerships=False)
    assert pair(off, "JPN", "GBR") is None
    assert pair(off, "JPN", "USA")["weight"] == 5


def test_combine_sum_and_max(mini):
    s = build_graph(mini, 2024, combine="sum")
    m = build_graph(mini, 2024, combine="max")
    assert pair(s, "AUS", "JPN")["weight"] == 2 + 4 + 2  # declaration, RAA, Quad co-members
    assert pair(m, "AUS", "JPN")["weight"] == 4
    assert pair(s, "AUS", "JPN")["ties"] == 3
    with pytest.raises(ParameterError):
        build_graph(mini, 2024, combine="mean")


def test_ties_count_only_while_in_force(mini):
    assert pair(build_graph(mini, 1995), "FRA", "GBR")["weight"] == 5 + 2
    assert pair(build_graph(mini, 2000), "FRA", "GBR")["weight"] == 5  # ended 2000-01-01
    assert pair(build_graph(mini, "1999-12-31"), "FRA", "GBR")["weight"] == 7
    assert pair(build_graph(mini, "2000-01-01"), "FRA", "GBR")["weight"] == 5
    assert pair(build_graph(mini, "2023-08-12"), "AUS", "JPN")["weight"] == 4  # RAA not yet


def test_current_year_means_the_as_of_date(mini):
    g = build_graph(mini, 2025)
    assert g.on == dt.date(2025, 6, 30)
    assert build_graph(mini, 2024).on == dt.date(2024, 12, 31)


def test_years_outside_the_data_are_errors(mini):
    with pytest.raises(ParameterError, match="outside"):
        build_graph(mini, 1900)
    with pytest.raises(ParameterError, match="outside"):
        build_graph(mini, 2031)
    with pytest.raises(ParameterError, match="ISO date"):
        build_graph(mini, "2020-13-45")


def test_filters(mini):
    g = build_graph(mini, 2024, theatres=["indo_pacific", "global"])
    assert set(g.theatre) <= {"indo_pacific", "global"} and "GBR" not in g.nodes
    g = build_graph(mini, 2024, kinds=["defence_treaty"])
    assert g.m == 4 and set(g.nodes) == {"USA", "JPN", "KOR", "AUS", "PHL"}
    g = build_graph(mini, 2024, actors=["QUAD", "KOR"])
    assert set(g.nodes) == {"USA", "JPN", "AUS", "KOR"}
    g = build_graph(mini, 2024, actors=["NZL", "JPN"])  # NZL: no ties, but asked for
    assert set(g.nodes) == {"NZL", "JPN"} and g.m == 0
    with pytest.raises(ParameterError, match="unknown tie kind"):
        build_graph(mini, 2024, kinds=["friendship"])
    with pytest.raises(ParameterError, match="unknown theatre"):
        build_graph(mini, 2024, theatres=["arctic"])
    with pytest.raises(ParameterError, match="unknown actor"):
        build_graph(mini, 2024, actors=["ATLANTIS"])


def test_empty_graph_is_a_clear_error(mini):
    g = build_graph(mini, 2024, kinds=["exercise_participation"])
    assert g.m == 0
    with pytest.raises(ParameterError, match="empty"):
        g.require_edges()


def test_strength_scale(mini):
    scale = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8}
    g = build_graph(mini, 2024, scale=scale)
    assert pair(g, "AUS", "JPN")["weight"] == 1 + 4 + 1
    assert pair(g, "JPN", "USA")["weight"] == 8 + 1 + 1
    with pytest.raises(ParameterError, match="every level"):
        build_graph(mini, 2024, scale={5: 1})


def test_multiplex_layers_record_every_instrument(mini):
    g = build_graph(mini, 2024)
    lay = g.layers.filter(pl.col("a") == "AUS", pl.col("b") == "JPN").sort("layer")
    assert lay["layer"].to_list() == [
        "member",
        "reciprocal_access_agreement",
        "security_declaration",
    ]
    assert set(lay["tie_id"].to_list()) == {"quad-AUS+quad-JPN", "jpn-aus-raa", "jpn-aus-decl"}


def test_two_mode_keeps_organisations_as_nodes(mini):
    g = two_mode(mini, 2024)
    assert "NATO" in g.nodes and "QUAD" in g.nodes
    assert ("GBR" in g.neighbours("NATO")) and "JPN" in g.neighbours("NATO")


def test_without_subgraph_and_unknown_actor(mini):
    g = build_graph(mini, 2024)
    h = g.without(["USA"])
    assert "USA" not in h.nodes and h.m == g.m - len(g.neighbours("USA"))
    assert set(g.subgraph(["IP4"]).nodes) == {"AUS", "JPN", "KOR"}
    with pytest.raises(ParameterError, match="not a state of this graph"):
        g.require("ATLANTIS")


# ---------------------------------------------------------------------------------------------
# ATOP

ATOP_SMALL = pl.DataFrame(
    {
        "ccode1": [2, 20, 2, 740, 200, 220, 2, 900],
        "ccode2": [20, 2, 740, 2, 220, 200, 900, 2],
        "year": [1950, 1950, 1960, 1960, 1960, 1960, 1960, 1960],
        "atop_defense": [1, 1, 1, 1, 0, 0, 1, 1],
        "atop_offense": [0, 0, 0, 0, 0, 0, 0, 0],
        "atop_neutral": [0, 0, 0, 0, 0, 0, 0, 0],
        "atop_nonagg": [1, 1, 0, 0, 1, 1, 0, 0],
        "atop_consul": [0, 0, 1, 1, 1, 1, 0, 0],
    }
)


def test_atop_directed_rows_collapse_to_pairs_with_the_strongest_obligation():
    p = atop_pairs(ATOP_SMALL)
    assert p.height == 4
    assert p.filter(pl.col("ccode1") == 200)["weight"].item() == 2  # nonagg 2 > consul 1
    s = atop_pairs(ATOP_SMALL, combine="sum")
    assert s.filter(pl.col("ccode1") == 200)["weight"].item() == 3


def test_graphs_from_atop_labels_and_layers(mini):
    gs = graphs_from_atop(ATOP_SMALL, data=mini)
    assert sorted(gs) == [1950, 1960]
    g = gs[1960]
    assert set(g.nodes) == {"USA", "JPN", "AUS", "GBR", "FRA"}
    assert g.theatre_of("GBR") == "euro_atlantic" and g.theatre_of("USA") == "global"
    bare = graphs_from_atop(
        ATOP_SMALL.with_columns(
            pl.col("ccode1").replace(200, 260), pl.col("ccode2").replace(200, 260)
        ),
        data=mini,
    )
    assert "DEU" in bare[1960].nodes  # West Germany: ISO3 DEU, the FRG's code (codes.OVERRIDES)
    other = graphs_from_atop(
        ATOP_SMALL.with_columns(
            pl.col("ccode1").replace(200, 230), pl.col("ccode2").replace(200, 230)
        ),
        data=mini,
    )
    assert "ESP" in other[1960].nodes  # not in the curated actors: its ISO3 code
    lay = g.layers
    assert set(lay["layer"]) == {"defense", "nonagg", "consul"}
    assert np.all(g.src < g.dst)
    assert graphs_from_atop(ATOP_SMALL, [1950], data=mini).keys() == {1950}


def test_atop_errors():
    with pytest.raises(ParameterError, match="unknown ATOP"):
        atop_pairs(ATOP_SMALL, types=["alliance"])
    with pytest.raises(ParameterError, match="lacks column"):
        atop_pairs(ATOP_SMALL.drop("atop_consul"))


def test_cow_theatre():
    assert cow_theatre(2) == "global" and cow_theatre(20) == "euro_atlantic"
    assert cow_theatre(365) == "euro_atlantic" and cow_theatre(732) == "indo_pacific"
    assert cow_theatre(651) == "other" and cow_theatre(100) == "other"
