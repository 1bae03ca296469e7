"""The network (measures, graph, series) and the scenarios; ``app.state.warm``."""

from typing import Annotated

from fastapi import Body, Query

from alliancekit.app import models as m
from alliancekit.app.http import json_response
from alliancekit.app.params import (
    Context,
    Theatre,
    TieKind,
)
from alliancekit.schema import THEATRES, TIE_KINDS, ParameterError


def add_routes(app, svc, p: Context, **extra) -> None:
    """Add this module's routes to ``app`` (answers computed by ``svc``)."""
    first, last, get, errors, Day, ActorId = p.first, p.last, p.get, p.errors, p.Day, p.ActorId

    # -- the network -----------------------------------------------------------------------------
    Kinds = Annotated[
        list[TieKind] | None, Query(max_length=len(TIE_KINDS), description="repeat for several")
    ]
    Theatres = Annotated[
        list[Theatre] | None,
        Query(alias="theatre", max_length=len(THEATRES), description="repeat for several"),
    ]

    def _norm(xs) -> tuple[str, ...] | None:
        return None if not xs else tuple(sorted(set(xs)))

    @get("/api/network/measures", m.MeasuresOut, tags=["network"])
    async def network_measures(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        kinds: Kinds = None,
        theatres: Theatres = None,
        hub: ActorId = "USA",
        weighted: bool = True,
        date: Day = None,
    ):
        """Graph measures and per-actor measures of the state graph in force in ``year`` (its
        last day; today's as-of date for the current year) or on the day ``date``."""
        k, t = _norm(kinds), _norm(theatres)
        day = svc.parse_day(date)
        key = ("measures", year, k, t, hub, weighted)
        if day is not None:
            key = ("measures-day", day, k, t, hub, weighted)
        return json_response(
            await svc.acached(key, lambda: svc.measures(year, k, t, hub, weighted, day))
        )

    def warm() -> None:
        """Compute every year's graph and measures, then the US-removal scenario with
        gap-filling (newest first), into the cache: run in a background thread by
        ``alliancekit serve`` so that the slider and the scenario button find them (≈ 2 s of
        CPU; the first gap-filling also pays networkx's import, ≈ 0.4 s)."""
        years = range(last, first - 1, -1)
        for y in years:
            try:
                svc.cached(("graph", y, None, None), lambda y=y: svc.graph(y, None, None))
                svc.cached(
                    ("measures", y, None, None, "USA", True),
                    lambda y=y: svc.measures(y, None, None, "USA", True),
                )
            except ParameterError:
                continue
        for y in years:
            try:
                svc.cached(
                    ("remove", y, "USA", "USA", True, None, 1),
                    lambda y=y: svc.remove(y, "USA", "USA", True, None, 1),
                )
            except ParameterError:
                continue

    app.state.warm = warm

    @get("/api/network/graph", m.GraphOut, tags=["network"])
    async def network_graph(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        kinds: Kinds = None,
        theatres: Theatres = None,
        date: Day = None,
    ):
        """The graph for drawing (of ``year``, or of the day ``date``): nodes with names,
        theatre, layout positions and measures; edges with weight, kinds and basis (tie ids)."""
        k, t = _norm(kinds), _norm(theatres)
        day = svc.parse_day(date)
        key = ("graph", year, k, t) if day is None else ("graph-day", day, k, t)
        return json_response(await svc.acached(key, lambda: svc.graph(year, k, t, day)))

    @get("/api/network/series", m.SeriesOut, tags=["network"])
    async def network_series(
        from_: Annotated[int, Query(alias="from", ge=first, le=last)] = max(first, 2000),
        to: Annotated[int, Query(ge=first, le=last)] = last,
        hub: ActorId = "USA",
    ):
        """Graph measures year by year."""
        key = ("series", from_, to, hub)
        return json_response(
            await svc.acached(key, lambda: svc.series(from_, to, hub), expensive=True)
        )

    # -- scenarios -------------------------------------------------------------------------------
    K = Annotated[int, Query(ge=1, le=2, description="1 connected, 2 two-edge-connected")]

    @get("/api/scenario/remove", m.ScenarioOut, tags=["scenarios"])
    async def scenario_remove(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        actor: ActorId = "USA",
        hub: ActorId = "USA",
        gap_fill: bool = True,
        theatre: Theatre | None = None,
        k: K = 1,
    ):
        """Remove an actor (the hub by default): measures before and after, the partners left
        with no tie, and the cheapest ties among the allies that reconnect them."""
        key = ("remove", year, actor, hub, gap_fill, theatre, k)
        return json_response(
            await svc.acached(
                key, lambda: svc.remove(year, actor, hub, gap_fill, theatre, k), expensive=True
            )
        )

    @get("/api/scenario/weaken", m.ScenarioOut, tags=["scenarios"])
    async def scenario_weaken(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        actor: ActorId = "USA",
        factor: Annotated[float, Query(ge=0, le=10)] = 0.5,
        hub: ActorId = "USA",
    ):
        """Multiply the strength of an actor's ties by ``factor``."""
        key = ("weaken", year, actor, round(factor, 6), hub)
        return json_response(
            await svc.acached(key, lambda: svc.weaken(year, actor, factor, hub), expensive=True)
        )

    @get("/api/scenario/gap-fill", m.GapFillResponse, tags=["scenarios"])
    async def scenario_gap_fill(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        hub: ActorId = "USA",
        theatre: Theatre | None = None,
        k: K = 1,
    ):
        """Without the hub, the cheapest new ties among its allies that keep them connected."""
        key = ("gap-fill", year, hub, theatre, k)
        return json_response(
            await svc.acached(key, lambda: svc.gap_fill(year, hub, theatre, k), expensive=True)
        )

    @app.post(
        "/api/scenario/add-ties", response_model=m.ScenarioOut, responses=errors, tags=["scenarios"]
    )
    async def scenario_add_ties(body: Annotated[m.AddTiesIn, Body()]):
        """Add ties (a, b, strength) to a year's graph: measures before and after."""
        key = ("add-ties", body.model_dump_json())
        return json_response(await svc.acached(key, lambda: svc.add_ties(body), expensive=True))

    @app.post(
        "/api/scenario/add-members",
        response_model=m.ScenarioOut,
        responses=errors,
        tags=["scenarios"],
    )
    async def scenario_add_members(body: Annotated[m.AddMembersIn, Body()]):
        """New members of an organisation or framework: measures before and after."""
        key = ("add-members", body.model_dump_json())
        return json_response(await svc.acached(key, lambda: svc.add_members(body), expensive=True))
