// The grid map: the grids' boundaries registered as an ECharts map, coloured by the chosen measure.
// Clicking a grid opens the list behind its value. Used by the dashboard and the big screen.
(function () {
  function draw(el, chart, measure, dark) {
    const labels = el.dataset.labels === "1";  // the big screen names every grid; the page on hover only
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
        // A new measure starts the chart afresh; the same measure again only merges new values (no flicker).
        const fresh = el.dataset.ready !== measure;
        const size = labels ? 18 : 12;
        chart.setOption({
          tooltip: { trigger: "item", textStyle: { fontSize: size }, formatter: (p) => echarts.format.encodeHTML(p.name) + "：" + (p.value === undefined || isNaN(p.value) ? "—" : p.value) },
          visualMap: { min: 0, max: data.max, calculable: true, left: 0, bottom: 0, text: [data.label, ""],
            textStyle: { color: dark ? "#ddd" : "#333", fontSize: size },
            inRange: { color: measure === "coverage" ? ["#f8d7da", "#ffe69c", "#198754"] : ["#d1e7dd", "#ffe69c", "#dc3545"] } },
          series: [{ type: "map", map: "wangge-grids", roam: true, data: data.data, labelLayout: { hideOverlap: true },
            label: { show: labels, color: dark ? "#fff" : "#222", fontSize: size }, itemStyle: { borderColor: dark ? "#0b1426" : "#fff", borderWidth: 1 },
            emphasis: { label: { show: true, color: dark ? "#fff" : "#222" } } }],
        }, fresh);
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
    el.addEventListener("wangge:redraw", () => draw(el, chart, current(), dark));
    const every = parseInt(el.dataset.refresh || "0", 10);
    if (every > 0) setInterval(() => draw(el, chart, current(), dark), every * 1000);
    new ResizeObserver(() => chart.resize()).observe(el);
  });
})();
