"""Burden sharing, and the charts of :mod:`alliancekit.charts` (the report's)."""

from typing import Annotated

from fastapi import Query

from alliancekit.app import models as m
from alliancekit.app.http import json_response
from alliancekit.app.params import (
    Alliance,
    Context,
)


def add_routes(app, svc, p: Context, **extra) -> None:
    """Add this module's routes to ``app`` (answers computed by ``svc``)."""
    last, get = p.last, p.get

    # -- burden sharing --------------------------------------------------------------------------
    SpendYear = Annotated[int, Query(ge=1949, le=last)]

    @get("/api/burden/editions", m.EditionsOut, tags=["burden"])
    async def burden_editions():
        """The spending editions (publisher and date) and the years with figures."""
        return json_response(await svc.acached(("editions",), svc.burden_editions))

    @get("/api/burden/table", m.BurdenTableOut, tags=["burden"])
    async def burden_table(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        edition: Annotated[str | None, Query(max_length=40)] = None,
    ):
        """Every burden measure of a year, one row per ally, and the alliance's totals."""
        key = ("burden", year, alliance, edition)
        return json_response(
            await svc.acached(key, lambda: svc.burden_table(year, alliance, edition))
        )

    @get("/api/burden/series", m.BurdenSeriesOut, tags=["burden"])
    async def burden_series(
        from_: Annotated[int, Query(alias="from", ge=1949, le=last)] = 2014,
        to: SpendYear = last,
        alliance: Alliance = "NATO",
    ):
        """Total spending, burden and the hub's (US) share of the alliance, year by year."""
        key = ("burden-series", from_, to, alliance)
        return json_response(
            await svc.acached(key, lambda: svc.burden_series(from_, to, alliance), expensive=True)
        )

    @get("/api/burden/exploitation", m.ExploitationOut, tags=["burden"])
    async def burden_exploitation(year: SpendYear = min(last, 2025), alliance: Alliance = "NATO"):
        """The Olson–Zeckhauser exploitation test: do larger allies bear larger burdens?"""
        key = ("exploitation", year, alliance)
        return json_response(
            await svc.acached(key, lambda: svc.exploitation(year, alliance), expensive=True)
        )

    @get("/api/burden/equilibrium", m.EquilibriumOut, tags=["burden"])
    async def burden_equilibrium(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        us_cut: Annotated[float | None, Query(ge=0, le=100)] = None,
        us_cap: Annotated[float | None, Query(ge=0, le=100)] = None,
        pledge: Annotated[
            list[Annotated[str, Query(pattern=r"^[A-Z][A-Z0-9_]{1,15}:\d{1,3}(\.\d{1,4})?$")]]
            | None,
            Query(max_length=40, description="ACTOR:PCT, e.g. DEU:3.5; repeatable"),
        ] = None,
        private_share: Annotated[float, Query(ge=0, lt=1)] = 0.0,
    ):
        """The equilibrium model of alliance spending: what the allies do when the US cuts
        (``us_cut``, % of its spending) or caps (``us_cap``, % of its GDP) and allies pledge."""
        pledges: dict[str, float] = {}
        for p in pledge or []:
            a, v = p.split(":")
            pledges[a] = float(v)
        key = (
            "equilibrium",
            year,
            alliance,
            us_cut,
            us_cap,
            tuple(sorted(pledges.items())),
            private_share,
        )
        return json_response(
            await svc.acached(
                key,
                lambda: svc.equilibrium(year, alliance, us_cut, us_cap, pledges, private_share),
                expensive=True,
            )
        )

    # -- charts: each defined once (alliancekit.charts), drawn the same here and in the report ----
    @get("/api/charts/burden", m.ChartOut, tags=["charts"])
    async def chart_burden(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        edition: Annotated[str | None, Query(max_length=40)] = None,
    ):
        """Each ally's burden against the 2% and 3.5% guidelines (the report's chart)."""
        key = ("chart-burden", year, alliance, edition)
        return json_response(
            await svc.acached(key, lambda: svc.chart_burden(year, alliance, edition))
        )

    @get("/api/charts/hub-share", m.ChartOut, tags=["charts"])
    async def chart_hub_share(
        from_: Annotated[int, Query(alias="from", ge=1949, le=last)] = 2014,
        to: SpendYear = last,
        alliance: Alliance = "NATO",
    ):
        """The US share of the allies' spending and GDP, year by year (the report's chart)."""
        key = ("chart-hub-share", from_, to, alliance)
        return json_response(
            await svc.acached(key, lambda: svc.chart_hub_share(from_, to, alliance), expensive=True)
        )

    @get("/api/charts/exploitation", m.ChartOut, tags=["charts"])
    async def chart_exploitation(year: SpendYear = min(last, 2025), alliance: Alliance = "NATO"):
        """Each ally's burden against its size, with the test's OLS line (the report's chart)."""
        key = ("chart-exploitation", year, alliance)
        return json_response(
            await svc.acached(key, lambda: svc.chart_exploitation(year, alliance), expensive=True)
        )

    @get("/api/charts/equilibrium", m.ChartOut, tags=["charts"])
    async def chart_equilibrium(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        us_cut: Annotated[float, Query(ge=0, le=100)] = 25.0,
    ):
        """The allies' response in equilibrium to a US cut, pure public good beside joint
        products (the report's chart)."""
        key = ("chart-equilibrium", year, alliance, us_cut)
        return json_response(
            await svc.acached(
                key, lambda: svc.chart_equilibrium(year, alliance, us_cut), expensive=True
            )
        )

    @get("/api/charts/ties-over-time", m.ChartOut, tags=["charts"])
    async def chart_ties_over_time():
        """Ties in force at the end of each year, by kind (the report's chart)."""
        return json_response(await svc.acached(("chart-ties-over-time",), svc.chart_ties_over_time))
