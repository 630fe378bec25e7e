// The public report page: "use my position" fills the hidden latitude and longitude from the browser's
// geolocation (offered only where the browser has it; the position never leaves the form otherwise).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("use-position");
    var state = document.getElementById("position-state");
    var lat = document.getElementById("id_latitude");
    var lng = document.getElementById("id_longitude");
    if (!button || !lat || !lng || !("geolocation" in navigator)) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      state.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        state.textContent = button.dataset.found;
      }, function () {
        state.textContent = button.dataset.failed;
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  });
}());
