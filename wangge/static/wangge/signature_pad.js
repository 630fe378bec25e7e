// The party's signature on the inspector's phone: a canvas drawn with a finger, a stylus or a mouse
// (pointer events), sized to its box at the screen's pixel density. On submit the drawing goes as a
// PNG data URL in `signature_data`; without JavaScript the form keeps its plain PNG file input.
(function () {
  "use strict";

  function setUp(form) {
    var canvas = form.querySelector("canvas.signature-pad");
    var data = form.querySelector("input[name=signature_data]");
    var clear = form.querySelector("[data-signature-clear]");
    var fallback = form.querySelector(".signature-fallback");
    if (!canvas || !canvas.getContext) return;
    canvas.hidden = false;
    if (clear) clear.hidden = false;
    if (fallback) fallback.hidden = true;
    var ctx = canvas.getContext("2d");
    var drawing = false, inked = false, last = null;

    function size() {
      var ratio = window.devicePixelRatio || 1;
      var width = canvas.clientWidth, height = Math.round(Math.min(width * 0.5, 260));
      canvas.style.height = height + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#000";
      inked = false;
      data.value = "";
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.style.touchAction = "none"; // the finger draws instead of scrolling the page
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
      ctx.fill();
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
      inked = true;
      event.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    if (clear) clear.addEventListener("click", size);
    form.addEventListener("submit", function () {
      data.value = inked ? canvas.toDataURL("image/png") : "";
    });
    size();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.signature-form").forEach(setUp);
  });
})();
