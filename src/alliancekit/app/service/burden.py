"""Burden sharing: burden tables and series, the exploitation test, the equilibrium model,
and the charts of :mod:`alliancekit.charts` the report draws too."""

from __future__ import annotations

from alliancekit.app import models as m
from alliancekit.app.service.values import clean, rows
from alliancekit.schema import ParameterError


class BurdenService:
    """Burden sharing and its charts (a part of :class:`alliancekit.app.service.Service`)."""

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
            totals=m.BurdenTotals(**clean(bt.totals)),
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
            result=clean(dict(res)),
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
            summary=m.EquilibriumSummary(**clean(res.summary())),
            allies=allies,
        )

    # -- charts: the specs of alliancekit.charts, as the report draws them --------------------------
    def _chart(self, name: str, spec: dict) -> m.ChartOut:
        from alliancekit.charts import CONFIG

        return m.ChartOut(dataset=self.dataset, chart=name, config=CONFIG, **spec)

    def chart_burden(self, year: int, alliance: str, edition: str | None) -> m.ChartOut:
        from alliancekit.burden import burden_table
        from alliancekit.charts import burden_bars

        self.check_edition(edition)
        bt = burden_table(year, alliance, spending=self.spending(), data=self.data, edition=edition)
        return self._chart("burden", burden_bars(bt))

    def chart_hub_share(self, first: int, last: int, alliance: str) -> m.ChartOut:
        from alliancekit.burden import hub_share_series
        from alliancekit.charts import hub_share

        if last < first:
            raise ParameterError("to", f"the last year {last} is before the first {first}")
        df = hub_share_series(
            range(first, last + 1), alliance, spending=self.spending(), data=self.data
        )
        return self._chart("hub-share", hub_share(df, alliance))

    def chart_exploitation(self, year: int, alliance: str) -> m.ChartOut:
        from alliancekit.burden import exploitation_for_year
        from alliancekit.charts import exploitation_scatter

        res, used = exploitation_for_year(year, alliance, spending=self.spending(), data=self.data)
        return self._chart("exploitation", exploitation_scatter(used, res, alliance, year))

    def chart_equilibrium(self, year: int, alliance: str, us_cut: float) -> m.ChartOut:
        from alliancekit._params import parameters_as
        from alliancekit.burden import equilibrium_for_year
        from alliancekit.charts import EQUILIBRIUM_PRIVATE_SHARE, equilibrium_response

        with parameters_as({"us_cut_pct": "us_cut"}):
            pure, joint = (
                equilibrium_for_year(
                    year,
                    alliance,
                    spending=self.spending(),
                    data=self.data,
                    us_cut_pct=us_cut,
                    private_share=share,
                )
                for share in (0.0, EQUILIBRIUM_PRIVATE_SHARE)
            )
        spec = equilibrium_response(pure, joint, us_cut, EQUILIBRIUM_PRIVATE_SHARE)
        return self._chart("equilibrium", spec)

    def chart_ties_over_time(self) -> m.ChartOut:
        from alliancekit.charts import FIRST_YEAR, ties_over_time
        from alliancekit.query import ties_per_kind_year

        last = int(self.info.as_of[:4])
        long = ties_per_kind_year(self.data.ties, FIRST_YEAR, last)
        return self._chart("ties-over-time", ties_over_time(long, FIRST_YEAR, last))
