"""Report sections of the network analysis: the picture, the structural series since 2000, and
the US-removal scenario with its gap-filling proposal."""

from __future__ import annotations

import math

import polars as pl

from alliancekit.data import Dataset
from alliancekit.report.html import Section, chart, esc, table
from alliancekit.report.sources import article_short

FIRST_YEAR = 2000
HUB = "USA"


def _fmt(v: float | None, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:.{digits}f}"


def _per_row_digits(df: pl.DataFrame) -> pl.DataFrame:
    """A before/after table whose rows mix counts and ratios, written row by row: counts
    without decimals, other measures with three; changes signed."""
    from alliancekit.report.html import fmt

    rows = []
    for r in df.iter_rows(named=True):
        nums = [r[c] for c in ("before", "after", "change") if r[c] is not None]
        digits = 0 if all(float(v).is_integer() for v in nums) else 3
        num = "int" if digits == 0 else f"num:{digits}"
        rows.append(
            {
                "measure": r["measure"],
                "before": fmt(r["before"], num),
                "after": fmt(r["after"], num),
                "change": fmt(r["change"], f"signed:{digits}"),
            }
        )
    return pl.DataFrame(
        rows, schema=dict.fromkeys(("measure", "before", "after", "change"), pl.String)
    )


def _value(df: pl.DataFrame, year: int, col: str) -> float | None:
    row = df.filter(pl.col("year") == year)
    return row[col][0] if row.height else None


def _claims(s: pl.DataFrame, last: int) -> str:
    hs10, hs_last = (
        _value(s, 2010, "hub_spoke_indo_pacific"),
        _value(s, last, "hub_spoke_indo_pacific"),
    )
    c22, c_last = _value(s, 2022, "cross_theatre"), _value(s, last, "cross_theatre")
    n22, n_last = _value(s, 2022, "cross_theatre_norm"), _value(s, last, "cross_theatre_norm")
    l22, l_last = _value(s, 2022, "linkage_NATO_IP4_norm"), _value(s, last, "linkage_NATO_IP4_norm")

    def verdict(a, b):
        if a is None or b is None:
            return "cannot be computed"
        return "rises" if b > a else ("falls" if b < a else "is unchanged")

    return (
        f"<p><b>What the data say about the claims of {article_short()}</b> (an opinion "
        "piece; see Sources). "
        f"The Indo-Pacific hub-and-spoke index {verdict(hs10, hs_last)} from {_fmt(hs10)} in 2010 "
        f"to {_fmt(hs_last)} in {last}: a growing share of the tie strength among the US partners "
        "there runs between the partners themselves rather than through the United States. "
        f"Cross-theatre linkage (Euro-Atlantic–Indo-Pacific tie strength, the US excluded) "
        f"{verdict(c22, c_last)} after 2022, from {_fmt(c22, 0)} to {_fmt(c_last, 0)}; "
        f"per possible pair it {verdict(n22, n_last)} from {_fmt(n22, 2)} to {_fmt(n_last, 2)} "
        "(the denominator grows as states join the network), and NATO's (non-US) members and the "
        f"IP4 per possible pair {verdict(l22, l_last)} from {_fmt(l22, 2)} to {_fmt(l_last, 2)}.</p>"
    )


def sections(data: Dataset) -> list[Section]:
    from alliancekit.charts import line_chart, network_picture
    from alliancekit.network.gapfill import gap_fill
    from alliancekit.network.graphs import build_graph, data_years
    from alliancekit.network.measures import actor_measures
    from alliancekit.network.scenarios import remove
    from alliancekit.network.sensitivity import sensitivity
    from alliancekit.network.series import series_of_graphs
    from alliancekit.report.coverage import sensitivity_note
    from alliancekit.schema import AlliancekitError

    first, last = data_years(data)
    start = max(FIRST_YEAR, first)
    graphs = {y: build_graph(data, y) for y in range(start, last + 1)}
    g = graphs[last]
    s = series_of_graphs(graphs)
    sens = sensitivity(data, last, graph=g)

    intro = (
        "<p>The graph is among states: membership of NATO, the EU, the Quad, AUKUS, GCAP or the "
        "US–Japan–ROK trilateral becomes ties between co-members; a partnership with an "
        "organisation (IPCP, ITPP, a mission to NATO) becomes ties with each of its members. "
        "Tie weights are the codebook's ordinal strengths (5 collective defence … 1 presence), "
        "summed over the instruments between a pair; shortest paths use 1/strength as length. "
        f"On {esc(g.on)}: {g.n} states, {g.m} ties.</p>"
    )
    # Betweenness is concentrated: most states lie on no shortest path between two others.
    # The table shows the states that do (at most 12), so no column is a list of zeros.
    measured = actor_measures(g)
    brokers = measured.filter(pl.col("betweenness") > 0)
    top = (
        brokers.sort("betweenness", descending=True)
        .head(12)
        .select(
            "actor",
            "name",
            "theatre",
            "degree",
            "strength",
            pl.col("eigenvector").round(3),
            pl.col("betweenness").round(3),
            pl.col("closeness").round(3),
        )
    )
    top_caption = (
        f"The {top.height} states with the highest betweenness (Freeman 1977; share of the "
        "shortest paths between other states that run through the state). "
        f"{measured.height - brokers.height} of the {measured.height} states lie on no shortest "
        "path between two others (betweenness 0)."
    )
    top_labels = {
        "actor": "State",
        "name": "Name",
        "theatre": "Theatre",
        "degree": "Ties (degree)",
        "strength": "Strength (sum of tie strengths)",
        "eigenvector": "Eigenvector centrality",
        "betweenness": "Betweenness",
        "closeness": "Closeness",
    }
    network = (
        intro
        + chart(
            network_picture(g, f"The alliance network on {g.on}"),
            "Euro-Atlantic states on the left, Indo-Pacific states on the right, the United "
            "States (global) between; the adversary alignment at the top of its circles. "
            "Line width: strength; brown lines cross the theatres.",
            "chart-network",
        )
        + table(
            top,
            caption=top_caption,
            labels=top_labels,
            formats={"theatre": "words", "strength": "num:0"}
            | {c: "num:3" for c in ("eigenvector", "betweenness", "closeness")},
        )
        + sensitivity_note(sens, "hub_betweenness", f"The United States' betweenness in {last}")
    )

    charts = (
        _claims(s, last)
        + sensitivity_note(
            sens, "hub_spoke_indo_pacific", f"The Indo-Pacific hub-and-spoke index in {last}"
        )
        + chart(
            line_chart(
                s,
                {
                    "hub_pairs_through": "pairs whose shortest paths all run through the US",
                    "efficiency_drop": "relative loss of global efficiency without the US",
                },
                "Hub dependence",
                "share",
            ),
            "Hub dependence: how much of the network runs through the United States "
            "(Freeman 1977 pair dependency; Latora & Marchiori 2001 efficiency).",
            "chart-hub-dependence",
        )
        + chart(
            line_chart(
                s,
                {
                    "hub_spoke_indo_pacific": "Indo-Pacific",
                    "hub_spoke_euro_atlantic": "Euro-Atlantic",
                },
                "Hub-and-spoke index (0 = pure hub-and-spoke, 1 = lattice)",
                "index",
                marks=(2010,),
            ),
            "Share of the tie strength among the US and its partners in each theatre that "
            "runs partner-to-partner.",
            "chart-hub-and-spoke",
        )
        + chart(
            line_chart(
                s,
                {
                    "cross_theatre_norm": "allies: Euro-Atlantic × Indo-Pacific",
                    "linkage_NATO_IP4_norm": "NATO members (not the US) × IP4",
                    "adversary_cross_theatre_norm": "Russia × China, DPRK",
                },
                "Cross-theatre linkage per possible pair",
                "strength per pair",
                marks=(2022,),
            ),
            "Strength of the ties joining the two theatres divided by the possible pairs.",
            "chart-cross-theatre",
        )
        + table(
            s.filter(pl.col("year").is_in([start, 2010, 2014, 2022, last])).select(
                "year",
                "states",
                "ties",
                *(
                    pl.col(c).round(3)
                    for c in (
                        "hub_pairs_through",
                        "efficiency_drop",
                        "hub_spoke_indo_pacific",
                        "cross_theatre",
                        "cross_theatre_norm",
                        "linkage_NATO_IP4_norm",
                        "adversary_cross_theatre",
                    )
                ),
            ),
            caption="Selected years",
            labels={
                "year": "Year",
                "states": "States",
                "ties": "Ties",
                "hub_pairs_through": "Pairs whose shortest paths all run through the US",
                "efficiency_drop": "Efficiency lost without the US",
                "hub_spoke_indo_pacific": "Hub-and-spoke index, Indo-Pacific (0–1)",
                "cross_theatre": "Cross-theatre strength",
                "cross_theatre_norm": "Cross-theatre strength per possible pair",
                "linkage_NATO_IP4_norm": "NATO (not the US) × IP4, per pair",
                "adversary_cross_theatre": "Russia × China, DPRK strength",
            },
            formats={
                "hub_pairs_through": "share:1",
                "efficiency_drop": "share:1",
                "hub_spoke_indo_pacific": "num:3",
                "cross_theatre": "num:0",
                "cross_theatre_norm": "num:3",
                "linkage_NATO_IP4_norm": "num:3",
                "adversary_cross_theatre": "num:0",
            },
        )
    )

    try:
        sc = remove(g, HUB)
        keep = [
            "states",
            "ties",
            "components",
            "largest_component",
            "efficiency",
            "cross_theatre",
            "cross_theatre_norm",
            "linkage_NATO_IP4",
            "cohesion_IP4_density",
            "cohesion_IP4_strength",
        ]
        sc_table = sc.table.filter(pl.col("measure").is_in(keep)).with_columns(
            pl.col("before", "after", "change").round(3)
        )
        hd = sc.measures_before
        body = (
            f"<p>Without the United States on {esc(g.on)}: {_fmt(hd['hub_pairs_through'] * 100, 1)}% "
            "of the connected pairs of other states lose every shortest path, "
            f"{_fmt(hd['hub_pairs_cut'] * 100, 1)}% lose every path, {int(hd['hub_isolated'])} "
            "partner(s) are left with no tie, and global efficiency falls by "
            f"{_fmt(hd['efficiency_drop'] * 100, 1)}%.</p>"
            + sensitivity_note(
                sens,
                "hub_pairs_through",
                "The share of connected pairs whose shortest paths all run through the US",
            )
            + table(
                _per_row_digits(sc_table),
                caption=f"Scenario: remove {HUB} ({g.on})",
                labels={
                    "measure": "Measure",
                    "before": "With the US",
                    "after": "Without",
                    "change": "Change",
                },
                formats={"measure": "words"}
                | dict.fromkeys(("before", "after", "change"), "figure"),
            )
        )
        from alliancekit.network.gapfill import COST_RULE

        body += (
            "<p>Gap-filling: without the hub, the cheapest set of new ties among its partners "
            "that leaves them 2-edge-connected, by networkx's k-edge augmentation (Eswaran & "
            f"Tarjan 1976). Cost rule: {esc(COST_RULE)}.</p>"
        )
        then = graphs.get(2010)
        cases = [(g, "indo_pacific", 2), (g, None, 2)] + (
            [(then, "indo_pacific", 2)] if then else []
        )
        for graph, theatre, k in cases:
            try:
                gf = gap_fill(graph, HUB, theatre=theatre, k=k)
            except AlliancekitError as exc:
                body += f"<p class='note'>Gap-filling ({theatre or 'all allies'}): {esc(exc)}</p>"
                continue
            where = "in the Indo-Pacific" if theatre else "in both theatres"
            body += (
                f"<h3>Gap-filling {where} (k={k}), {esc(graph.on)}</h3>"
                f"<p>The US partners {where} ({len(gf.allies)}: {esc(', '.join(gf.allies))}) "
                f"form {gf.components_before} component(s) without the United States"
                + (
                    f"; isolated: {esc(', '.join(gf.isolated_before))}"
                    if gf.isolated_before
                    else ""
                )
                + f". The cheapest {gf.ties.height} new tie(s) (total cost {gf.total_cost:.2f}) "
                f"leave them {k}-edge-connected (no single broken tie splits them).</p>"
                + (
                    table(
                        gf.ties.with_columns(pl.col("cost").round(3)),
                        labels={
                            "a": "State",
                            "b": "State",
                            "theatre_a": "Theatre",
                            "theatre_b": "Theatre",
                            "cost": "Cost",
                            "shared": "Organisations and partners in common",
                        },
                        formats={"theatre_a": "words", "theatre_b": "words", "cost": "num:3"},
                    )
                    if gf.ties.height
                    else "<p>No new tie is needed.</p>"
                )
            )
    except AlliancekitError as exc:
        body = f"<p class='note'>The scenario could not run: {esc(exc)}</p>"

    return [
        Section("network", "The alliance network", network),
        Section(
            "network-structure",
            f"Hub dependence, hub-and-spoke and cross-theatre linkage since {start}",
            charts,
        ),
        Section(
            "network-without-hub", "Without the hub: the US-removal scenario and gap-filling", body
        ),
    ]
