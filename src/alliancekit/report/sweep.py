"""The report's scenario-sweep section (``alliancekit report --sweep results.parquet``): the
distributions of the outputs, the threshold probabilities, the sensitivity ranking (Sobol'
total indices, rerun from the spec the table carries) and the PRIM boxes of the first
threshold, each with a one-sentence reading."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl

from alliancekit.report.html import Section, chart, esc, table

SENSITIVITY_SAMPLES = 256
MAX_CHARTS = 6

LABELS = {
    "total": "total provision (US$ mn)",
    "alliance_burden": "alliance burden (% of GDP)",
    "filled_share": "share of the hub's cut filled",
    "meets_2pct": "allies at ≥ 2%",
    "meets_3_5pct": "allies at ≥ 3.5%",
    "hub_share": "hub's share of spending",
    "hub_dependence": "hub dependence (pairs)",
    "hub_spoke_indo_pacific": "Indo-Pacific hub-and-spoke index",
    "isolated_without_hub": "partners isolated without the hub",
    "gap_fill_cost": "gap-filling cost",
    "efficiency": "network efficiency",
    "components": "components",
}


def _g(v, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if abs(v) >= 1e4:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.1f}%"


def distribution_chart(path: Path, outputs: list[str]) -> dict:
    """The chart spec: a histogram of each output over the draws (the outer 1% left out;
    integer outputs with few values get one bar per value), its median marked."""
    from alliancekit.charts import histograms
    from alliancekit.simulate.outputs import read_column

    columns = []
    for out in outputs:
        x = read_column(path, out)
        x = x[np.isfinite(x)]
        if not x.size:
            columns.append((LABELS.get(out, out), [], [], None))
            continue
        lo, hi = np.quantile(x, [0.005, 0.995])
        shown = x[(x >= lo) & (x <= hi)] if hi > lo else x
        discrete = np.all(x == np.round(x)) and np.unique(x).size <= 40
        bins = (
            np.arange(shown.min() - 0.5, shown.max() + 1.5)
            if discrete
            else min(60, max(10, int(np.sqrt(shown.size))))
        )
        counts, edges = np.histogram(shown, bins=bins)
        columns.append((LABELS.get(out, out), edges.tolist(), counts.tolist(), float(np.median(x))))
    return histograms(columns)


def sensitivity_chart(rows: list[dict], output: str) -> dict:
    """The chart spec: Sobol' indices of each parameter for ``output``."""
    from alliancekit.charts import sobol_bars

    return sobol_bars(rows, f"What decides {LABELS.get(output, output)}")


def _distribution_reading(stats: dict, out: str) -> str:
    return (
        f"Across the draws, {LABELS.get(out, out)} has median {_g(stats['q50'])}, and 90% of draws "
        f"lie between {_g(stats['q05'])} and {_g(stats['q95'])} (mean {_g(stats['mean'])} ± "
        f"{_g(stats['mcse_mean'], 2)} Monte Carlo standard error)."
    )


def _threshold_reading(probs: list[dict]) -> str:
    ok = [p for p in probs if p["p"] is not None]
    if not ok:
        return "No threshold could be judged: the outputs are undefined in every draw."
    hi = max(ok, key=lambda p: p["p"])
    lo = min(ok, key=lambda p: p["p"])
    if hi is lo:
        return f"{hi['threshold']} is {_pct(hi['p'])} (± {_pct(hi['mcse'])})."
    return (
        f"The likeliest of these outcomes is {hi['threshold']} at {_pct(hi['p'])} (± {_pct(hi['mcse'])}), "
        f"the least likely {lo['threshold']} at {_pct(lo['p'])} (± {_pct(lo['mcse'])})."
    )


def _sensitivity_reading(rows: list[dict], output: str) -> str:
    rs = sorted((r for r in rows if r.get("parameter")), key=lambda r: -r["ST"])
    if not rs:
        return f"{LABELS.get(output, output)} does not respond to the parameters that vary."
    top = rs[0]
    text = (
        f"{top['parameter']} decides most of {LABELS.get(output, output)}: its total Sobol' index is "
        f"{top['ST']:.2f} (± {top['ST_conf']:.2f})"
    )
    if len(rs) > 1:
        text += f", ahead of {rs[1]['parameter']} ({rs[1]['ST']:.2f})"
    return text + "."


def sections(path: str | Path, *, samples: int | None = None, data=None) -> list[Section]:
    from alliancekit.simulate.discovery import box_sentence, discover
    from alliancekit.simulate.outputs import read_meta, summarize

    path = Path(path)
    samples = samples or SENSITIVITY_SAMPLES
    meta = read_meta(path)
    summ = summarize(path)
    spec = meta["spec"]
    stats = {r["column"]: r for r in summ["columns"]}
    scalar = [o for o in spec.get("outputs", {}).get("measures", []) if o in stats]
    shown = [o for o in scalar if stats[o]["n"] and stats[o]["sd"]][:MAX_CHARTS]
    title = spec.get("title") or path.name
    alliance = spec.get("alliance")
    alliance = alliance if isinstance(alliance, str) else "+".join(alliance)
    body = [
        f"<p>A Monte Carlo sweep of {summ['draws']:,} draws (seed {esc(spec.get('seed'))}) over "
        f"uncertain futures of {esc(alliance)}, calibrated to {esc(spec.get('year'))}: each draw "
        "takes its parameters from the distributions below and solves the burden-sharing "
        "equilibrium and the network measures again.</p>"
    ]
    prows = [
        {
            "parameter": n,
            "kind": p["kind"],
            "distribution": p["dist"]
            + " ("
            + ", ".join(
                f"{k} {v}"
                for k, v in p.items()
                if k
                not in (
                    "name",
                    "kind",
                    "dist",
                    "allies",
                    "tie",
                    "tie_kind",
                    "actor",
                    "organisation",
                )
            )
            + ")",
            "applies to": ", ".join(p.get("allies") or [])
            or p.get("tie")
            or p.get("tie_kind")
            or (f"{p.get('actor')} → {p.get('organisation')}" if p.get("actor") else "")
            or (spec.get("hub", "USA") if p["kind"].startswith("hub_") else "every ally"),
        }
        for n, p in spec.get("parameters", {}).items()
    ]
    if prows:
        body.append(table(pl.DataFrame(prows), caption="uncertain parameters"))
    if shown:
        key = "filled_share" if "filled_share" in shown else shown[0]
        body.append(
            chart(
                distribution_chart(path, shown),
                "Distribution of each output over the draws (red line: median; the outer 1% left out).",
                "chart-sweep-distributions",
            )
        )
        body.append(f"<p>{esc(_distribution_reading(stats[key], key))}</p>")
        srows = [
            {
                "output": o,
                "mean": _g(stats[o]["mean"]),
                "sd": _g(stats[o]["sd"]),
                "5%": _g(stats[o]["q05"]),
                "median": _g(stats[o]["q50"]),
                "95%": _g(stats[o]["q95"]),
                "mcse of mean": _g(stats[o]["mcse_mean"], 2),
                "draws defined": f"{stats[o]['n']:,}",
            }
            for o in scalar
        ]
        body.append(table(pl.DataFrame(srows), caption="summary of the outputs"))
    probs = summ["thresholds"]
    if probs:
        body.append("<h3>Threshold probabilities</h3>")
        body.append(
            table(
                pl.DataFrame(
                    [
                        {
                            "outcome": p["threshold"],
                            "probability": _pct(p["p"]),
                            "MC standard error": _pct(p["mcse"]),
                            "draws": p["n"],
                        }
                        for p in probs
                    ]
                ),
            )
        )
        body.append(f"<p>{esc(_threshold_reading(probs))}</p>")
    # Sensitivity: rerun from the spec the table carries.
    target = probs[0]["output"] if probs else (shown[0] if shown else None)
    if target is not None and spec.get("parameters"):
        body.append("<h3>What decides the answer: Sobol' sensitivity</h3>")
        try:
            from alliancekit.simulate.sensitivity import spec_sensitivity
            from alliancekit.simulate.spec import parse_spec

            res = spec_sensitivity(parse_spec(spec), samples=samples, outputs=[target], data=data)
            rows = [r for r in res["rows"] if r["output"] == target]
            if rows and rows[0].get("parameter"):
                body.append(
                    chart(
                        sensitivity_chart(rows, target),
                        f"Sobol' indices for {target} ({res['evaluations']:,} Saltelli runs of the spec).",
                        "chart-sweep-sobol",
                    )
                )
                body.append(f"<p>{esc(_sensitivity_reading(rows, target))}</p>")
            else:
                note = rows[0].get("note", "no index") if rows else "no index"
                body.append(f'<p class="note">No Sobol\' index for {esc(target)}: {esc(note)}.</p>')
            for n in res["notes"]:
                body.append(f'<p class="note">{esc(n)}.</p>')
        except Exception as exc:  # the table is still reported when its spec no longer runs
            body.append(
                f'<p class="note">The sensitivity analysis could not be rerun: {esc(exc)}</p>'
            )
    if probs:
        p0 = probs[0]
        where = f"{p0['output']} {p0['op']} {p0['value']:g}"
        body.append(f"<h3>Scenario discovery: when is {esc(where)}?</h3>")
        try:
            found = discover(path, where)
            if found["boxes"]:
                brows = [
                    {
                        "box": b["box"],
                        "coverage": _pct(b["coverage"]),
                        "density": _pct(b["density"]),
                        "ranges": "; ".join(
                            f"{r['parameter']} {r['low']:.3g}–{r['high']:.3g}"
                            for r in b["restricted"]
                        )
                        or "(whole space)",
                    }
                    for b in found["boxes"]
                ]
                body.append(
                    table(
                        pl.DataFrame(brows),
                        caption="PRIM boxes (coverage: share of the cases inside; density: share of the box that are cases)",
                    )
                )
                body.append(f"<p>{esc(box_sentence(found['boxes'][0], where))}</p>")
            else:
                body.append(
                    f'<p class="note">{esc("; ".join(found["notes"]) or "no box found")}.</p>'
                )
        except Exception as exc:
            body.append(f'<p class="note">Scenario discovery could not run: {esc(exc)}</p>')
    return [Section("sweep", f"Scenario sweep: {title}", "".join(body))]
