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


# How a cell is written. A column's format is one of these names, with ``:N`` decimals for the
# numeric ones: "int" (975,824), "code" (digits as they are: years, COW codes), "num:N"
# (1,629.6), "pct:N" (a value already in percent: 3.17%), "share:N" (a fraction shown in
# percent: 0.226 → 22.6%), "signed:N" (+1.9 / −1.9), "bool" (✓ / —), "words" (tie_kind →
# tie kind), "figure" (a number already written, aligned as one) and "text". A missing value is an empty cell: nothing was estimated.
CHECK, DASH, MINUS = "✓", "—", "−"
_PLAIN_INT = ("year", "code", "id")


def _auto_digits(values: list[float]) -> int:
    """The fewest decimals (0–3) that show every value of a float column as it is rounded to
    three decimals."""
    finite = [v for v in values if v is not None and v == v and abs(v) != float("inf")]
    for d in range(4):
        if all(round(v, d) == round(v, 3) for v in finite):
            return d
    return 3


def _format_of(df: pl.DataFrame, col: str, given: str | None) -> str:
    if given:
        return given
    dtype = df.schema[col]
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_integer():
        return "code" if col == "n" or col.endswith(_PLAIN_INT) else "int"
    if dtype.is_float():
        return f"num:{_auto_digits(df[col].to_list())}"
    return "text"


def fmt(value: object, spec: str) -> str:
    """``value`` written for people by a column format (see above)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    kind, _, digits = spec.partition(":")
    d = int(digits) if digits else 0
    if kind == "bool":
        return CHECK if value else DASH
    if kind in ("code", "figure") or isinstance(value, str) and kind != "words":
        return str(value)
    if kind == "words":
        return str(value).replace("_", " ")
    if kind == "int":
        return f"{value:,.0f}".replace("-", MINUS)
    if kind == "num":
        return f"{value:,.{d}f}".replace("-", MINUS)
    if kind == "pct":
        return f"{value:,.{d}f}%".replace("-", MINUS)
    if kind == "share":
        return f"{100 * value:,.{d}f}%".replace("-", MINUS)
    if kind == "signed":
        text = f"{value:+,.{d}f}"
        return text.replace("-", MINUS) if float(text) != 0 else f"{0:.{d}f}"
    return str(value)


def table(
    df: pl.DataFrame,
    *,
    links: dict[str, str] | None = None,
    max_rows: int | None = None,
    caption: str | None = None,
    labels: dict[str, str] | None = None,
    formats: dict[str, str] | None = None,
) -> str:
    """An HTML table of ``df``, written for people: ``labels`` maps a column to its header
    (in words, with units), ``formats`` to its format (default by type: integers with
    thousands separators, floats with the decimals they have, booleans ✓ / —); ``links`` maps
    a column to the column holding its URL (that column is not shown)."""
    links = links or {}
    labels = labels or {}
    url_cols = set(links.values())
    cols = [c for c in df.columns if c not in url_cols]
    shown = df if max_rows is None else df.head(max_rows)
    specs = {c: _format_of(df, c, (formats or {}).get(c)) for c in cols}
    numeric = {
        c
        for c, f in specs.items()
        if f.split(":")[0] in ("int", "num", "pct", "share", "signed", "figure")
    }
    centred = {c for c, f in specs.items() if f == "bool"}

    def cls(c: str) -> str:
        return ' class="num"' if c in numeric else ' class="flag"' if c in centred else ""

    head = "".join(f"<th{cls(c)}>{esc(labels.get(c, c.replace('_', ' ')))}</th>" for c in cols)
    rows = []
    for rec in shown.iter_rows(named=True):
        cells = []
        for c in cols:
            v = rec[c]
            text = "; ".join(map(str, v)) if isinstance(v, list) else fmt(v, specs[c])
            cells.append(
                f"<td{cls(c)}>{link(rec[links[c]], text) if c in links else esc(text)}</td>"
            )
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
table{max-width:100%} td{overflow-wrap:break-word} th{overflow-wrap:normal;hyphens:auto}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums} td.num{white-space:nowrap}
td.flag,th.flag{text-align:center}
ol.sources{font-size:.85rem;margin:.2rem 0 .8rem 0;padding-left:1.6rem}
ol.sources a{overflow-wrap:anywhere} .publisher{margin:.8rem 0 0 0;font-size:.95rem}
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
