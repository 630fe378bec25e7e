// The one map component (docs/MAPS.md, template maps/_map.html): Leaflet with our own layers — grids
// coloured by a measure, road segments, clustered premises, sampling sites, compounds — over an optional
// base layer (MAP_TILE_URL; none on an air-gapped intranet). A search box flies to a premises.
(function () {
  const STATUS = { open: "#198754", suspended: "#ffc107", shut: "#dc3545", closed: "#6c757d" };
  const RISK = { low: "#198754", medium: "#fd7e14", high: "#dc3545" };

  function text(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function findingsColour(n) { return n === 0 ? "#198754" : n < 3 ? "#fd7e14" : "#dc3545"; }

  function measureColour(value, max, coverage) {
    if (value === undefined || value === null) return "#adb5bd";
    const share = Math.max(0, Math.min(1, value / (max || 1)));
    const good = coverage ? share : 1 - share;  // coverage: more is better; the others: more is worse
    return good > 0.66 ? "#198754" : good > 0.33 ? "#ffc107" : "#dc3545";
  }

  function json(url) { return fetch(url, { credentials: "same-origin" }).then((r) => r.json()); }

  function init(el) {
    const wrap = el.closest(".wangge-map-wrap");
    const labels = JSON.parse(el.dataset.labels || "{}");
    // SVG (not canvas): every grid and dot is an element a screen reader, a click and a test can reach.
    const map = L.map(el, { zoomSnap: 0.5, minZoom: 3, maxZoom: 19, attributionControl: !!el.dataset.attribution });
    el.wanggeMap = map;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    const overlays = {};
    const control = L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    const bounds = L.latLngBounds([]);
    let gridLayer = null;
    const grid = {};
    let fitted = false;

    function fit() {
      if (fitted) return;
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); fitted = true; }
    }

    function drawGrids(measure) {
      const url = el.dataset.grids + (el.dataset.grids.includes("?") ? "&" : "?") + "measure=" + encodeURIComponent(measure || "");
      return json(url).then((data) => {
        const select = wrap.querySelector("[data-map-measure]");
        if (select && !select.options.length) {
          Object.entries(data.measures).forEach(([key, label]) => select.add(new Option(label, key)));
          select.value = data.measure || "";
          select.addEventListener("change", () => drawGrids(select.value));
        }
        // The grids are drawn once; a new measure only restyles them and renames their labels.
        grid.values = Object.fromEntries(data.data.map((d) => [d.name, d]));
        grid.colour = (name) => measureColour((grid.values[name] || {}).value, data.max, data.measure === "coverage");
        grid.label = (name) => text(name) + (grid.values[name] ? "：" + grid.values[name].value : "");
        if (gridLayer) {
          gridLayer.eachLayer((layer) => {
            const name = layer.feature.properties.name;
            layer.setStyle({ fillColor: grid.colour(name) });
            layer.setTooltipContent(grid.label(name));
          });
          el.dataset.measure = data.measure || "";
          return;
        }
        gridLayer = L.geoJSON(data.geo, {
          style: (f) => ({ color: "#0d6efd", weight: 1.5, fillOpacity: 0.25, className: "grid-area grid-" + f.properties.id,
            fillColor: grid.colour(f.properties.name) }),
          onEachFeature: (f, layer) => {
            layer.bindTooltip(grid.label(f.properties.name), { permanent: true, direction: "center", className: "grid-label" });
            layer.on("click", () => {
              const d = grid.values[f.properties.name];
              window.location = d && d.url ? d.url : el.dataset.premisesList + "?grid=" + f.properties.id;
            });
          },
        }).addTo(map);
        gridLayer.bringToBack();
        // Many grids: their names only from street level on, where they no longer cover each other.
        const many = gridLayer.getLayers().length > 20;
        const labelsByZoom = () => el.classList.toggle("grid-labels-off", many && map.getZoom() < 16);
        map.on("zoomend", labelsByZoom);
        labelsByZoom();
        control.addOverlay(gridLayer, labels.grids);
        if (gridLayer.getLayers().length) bounds.extend(gridLayer.getBounds());
        el.dataset.measure = data.measure || "";
      });
    }

    function drawLayers() {
      return json(el.dataset.layers).then((data) => {
        const roads = L.layerGroup(data.roads.map((r) => L.geoJSON(r.geometry, {
          style: { color: findingsColour(r.findings), weight: 4, opacity: 0.9 },
        }).bindTooltip(text(r.label) + (r.has_chief ? "（" + labels.findings + "：" + r.findings + "）" : ""))));
        const byRisk = el.dataset.colour === "risk";
        const cluster = L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 18 });
        data.premises.points.forEach(([lng, lat, name, status, band, id]) => {
          const colour = byRisk ? RISK[band] : STATUS[status];
          const marker = L.circleMarker([lat, lng], { radius: 6, color: "#fff", weight: 1, fillColor: colour || "#6c757d", fillOpacity: 0.95, className: "premises-dot" });
          marker.bindPopup('<a href="' + el.dataset.premisesDetail + id + '/">' + text(name) + "</a>");
          marker.bindTooltip(text(name));
          cluster.addLayer(marker);
          bounds.extend([lat, lng]);
        });
        const sites = L.layerGroup(data.sites.map((s) => L.circleMarker([s.at[1], s.at[0]],
          { radius: 7, color: "#0d6efd", fillColor: "#0dcaf0", fillOpacity: 0.9 }).bindTooltip(text(s.name + " · " + s.label))));
        const compounds = L.layerGroup(data.compounds.map((c) => L.geoJSON(c.geometry,
          { style: { color: "#6f42c1", weight: 1, dashArray: "4 3", fillOpacity: 0.05 } }).bindTooltip(text(c.name))));
        [[roads, labels.roads], [cluster, labels.premises], [sites, labels.sites], [compounds, labels.compounds]]
          .forEach(([layer, label]) => { layer.addTo(map); control.addOverlay(layer, label); });
        data.roads.forEach((r) => bounds.extend(L.geoJSON(r.geometry).getBounds()));
        el.wanggeCluster = cluster;  // the premises layer, for tests and the search
      });
    }

    function flyTo(result) {
      const target = [result.at[1], result.at[0]];
      map.flyTo(target, 18, { duration: 0.8 });
      map.once("moveend", () => {
        L.popup({ offset: [0, -4] }).setLatLng(target)
          .setContent('<a href="' + result.url + '">' + text(result.name) + "</a>").openOn(map);
        el.dataset.flownTo = result.id;
      });
    }

    const form = wrap.querySelector("[data-map-search]");
    const list = wrap.querySelector("[data-map-results]");
    if (form && el.dataset.search) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const q = form.elements.q.value.trim();
        if (!q) return;
        json(el.dataset.search + "?q=" + encodeURIComponent(q)).then((data) => {
          list.replaceChildren();
          list.classList.remove("d-none");
          if (!data.results.length) {
            const li = document.createElement("li");
            li.className = "list-group-item small text-muted";
            li.textContent = el.dataset.noneFound;
            list.append(li);
            return;
          }
          data.results.forEach((r) => {
            const li = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-link btn-sm p-0 text-start";
            button.textContent = r.name + " · " + r.address;
            button.addEventListener("click", () => flyTo(r));
            li.className = "list-group-item py-1";
            li.append(button);
            list.append(li);
          });
          flyTo(data.results[0]);
        });
      });
    }

    const jobs = [];
    if (el.dataset.grids) jobs.push(drawGrids(""));
    if (el.dataset.layers) jobs.push(drawLayers());
    Promise.all(jobs).then(() => {
      fit();
      if (!bounds.isValid()) {
        const note = document.createElement("p");
        note.className = "text-muted small";
        note.textContent = el.dataset.empty;
        el.before(note);
        map.setView([31.2, 121.4], 12);
      }
      el.dataset.ready = "1";
    });
    new ResizeObserver(() => map.invalidateSize()).observe(el);
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.L) return;
    document.querySelectorAll(".wangge-map").forEach(init);
  });
})();
