// The grid map: the grids' boundaries registered as an ECharts map, coloured by the chosen measure.
// Clicking a grid opens the list behind its value. Used by the dashboard and the big screen.
(function () {
  function draw(el, chart, measure, dark) {
    const url = el.dataset.source + (el.dataset.source.includes("?") ? "&" : "?") + "measure=" + encodeURIComponent(measure);
    return fetch(url, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((data) => {
        if (!data.geo.features.length) {
          el.textContent = el.dataset.empty || "";
          return;
        }
        echarts.registerMap("wangge-grids", data.geo);
        const urls = Object.fromEntries(data.data.map((d) => [d.name, d.url]));
        chart.setOption({
          tooltip: { trigger: "item", formatter: (p) => p.name + "：" + (p.value === undefined || isNaN(p.value) ? "—" : p.value) },
          visualMap: { min: 0, max: data.max, calculable: true, left: 0, bottom: 0, text: [data.label, ""],
            textStyle: { color: dark ? "#ddd" : "#333" },
            inRange: { color: measure === "coverage" ? ["#f8d7da", "#ffe69c", "#198754"] : ["#d1e7dd", "#ffe69c", "#dc3545"] } },
          series: [{ type: "map", map: "wangge-grids", roam: true, data: data.data,
            // Names on hover only: a town has a hundred grids.
            label: { show: false }, itemStyle: { borderColor: dark ? "#0b1426" : "#fff", borderWidth: 1 },
            emphasis: { label: { show: true, color: dark ? "#fff" : "#222" } } }],
        }, true);
        chart.off("click");
        chart.on("click", (p) => { if (urls[p.name]) window.location = urls[p.name]; });
        el.dataset.ready = measure;
      });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("grid-map");
    if (!el || !window.echarts) return;
    const dark = el.dataset.theme === "dark";
    const chart = echarts.init(el, dark ? "dark" : null);
    const select = document.getElementById("grid-map-measure");
    const current = () => (select ? select.value : el.dataset.measure || "coverage");
    draw(el, chart, current(), dark);
    if (select) select.addEventListener("change", () => draw(el, chart, current(), dark));
    const every = parseInt(el.dataset.refresh || "0", 10);
    if (every > 0) setInterval(() => draw(el, chart, current(), dark), every * 1000);
    window.addEventListener("resize", () => chart.resize());
  });
})();
