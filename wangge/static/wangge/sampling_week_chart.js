// A week of samples per site as stacked bars; the table below the chart holds the same figures.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("sampling-week-chart");
  const source = document.getElementById("sampling-week-data");
  if (!el || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { top: 40, left: 50, right: 10, bottom: 30 },
    xAxis: { type: "category", data: data.dates },
    yAxis: { type: "value" },
    series: data.series.map((s) => ({ name: s.name, type: "bar", stack: "samples", data: s.data })),
  });
  window.addEventListener("resize", () => chart.resize());
});
