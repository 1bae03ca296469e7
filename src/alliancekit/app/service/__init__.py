"""What the API computes, through the library's own functions (never a measure of its own).

A :class:`Service` holds the validated dataset (the same as the CLI's, with the user's
``--extra`` files) and caches every answer as JSON bytes, keyed by its parameters: the data are
read-only, so an answer never changes while the server runs. Expensive answers not yet cached
(scenarios, gap-filling, the equilibrium model) pass a rate limit and a bound on how many are
computed at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
from pydantic import BaseModel

from alliancekit.app import models as m
from alliancekit.app.service.burden import BurdenService
from alliancekit.app.service.network import ACTOR_MEASURES, NetworkService
from alliancekit.app.service.sweep import SweepService
from alliancekit.app.service.tables import TablesService
from alliancekit.app.service.values import Bucket, TooManyRequests, clean, rows
from alliancekit.schema import ParameterError

__all__ = ["ACTOR_MEASURES", "Service", "TooManyRequests", "clean", "rows"]


class Service(TablesService, NetworkService, BurdenService, SweepService):
    """Everything the API answers, one part per module of this package (tables, network,
    burden, sweep); this class holds the data, the caches, the limits and the checks."""

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
        self._bucket = Bucket(expensive_rate, expensive_burst)
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
