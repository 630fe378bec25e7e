// Distance to each sampling site from the browser's location, when the visitor allows it.
// The location never leaves the browser. Without it the server's order stands: open now, then name.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("sampling-sites");
  if (!list || !navigator.geolocation) return;
  const cards = Array.from(list.querySelectorAll(".site-card"));
  const rad = (d) => (d * Math.PI) / 180;
  const km = (lat1, lng1, lat2, lng2) => {
    const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 +
      Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
    return 6371 * 2 * Math.asin(Math.sqrt(a));
  };
  navigator.geolocation.getCurrentPosition((pos) => {
    const { latitude, longitude } = pos.coords;
    cards.forEach((card) => {
      if (!card.dataset.lat) { card.dataset.distance = "1e9"; return; }
      const d = km(latitude, longitude, parseFloat(card.dataset.lat), parseFloat(card.dataset.lng));
      card.dataset.distance = String(d);
      card.querySelector(".distance").textContent =
        d < 1 ? `${Math.round(d * 1000)}${list.dataset.m}` : `${d.toFixed(1)}${list.dataset.km}`;
    });
    // Open now first, then opening soon, then the rest; nearest first within each group.
    cards.sort((a, b) => (a.dataset.group - b.dataset.group) ||
      (parseFloat(a.dataset.distance) - parseFloat(b.dataset.distance)));
    const anchor = document.getElementById("distance-note");
    cards.reverse().forEach((card) => anchor.after(card));
    anchor.hidden = true;
  }, () => {}, { maximumAge: 300000, timeout: 10000 });
});
