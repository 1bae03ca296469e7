"""Alliance-portfolio similarity (add_fpsim): the definitions of Signorino and Ritter's S and
Häge's kappa and pi on hand-computed portfolios, their properties (S_ii = 1, symmetry,
bounds), and a plain implementation of the definitions against the fast one under
hypothesis."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit import fpsim
from alliancekit import panels as ps
from alliancekit.schema import ParameterError


def plain(x, top, weights=None, metric="absolute"):
    """The definitions, pair by pair, in plain Python."""
    n = len(x)

    def d(a, b):
        return abs(a - b) if metric == "absolute" else (a - b) ** 2

    dmax = d(0, top)
    w = [1 / n] * n if weights is None else [v / sum(weights) for v in weights]
    out = {m: np.full((n, n), np.nan) for m in fpsim.MEASURES}
    shares = [[sum(1 for v in row if v == c) / n for c in range(top + 1)] for row in x]
    for i in range(n):
        for j in range(n):
            do_w = sum(w[k] * d(x[i][k], x[j][k]) for k in range(n))
            do = sum(d(x[i][k], x[j][k]) for k in range(n)) / n
            out["s"][i, j] = 1 - 2 * do / dmax
            out["sw"][i, j] = 1 - 2 * do_w / dmax
            cats = range(top + 1)
            de_k = sum(shares[i][a] * shares[j][b] * d(a, b) for a in cats for b in cats)
            pool = [(shares[i][c] + shares[j][c]) / 2 for c in cats]
            de_p = sum(pool[a] * pool[b] * d(a, b) for a in cats for b in cats)
            if i == j:
                out["kappa"][i, j] = out["pi"][i, j] = 1.0
            else:
                out["kappa"][i, j] = 1 - do / de_k if de_k > 0 else np.nan
                out["pi"][i, j] = 1 - do / de_p if de_p > 0 else np.nan
    return out


def test_hand_computed_binary_portfolios():
    # A-B and B-C allied: A = [1 1 0], B = [1 1 1], C = [0 1 1] (self at the top value)
    x = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]])
    m = fpsim.similarity(x, 1, weights=np.array([0.5, 0.3, 0.2]))
    assert m["s"][0, 2] == pytest.approx(-1 / 3)
    assert m["sw"][0, 2] == pytest.approx(-0.4)
    assert m["kappa"][0, 2] == pytest.approx(-0.5)
    assert m["pi"][0, 2] == pytest.approx(-0.5)
    # A-B allied, C alone: A = B = [1 1 0], C = [0 0 1]
    x = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    m = fpsim.similarity(x, 1)
    assert m["s"][0, 1] == 1 and m["s"][0, 2] == pytest.approx(-1)
    assert m["kappa"][0, 2] == pytest.approx(-0.8)  # D_o 1, D_e 5/9
    assert m["pi"][0, 2] == pytest.approx(-1.0)  # pooled shares 1/2, D_e 1/2


def test_undefined_chance_term_is_null():
    # two states in a defence pact: one value throughout both portfolios
    m = fpsim.similarity(np.array([[3, 3], [3, 3]]), 3)
    assert np.isnan(m["kappa"][0, 1]) and np.isnan(m["pi"][0, 1]) and m["s"][0, 1] == 1


portfolios = st.integers(1, 7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(0, 3), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2),
        st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n),
        st.sampled_from([1, 3]),
        st.sampled_from(["absolute", "squared"]),
    )
)


@settings(max_examples=120, deadline=None)
@given(portfolios)
def test_fast_equals_the_definitions(case):
    n, upper, weights, top, metric = case
    x = np.zeros((n, n), dtype=np.int64)
    iu = np.triu_indices(n, 1)
    x[iu] = np.minimum(np.array(upper, dtype=np.int64), top) if upper else 0
    x = x + x.T
    np.fill_diagonal(x, top)
    w = np.array(weights) if sum(weights) > 0 else None
    fast = fpsim.similarity(x, top, weights=w, metric=metric)
    ref = plain(x.tolist(), top, weights if w is not None else None, metric)
    for m in fpsim.MEASURES:
        if m == "sw" and w is None:
            assert np.isnan(fast["sw"]).all()
            continue
        np.testing.assert_allclose(fast[m], ref[m], atol=1e-9, equal_nan=True)
        ok = fast[m][~np.isnan(fast[m])]
        assert (ok <= 1 + 1e-12).all()
        np.testing.assert_allclose(fast[m], fast[m].T, atol=1e-12, equal_nan=True)
        assert (np.diag(fast[m]) == 1).all()
    assert (fast["s"] >= -1 - 1e-12).all()


ATOP = pl.DataFrame(
    {
        "ccode1": [2, 20, 2, 200],
        "ccode2": [20, 2, 200, 365],
        "year": [1950, 1950, 1950, 1950],
        "atop_defense": [1, 1, 0, 0],
        "atop_offense": [0, 0, 0, 0],
        "atop_neutral": [0, 0, 0, 0],
        "atop_nonagg": [0, 0, 0, 1],
        "atop_consul": [0, 0, 1, 0],
    }
)
NMC = pl.DataFrame({"ccode": [2, 20, 200, 365], "year": [1950] * 4, "cinc": [0.4, 0.1, 0.2, 0.3]})


def frame(directed=False):
    codes = [2, 20, 200, 365]
    pairs = [(a, b) for a in codes for b in codes if (a != b if directed else a < b)]
    return pl.DataFrame(
        {
            "ccode1": [a for a, _ in pairs] + [2],
            "ccode2": [b for _, b in pairs] + [20],
            "year": [1950] * len(pairs) + [2019],
        }
    ).cast(pl.Int16)


def test_add_fpsim_valuations_and_columns():
    out = ps.add_fpsim(frame(), ATOP, NMC)
    assert out.columns[3:] == ["sallyvua", "sallyvwa", "kallyva", "pallyva"]
    # valued portfolios over (2, 20, 200, 365): 2 = [3 3 1 0], 20 = [3 3 0 0]
    row = out.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 20) & (pl.col("year") == 1950))
    assert row["sallyvua"][0] == pytest.approx(1 - 2 * (1 / 4) / 3)
    assert row["sallyvwa"][0] == pytest.approx(1 - 2 * 0.2 / 3)
    last = out.filter(pl.col("year") == 2019).row(0)
    assert last[3:] == (None, None, None, None)  # after ATOP's years
    binary = ps.add_fpsim(frame(), ATOP, NMC, valuation="binary", measures=["s"])
    assert binary.columns[3:] == ["sallybua"]
    row = binary.filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 20)).row(0)
    assert row[3] == pytest.approx(1 - 2 * (1 / 4))
    custom = ps.add_fpsim(frame(), ATOP, valuation={"atop_defense": 2}, measures=["kappa"])
    assert custom.columns[3:] == ["kallyxa"]
    with pytest.raises(ParameterError):
        ps.add_fpsim(frame(), ATOP, valuation="strong")
    with pytest.raises(ParameterError):
        ps.add_fpsim(frame(), ATOP, metric="euclid")


def test_directed_frames_read_both_orders_the_same():
    und = ps.add_fpsim(frame(), ATOP, NMC).filter(pl.col("year") == 1950)
    dr = ps.add_fpsim(frame(directed=True), ATOP, NMC).filter(pl.col("year") == 1950)
    flipped = dr.filter(pl.col("ccode1") > pl.col("ccode2")).select(
        pl.col("ccode2").alias("ccode1"),
        pl.col("ccode1").alias("ccode2"),
        pl.exclude("ccode1", "ccode2"),
    )
    assert flipped.select(und.columns).sort("ccode1", "ccode2").equals(und.sort("ccode1", "ccode2"))


# ---------------------------------------------------------------------------------------------
# Portfolios from the curated ties (issue 13): the actors the curated data cover, up to today


def _curated(codes, year, **kw):
    """Every ordered pair of ``codes`` (itself included) in ``year``, with add_fpsim's columns
    from the curated ties."""
    pairs = [(a, b) for a in codes for b in codes]
    df = pl.DataFrame(
        {"ccode1": [a for a, _ in pairs], "ccode2": [b for _, b in pairs], "year": year}
    ).cast(pl.Int16)
    return ps.add_fpsim(df, source="curated", **kw)


def test_curated_portfolios_hand_computed():
    # USA (2), China (710), Japan (740), Australia (900) in 2025, collective defence only:
    # the United States' treaties with Japan and Australia, nothing else among the four
    ties, first, last = fpsim.curated_tie_values(valuation="alliance")
    four = ties.filter(
        (pl.col("year") == 2025)
        & pl.col("a").is_in([2, 710, 740, 900])
        & pl.col("b").is_in([2, 710, 740, 900])
    )
    assert four.select("a", "b", "value").rows() == [(2, 740, 1), (2, 900, 1)]
    assert first <= 1949 and last >= 2025
    codes = [2, 710, 740, 900]
    members = pl.DataFrame({"ccode": codes, "year": [2025] * 4})
    out = _curated(codes, 2025, valuation="alliance", measures=["s", "kappa"], members=members)
    cell = {(a, b): (s, k) for a, b, _, s, k in out.rows()}
    # portfolios over (2, 710, 740, 900): USA [1 0 1 1], CHN [0 1 0 0], JPN [1 0 1 0],
    # AUS [1 0 0 1]; S = 1 - 2 * mean |x_ik - x_jk|
    assert cell[(2, 740)][0] == pytest.approx(0.5)
    assert cell[(740, 900)][0] == pytest.approx(0.0)
    assert cell[(2, 710)][0] == pytest.approx(-1.0)
    # kappa(JPN, AUS): D_o = 1/2; both portfolios half 0, half 1: D_e = 1/2; kappa = 0
    assert cell[(740, 900)][1] == pytest.approx(0.0)
    assert out.columns[3:] == ["sallydua_curated", "kallyda_curated"]


def test_curated_definitions_hold():
    codes = [2, 20, 200, 220, 255, 365, 710, 740, 732, 900]
    cinc = [0.13, 0.01, 0.02, 0.02, 0.03, 0.04, 0.22, 0.03, 0.02, 0.01]  # for the weighted S
    nmc = pl.DataFrame({"ccode": codes, "year": [2024] * len(codes), "cinc": cinc})
    out = _curated(codes, 2024, nmc=nmc)
    names = list(fpsim.column_names(source="curated").values())
    assert (
        out.columns[3:]
        == names
        == [
            "sallyvua_curated",
            "sallyvwa_curated",
            "kallyva_curated",
            "pallyva_curated",
        ]
    )
    m = {(a, b): row for a, b, _, *row in out.rows()}
    for a in codes:
        s_w = m[(a, a)][1]
        assert m[(a, a)][0] == 1 and m[(a, a)][2] == 1 and m[(a, a)][3] == 1  # S_ii = 1
        assert s_w is None or s_w == 1
        for b in codes:
            for x, y in zip(m[(a, b)], m[(b, a)], strict=True):  # symmetric
                assert x == pytest.approx(y) if x is not None else y is None
            s, sw, kappa, pi = m[(a, b)]
            assert -1 - 1e-12 <= s <= 1 + 1e-12
            assert kappa is None or kappa <= 1 + 1e-12
            assert pi is None or pi <= 1 + 1e-12
    # strength-valued: the United States and its treaty allies are closer than it and Russia
    assert m[(2, 740)][0] > m[(2, 365)][0]


def test_curated_universe_years_and_errors():
    # a state the curated data do not cover (Brazil, 140) and a year after the data: null
    out = _curated([2, 140, 740], 2025, measures=["s"])
    cell = {(a, b): s for a, b, _, s in out.rows()}
    assert cell[(2, 140)] is None and cell[(2, 740)] is not None
    later = _curated([2, 740], 2300, measures=["s"])
    assert later["sallyvua_curated"].null_count() == later.height
    custom = _curated([2, 740], 2025, measures=["s"], valuation={"defence_treaty": 2})
    assert custom.columns[3:] == ["sallyxua_curated"]
    with pytest.raises(ParameterError, match="parameter 'valuation'"):
        _curated([2, 740], 2025, valuation="valued")  # ATOP's name: not a curated one
    with pytest.raises(ParameterError, match="parameter 'source'"):
        ps.add_fpsim(frame(), ATOP, source="icow")
