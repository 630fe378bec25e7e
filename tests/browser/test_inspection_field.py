"""Issue #6 acceptance: at phone size an inspector opens today's task, answers, attaches a photo and
orders rectification; the premises shows suspended and the work order exists; a re-inspection
passes; the order is closed and the premises open again."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from tests.inspections.helpers import campaign
from wangge.inspections.models import Inspection, Task
from wangge.places.models import Premises
from wangge.workorders.models import WorkOrder

from ..conftest import PASSWORD
from .conftest import sign_in
from .test_pages import _only_local

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def _photo_file(tmp_path):
    path = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _answer_all_yes(page):
    for code in ("venue_code_applied", "venue_code_posted", "everyone_scans", "staff_protection"):
        page.locator(f"label[for=id_a_{code}_0]").click()
    page.fill("#id_a_staff_count", "6")
    page.fill("#id_a_staff_tested", "6")


def test_inspector_orders_rectification_and_a_reinspection_closes_it(world, live_server, browser, tmp_path):
    c = campaign(world, days=1)
    restaurant = world.premises["linquan1"]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    sign_in(page, live_server, "inspector", PASSWORD)

    page.goto(f"{live_server.url}/inspections/mine/")
    assert page.locator("h1").inner_text() == "今日任务"
    with page.expect_navigation():
        page.get_by_text(restaurant.name).click()
    _answer_all_yes(page)
    page.locator("label[for=id_a_disinfection_1]").click()  # 否: no disinfection log
    page.set_input_files("#id_photos", _photo_file(tmp_path))
    page.check("text=市场监督管理所")  # the officer from market supervision is present
    page.get_by_label("责令整改").check()
    assert page.locator("#id_rectification_items").is_visible()
    assert not page.locator("#id_legal_reason").is_visible()
    page.fill("#id_rectification_items", "建立消杀台账，每日消杀并记录")
    page.fill("#id_deadline", str(timezone.localdate() + datetime.timedelta(days=3)))
    page.check("#id_suspend")
    # A suspension says what it will do and asks to be acknowledged first (#22.12).
    assert "停业" in page.get_by_test_id("confirm-suspend").inner_text()
    page.check("#confirm-suspend")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_navigation():
        page.get_by_role("button", name="提交检查结果").click()

    assert "责令整改" in page.get_by_test_id("outcome").inner_text()
    order = WorkOrder.objects.get()
    assert order.kind == "rectification" and order.state == "new"
    assert Premises.objects.get(pk=restaurant.pk).status == "suspended"
    assert Inspection.objects.get().photos.count() == 1
    assert page.locator("[data-testid=photos] img").evaluate("img => img.naturalWidth") > 0
    page.goto(f"{live_server.url}/premises/{restaurant.pk}/")
    assert "停业整顿" in page.locator("h1").inner_text()

    # The re-inspection at the deadline: from the inspection page, everything in order now.
    page.go_back()
    with page.expect_navigation():
        page.get_by_test_id("reinspect-link").click()
    _answer_all_yes(page)
    page.locator("label[for=id_a_disinfection_0]").click()
    page.get_by_label("合格", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交检查结果").click()
    assert "复查" in page.locator("h1").inner_text()
    order.refresh_from_db()
    assert order.state == "closed"
    assert Premises.objects.get(pk=restaurant.pk).status == "open"
    assert Task.objects.filter(campaign=c, state="planned", premises=restaurant).count() == 0
    with page.expect_navigation():
        page.get_by_test_id("work-order-link").click()
    assert f"/workorders/{order.pk}/" in page.url
    _only_local(seen)
    context.close()


def test_online_form_records_a_fresh_position_and_shows_the_distance_in_chinese(world, live_server, browser):
    from wangge.core.coords import distance_m

    campaign(world, days=1)
    restaurant = world.premises["linquan1"]
    Premises.objects.filter(pk=restaurant.pk).update(latitude="31.210000", longitude="121.370000")
    here = (31.2150, 121.3700)  # due north: 556 m by the haversine, beyond the 500 m radius
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, permissions=["geolocation"],
                                  geolocation={"latitude": here[0], "longitude": here[1], "accuracy": 12})
    page = context.new_page()
    sign_in(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/inspections/mine/")
    with page.expect_navigation():
        page.get_by_text(restaurant.name).click()
    distance = page.locator("[data-testid=distance]")
    distance.wait_for()
    status = page.locator("[data-location-status]").inner_text()
    assert status.startswith("已记录位置（定位精度 ±12 米）"), status
    metres = round(distance_m(31.21, 121.37, *here))
    assert str(metres) in distance.inner_text() and "text-danger" in distance.get_attribute("class")
    assert page.input_value("input[name=latitude]") == "31.215000"
    assert page.input_value("input[name=accuracy_m]") == "12"  # sent with the position (the flag's reviewer sees it)
    context.close()
