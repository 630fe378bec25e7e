"""A grid worker on a phone works the door-knocking list of a round and records a care visit with a need;
the pages open in Chinese and load nothing from another host."""

import pytest

from wangge.community.choices import ScreeningStatus
from wangge.community.models import ScreeningResult
from wangge.community.services import screening
from wangge.workorders.models import WorkOrder

from ..community.conftest import TODAY, hood  # noqa: F401  (the fixture)
from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_knocks_on_doors_and_visits_on_a_phone(hood, live_server, browser):  # noqa: F811
    opened = screening.open_round(hood.users["cadre"], name="第四轮", date=TODAY,
                                  compounds=[hood.compounds["linquan1"]])
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(f"{live_server.url}/residents/rounds/{opened.pk}/knock/")
    assert "敲门名单" in page.content()
    assert page.get_by_test_id("not-yet").count() == 5
    row = page.get_by_test_id("not-yet").filter(has_text="孙秀兰")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.get_by_test_id("not-yet").count() == 4
    assert ScreeningResult.objects.get(round=opened, resident=hood.people["alone"]).status == ScreeningStatus.TESTED
    page.goto(f"{live_server.url}/residents/rounds/{opened.pk}/")
    assert "20.0%" in page.get_by_test_id("coverage").inner_text()  # 1 of the 5 on the roster

    page.goto(f"{live_server.url}/residents/care/")
    with page.expect_navigation():
        page.get_by_test_id("special").filter(has_text="孙秀兰").get_by_role("link", name="登记关爱走访").click()
    page.select_option("#id_condition", "fair")
    page.fill("#id_daily_life", "需要代买米面")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "需要代买米面" in page.content() and "孙秀兰：生活照料" in page.content()
    assert WorkOrder.objects.filter(kind="resident_need", subject_id=hood.people["alone"].pk).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert all(url.startswith(live_server.url) for url in requests)
    context.close()
