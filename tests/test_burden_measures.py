"""Burden-sharing measures on a synthetic spending file (see test_burden_data)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from alliancekit.burden import (
    burden_table,
    equilibrium_for_year,
    hub_share_series,
    members,
    year_figures,
)
from alliancekit.burden import measures as M
from alliancekit.burden.data import pick_editions, read_spending
from alliancekit.schema import ParameterError
from tests.test_burden_data import ALLIES, fig_row, rows_for, write_spending


@pytest.fixture
def spending_file(tmp_path) -> Path:
    return write_spending(tmp_path / "spending.csv")


@pytest.fixture
def spending(spending_file) -> pl.DataFrame:
    return read_spending(spending_file)


def test_members_follow_the_ties(dataset):
    nato23 = members("NATO", 2023, dataset)
    nato24 = members("NATO", 2024, dataset)
    assert "FIN" in nato23 and "SWE" not in nato23 and "SWE" in nato24
    assert len(nato24) == 32 and "USA" in nato24
    assert members("IP4", 2025, dataset) == ["AUS", "JPN", "NZL", "KOR"]
    both = members("NATO+IP4", 2025, dataset)
    assert len(both) == 36 and both[-4:] == ["AUS", "JPN", "NZL", "KOR"]
    assert members("USA,JPN", 2025, dataset) == ["USA", "JPN"]
    with pytest.raises(ParameterError, match="alliance"):
        members("WARSAW", 2025, dataset)


def test_year_figures_derive_missing_gdp(spending):
    f = year_figures(spending, 2024, ["USA", "LUX"])
    lux = f.filter(pl.col("actor_id") == "LUX").row(0, named=True)
    assert lux["gdp_derived"] and lux["gdp_usd_mn"] == pytest.approx(90_000, rel=1e-3)
    usa = f.filter(pl.col("actor_id") == "USA").row(0, named=True)
    assert not usa["gdp_derived"] and usa["gdp_usd_mn"] == pytest.approx(29_000_000)
    assert usa["burden_published"] and usa["burden_pct"] == pytest.approx(3.4)
    # Real change from the constant-price series of one edition: +5% by construction.
    assert usa["real_change_pct"] == pytest.approx(5.0)


def test_burden_table_measures(spending, dataset):
    bt = burden_table(2024, "NATO", spending=spending, data=dataset)
    t = bt.table
    have = t.filter(pl.col("spending_usd_mn").is_not_null())
    assert have.height == len(ALLIES)
    assert have["share_spending_pct"].sum() == pytest.approx(100)
    assert have["share_gdp_pct"].sum() == pytest.approx(100)
    usa = t.filter(pl.col("actor_id") == "USA").row(0, named=True)
    assert usa["fair_share_ratio"] == pytest.approx(
        usa["share_spending_pct"] / usa["share_gdp_pct"]
    )
    assert usa["per_capita_usd"] == pytest.approx(usa["spending_usd_mn"] / 10.0)
    assert usa["meets_2pct"] and not usa["meets_3_5pct"]
    assert usa["gap_3_5pct_usd_mn"] == pytest.approx(0.001 * 29_000_000)
    ita = t.filter(pl.col("actor_id") == "ITA").row(0, named=True)
    assert not ita["meets_2pct"] and ita["gap_2pct_usd_mn"] == pytest.approx(0.005 * 2_300_000)
    pol = t.filter(pl.col("actor_id") == "POL").row(0, named=True)
    assert pol["meets_3_5pct"] and pol["gap_3_5pct_usd_mn"] == 0
    # No defence-related figures: the 5% is not measurable, never guessed.
    assert set(t["meets_5pct"]) == {"not measurable"}
    # Members without figures stay, empty, and are listed.
    assert set(bt.missing) == set(members("NATO", 2024, dataset)) - set(ALLIES)
    assert t.filter(pl.col("actor_id") == "BEL")["burden_pct"][0] is None
    tot = bt.totals
    assert tot["hub_share_spending_pct"] == pytest.approx(
        100 * usa["spending_usd_mn"] / tot["spending_usd_mn"]
    )
    assert tot["with_figures"] == len(ALLIES) and tot["members"] == 32


def test_five_percent_judged_only_with_defence_related_figures(tmp_path, dataset):
    rows = rows_for(2025) + [
        fig_row(actor_id="POL", year=2025, measure="defence_related", value=1.2, unit="pct_gdp"),
        fig_row(actor_id="DEU", year=2025, measure="defence_related", value=2.0, unit="pct_gdp"),
    ]
    sp = read_spending(write_spending(tmp_path / "s.csv", rows))
    t = burden_table(2025, "NATO", spending=sp, data=dataset).table
    res = dict(zip(t["actor_id"].to_list(), t["meets_5pct"].to_list(), strict=True))
    assert res["POL"] == "met"  # 4.1 + 1.2 = 5.3
    assert res["DEU"] == "not met"  # 2.1 + min(2.0, 1.5) = 3.6
    assert res["USA"] == "not measurable"


def test_straight_path_to_3_5_by_2035(tmp_path, dataset):
    rows = rows_for(2025) + [r for r in rows_for(2027) if r["actor_id"] in ("DEU", "USA")]
    sp = read_spending(write_spending(tmp_path / "s.csv", rows))
    t = burden_table(2027, "NATO", spending=sp, data=dataset).table
    deu = t.filter(pl.col("actor_id") == "DEU").row(0, named=True)
    # 2.1% in 2025 → 3.5% in 2035: 2027 needs 2.1 + 1.4 * 2/10 = 2.38.
    assert deu["path_3_5_required_pct"] == pytest.approx(2.38)
    assert deu["on_path_3_5"] is False
    t24 = burden_table(
        2024, "NATO", spending=read_spending(write_spending(tmp_path / "t.csv")), data=dataset
    ).table
    assert t24["on_path_3_5"].null_count() == t24.height


def test_hub_share_series(spending, dataset):
    s = hub_share_series([2023, 2024, 2025], "NATO", spending=spending, data=dataset)
    assert s["year"].to_list() == [2023, 2024, 2025]
    assert s["members"].to_list() == [31, 32, 32]
    assert s["with_figures"].to_list() == [13, 14, 14]
    assert all(50 < v < 80 for v in s["hub_share_spending_pct"].to_list())


def test_ip4_from_another_edition(spending, dataset):
    bt = burden_table(2025, "IP4", spending=spending, data=dataset)
    assert bt.totals["with_figures"] == 4 and bt.totals["hub_share_spending_pct"] is None
    assert set(bt.table["edition"]) == {"SIPRI 2025-04"}


def test_equilibrium_for_year(spending, dataset):
    r = equilibrium_for_year(2025, "NATO", spending=spending, data=dataset, us_cut_pct=25)
    assert r.actors[0] == "USA" and r.status[0] == "cut"
    assert 0 < r.fill_ratio() < 1
    assert any("left out" in n for n in r.notes)
    with pytest.raises(ParameterError):
        equilibrium_for_year(2030, "NATO", spending=spending, data=dataset)


# year_figures picks the editions on the rows in Python; this is the function as it was, with
# both picks made by pick_editions on the frame, which it must equal exactly.
def _year_figures_by_pick_editions(
    spending: pl.DataFrame,
    year: int,
    actors=None,
    edition: str | None = None,
) -> pl.DataFrame:
    """year_figures as it was written before (every pick through pick_editions)."""
    sel = spending.filter(pl.col("year").is_in([year - 1, year]))
    wanted = list(dict.fromkeys(actors)) if actors is not None else None
    if wanted is not None:
        sel = sel.filter(pl.col("actor_id").is_in(wanted))
    now = pick_editions(sel, [year], edition).select(M._COLS).rows()
    pair = (
        pick_editions(sel, [year - 1, year], edition)
        .filter(
            (pl.col("measure") == "defence_expenditure")
            & pl.col("price_basis").str.starts_with("constant_")
        )
        .select(M._COLS)
        .rows()
    )
    # the figures from the picked rows are year_figures' own: what differs is the picking
    return M._figures(now, pair, year, wanted)


@pytest.mark.parametrize("curated", [False, True])
def test_year_figures_equal_the_pick_editions_route(spending, dataset, curated):
    from alliancekit.burden import load_spending

    sp = load_spending() if curated else spending
    editions = [None, *sorted(set(sp["edition"].to_list()))]
    for year in sorted(set(sp["year"].to_list())):
        for actors in (None, members("NATO", min(max(year, 1949), 2025), dataset), ["JPN", "ZZZ"]):
            for edition in editions:
                try:
                    want = _year_figures_by_pick_editions(sp, year, actors, edition)
                except ParameterError as exc:
                    with pytest.raises(ParameterError, match=str(exc.args[-1])[:30]):
                        year_figures(sp, year, actors, edition)
                    continue
                got = year_figures(sp, year, actors, edition)
                assert got.equals(want, null_equal=True), (year, actors, edition)


def test_a_burden_table_given_is_used_and_must_match(spending, dataset):
    from alliancekit.burden import exploitation_for_year, exploitation_series

    bt = burden_table(2025, "NATO", spending=spending, data=dataset)
    res, used = exploitation_for_year(2025, "NATO", spending=spending, data=dataset)
    res2, used2 = exploitation_for_year(2025, "NATO", spending=spending, data=dataset, table=bt)
    assert res == res2 and used.equals(used2)
    ser = exploitation_series([2024, 2025], "NATO", spending=spending, data=dataset)
    ser2 = exploitation_series(
        [2024, 2025], "NATO", spending=spending, data=dataset, tables={2025: bt}
    )
    assert ser.equals(ser2)
    eq = equilibrium_for_year(2025, "NATO", spending=spending, data=dataset, us_cut_pct=25)
    eq2 = equilibrium_for_year(
        2025, "NATO", spending=spending, data=dataset, us_cut_pct=25, table=bt
    )
    assert eq.summary() == eq2.summary()
    with pytest.raises(ParameterError, match="'table'.*NATO's of 2025, not NATO's of 2024"):
        exploitation_for_year(2024, "NATO", spending=spending, data=dataset, table=bt)
    with pytest.raises(ParameterError, match="'table'.*NATO's of 2025, not IP4's of 2025"):
        equilibrium_for_year(2025, "IP4", spending=spending, data=dataset, table=bt)
    with pytest.raises(ParameterError, match="'table'.*expected a BurdenTable"):
        exploitation_for_year(2025, "NATO", table=bt.table)
