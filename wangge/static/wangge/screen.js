// The big screen (大屏): one request to screen.json per refresh; figures, rankings, alerts and charts are
// updated in place (same elements, ECharts setOption on the same instance), so nothing flickers and
// the page never reloads. The grid map is the map component (map.js, dark): each poll refreshes its grids'
// values and layers in place (same map, same zoom). The round picker refreshes at once and moves the map's
// measure to that round.
(function () {
  const ROUND_FIGURES = ["in_scope", "inspected", "not_yet", "rectification_orders", "shutdowns", "reinspections"];
  const LOOKBACK_FIGURES = ["in_scope", "inspected", "not_yet"];
  const SIDE_FIGURES = [["workorders", "open"], ["workorders", "overdue"], ["places", "suspended"],
    ["places", "shut"], ["vaccination", "full_rate"], ["economy", "demands_open"]];
  const COLOURS = ["#4fc3f7", "#ffb74d", "#81c784", "#f06292"];
  const FONT = 18;

  function text(f) {
    return (f.value === null || f.value === undefined ? "—" : String(f.value)) + (f.unit && f.value !== null ? f.unit : "");
  }

  // Boxes keyed by "section.key": built once per layout, their text replaced on each refresh.
  function figures(target, groups) {
    const layout = groups.map((g) => g.title + ":" + g.figures.map((f) => f.id).join(",")).join("|");
    if (target.dataset.layout !== layout) {
      target.replaceChildren();
      groups.forEach((g) => {
        if (g.title) {
          const h = document.createElement("h2");
          h.textContent = g.title;
          target.appendChild(h);
        }
        const grid = document.createElement("div");
        grid.className = "screen-figures";
        grid.dataset.section = g.key;
        g.figures.forEach((f) => {
          const box = document.createElement("a");
          box.className = "screen-figure";
          const label = document.createElement("div");
          label.className = "label";
          const value = document.createElement("div");
          value.className = "value";
          value.dataset.key = f.key;
          value.dataset.id = f.id;
          box.append(label, value);
          grid.appendChild(box);
        });
        target.appendChild(grid);
      });
      target.dataset.layout = layout;
    }
    groups.forEach((g) => g.figures.forEach((f) => {
      const value = target.querySelector('[data-id="' + f.id + '"]');
      value.textContent = text(f);
      value.previousSibling.textContent = f.label;
      if (f.url) value.parentNode.href = f.url; else value.parentNode.removeAttribute("href");
    }));
  }

  function pick(section, keys) {
    const byKey = Object.fromEntries(section.figures.map((f) => [f.key, f]));
    return keys.filter((k) => byKey[k]).map((k) => ({ ...byKey[k], id: section.key + "." + k }));
  }

  function roundGroups(sections) {
    return sections.filter((s) => s.key === "inspections" || s.key.startsWith("lookback"))
      .map((s) => ({ key: s.key, title: s.title, figures: pick(s, s.key === "inspections" ? ROUND_FIGURES : LOOKBACK_FIGURES) }));
  }

  function sideGroups(sections) {
    const byKey = Object.fromEntries(sections.map((s) => [s.key, s]));
    const chosen = SIDE_FIGURES.filter(([s]) => byKey[s]).flatMap(([s, k]) => pick(byKey[s], [k]));
    return [{ key: "side", title: "", figures: chosen }];
  }

  function rows(tbody, items, cells) {
    while (tbody.rows.length > items.length) tbody.deleteRow(-1);
    while (tbody.rows.length < items.length) {
      const tr = tbody.insertRow();
      for (let i = 0; i < cells.length; i += 1) tr.insertCell();
    }
    items.forEach((item, n) => cells.forEach((cell, i) => {
      const td = tbody.rows[n].cells[i];
      const value = cell(item);
      if (td.textContent !== value) td.textContent = value;
    }));
  }

  // A ranking with nothing to rank says so in one row across the table, not as a bare header.
  function rankings(root, data) {
    const rate = (r) => (r.on_time_rate === null ? "—" : r.on_time_rate + "%");
    const cells = [(r) => String(r.rank), (r) => r.name, rate, (r) => String(r.overdue)];
    [["#screen-rank-grids", data.rankings.grids], ["#screen-rank-departments", data.rankings.departments]]
      .forEach(([table, items]) => {
        const tbody = document.querySelector(table + " tbody");
        const empty = tbody.querySelector("td.screen-rank-empty");
        if (items.length) {
          if (empty) tbody.deleteRow(0);
          rows(tbody, items, cells);
        } else if (!empty) {
          while (tbody.rows.length) tbody.deleteRow(-1);
          const td = tbody.insertRow().insertCell();
          td.colSpan = cells.length;
          td.className = "screen-rank-empty";
          td.textContent = root.dataset.noRanking;
        }
      });
  }

  function alerts(root, items) {
    const box = document.getElementById("screen-alerts");
    const list = box.querySelector("ul");
    const shown = items.length ? items : [{ text: root.dataset.noAlerts, level: "none" }];
    const render = (all) => {
      while (list.children.length > all.length) list.lastElementChild.remove();
      while (list.children.length < all.length) list.appendChild(document.createElement("li"));
      all.forEach((a, n) => {
        const li = list.children[n];
        if (li.textContent !== a.text) li.textContent = a.text;
        li.className = "alert-" + a.level;
        if (n >= shown.length) li.setAttribute("aria-hidden", "true"); else li.removeAttribute("aria-hidden");
      });
    };
    // Once if they fit; twice over when they scroll, so the scroll wraps round without a jump (the copy
    // is hidden from screen readers). A list that fits is never shown twice.
    render(shown);
    const scrolls = items.length > 0 && list.scrollHeight > box.clientHeight;
    if (scrolls) render(shown.concat(shown));
    list.classList.toggle("scrolling", scrolls);
    list.style.animationDuration = Math.max(shown.length * 3, 10) + "s";
  }

  function trendOption(trends) {
    return {
      backgroundColor: "transparent",
      color: COLOURS,
      tooltip: { trigger: "axis", textStyle: { fontSize: FONT } },
      // One line whatever the width (scrolling through the series when they do not fit), above the plot.
      legend: { type: "scroll", top: 0, pageTextStyle: { color: "#e6edf7" }, textStyle: { color: "#e6edf7", fontSize: FONT }, data: trends.series.map((s) => s.label) },
      grid: { left: 56, right: 24, top: 48, bottom: 36 },
      xAxis: { type: "category", data: trends.days, axisLabel: { color: "#9fb3c8", fontSize: FONT } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#9fb3c8", fontSize: FONT },
        splitLine: { lineStyle: { color: "#1f3b66" } } },
      series: trends.series.map((s) => ({ id: s.key, name: s.label, type: "line", symbolSize: 8,
        lineStyle: { width: 3 }, data: s.data })),
    };
  }

  function updatedText(root, generated) {
    // "2026-12-05T17:05:03+08:00" → "更新于 12月5日 17:05:03": the wall shows local time, no zone.
    const m = /^(\d+)-(\d+)-(\d+)T(\d+:\d+:\d+)/.exec(generated);
    return root.dataset.updated + " " + (m ? parseInt(m[2], 10) + "月" + parseInt(m[3], 10) + "日 " + m[4] : "");
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("screen");
    if (!root) return;
    const select = document.getElementById("screen-campaign");
    const trendEl = document.getElementById("screen-trends");
    const trendChart = window.echarts ? echarts.init(trendEl, "dark") : null;
    let trendKeys = null;
    let refreshes = 0;
    const map = document.getElementById("grid-map");
    const refreshMap = () => { if (map && map.wanggeRefresh) map.wanggeRefresh(); };
    const refresh = () => {
      const url = root.dataset.source + (select ? "?campaign=" + encodeURIComponent(select.value) : "");
      return fetch(url, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((data) => {
          figures(document.getElementById("screen-rounds"), roundGroups(data.sections));
          figures(document.getElementById("screen-figures"), sideGroups(data.sections));
          rankings(root, data);
          alerts(root, data.alerts);
          if (trendChart) {
            const keys = data.trends.series.map((s) => s.key).join(",");
            if (keys !== trendKeys) {
              trendChart.setOption(trendOption(data.trends), true);
              trendKeys = keys;
            } else {  // same lines: new points only, merged into the chart that is there
              trendChart.setOption({ xAxis: { data: data.trends.days },
                series: data.trends.series.map((s) => ({ id: s.key, data: s.data })) });
            }
          }
          document.getElementById("screen-updated").textContent = updatedText(root, data.generated_at);
          refreshes += 1;
          root.dataset.refreshes = String(refreshes);
        });
    };
    refresh();  // the map draws itself once on loading; the polls and the picker refresh it
    setInterval(() => { refresh(); refreshMap(); }, parseInt(root.dataset.refresh, 10) * 1000);
    if (select) {
      select.addEventListener("change", () => {
        refresh();
        if (map && map.dataset.grids) {
          map.dataset.grids = map.dataset.grids.split("?")[0] + "?campaign=" + encodeURIComponent(select.value);
          refreshMap();
        }
      });
    }
    // The panels settle after the figures arrive: follow the element's own size, not only the window's.
    if (trendChart) new ResizeObserver(() => trendChart.resize()).observe(trendEl);
  });
})();
