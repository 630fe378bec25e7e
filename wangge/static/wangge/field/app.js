// The offline field app. Tasks, checklists, enterprises and the queue of submissions (inspections and
// enterprise visits) live in IndexedDB, so the
// page works with no network and a reload loses nothing. Each submission keeps the client_id it was
// given when saved: retrying after a lost response returns the same inspection, never a second one.
// A refused submission (a conflict) stays in the queue, shown with the server's reason, until the
// inspector discards it.
(function () {
  "use strict";
  const DB_NAME = "wangge-field";
  const S = JSON.parse(document.getElementById("field-strings").textContent);
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  let db;
  let syncing = false;
  let answered = 0;  // submissions the server has answered (taken or refused) since the page opened

  // --- IndexedDB, promise-shaped ----------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME + "-" + document.body.dataset.user, 3);
      request.onupgradeneeded = (event) => {
        const d = request.result;
        if (event.oldVersion < 1) {
          d.createObjectStore("tasks", { keyPath: "id" });
          d.createObjectStore("checklists", { keyPath: "id" });
          d.createObjectStore("queue", { keyPath: "client_id" });
          d.createObjectStore("meta", { keyPath: "key" });
        }
        if (event.oldVersion < 2) d.createObjectStore("enterprises", { keyPath: "id" });
        if (event.oldVersion < 3) d.createObjectStore("residents", { keyPath: "id" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  function tx(store, mode, work) {
    return new Promise((resolve, reject) => {
      const t = db.transaction(store, mode);
      const result = work(t.objectStore(store));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      t.onerror = () => reject(t.error);
    });
  }
  const all = (store) => tx(store, "readonly", (s) => s.getAll());
  const get = (store, key) => tx(store, "readonly", (s) => s.get(key));
  const put = (store, value) => tx(store, "readwrite", (s) => s.put(value));
  const del = (store, key) => tx(store, "readwrite", (s) => s.delete(key));

  // --- status bar ---------------------------------------------------------------------------
  async function showStatus() {
    const net = $("[data-net]");
    net.textContent = navigator.onLine ? S.online : S.offline;
    net.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
    const queue = await all("queue");
    $("[data-queued]").textContent = String(queue.length);
    const last = await get("meta", "last_sync");
    // In the page's language (12月7日 05:29), not the browser's: a phone set to English wrote "12/7/2026, 5:29 AM".
    $("[data-last-sync]").textContent = last ? new Date(last.value).toLocaleString(document.documentElement.lang || "zh-Hans",
      { month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) : S.never;
    renderQueue(queue);
  }
  function message(text) {
    const box = $("[data-message]");
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
  }

  // --- the list -------------------------------------------------------------------------------
  async function renderTasks() {
    const queued = new Set((await all("queue")).map((q) => q.task_id));
    const tasks = (await all("tasks")).filter((t) => !queued.has(t.id))
      .sort((a, b) => (a.planned_on || "").localeCompare(b.planned_on || "") || a.id - b.id);
    const list = $("[data-tasks]");
    list.replaceChildren();
    if (!tasks.length) {
      const p = document.createElement("p");
      p.className = "text-muted";
      p.textContent = S.nothing;
      list.append(p);
    }
    for (const t of tasks) {
      const a = document.createElement("a");
      a.href = "#task/" + t.id;
      a.className = "card task-card text-decoration-none text-body " + t.shift + (t.reason === "reinspection" ? " reinspection" : "");
      a.dataset.task = t.id;
      const body = document.createElement("div");
      body.className = "card-body py-2";
      const title = document.createElement("strong");
      title.textContent = t.premises.name;
      const facts = document.createElement("div");
      facts.className = "small";
      facts.textContent = [t.premises.address, t.premises.category, t.planned_on].join(" · ");
      const more = document.createElement("div");
      more.className = "small text-muted";
      more.textContent = [t.team ? t.team.name : "", t.premises.road_chief ? S.road_chief + " " + t.premises.road_chief : "",
        t.reason === "reinspection" ? S.reinspection + " " + t.note : ""].filter(Boolean).join(" · ");
      body.append(title, facts, more);
      a.append(body);
      list.append(a);
    }
  }
  function renderQueue(queue) {
    const section = $("[data-queue-section]");
    const list = $("[data-queue]");
    list.replaceChildren();
    section.classList.toggle("d-none", !queue.length);
    for (const item of queue) {
      const li = document.createElement("li");
      li.className = "list-group-item" + (item.conflict ? " list-group-item-warning" : "");
      li.dataset.queueItem = item.client_id;
      const text = document.createElement("div");
      text.textContent = (item.premises_name || item.label) + " · " + (item.conflict ? S.conflict + ": " + item.conflict : S.waiting);
      li.append(text);
      if (item.conflict) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-danger mt-1";
        button.textContent = S.discard;
        button.addEventListener("click", async () => {
          if (!window.confirm(S.discard_confirm)) return;
          await del("queue", item.client_id);
          await showStatus();
          await renderTasks();
        });
        li.append(button);
      }
      list.append(li);
    }
  }

  // --- where the phone is, against the premises ------------------------------------------------
  // Measured on the phone, with no network: the same haversine and mean Earth radius as
  // core/coords.distance_m, red beyond the radius of the far_from_premises flag (sent by the sync).
  // The position goes with the queued inspection; the server flags it again when it arrives.
  const EARTH_RADIUS_M = 6371008.8;
  let position = null;  // {task_id, latitude, longitude, accuracy}: the latest fix while the form is open
  let watching = null;  // the geolocation watch of the open form
  let locating = 0;  // the latest watch: an answer to an older one arriving late is ignored
  function distanceM(lat1, lon1, lat2, lon2) {
    const rad = (degrees) => degrees * (Math.PI / 180);
    const p1 = rad(lat1), p2 = rad(lat2), dp = p2 - p1, dl = rad(lon2 - lon1);
    const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, key) => String(values[key]));
  const lengthText = (metres) => metres >= 1000 ? fmt(S.km, { km: (metres / 1000).toFixed(1) }) : fmt(S.metres, { m: metres });
  function stopLocating() {
    if (watching !== null) navigator.geolocation.clearWatch(watching);
    watching = null;
    locating++;
  }
  function locate(task) {
    // Watched while the form is open, never an old fix (maximumAge 0): a position cached a minute ago
    // may be the previous premises'. The latest fix is the one saved with the inspection.
    stopLocating();
    const token = locating;
    position = null;
    const line = $("[data-distance]");
    const note = $("[data-far-note]");
    line.className = "";
    line.textContent = S.locating;
    delete line.dataset.far;
    delete line.dataset.metres;
    note.hidden = true;
    $("[data-accuracy]").textContent = "";
    const failed = (text) => { line.textContent = text; line.className = "text-warning-emphasis"; };
    if (!navigator.geolocation) { failed(S.position_unavailable); return; }
    watching = navigator.geolocation.watchPosition(async (pos) => {
      if (token !== locating) return;
      const { latitude, longitude, accuracy } = pos.coords;
      position = { task_id: task.id, latitude: latitude, longitude: longitude, accuracy: accuracy };
      $("[data-accuracy]").textContent = accuracy ? fmt(S.accuracy, { m: Math.round(accuracy) }) : "";
      const p = task.premises;
      if (p.latitude == null || p.longitude == null) {  // also a task held from before coordinates were sent
        line.textContent = S.no_premises_position;
        line.className = "";
        return;
      }
      const metres = Math.round(distanceM(latitude, longitude, p.latitude, p.longitude));
      const last = await get("meta", "last_sync");
      if (token !== locating) return;
      const radius = last ? last.radius_m : undefined;
      const far = typeof radius === "number" && metres > radius;
      line.textContent = fmt(S.distance, { distance: lengthText(metres) });
      line.dataset.metres = String(metres);
      line.className = far ? "text-danger fw-semibold" : "text-success";
      if (far) line.dataset.far = "1";
      else delete line.dataset.far;
      note.textContent = far ? fmt(S.far, { radius: lengthText(radius) }) : "";
      note.hidden = !far;
    }, (error) => {
      // Refused: nothing more will come. Not found in time: the watch goes on; say so while nothing is known.
      if (token === locating && !position) failed(error.code === error.PERMISSION_DENIED ? S.position_refused : S.position_unavailable);
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }

  // --- the form -----------------------------------------------------------------------------
  function radioGroup(name, options, violating) {
    const group = document.createElement("div");
    group.className = "btn-group flex-wrap";
    group.setAttribute("role", "group");
    for (const [value, label] of options) {
      const id = "f-" + name + "-" + value;
      const input = document.createElement("input");
      Object.assign(input, { type: "radio", className: "btn-check", name: name, value: value, id: id });
      const lab = document.createElement("label");
      lab.className = "btn btn-outline-" + (violating.includes(value) ? "danger" : "success");
      lab.htmlFor = id;
      lab.textContent = label;
      group.append(input, lab);
    }
    return group;
  }
  function fileInput(name) {
    const input = document.createElement("input");
    Object.assign(input, { type: "file", accept: "image/*", className: "form-control mt-1", name: name });
    input.setAttribute("capture", "environment");
    return input;
  }
  async function openTask(id) {
    const task = await get("tasks", id);
    if (!task) { location.hash = ""; return; }
    const checklist = await get("checklists", task.checklist_id);
    const form = $("[data-field-form]");
    form.reset();
    form.dataset.task = String(id);
    $("[data-form-errors]").classList.add("d-none");
    $("[data-premises-name]").textContent = task.premises.name;
    $("[data-premises-facts]").textContent = [task.premises.address, task.premises.category, task.premises.grid,
      task.premises.status_label, task.reason === "reinspection" ? S.reinspection + " " + task.note : ""].filter(Boolean).join(" · ");
    const items = (checklist ? checklist.items : []).filter((i) => !i.category_ids.length || i.category_ids.includes(task.premises.category_id));
    const box = $("[data-items]");
    box.replaceChildren();
    items.forEach((item, n) => {
      const row = document.createElement("div");
      row.className = "answer-row";
      row.dataset.item = item.code;
      const label = document.createElement("div");
      label.className = "mb-1";
      label.textContent = (n + 1) + ". " + item.text + (item.required ? " *" : "");
      row.append(label);
      if (item.kind === "yes_no") row.append(radioGroup("a_" + item.code, [["yes", S.yes], ["no", S.no]], item.violation_values));
      else if (item.kind === "choice") row.append(radioGroup("a_" + item.code, item.choices.map((c) => [c, c]), item.violation_values));
      else if (item.kind === "number") {
        const input = document.createElement("input");
        Object.assign(input, { type: "number", min: "0", className: "form-control", name: "a_" + item.code });
        input.inputMode = "numeric";
        row.append(input);
      } else if (item.kind === "text") {
        const input = document.createElement("input");
        Object.assign(input, { className: "form-control", name: "a_" + item.code, maxLength: 500 });
        row.append(input);
      }
      if (item.kind === "photo" || item.photo_required_when_violated) row.append(fileInput("p_" + item.code));
      box.append(row);
    });
    const people = $("[data-people]");
    people.replaceChildren();
    for (const m of (task.team ? task.team.members : [])) {
      if (String(m.id) === document.body.dataset.user) continue;
      const wrap = document.createElement("div");
      wrap.className = "form-check";
      const input = document.createElement("input");
      Object.assign(input, { type: "checkbox", className: "form-check-input", name: "inspectors", value: m.id, id: "f-p-" + m.id, checked: true });
      const lab = document.createElement("label");
      lab.className = "form-check-label";
      lab.htmlFor = input.id;
      lab.textContent = m.name;
      wrap.append(input, lab);
      people.append(wrap);
    }
    form.items = items;
    showOutcome();
    show("form");
    locate(task);
    window.scrollTo(0, 0);
  }
  function showOutcome() {
    const chosen = $("[data-field-form] input[name=outcome]:checked");
    $$("[data-field-form] [data-outcome]").forEach((s) => { s.hidden = !chosen || s.dataset.outcome !== chosen.value; });
  }
  function violates(item, value, numbers) {
    if (item.violation_values.includes(value)) return true;
    const n = Number(value);
    if (value !== "" && item.violation_min !== null && n < item.violation_min) return true;
    if (value !== "" && item.violation_max !== null && n > item.violation_max) return true;
    return Boolean(item.at_least_item && value !== "" && numbers[item.at_least_item] !== undefined && n < numbers[item.at_least_item]);
  }
  async function saveForm(event) {
    event.preventDefault();
    const form = event.target;
    const task = await get("tasks", Number(form.dataset.task));
    const data = new FormData(form);
    const answers = {};
    const photos = [];
    const numbers = {};
    const errors = [];
    for (const item of form.items) {
      const value = String(data.get("a_" + item.code) || "").trim();
      if (value) answers[item.code] = value;
      if (item.kind === "number" && value !== "") numbers[item.code] = Number(value);
      const file = data.get("p_" + item.code);
      if (file && file.size) photos.push({ item: item.code, name: file.name, blob: file });
      if (!value && item.required && item.kind !== "photo") errors.push(S.answer);
    }
    for (const file of data.getAll("photos")) if (file && file.size) photos.push({ item: "", name: file.name, blob: file });
    const outcome = data.get("outcome");
    if (!outcome) errors.push(S.outcome);
    if (outcome === "compliant" && form.items.some((i) => violates(i, answers[i.code] || "", numbers))) errors.push(S.violation);
    if (errors.length) {
      const box = $("[data-form-errors]");
      box.textContent = Array.from(new Set(errors)).join(" ");
      box.classList.remove("d-none");
      return;
    }
    const where = position && position.task_id === task.id ? position : null;
    if (navigator.geolocation) stopLocating();
    await put("queue", {
      client_id: crypto.randomUUID(), task_id: task.id, premises_name: task.premises.name, saved_at: Date.now(),
      inspected_at: new Date().toISOString(), answers: answers, photos: photos, outcome: outcome,
      inspector_ids: data.getAll("inspectors").map(Number), questioned: data.get("questioned") || "",
      notes: data.get("notes") || "", fixed_description: data.get("fixed_description") || "",
      rectification_items: data.get("rectification_items") || "", deadline: data.get("deadline") || null,
      suspend: data.get("suspend") === "on", legal_reason: data.get("legal_reason") || "", conflict: "",
      // Where the phone was (none if refused or not found yet): the server judges the place from it.
      latitude: where ? where.latitude : null, longitude: where ? where.longitude : null,
      accuracy_m: where && where.accuracy != null ? Math.round(where.accuracy) : null,
    });
    message(S.queued);
    location.hash = "";
    sync();
  }

  // --- sync -----------------------------------------------------------------------------------
  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function asBase64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }
  async function bodyOf(item) {
    if (item.kind === "enterprise_visit") return ["/api/v1/enterprise-visits", Object.assign({ client_id: item.client_id }, item.body)];
    if (item.kind === "care_visit") return ["/api/v1/care-visits", Object.assign({ client_id: item.client_id }, item.body)];
    const body = Object.assign({}, item, { photos: [] });
    delete body.conflict; delete body.premises_name; delete body.saved_at; delete body.kind;
    for (const p of item.photos) body.photos.push({ item: p.item, name: p.name, data: await asBase64(p.blob) });
    return ["/api/v1/inspections", body];
  }
  // The API answers in the Accept-Language asked for, and a phone set to English asks for English: ask for
  // the page's own language, so the server's words (a status, the reason of a conflict) match the page's.
  const LANGUAGE = { "Accept-Language": document.documentElement.lang || "zh-hans" };
  async function push() {
    for (const item of await all("queue")) {
      if (item.conflict) continue;
      const [url, body] = await bodyOf(item);
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: Object.assign({ "Content-Type": "application/json", "X-CSRFToken": csrf() }, LANGUAGE),
      });
      if (response.status === 200 || response.status === 201) {
        answered += 1;
        await del("queue", item.client_id);
        if (item.task_id) await del("tasks", item.task_id);
      } else if (response.status === 401 || response.status === 403) {
        message(S.sign_in);
        return false;
      } else if (response.status >= 400 && response.status < 500) {
        const answer = await response.json().catch(() => ({}));
        const reasons = (answer.errors || []).map((e) => e.message);
        item.conflict = (reasons.length ? reasons : [answer.detail || String(response.status)]).join(" ");
        answered += 1;
        await put("queue", item);
      } else {
        return false;  // the server is unwell: keep everything, try again later
      }
    }
    return true;
  }
  async function pull() {
    const last = await get("meta", "last_sync");
    const have = (await all("checklists")).map((c) => c.id).join(",");
    const params = new URLSearchParams({ have: have });
    // A phone last synced by a shell without the radius holds tasks without the premises' coordinates:
    // one full sync sends them all again.
    if (last && last.radius_m !== undefined) params.set("since", last.server_time);
    const response = await fetch("/api/v1/field/sync?" + params, { credentials: "same-origin", headers: LANGUAGE });
    if (response.status === 401 || response.status === 403) { message(S.sign_in); return false; }
    if (!response.ok) return false;
    const data = await response.json();
    const keep = new Set(data.task_ids);
    for (const t of await all("tasks")) if (!keep.has(t.id)) await del("tasks", t.id);
    for (const t of data.tasks) await put("tasks", t);
    for (const c of data.checklists) await put("checklists", c);
    const keepEnterprises = new Set(data.enterprise_ids);
    for (const e of await all("enterprises")) if (!keepEnterprises.has(e.id)) await del("enterprises", e.id);
    for (const e of data.enterprises) await put("enterprises", e);
    const keepResidents = new Set(data.resident_ids);
    for (const r of await all("residents")) if (!keepResidents.has(r.id)) await del("residents", r.id);
    for (const r of data.residents) await put("residents", r);
    await put("meta", { key: "last_sync", value: Date.now(), server_time: data.server_time, radius_m: data.radius_m });
    return true;
  }
  async function sync() {
    if (syncing) return;
    syncing = true;
    const button = $("[data-sync-now]");
    button.disabled = true;  // one sync at a time; enabled again when it has ended, however it ended
    let pulled = false;
    const before = answered;
    try {
      if (navigator.onLine && await push()) {
        pulled = await pull();
        message("");
      }
    } catch (error) {
      message(S.sync_failed);  // a network error mid-way: everything stays queued
    } finally {
      syncing = false;
      button.disabled = false;
      await showStatus();
      // The lists are drawn again only when the server answered something: a failed sync redrawing the
      // list under the inspector's finger swallowed the tap that opens a record. The queue (showStatus) always.
      if (pulled || answered !== before) {
        if (!location.hash) await renderTasks();
        if (location.hash === "#enterprises") await renderEnterprises();
        if (location.hash === "#residents") await renderResidents();
      }
    }
  }

  // --- wiring ---------------------------------------------------------------------------------
  function show(view) {
    $$("[data-view]").forEach((v) => { v.hidden = v.dataset.view !== view; });
    const tab = { list: "tasks", form: "tasks", enterprises: "enterprises", visit: "enterprises", residents: "residents", care: "residents" }[view];
    $$("[data-tab]").forEach((t) => t.classList.toggle("active", t.dataset.tab === tab));
  }
  async function route() {
    if (navigator.geolocation) stopLocating();
    const task = location.hash.match(/^#task\/(\d+)$/);
    if (task) return openTask(Number(task[1]));
    const visit = location.hash.match(/^#visit\/(\d+)$/);
    if (visit) return openVisit(Number(visit[1]));
    const care = location.hash.match(/^#care\/(\d+)$/);
    if (care) return openCare(Number(care[1]));
    const body = document.body.dataset;
    if (location.hash === "#residents" || (!body.mayInspect && !body.mayVisit)) {
      show("residents");
      return renderResidents();
    }
    if (location.hash === "#enterprises" || !body.mayInspect) {
      show("enterprises");
      return renderEnterprises();
    }
    show("list");
    await renderTasks();
  }

  // --- records visited in the field: residents (care visits) and enterprises (visits) -----------
  // Both tabs are a searchable list of cached records, a form about one, and a queued submission.
  function renderRecords(box, rows, { href, dataKey, facts, empty }) {
    box.replaceChildren();
    for (const r of rows) {
      const a = document.createElement("a");
      a.href = href + r.id;
      a.className = "list-group-item list-group-item-action";
      a.dataset[dataKey] = r.id;
      const name = document.createElement("div");
      name.textContent = r.name;
      const line = document.createElement("div");
      line.className = "small text-muted";
      line.textContent = facts(r);
      a.append(name, line);
      box.append(a);
    }
    if (!rows.length) {
      const p = document.createElement("p");
      p.className = "text-muted";
      p.textContent = empty;
      box.append(p);
    }
  }
  function openRecordForm(form, errors, record, facts, view) {
    // A new form for this record; the date and the visitors stay, since one outing visits many.
    const keep = { visited_on: form.elements.visited_on.value, visitors: form.elements.visitors.value };
    form.reset();
    form.elements.visited_on.value = keep.visited_on;
    form.elements.visitors.value = keep.visitors;
    form.dataset.record = String(record.id);
    errors.classList.add("d-none");
    $("[data-" + view + "-name]").textContent = record.name;
    $("[data-" + view + "-facts]").textContent = facts;
    window.scrollTo(0, 0);
  }
  async function queueRecord({ kind, label, body, complete, errors, missing, back }) {
    if (!complete) {
      errors.textContent = missing;
      errors.classList.remove("d-none");
      return;
    }
    await put("queue", { client_id: crypto.randomUUID(), kind: kind, label: label, saved_at: Date.now(), body: body,
      conflict: "" });
    message(S.queued);
    location.hash = back;
    sync();
  }
  const place = (r) => [r.compound, r.building, r.room].filter(Boolean).join(" ");

  // care visits to special groups
  async function renderResidents() {
    const box = $("[data-residents]");
    if (!box) return;
    const query = ($("[data-resident-search]").value || "").trim();
    const rows = (await all("residents")).filter((r) => !query || [r.name, r.compound, r.building].join(" ").includes(query))
      .sort((a, b) => String(a.last_visit || "").localeCompare(String(b.last_visit || "")) || a.id - b.id);
    renderRecords(box, rows.slice(0, 300), { href: "#care/", dataKey: "resident", empty: S.no_residents,
      facts: (r) => [place(r), r.last_visit ? S.last_visit + " " + r.last_visit : S.never_visited].join(" · ") });
  }
  async function openCare(id) {
    const resident = await get("residents", id);
    if (!resident) { location.hash = "#residents"; return; }
    show("care");
    openRecordForm($("[data-care-form]"), $("[data-care-errors]"), resident, place(resident), "resident");
  }
  async function saveCare(event) {
    event.preventDefault();
    const form = event.target;
    const resident = await get("residents", Number(form.dataset.record));
    const data = new FormData(form);
    const text = (name) => String(data.get(name) || "").trim();
    const body = { resident_id: resident.id, visited_on: data.get("visited_on"), visitors: text("visitors"),
      condition: data.get("condition"), notes: text("notes"), daily_life_need: text("daily_life_need"),
      medical_need: text("medical_need"), supplies_need: text("supplies_need") };
    await queueRecord({ kind: "care_visit", label: S.care + " · " + resident.name, body: body, back: "#residents",
      complete: body.visited_on && body.visitors && body.condition, errors: $("[data-care-errors]"),
      missing: S.care_required });
  }

  // enterprise visits
  async function renderEnterprises() {
    const box = $("[data-enterprises]");
    if (!box) return;
    const query = ($("[data-enterprise-search]").value || "").trim();
    const rows = (await all("enterprises")).filter((e) => !query || [e.name, e.address, e.park].join(" ").includes(query))
      .sort((a, b) => a.name.localeCompare(b.name, "zh"));
    renderRecords(box, rows.slice(0, 200), { href: "#visit/", dataKey: "enterprise", empty: S.no_enterprises,
      facts: (e) => [e.park, e.address, e.grid].filter(Boolean).join(" · ") });
  }
  async function openVisit(id) {
    const enterprise = await get("enterprises", id);
    if (!enterprise) { location.hash = "#enterprises"; return; }
    show("visit");
    openRecordForm($("[data-visit-form]"), $("[data-visit-errors]"), enterprise,
      [enterprise.park, enterprise.address].filter(Boolean).join(" · "), "enterprise");
  }
  async function saveVisit(event) {
    event.preventDefault();
    const form = event.target;
    const enterprise = await get("enterprises", Number(form.dataset.record));
    const data = new FormData(form);
    const texts = data.getAll("demand_text");
    const demands = data.getAll("demand_category").map((category, n) => ({ category: category, text: String(texts[n] || "").trim() }))
      .filter((d) => d.category && d.text);
    const body = {
      enterprise_id: enterprise.id, visited_on: data.get("visited_on"), visitors: String(data.get("visitors") || "").trim(),
      operating_status: data.get("operating_status"), impact: data.get("impact"), impact_areas: data.getAll("impact_areas"),
      staff_back_percent: data.get("staff_back_percent") === "" ? null : Number(data.get("staff_back_percent")),
      problems: String(data.get("problems") || ""), demands: demands,
    };
    await queueRecord({ kind: "enterprise_visit", label: S.visit + " · " + enterprise.name, body: body,
      back: "#enterprises", complete: body.visited_on && body.visitors && body.operating_status && body.impact,
      errors: $("[data-visit-errors]"), missing: S.visit_required });
  }
  async function start() {
    db = await openDb();
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/field/" }).catch(() => {});
    $("[data-field-form]").addEventListener("submit", saveForm);
    $("[data-field-form]").addEventListener("change", (e) => { if (e.target.name === "outcome") showOutcome(); });
    $$("[data-back]").forEach((b) => b.addEventListener("click", () => { location.hash = b.dataset.back; }));
    if ($("[data-visit-form]")) $("[data-visit-form]").addEventListener("submit", saveVisit);
    if ($("[data-enterprise-search]")) $("[data-enterprise-search]").addEventListener("input", renderEnterprises);
    if ($("[data-care-form]")) $("[data-care-form]").addEventListener("submit", saveCare);
    if ($("[data-resident-search]")) $("[data-resident-search]").addEventListener("input", renderResidents);
    $("[data-sync-now]").addEventListener("click", sync);
    $("[data-locate]").addEventListener("click", async () => {
      const task = await get("tasks", Number($("[data-field-form]").dataset.task));
      if (task) locate(task);
    });
    window.addEventListener("hashchange", route);
    window.addEventListener("online", sync);
    window.addEventListener("offline", showStatus);
    await showStatus();
    await route();
    document.body.dataset.ready = "1";
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
