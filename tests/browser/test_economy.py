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


def test_the_enterprise_rates_its_demand_on_a_phone_without_an_account(economy, live_server, browser):  # noqa: F811
    from wangge.economy.services import Demand, demand_orders, record_visit
    from wangge.workorders import rating
    from wangge.workorders import services as orders

    from ..economy.conftest import VISIT_DAY

    v, _ = record_visit(economy.users["gridworker"], economy.enterprises["linquan1"], visited_on=VISIT_DAY,
                        visitors="网格员", operating_status="normal", impact="slight",
                        demands=[Demand("permits", "食品经营许可证延续")])
    order = demand_orders(v).get()
    orders.assign(economy.users["admin"], order, economy.users["econ"])
    orders.start(economy.users["econ"], order)
    orders.submit_for_verification(economy.users["econ"], order)
    orders.verify_and_close(economy.users["admin"], order, satisfaction="satisfied")
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(f"{live_server.url}/public/rating/{rating.make_token(order)}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("基本满意").check()
    page.fill("#comment", "办理及时")
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    assert "已记录" in page.get_by_test_id("rating-done").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    order.refresh_from_db()
    assert (order.satisfaction, order.satisfaction_source) == ("basically_satisfied", "requester")
    assert not violations, violations
    context.close()
