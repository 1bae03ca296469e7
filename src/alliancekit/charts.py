"""Every chart of the report and the dashboard, defined once: plotly figure specs.

A spec is a plain ``{"data": [...], "layout": {...}}`` dictionary of plotly.js's figure format,
built from the library's own results (burden tables, series, graphs). The report inlines the
specs and the plotly.js of the ``plotly`` wheel in its one file; the dashboard fetches the same
specs from ``/api/charts/...`` and draws them with the same plotly.js, so the two can never
disagree. Building a spec needs neither plotly's Python package nor matplotlib: the charts cost
the report no import and no drawing (the browser draws them, with tooltips).

Numbers are JSON-safe (NaN becomes ``null``) and the specs carry no random ids, so the same
inputs give the same bytes.

>>> from alliancekit.charts import line_chart
>>> import polars as pl
>>> spec = line_chart(pl.DataFrame({"year": [2000, 2001], "a": [1.0, 2.0]}), {"a": "A"}, "T", "y")
>>> [t["name"] for t in spec["data"]], spec["layout"]["title"]["text"]
(['A'], 'T')
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from alliancekit.burden.measures import BurdenTable
    from alliancekit.network.graphs import AllianceGraph

Spec = dict[str, Any]

THEATRE_COLOURS = {
    "euro_atlantic": "#1f5fa8",
    "indo_pacific": "#c2452d",
    "global": "#6b3fa0",
    "other": "#7f7f7f",
}
PALETTE = [
    "#1f5fa8",
    "#c2452d",
    "#6b3fa0",
    "#2a9d8f",
    "#e9c46a",
    "#f4a261",
    "#264653",
    "#8ab17d",
    "#b56576",
    "#457b9d",
    "#adb5bd",
    "#d62828",
    "#6a994e",
    "#9c6644",
    "#5e548e",
    "#0081a7",
]
FIRST_YEAR = 1949  # the North Atlantic Treaty: the ties-over-time chart starts here
# The joint-product variant drawn beside the pure public good (share of the benefit of defence
# that is private to the spender).
EQUILIBRIUM_PRIVATE_SHARE = 0.3
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12}
# The plotly.js options both places draw with: no plotly logo, resized with the page.
CONFIG = {"displaylogo": False, "responsive": True}


def colour(i: int) -> str:
    """The i-th colour of the charts' categorical palette."""
    return PALETTE[i % len(PALETTE)]


def _num(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _nums(values) -> list:
    return [_num(v) for v in values]


def _layout(title: str, height: int, **kw) -> dict:
    out = {
        "title": {
            "text": title,
            "font": {"size": 14},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 0.99,
            "yanchor": "top",
        },
        "height": height,
        "autosize": True,
        "font": FONT,
        "margin": {"t": 48, "l": 60, "r": 16, "b": 48},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"size": 12}},
        "legend": {"font": {"size": 11}},
    }
    out.update(kw)
    return out


def _axis(title: str | None = None, **kw) -> dict:
    out = {"gridcolor": "#e3e7ec", "zerolinecolor": "#c9d1d9", "linecolor": "#889", "ticks": ""}
    if title:
        out["title"] = {"text": title}
    out.update(kw)
    return out


def plotly_js_path() -> Path:
    """plotly.min.js as the ``plotly`` wheel ships it (found without importing plotly)."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly is not installed: pip install plotly")
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"the plotly wheel has no {path}")
    return path


def to_json(spec: Spec) -> str:
    """The spec as compact JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/")


# -- the curated data ------------------------------------------------------------------------


def ties_over_time(per_kind_year: pl.DataFrame, first: int, last: int) -> Spec:
    """Stacked areas: ties in force at the end of each year, by kind (the long table of
    :func:`alliancekit.query.ties_per_kind_year`)."""
    wide = per_kind_year.pivot(on="kind", index="year", values="ties").sort("year")
    kinds = [c for c in wide.columns if c != "year"]
    years = wide["year"].to_list()
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "stackgroup": "ties",
            "name": k.replace("_", " "),
            "x": years,
            "y": wide[k].fill_null(0).to_list(),
            "line": {"width": 0.5, "color": colour(i)},
            "fillcolor": colour(i),
            "hovertemplate": "%{x}: %{y} %{fullData.name} ties<extra></extra>",
        }
        for i, k in enumerate(kinds)
    ]
    return {
        "data": data,
        "layout": _layout(
            "Ties in force per kind, per year",
            460,
            xaxis=_axis(range=[first, last]),
            yaxis=_axis("ties in force (31 December)"),
            hovermode="x unified",
            legend={"font": {"size": 10}, "traceorder": "normal"},
        ),
    }


def coverage_heatmap(
    actors: Sequence[str], kinds: Sequence[str], counts: Sequence[Sequence[int]]
) -> Spec:
    """The heat map of ties per actor (rows) and kind (columns), colour on a log scale: the
    memberships of NATO and the EU would otherwise wash out every other cell."""
    z = [[math.log10(c) if c > 0 else None for c in row] for row in counts]
    text = [[str(c) if c > 0 else "" for c in row] for row in counts]
    top = max((c for row in counts for c in row), default=1)
    ticks = [v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if v <= max(top, 2)]
    return {
        "data": [
            {
                "type": "heatmap",
                "x": [k.replace("_", " ") for k in kinds],
                "y": list(actors),
                "z": z,
                "text": text,
                "texttemplate": "%{text}",
                "textfont": {"size": 9},
                # matplotlib's Blues, light for few ties, dark for many
                "colorscale": [
                    [0.0, "#deebf7"],
                    [0.35, "#9ecae1"],
                    [0.7, "#3182bd"],
                    [1.0, "#08306b"],
                ],
                "zmin": 0,
                "zmax": math.log10(max(top, 2)),
                "xgap": 1,
                "ygap": 1,
                "hoverongaps": False,
                "hovertemplate": "%{y}, %{x}: %{text} ties<extra></extra>",
                "colorbar": {
                    "title": {"text": "ties"},
                    "tickvals": [math.log10(v) for v in ticks],
                    "ticktext": [str(v) for v in ticks],
                    "thickness": 12,
                },
            }
        ],
        "layout": _layout(
            "Ties per actor and kind (how many ties of each kind name the actor)",
            max(300, 16 * len(actors) + 190),
            xaxis=_axis(side="top", tickangle=-40, tickfont={"size": 10}, showgrid=False),
            yaxis=_axis(autorange="reversed", tickfont={"size": 10}, showgrid=False, dtick=1),
            margin={"t": 170, "l": 110, "r": 16, "b": 16},
        ),
    }


# -- burden sharing --------------------------------------------------------------------------


def burden_bars(bt: BurdenTable) -> Spec:
    """Each ally's burden (defence expenditure, % of GDP), with the 2% and 3.5% guidelines."""
    from alliancekit.burden.measures import GUIDELINE_2, GUIDELINE_CORE

    t = bt.table.filter(pl.col("burden_pct").is_not_null()).sort("burden_pct")
    burden = t["burden_pct"].to_list()
    colours = [
        "#2a9d8f" if b >= GUIDELINE_CORE else "#1f5fa8" if b >= GUIDELINE_2 else "#c2452d"
        for b in burden
    ]
    labels = [
        f"{a}{' (e)' if e else ''}"
        for a, e in zip(t["actor_id"].to_list(), t["estimate"].to_list(), strict=True)
    ]
    custom = [
        [n or a, _num(s), ed or ""]
        for a, n, s, ed in zip(
            t["actor_id"].to_list(),
            t["name"].to_list(),
            t["spending_usd_mn"].to_list(),
            t["edition"].to_list(),
            strict=True,
        )
    ]
    guide = [
        (GUIDELINE_2, "dash", "2% (Wales 2014)"),
        (GUIDELINE_CORE, "dot", "3.5% core (The Hague 2025, by 2035)"),
    ]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": _nums(burden),
                "marker": {"color": colours},
                "customdata": custom,
                "hovertemplate": "%{customdata[0]}: %{x:.2f}% of GDP<br>US$ %{customdata[1]:,.0f} mn"
                "<br>%{customdata[2]}<extra></extra>",
                "showlegend": False,
            }
        ],
        "layout": _layout(
            f"Defence burden of the {bt.alliance} allies, {bt.year}",
            max(300, 17 * t.height + 110),
            xaxis=_axis("defence expenditure, % of GDP"),
            yaxis=_axis(tickfont={"size": 10}, dtick=1),
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": g,
                    "x1": g,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#333", "width": 1.2, "dash": dash},
                }
                for g, dash, _ in guide
            ],
            annotations=[
                {
                    "xref": "x",
                    "yref": "paper",
                    "x": g,
                    "y": 0.02 + 0.06 * i,
                    "text": text,
                    "showarrow": False,
                    "xanchor": "left",
                    "xshift": 4,
                    "font": {"size": 10, "color": "#333"},
                    "bgcolor": "rgba(255,255,255,0.8)",
                }
                for i, (g, _, text) in enumerate(guide)
            ],
        ),
    }


def hub_share(series: pl.DataFrame, alliance: str) -> Spec:
    """The United States' share of the allies' defence spending and GDP, per year (the table
    of :func:`alliancekit.burden.hub_share_series`)."""
    s = series.filter(pl.col("hub_share_spending_pct").is_not_null())
    years = s["year"].to_list()
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "US share of allied defence spending",
                "x": years,
                "y": _nums(s["hub_share_spending_pct"]),
                "line": {"color": "#6b3fa0"},
                "hovertemplate": "%{x}: %{y:.1f}% of spending<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "US share of allied GDP",
                "x": years,
                "y": _nums(s["hub_share_gdp_pct"]),
                "line": {"color": "#7f7f7f", "dash": "dash"},
                "marker": {"symbol": "square"},
                "hovertemplate": "%{x}: %{y:.1f}% of GDP<extra></extra>",
            },
        ],
        "layout": _layout(
            f"The United States in {alliance}: share of spending and of GDP",
            360,
            xaxis=_axis(dtick=1),
            yaxis=_axis("% of the allies with figures", range=[0, 100]),
            legend={"orientation": "h", "y": -0.15, "font": {"size": 11}},
        ),
    }


def exploitation_scatter(used: pl.DataFrame, res: Mapping, alliance: str, year: int) -> Spec:
    """Each ally's burden against ln GDP, with the OLS line of the exploitation test."""
    import numpy as np

    x = np.log(used["gdp_usd_mn"].to_numpy())
    y = used["burden_pct"].to_numpy()
    xs = np.linspace(x.min(), x.max(), 20)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "allies",
                "x": _nums(x),
                "y": _nums(y),
                "text": used["actor_id"].to_list(),
                "customdata": used["name"].to_list(),
                "textposition": "top right",
                "textfont": {"size": 9},
                "marker": {"color": "#1f5fa8", "size": 7},
                "hovertemplate": "%{customdata}: ln GDP %{x:.2f}, burden %{y:.2f}%<extra></extra>",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"OLS slope {res['ols_slope']:.2f} (robust SE {res['ols_se']:.2f})",
                "x": _nums(xs),
                "y": _nums(res["ols_intercept"] + res["ols_slope"] * xs),
                "line": {"color": "#c2452d"},
                "hoverinfo": "skip",
            },
        ],
        "layout": _layout(
            f"Size and burden, {alliance} {year}: Spearman rho {res['spearman_rho']:.2f} "
            f"(p {res['spearman_p']:.2g})",
            420,
            xaxis=_axis("ln GDP (US$ mn, current)"),
            yaxis=_axis("defence burden, % of GDP"),
            legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.7)"},
        ),
    }


def equilibrium_response(
    pure, joint, cut_pct: float, private_share: float, hub: str = "USA", top: int = 15
) -> Spec:
    """The allies' change in spending (US$ bn) in equilibrium when the hub cuts by
    ``cut_pct``: the pure public good beside joint products (the ``top`` largest changes)."""
    tp, tj = pure.table(), joint.table()
    allies = [a for a in tp.sort("change", descending=True)["actor_id"].to_list() if a != hub][:top]
    cp = dict(zip(tp["actor_id"].to_list(), tp["change"].to_list(), strict=True))
    cj = dict(zip(tj["actor_id"].to_list(), tj["change"].to_list(), strict=True))
    bar = {
        "type": "bar",
        "x": allies,
        "hovertemplate": "%{x}: %{y:.2f} bn US$<extra>%{fullData.name}</extra>",
    }
    return {
        "data": [
            bar
            | {
                "name": "pure public good",
                "y": _nums(cp[a] / 1000 for a in allies),
                "marker": {"color": "#1f5fa8"},
            },
            bar
            | {
                "name": f"joint products (private share {private_share:g})",
                "y": _nums(cj[a] / 1000 for a in allies),
                "marker": {"color": "#e9c46a"},
            },
        ],
        "layout": _layout(
            f"If the US cut its defence spending by {cut_pct:g}%: allies' response in equilibrium",
            380,
            barmode="group",
            xaxis=_axis(tickangle=-45, tickfont={"size": 10}),
            yaxis=_axis("change in spending, US$ bn"),
            legend={"x": 0.99, "xanchor": "right", "y": 0.99},
        ),
    }


# -- the network -----------------------------------------------------------------------------


def line_chart(
    df: pl.DataFrame,
    columns: Mapping[str, str],
    title: str,
    ylabel: str,
    marks: Sequence[int] = (),
) -> Spec:
    """Lines of ``df``'s ``columns`` (column → label) over its ``year`` column, with dotted
    vertical lines at the years in ``marks``."""
    years = df["year"].to_list()
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": label,
            "x": years,
            "y": _nums(df[col]),
            "line": {"width": 1.8, "color": colour(i)},
            "marker": {"size": 5},
            "hovertemplate": "%{x}: %{y:.3f}<extra>%{fullData.name}</extra>",
        }
        for i, (col, label) in enumerate(columns.items())
    ]
    return {
        "data": data,
        "layout": _layout(
            title,
            360,
            xaxis=_axis(range=[min(years), max(years)] if years else None),
            yaxis=_axis(ylabel),
            legend={"orientation": "h", "y": -0.15, "font": {"size": 11}},
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": y,
                    "x1": y,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#999", "width": 1, "dash": "dot"},
                }
                for y in marks
            ],
        ),
    }


_CENTRES = {"euro_atlantic": (-1.35, 0.0), "indo_pacific": (1.35, 0.0), "other": (0.0, -1.35)}


def _label_position(dx: float, dy: float) -> str:
    """Where a node's label goes: away from the centre of its circle."""
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        return "top center"
    ang = math.degrees(math.atan2(dy, dx)) % 360
    names = [
        "middle right",
        "top right",
        "top center",
        "top left",
        "middle left",
        "bottom left",
        "bottom center",
        "bottom right",
    ]
    return names[int(((ang + 22.5) % 360) // 45)]


def network_picture(g: AllianceGraph, title: str | None = None, highlight: str = "USA") -> Spec:
    """The network on the fixed layout of :func:`alliancekit.network.picture.layout` (the one
    the dashboard's network uses): nodes coloured by theatre and sized by degree, ties drawn
    by strength, cross-theatre ties in brown."""
    import numpy as np

    from alliancekit.network.picture import layout

    pos = layout(g)
    w = g.weight
    wmax = float(w.max()) if g.m else 1.0
    groups: dict[tuple[float, bool], tuple[list, list]] = {}
    for e in np.argsort(w, kind="stable"):
        a, b = g.nodes[g.src[e]], g.nodes[g.dst[e]]
        cross = {g.theatre[g.src[e]], g.theatre[g.dst[e]]} == {"euro_atlantic", "indo_pacific"}
        xs, ys = groups.setdefault((float(w[e]), cross), ([], []))
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
    data: list[dict] = []
    for (weight, cross), (xs, ys) in sorted(groups.items()):
        alpha = 0.25 + 0.5 * weight / wmax
        rgb = "181,102,28" if cross else "153,166,176"
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": _nums(xs),
                "y": _nums(ys),
                "line": {
                    "width": round(0.4 + 2.6 * weight / wmax, 3),
                    "color": f"rgba({rgb},{alpha:.3f})",
                },
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    deg = np.bincount(g.src, minlength=g.n) + np.bincount(g.dst, minlength=g.n)
    names = g.names or g.nodes
    for theatre, col in THEATRE_COLOURS.items():
        idx = [i for i in range(g.n) if g.theatre[i] == theatre]
        if not idx:
            continue
        nodes = [g.nodes[i] for i in idx]
        positions = []
        for a in nodes:
            cx, cy = _CENTRES.get(theatre, (0.0, 0.0))
            positions.append(_label_position(pos[a][0] - cx, pos[a][1] - cy))
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": theatre.replace("_", "-"),
                "x": [round(pos[a][0], 6) for a in nodes],
                "y": [round(pos[a][1], 6) for a in nodes],
                "text": [f"<b>{a}</b>" if a == highlight else a for a in nodes],
                "textposition": positions,
                "textfont": {"size": 9},
                "customdata": [[names[i], int(deg[i])] for i in idx],
                "marker": {
                    "color": col,
                    "size": [round(7 + 15 * deg[i] / max(deg.max(), 1), 2) for i in idx],
                    "line": {"color": "#ffffff", "width": 0.8},
                },
                "hovertemplate": "%{customdata[0]} (%{text}): %{customdata[1]} ties<extra>"
                + theatre.replace("_", "-")
                + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": "cross-theatre tie",
            "x": [None],
            "y": [None],
            "line": {"color": "rgb(181,102,28)"},
        }
    )
    hidden = _axis(visible=False)
    return {
        "data": data,
        "layout": _layout(
            title or g.label,
            600,
            xaxis=hidden,
            yaxis=hidden | {"scaleanchor": "x", "scaleratio": 1},
            legend={"orientation": "h", "y": -0.02, "font": {"size": 11}},
            margin={"t": 48, "l": 8, "r": 8, "b": 8},
            hovermode="closest",
        ),
    }


# -- scenario sweeps -------------------------------------------------------------------------


def histograms(columns: Sequence[tuple[str, Sequence[float], Sequence[int], float | None]]) -> Spec:
    """Small multiples, three a row: for each (title, bin edges, counts, median) a histogram
    with its median marked."""
    n = len(columns)
    cols = min(3, max(n, 1))
    rows = math.ceil(n / cols) if n else 1
    gap = 0.06
    width = (1 - gap * (cols - 1)) / cols
    height = (1 - 0.12 * (rows - 1)) / rows
    data, layout_axes, annotations, shapes = [], {}, [], []
    for k, (title, edges, counts, median) in enumerate(columns):
        r, c = divmod(k, cols)
        ax = "" if k == 0 else str(k + 1)
        x0 = c * (width + gap)
        y1 = 1 - r * (height + 0.12)
        mids = [(edges[i] + edges[i + 1]) / 2 for i in range(len(counts))]
        widths = [edges[i + 1] - edges[i] for i in range(len(counts))]
        data.append(
            {
                "type": "bar",
                "x": _nums(mids),
                "y": list(counts),
                "width": _nums(widths),
                "marker": {"color": "#1f5fa8", "opacity": 0.85},
                "xaxis": f"x{ax}",
                "yaxis": f"y{ax}",
                "name": title,
                "showlegend": False,
                "hovertemplate": "%{x:.4g}: %{y} draws<extra></extra>",
            }
        )
        layout_axes[f"xaxis{ax}"] = _axis(
            domain=[x0, x0 + width], anchor=f"y{ax}", tickfont={"size": 9}
        )
        layout_axes[f"yaxis{ax}"] = _axis(
            domain=[y1 - height, y1], anchor=f"x{ax}", showticklabels=False
        )
        annotations.append(
            {
                "text": title,
                "xref": "paper",
                "yref": "paper",
                "x": x0 + width / 2,
                "y": y1,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
        if median is not None and math.isfinite(median):
            shapes.append(
                {
                    "type": "line",
                    "xref": f"x{ax}",
                    "yref": f"y{ax} domain",
                    "x0": median,
                    "x1": median,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#c2452d", "width": 1.2},
                }
            )
    return {
        "data": data,
        "layout": _layout(
            "",
            max(240, 230 * rows),
            annotations=annotations,
            shapes=shapes,
            margin={"t": 28, "l": 16, "r": 16, "b": 32},
            bargap=0,
            **layout_axes,
        ),
    }


def sobol_bars(rows: Sequence[Mapping], title: str) -> Spec:
    """Total (ST) and first-order (S1) Sobol' indices per parameter, with 95% intervals."""
    rs = sorted((r for r in rows if r.get("parameter")), key=lambda r: r["ST"])
    params = [r["parameter"] for r in rs]

    def bar(key: str, name: str, col: str) -> dict:
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": params,
            "x": _nums(r[key] for r in rs),
            "error_x": {"type": "data", "array": _nums(r[f"{key}_conf"] for r in rs)},
            "marker": {"color": col},
            "hovertemplate": "%{y}: %{x:.3f}<extra>" + key + "</extra>",
        }

    return {
        "data": [
            bar("S1", "first order (S1)", "#e9c46a"),
            bar("ST", "total (ST)", "#1f5fa8"),
        ],
        "layout": _layout(
            title,
            max(220, 26 * len(rs) + 120),
            barmode="group",
            xaxis=_axis("Sobol' index (95% interval)"),
            yaxis=_axis(tickfont={"size": 10}),
            legend={"orientation": "h", "y": -0.25},
        ),
    }
