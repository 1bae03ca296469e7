"""The batched solvers (allies first, Newton's method on the BBV formula, floors inside it):
the same equilibria as the textbook algorithm (sort by reservation level, take the largest
prefix that stays above the total it produces) with the old bind-and-release handling of
bounds, to a relative 1e-10 of total provision; and, bit for bit, the same numbers for a draw
whatever block it is solved in, and the same as a single solve."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit.burden.batch import calibrate_batch, solve_batch, solve_block
from alliancekit.burden.equilibrium import scenario
from alliancekit.burden.solvers import (
    best_response,
    iterate_best_responses,
    solve_joint_product,
    solve_public_good,
    sum_over_allies,
)

RTOL = 1e-10  # the tolerance against the textbook solver, relative to total provision


def textbook(w, a, fixed: dict[int, float]) -> tuple[np.ndarray, float]:
    """Bergstrom, Blume & Varian by sorting (the solver this package had before)."""
    n = w.size
    r = (1 - a) / a
    t = w / r
    exo = sum(fixed.values())
    free = [i for i in range(n) if i not in fixed]
    order = sorted(free, key=lambda i: -t[i])
    total = exo
    cw, cr = exo, 1.0
    for i in order:
        cw += w[i]
        cr += r[i]
        g = cw / cr
        if t[i] > g:
            total = g
        else:
            break
    q = np.maximum(w - r * total, 0.0)
    for i, v in fixed.items():
        q[i] = v
    return q, total


def textbook_bounded(w, a, exact, caps, floors) -> np.ndarray:
    """The bind-and-release loop of the old scenario() around :func:`textbook`."""
    bound = dict(exact)
    for _ in range(4 * (len(caps) + len(floors)) + 2):
        q, g = textbook(w, a, bound)
        changed = False
        for i, cap in caps.items():
            if i in exact:
                continue
            if i in bound:
                if best_response(g - q[i], w[i], a[i]) < cap - 1e-12 * max(cap, 1):
                    del bound[i]
                    changed = True
            elif q[i] > cap:
                bound[i] = cap
                changed = True
        for i, floor in floors.items():
            if i in exact or i in caps:
                continue
            if i in bound:
                if best_response(g - q[i], w[i], a[i]) > floor + 1e-12 * max(floor, 1):
                    del bound[i]
                    changed = True
            elif q[i] < floor:
                bound[i] = floor
                changed = True
        if not changed:
            break
    return q


@pytest.mark.parametrize("rows", [1, 2, 3, 7, 2048])
@pytest.mark.parametrize("n", [1, 2, 8, 9, 31, 40])
def test_sum_over_allies_adds_left_to_right(rows, n):
    # numpy's own sum adds pairwise: a future numpy that reduced the outer axis otherwise
    # would break the bit-for-bit agreement of sweeps and single solves; this catches it.
    rng = np.random.default_rng(n * 1000 + rows)
    x = rng.lognormal(0, 8, (n, rows)) * rng.choice([-1.0, 1.0], (n, rows))
    want = np.zeros(rows)
    for j in range(rows):
        s = x[0, j]
        for i in range(1, n):
            s = s + x[i, j]
        want[j] = s
    assert np.array_equal(sum_over_allies(x), want)
    assert sum_over_allies(x[:, 0]) == want[0]


problems = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.01, 1e4), min_size=n, max_size=n),
        st.lists(st.floats(0.005, 0.9), min_size=n, max_size=n),
        st.lists(st.sampled_from(["free", "fixed", "cap", "floor"]), min_size=n, max_size=n),
        st.lists(st.floats(0.0, 0.5), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(problems)
def test_block_solver_matches_the_textbook_solver(problem):
    w, a, kinds, share = (np.array(x) if i != 2 else x for i, x in enumerate(problem))
    level = share * w  # bounds as shares of income
    exact = {i: level[i] for i, k in enumerate(kinds) if k == "fixed"}
    caps = {i: level[i] for i, k in enumerate(kinds) if k == "cap"}
    floors = {i: level[i] for i, k in enumerate(kinds) if k == "floor"}
    want = textbook_bounded(w, a, exact, caps, floors)
    col = lambda d: {i: np.array([v]) for i, v in d.items()}  # noqa: E731
    q, g = solve_block(w, a[:, None], fixed=col(exact), caps=col(caps), floors=col(floors))
    scale = want.sum()
    np.testing.assert_allclose(q[:, 0], want, rtol=RTOL, atol=RTOL * scale)
    assert g[0] == pytest.approx(want.sum(), rel=RTOL, abs=RTOL * scale)
    for i, v in floors.items():
        assert q[i, 0] >= v * (1 - 1e-12)
    for i, v in caps.items():
        assert q[i, 0] <= v * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 15), st.integers(0, 2**31))
def test_a_draw_gives_the_same_bits_in_any_block(n, seed):
    rng = np.random.default_rng(seed)
    draws = 50
    w = rng.lognormal(0, 1.5, n)
    a = rng.uniform(0.01, 0.3, (n, draws))
    cut = {0: np.where(rng.random(draws) < 0.5, 0.1 * w[0], np.nan)}
    floor = {n - 1: np.where(rng.random(draws) < 0.7, 0.05 * w[n - 1], np.nan)}
    cap = {1: np.where(rng.random(draws) < 0.5, 0.02 * w[1], np.nan)}
    q, g = solve_block(w, a, fixed=cut, caps=cap, floors=floor, start=w.sum() / 10)
    for lo, hi in [(0, 1), (3, 10), (17, 18), (10, 50)]:
        sub = lambda d, lo=lo, hi=hi: {i: v[lo:hi] for i, v in d.items()}  # noqa: E731
        qs, gs = solve_block(
            w, a[:, lo:hi], fixed=sub(cut), caps=sub(cap), floors=sub(floor), start=w.sum() / 10
        )
        assert np.array_equal(qs, q[:, lo:hi]) and np.array_equal(gs, g[lo:hi])


def test_single_solves_and_scenarios_are_one_draw_of_the_block_solver():
    rng = np.random.default_rng(11)
    w = rng.lognormal(0, 1.5, 20)
    a = rng.uniform(0.01, 0.3, (20, 40))
    q, g = solve_block(w, a)
    for k in (0, 13, 39):
        eq = solve_public_good(w, a[:, k])
        assert np.array_equal(eq.spending, q[:, k]) and eq.total == g[k]
    # A scenario: the hub cuts, two allies pledge; the block solver on that draw agrees.
    q0 = w * rng.uniform(0.01, 0.04, 20)
    actors = [f"A{i}" for i in range(20)]
    res = scenario(actors, w, q0, hub="A0", hub_cut_pct=30, pledges_pct={"A3": 4, "A7": 3.5})
    a0, _ = calibrate_batch(w, q0, 0.0)
    qb, _ = solve_block(
        w,
        a0.T,
        fixed={0: np.array([0.7 * q0[0]])},
        floors={3: np.array([0.04 * w[3]]), 7: np.array([0.035 * w[7]])},
        start=sum_over_allies(q0),
    )
    assert np.array_equal(qb[:, 0], res.after)
    assert {res.status[3], res.status[7]} <= {"pledge", "contributor"}
    assert res.status[0] == "cut"


def test_batch_solver_against_best_responses():
    rng = np.random.default_rng(5)
    w = rng.lognormal(0, 1.5, 9)
    a = rng.uniform(0.01, 0.4, (30, 9))
    exo = rng.uniform(0, 1, 30)
    q, g = solve_batch(w, a, exogenous=exo, workers=1)
    np.testing.assert_allclose(g, exo + q.sum(axis=1), rtol=1e-12)  # the total includes E
    q, g = solve_batch(w, a, workers=1)
    for k in (0, 29):
        np.testing.assert_allclose(q[k], iterate_best_responses(w, a[k]), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("theta", [0.05, 0.4])
def test_joint_products_in_a_block_match_the_single_solver(theta):
    rng = np.random.default_rng(int(theta * 100))
    w = rng.lognormal(0, 1.5, 10)
    q0 = w * rng.uniform(0.01, 0.04, 10)
    a, b = calibrate_batch(w, q0, np.full(6, theta))
    a = a * rng.uniform(0.97, 1.03, a.shape)
    cut = {0: np.full(6, 0.6 * q0[0])}
    floor = {4: np.full(6, 0.05 * w[4])}
    q, g = solve_block(w, a.T, b.T, fixed=cut, floors=floor)
    for k in range(6):
        fixed = {0: 0.6 * q0[0]}
        eq = solve_joint_product(w, a[k], b[k], fixed=fixed)
        if eq.spending[4] < 0.05 * w[4]:  # the pledge binds: hold it there too
            eq = solve_joint_product(w, a[k], b[k], fixed={**fixed, 4: 0.05 * w[4]})
        np.testing.assert_allclose(q[:, k], eq.spending, rtol=1e-10, atol=1e-10 * w.sum())
