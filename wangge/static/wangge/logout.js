// Signing out leaves no one's residents on a shared phone (issue #24.3). The field app keeps tasks,
// residents and enterprises in IndexedDB for offline work; on sign-out they are wiped. Submissions
// not yet uploaded are never thrown away: with some in the queue the user is warned, and only the
// reference data goes (the queue uploads at the next sign-in of the same account). The server's
// answer to sign-out also carries Clear-Site-Data: "cache".
(function () {
  "use strict";
  const STORES_TO_WIPE = ["tasks", "checklists", "enterprises", "residents"];

  function request(r) {
    return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  }
  async function exists(name) {
    if (!indexedDB.databases) return true;  // cannot tell: opening creates nothing we keep
    return (await indexedDB.databases()).some((d) => d.name === name);
  }
  function remove(name) {
    return new Promise((resolve) => {
      const r = indexedDB.deleteDatabase(name);
      r.onsuccess = r.onerror = r.onblocked = () => resolve();  // blocked: it goes when the other tab closes
    });
  }
  async function wipe(form) {
    const name = "wangge-field-" + form.dataset.user;
    if (!(await exists(name))) return true;
    const db = await request(indexedDB.open(name));
    const stores = Array.from(db.objectStoreNames);
    const queued = stores.includes("queue") ? await request(db.transaction("queue").objectStore("queue").count()) : 0;
    if (queued > 0) {
      if (!window.confirm(form.dataset.warn.replace("{n}", String(queued)))) { db.close(); return false; }
      const present = STORES_TO_WIPE.filter((s) => stores.includes(s));
      if (present.length) {
        const t = db.transaction(present, "readwrite");
        present.forEach((s) => t.objectStore(s).clear());
        await new Promise((resolve) => { t.oncomplete = t.onerror = resolve; });
      }
      db.close();
      return true;
    }
    db.close();
    await remove(name);
    return true;
  }
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-logout]") || form.dataset.wiped) return;
    event.preventDefault();
    wipe(form).catch(() => true).then((go) => {
      if (!go) return;
      form.dataset.wiped = "1";
      form.submit();
    });
  });
})();
