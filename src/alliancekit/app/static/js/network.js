/* The network view: year slider and filters, node size by a measure, an actor's ties with
   their dates and sources. Uses core.js. */
"use strict";

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
