"""HTML building blocks for the report: sections, tables, charts, the page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import polars as pl

from alliancekit.data import DatasetInfo


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str  # HTML


def esc(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def link(url: str | None, text: str | None = None) -> str:
    if not url:
        return esc(text)
    return f'<a href="{esc(url)}">{esc(text or url)}</a>'


def table(
    df: pl.DataFrame,
    *,
    links: dict[str, str] | None = None,
    max_rows: int | None = None,
    caption: str | None = None,
) -> str:
    """An HTML table; ``links`` maps a column to the column holding its URL."""
    links = links or {}
    url_cols = set(links.values())
    cols = [c for c in df.columns if c not in url_cols]
    shown = df if max_rows is None else df.head(max_rows)
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    rows = []
    for rec in shown.iter_rows(named=True):
        cells = []
        for c in cols:
            v = rec[c]
            if isinstance(v, list):
                v = "; ".join(map(str, v))
            cells.append(f"<td>{link(rec[links[c]], v) if c in links else esc(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and df.height > max_rows:
        more = f'<p class="more">{df.height - max_rows} more rows not shown (export the table for all).</p>'
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def figure(svg: str, caption: str) -> str:
    return f'<figure class="chart">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def chart(spec: dict, caption: str, chart_id: str) -> str:
    """A chart of :mod:`alliancekit.charts`: a placeholder the page's script draws into with
    plotly.js, and its spec as JSON beside it. ``chart_id`` is fixed by the caller (not
    random), so the same inputs give the same bytes."""
    from alliancekit.charts import to_json

    if not re.fullmatch(r"[a-z0-9-]+", chart_id):
        raise ValueError(f"chart ids are lowercase words and dashes, not {chart_id!r}")
    return (
        f'<figure class="chart"><div class="plot" id="{chart_id}"></div>'
        f'<script type="application/json" class="chart-spec" data-for="{chart_id}">'
        f"{to_json(spec)}</script><figcaption>{esc(caption)}</figcaption></figure>"
    )


# Draws every chart's spec with plotly.js, then marks the page (the PDF printer waits for it).
_DRAW = """(function(){var c=%s,done=[];
document.querySelectorAll("script.chart-spec").forEach(function(s){
var spec=JSON.parse(s.textContent);
done.push(Plotly.newPlot(document.getElementById(s.dataset.for),spec.data,spec.layout,c));});
Promise.all(done).then(function(){document.body.dataset.chartsDrawn=String(done.length);});
})();"""


def _scripts(body: str) -> str:
    if 'class="chart-spec"' not in body:
        return ""
    from alliancekit.charts import CONFIG, plotly_js_path, to_json

    js = plotly_js_path().read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<script>{js}</script><script>{_DRAW % to_json(CONFIG)}</script>"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2733;background:#fbfbfa}
header{background:#14304f;color:#fff;padding:1.2rem 2rem}
header h1{margin:0 0 .3rem 0;font-size:1.6rem} header p{margin:0;opacity:.85}
nav{padding:.6rem 2rem;background:#e8edf2;font-size:.9rem} nav a{margin-right:1rem;color:#14304f}
main{padding:0 2rem 2rem 2rem;max-width:1200px}
section{margin-top:2rem} h2{border-bottom:2px solid #14304f;padding-bottom:.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0} caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ccd5de;padding:.25rem .5rem;text-align:left;vertical-align:top} th{background:#eef2f6}
figure.chart{margin:1rem 0} figure.chart .plot{width:100%;min-height:200px} figcaption{font-size:.85rem;color:#445}
.more,.note{font-size:.85rem;color:#556} .kpi{display:inline-block;margin:0 1.5rem .5rem 0}
.kpi b{display:block;font-size:1.6rem;color:#14304f}
footer{padding:1rem 2rem;font-size:.8rem;color:#556;border-top:1px solid #ccd5de}
"""


def render_page(sections: list[Section], info: DatasetInfo) -> str:
    nav = "".join(f'<a href="#{esc(s.id)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections
    )
    # No build time: the same inputs give the same bytes, so reports diff between versions.
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="alliancekit">
<meta name="alliancekit-dataset-version" content="{esc(info.version)}">
<meta name="alliancekit-dataset-as-of" content="{esc(info.as_of)}">
<title>alliancekit report</title><style>{_CSS}</style></head>
<body><header><h1>The alliance system: ties, burdens and the hub</h1>
<p>{esc(info.label())}</p></header>
<nav>{nav}</nav><main>{body}</main>
<footer>Data: {esc(info.label())}, licensed {esc(info.licence)}. Every row of the curated data cites
its source; see the Sources section. Made with alliancekit.</footer>{_scripts(body)}</body></html>
"""
