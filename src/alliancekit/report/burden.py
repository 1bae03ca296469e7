"""Report sections on burden sharing: burdens against the guidelines, the US share over time,
the exploitation test and the US-cut equilibrium."""

from __future__ import annotations

import math

import polars as pl

from alliancekit.charts import EQUILIBRIUM_PRIVATE_SHARE
from alliancekit.data import Dataset
from alliancekit.report.html import CHECK, Section, chart, esc, table

ALLIANCE = "NATO"
HUB = "USA"
US_CUT_PCT = 25.0
PRIVATE_SHARE = EQUILIBRIUM_PRIVATE_SHARE  # the joint-product variant beside the pure one
FIRST_YEAR = 2014  # the Wales pledge


def _latest_year(spending: pl.DataFrame, as_of: int) -> int | None:
    us = spending.filter(
        (pl.col("actor_id") == HUB)
        & pl.col("measure").is_in(["defence_expenditure", "burden"])
        & (pl.col("year") <= as_of)
    )
    return int(us["year"].max()) if us.height else None


def _fmt(v, digits=1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.{digits}f}"


def sections(data: Dataset) -> list[Section]:
    from alliancekit import charts
    from alliancekit.burden import (
        burden_table,
        equilibrium_for_year,
        exploitation_for_year,
        exploitation_series,
        hub_share_series,
        load_spending,
    )
    from alliancekit.schema import AlliancekitError

    spending = load_spending()
    as_of = int(data.info.as_of[:4])
    year = _latest_year(spending, as_of) if not spending.is_empty() else None
    if year is None:
        return [
            Section(
                "burden",
                "Burden sharing",
                '<p class="note">No defence spending figures are in the curated data yet, so '
                "burdens, the exploitation test and the equilibrium model are not shown.</p>",
            )
        ]
    out: list[Section] = []
    # The year's table serves the exploitation test and the equilibrium model too, which would
    # each compute it again (as the test's series would the tables of the years before).
    bt = burden_table(year, ALLIANCE, spending=spending, data=data, hub=HUB)
    t = bt.totals
    kpis = "".join(
        f'<span class="kpi"><b>{esc(v)}</b>{esc(k)}</span>'
        for k, v in (
            (f"allies with figures, {year}", f"{t['with_figures']}/{t['members']}"),
            ("US share of spending", f"{_fmt(t['hub_share_spending_pct'])}%"),
            ("alliance burden", f"{_fmt(t['burden_pct'], 2)}%"),
            ("meet 2%", t["meeting_2pct"]),
            ("meet 3.5%", t["meeting_3_5pct"]),
            ("short of 3.5%, US$ bn", _fmt((t["gap_3_5pct_usd_mn"] or 0) / 1000, 0)),
        )
    )
    # One column per measure, in words with units; the ally's name links to its source and
    # carries (e) for an estimate. Columns with one value for every ally (the edition, the 5%
    # verdict where no source reports defence-related spending) become a sentence instead.
    t = bt.table
    shown = t.select(
        pl.concat_str(
            pl.col("name"), pl.when(pl.col("estimate")).then(pl.lit(" (e)")).otherwise(pl.lit(""))
        ).alias("ally"),
        # rounded as before the formats came (polars' rounding), so the figures stay the same
        pl.col("spending_usd_mn").round(0),
        pl.col("burden_pct").round(2),
        pl.col("share_spending_pct").round(1),
        pl.col("fair_share_ratio").round(2),
        pl.col("real_change_pct").round(1),
        "meets_2pct",
        pl.col("gap_2pct_usd_mn").round(0),
        "meets_3_5pct",
        pl.col("gap_3_5pct_usd_mn").round(0),
        "meets_5pct",
        "edition",
        "source_url",
    )
    # A guideline met, or the money short of it (US$ mn): one column per guideline.
    for met, gap in (("meets_2pct", "gap_2pct_usd_mn"), ("meets_3_5pct", "gap_3_5pct_usd_mn")):
        cells = [
            CHECK if m else None if g is None else f"short by {g:,.0f}"
            for m, g in zip(shown[met].to_list(), shown[gap].to_list(), strict=True)
        ]
        shown = shown.with_columns(pl.Series(met, cells, dtype=pl.String)).drop(gap)
    constant = {}
    for col in ("meets_5pct", "edition"):
        values = set(shown[col].drop_nulls().to_list())
        if len(values) <= 1:
            constant[col] = next(iter(values), None)
            shown = shown.drop(col)
    burden_labels = {
        "ally": "Ally",
        "spending_usd_mn": "Defence spending, US$ mn",
        "burden_pct": "Burden, % of GDP",
        "share_spending_pct": "Share of allied spending",
        "fair_share_ratio": "Fair-share ratio (spending ÷ GDP share)",
        "real_change_pct": "Real change on the year before, %",
        "meets_2pct": "2% of GDP (short by: US$ mn)",
        "meets_3_5pct": "3.5% of GDP (short by: US$ mn)",
        "meets_5pct": "At 5% in all",
        "edition": "Edition",
    }
    burden_formats = {
        "spending_usd_mn": "int",
        "burden_pct": "pct:2",
        "share_spending_pct": "pct:1",
        "fair_share_ratio": "num:2",
        "real_change_pct": "signed:1",
        "meets_2pct": "figure",
        "meets_3_5pct": "figure",
    }
    same = []
    if constant.get("edition"):
        same.append(f"every figure is from the edition {esc(constant['edition'])}")
    if "meets_5pct" in constant:
        same.append(f"the 5% in all is {esc(constant['meets_5pct'] or 'not given')} for every ally")
    same_note = f'<p class="note">In this table {"; ".join(same)}.</p>' if same else ""
    body = (
        f"<p>{kpis}</p>"
        "<p>Defence expenditure as a share of GDP for each ally, against NATO's guidelines: 2% (Wales, "
        "2014) and 3.5% of GDP on core defence by 2035 (The Hague, 2025). The Hague's 5% in all adds up "
        "to 1.5% of defence- and security-related spending that NATO's tables do not report: it is "
        "judged only where a source gives those figures, and is otherwise <em>not measurable</em>. "
        "Gaps are the money (US$ million, current prices) each ally is short of a guideline. "
        "(e): estimate.</p>"
        + chart(
            charts.burden_bars(bt),
            f"Burden per ally, {year}; bars coloured by the guidelines met.",
            "chart-burden",
        )
        + table(
            shown,
            links={"ally": "source_url"},
            caption=f"Burden-sharing measures, {ALLIANCE} {year} (✓ meets the guideline; "
            "empty: no figure)",
            labels=burden_labels,
            formats=burden_formats,
        )
        + same_note
    )
    if bt.missing:
        body += f'<p class="note">No figures for {esc(", ".join(bt.missing))}: left empty, not estimated.</p>'
    out.append(Section("burden", "Burden sharing", body))

    series = hub_share_series(
        range(FIRST_YEAR, year + 1), ALLIANCE, spending=spending, data=data, hub=HUB
    )
    if series["hub_share_spending_pct"].drop_nulls().len() >= 2:
        out.append(
            Section(
                "burden-us-share",
                "The US share over time",
                "<p>How much of the allies' defence spending the United States provides, beside its share "
                "of their GDP (allies with figures in each year; each series from one edition).</p>"
                + chart(
                    charts.hub_share(series, ALLIANCE),
                    "US share of allied defence spending and GDP, per year.",
                    "chart-burden-us-share",
                )
                + table(
                    series.with_columns(pl.col(pl.Float64).round(1)),
                    caption="Alliance totals per year (allies with figures; money in whole US$ million)",
                    labels={
                        "year": "Year",
                        "members": "Allies",
                        "with_figures": "With figures",
                        "spending_usd_mn": "Defence spending, US$ mn",
                        "gdp_usd_mn": "GDP, US$ mn",
                        "burden_pct": "Burden, % of GDP",
                        "hub_share_spending_pct": "US share of spending",
                        "hub_share_gdp_pct": "US share of GDP",
                        "meeting_2pct": "Allies at 2%",
                        "meeting_3_5pct": "Allies at 3.5%",
                        "gap_2pct_usd_mn": "Short of 2%, US$ mn",
                    },
                    formats={
                        "spending_usd_mn": "int",
                        "gdp_usd_mn": "int",
                        "burden_pct": "pct:1",
                        "hub_share_spending_pct": "pct:1",
                        "hub_share_gdp_pct": "pct:1",
                        "gap_2pct_usd_mn": "int",
                    },
                ),
            )
        )

    try:
        tables = {
            y: burden_table(y, ALLIANCE, spending=spending, data=data, hub=HUB)
            for y in range(FIRST_YEAR, year)
        } | {year: bt}
        res, used = exploitation_for_year(year, ALLIANCE, spending=spending, data=data, table=bt)
        ser = exploitation_series(
            range(FIRST_YEAR, year + 1), ALLIANCE, spending=spending, data=data, tables=tables
        )
        verdict = "supports" if res["supports_exploitation"] else "does not support"
        out.append(
            Section(
                "burden-exploitation",
                "Do the large allies carry the small ones?",
                "<p>Olson and Zeckhauser's exploitation hypothesis (1966): in an alliance producing a public "
                "good, larger allies bear a larger burden. The test ranks allies by GDP and by burden "
                "(Spearman, Kendall) and regresses burden on ln GDP with robust (HC1) standard errors. "
                f"In {year} the data {verdict} the hypothesis (n = {res['n']}).</p>"
                + chart(
                    charts.exploitation_scatter(used, res, ALLIANCE, year),
                    "Each ally's burden against its size.",
                    "chart-burden-exploitation",
                )
                + table(
                    ser.select(
                        "year",
                        "n",
                        *[
                            pl.col(c).round(3)
                            for c in (
                                "spearman_rho",
                                "spearman_p",
                                "kendall_tau",
                                "kendall_p",
                                "ols_slope",
                                "ols_se",
                                "ols_p",
                            )
                        ],
                        "supports_exploitation",
                    ),
                    caption="The test, year by year (p: two-sided p-value of the statistic "
                    "to its left; ✓ the data support the hypothesis)",
                    labels={
                        "year": "Year",
                        "n": "Allies",
                        "spearman_rho": "Spearman's ρ",
                        "spearman_p": "p",
                        "kendall_tau": "Kendall's τ",
                        "kendall_p": "p",
                        "ols_slope": "OLS slope of burden on ln GDP",
                        "ols_se": "Robust SE (HC1)",
                        "ols_p": "p",
                        "supports_exploitation": "Supports exploitation",
                    },
                    formats={
                        c: "num:3"
                        for c in (
                            "spearman_rho",
                            "spearman_p",
                            "kendall_tau",
                            "kendall_p",
                            "ols_slope",
                            "ols_se",
                            "ols_p",
                        )
                    },
                ),
            )
        )
    except AlliancekitError as exc:
        out.append(
            Section(
                "burden-exploitation",
                "Do the large allies carry the small ones?",
                f'<p class="note">The test could not be run: {esc(exc)}</p>',
            )
        )

    try:
        pure = equilibrium_for_year(
            year,
            ALLIANCE,
            spending=spending,
            data=data,
            hub=HUB,
            us_cut_pct=US_CUT_PCT,
            table=bt,
        )
        joint = equilibrium_for_year(
            year,
            ALLIANCE,
            spending=spending,
            data=data,
            hub=HUB,
            us_cut_pct=US_CUT_PCT,
            private_share=PRIVATE_SHARE,
            table=bt,
        )
        summaries = (pure.summary(), joint.summary())

        def bn(key: str) -> list[float]:
            return [round(x[key] / 1000, 1) for x in summaries]

        rows = pl.DataFrame(
            {
                "model": ["pure public good", f"joint products ({PRIVATE_SHARE:g} private)"],
                "US change, US$ bn": bn("hub_change"),
                "allies' change, US$ bn": bn("allies_change"),
                "share of the cut filled, %": [
                    round(100 * (x["fill_ratio"] or 0), 1) for x in summaries
                ],
                "total before, US$ bn": bn("total_before"),
                "total after, US$ bn": bn("total_after"),
            }
        )
        out.append(
            Section(
                "burden-equilibrium",
                f"If the US cut back by {US_CUT_PCT:g}%",
                "<p>Alliance defence as a public good (Bergstrom, Blume and Varian 1986): each ally chooses its "
                "spending given the others', with Cobb–Douglas preferences calibrated so that the observed "
                f"{year} spending is the Nash equilibrium. The US then cuts by {US_CUT_PCT:g}% and every other ally "
                "re-optimises. In the joint-product variant (Sandler 1977; Murdoch and Sandler) part of the "
                "benefit of defence is private to the spender, so allies fill less of the gap. The answer "
                "depends on that share, which the data cannot pin down: read it as a range.</p>"
                + table(
                    rows,
                    caption="Who fills the gap",
                    labels={"model": "Model"},
                    formats={c: "num:1" for c in rows.columns if c != "model"},
                )
                + chart(
                    charts.equilibrium_response(pure, joint, US_CUT_PCT, PRIVATE_SHARE, HUB),
                    "Change in each ally's spending (largest 15).",
                    "chart-burden-equilibrium",
                )
                + "".join(f'<p class="note">{esc(n)}</p>' for n in pure.notes[1:]),
            )
        )
    except AlliancekitError as exc:
        out.append(
            Section(
                "burden-equilibrium",
                f"If the US cut back by {US_CUT_PCT:g}%",
                f'<p class="note">The model could not be solved: {esc(exc)}</p>',
            )
        )
    return out
