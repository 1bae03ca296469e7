"""The curated tables: actors, ties, events, timelines and citations."""

from __future__ import annotations

import datetime as dt

import polars as pl

from alliancekit.app import models as m
from alliancekit.app.service.values import rows


class TablesService:
    """The curated tables (a part of :class:`alliancekit.app.service.Service`)."""

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
