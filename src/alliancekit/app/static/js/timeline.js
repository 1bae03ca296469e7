/* The timeline of an actor or a pair, with sources. Uses core.js. */
"use strict";

async function loadTimeline() {
  const tbl = $("timeline");
  tbl.textContent = "";
  try {
    const t = await api("/api/timeline", { actor: state.tl, with: state.tlwith });
    $("tl-title").textContent = `${name(t.actor)}${t.with_actor ? " and " + name(t.with_actor) : ""}: ${t.steps.length} dated steps`;
    tbl.append(el("tr", {}, ...["date", "step", "with", "what", "source"].map((h) => el("th", { text: h }))));
    for (const s of t.steps) {
      const w = s.with.split(";").filter(Boolean).map((a) => t.names[a] || a).join(", ");
      tbl.append(el("tr", { "data-id": s.id }, el("td", { text: s.date }), el("td", { text: `${s.what} (${s.kind.replace(/_/g, " ")})` }),
        el("td", { text: w }), el("td", { text: s.title }), el("td", {}, sourceLink(s.source_url, s.source_publisher))));
    }
    const order = ["event", "signed", "in force", "ended"];
    (await plotly()).react("chart-timeline", order.map((what) => {
      const ss = t.steps.filter((s) => s.what === what);
      return { type: "scatter", mode: "markers", name: what, x: ss.map((s) => s.date.length === 4 ? s.date + "-07-01" : s.date),
        y: ss.map(() => what), text: ss.map((s) => s.title), hovertemplate: "%{x|%Y-%m-%d}<br>%{text}<extra></extra>", marker: { size: 10 } };
    }), { margin: { t: 10, l: 70, r: 10, b: 30 }, height: 220, showlegend: false, xaxis: { type: "date" } },
    { displaylogo: false, responsive: true });
  } catch (err) {
    tbl.append(el("tr", {}, el("td", { class: "error", text: err.message })));
  }
}
