"""Global sensitivity: Sobol' first-order (S1) and total (ST) indices with confidence
intervals, from SALib's Saltelli sampling (SALib's Sobol' sampler without second-order terms).

Each varying parameter is one factor; a ``preference_spread`` parameter is a group with the
allies' latent preference factors (so its index is that of the whole preference uncertainty).
Saltelli's points are uniforms in [0, 1]; the spec's inverse CDFs turn them into values and the
sweep engine evaluates them, so the model is exactly the sweep's. Sobol' indices assume
independent inputs: a spec's correlation is left out here (and said so).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from alliancekit.schema import ParameterError

ISHIGAMI = {
    # Ishigami & Homma (1990), a = 7, b = 0.1: the known indices (Saltelli et al. 2008, ch. 4)
    "S1": (0.3139, 0.4424, 0.0),
    "ST": (0.5576, 0.4424, 0.2437),
}


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function on uniforms (x_i = -π + 2π u_i)."""
    x = -np.pi + 2 * np.pi * np.asarray(u)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def sobol_indices(
    names: Sequence[str],
    func: Callable[[np.ndarray], dict[str, np.ndarray]],
    *,
    samples: int = 1024,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    conf_level: float = 0.95,
    resamples: int = 200,
) -> list[dict]:
    """Sobol' indices of each output of ``func`` (uniforms (rows, dims) -> {output: values}).

    ``names``: one per dimension; ``groups``: the factor each dimension belongs to (default:
    its own name). ``samples``: N, a power of two (N × (factors + 2) evaluations). Returns rows
    output, parameter, S1, S1_conf, ST, ST_conf (conf: half-width of the ``conf_level``
    interval, by bootstrap); an output that does not vary or is undefined somewhere gets one
    row with a note instead.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    if samples < 2 or samples & (samples - 1):
        raise ParameterError("samples", f"N must be a power of two ≥ 2 (got {samples})")
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if groups is not None:
        problem["groups"] = list(groups)
    factors = list(dict.fromkeys(groups if groups is not None else names))
    if not factors:
        raise ParameterError("parameters", "no parameter varies: nothing to analyse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        u = sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    ys = func(u)
    rows: list[dict] = []
    for out, y in ys.items():
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)):
            rows.append({"output": out, "parameter": None, "note": "undefined in some draws"})
            continue
        if np.ptp(y) == 0:
            rows.append({"output": out, "parameter": None, "note": "does not vary"})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = analyze.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=resamples,
                conf_level=conf_level,
                seed=seed,
            )
        for i, f in enumerate(factors):
            rows.append(
                {
                    "output": out,
                    "parameter": f,
                    "S1": float(res["S1"][i]),
                    "S1_conf": float(res["S1_conf"][i]),
                    "ST": float(res["ST"][i]),
                    "ST_conf": float(res["ST_conf"][i]),
                }
            )
    return rows


def spec_sensitivity(
    spec,
    *,
    samples: int = 1024,
    outputs: Sequence[str] | None = None,
    data=None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Sobol' indices of a sweep spec's outputs (all, or ``outputs``), evaluated by the sweep
    engine in blocks. Returns ``{"rows": [...], "evaluations": n, "notes": [...]}``."""
    from alliancekit.simulate.engine import evaluate, prepare, values_of
    from alliancekit.simulate.sampling import BLOCK

    model = prepare(spec, data=data)
    cols = model.output_columns
    if outputs:
        bad = [o for o in outputs if o not in cols]
        if bad:
            raise ParameterError(
                "outputs",
                f"not an output of this spec: {', '.join(bad)}; outputs: {', '.join(cols)}",
            )
        cols = list(outputs)
    dims: list[int] = []
    names: list[str] = []
    groups: list[str] = []
    for j, n in enumerate(model.params):
        p = spec.parameters[n]
        latent = model.latent.get(n)
        spread_on = latent is not None and p.support()[1] > 0
        if p.varies or spread_on:
            if p.varies:
                dims.append(j)
                names.append(n)
                groups.append(n)
            if spread_on:
                first, idx = latent
                for k, a in enumerate(idx):
                    dims.append(first + k)
                    names.append(f"{n}[{model.actors[a]}]")
                    groups.append(n)
    notes = []
    if spec.correlation is not None:
        notes.append(
            "Sobol' indices assume independent parameters: the spec's correlation is left out"
        )

    def func(u_sub: np.ndarray) -> dict[str, np.ndarray]:
        rows = u_sub.shape[0]
        out = {c: np.empty(rows) for c in cols}
        for lo in range(0, rows, BLOCK):
            hi = min(lo + BLOCK, rows)
            u = np.full((hi - lo, model.dims), 0.5)
            u[:, dims] = u_sub[lo:hi]
            res = evaluate(model, values_of(model, u), u)
            for c in cols:
                out[c][lo:hi] = res[c]
            if progress:
                progress(hi, rows)
        return out

    rows = sobol_indices(names, func, samples=samples, seed=spec.seed, groups=groups)
    factors = len(dict.fromkeys(groups))
    return {
        "rows": rows,
        "evaluations": samples * (factors + 2),
        "samples": samples,
        "notes": notes,
    }
