"""Issue #13 acceptance: the field app works offline and loses nothing. Load the tasks, go offline,
submit two inspections with photos, reload while offline (the queue survives), go online, and find
exactly two inspections with their photos on the server. And a retry after a lost response."""

import io
import math
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.inspections.helpers import campaign
from wangge.core.coords import distance_m
from wangge.inspections.models import Inspection

from ..conftest import PASSWORD
from .conftest import sign_in
from .test_pages import _only_local

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def _photo(tmp_path, name, colour):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _open_app(browser, live_server, service_workers=True, **options):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  service_workers="allow" if service_workers else "block", **options)
    page = context.new_page()
    page.seen = []
    page.on("request", lambda r: page.seen.append(r.url))
    sign_in(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/field/")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("[data-task]")).to_have_count(4)
    if not service_workers:
        return context, page
    _under_service_worker(page)
    expect(page.locator("[data-task]")).to_have_count(4)
    return context, page


def _under_service_worker(page):
    """Reload once the worker is active, so an offline reload later is served by it, not the network."""
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    # The sync that follows the reload redraws the lists when it ends: let it end before the test goes on.
    page.wait_for_selector("[data-sync-now]:not([disabled])")


def _inspect(page, name, photo, *, violation=False, position=None):
    page.locator("[data-tasks]").get_by_text(name).click()
    page.wait_for_selector("[data-view=form]:not([hidden])")
    if position:  # what the form says of the phone's position
        expect(page.locator("[data-distance]")).to_have_text(position)
    for code in ("venue_code_applied", "venue_code_posted", "everyone_scans", "staff_protection", "disinfection"):
        value = "no" if violation and code == "disinfection" else "yes"
        page.locator(f"label[for=f-a_{code}-{value}]").click()
    page.fill("input[name=a_staff_count]", "4")
    page.fill("input[name=a_staff_tested]", "4")
    page.set_input_files("input[name=photos]", photo)
    if violation:
        page.check("#f-outcome-fixed")
        page.fill("#f-fixed", "当场补建消杀台账")
    else:
        page.check("#f-outcome-compliant")
    page.get_by_role("button", name="保存，有网络时上传").click()
    page.wait_for_selector("[data-view=list]:not([hidden])")


def test_two_inspections_offline_survive_a_reload_and_upload_once(world, live_server, browser, tmp_path):
    campaign(world, days=1)
    context, page = _open_app(browser, live_server)  # the phone may not tell where it is
    context.set_offline(True)
    _inspect(page, world.premises["linquan1"].name, _photo(tmp_path, "a.jpg", (200, 0, 0)),
             position="未允许定位：仍可提交检查，但不记录位置。")
    _inspect(page, world.premises["linquan2"].name, _photo(tmp_path, "b.jpg", (0, 200, 0)), violation=True)
    # The count is redrawn after the list (saving shows the list, then reads the queue): wait for it.
    expect(page.locator("[data-queued]")).to_have_text("2")
    assert Inspection.objects.count() == 0

    page.reload()  # offline: the service worker serves the shell, IndexedDB still holds the queue
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("[data-queued]").inner_text() == "2"
    assert page.locator("[data-task]").count() == 2
    assert page.locator("[data-net]").inner_text() == "离线"

    context.set_offline(False)
    expect(page.locator("strong[data-queued]")).to_have_text("0")
    assert Inspection.objects.count() == 2
    by_name = {i.premises.name: i for i in Inspection.objects.all()}
    assert by_name[world.premises["linquan1"].name].outcome == "compliant"
    assert by_name[world.premises["linquan2"].name].outcome == "fixed"
    assert all(i.photos.count() == 1 for i in by_name.values())
    assert all(i.latitude is None and i.longitude is None and i.flags == [] for i in by_name.values())
    synced = page.locator("[data-last-sync]").inner_text()
    assert re.fullmatch(r"\d{1,2}月\d{1,2}日 \d{2}:\d{2}", synced), synced  # synced, and not in the phone's English
    _only_local(page.seen)
    context.close()


def test_a_lost_response_is_retried_without_a_duplicate(world, live_server, browser, tmp_path):
    campaign(world, days=1)
    # Playwright cannot intercept requests of a page a service worker controls, so none here.
    context, page = _open_app(browser, live_server, service_workers=False)
    lost = []

    def deliver_then_drop(route):
        route.fetch()  # the server receives and saves it...
        lost.append(route.request.url)
        route.abort()  # ...but the answer never reaches the phone

    page.route("**/api/v1/inspections", deliver_then_drop)
    _inspect(page, world.premises["linquan1"].name, _photo(tmp_path, "c.jpg", (0, 0, 200)))
    expect(page.locator("[data-message]")).to_contain_text("无法连接服务器")
    assert lost and Inspection.objects.count() == 1
    # The counter is redrawn just after the message (sync's finally): waited for, not read at once.
    expect(page.locator("[data-queued]")).to_have_text("1")
    page.unroute("**/api/v1/inspections")
    page.get_by_role("button", name="立即同步").click()
    expect(page.locator("strong[data-queued]")).to_have_text("0")
    assert Inspection.objects.count() == 1 and Inspection.objects.get().photos.count() == 1
    context.close()


PREMISES = (Decimal("31.217000"), Decimal("121.386000"))  # 新泾镇
NEAR = (31.2185, 121.3865)  # north-east of it, about 173 m
FAR = (31.222, 121.386)  # 0.005 degree due north: about 556 m, beyond the 500 m radius


def _equirectangular_m(lat1, lon1, lat2, lon2):
    """A second, independent measure (flat-Earth approximation, good to a millimetre over a few hundred
    metres) with the same mean radius."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_008.8 * math.hypot(x, math.radians(lat2 - lat1))


def test_the_distance_to_the_premises_is_measured_offline_and_flagged_on_upload(world, live_server, browser,
                                                                                 tmp_path):
    # The formula the phone must agree with, against a published example (Rosetta Code, "Haversine
    # formula": BNA to LAX is 2886.444442837983 km on a sphere of 6371.0 km).
    bna_lax = distance_m(36.12, -86.67, 33.94, -118.40) * 6_371_000 / 6_371_008.8
    assert bna_lax == pytest.approx(2_886_444.4428, abs=0.01)
    campaign(world, days=1)
    near, far, unplaced = (world.premises[g] for g in ("linquan1", "linquan2", "beihong1"))
    for premises in (near, far):
        premises.latitude, premises.longitude = PREMISES
        premises.save()
    context, page = _open_app(browser, live_server, permissions=["geolocation"],
                              geolocation={"latitude": NEAR[0], "longitude": NEAR[1], "accuracy": 12})
    context.set_offline(True)  # from here on the phone measures on its own
    distance = page.locator("[data-distance]")

    near_m = round(distance_m(*NEAR, *PREMISES))
    _inspect(page, near.name, _photo(tmp_path, "n.jpg", (200, 0, 0)), position=f"距场所 {near_m} 米")
    assert near_m == pytest.approx(_equirectangular_m(*NEAR, *map(float, PREMISES)), rel=0.005) and near_m == 173

    context.set_geolocation({"latitude": FAR[0], "longitude": FAR[1], "accuracy": 35.4})
    page.locator("[data-tasks]").get_by_text(far.name).click()
    far_m = round(distance_m(*FAR, *PREMISES))
    expect(distance).to_have_text(f"距场所 {far_m} 米")
    # Due north, by hand: 6 371 008.8 m x 0.005 degree x pi / 180 = 555.975 m.
    assert far_m == pytest.approx(555.975, rel=0.005) and far_m == 556
    assert distance.get_attribute("data-far") == "1" and "text-danger" in distance.get_attribute("class")
    assert distance.get_attribute("data-metres") == str(far_m)
    expect(page.locator("[data-far-note]")).to_have_text("超过500 米：本次检查将被标记待复核。")
    expect(page.locator("[data-accuracy]")).to_have_text("定位精度 ±35 米")
    # Chromium asks in English (Accept-Language: en-US); the page's words, the server's included, stay Chinese.
    assert not re.search("[A-Za-z]", page.locator("[data-view=form] [data-position]").inner_text()
                         + page.locator("[data-premises-facts]").inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "wangge-field-distance-375.png"))
    page.get_by_role("button", name="我的任务").click()
    _inspect(page, far.name, _photo(tmp_path, "f.jpg", (0, 200, 0)), position=f"距场所 {far_m} 米")

    page.locator("[data-tasks]").get_by_text(unplaced.name).click()
    expect(distance).to_have_text("场所未标注位置")
    assert distance.get_attribute("data-far") is None
    assert page.locator("[data-queued]").inner_text() == "2" and Inspection.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("strong[data-queued]")).to_have_text("0")
    stored = {i.premises_id: i for i in Inspection.objects.all()}
    assert len(stored) == 2
    at_near, at_far = stored[near.pk], stored[far.pk]
    assert (at_near.latitude, at_near.longitude) == (Decimal("31.218500"), Decimal("121.386500"))
    assert (at_far.latitude, at_far.longitude) == (Decimal("31.222000"), Decimal("121.386000"))
    assert [f["code"] for f in at_near.flags] == []
    # The phone's own error estimate went with each position, and with the flag for its reviewer.
    assert (at_near.accuracy_m, at_far.accuracy_m) == (12, 35)
    assert at_far.flags == [{"code": "far_from_premises",
                             "params": {"distance_m": far_m, "radius_m": 500, "accuracy_m": 35}}]
    context.close()


def test_an_enterprise_visit_made_offline_uploads_once_with_its_demand(economy, live_server, browser):
    from wangge.economy.models import EnterpriseVisit
    from wangge.workorders.models import WorkOrder

    world = economy.world
    target = economy.enterprises["linquan1"]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(f"{live_server.url}/field/#enterprises")
    page.wait_for_selector("body[data-ready='1']")
    _under_service_worker(page)
    page.wait_for_selector(f"[data-enterprise='{target.pk}']")
    context.set_offline(True)
    page.locator(f"[data-enterprise='{target.pk}']").click()
    page.wait_for_selector("[data-view=visit]:not([hidden])")
    page.check("#v-op-partly")
    page.check("#v-im-serious")
    page.check("#v-ia-cash_flow")
    page.fill("#v-problems", "租金压力大")
    page.locator("select[name=demand_category]").first.select_option("rent_relief")
    page.locator("input[name=demand_text]").first.fill("申请减免两个月租金")
    page.get_by_role("button", name="保存，有网络时上传").click()
    page.wait_for_selector("[data-view=enterprises]:not([hidden])")
    expect(page.locator("[data-queued]")).to_have_text("1")  # redrawn after the list shows: waited for
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("[data-queued]").inner_text() == "1" and EnterpriseVisit.objects.count() == 0
    context.set_offline(False)
    expect(page.locator("strong[data-queued]")).to_have_text("0")
    visit = EnterpriseVisit.objects.get()
    assert visit.enterprise == target and visit.operating_status == "partly"
    order = WorkOrder.objects.get(kind="demand")
    assert order.category == "rent_relief" and order.department == economy.jfb
    assert visit.recorded_by == world.users["gridworker"]
    context.close()


def _residents_tab(world, live_server, browser):
    """The grid worker's residents tab on a phone, an elder living alone among them: (context, page, elder)."""
    elder = world.residents["linquan1"]  # born 1952, in the grid worker's grid
    elder.lives_alone = True
    elder.save()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(f"{live_server.url}/field/#residents")
    page.wait_for_selector("body[data-ready='1']")
    return context, page, elder


def test_a_care_visit_made_offline_uploads_once_and_its_need_becomes_an_order(world, live_server, browser):
    from wangge.community.models import CareVisit
    from wangge.workorders.models import WorkOrder

    context, page, elder = _residents_tab(world, live_server, browser)
    _under_service_worker(page)
    page.wait_for_selector(f"[data-resident='{elder.pk}']")
    context.set_offline(True)
    page.locator(f"[data-resident='{elder.pk}']").click()
    page.wait_for_selector("[data-view=care]:not([hidden])")
    page.check("#c-co-fair")
    page.fill("#c-daily", "需要送米送油")
    page.get_by_role("button", name="保存，有网络时上传").click()
    page.wait_for_selector("[data-view=residents]:not([hidden])")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("strong[data-queued]")).to_have_text("1")
    assert CareVisit.objects.count() == 0
    context.set_offline(False)
    expect(page.locator("strong[data-queued]")).to_have_text("0")
    visit = CareVisit.objects.get()
    assert visit.resident == elder and visit.condition == "fair"
    assert WorkOrder.objects.filter(kind="resident_need").count() == 1
    context.close()


def test_a_failed_sync_leaves_the_list_under_the_finger_alone(world, live_server, browser):
    """A sync that fails (no network) redraws nothing but the status: redrawing the resident list under a
    tap swallowed it (mouse down on the old row, up on the new one). A sync that succeeds draws it anew."""
    context, page, elder = _residents_tab(world, live_server, browser)
    sync_ended = "[data-sync-now]:not([disabled])"
    page.wait_for_selector(sync_ended)
    row = f"[data-resident='{elder.pk}']"
    page.eval_on_selector(row, "a => { a.dataset.drawn = 'first'; }")  # a mark a redraw would lose
    context.set_offline(True)
    page.click("[data-sync-now]")
    page.wait_for_selector(sync_ended)
    expect(page.locator("[data-net]")).to_have_text("离线")
    assert page.eval_on_selector(row, "a => a.dataset.drawn") == "first"
    context.set_offline(False)
    page.click("[data-sync-now]")
    page.wait_for_selector(sync_ended)
    expect(page.locator(f"{row}[data-drawn]")).to_have_count(0)  # drawn anew from what the server sent
    page.click(row)
    page.wait_for_selector("[data-view=care]:not([hidden])")
    context.close()
