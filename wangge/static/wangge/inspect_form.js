// The field form: record the phone's location when allowed, and show only the outcome's own fields.
// Without JavaScript every field stays visible and the form still works.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("[data-testid=inspection-form]");
    if (!form) return;
    var status = form.querySelector("[data-location-status]");
    if (navigator.geolocation && form.elements.latitude) {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.latitude.value = pos.coords.latitude.toFixed(6);
        form.elements.longitude.value = pos.coords.longitude.toFixed(6);
        if (form.elements.accuracy_m && pos.coords.accuracy != null) {
          form.elements.accuracy_m.value = String(Math.round(pos.coords.accuracy));
        }
        if (status) {
          status.textContent = status.dataset.located + "（" +
            status.dataset.accuracy.replace("%(m)s", Math.round(pos.coords.accuracy)) + "）";
        }
        // The distance to the premises, measured by the server as the plausibility flag will be.
        if (status && status.dataset.distance) {
          fetch(status.dataset.distance + "?latitude=" + form.elements.latitude.value + "&longitude=" +
                form.elements.longitude.value, { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (d) {
              if (!d) return;
              var line = document.createElement("span");
              line.className = "d-block" + (d.far ? " text-danger" : "");
              line.dataset.testid = "distance";
              line.textContent = d.text;
              status.append(line);
            })
            .catch(function () {});  // offline: the position is still recorded
        }
        // A fresh fix only: one cached a minute ago may be the previous premises'.
      }, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 });
    }
    function showOutcome() {
      var chosen = form.querySelector("input[name=outcome]:checked");
      form.querySelectorAll("[data-outcome]").forEach(function (section) {
        section.hidden = !chosen || section.dataset.outcome !== chosen.value;
      });
    }
    form.querySelectorAll("input[name=outcome]").forEach(function (radio) {
      radio.addEventListener("change", showOutcome);
    });
    showOutcome();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
