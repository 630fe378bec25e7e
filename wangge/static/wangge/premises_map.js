// Premises on a plain coordinate plane (no map tiles: government intranets have no internet).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("premises-map");
  if (!el || !window.echarts) return;
  const chart = echarts.init(el);
  // Operating status, or risk band with ?colour=risk.
  const colours = { open: "#198754", suspended: "#ffc107", shut: "#dc3545", closed: "#6c757d",
    low: "#198754", medium: "#fd7e14", high: "#dc3545" };
  fetch(el.dataset.source, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const series = Object.entries(data.groups).map(([group, label]) => ({
        name: label, type: "scatter", symbolSize: 7, itemStyle: { color: colours[group] },
        data: data.points.filter((p) => p[3] === group),
      }));
      chart.setOption({
        // A tooltip string is HTML to ECharts: a premises' name is text, so it is escaped.
        tooltip: { formatter: (p) => echarts.format.encodeHTML(p.data[2]) },
        legend: { top: 0 },
        xAxis: { scale: true, name: "经度" }, yAxis: { scale: true, name: "纬度" },
        dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "inside", yAxisIndex: 0 }],
        series,
      });
      chart.on("click", (p) => { window.location = el.dataset.detail + p.data[4] + "/"; });
    });
  window.addEventListener("resize", () => chart.resize());
});
