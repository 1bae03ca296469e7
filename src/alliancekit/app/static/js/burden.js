/* The burden view: each ally's burden against the 2% and 3.5% lines, the US share over time,
   for the edition chosen. Uses core.js. */
"use strict";

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
