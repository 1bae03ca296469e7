/* Wiring: tabs, controls and the URL hash; starts the dashboard. Loaded last: every view's
   functions are defined by then. */
"use strict";

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
