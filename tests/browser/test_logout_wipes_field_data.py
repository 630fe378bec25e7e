"""#24.3: signing out leaves no resident on the phone: the field app's IndexedDB is deleted when its
queue is empty; with unsent records the user is warned, the queue stays and the rest is wiped. The
sign-out answer carries Clear-Site-Data for the cache."""

from ..conftest import PASSWORD
from .conftest import sign_in

COUNTS = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n.startsWith("wangge-field-"));
  if (!names.length) return null;
  const db = await new Promise((ok) => {
    const r = indexedDB.open(names[0]); r.onsuccess = () => ok(r.result); });
  const count = (s) => new Promise((ok) => {
    const r = db.transaction(s).objectStore(s).count(); r.onsuccess = () => ok(r.result); });
  const out = {residents: await count("residents"), queue: await count("queue")};
  db.close();
  return out;
}"""


def _field_app_with_residents(world, browser, live_server):
    elder = world.residents["linquan1"]  # in the grid worker's grid: a special-group resident
    elder.lives_alone = True
    elder.save()
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(f"{live_server.url}/field/#residents")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector(f"[data-resident='{elder.pk}']")
    for _ in range(60):  # the first sync fills the residents store (polled: the page's CSP forbids eval)
        counts = page.evaluate(COUNTS)
        if counts and counts["residents"] > 0:
            break
        page.wait_for_timeout(250)
    assert counts and counts["residents"] > 0
    return context, page


def test_sign_out_deletes_the_field_data(world, live_server, browser):
    context, page = _field_app_with_residents(world, browser, live_server)
    with page.expect_navigation():
        page.get_by_test_id("logout-form").locator("button").click()
    assert "/accounts/login" in page.url or "/accounts/logout" in page.url
    assert page.evaluate(COUNTS) is None  # no wangge-field-* database left
    context.close()


def test_unsent_records_are_kept_with_a_warning(world, live_server, browser):
    context, page = _field_app_with_residents(world, browser, live_server)
    page.evaluate("""async () => {
      const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n.startsWith("wangge-field-"));
      const db = await new Promise((ok) => { const r = indexedDB.open(names[0]); r.onsuccess = () => ok(r.result); });
      await new Promise((ok) => { const t = db.transaction("queue", "readwrite");
        t.objectStore("queue").put({client_id: "x-1", kind: "care_visit", body: {}}); t.oncomplete = ok; });
      db.close();
    }""")
    warnings = []
    page.on("dialog", lambda d: (warnings.append(d.message), d.accept()))
    with page.expect_navigation():
        page.get_by_test_id("logout-form").locator("button").click()
    assert warnings and "1 条离线记录尚未上传" in warnings[0]
    assert page.evaluate(COUNTS) == {"residents": 0, "queue": 1}
    context.close()


def test_sign_out_answer_clears_the_cache(world, client):
    client.force_login(world.users["gridworker"])
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302) and response["Clear-Site-Data"] == '"cache"'
