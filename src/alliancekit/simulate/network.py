"""The network half of a sweep: the curated graph of the year with each draw's ties in force,
joins, and the hub weakened or removed, built once per distinct set of ties and measured once
per distinct state in a cache each process keeps (:class:`NetworkBase`); the states a spec can
reach (:func:`network_states`), measured in tasks of their own by the local-process backend."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import pickle
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from alliancekit.simulate.engine import Model


_UNPICKLING = threading.Lock()


@dataclass
class NetworkBase:
    """What network draws need: the data, the year, the hub, and each process's caches."""

    data: object  # alliancekit.data.Dataset
    year: int
    hub: str
    measures: tuple[str, ...]
    ties: dict[str, tuple]  # parameter -> ("tie", tie_id) | ("kind", kind) | ("join", actor, org)
    removed: str | None
    weaken: str | None
    _graphs: dict = field(default_factory=dict, repr=False)
    _states: dict = field(default_factory=dict, repr=False)

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_graphs"], d["_states"] = {}, {}
        # The data travel as bytes, unpickled by the first graph a process builds: a worker
        # that only evaluates blocks (their network outputs looked up elsewhere) never
        # imports polars for them.
        if d["data"] is not None:
            d["data"], d["_data_pickle"] = None, pickle.dumps(d["data"], protocol=5)
        return d

    def dataset(self):
        """The data (alliancekit.data.Dataset), unpickled here on first use."""
        if self.data is None:
            with _UNPICKLING:  # a Dask worker may run tasks in several threads
                blob = self.__dict__.get("_data_pickle")
                if self.data is None and blob is not None:
                    self.data = pickle.loads(blob)
                    del self.__dict__["_data_pickle"]
        return self.data

    # -- graphs ---------------------------------------------------------------------------------
    def graph(self, key: tuple):
        """The graph with ``key``'s ties (a tuple of (parameter, on) pairs) — built once."""
        if key in self._graphs:
            return self._graphs[key]
        import polars as pl

        from alliancekit.network.graphs import build_graph

        base = self.dataset()
        ties = base.ties
        start = dt.date(self.year, 1, 1)
        extra = []
        for name, on in key:
            what = self.ties[name]
            if what[0] == "tie":
                sel = pl.col("tie_id") == what[1]
                if on:
                    ties = ties.with_columns(
                        pl.when(sel & (pl.col("start").is_null() | (pl.col("start") > start)))
                        .then(pl.lit(start))
                        .otherwise(pl.col("start"))
                        .alias("start"),
                        pl.when(sel).then(None).otherwise(pl.col("end")).alias("end"),
                    )
                else:
                    ties = ties.filter(~sel)
            elif what[0] == "kind":
                if not on:
                    ties = ties.filter(pl.col("kind") != what[1])
            elif on:  # join
                _, actor, org = what
                lay = base.ties.filter((pl.col("kind") == "member") & (pl.col("actor_b") == org))
                strength = int(lay["strength"].max()) if lay.height else 5
                extra.append(
                    {
                        "tie_id": f"sweep-{actor.lower()}-joins-{org.lower()}",
                        "kind": "member",
                        "actor_a": actor,
                        "actor_b": org,
                        "strength": strength,
                        "start": start,
                        "end": None,
                    }
                )
        if extra:
            ties = pl.concat(
                [ties, pl.DataFrame(extra).cast({"start": pl.Date, "end": pl.Date})],
                how="diagonal_relaxed",
            )
        data = dataclasses.replace(base, ties=ties)
        g = build_graph(data, self.year)
        self._graphs[key] = g
        return g

    def outputs(self, key: tuple, removed: bool, factor: float) -> dict[str, float]:
        """Network outputs of one state — measured once per process."""
        skey = (key, removed, factor)
        if skey in self._states:
            return self._states[skey]
        from alliancekit.network.gapfill import gap_fill
        from alliancekit.network.measures import (
            components,
            global_efficiency,
            hub_and_spoke_index,
            hub_dependence,
        )
        from alliancekit.network.scenarios import weakened
        from alliancekit.schema import ParameterError

        g = self.graph(key)
        if factor != 1.0 and self.hub in g.index:
            g = weakened(g, self.hub, factor)
        nan = math.nan
        out: dict[str, float] = {}
        want = set(self.measures)
        has_hub = self.hub in g.index
        if want & {"hub_dependence", "isolated_without_hub"}:
            hd = hub_dependence(g, self.hub) if has_hub else None
            out["hub_dependence"] = nan if hd is None or removed else hd["pairs_through_hub"]
            out["isolated_without_hub"] = nan if hd is None else float(len(hd["isolated"]))
        if "hub_spoke_indo_pacific" in want:
            out["hub_spoke_indo_pacific"] = (
                nan if not has_hub or removed else hub_and_spoke_index(g, "indo_pacific", self.hub)
            )
        if "gap_fill_cost" in want:
            try:
                out["gap_fill_cost"] = (
                    gap_fill(g, self.hub, theatre="indo_pacific", k=2).total_cost
                    if has_hub
                    else nan
                )
            except ParameterError:
                out["gap_fill_cost"] = nan
        if want & {"efficiency", "components"}:
            after = g.without([self.hub]) if removed and has_hub else g
            out["efficiency"] = global_efficiency(after)
            out["components"] = float(components(after)["components"])
        res = {m: out[m] for m in self.measures}
        self._states[skey] = res
        return res


def _support(p) -> list[float] | None:
    """The values a discrete parameter can take (None for a continuous one)."""
    if p.dist == "fixed":
        return [float(p.value)]
    if p.dist == "bernoulli":
        on = 1.0 if p.value is None else float(p.value)
        off = 0.0 if p.otherwise is None else float(p.otherwise)
        return [v for v, keep in ((on, p.p > 0), (off, p.p < 1)) if keep]
    if p.dist == "choice":
        w = [1.0] * len(p.values) if p.weights is None else p.weights
        return sorted({float(v) for v, x in zip(p.values, w, strict=True) if x > 0})
    return None


def network_states(model: Model, limit: int = 512) -> list[tuple] | None:
    """Every network state the draws can reach, as ``(ties key, removed, factor)`` (the keys
    of :meth:`NetworkBase.outputs`), grouped by set of ties; None when a network parameter is
    continuous or there are more than ``limit`` states (then each process measures the
    states its draws reach)."""
    import itertools

    net = model.network
    if net is None:
        return None
    params = model.spec.parameters
    names = list(net.ties)
    supports = [_support(params[n]) for n in names]
    removed = _support(params[net.removed]) if net.removed else [0.0]
    factor = _support(params[net.weaken]) if net.weaken else [1.0]
    if any(x is None for x in [*supports, removed, factor]):
        return None
    keys = sorted(
        {
            tuple((n, v > 0.5) for n, v in zip(names, c, strict=True))
            for c in itertools.product(*supports)
        }
    )
    rem = sorted({v > 0.5 for v in removed})
    states = [(k, r, f) for k in keys for r in rem for f in factor]
    return states if len(states) <= limit else None


def measure_states(model: Model, states: list[tuple]) -> dict[tuple, dict[str, float]]:
    """The network outputs of ``states`` (see :func:`network_states`), measured here."""
    return {st: model.network.outputs(*st) for st in states}


def network_outputs(model: Model, vals, rows) -> dict[str, np.ndarray]:
    """The network outputs of rows of parameter values ``vals``: each distinct state once."""
    net = model.network
    names = list(net.ties)
    # Each row's state as one integer, a digit per column (a tie in force or not, the hub
    # removed or not, the index of its weakening factor): np.unique of one int64 column costs
    # a tenth of np.unique over the rows of the parameters' columns.
    digits = [(vals[n] > 0.5, 2) for n in names]
    if net.removed:
        digits.append((vals[net.removed] > 0.5, 2))
    if net.weaken:
        factors, index = np.unique(vals[net.weaken], return_inverse=True)
        digits.append((index.reshape(-1), len(factors)))
    code = np.zeros(rows, dtype=np.int64)
    top = 1  # code < top
    for d, base in digits:
        if top * base >= 2**62:  # renumber the states so far 0, 1, ... (fewer than rows)
            code = np.unique(code, return_inverse=True)[1].reshape(-1)
            top = rows
        code *= base
        code += d
        top *= base
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    res = {m: np.empty(len(first)) for m in net.measures}
    for s, r in enumerate(first.tolist()):
        key = tuple((n, bool(vals[n][r] > 0.5)) for n in names)
        removed = bool(vals[net.removed][r] > 0.5) if net.removed else False
        factor = float(vals[net.weaken][r]) if net.weaken else 1.0
        o = net.outputs(key, removed, factor)
        for m in net.measures:
            res[m][s] = o[m]
    return {m: res[m][inverse] for m in net.measures}
