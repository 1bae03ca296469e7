"""The equilibrium model: the exact BBV solver against iterated best responses, the batch solver,
joint products, calibration and scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit.burden.equilibrium import (
    best_response,
    calibrate,
    iterate_best_responses,
    scenario,
    solve,
    solve_batch,
    solve_joint_product,
    solve_public_good,
)
from alliancekit.schema import ParameterError


def _random(rng, n):
    return rng.lognormal(0, 1.5, n), rng.uniform(0.01, 0.4, n)


def _close(a, b, scale):
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9 * scale)


def test_two_allies_by_hand():
    # w = (100, 10), alpha = (0.2, 0.2): r = 4, t = (25, 2.5). Only the rich ally contributes:
    # G = 100 / (1 + 4) = 20 > t_2 = 2.5, so the poor ally rides free.
    eq = solve_public_good([100.0, 10.0], [0.2, 0.2])
    assert eq.total == pytest.approx(20.0)
    np.testing.assert_allclose(eq.spending, [20.0, 0.0])
    assert eq.contributors.tolist() == [True, False]
    assert eq.free_riders.tolist() == [False, True]
    # Equal allies share: G = 2 w / (1 + 2 r) = 200 / 9.
    eq = solve_public_good([100.0, 100.0], [0.2, 0.2])
    np.testing.assert_allclose(eq.spending, [100 / 9, 100 / 9])


@pytest.mark.parametrize("seed", range(25))
def test_exact_solver_matches_iterated_best_responses(seed):
    rng = np.random.default_rng(seed)
    w, a = _random(rng, int(rng.integers(1, 15)))
    eq = solve_public_good(w, a)
    br = iterate_best_responses(w, a)
    _close(eq.spending, br, w.sum())
    assert eq.total == pytest.approx(br.sum(), rel=1e-8)
    # Nash: no ally gains by deviating — each spends its best response to the others.
    for i in range(w.size):
        assert eq.spending[i] == pytest.approx(
            best_response(eq.total - eq.spending[i], w[i], a[i]), rel=1e-9, abs=1e-12 * w.sum()
        )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 1e4), st.floats(0.005, 0.9)), min_size=1, max_size=12))
def test_exact_solver_is_a_nash_equilibrium(params):
    w = np.array([p[0] for p in params])
    a = np.array([p[1] for p in params])
    eq = solve_public_good(w, a)
    assert np.all(eq.spending >= 0) and np.all(eq.spending <= w)
    assert eq.total == pytest.approx(eq.spending.sum(), rel=1e-12)
    for i in range(w.size):
        br = best_response(eq.total - eq.spending[i], w[i], a[i])
        assert eq.spending[i] == pytest.approx(br, rel=1e-7, abs=1e-9 * w.sum())


@pytest.mark.parametrize("seed", range(10))
def test_fixed_spending_matches_best_responses(seed):
    rng = np.random.default_rng(100 + seed)
    w, a = _random(rng, 8)
    fixed = {0: 0.05 * w[0], 3: 0.0}
    eq = solve_public_good(w, a, fixed=fixed)
    _close(eq.spending, iterate_best_responses(w, a, fixed=fixed), w.sum())
    assert eq.spending[0] == 0.05 * w[0] and eq.fixed[[0, 3]].all()


def test_nobody_contributes_when_fixed_spending_is_enough():
    eq = solve_public_good([10.0, 10.0], [0.1, 0.1], fixed={0: 9.0})
    assert eq.total == pytest.approx(9.0) and eq.spending[1] == 0.0


def test_batch_solver_equals_single_solves():
    rng = np.random.default_rng(7)
    w = rng.lognormal(0, 1.5, 40)
    a = rng.uniform(0.01, 0.3, (3000, 40))
    q, g = solve_batch(w, a, chunk=512, workers=2)
    for d in (0, 1, 777, 2999):
        eq = solve_public_good(w, a[d])
        np.testing.assert_allclose(q[d], eq.spending, rtol=1e-12, atol=1e-12 * w.sum())
        assert g[d] == pytest.approx(eq.total, rel=1e-12)
    # Incomes per draw, and exogenous spending per draw.
    ww = rng.lognormal(0, 1, (50, 6))
    aa = rng.uniform(0.01, 0.3, (50, 6))
    exo = rng.uniform(0, 2, 50)
    q, g = solve_batch(ww, aa, exogenous=exo, workers=1)
    for d in range(50):
        eq = solve_public_good(np.append(ww[d], 1.0), np.append(aa[d], 0.5), fixed={6: exo[d]})
        np.testing.assert_allclose(q[d], eq.spending[:6], rtol=1e-12, atol=1e-12)
        assert g[d] == pytest.approx(eq.total, rel=1e-12)


def test_batch_rejects_bad_parameters():
    with pytest.raises(ParameterError):
        solve_batch([1.0, 2.0], [[0.1, 1.0]])
    with pytest.raises(ParameterError):
        solve_batch([1.0, 2.0], [[0.1, 0.2, 0.3]])


@pytest.mark.parametrize("seed", range(10))
def test_joint_product_matches_best_responses(seed):
    rng = np.random.default_rng(200 + seed)
    w, a = _random(rng, 7)
    b = rng.uniform(0.0, 0.1, 7)
    eq = solve_joint_product(w, a, b)
    _close(eq.spending, iterate_best_responses(w, a, b), w.sum())
    assert np.all(eq.spending > 0)  # a private benefit makes everyone spend


def test_joint_product_with_zero_beta_is_the_exact_solution():
    rng = np.random.default_rng(3)
    w, a = _random(rng, 10)
    _close(
        solve_joint_product(w, a, np.zeros(10)).spending, solve_public_good(w, a).spending, w.sum()
    )
    assert solve(w, a).total == solve_public_good(w, a).total


@pytest.mark.parametrize("theta", [0.0, 0.2, 0.6])
def test_calibration_reproduces_observed_spending(theta):
    w = np.array([29000.0, 4700.0, 3600.0, 900.0, 42.0])
    q = w * np.array([0.034, 0.021, 0.023, 0.041, 0.034])
    a, b = calibrate(w, q, theta)
    np.testing.assert_allclose(b / (a + b), theta, atol=1e-12)
    eq = solve(w, a, b if theta else None)
    np.testing.assert_allclose(eq.spending, q, rtol=1e-8)


def test_calibration_checks():
    with pytest.raises(ParameterError):
        calibrate([1.0, 2.0], [0.1, 2.5])
    with pytest.raises(ParameterError):
        calibrate([1.0, 2.0], [0.0, 0.1], 0.3)
    a, _ = calibrate([100.0, 10.0], [5.0, 0.0])
    eq = solve_public_good([100.0, 10.0], a)
    np.testing.assert_allclose(eq.spending, [5.0, 0.0], atol=1e-9)


ACTORS = ["USA", "DEU", "GBR", "POL", "EST"]
GDP = np.array([29000.0, 4700.0, 3600.0, 900.0, 42.0])
SPEND = GDP * np.array([0.034, 0.021, 0.023, 0.041, 0.034])


def test_baseline_scenario_changes_nothing():
    r = scenario(ACTORS, GDP, SPEND)
    np.testing.assert_allclose(r.after, SPEND, rtol=1e-9)
    assert r.fill_ratio() is None


def test_us_cut_allies_fill_part_of_the_gap():
    r = scenario(ACTORS, GDP, SPEND, hub_cut_pct=25)
    assert r.after[0] == pytest.approx(0.75 * SPEND[0])
    assert np.all(r.after[1:] > SPEND[1:])
    assert 0 < r.fill_ratio() < 1
    assert r.total_after < r.total_before
    s = r.summary()
    assert s["hub_change"] == pytest.approx(-0.25 * SPEND[0])
    assert s["fills_the_gap"][0]["actor_id"] == "DEU"
    assert r.status[0] == "cut"
    # Joint products: allies fill less of the gap.
    rj = scenario(ACTORS, GDP, SPEND, hub_cut_pct=25, private_share=0.5)
    assert rj.fill_ratio() < r.fill_ratio()
    assert rj.after[0] == pytest.approx(0.75 * SPEND[0])


def test_us_cap():
    r = scenario(ACTORS, GDP, SPEND, hub_cap_pct=2.0)
    assert r.after[0] == pytest.approx(0.02 * GDP[0]) and r.status[0] == "capped"
    # A cap above what the US spends binds nothing.
    r = scenario(ACTORS, GDP, SPEND, hub_cap_pct=5.0)
    np.testing.assert_allclose(r.after, SPEND, rtol=1e-9)


def test_pledge_is_a_floor_and_others_free_ride_on_it():
    r = scenario(ACTORS, GDP, SPEND, pledges_pct={"DEU": 3.5})
    assert r.after[1] == pytest.approx(0.035 * GDP[1]) and r.status[1] == "pledge"
    assert r.after[0] < SPEND[0]  # the hub spends less when an ally does more
    r = scenario(ACTORS, GDP, SPEND, pledges_pct={"POL": 2.0})  # already above: unchanged
    np.testing.assert_allclose(r.after, SPEND, rtol=1e-9)


def test_scenario_table_and_dict():
    r = scenario(ACTORS, GDP, SPEND, hub_cut_pct=10)
    t = r.table()
    assert t.columns[:4] == ["actor_id", "gdp", "spending_before", "spending_after"]
    d = r.to_dict()
    assert d["summary"]["scenario"].startswith("USA cuts") and len(d["allies"]) == 5


def test_scenario_parameter_errors():
    with pytest.raises(ParameterError, match="hub_cap_pct"):
        scenario(ACTORS, GDP, SPEND, hub_cap_pct=2, hub_cut_pct=10)
    with pytest.raises(ParameterError, match="hub_cut_pct"):
        scenario(ACTORS, GDP, SPEND, hub_cut_pct=120)
    with pytest.raises(ParameterError, match="pledge"):
        scenario(ACTORS, GDP, SPEND, pledges_pct={"FRA": 3})
    with pytest.raises(ParameterError, match="hub"):
        scenario(ACTORS[1:], GDP[1:], SPEND[1:], hub_cut_pct=10)
    with pytest.raises(ParameterError):
        solve_public_good([1.0, -1.0], [0.1, 0.1])
    with pytest.raises(ParameterError):
        solve_public_good([1.0, 1.0], [0.1, 1.0])


@pytest.mark.parametrize("seed", range(6))
def test_brent_port_equals_scipy_brentq(seed):
    """The joint-product solver finds its root with a port of scipy's brentq (kept off the
    report's import path): same steps, so the same float, on the solver's own excess function
    and on textbook roots; and the same errors."""
    from scipy.optimize import brentq as scipy_brentq

    from alliancekit.burden._roots import brentq
    from alliancekit.burden.solvers import spend_given_total

    rng = np.random.default_rng(seed)
    w = rng.lognormal(0, 1.5, 30)
    a = rng.uniform(0.01, 0.3, 30)
    b = rng.uniform(0.05, 0.6, 30)

    def excess(g: float) -> float:
        return float(spend_given_total(g, w, a, b).sum()) - g

    cases = [
        (
            excess,
            float(w.min()) * 1e-12,
            float(w.sum()),
            {"xtol": 1e-12 * w.sum(), "rtol": 4 * np.finfo(float).eps},
        ),
        (lambda x: x**3 - 2 * x - 5, 2.0, 3.0, {}),
        (lambda x: np.cos(x) - x, 0.0, 1.0 + seed, {}),
        (lambda x: np.exp(x) - 10 - seed, -5.0, 10.0, {"xtol": 1e-6}),
        (lambda x: x - 0.5, 0.5, 2.0, {}),
    ]
    for f, lo, hi, kw in cases:
        assert brentq(f, lo, hi, maxiter=500, **kw) == scipy_brentq(f, lo, hi, maxiter=500, **kw)
    with pytest.raises(ValueError, match="different signs"):
        brentq(lambda x: x * x + 1, -1.0, 1.0)
    with pytest.raises(RuntimeError):
        brentq(lambda x: x**3 - 2 * x - 5, 2.0, 3.0, maxiter=2, xtol=1e-15)
