/* The sweep view (when the app was started with --sweep): distributions and threshold
   probabilities. Uses core.js. */
"use strict";

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
