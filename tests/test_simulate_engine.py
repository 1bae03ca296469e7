"""The sweep engine: a spec without variance reproduces the deterministic commands exactly;
draws are reproducible from the seed; the network is built once per set of ties."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from alliancekit.burden import equilibrium_for_year
from alliancekit.burden.equilibrium import calibrate_batch, solve_batch_bounded
from alliancekit.data import load
from alliancekit.network.graphs import build_graph
from alliancekit.network.scenarios import gap_fill, remove
from alliancekit.simulate import parse_spec, run
from alliancekit.simulate.backends import run as run_blocks
from alliancekit.simulate.engine import evaluate_block, measure_states, network_states, prepare


@pytest.fixture(scope="module")
def data():
    return load()


def sweep(tmp_path, data, parameters, measures, allies="all", draws=3, name="t.parquet"):
    spec = parse_spec(
        {
            "year": 2025,
            "alliance": "NATO",
            "draws": draws,
            "seed": 5,
            "parameters": parameters,
            "outputs": {"measures": measures, "allies": allies},
        }
    )
    run(spec, tmp_path / name, backend="inprocess", data=data)
    return pq.read_table(tmp_path / name).to_pydict()


@pytest.mark.parametrize(
    "parameters, kwargs",
    [
        ({"cut": {"kind": "hub_cut", "dist": "fixed", "value": 25}}, {"us_cut_pct": 25}),
        ({"cap": {"kind": "hub_cap", "dist": "fixed", "value": 2.0}}, {"us_cap_pct": 2.0}),
        (
            {
                "cut": {"kind": "hub_cut", "dist": "fixed", "value": 30},
                "p1": {"kind": "pledge", "allies": ["POL", "LTU"], "dist": "fixed", "value": 5},
                "p2": {
                    "kind": "pledge",
                    "allies": ["DEU"],
                    "dist": "bernoulli",
                    "p": 1,
                    "value": 3.5,
                },
            },
            {"us_cut_pct": 30, "pledges_pct": {"POL": 5, "LTU": 5, "DEU": 3.5}},
        ),
    ],
)
def test_zero_variance_reproduces_burden_equilibrium_exactly(tmp_path, data, parameters, kwargs):
    res = equilibrium_for_year(2025, "NATO", data=data, **kwargs)
    t = sweep(tmp_path, data, parameters, ["total", "filled_share", "meets_2pct", "hub_share"])
    for i, a in enumerate(res.actors):
        assert t[f"spending_{a}"] == [res.after[i]] * 3, a  # bit for bit
        assert t[f"burden_{a}"] == [100 * res.after[i] / res.income[i]] * 3
    assert t["total"] == [res.total_after] * 3
    fill = res.fill_ratio()
    assert t["filled_share"] == [fill if fill is not None else None] * 3 or np.isnan(
        t["filled_share"][0]
    )
    h = res.actors.index("USA")
    assert t["hub_share"][0] == res.after[h] / res.total_after
    burden = 100 * res.after / res.income
    assert t["meets_2pct"][0] == np.count_nonzero(burden >= 2 - 1e-9)


def test_zero_variance_joint_products_match_the_numerical_solver(tmp_path, data):
    res = equilibrium_for_year(2025, "NATO", data=data, us_cut_pct=20, private_share=0.3)
    t = sweep(
        tmp_path,
        data,
        {
            "cut": {"kind": "hub_cut", "dist": "fixed", "value": 20},
            "theta": {"kind": "private_share", "dist": "fixed", "value": 0.3},
        },
        ["total", "filled_share"],
    )
    got = np.array([t[f"spending_{a}"][0] for a in res.actors])
    np.testing.assert_allclose(got, res.after, rtol=1e-12)
    assert t["filled_share"][0] == pytest.approx(res.fill_ratio(), rel=1e-10)


def test_batched_joint_product_solver_against_best_responses():
    from alliancekit.burden.equilibrium import iterate_best_responses

    rng = np.random.default_rng(0)
    w = rng.uniform(10, 1000, 12)
    q0 = w * rng.uniform(0.01, 0.04, 12)
    theta = np.array([0.05, 0.3, 0.6])
    a, b = calibrate_batch(w, q0, theta)
    fixed = np.full(a.shape, np.nan)
    fixed[:, 0] = 0.5 * q0[0]
    q, g = solve_batch_bounded(w, a, b, fixed=fixed)
    for k in range(3):
        ref = iterate_best_responses(w, a[k], b[k], fixed={0: 0.5 * q0[0]}, tol=1e-13)
        np.testing.assert_allclose(q[k], ref, rtol=1e-8)
        assert g[k] == pytest.approx(q[k].sum(), rel=1e-12)


def test_zero_variance_reproduces_scenario_remove(tmp_path, data):
    g = build_graph(data, 2025)
    ref = {r["measure"]: r for r in remove(g, "USA").table.to_dicts()}
    measures = [
        "hub_dependence",
        "hub_spoke_indo_pacific",
        "isolated_without_hub",
        "efficiency",
        "gap_fill_cost",
    ]
    stay = sweep(tmp_path, data, {}, measures + ["components"], allies=[], name="a.parquet")
    assert stay["hub_dependence"][0] == ref["hub_pairs_through"]["before"]
    assert stay["hub_spoke_indo_pacific"][0] == ref["hub_spoke_indo_pacific"]["before"]
    assert stay["isolated_without_hub"][0] == ref["hub_isolated"]["before"]
    assert stay["efficiency"][0] == ref["efficiency"]["before"]
    assert stay["components"][0] == ref["components"]["before"]
    cost = gap_fill(g, "USA", theatre="indo_pacific", k=2).total_cost
    # dataset v2: the 2025 Indo-Pacific allies are 2-edge-connected without the US (cost 0)
    assert stay["gap_fill_cost"][0] == cost >= 0
    gone = sweep(
        tmp_path,
        data,
        {"out": {"kind": "hub_removed", "dist": "fixed", "value": 1}},
        measures + ["components"],
        allies=[],
        name="b.parquet",
    )
    assert gone["efficiency"][0] == ref["efficiency"]["after"]
    assert gone["components"][0] == ref["components"]["after"]
    assert np.isnan(gone["hub_dependence"][0])


def test_network_graphs_are_built_once_per_set_of_ties(data):
    spec = parse_spec(
        {
            "year": 2025,
            "draws": 400,
            "seed": 2,
            "parameters": {
                "raa": {"kind": "tie", "tie": "jpn-phl-raa", "dist": "bernoulli", "p": 0.5},
                "pp": {
                    "kind": "tie_kind",
                    "tie_kind": "partnership_programme",
                    "dist": "bernoulli",
                    "p": 0.5,
                },
                "weak": {"kind": "hub_weaken", "dist": "choice", "values": [1, 0.5]},
            },
            "outputs": {"measures": ["hub_dependence", "efficiency"]},
        }
    )
    model = prepare(spec, data=data)
    out = evaluate_block(model, 0)
    assert len(model.network._graphs) == 1 + 4  # the base graph, then one per set of ties
    assert len(model.network._states) == 8
    off = (out["pp"] == 0) & (out["raa"] == 1) & (out["weak"] == 1)
    on = (out["pp"] == 1) & (out["raa"] == 1) & (out["weak"] == 1)
    assert len(set(out["efficiency"][off])) == 1 and len(set(out["efficiency"][on])) == 1
    assert out["efficiency"][off][0] < out["efficiency"][on][0]
    # The states a sweep can reach are known up front (the backends measure them once, spread
    # over the workers): exactly those the block reached, with the same outputs.
    states = network_states(model)
    assert sorted(states) == sorted(model.network._states)
    fresh = prepare(spec, data=data)
    assert measure_states(fresh, states) == model.network._states
    continuous = parse_spec(
        {
            **spec.model_dump(mode="json", exclude_none=True),
            "parameters": {
                "weak": {"kind": "hub_weaken", "dist": "uniform", "low": 0.5, "high": 1}
            },
        }
    )
    assert network_states(prepare(continuous, data=data)) is None


def test_the_table_does_not_depend_on_task_size(tmp_path, data):
    spec = parse_spec(
        {
            "year": 2025,
            "draws": 40000,
            "seed": 11,
            "parameters": {
                "cut": {"kind": "hub_cut", "dist": "uniform", "low": 0, "high": 50},
                "g": {
                    "kind": "gdp_growth",
                    "allies": ["EU"],
                    "dist": "uniform",
                    "low": -2,
                    "high": 3,
                },
            },
            "outputs": {"measures": ["total", "filled_share"]},
            "correlation": {
                "method": "iman_conover",
                "parameters": ["cut", "g"],
                "matrix": [[1, 0.5], [0.5, 1]],
            },
        }
    )
    model = prepare(spec, data=data)
    run_blocks(model, tmp_path / "one.parquet", backend="inprocess", per_task=1)
    run_blocks(model, tmp_path / "three.parquet", backend="inprocess", per_task=3)
    a, b = pq.read_table(tmp_path / "one.parquet"), pq.read_table(tmp_path / "three.parquet")
    assert a.num_rows == 40000 and a.column("draw").to_pylist() == list(range(40000))
    for c in a.column_names:
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy(), equal_nan=True), c
