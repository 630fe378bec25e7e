"""A grid worker on a phone records an enterprise visit with a demand; the demand shows on the
enterprise page, routed to its department; the economy pages open in Chinese and stay local."""

import pytest

from ..conftest import PASSWORD
from ..economy.conftest import economy  # noqa: F401  (the fixture)
from .conftest import sign_in
from .test_pages import _only_local

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_records_a_visit_with_a_demand_on_a_phone(economy, live_server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "gridworker", PASSWORD)
    enterprise = economy.enterprises["linquan1"]
    page.goto(f"{live_server.url}/economy/enterprises/{enterprise.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_navigation():
        page.get_by_role("link", name="登记走访").click()
    page.fill("#id_visited_on", "2022-07-12")
    page.fill("#id_visitors", "林泉第1网格员")
    page.select_option("#id_operating_status", "partly")
    page.fill("#id_staff_back_percent", "60")
    page.select_option("#id_impact", "serious")
    page.get_by_label("订单").check()
    page.select_option("#id_demands-0-category", "permits")
    page.fill("#id_demands-0-text", "食品经营许可证延续办理")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "食品经营许可证延续办理" in page.get_by_test_id("visit-demands").inner_text()
    assert "市场监督管理所" in page.get_by_test_id("visit-demands").inner_text()
    page.goto(f"{live_server.url}/economy/enterprises/{enterprise.pk}/")
    assert "食品经营许可证延续办理" in page.get_by_test_id("open-demands").inner_text()
    for path in ("/economy/", "/economy/parks/", f"/economy/parks/{economy.parks['xijiao'].pk}/",
                 "/economy/enterprises/", "/economy/enterprises/not-visited/", "/economy/visits/",
                 "/economy/routes/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    _only_local(requests)
    context.close()
