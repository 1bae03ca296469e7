"""Sweep specs: typed records, and errors that name the key path and the rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit.simulate.engine import prepare
from alliancekit.simulate.sampling import (
    BLOCK,
    block_stream,
    from_uniform,
    gaussian_copula,
    iman_conover,
)
from alliancekit.simulate.spec import Parameter, SpecError, load_spec, parse_spec


def base(**over) -> dict:
    spec = {
        "year": 2025,
        "alliance": "NATO",
        "draws": 100,
        "seed": 1,
        "parameters": {"us_cut": {"kind": "hub_cut", "dist": "uniform", "low": 0, "high": 50}},
        "outputs": {"measures": ["total", "filled_share"]},
    }
    spec.update(over)
    return spec


def problems(raw: dict, data=None) -> list[str]:
    with pytest.raises(SpecError) as exc:
        spec = parse_spec(raw)
        prepare(spec, data=data)
    return [f"{p}: {r}" for p, r in exc.value.problems]


def test_a_good_spec_is_typed():
    spec = parse_spec(base())
    p = spec.parameters["us_cut"]
    assert (p.name, p.kind, p.dist, p.low, p.high) == ("us_cut", "hub_cut", "uniform", 0, 50)
    assert spec.output_columns() == ["total", "filled_share"]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"colour": "red"}, "colour: unknown key"),
        ({"draws": 0}, "draws: must be >= 1"),
        (
            {
                "parameters": {
                    "us_cut": {"kind": "hub_cut", "dist": "uniform", "low": 0, "high": 150}
                }
            },
            "parameters.us_cut.high: must be <= 100 for kind = 'hub_cut'",
        ),
        (
            {
                "parameters": {
                    "us_cut": {"kind": "hub_cut", "dist": "uniform", "low": 40, "high": 10}
                }
            },
            "parameters.us_cut.low: must be <= high (40 > 10)",
        ),
        (
            {"parameters": {"x": {"kind": "hub_removed", "dist": "bernoulli", "p": 1.5}}},
            "parameters.x.p: must be a probability between 0 and 1 (got 1.5)",
        ),
        (
            {"parameters": {"us_cut": {"kind": "hub_cut", "dist": "uniform", "low": 0, "hgh": 5}}},
            "parameters.us_cut.hgh: unknown key",
        ),
        (
            {"parameters": {"us_cut": {"kind": "hub_cut", "dist": "gamma"}}},
            "parameters.us_cut.dist: unknown distribution 'gamma'",
        ),
        (
            {"outputs": {"measures": ["total", "happiness"]}},
            "outputs.measures: unknown output(s) 'happiness'",
        ),
        (
            {
                "parameters": {
                    "a": {"kind": "hub_cut", "dist": "uniform", "low": 0, "high": 50},
                    "b": {"kind": "private_share", "dist": "uniform", "low": 0, "high": 0.5},
                },
                "correlation": {"parameters": ["a", "b"], "matrix": [[1, 1.2], [1.2, 1]]},
            },
            "correlation.matrix: rank correlations must lie between -1 and 1",
        ),
    ],
)
def test_bad_specs_name_the_key_and_the_rule(change, expected):
    got = problems(base(**change))
    assert any(g.startswith(expected) for g in got), got


def test_a_correlation_that_is_not_positive_definite():
    raw = base(
        parameters={
            n: {"kind": k, "dist": "uniform", "low": 0, "high": 0.5}
            for n, k in [("a", "private_share"), ("b", "hub_cut"), ("c", "preference_spread")]
        },
        correlation={
            "parameters": ["a", "b", "c"],
            "matrix": [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]],
        },
    )
    (got,) = problems(raw)
    assert got.startswith("correlation.matrix: must be positive definite")


def test_unknown_actor_and_tie_are_named():
    raw = base(
        parameters={
            "g": {"kind": "gdp_growth", "allies": ["DEU", "XXX"], "dist": "fixed", "value": 1}
        }
    )
    assert problems(raw) == [
        "parameters.g.allies[1]: unknown actor 'XXX'; see 'alliancekit data show actors'"
    ]
    raw = base(
        parameters={"t": {"kind": "tie", "tie": "nope", "dist": "bernoulli", "p": 0.5}},
        outputs={"measures": ["hub_dependence"]},
    )
    assert problems(raw) == [
        "parameters.t.tie: unknown tie 'nope'; see 'alliancekit data show ties'"
    ]
    assert problems(base(hub="ZZZ"))[0].startswith("hub: unknown actor 'ZZZ'")


def test_a_network_parameter_needs_a_network_output():
    raw = base(parameters={"x": {"kind": "hub_removed", "dist": "bernoulli", "p": 0.5}})
    (got,) = problems(raw)
    assert got.startswith("parameters.x.kind: 'hub_removed' changes the network")


def test_normal_is_refused_for_a_bounded_kind():
    (got,) = problems(
        base(parameters={"c": {"kind": "hub_cut", "dist": "normal", "mean": 10, "sd": 5}})
    )
    assert got.startswith("parameters.c.dist: a normal distribution is unbounded")


def test_file_errors(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("year = [", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_spec(p)
    with pytest.raises(SpecError, match="file not found"):
        load_spec(tmp_path / "missing.toml")


# -- distributions and streams -----------------------------------------------------------------


def test_distributions_follow_their_inverse_cdfs():
    from scipy import stats

    u = np.linspace(0.001, 0.999, 999)
    cases = [
        (dict(dist="uniform", low=2, high=4), stats.uniform(2, 2)),
        (dict(dist="truncnormal", mean=1, sd=2, low=-1, high=6), stats.truncnorm(-1, 2.5, 1, 2)),
        (dict(dist="triangular", low=0, mode=1, high=4), stats.triang(0.25, 0, 4)),
        (dict(dist="beta", a=2, b=5, low=0, high=0.5), stats.beta(2, 5, 0, 0.5)),
    ]
    for kw, ref in cases:
        p = Parameter(kind="gdp_growth", allies=["DEU"], **kw)
        np.testing.assert_allclose(from_uniform(p, u), ref.ppf(u), atol=1e-12)
    p = Parameter(kind="hub_weaken", dist="choice", values=[1, 0.5], weights=[0.75, 0.25])
    assert from_uniform(p, np.array([0.1, 0.74, 0.76, 0.99])).tolist() == [1, 1, 0.5, 0.5]
    p = Parameter(kind="pledge", allies=["POL"], dist="bernoulli", p=0.7, value=5)
    assert from_uniform(p, np.array([0.1, 0.69, 0.71])).tolist() == [5, 5, 0]


def test_block_streams_are_the_spawned_children():
    children = np.random.SeedSequence(7).spawn(3)
    for k in range(3):
        a = block_stream(7, k).random(4)
        b = np.random.Generator(np.random.PCG64(children[k])).random(4)
        assert np.array_equal(a, b)
    assert BLOCK > 1000


@pytest.mark.parametrize("method", ["gaussian_copula", "iman_conover"])
def test_rank_correlation_is_reached_and_marginals_kept(method):
    from scipy.stats import spearmanr

    rng = np.random.default_rng(3)
    u = rng.random((20000, 2))
    target = np.array([[1.0, 0.6], [0.6, 1.0]])
    v = gaussian_copula(u, target) if method == "gaussian_copula" else iman_conover(u, target, rng)
    assert abs(spearmanr(v[:, 0], v[:, 1]).statistic - 0.6) < 0.02
    if method == "iman_conover":
        assert np.array_equal(np.sort(v[:, 0]), np.sort(u[:, 0]))
    assert abs(v[:, 1].mean() - 0.5) < 0.01


@given(
    n=st.integers(1, 3000),
    rho=st.floats(-0.9, 0.9),
    seed=st.integers(0, 2**32 - 1),
    ties=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_iman_conover_orders_each_column_by_the_ranks_of_its_scores(n, rho, seed, ties):
    # Iman & Conover's step as the paper writes it: column j of the result is the sorted
    # column j of u, reordered by the ranks (ties in order of appearance) of column j of the
    # target scores t; the implementation computes the ranks without sorting twice.
    from scipy import special

    target = np.array([[1.0, rho], [rho, 1.0]])
    u = np.random.default_rng(seed).random((n, 2))
    if ties:
        u = np.round(u, 1)
    got = iman_conover(u, target, np.random.default_rng(seed + 1))
    if n < 4:  # too few rows to rank: the Gaussian copula instead
        assert np.array_equal(got, gaussian_copula(u, target))
        return
    rng = np.random.default_rng(seed + 1)
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    s = np.column_stack([rng.permutation(scores) for _ in range(2)])
    q = np.linalg.cholesky(np.corrcoef(s, rowvar=False))
    t = s @ np.linalg.inv(q).T @ np.linalg.cholesky(target).T
    for j in range(2):
        ranks = np.argsort(np.argsort(t[:, j], kind="stable"), kind="stable")
        assert np.array_equal(got[:, j], np.sort(u[:, j])[ranks])
