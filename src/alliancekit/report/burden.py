"""Report sections on burden sharing: burdens against the guidelines, the US share over time,
the exploitation test and the US-cut equilibrium."""

from __future__ import annotations

import math

import polars as pl

from alliancekit.data import Dataset
from alliancekit.plotting import new_figure, to_svg
from alliancekit.report.html import Section, esc, figure, table

ALLIANCE = "NATO"
HUB = "USA"
US_CUT_PCT = 25.0
PRIVATE_SHARE = 0.3  # the joint-product variant shown beside the pure public good
FIRST_YEAR = 2014  # the Wales pledge


def _latest_year(spending: pl.DataFrame, as_of: int) -> int | None:
    us = spending.filter(
        (pl.col("actor_id") == HUB)
        & pl.col("measure").is_in(["defence_expenditure", "burden"])
        & (pl.col("year") <= as_of)
    )
    return int(us["year"].max()) if us.height else None


def burden_chart(bt) -> str:
    """Horizontal bars: each ally's burden, with the 2% and 3.5% guidelines."""
    from alliancekit.burden.measures import GUIDELINE_2, GUIDELINE_CORE

    t = bt.table.filter(pl.col("burden_pct").is_not_null()).sort("burden_pct")
    fig, ax = new_figure(9, max(3.0, 0.22 * t.height + 1.2))
    colours = [
        "#2a9d8f" if b >= GUIDELINE_CORE else "#1f5fa8" if b >= GUIDELINE_2 else "#c2452d"
        for b in t["burden_pct"].to_list()
    ]
    labels = [
        f"{a}{' (e)' if e else ''}"
        for a, e in zip(t["actor_id"].to_list(), t["estimate"].to_list(), strict=True)
    ]
    ax.barh(labels, t["burden_pct"].to_list(), color=colours)
    ax.axvline(GUIDELINE_2, color="#333", ls="--", lw=1, label="2% (Wales 2014)")
    ax.axvline(
        GUIDELINE_CORE, color="#333", ls=":", lw=1.2, label="3.5% core (The Hague 2025, by 2035)"
    )
    ax.set_xlabel("defence expenditure, % of GDP")
    ax.set_title(f"Defence burden of the {bt.alliance} allies, {bt.year}")
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return to_svg(fig)


def share_chart(series: pl.DataFrame) -> str:
    s = series.filter(pl.col("hub_share_spending_pct").is_not_null())
    fig, ax = new_figure(9, 3.6)
    ax.plot(
        s["year"].to_list(),
        s["hub_share_spending_pct"].to_list(),
        marker="o",
        color="#6b3fa0",
        label="US share of allied defence spending",
    )
    ax.plot(
        s["year"].to_list(),
        s["hub_share_gdp_pct"].to_list(),
        marker="s",
        color="#7f7f7f",
        ls="--",
        label="US share of allied GDP",
    )
    ax.set_ylabel("% of the allies with figures")
    ax.set_ylim(0, 100)
    ax.set_title(f"The United States in {ALLIANCE}: share of spending and of GDP")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return to_svg(fig)


def exploitation_chart(used: pl.DataFrame, res: dict, year: int) -> str:
    import numpy as np

    x = np.log(used["gdp_usd_mn"].to_numpy())
    y = used["burden_pct"].to_numpy()
    fig, ax = new_figure(8, 4.2)
    ax.scatter(x, y, color="#1f5fa8", s=18)
    for xi, yi, a in zip(x, y, used["actor_id"].to_list(), strict=True):
        ax.annotate(a, (xi, yi), fontsize=6, xytext=(2, 2), textcoords="offset points")
    xs = np.linspace(x.min(), x.max(), 20)
    ax.plot(
        xs,
        res["ols_intercept"] + res["ols_slope"] * xs,
        color="#c2452d",
        label=f"OLS slope {res['ols_slope']:.2f} (robust SE {res['ols_se']:.2f})",
    )
    ax.set_xlabel("ln GDP (US$ mn, current)")
    ax.set_ylabel("defence burden, % of GDP")
    ax.set_title(
        f"Size and burden, {ALLIANCE} {year}: Spearman rho {res['spearman_rho']:.2f} "
        f"(p {res['spearman_p']:.2g})"
    )
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return to_svg(fig)


def equilibrium_chart(pure, joint) -> str:
    import numpy as np

    tp, tj = pure.table(), joint.table()
    allies = [a for a in tp.sort("change", descending=True)["actor_id"].to_list() if a != HUB][:15]
    cp = dict(zip(tp["actor_id"].to_list(), tp["change"].to_list(), strict=True))
    cj = dict(zip(tj["actor_id"].to_list(), tj["change"].to_list(), strict=True))
    idx = np.arange(len(allies))
    fig, ax = new_figure(9, 3.8)
    ax.bar(
        idx - 0.2, [cp[a] / 1000 for a in allies], 0.4, color="#1f5fa8", label="pure public good"
    )
    ax.bar(
        idx + 0.2,
        [cj[a] / 1000 for a in allies],
        0.4,
        color="#e9c46a",
        label=f"joint products (private share {PRIVATE_SHARE:g})",
    )
    ax.set_xticks(idx, allies, fontsize=7, rotation=45)
    ax.set_ylabel("change in spending, US$ bn")
    ax.set_title(
        f"If the US cut its defence spending by {US_CUT_PCT:g}%: allies' response in equilibrium"
    )
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return to_svg(fig)


def _fmt(v, digits=1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.{digits}f}"


def sections(data: Dataset) -> list[Section]:
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
    shown = bt.table.select(
        "actor_id",
        "name",
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
        "estimate",
        "edition",
        "source_url",
    )
    body = (
        f"<p>{kpis}</p>"
        "<p>Defence expenditure as a share of GDP for each ally, against NATO's guidelines: 2% (Wales, "
        "2014) and 3.5% of GDP on core defence by 2035 (The Hague, 2025). The Hague's 5% in all adds up "
        "to 1.5% of defence- and security-related spending that NATO's tables do not report: it is "
        "judged only where a source gives those figures, and is otherwise <em>not measurable</em>. "
        "Gaps are the money (US$ million, current prices) each ally is short of a guideline. "
        "(e): estimate.</p>"
        + figure(burden_chart(bt), f"Burden per ally, {year}; bars coloured by the guidelines met.")
        + table(
            shown,
            links={"name": "source_url"},
            caption=f"Burden-sharing measures, {ALLIANCE} {year}",
        )
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
                + figure(
                    share_chart(series), "US share of allied defence spending and GDP, per year."
                )
                + table(
                    series.with_columns(pl.col(pl.Float64).round(1)),
                    caption="Alliance totals per year",
                ),
            )
        )

    try:
        res, used = exploitation_for_year(year, ALLIANCE, spending=spending, data=data)
        ser = exploitation_series(
            range(FIRST_YEAR, year + 1), ALLIANCE, spending=spending, data=data
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
                + figure(
                    exploitation_chart(used, res, year), "Each ally's burden against its size."
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
                    caption="The test, year by year",
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
            year, ALLIANCE, spending=spending, data=data, hub=HUB, us_cut_pct=US_CUT_PCT
        )
        joint = equilibrium_for_year(
            year,
            ALLIANCE,
            spending=spending,
            data=data,
            hub=HUB,
            us_cut_pct=US_CUT_PCT,
            private_share=PRIVATE_SHARE,
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
                + table(rows, caption="Who fills the gap")
                + figure(
                    equilibrium_chart(pure, joint), "Change in each ally's spending (largest 15)."
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
