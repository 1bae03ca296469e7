/* alliancekit dashboard: plain JavaScript over the JSON API (/api/...).
   Network drawings: Cytoscape.js; charts: plotly.js (from the plotly wheel). Every value shown
   comes from the API; the state of the view lives in the URL hash so a view can be shared. */
"use strict";

const THEATRE_COLOURS = {
  euro_atlantic: "#1f5fa8", indo_pacific: "#d9480f", global: "#2b2b2b", other: "#7a7a7a",
};
const DEFAULTS = {
  view: "network", year: null, date: "", size: "strength", kinds: "", theatres: "", actor: "",
  scenario: "", hub: "USA", factor: "0.5", gtheatre: "", k: "1", cut: "25",
  byear: "2025", alliance: "NATO", edition: "", tl: "JPN", tlwith: "NATO", threshold: "",
};
const state = Object.assign({}, DEFAULTS);
let META = null;
let SPENDING_YEARS = [];
let NAMES = {};
let cy = null, cy2 = null;
const cache = new Map();

// ---------------------------------------------------------------------------------------------
// helpers

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function sourceLink(url, text) {
  // Only http(s) links: a source URL never runs script.
  if (url && /^https?:\/\//i.test(url)) {
    return el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "source" }, text || url);
  }
  return document.createTextNode(text || "");
}

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x)); else q.append(k, v);
  }
  const url = path + (q.toString() ? "?" + q.toString() : "");
  if (cache.has(url)) return cache.get(url);
  const p = fetch(url, { headers: { accept: "application/json" } }).then(async (r) => {
    const body = await r.json();
    if (!r.ok) { cache.delete(url); throw new Error(body.detail || r.statusText); }
    return body;
  });
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p;
}

function fmt(v, digits) {
  if (v === null || v === undefined) return "—";
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v) && Math.abs(v) >= 1) return v.toLocaleString("en");
  return v.toLocaleString("en", { maximumFractionDigits: digits === undefined ? 3 : digits });
}

function name(id) { return NAMES[id] || id; }

// A chart of alliancekit.charts, as the API serves it: the spec the report draws too.
async function drawChart(div, path, params) {
  const spec = await api(path, params);
  (await plotly()).react(div, spec.data, spec.layout, spec.config);
  return spec;
}

// plotly.js (4.8 MB) loads only when a chart is first drawn: the network view does not wait.
let plotlyLoading = null;
function plotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "/static/vendor/plotly.min.js";
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { plotlyLoading = null; reject(new Error("plotly.js could not be loaded")); };
      document.head.append(s);
    });
  }
  return plotlyLoading;
}

function debounce(fn, ms) {
  let t = null;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// ---------------------------------------------------------------------------------------------
// state in the URL

function readHash() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ""));
  for (const k of Object.keys(DEFAULTS)) {
    state[k] = p.has(k) ? p.get(k) : (k === "year" ? String(META.last_year) : DEFAULTS[k]);
  }
  const y = parseInt(state.year, 10);
  state.year = String(Number.isFinite(y) ? Math.min(META.last_year, Math.max(META.first_year, y)) : META.last_year);
}

function writeHash() {
  const p = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS)) {
    const dflt = k === "year" ? String(META.last_year) : DEFAULTS[k];
    if (state[k] !== dflt && state[k] !== null) p.set(k, state[k]);
  }
  const h = "#" + p.toString();
  if (location.hash !== h) history.replaceState(null, "", h === "#" ? location.pathname : h);
  $("share").href = location.href;
}

function set(changes) { Object.assign(state, changes); writeHash(); }

// ---------------------------------------------------------------------------------------------
// the network drawing (shared by the network and the scenario views)

function makeCy(container) {
  const c = cytoscape({
    container,
    elements: [],
    layout: { name: "preset" },
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", width: "data(size)", height: "data(size)",
        label: "data(id)", "font-size": 9, color: "#1d2733", "text-valign": "center",
        "text-halign": "right", "text-margin-x": 3, "border-width": 1, "border-color": "#fff" } },
      { selector: "edge", style: {
        width: "mapData(weight, 1, 20, 0.6, 5)", "line-color": "#8da2b8", opacity: 0.35,
        "curve-style": "straight" } },
      { selector: "edge.cross", style: { "line-color": "#9c36b5", opacity: 0.5 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#f5c400" } },
      { selector: "node.faded", style: { opacity: 0.15 } },
      { selector: "edge.faded", style: { opacity: 0.04 } },
      { selector: "node.isolated", style: { "border-width": 4, "border-color": "#f08c00" } },
      { selector: "edge.gap", style: {
        "line-color": "#d6336c", "line-style": "dashed", width: 4, opacity: 1, "z-index": 9 } },
      { selector: "edge.hl", style: { "line-color": "#f5c400", opacity: 0.9 } },
    ],
  });
  const tip = $("tooltip");
  c.on("mouseover", "node", (ev) => {
    const d = ev.target.data();
    tip.textContent = "";
    tip.append(el("b", { text: d.name }), document.createTextNode(` (${d.id}) · ${d.theatre}`),
      el("br"), document.createTextNode(`${state.size}: ${fmt(d.measure)}`));
    tip.hidden = false;
  });
  c.on("mousemove", "node", (ev) => {
    const e = ev.originalEvent;
    if (e) { tip.style.left = e.clientX + 12 + "px"; tip.style.top = e.clientY + 12 + "px"; }
  });
  c.on("mouseout", "node", () => { tip.hidden = true; });
  c.on("mouseover", "edge", (ev) => {
    const d = ev.target.data();
    tip.textContent = "";
    tip.append(el("b", { text: `${name(d.source)} – ${name(d.target)}` }), el("br"),
      document.createTextNode(d.label || ""));
    tip.hidden = false;
    const e = ev.originalEvent;
    if (e) { tip.style.left = e.clientX + 12 + "px"; tip.style.top = e.clientY + 12 + "px"; }
  });
  c.on("mouseout", "edge", () => { tip.hidden = true; });
  container.addEventListener("mouseleave", () => { tip.hidden = true; });
  return c;
}

function drawGraph(c, graph, sizeBy) {
  const vals = graph.nodes.map((n) => n[sizeBy] || 0);
  const max = Math.max(1e-9, ...vals);
  const els = [];
  for (const n of graph.nodes) {
    const v = n[sizeBy] || 0;
    els.push({ group: "nodes", data: {
      id: n.id, name: n.name, theatre: n.theatre, measure: n[sizeBy],
      colour: THEATRE_COLOURS[n.theatre] || "#777", size: 10 + 34 * Math.sqrt(v / max) },
      position: { x: n.x * 230, y: -n.y * 230 } });
  }
  for (const e of graph.edges) {
    els.push({ group: "edges", classes: e.cross_theatre ? "cross" : "",
      data: { id: `${e.a}|${e.b}`, source: e.a, target: e.b, weight: e.weight,
        label: `${e.kinds.join(", ")} (weight ${fmt(e.weight)})` } });
  }
  c.batch(() => { c.elements().remove(); c.add(els); });
  c.fit(undefined, 24);
}

// ---------------------------------------------------------------------------------------------
// network view

function selectedList(fieldset) {
  return [...$(fieldset).querySelectorAll("input:checked")].map((i) => i.value);
}

function buildFilters() {
  for (const [id, values, key] of [["theatres", META.theatres, "theatres"], ["kinds", META.tie_kinds, "kinds"]]) {
    const fs = $(id);
    for (const v of values) {
      const cb = el("input", { type: "checkbox", value: v, "data-filter": key });
      cb.checked = true;
      cb.addEventListener("change", () => {
        const all = selectedList(id);
        set({ [key]: all.length === values.length ? "" : all.join(",") });
        loadNetwork();
      });
      const lab = el("label", {}, cb, " " + v.replace(/_/g, " "));
      if (key === "theatres") lab.prepend(el("span", { class: "sw", style: `background:${THEATRE_COLOURS[v]}` }));
      fs.append(lab);
    }
  }
  $("legend").append(el("span", { class: "sw", style: "background:#9c36b5;border-radius:0;height:3px;width:18px" }),
    " cross-theatre tie");
}

function syncFilters() {
  for (const [id, key] of [["theatres", "theatres"], ["kinds", "kinds"]]) {
    const chosen = state[key] ? state[key].split(",") : null;
    for (const cb of $(id).querySelectorAll("input")) cb.checked = !chosen || chosen.includes(cb.value);
  }
  $("size").value = state.size;
}

function graphParams() {
  return {
    year: state.date ? null : state.year,
    date: state.date || null,
    kinds: state.kinds ? state.kinds.split(",") : null,
    theatre: state.theatres ? state.theatres.split(",") : null,
  };
}

let networkSeq = 0;
async function loadNetwork() {
  const seq = ++networkSeq;
  const summary = $("graph-summary");
  try {
    const measP = api("/api/network/measures", { year: state.date ? null : state.year, date: state.date || null }).catch(() => null);
    const g = await api("/api/network/graph", graphParams());
    if (seq !== networkSeq) return;
    drawGraph(cy, g, state.size);
    if (!performance.getEntriesByName("network-drawn").length) performance.mark("network-drawn");
    summary.textContent = `${g.graph}: ${g.nodes.length} states, ${g.edges.length} tied pairs`;
    const meas = await measP;
    if (seq !== networkSeq) return;
    const m = meas ? meas.measures : {};
    summary.textContent = `${g.graph}: ${g.nodes.length} states, ${g.edges.length} tied pairs` +
      (meas ? ` · density ${fmt(m.density)} · US hub: ${fmt(100 * (m.hub_pairs_through || 0), 1)}% of pairs depend on it` +
        ` · Indo-Pacific hub-and-spoke index ${fmt(m.hub_spoke_indo_pacific)}` : "");
    document.body.dataset.networkYear = String(g.year);
    document.body.dataset.networkOn = g.on;
    if (state.actor) showActor(state.actor);
  } catch (err) {
    summary.textContent = "";
    summary.append(el("span", { class: "error", text: err.message }));
  }
}

async function showActor(id) {
  const title = $("actor-title"), list = $("ties-list"), sub = $("actor-sub"), mt = $("actor-measures");
  cy.elements().removeClass("hl");
  cy.$("node").unselect();
  const node = cy.getElementById(id);
  if (node.nonempty()) { node.select(); node.connectedEdges().addClass("hl"); }
  title.textContent = name(id);
  sub.textContent = state.date
    ? `Ties of ${name(id)} in force on ${state.date}, with dates and sources`
    : `Ties of ${name(id)} in force during ${state.year}, with dates and sources`;
  list.textContent = "";
  mt.textContent = "";
  try {
    const [ties, meas] = await Promise.all([
      api("/api/ties", state.date ? { actor: id, date: state.date } : { actor: id, year: state.year }),
      api("/api/network/measures", { year: state.date ? null : state.year, date: state.date || null }).catch(() => null),
    ]);
    const row = meas && meas.actors.find((a) => a.actor === id);
    if (row) {
      for (const k of META.actor_measures) mt.append(el("tr", {}, el("td", { text: k }), el("td", { class: "num", text: fmt(row[k]) })));
    }
    if (!ties.ties.length) list.append(el("li", { class: "muted", text: "no ties in force that year" }));
    for (const t of ties.ties) {
      const other = t.actor_a === id ? t.name_b : t.name_a;
      const dates = [];
      if (t.signed) dates.push(`signed ${t.signed}`);
      if (t.in_force) dates.push(`in force ${t.in_force}`);
      if (t.ended) dates.push(`ended ${t.ended}`);
      list.append(el("li", { "data-tie": t.tie_id },
        el("div", { class: "tname", text: t.name }),
        el("div", { class: "meta", text: `${t.kind.replace(/_/g, " ")} · with ${other} · strength ${t.strength}` }),
        el("div", { class: "meta", text: dates.join(" · ") }),
        el("div", { class: "meta" }, "source: ", sourceLink(t.source_url, t.source_publisher || t.source_url))));
    }
  } catch (err) {
    list.append(el("li", { class: "error", text: err.message }));
  }
}

// ---------------------------------------------------------------------------------------------
// scenario view

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

// ---------------------------------------------------------------------------------------------
// burden view

async function loadBurden() {
  const params = { year: state.byear, alliance: state.alliance, edition: state.edition };
  const kp = $("burden-kpis");
  try {
    const bt = await api("/api/burden/table", params);
    const n = bt.allies.filter((a) => a.burden_pct !== null).length;
    await drawChart("chart-burden", "/api/charts/burden", params);
    const t = bt.totals;
    kp.textContent = "";
    const kpi = (v, label) => el("span", { class: "kpi" }, el("b", { text: v }), label);
    kp.append(kpi(`${fmt(t.hub_share_spending_pct, 1)}%`, `US share of ${bt.alliance} spending`),
      kpi(`${fmt(t.burden_pct, 2)}%`, "alliance burden (% of GDP)"),
      kpi(`${t.meeting_2pct ?? "—"} / ${t.members}`, "allies at 2% or more"),
      kpi(`${t.meeting_3_5pct ?? "—"} / ${t.members}`, "allies at 3.5% or more"),
      el("p", { class: "muted", text: `${n} of ${t.members} allies with figures` + (t.missing.length ? `; missing: ${t.missing.join(", ")}` : "") }));
  } catch (err) {
    kp.textContent = "";
    kp.append(el("p", { class: "error", text: err.message }));
    (await plotly()).purge("chart-burden");
  }
  try {
    await drawChart("chart-share", "/api/charts/hub-share", { from: 2014, to: META.last_year, alliance: state.alliance });
  } catch (err) {
    (await plotly()).purge("chart-share");
  }
  const ex = $("exploitation");
  ex.textContent = "";
  try {
    const x = await api("/api/burden/exploitation", { year: state.byear, alliance: state.alliance });
    const r = x.result;
    ex.append(el("b", { text: "Olson–Zeckhauser exploitation test" }), el("br"),
      document.createTextNode(`${r.n} allies, ${x.year}: Spearman ρ = ${fmt(r.spearman_rho)} (p = ${fmt(r.spearman_p)}); ` +
        `OLS slope ${fmt(r.ols_slope)} (p = ${fmt(r.ols_p)}). `),
      el("b", { text: r.supports_exploitation ? "Larger allies bear larger burdens." : "No support for exploitation this year." }));
    await drawChart("chart-exploitation", "/api/charts/exploitation", { year: state.byear, alliance: state.alliance });
  } catch (err) {
    ex.append(el("span", { class: "muted", text: `Exploitation test: ${err.message}` }));
    (await plotly()).purge("chart-exploitation");
  }
}

// ---------------------------------------------------------------------------------------------
// timeline view

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

// ---------------------------------------------------------------------------------------------
// sweep view

async function loadSweep() {
  const box = $("sweep-charts");
  box.textContent = "";
  try {
    const s = await api("/api/sweep", { threshold: state.threshold });
    $("sweep-file").textContent = `${s.file}: ${s.rows} runs`;
    for (const c of s.columns) {
      const div = el("div", { class: "chart" });
      box.append(div);
      const mids = c.bins.slice(0, -1).map((b, i) => (b + c.bins[i + 1]) / 2);
      const p = c.p_above === null ? "" : ` · P(> ${s.threshold}) = ${fmt(100 * c.p_above, 1)}%`;
      (await plotly()).react(div, [{ type: "bar", x: mids, y: c.counts }], {
        title: { text: `${c.column}: median ${fmt(c.p50)}, 90% in [${fmt(c.p05)}, ${fmt(c.p95)}]${p}`, font: { size: 13 } },
        margin: { t: 40, l: 40, r: 10, b: 30 }, height: 260 }, { displaylogo: false, responsive: true });
    }
  } catch (err) {
    box.append(el("p", { class: "error", text: err.message }));
  }
}

// ---------------------------------------------------------------------------------------------
// wiring

function showView() {
  $("tooltip").hidden = true;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.view === state.view);
  for (const v of ["network", "scenario", "burden", "timeline", "sweep"]) $("view-" + v).hidden = v !== state.view;
  $("yearbox").style.visibility = state.view === "network" || state.view === "scenario" ? "visible" : "hidden";
  if (state.view === "network") { cy.resize(); loadNetwork(); }
  if (state.view === "scenario") {
    cy2.resize();
    for (const r of document.querySelectorAll("input[name=mode]")) r.checked = r.value === (state.scenario || "remove");
    $("hub").value = state.hub; $("factor").value = state.factor; $("gtheatre").value = state.gtheatre; $("k").value = state.k;
    $("cut").value = state.cut;
    runScenario();
    loadEquilibrium();
  }
  if (state.view === "burden") {
    $("byear").value = state.byear; $("alliance").value = state.alliance; $("edition").value = state.edition;
    loadBurden();
  }
  if (state.view === "timeline") { $("tl-actor").value = state.tl; $("tl-with").value = state.tlwith; loadTimeline(); }
  if (state.view === "sweep") { $("threshold").value = state.threshold; loadSweep(); }
}

function applyState() {
  $("year").value = state.year;
  $("year-out").textContent = state.year;
  $("day").value = state.date;
  syncFilters();
  showView();
}

async function init() {
  const edsP = api("/api/burden/editions");
  const actorsP = api("/api/actors");
  META = await api("/api/meta");
  const actors = await actorsP;
  for (const a of actors.actors) NAMES[a.actor_id] = a.name;
  const d = META.dataset;
  $("dataset").textContent = `${d.title}, version ${d.version} (as of ${d.as_of})`;
  $("footer").textContent = `Data: ${d.title}, version ${d.version}, as of ${d.as_of}, licensed ${d.licence}. ` +
    "Every tie and event cites its source; the API is at /api/ (schema: /openapi.json).";
  const yr = $("year");
  yr.min = META.first_year; yr.max = META.last_year;
  if (META.sweep) document.querySelector('#tabs button[data-view="sweep"]').hidden = false;
  buildFilters();
  const states = actors.actors.filter((a) => a.kind === "state").sort((a, b) => a.name.localeCompare(b.name));
  for (const a of states) $("hub").append(el("option", { value: a.actor_id, text: a.name }));
  const sorted = [...actors.actors].sort((a, b) => a.name.localeCompare(b.name));
  $("tl-with").append(el("option", { value: "", text: "(anyone)" }));
  for (const a of sorted) {
    $("tl-actor").append(el("option", { value: a.actor_id, text: a.name }));
    $("tl-with").append(el("option", { value: a.actor_id, text: a.name }));
  }
  const eds = await edsP;
  SPENDING_YEARS = eds.years;
  for (const e of eds.editions) $("edition").append(el("option", { value: e, text: e }));
  for (const y of eds.years.filter((y) => y <= META.last_year).reverse()) $("byear").append(el("option", { value: y, text: y }));

  cy = makeCy($("cy"));
  cy2 = makeCy($("cy2"));
  cy.on("tap", "node", (ev) => { set({ actor: ev.target.id() }); showActor(ev.target.id()); });

  const onYear = debounce(() => {
    if (state.view === "network") loadNetwork();
    else if (state.view === "scenario") { runScenario(); loadEquilibrium(); }
  }, 120);
  const onSlider = () => { set({ year: yr.value, date: "" }); $("day").value = ""; $("year-out").textContent = yr.value; onYear(); };
  yr.addEventListener("input", onSlider);
  yr.addEventListener("change", onSlider);
  $("day").max = META.dataset.as_of;
  $("day").addEventListener("change", () => {
    const v = $("day").value;
    if (!v) { set({ date: "" }); onYear(); return; }
    set({ date: v, year: v.slice(0, 4) });
    yr.value = state.year; $("year-out").textContent = state.year;
    onYear();
  });
  $("size").addEventListener("change", () => { set({ size: $("size").value }); loadNetwork(); });
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => { set({ view: b.dataset.view }); showView(); });
  $("run-scenario").addEventListener("click", () => {
    const mode = document.querySelector("input[name=mode]:checked").value;
    set({ scenario: mode, hub: $("hub").value, factor: $("factor").value, gtheatre: $("gtheatre").value, k: $("k").value });
    runScenario();
  });
  $("clear-scenario").addEventListener("click", () => { set({ scenario: "" }); runScenario(); });
  $("cut").addEventListener("input", () => { $("cut-out").textContent = $("cut").value + "%"; });
  $("cut").addEventListener("change", () => { set({ cut: $("cut").value }); loadEquilibrium(); });
  for (const id of ["byear", "alliance", "edition"]) $(id).addEventListener("change", () => { set({ [id]: $(id).value }); loadBurden(); });
  for (const [id, key] of [["tl-actor", "tl"], ["tl-with", "tlwith"]]) $(id).addEventListener("change", () => { set({ [key]: $(id).value }); loadTimeline(); });
  $("threshold").addEventListener("change", () => { set({ threshold: $("threshold").value }); loadSweep(); });
  window.addEventListener("hashchange", () => { readHash(); applyState(); });

  readHash();
  writeHash();
  applyState();
}

init().catch((err) => {
  document.querySelector("main").prepend(el("p", { class: "error", text: `The dashboard could not start: ${err.message}` }));
});
