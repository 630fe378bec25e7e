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
        if (status) status.textContent = status.dataset.located + " (±" + Math.round(pos.coords.accuracy) + " m)";
      }, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
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
