// The big screen (大屏): fetches the dashboard's JSON every minute and redraws; no page reloads.
(function () {
  function figureBox(f) {
    const box = document.createElement("div");
    box.className = "screen-figure";
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = f.label;
    const value = document.createElement("div");
    value.className = "value";
    value.dataset.key = f.key;
    const text = (f.value === null ? "—" : String(f.value)) + (f.unit && f.value !== null ? f.unit : "");
    if (f.url) {
      const a = document.createElement("a");
      a.href = f.url;
      a.textContent = text;
      value.appendChild(a);
    } else {
      value.textContent = text;
    }
    box.append(label, value);
    return box;
  }

  function panel(target, sections) {
    target.replaceChildren();
    sections.forEach((s) => {
      const h = document.createElement("h2");
      h.textContent = s.title;
      const grid = document.createElement("div");
      grid.className = "screen-figures mb-3";
      grid.dataset.section = s.key;
      s.figures.forEach((f) => grid.appendChild(figureBox(f)));
      target.append(h, grid);
    });
  }

  function chartByKind(chart, sections) {
    const orders = sections.find((s) => s.key === "workorders");
    const table = orders && orders.tables.find((t) => t.key === "by_kind");
    if (!table) return;
    chart.setOption({
      backgroundColor: "transparent",
      title: { text: table.title, textStyle: { color: "#7fd3ff", fontSize: 16 } },
      tooltip: {}, legend: { bottom: 0, data: table.headers.slice(1) },
      grid: { left: 110, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: table.rows.map((r) => r[0].value) },
      series: table.headers.slice(1).map((name, i) => ({ name, type: "bar", data: table.rows.map((r) => r[i + 1].value) })),
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("screen");
    if (!root) return;
    const chartEl = document.getElementById("screen-chart");
    const chart = window.echarts ? echarts.init(chartEl, "dark") : null;
    const refresh = () => fetch(root.dataset.source, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((data) => {
        const left = data.sections.filter((s) => ["inspections", "places", "risk"].includes(s.key));
        const right = data.sections.filter((s) => !["inspections", "places", "risk"].includes(s.key));
        panel(document.getElementById("screen-left"), left);
        panel(document.getElementById("screen-right-figures"), right);
        if (chart) chartByKind(chart, data.sections);
        document.getElementById("screen-updated").textContent = root.dataset.updated + " " + data.generated_at.replace("T", " ");
      });
    refresh();
    setInterval(refresh, parseInt(root.dataset.refresh, 10) * 1000);
    window.addEventListener("resize", () => chart && chart.resize());
  });
})();
