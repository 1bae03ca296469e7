"""The sweep engine: a spec prepared once into a :class:`Model`, then evaluated block by block.

Burden outputs come from the library's equilibrium model (:mod:`alliancekit.burden.equilibrium`):
preferences are calibrated so that the base year's observed spending is the equilibrium
(per draw when the private share θ varies), then each draw's incomes, preferences, hub cut or
cap and pledges are imposed and every draw of a block is solved at once
(:func:`~alliancekit.burden.batch.solve_block`).

Network outputs come from the library's network functions (:mod:`alliancekit.network`): a
draw's network is the curated graph of the year with the draw's ties in force, joins, and the
hub weakened or removed. Graphs are built once per distinct set of ties in force and measured
once per distinct network state, in a cache each process keeps; a block evaluates only its
distinct states (:mod:`alliancekit.simulate.network`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from alliancekit.burden.batch import calibrate_batch, solve_block
from alliancekit.burden.solvers import sum_over_allies
from alliancekit.simulate.network import (
    NetworkBase,
    measure_states,
    network_outputs,
    network_states,
)
from alliancekit.simulate.sampling import BLOCK, block_rows, block_stream, correlate, from_uniform
from alliancekit.simulate.spec import (
    BURDEN_KINDS,
    BURDEN_OUTPUTS,
    NETWORK_KINDS,
    NETWORK_OUTPUTS,
    SpecError,
    SweepSpec,
)

SCHEMA_VERSION = 1
SUB = 2048  # draws per piece of a block in the burden solver (see evaluate)


# ---------------------------------------------------------------------------------------------
# The prepared model


@dataclass
class Model:
    """A spec resolved against the data: everything a worker needs to evaluate blocks."""

    spec: SweepSpec
    params: list[str]  # parameter columns, in the spec's order
    dims: int  # uniforms per draw: one per parameter, then the latent columns
    latent: dict[str, tuple[int, np.ndarray]]  # spread parameter -> (first column, ally indices)
    corr_cols: list[int]
    actors: list[str]
    income: np.ndarray
    spending: np.ndarray
    hub: int | None
    targets: dict[str, np.ndarray]  # growth/pledge parameter -> ally indices
    out_allies: list[str]
    measures: list[str]
    network: NetworkBase | None

    @functools.cached_property
    def alpha0(self) -> np.ndarray:
        """The pure public good's calibrated preferences (the same for every draw)."""
        return calibrate_batch(self.income, self.spending, 0.0)[0][0]

    @property
    def total(self) -> float:
        """The observed total of the base year (what the calibrated model reproduces)."""
        return float(sum_over_allies(self.spending))

    @property
    def columns(self) -> list[str]:
        return ["draw", *self.params, *self.output_columns]

    @property
    def output_columns(self) -> list[str]:
        return self.spec.output_columns(self.out_allies)

    @property
    def blocks(self) -> int:
        return -(-self.spec.draws // BLOCK)


def _resolve_allies(
    names: list[str], path: str, allies: list[str], known: dict[str, str], year: int, data, label
) -> list[int]:
    from alliancekit.burden.measures import NAMED_GROUPS, members

    idx = {a: i for i, a in enumerate(allies)}
    out: list[int] = []
    problems = []
    for j, name in enumerate(names):
        key = name.upper()
        if key in ("ALL", "ALLIES"):
            out += list(range(len(allies)))
        elif key in idx:
            out.append(idx[key])
        elif key in NAMED_GROUPS or known.get(key) in ("organisation", "framework"):
            group = [a for a in members(key, year, data) if a in idx]
            if not group:
                problems.append(
                    (f"{path}[{j}]", f"{name!r} has no member among the allies of {label}")
                )
            out += [idx[a] for a in group]
        elif key in known:
            problems.append(
                (
                    f"{path}[{j}]",
                    f"{name!r} is not among the allies of {label} with figures for {year}",
                )
            )
        else:
            problems.append(
                (f"{path}[{j}]", f"unknown actor {name!r}; see 'alliancekit data show actors'")
            )
    if problems:
        raise SpecError(problems)
    return sorted(set(out))


def prepare(spec: SweepSpec, *, data=None, spending_table=None) -> Model:
    """Resolve the spec against the data: allies and their base-year figures, targets of each
    parameter, the network's ties. Errors name the spec's key."""
    import polars as pl

    from alliancekit.burden.measures import burden_table
    from alliancekit.data import load
    from alliancekit.schema import ParameterError

    data = data if data is not None else load()
    known = dict(zip(data.actors["actor_id"].to_list(), data.actors["kind"].to_list(), strict=True))
    problems: list[tuple[str, str]] = []
    if spec.hub not in known:
        problems.append(("hub", f"unknown actor {spec.hub!r}; see 'alliancekit data show actors'"))
    label = spec.alliance if isinstance(spec.alliance, str) else "+".join(spec.alliance)
    if not isinstance(spec.alliance, str):
        for j, a in enumerate(spec.alliance):
            if a.upper() not in known and a.upper() != "IP4":
                problems.append(
                    (f"alliance[{j}]", f"unknown actor {a!r}; see 'alliancekit data show actors'")
                )
    if problems:
        raise SpecError(problems)
    params = list(spec.parameters)
    kinds = {n: p.kind for n, p in spec.parameters.items()}
    need_burden = spec.burden or any(k in BURDEN_KINDS for k in kinds.values())
    actors: list[str] = []
    income = spending = np.zeros(0)
    hub = None
    if need_burden:
        try:
            bt = burden_table(
                spec.year,
                spec.alliance,
                data=data,
                hub=spec.hub,
                edition=spec.edition,
                spending=spending_table,
            )
        except ParameterError as exc:
            raise SpecError(
                [
                    (
                        exc.parameter if exc.parameter in ("alliance", "year") else "alliance",
                        str(exc).split(": ", 1)[-1],
                    )
                ]
            ) from None
        used = bt.table.filter(
            pl.col("spending_usd_mn").is_not_null()
            & pl.col("gdp_usd_mn").is_not_null()
            & (pl.col("gdp_usd_mn") > 0)
        )
        if used.height < 2:
            raise SpecError(
                [
                    (
                        "year",
                        f"fewer than two allies of {label} have spending and GDP for {spec.year}",
                    )
                ]
            )
        actors = used["actor_id"].to_list()
        income = used["gdp_usd_mn"].to_numpy().astype(float)
        spending = used["spending_usd_mn"].to_numpy().astype(float)
        hub = actors.index(spec.hub) if spec.hub in actors else None
    targets: dict[str, np.ndarray] = {}
    latent: dict[str, tuple[int, np.ndarray]] = {}
    dims = len(params)
    net_ties: dict[str, tuple] = {}
    removed = weaken = None
    tie_ids = set(data.ties["tie_id"].to_list())
    for n, p in spec.parameters.items():
        path = f"parameters.{n}"
        if p.kind in ("hub_cut", "hub_cap") and hub is None:
            raise SpecError(
                [
                    (
                        f"{path}.kind",
                        f"the hub {spec.hub} is not among the allies of {label} with figures",
                    )
                ]
            )
        if p.kind in ("gdp_growth", "pledge"):
            targets[n] = np.asarray(
                _resolve_allies(p.allies, f"{path}.allies", actors, known, spec.year, data, label),
                dtype=np.int64,
            )
        elif p.kind == "preference_spread":
            idx = (
                _resolve_allies(p.allies, f"{path}.allies", actors, known, spec.year, data, label)
                if p.allies
                else list(range(len(actors)))
            )
            latent[n] = (dims, np.asarray(idx, dtype=np.int64))
            dims += len(idx)
        elif p.kind == "tie":
            if p.tie not in tie_ids:
                raise SpecError(
                    [(f"{path}.tie", f"unknown tie {p.tie!r}; see 'alliancekit data show ties'")]
                )
            net_ties[n] = ("tie", p.tie)
        elif p.kind == "tie_kind":
            net_ties[n] = ("kind", p.tie_kind)
        elif p.kind == "join":
            errs = []
            if known.get(p.actor) != "state":
                errs.append(
                    (
                        f"{path}.actor",
                        f"{p.actor!r} is not a state of the data"
                        if p.actor in known
                        else f"unknown actor {p.actor!r}",
                    )
                )
            if known.get(p.organisation) not in ("organisation", "framework"):
                errs.append(
                    (
                        f"{path}.organisation",
                        f"{p.organisation!r} is not an organisation or framework of the data",
                    )
                )
            if errs:
                raise SpecError(errs)
            net_ties[n] = ("join", p.actor, p.organisation)
        elif p.kind == "hub_removed":
            removed = n
        elif p.kind == "hub_weaken":
            weaken = n
    out_allies: list[str] = []
    if spec.outputs.allies == "all":
        out_allies = list(actors)
    else:
        idx = _resolve_allies(
            list(spec.outputs.allies), "outputs.allies", actors, known, spec.year, data, label
        )
        out_allies = [actors[i] for i in idx]
    network = None
    if spec.network:
        network = NetworkBase(
            data,
            spec.year,
            spec.hub,
            tuple(m for m in spec.outputs.measures if m in NETWORK_OUTPUTS),
            net_ties,
            removed,
            weaken,
        )
        g = network.graph(())
        if spec.hub not in g.index:
            raise SpecError([("hub", f"{spec.hub} has no tie in the {spec.year} network")])
    corr_cols = [params.index(n) for n in spec.correlation.parameters] if spec.correlation else []
    return Model(
        spec,
        params,
        dims,
        latent,
        corr_cols,
        actors,
        income,
        spending,
        hub,
        targets,
        out_allies,
        list(spec.outputs.measures),
        network,
    )


# ---------------------------------------------------------------------------------------------
# Evaluation


def block_uniforms(model: Model, k: int, part: tuple[int, int] | None = None) -> np.ndarray:
    """Block ``k``'s uniforms (rows, dims), correlation applied; ``part``: only its rows
    ``[start, stop)``, the same numbers (correlation ranks a column over the whole block, so
    the whole block is drawn)."""
    lo, hi = block_rows(model.spec.draws, k)
    rng = block_stream(model.spec.seed, k)
    u = rng.random((hi - lo, model.dims))
    if model.spec.correlation is not None:
        u = correlate(u, model.corr_cols, model.spec.correlation, rng)
    return u if part is None else u[part[0] : part[1]]


def values_of(model: Model, u: np.ndarray) -> dict[str, np.ndarray]:
    return {n: from_uniform(model.spec.parameters[n], u[:, j]) for j, n in enumerate(model.params)}


def evaluate_block(
    model: Model, k: int, *, network: bool = True, part: tuple[int, int] | None = None
) -> dict[str, np.ndarray]:
    """Block ``k``: its draw numbers, parameter values and outputs, one array per column.
    ``network=False`` leaves the network outputs out (:func:`add_network` adds them).
    ``part``: only the block's rows ``[start, stop)`` (counted from the block's first draw;
    ``start`` a multiple of :data:`SUB`), with the same numbers as in the whole block: the
    uniforms are those of the whole block (:func:`block_uniforms`), and the solver's pieces
    fall where they fall in the whole block."""
    lo, hi = block_rows(model.spec.draws, k)
    if part is not None:
        start, stop = part
        if start % SUB or not 0 <= start < stop <= hi - lo:
            raise ValueError(f"part {part} of a block of {hi - lo} rows")  # a bug
        lo, hi = lo + start, lo + stop
    u = block_uniforms(model, k, part)
    vals = values_of(model, u)  # value by value: a part's rows have the whole block's values
    out = {"draw": np.arange(lo, hi, dtype=np.int64), **vals}
    out.update(evaluate(model, vals, u, network=network))
    return out


def add_network(model: Model, block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A block of :func:`evaluate_block` (``network=False``) with its network outputs, looked
    up in the states this process knows (:func:`measure_states`' table in
    ``model.network._states``); a state not there is measured here."""
    if model.network is None:
        return block
    out = {**block, **network_outputs(model, block, len(block["draw"]))}
    return {c: out[c] for c in model.columns}


def evaluate(
    model: Model, vals: dict[str, np.ndarray], u: np.ndarray, *, network: bool = True
) -> dict[str, np.ndarray]:
    """Outputs for rows of parameter values ``vals`` (``u``: the same rows' uniforms, for the
    latent columns); ``network=False``: the burden outputs only."""
    rows = u.shape[0]
    out: dict[str, np.ndarray] = {}
    if model.spec.burden:
        # In pieces of SUB draws: a piece's arrays (allies × SUB) stay in the core's cache,
        # which makes the solver several times faster than on whole blocks. A draw's numbers
        # do not depend on the other draws of its piece, so the pieces change no result.
        parts = [
            _burden(model, {k: v[lo : lo + SUB] for k, v in vals.items()}, u[lo : lo + SUB], m)
            for lo in range(0, rows, SUB)
            for m in [min(SUB, rows - lo)]
        ]
        out.update(
            parts[0]
            if len(parts) == 1
            else {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        )
    if model.network is not None and network:
        out.update(network_outputs(model, vals, rows))
    return {c: out[c] for c in model.output_columns if c in out}


def _burden(model: Model, vals, u, rows) -> dict[str, np.ndarray]:
    # Allies first: every per-ally array is (allies, rows), so an ally's draws are contiguous
    # and sums over the allies are vector additions in the order of a single solve.
    spec = model.spec
    w0, q0 = model.income, model.spending
    n = w0.size
    by_kind: dict[str, list[str]] = {}
    for name, p in spec.parameters.items():
        by_kind.setdefault(p.kind, []).append(name)
    theta = vals[by_kind["private_share"][0]] if "private_share" in by_kind else np.zeros(rows)
    joint = bool(np.any(theta > 0))
    if joint:
        a, b = calibrate_batch(w0, q0, theta)
        a, b = np.ascontiguousarray(a.T), np.ascontiguousarray(b.T)
    else:
        a = model.alpha0[:, None]  # (allies, 1): the same for every draw
        b = None
    changed = False
    for name in by_kind.get("preference_spread", []):
        first, idx = model.latent[name]
        s = vals[name] / 100.0
        if not np.any(s > 0):
            continue
        f = np.ascontiguousarray(u[:, first : first + idx.size].T)  # 1 + s (2u - 1)
        f *= 2.0
        f -= 1.0
        f *= s
        f += 1.0
        if idx.size == n:  # every ally (the usual case): no fancy indexing
            a = a * f
            b = None if b is None else b * f
        else:
            a = np.array(np.broadcast_to(a, (n, rows)))
            a[idx] *= f
            if b is not None:
                b = np.array(b)
                b[idx] *= f
        changed = True
    if changed:
        top = a + (0.0 if b is None else b)
        over = top >= 1.0 - 1e-9
        if over.any():
            scale = np.where(over, (1.0 - 1e-9) / top, 1.0)
            a = a * scale
            b = None if b is None else b * scale
    w = w0
    for name in by_kind.get("gdp_growth", []):
        g = vals[name]
        if not np.any(g != 0):
            continue
        if w.ndim == 1:
            w = np.repeat(w0[:, None], rows, axis=1)
        w[model.targets[name]] *= 1.0 + g / 100.0
        changed = True
    W = w[:, None] if w.ndim == 1 else w  # (allies, rows) or (allies, 1)
    a = np.broadcast_to(a, (n, rows))
    shared: dict = {}  # r and the reservation levels, shared by the two solves
    if changed:
        # Newton's method starts at the observed total: few draws' contributors differ there.
        base, _ = solve_block(w, a, b, cache=shared, start=model.total)
    else:
        base = np.broadcast_to(q0[:, None], (n, rows))
    h = model.hub
    fixed: dict[int, np.ndarray] = {}
    caps: dict[int, np.ndarray] = {}
    floors: dict[int, np.ndarray] = {}
    if "hub_cut" in by_kind:
        cut = vals[by_kind["hub_cut"][0]]
        fixed[h] = (1.0 - cut / 100.0) * base[h]
    if "hub_cap" in by_kind:
        cap = vals[by_kind["hub_cap"][0]]
        caps[h] = cap / 100.0 * W[h]
    for name in by_kind.get("pledge", []):
        level = vals[name]
        on = level > 0
        for i in model.targets[name].tolist():
            f = np.where(on, level / 100.0 * W[i], np.nan)
            floors[i] = np.fmax(floors[i], f) if i in floors else f
    if not fixed and not caps and not floors and not changed:
        q = np.array(base)
    else:
        q, _ = solve_block(
            w,
            a,
            b,
            fixed=fixed,
            caps=caps,
            floors=floors,
            cache=shared,
            start=sum_over_allies(base),  # as scenario() starts: from the equilibrium before
        )
    total = sum_over_allies(q)
    out: dict[str, np.ndarray] = {}
    want = set(model.measures)
    if "total" in want:
        out["total"] = total
    if "alliance_burden" in want:
        out["alliance_burden"] = 100.0 * total / sum_over_allies(W)
    burden = 100.0 * q / W
    if "meets_2pct" in want:
        out["meets_2pct"] = np.count_nonzero(burden >= 2.0 - 1e-9, axis=0).astype(float)
    if "meets_3_5pct" in want:
        out["meets_3_5pct"] = np.count_nonzero(burden >= 3.5 - 1e-9, axis=0).astype(float)
    if "filled_share" in want or "hub_share" in want:
        if h is None:
            out["filled_share"] = out["hub_share"] = np.full(rows, np.nan)
        else:
            d = q[h] - base[h]
            others = sum_over_allies(q - base) - d
            cut = d < -1e-9 * np.maximum(sum_over_allies(base), 1e-300)
            with np.errstate(divide="ignore", invalid="ignore"):
                out["filled_share"] = np.where(cut, others / -d, np.nan)
            out["hub_share"] = q[h] / total
    for a_id in model.out_allies:
        i = model.actors.index(a_id)
        out[f"spending_{a_id}"] = q[i]
        out[f"burden_{a_id}"] = burden[i]
    keep = set(model.output_columns)
    return {k: np.broadcast_to(v, (rows,)) for k, v in out.items() if k in keep}


__all__ = [
    "BURDEN_OUTPUTS",
    "NETWORK_KINDS",
    "Model",
    "NetworkBase",
    "add_network",
    "evaluate",
    "measure_states",
    "network_states",
    "evaluate_block",
    "prepare",
]
