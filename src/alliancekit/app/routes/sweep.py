"""A sweep's results (given with ``--sweep``)."""

from typing import Annotated

from fastapi import Query

from alliancekit.app import models as m
from alliancekit.app.http import json_response
from alliancekit.app.params import (
    Context,
)


def add_routes(app, svc, p: Context, **extra) -> None:
    """Add this module's routes to ``app`` (answers computed by ``svc``)."""
    get = p.get

    # -- sweeps ----------------------------------------------------------------------------------
    @get("/api/sweep", m.SweepOut, tags=["scenarios"])
    async def sweep(
        threshold: Annotated[float | None, Query(ge=-1e15, le=1e15)] = None,
        bins: Annotated[int, Query(ge=2, le=100)] = 20,
    ):
        """Distributions of a Monte Carlo sweep's results (given with ``--sweep``) and the
        probability that each exceeds ``threshold``."""
        return json_response(
            await svc.acached(("sweep", threshold, bins), lambda: svc.sweep(threshold, bins))
        )
