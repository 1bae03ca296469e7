/* alliancekit dashboard: plain JavaScript over the JSON API (/api/...), one script per view
   (network.js, scenario.js, burden.js, timeline.js, sweep.js; main.js wires them), loaded in
   that order by index.html as classic scripts sharing this file's globals. This one holds what
   they share: the state, the helpers, the URL hash and the network drawing.
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
