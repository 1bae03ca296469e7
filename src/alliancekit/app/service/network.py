"""The network: graphs of a year or a day, their measures and series, and the scenarios
(remove or weaken an actor, add ties or members, gap-filling)."""

from __future__ import annotations

import datetime as dt

from alliancekit.app import models as m
from alliancekit.app.service.values import clean, rows
from alliancekit.schema import ParameterError

ACTOR_MEASURES = ("degree", "strength", "eigenvector", "betweenness", "closeness", "clustering")


class NetworkService:
    """The network and its scenarios (a part of :class:`alliancekit.app.service.Service`)."""

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
            from alliancekit._params import parameters_as

            with parameters_as({"on": "date" if day is not None else "year"}):
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
            measures=clean(dict(gm)),
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
            row.update(clean(dict(graph_measures(g, hub, allow_empty=True))))
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
                    **clean(t),
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
