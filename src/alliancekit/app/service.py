"""What the API computes, through the library's own functions (never a measure of its own).

A :class:`Service` holds the validated dataset (the same as the CLI's, with the user's
``--extra`` files) and caches every answer as JSON bytes, keyed by its parameters: the data are
read-only, so an answer never changes while the server runs. Expensive answers not yet cached
(scenarios, gap-filling, the equilibrium model) pass a rate limit and a bound on how many are
computed at once.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from alliancekit.app import models as m
from alliancekit.schema import ParameterError

ACTOR_MEASURES = ("degree", "strength", "eigenvector", "betweenness", "closeness", "clustering")


class TooManyRequests(Exception):
    """An expensive computation was refused by the rate limit."""


def _clean(v):
    """JSON-safe scalars: dates as ISO text, NaN and inf as None."""
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


def rows(df: pl.DataFrame) -> list[dict]:
    return [_clean(r) for r in df.to_dicts()]


class _Bucket:
    """A token bucket: ``rate`` computations a second, bursts of ``burst``."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


class Service:
    def __init__(
        self,
        extra: Iterable[str | Path] = (),
        sweep: str | Path | None = None,
        *,
        cache_size: int = 2048,
        expensive_rate: float = 20.0,
        expensive_burst: int = 40,
        expensive_workers: int = 2,
    ):
        from alliancekit.data import load
        from alliancekit.network.graphs import data_years

        self.data = load(tuple(extra))
        self.info = self.data.info
        self.first_year, self.last_year = data_years(self.data)
        self.dataset = m.DatasetMeta(
            title=self.info.title,
            version=self.info.version,
            as_of=self.info.as_of,
            licence=self.info.licence,
        )
        self.names = dict(
            zip(
                self.data.actors["actor_id"].to_list(),
                self.data.actors["name"].to_list(),
                strict=True,
            )
        )
        self.theatres = dict(
            zip(
                self.data.actors["actor_id"].to_list(),
                self.data.actors["theatre"].to_list(),
                strict=True,
            )
        )
        self.sweep_path = Path(sweep) if sweep is not None else None
        self._sweep_df: pl.DataFrame | None = None
        if self.sweep_path is not None:
            self._sweep_df = pl.read_parquet(self.sweep_path)
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._graph_lock = threading.Lock()
        self._graphs: dict[tuple, object] = {}
        self._bucket = _Bucket(expensive_rate, expensive_burst)
        self._workers = threading.BoundedSemaphore(expensive_workers)
        self._spending = None

    # -- caching ---------------------------------------------------------------------------------
    def cached(self, key: tuple, build: Callable[[], BaseModel], expensive: bool = False) -> bytes:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        if expensive:
            if not self._bucket.take():
                raise TooManyRequests()
            with self._workers:
                body = build().model_dump_json(by_alias=True).encode()
        else:
            body = build().model_dump_json(by_alias=True).encode()
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return body

    async def acached(
        self, key: tuple, build: Callable[[], BaseModel], expensive: bool = False
    ) -> bytes:
        """:meth:`cached` for async endpoints: a hit answers at once, a miss is computed in a
        worker thread (the event loop keeps serving hits meanwhile)."""
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(self.cached, key, build, expensive)

    # -- checks ----------------------------------------------------------------------------------
    def check_actor(self, actor: str | None, parameter: str = "actor") -> None:
        if actor is not None and actor not in self.names:
            raise ParameterError(parameter, f"unknown actor {actor!r}; see /api/actors")

    def check_year(self, year: int, parameter: str = "year") -> None:
        if not self.first_year <= year <= self.last_year:
            raise ParameterError(
                parameter,
                f"{year} is outside the curated data ({self.first_year}–{self.last_year})",
            )

    def spending(self):
        if self._spending is None:
            from alliancekit.burden import load_spending

            self._spending = load_spending()
        return self._spending

    def editions(self) -> list[str]:
        return sorted(set(self.spending()["edition"].to_list()))

    # -- tables ----------------------------------------------------------------------------------
    def meta(self) -> m.MetaOut:
        from alliancekit.network.measures import GRAPH_MEASURE_DOCS
        from alliancekit.schema import EVENT_KINDS, THEATRES, TIE_KINDS

        return m.MetaOut(
            dataset=self.dataset,
            first_year=self.first_year,
            last_year=self.last_year,
            tie_kinds=list(TIE_KINDS),
            event_kinds=list(EVENT_KINDS),
            theatres=list(THEATRES),
            actor_measures=list(ACTOR_MEASURES),
            graph_measures=dict(GRAPH_MEASURE_DOCS),
            editions=self.editions(),
            sweep=self._sweep_df is not None,
        )

    def actors(self, theatre: str | None, kind: str | None) -> m.ActorsOut:
        df = self.data.actors
        if theatre is not None:
            df = df.filter(pl.col("theatre") == theatre)
        if kind is not None:
            df = df.filter(pl.col("kind") == kind)
        out = [m.Actor(**r) for r in rows(df.drop("origin"))]
        return m.ActorsOut(dataset=self.dataset, count=len(out), actors=out)

    def _in_theatre(self, ids: pl.Expr, theatre: str) -> list[str]:
        return [a for a, t in self.theatres.items() if t == theatre]

    def ties(
        self,
        actor: str | None,
        kind: str | None,
        year: int | None,
        theatre: str | None,
        limit: int,
        offset: int,
        day: dt.date | None = None,
    ) -> m.TiesOut:
        from alliancekit.data import in_force_on
        from alliancekit.query import select_rows

        self.check_actor(actor)
        df = select_rows(self.data, "ties", actor=actor, kind=kind, year=None if day else year)
        if day is not None:
            df = in_force_on(df, day)
        if theatre is not None:
            ids = self._in_theatre(pl.col("actor_a"), theatre)
            df = df.filter(pl.col("actor_a").is_in(ids) | pl.col("actor_b").is_in(ids))
        df = df.sort("start", "tie_id", nulls_last=True)
        total = df.height
        page = df.slice(offset, limit).with_columns(
            name_a=pl.col("actor_a").replace_strict(self.names, default=pl.col("actor_a")),
            name_b=pl.col("actor_b").replace_strict(self.names, default=pl.col("actor_b")),
        )
        out = [m.Tie(**r) for r in rows(page.drop("start", "end", "origin"))]
        return m.TiesOut(dataset=self.dataset, total=total, count=len(out), offset=offset, ties=out)

    def events(
        self,
        actor: str | None,
        kind: str | None,
        year: int | None,
        theatre: str | None,
        limit: int,
        offset: int,
    ) -> m.EventsOut:
        from alliancekit.query import select_rows

        self.check_actor(actor)
        df = select_rows(self.data, "events", actor=actor, kind=kind, year=year)
        if theatre is not None:
            ids = self._in_theatre(pl.col("actors"), theatre)
            df = df.filter(
                pl.col("actors").list.eval(pl.element().is_in(ids)).list.any().fill_null(False)
            )
        total = df.height
        page = df.slice(offset, limit)
        out = [m.Event(**r) for r in rows(page.drop("date_start", "origin"))]
        return m.EventsOut(
            dataset=self.dataset, total=total, count=len(out), offset=offset, events=out
        )

    def timeline(self, actor: str, with_actor: str | None) -> m.TimelineOut:
        from alliancekit.query import timeline

        df = timeline(self.data, actor, with_actor)
        steps = [m.TimelineStep(**r) for r in rows(df)]
        ids = {actor, *(x for s in steps for x in s.with_.split(";") if x)}
        if with_actor:
            ids.add(with_actor)
        return m.TimelineOut(
            dataset=self.dataset,
            actor=actor,
            with_actor=with_actor,
            names={a: self.names.get(a, a) for a in sorted(ids)},
            steps=steps,
        )

    def cite(self, table: str | None, actor: str | None, kind: str | None) -> m.CitationsOut:
        from alliancekit.data import citation, cite

        self.check_actor(actor)
        df = cite(table, actor=actor, kind=kind, data=self.data)
        return m.CitationsOut(
            dataset=self.dataset,
            citation=citation(),
            sources=[m.Citation(**r) for r in rows(df)],
        )

    # -- the network -----------------------------------------------------------------------------
    def parse_day(self, day: str | None) -> dt.date | None:
        """A day (``YYYY-MM-DD``) within the data's years, or None."""
        if day is None:
            return None
        try:
            d = dt.date.fromisoformat(day)
        except ValueError:
            raise ParameterError("date", f"not a day YYYY-MM-DD: {day!r}") from None
        self.check_year(d.year, "date")
        if d > dt.date.fromisoformat(self.info.as_of):
            raise ParameterError("date", f"{day} is after the data's as-of date {self.info.as_of}")
        return d

    def graph_for(
        self,
        year: int,
        kinds: tuple[str, ...] | None,
        theatres: tuple[str, ...] | None,
        day: dt.date | None = None,
    ):
        """The graph of a year (its last day; the as-of date for the current year), or of a day."""
        from alliancekit.network import build_graph

        if day is None:
            self.check_year(year)
        key = (day or year, kinds, theatres)
        with self._graph_lock:
            g = self._graphs.get(key)
        if g is None:
            g = build_graph(self.data, day or year, kinds=kinds, theatres=theatres)
            with self._graph_lock:
                self._graphs.setdefault(key, g)
                g = self._graphs[key]
                if len(self._graphs) > 512:
                    self._graphs.pop(next(iter(self._graphs)))
        return g

    def _actor_table(self, g) -> dict[str, dict]:
        from alliancekit.network import actor_measures

        if g.m == 0:
            return {}
        return {r["actor"]: r for r in rows(actor_measures(g))}

    def measures(
        self, year, kinds, theatres, hub: str, weighted: bool, day: dt.date | None = None
    ) -> m.MeasuresOut:
        from alliancekit.network import actor_measures, graph_measures
        from alliancekit.network.measures import GRAPH_MEASURE_DOCS

        self.check_actor(hub, "hub")
        g = self.graph_for(year, kinds, theatres, day)
        gm = graph_measures(g, hub, weighted)
        am = actor_measures(g, weighted)
        return m.MeasuresOut(
            dataset=self.dataset,
            year=g.on.year,
            on=g.on.isoformat(),
            graph=g.label,
            hub=hub,
            weighted=weighted,
            measures=_clean(dict(gm)),
            descriptions={k: v for k, v in GRAPH_MEASURE_DOCS.items() if k in gm},
            actors=[m.ActorMeasure(**r) for r in rows(am)],
        )

    def graph(self, year, kinds, theatres, day: dt.date | None = None) -> m.GraphOut:
        from alliancekit.network.picture import layout

        g = self.graph_for(year, kinds, theatres, day)
        pos = layout(g) if g.n else {}
        am = self._actor_table(g)
        nodes = []
        for a, name, th in zip(g.nodes, g.names or g.nodes, g.theatre, strict=True):
            x, y = pos.get(a, (0.0, 0.0))
            r = am.get(a, {})
            nodes.append(
                m.Node(
                    id=a,
                    name=name,
                    theatre=th,
                    x=float(x),
                    y=float(y),
                    degree=int(r.get("degree") or 0),
                    **{k: r.get(k) for k in ACTOR_MEASURES if k != "degree"},
                )
            )
        edges = []
        if g.m:
            for r in g.edges.iter_rows(named=True):
                edges.append(
                    m.Edge(
                        a=r["a"],
                        b=r["b"],
                        weight=r["weight"],
                        ties=r["ties"] or 0,
                        kinds=r["kinds"] or [],
                        basis=r["basis"] or [],
                        via=r["via"] or [],
                        cross_theatre=g.theatre_of(r["a"]) != g.theatre_of(r["b"]),
                    )
                )
        return m.GraphOut(
            dataset=self.dataset,
            year=g.on.year,
            on=g.on.isoformat(),
            graph=g.label,
            nodes=nodes,
            edges=edges,
        )

    def series(self, first: int, last: int, hub: str) -> m.SeriesOut:
        from alliancekit.network import graph_measures

        self.check_actor(hub, "hub")
        self.check_year(first, "from")
        self.check_year(last, "to")
        if last < first:
            raise ParameterError("to", f"the last year {last} is before the first {first}")
        out = []
        for y in range(first, last + 1):
            g = self.graph_for(y, None, None)
            row = {"year": y}
            row.update(_clean(dict(graph_measures(g, hub, allow_empty=True))))
            out.append(row)
        names = [k for k in out[0] if k != "year"] if out else []
        return m.SeriesOut(dataset=self.dataset, first=first, last=last, measures=names, rows=out)

    # -- scenarios -------------------------------------------------------------------------------
    def _gap_fill(self, g, hub: str, theatre: str | None, k: int) -> m.GapFillOut:
        from alliancekit.network import gap_fill

        gf = gap_fill(g, hub, theatre=theatre, k=k)
        d = gf.to_dict()
        return m.GapFillOut(
            hub=hub,
            k=k,
            theatre=theatre,
            graph=d["graph"],
            allies=d["allies"],
            components_without_hub=d["components_without_hub"],
            isolated_without_hub=d["isolated_without_hub"],
            new_ties=[
                m.NewTie(
                    **_clean(t),
                    name_a=self.names.get(t["a"], t["a"]),
                    name_b=self.names.get(t["b"], t["b"]),
                )
                for t in d["new_ties"]
            ],
            total_cost=d["total_cost"],
            k_edge_connected_after=d["k_edge_connected_after"],
            cost_rule=d["cost_rule"],
        )

    def _scenario_out(self, year, res, hub, isolated, gf=None, gf_error=None) -> m.ScenarioOut:
        return m.ScenarioOut(
            dataset=self.dataset,
            year=year,
            scenario=res.name,
            graph=res.before.label,
            hub=hub,
            notes=res.notes,
            measures=[m.MeasureChange(**r) for r in rows(res.table)],
            isolated=isolated,
            gap_fill=gf,
            gap_fill_error=gf_error,
        )

    def remove(
        self, year, actor: str, hub: str, gap: bool, theatre: str | None, k: int
    ) -> m.ScenarioOut:
        from alliancekit.network import remove
        from alliancekit.network.measures import hub_dependence

        self.check_actor(actor)
        self.check_actor(hub, "hub")
        g = self.graph_for(year, None, None)
        g.require_edges()
        g.require(actor, "actor")
        res = remove(g, actor, hub=hub)
        isolated = list(hub_dependence(g, actor)["isolated"]) if actor in g.index else []
        gf = gf_error = None
        if gap:
            try:
                gf = self._gap_fill(g, actor, theatre, k)
            except ParameterError as exc:
                gf_error = str(exc)
        return self._scenario_out(year, res, hub, isolated, gf, gf_error)

    def weaken(self, year, actor: str, factor: float, hub: str) -> m.ScenarioOut:
        from alliancekit.network import weaken

        self.check_actor(actor)
        self.check_actor(hub, "hub")
        g = self.graph_for(year, None, None)
        g.require_edges()
        g.require(actor, "actor")
        res = weaken(g, actor, factor, hub=hub)
        return self._scenario_out(year, res, hub, [])

    def gap_fill(self, year, hub: str, theatre: str | None, k: int) -> m.GapFillResponse:
        self.check_actor(hub, "hub")
        g = self.graph_for(year, None, None)
        g.require_edges()
        return m.GapFillResponse(
            dataset=self.dataset, year=year, gap_fill=self._gap_fill(g, hub, theatre, k)
        )

    def add_ties(self, body: m.AddTiesIn) -> m.ScenarioOut:
        from alliancekit.network import connect as add_ties

        g = self.graph_for(body.year, None, None)
        g.require_edges()
        for i, t in enumerate(body.ties):
            for side in ("a", "b"):
                x = getattr(t, side)
                if x not in self.names or x not in g.index:
                    raise ParameterError(
                        f"ties[{i}].{side}", f"{x!r} is not a state of the {body.year} graph"
                    )
        res = add_ties(g, [(t.a, t.b, t.strength) for t in body.ties], hub=body.hub)
        return self._scenario_out(body.year, res, body.hub, [])

    def add_members(self, body: m.AddMembersIn) -> m.ScenarioOut:
        from alliancekit.network import add_members

        g = self.graph_for(body.year, None, None)
        g.require_edges()
        for i, s in enumerate(body.states):
            if self.names.get(s) is None or s not in g.index:
                raise ParameterError(
                    f"states[{i}]", f"{s!r} is not a state of the {body.year} graph"
                )
        res = add_members(g, body.organisation, body.states, body.strength, hub=body.hub)
        return self._scenario_out(body.year, res, body.hub, [])

    # -- burden sharing --------------------------------------------------------------------------
    def check_edition(self, edition: str | None) -> None:
        if edition is not None and edition not in self.editions():
            raise ParameterError(
                "edition", f"unknown edition {edition!r}; editions: {', '.join(self.editions())}"
            )

    def burden_table(self, year: int, alliance: str, edition: str | None) -> m.BurdenTableOut:
        from alliancekit.burden import burden_table
        from alliancekit.burden.measures import GUIDELINES

        self.check_edition(edition)
        bt = burden_table(year, alliance, spending=self.spending(), data=self.data, edition=edition)
        return m.BurdenTableOut(
            dataset=self.dataset,
            year=year,
            alliance=bt.alliance,
            edition=edition,
            guidelines={k: v[0] for k, v in GUIDELINES.items()},
            totals=m.BurdenTotals(**_clean(bt.totals)),
            allies=[m.BurdenRow(**r) for r in rows(bt.table)],
        )

    def burden_series(self, first: int, last: int, alliance: str) -> m.BurdenSeriesOut:
        from alliancekit.burden import hub_share_series

        if last < first:
            raise ParameterError("to", f"the last year {last} is before the first {first}")
        df = hub_share_series(
            range(first, last + 1), alliance, spending=self.spending(), data=self.data
        )
        return m.BurdenSeriesOut(
            dataset=self.dataset,
            alliance=alliance,
            first=first,
            last=last,
            rows=[m.BurdenSeriesRow(**r) for r in rows(df)],
        )

    def burden_editions(self) -> m.EditionsOut:
        years = sorted(set(self.spending()["year"].to_list()))
        return m.EditionsOut(dataset=self.dataset, editions=self.editions(), years=years)

    def exploitation(self, year: int, alliance: str) -> m.ExploitationOut:
        from alliancekit.burden import exploitation_for_year

        res, used = exploitation_for_year(year, alliance, spending=self.spending(), data=self.data)
        return m.ExploitationOut(
            dataset=self.dataset,
            year=year,
            alliance=alliance,
            result=_clean(dict(res)),
            used=[m.ExploitationUsed(**r) for r in rows(used)],
        )

    def equilibrium(
        self,
        year: int,
        alliance: str,
        us_cut: float | None,
        us_cap: float | None,
        pledges: dict[str, float],
        private_share: float,
    ) -> m.EquilibriumOut:
        from alliancekit._params import parameters_as
        from alliancekit.burden import equilibrium_for_year

        # The API's names for the library's parameters, as the CLI does with its flags.
        names = {"us_cap_pct": "us_cap", "us_cut_pct": "us_cut", "pledges_pct": "pledge"}
        with parameters_as(names):
            res = equilibrium_for_year(
                year,
                alliance,
                spending=self.spending(),
                data=self.data,
                us_cut_pct=us_cut,
                us_cap_pct=us_cap,
                pledges_pct=pledges or None,
                private_share=private_share,
            )
        allies = [
            m.EquilibriumAlly(**r, name=self.names.get(r["actor_id"])) for r in rows(res.table())
        ]
        return m.EquilibriumOut(
            dataset=self.dataset,
            year=year,
            alliance=alliance,
            summary=m.EquilibriumSummary(**_clean(res.summary())),
            allies=allies,
        )

    # -- sweeps ----------------------------------------------------------------------------------
    def sweep(self, threshold: float | None, bins: int) -> m.SweepOut:
        import numpy as np

        df = self._sweep_df
        if df is None:
            raise ParameterError("sweep", "no sweep file was given: start with --sweep FILE")
        cols = []
        for name, dtype in df.schema.items():
            if not dtype.is_numeric():
                continue
            x = df[name].drop_nulls().cast(pl.Float64).to_numpy()
            x = x[np.isfinite(x)]
            if x.size == 0:
                cols.append(m.SweepColumn(column=name, n=0, bins=[], counts=[]))
                continue
            counts, edges = np.histogram(x, bins=bins)
            q = np.quantile(x, [0.05, 0.5, 0.95])
            cols.append(
                m.SweepColumn(
                    column=name,
                    n=int(x.size),
                    mean=float(x.mean()),
                    p05=float(q[0]),
                    p50=float(q[1]),
                    p95=float(q[2]),
                    bins=[float(e) for e in edges],
                    counts=[int(c) for c in counts],
                    p_above=None if threshold is None else float((x > threshold).mean()),
                )
            )
        return m.SweepOut(
            dataset=self.dataset,
            file=self.sweep_path.name if self.sweep_path else "",
            rows=df.height,
            threshold=threshold,
            columns=cols,
        )
