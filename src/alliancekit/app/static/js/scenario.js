/* The scenario view: remove or weaken the hub, gap-filling ties drawn on the network, the US
   cut slider with the allies' response. Uses core.js. */
"use strict";

let scenarioSeq = 0;
async function loadScenarioGraph() {
  const g = await api("/api/network/graph", { year: state.year });
  drawGraph(cy2, g, "strength");
  return g;
}

function clearScenarioResults() {
  for (const id of ["isolated", "gap-ties", "scenario-measures"]) $(id).textContent = "";
  $("gap-note").textContent = "";
  $("scenario-summary").textContent = "";
  $("scenario-hint").hidden = false;
}

async function runScenario() {
  const seq = ++scenarioSeq;
  await loadScenarioGraph();
  clearScenarioResults();
  if (!state.scenario) return;
  $("scenario-hint").hidden = true;
  const summary = $("scenario-summary");
  summary.textContent = "computing…";
  try {
    let res;
    if (state.scenario === "weaken") {
      const [w, gf] = await Promise.all([
        api("/api/scenario/weaken", { year: state.year, actor: state.hub, factor: state.factor }),
        api("/api/scenario/gap-fill", { year: state.year, hub: state.hub, theatre: state.gtheatre, k: state.k })
          .then((r) => r.gap_fill).catch((e) => ({ error: e.message })),
      ]);
      res = Object.assign({}, w, gf.error ? { gap_fill: null, gap_fill_error: gf.error } : { gap_fill: gf });
    } else {
      res = await api("/api/scenario/remove", {
        year: state.year, actor: state.hub, hub: state.hub, theatre: state.gtheatre, k: state.k, gap_fill: "true" });
    }
    if (seq !== scenarioSeq) return;
    showScenario(res);
  } catch (err) {
    summary.textContent = "";
    summary.append(el("span", { class: "error", text: err.message }));
  }
}

function showScenario(res) {
  const hub = cy2.getElementById(state.hub);
  if (state.scenario === "remove") {
    hub.addClass("faded");
    hub.connectedEdges().addClass("faded");
  } else {
    hub.connectedEdges().style("opacity", 0.35 * Number(state.factor));
  }
  const iso = $("isolated");
  const gf = res.gap_fill;
  const cut = new Set(res.isolated);
  if (gf) gf.isolated_without_hub.forEach((a) => cut.add(a));
  if (!cut.size) iso.append(el("li", { class: "muted", text: "none: every ally keeps a tie to another ally" }));
  for (const a of [...cut].sort()) {
    const why = res.isolated.includes(a) ? "no tie left at all" : "no tie to another ally of the hub";
    iso.append(el("li", { "data-actor": a }, el("b", { text: name(a) }), ` (${a}): ${why}`));
    cy2.getElementById(a).addClass("isolated");
  }
  const gl = $("gap-ties");
  if (gf) {
    if (!gf.new_ties.length) gl.append(el("li", { class: "muted", text: "none needed: the allies stay connected" }));
    for (const t of gf.new_ties) {
      gl.append(el("li", { "data-pair": `${t.a}-${t.b}` },
        el("b", { text: `${t.name_a} – ${t.name_b}` }), ` cost ${fmt(t.cost)} (shared contexts ${t.shared})`));
      if (cy2.getElementById(t.a).nonempty() && cy2.getElementById(t.b).nonempty()) {
        cy2.add({ group: "edges", classes: "gap", data: { id: `gap:${t.a}|${t.b}`, source: t.a, target: t.b,
          weight: 1, label: `gap-filling tie, cost ${fmt(t.cost)}` } });
      }
    }
    $("gap-note").textContent = `${gf.allies.length} allies of ${gf.hub}${gf.theatre ? " in " + gf.theatre : ""}; ` +
      `${gf.components_without_hub} group(s) without the hub; total cost ${fmt(gf.total_cost)}. ${gf.cost_rule}.`;
  } else {
    $("gap-note").textContent = res.gap_fill_error || "";
  }
  const tbl = $("scenario-measures");
  tbl.append(el("tr", {}, el("th", { text: "measure" }), el("th", { text: "before" }), el("th", { text: "after" }), el("th", { text: "change" })));
  for (const r of res.measures) {
    const cls = r.change === null ? "num" : r.change < 0 ? "num down" : r.change > 0 ? "num up" : "num";
    tbl.append(el("tr", {}, el("td", { text: r.measure }), el("td", { class: "num", text: fmt(r.before) }),
      el("td", { class: "num", text: fmt(r.after) }), el("td", { class: cls, text: fmt(r.change) })));
  }
  $("scenario-summary").textContent = `${res.scenario}, ${res.year}. ` + res.notes.join(" ");
  document.body.dataset.scenarioDone = "1";
}

async function loadEquilibrium() {
  $("cut-out").textContent = state.cut + "%";
  // the figures of the selected year, else the nearest year with figures
  const years = SPENDING_YEARS.length ? SPENDING_YEARS : [2025];
  const want = Number(state.year);
  const yr = years.reduce((best, y) => (Math.abs(y - want) < Math.abs(best - want) ? y : best), years[0]);
  try {
    const res = await api("/api/burden/equilibrium", { year: yr, us_cut: state.cut });
    const s = res.summary;
    $("cut-summary").textContent = `${s.scenario} (figures of ${yr}): the US spends US$ ${fmt(-s.hub_change / 1000, 1)} bn less; ` +
      `the other allies add US$ ${fmt(s.allies_change / 1000, 1)} bn (fill ratio ${s.fill_ratio === null ? "—" : fmt(100 * s.fill_ratio, 0) + "%"}).`;
    await drawChart("chart-equilibrium", "/api/charts/equilibrium", { year: yr, us_cut: state.cut });
  } catch (err) {
    $("cut-summary").textContent = err.message;
  }
}
