/* Searchable multi-select (core/widgets.py SearchableMultiSelect). Progressive enhancement: the
   <select multiple> stays in the form and is the value that is posted; this script hides it and adds
   chips for the chosen items, a search box, one drop-down per group filter, a "select all shown"
   button and a list of check boxes filtered as one types. No inline script, no eval (CSP). */
(function () {
  "use strict";
  var LIMIT = 200; // rows drawn at once; more matches ask the user to type further

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function enhance(box) {
    if (box.dataset.enhanced) return;
    var select = box.querySelector("select[multiple]");
    if (!select) return;
    box.dataset.enhanced = "1";
    var t = box.dataset;
    var options = Array.prototype.slice.call(select.options);
    var filters = [];
    try { filters = JSON.parse(t.filters || "[]"); } catch (e) { filters = []; }
    select.hidden = true;
    select.removeAttribute("required"); // the server still checks; a hidden required box blocks submit
    select.tabIndex = -1;

    var chips = el("div", "sm-chips d-flex flex-wrap gap-1 mb-2");
    chips.setAttribute("aria-live", "polite");
    var bar = el("div", "sm-bar d-flex flex-wrap gap-2 mb-2");
    var search = el("input", "form-control form-control-sm sm-search");
    search.type = "search";
    search.placeholder = t.textSearch;
    search.setAttribute("aria-label", t.textSearch);
    if (select.id) search.id = select.id + "_search";
    bar.appendChild(search);
    var filterBoxes = filters.map(function (f) {
      var values = {};
      options.forEach(function (o) {
        (o.getAttribute("data-f-" + f.key) || "").split("|").forEach(function (v) { if (v) values[v] = true; });
      });
      var names = Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "zh-Hans-CN", { numeric: true }); });
      var drop = el("select", "form-select form-select-sm sm-filter w-auto");
      drop.setAttribute("aria-label", f.label);
      drop.dataset.key = f.key;
      drop.appendChild(new Option(f.label + "：" + t.textAll, ""));
      names.forEach(function (n) { drop.appendChild(new Option(n, n)); });
      if (names.length) bar.appendChild(drop);
      return drop;
    });
    var selectShown = el("button", "btn btn-sm btn-outline-primary sm-select-shown", t.textSelectShown);
    selectShown.type = "button";
    var clear = el("button", "btn btn-sm btn-outline-secondary sm-clear", t.textClear);
    clear.type = "button";
    bar.appendChild(selectShown);
    bar.appendChild(clear);
    var list = el("div", "list-group sm-list");
    var status = el("div", "form-text sm-status");
    box.appendChild(chips);
    box.appendChild(bar);
    box.appendChild(list);
    box.appendChild(status);

    function matches(o) {
      var q = search.value.trim().toLowerCase();
      if (q && o.text.toLowerCase().indexOf(q) === -1) return false;
      for (var i = 0; i < filterBoxes.length; i++) {
        var want = filterBoxes[i].value;
        if (want && (o.getAttribute("data-f-" + filterBoxes[i].dataset.key) || "").split("|").indexOf(want) === -1) {
          return false;
        }
      }
      return true;
    }

    function drawChips() {
      chips.textContent = "";
      var chosen = options.filter(function (o) { return o.selected; });
      chosen.forEach(function (o) {
        var chip = el("span", "badge rounded-pill text-bg-primary sm-chip d-inline-flex align-items-center gap-1");
        chip.appendChild(el("span", "", o.text));
        var x = el("button", "btn-close btn-close-white sm-remove");
        x.type = "button";
        x.setAttribute("aria-label", t.textRemove + " " + o.text);
        x.addEventListener("click", function () { o.selected = false; draw(); });
        chip.appendChild(x);
        chips.appendChild(chip);
      });
      chips.hidden = !chosen.length;
      return chosen.length;
    }

    function draw() {
      var chosenCount = drawChips();
      list.textContent = "";
      var shown = options.filter(matches);
      shown.slice(0, LIMIT).forEach(function (o) {
        var row = el("label", "list-group-item list-group-item-action d-flex gap-2 align-items-start sm-option");
        var tick = el("input", "form-check-input flex-shrink-0");
        tick.type = "checkbox";
        tick.checked = o.selected;
        tick.value = o.value;
        tick.addEventListener("change", function () { o.selected = tick.checked; drawChips(); count(); });
        row.appendChild(tick);
        row.appendChild(el("span", "", o.text));
        list.appendChild(row);
      });
      if (!shown.length) list.appendChild(el("div", "list-group-item text-muted", t.textNone));
      if (shown.length > LIMIT) list.appendChild(el("div", "list-group-item small text-muted", t.textMore));
      list.dataset.matches = shown.length;
      count(chosenCount, shown.length);
    }

    function count() {
      var chosen = options.filter(function (o) { return o.selected; }).length;
      status.textContent = t.textChosen + " " + chosen + " · " + t.textShown + " " + (list.dataset.matches || 0) +
        " / " + options.length;
    }

    search.addEventListener("input", draw);
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    filterBoxes.forEach(function (d) { d.addEventListener("change", draw); });
    selectShown.addEventListener("click", function () {
      options.filter(matches).forEach(function (o) { o.selected = true; });
      draw();
    });
    clear.addEventListener("click", function () {
      options.forEach(function (o) { o.selected = false; });
      draw();
    });
    draw();
  }

  function enhanceAll(root) {
    var boxes = (root || document).querySelectorAll("[data-searchable-multi]");
    Array.prototype.forEach.call(boxes, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (e) { enhanceAll(e.target); });
})();
