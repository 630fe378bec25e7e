// Bar charts of the dashboard's breakdown tables (open and overdue work orders by kind and department).
// Data comes from the page's json_script; clicking a bar opens the list behind that number.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) return;
  const tables = JSON.parse(source.textContent);
  const charts = [];
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const table = tables[el.dataset.chart];
    if (!table) return;
    const chart = echarts.init(el);
    const rows = table.rows.slice().reverse(); // the first row on top
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: table.headers.slice(1) },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map((r) => r[0].value) },
      series: table.headers.slice(1).map((name, i) => ({
        name, type: "bar", data: rows.map((r) => ({ value: r[i + 1].value, url: r[i + 1].url })),
      })),
    });
    chart.on("click", (p) => { if (p.data && p.data.url) window.location = p.data.url; });
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
