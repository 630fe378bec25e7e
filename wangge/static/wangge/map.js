// The one map component (docs/MAPS.md, template maps/_map.html): Leaflet with our own layers — grids
// coloured by a measure, road segments, clustered premises, sampling sites, compounds — over an optional
// base layer (MAP_TILE_URL; none on an air-gapped intranet). A search box flies to a premises.
// Options on the element: data-style="dark" (the big screen: dark tiles, light lines and large labels),
// data-names="all" (every grid named, a name that would cover another hidden, at any zoom), data-measure
// (the first measure). el.wanggeRefresh() fetches the grids' values and the layers again and redraws them
// in place: the same map, the same view (the big screen calls it on each of its polls).
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
    const dark = el.dataset.style === "dark";
    const allNames = el.dataset.names === "all";
    // SVG (not canvas): every grid and dot is an element a screen reader, a click and a test can reach.
    // Dark (the wall): the view fits the town as closely as it can, so each grid has room for its name.
    const map = L.map(el, { zoomSnap: dark ? 0.1 : 0.5, minZoom: 3, maxZoom: 19, attributionControl: !!el.dataset.attribution });
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

    function gridStyle(f) {
      return { color: dark ? "#7fd3ff" : "#0d6efd", weight: dark ? 2 : 1.5, fillOpacity: dark ? 0.45 : 0.25,
        className: "grid-area grid-" + f.properties.id, fillColor: grid.colour(f.properties.name) };
    }

    // Names that would cover one another (names="all"): grids with a value first, then in the grids' order; a
    // name covering one already placed, or cut by the map's edge, is hidden.
    function thinLabels() {
      if (!gridLayer || !allNames) return;
      const frame = el.getBoundingClientRect();
      const shown = [];
      const nodes = gridLayer.getLayers().map((layer) => [layer, layer.getTooltip() && layer.getTooltip().getElement()])
        .filter(([, node]) => node);
      nodes.sort(([a], [b]) => Number(!grid.values[a.feature.properties.name]) - Number(!grid.values[b.feature.properties.name]));
      nodes.forEach(([, node]) => node.classList.remove("grid-label-covered"));
      nodes.forEach(([, node]) => {
        const box = node.getBoundingClientRect();
        const cut = box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom;
        const covers = shown.some((b) => box.left < b.right - 2 && box.right > b.left + 2 && box.top < b.bottom - 2
          && box.bottom > b.top + 2);  // names that only touch both stay
        if (cut || covers) node.classList.add("grid-label-covered"); else shown.push(box);
      });
    }

    let gridsAsked = 0;
    let gridsLatest = null;
    function drawGrids(measure) {
      const url = el.dataset.grids + (el.dataset.grids.includes("?") ? "&" : "?") + "measure=" + encodeURIComponent(measure || "");
      const asked = ++gridsAsked;
      gridsLatest = json(url).then((data) => {
        if (asked !== gridsAsked) return gridsLatest;  // a later request (another round, measure) answers instead
        const select = wrap.querySelector("[data-map-measure]");
        if (select && !select.options.length) {
          Object.entries(data.measures).forEach(([key, label]) => select.add(new Option(label, key)));
          select.value = data.measure || "";
          select.addEventListener("change", () => drawGrids(select.value));
        }
        // The grids are drawn once; a new measure or new values only restyle them and rename their labels.
        grid.values = Object.fromEntries(data.data.map((d) => [d.name, d]));
        grid.colour = (name) => measureColour((grid.values[name] || {}).value, data.max, data.measure === "coverage");
        grid.label = (name) => {
          const d = grid.values[name];
          const value = d ? (d.value === null || d.value === undefined ? "—" : String(d.value)) : null;
          if (value === null) return text(name);
          // Dark (the wall): the value on a line of its own under the name, so a name is no wider than its grid.
          return dark ? text(name) + '<br><span class="grid-value">' + text(value) + "</span>" : text(name) + "：" + text(value);
        };
        el.dataset.measure = data.measure || "";
        const ids = (features) => features.map((f) => f.properties.id).join(",");
        if (gridLayer && ids(data.geo.features) !== ids(gridLayer.getLayers().map((l) => l.feature))) {
          gridLayer.clearLayers();  // other grids (a boundary imported meanwhile): new shapes in the same layer
          gridLayer.addData(data.geo);
          gridLayer.bringToBack();
        } else if (gridLayer) {
          gridLayer.eachLayer((layer) => {
            const name = layer.feature.properties.name;
            layer.setStyle({ fillColor: grid.colour(name) });
            layer.setTooltipContent(grid.label(name));
          });
        } else {
          gridLayer = L.geoJSON(data.geo, {
            style: gridStyle,
            onEachFeature: (f, layer) => {
              layer.bindTooltip(grid.label(f.properties.name), { permanent: true, direction: "center", className: "grid-label" });
              layer.on("click", () => {
                const d = grid.values[f.properties.name];
                window.location = d && d.url ? d.url : el.dataset.premisesList + "?grid=" + f.properties.id;
              });
            },
          }).addTo(map);
          gridLayer.bringToBack();
          // Many grids: their names only from street level on, where they no longer cover each other —
          // or, with names="all", every name that covers no other at any zoom.
          const labelsByZoom = () => el.classList.toggle("grid-labels-off",
            !allNames && gridLayer.getLayers().length > 20 && map.getZoom() < 16);
          map.on("zoomend", labelsByZoom);
          map.on("zoomend moveend", thinLabels);
          labelsByZoom();
          control.addOverlay(gridLayer, labels.grids);
          if (gridLayer.getLayers().length) bounds.extend(gridLayer.getBounds());
        }
        thinLabels();
      });
      return gridsLatest;
    }

    // The layers are made once (each keeps its place in the layer control and whether it is shown); a
    // refresh only replaces what is in them.
    const byRisk = el.dataset.colour === "risk";
    const roads = L.layerGroup();
    const cluster = L.markerClusterGroup({ maxClusterRadius: dark ? 60 : 40, disableClusteringAtZoom: 18 });
    const sites = L.layerGroup();
    const compounds = L.layerGroup();
    el.wanggeCluster = cluster;  // the premises layer, for tests and the search
    let layersAsked = 0;
    let layersLatest = null;
    let layersMade = false;
    function drawLayers() {
      const asked = ++layersAsked;
      layersLatest = json(el.dataset.layers).then((data) => {
        if (asked !== layersAsked) return layersLatest;
        const first = !layersMade;
        layersMade = true;
        [roads, cluster, sites, compounds].forEach((layer) => layer.clearLayers());
        data.roads.forEach((r) => roads.addLayer(L.geoJSON(r.geometry, {
          style: { color: findingsColour(r.findings), weight: dark ? 6 : 4, opacity: 0.9, className: "road-segment" },
        }).bindTooltip(text(r.label) + (r.has_chief ? "（" + labels.findings + "：" + r.findings + "）" : ""))));
        cluster.addLayers(data.premises.points.map(([lng, lat, name, status, band, id]) => {
          const colour = byRisk ? RISK[band] : STATUS[status];
          const marker = L.circleMarker([lat, lng], { radius: dark ? 8 : 6, color: dark ? "#0b1426" : "#fff", weight: 1,
            fillColor: colour || "#6c757d", fillOpacity: 0.95, className: "premises-dot" });
          marker.bindPopup('<a href="' + el.dataset.premisesDetail + id + '/">' + text(name) + "</a>");
          marker.bindTooltip(text(name));
          if (first) bounds.extend([lat, lng]);
          return marker;
        }));
        data.sites.forEach((s) => sites.addLayer(L.circleMarker([s.at[1], s.at[0]],
          { radius: dark ? 9 : 7, color: "#0d6efd", fillColor: "#0dcaf0", fillOpacity: 0.9 }).bindTooltip(text(s.name + " · " + s.label))));
        data.compounds.forEach((c) => compounds.addLayer(L.geoJSON(c.geometry,
          { style: { color: dark ? "#c29ffa" : "#6f42c1", weight: 1, dashArray: "4 3", fillOpacity: 0.05 } }).bindTooltip(text(c.name))));
        if (first) {
          [[roads, labels.roads], [cluster, labels.premises], [sites, labels.sites], [compounds, labels.compounds]]
            .forEach(([layer, label]) => { layer.addTo(map); control.addOverlay(layer, label); });
          data.roads.forEach((r) => bounds.extend(L.geoJSON(r.geometry).getBounds()));
        }
      });
      return layersLatest;
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

    const measureNow = () => {
      const select = wrap.querySelector("[data-map-measure]");
      return select && select.value ? select.value : el.dataset.measure || "";
    };
    const load = () => Promise.all([el.dataset.grids ? drawGrids(measureNow()) : null,
      el.dataset.layers ? drawLayers() : null]);
    let refreshes = 0;
    el.wanggeRefresh = () => load().then(() => {
      refreshes += 1;
      el.dataset.refreshed = String(refreshes);
    });
    load().then(() => {
      fit();
      thinLabels();  // the layers' tooltips are placed once the map has its first view
      if (!bounds.isValid()) {
        const note = document.createElement("p");
        note.className = dark ? "wangge-map-empty-dark" : "text-muted small";
        note.textContent = el.dataset.empty;
        el.before(note);
        map.setView([31.2, 121.4], 12);
      }
      el.dataset.ready = "1";
    });
    new ResizeObserver(() => { map.invalidateSize(); thinLabels(); }).observe(el);
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.L) return;
    document.querySelectorAll(".wangge-map").forEach(init);
  });
})();
