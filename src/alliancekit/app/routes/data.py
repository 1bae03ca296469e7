"""The curated tables: meta, actors, ties, events, timelines, citations."""

from typing import Annotated

from fastapi import Query

from alliancekit.app import models as m
from alliancekit.app.http import json_response
from alliancekit.app.params import (
    MAX_PAGE,
    ActorKind,
    Context,
    EventKind,
    Table,
    Theatre,
    TieKind,
)


def add_routes(app, svc, p: Context, **extra) -> None:
    """Add this module's routes to ``app`` (answers computed by ``svc``)."""
    get, Year, Day, ActorId, ActorIdOrNone = p.get, p.Year, p.Day, p.ActorId, p.ActorIdOrNone

    # -- meta and tables -------------------------------------------------------------------------
    @get("/api/meta", m.MetaOut, tags=["data"])
    async def meta():
        """Years covered, vocabularies, measure names and spending editions."""
        return json_response(await svc.acached(("meta",), svc.meta))

    @get("/api/actors", m.ActorsOut, tags=["data"])
    async def actors(theatre: Theatre | None = None, kind: ActorKind | None = None):
        """Actors (states, organisations, frameworks) with their codes, theatre and source."""
        return json_response(
            await svc.acached(("actors", theatre, kind), lambda: svc.actors(theatre, kind))
        )

    @get("/api/ties", m.TiesOut, tags=["data"])
    async def ties(
        actor: ActorId = None,
        kind: TieKind | None = None,
        year: Year = None,
        theatre: Theatre | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
        date: Day = None,
    ):
        """Ties involving ``actor``, of ``kind``, in force during ``year`` (or on the day
        ``date``), touching ``theatre``; with dates (signed, in force, ended), strength and
        source."""
        day = svc.parse_day(date)
        key = ("ties", actor, kind, year, theatre, limit, offset, day)
        return json_response(
            await svc.acached(key, lambda: svc.ties(actor, kind, year, theatre, limit, offset, day))
        )

    @get("/api/events", m.EventsOut, tags=["data"])
    async def events(
        actor: ActorId = None,
        kind: EventKind | None = None,
        year: Year = None,
        theatre: Theatre | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ):
        """Events (the timeline's entries) naming ``actor``, of ``kind``, in ``year``."""
        key = ("events", actor, kind, year, theatre, limit, offset)
        return json_response(
            await svc.acached(key, lambda: svc.events(actor, kind, year, theatre, limit, offset))
        )

    @get("/api/timeline", m.TimelineOut, tags=["data"])
    async def timeline(
        actor: ActorId = "JPN",
        with_: Annotated[ActorIdOrNone, Query(alias="with")] = None,
    ):
        """The dated story of an actor (or a pair, with ``with``): signatures, entries into
        force, ends and events, with sources."""
        return json_response(
            await svc.acached(("timeline", actor, with_), lambda: svc.timeline(actor, with_))
        )

    @get("/api/cite", m.CitationsOut, tags=["data"])
    async def cite(
        table: Table | None = None, actor: ActorId = None, kind: TieKind | EventKind | None = None
    ):
        """The sources behind a subset of the curated data, and how to cite the dataset."""
        return json_response(
            await svc.acached(("cite", table, actor, kind), lambda: svc.cite(table, actor, kind))
        )
