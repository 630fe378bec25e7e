"""待我处理 in a browser: the grid worker lands on their work at 1366 and 375 px, the unread badge, mark all read."""

import pathlib

import pytest

from wangge.workorders.models import Notification

from ..conftest import PASSWORD
from ..dashboard.test_inbox import orders_for_gridworker
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_IMG = pathlib.Path(__file__).resolve().parents[2] / "docs" / "img"


def test_inbox_is_the_grid_workers_home_on_desktop_and_phone(world, live_server, browser):
    orders_for_gridworker(world)
    user = world.users["gridworker"]
    for i in range(2):
        Notification.objects.create(user=user, key=f"test:{i}", message=f"工单提醒{i}", link="/workorders/")
    # The orders handed to the grid worker above notified them too: the badge counts every unread one.
    unread = str(Notification.objects.filter(user=user, read_at__isnull=True).count())
    assert unread != "2"
    for width, height in ((1366, 900), (375, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        sign_in(page, live_server, "gridworker", PASSWORD)
        assert page.locator("h1").inner_text() == "待我处理"
        orders = page.get_by_test_id("inbox-orders")
        assert "超期 1" in orders.inner_text() and "退回给我 1" in orders.inner_text()
        assert page.get_by_test_id("inbox-care").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width < 500:
            DOCS_IMG.mkdir(exist_ok=True)
            page.screenshot(path=str(DOCS_IMG / "inbox-375.png"), full_page=True)
            assert page.get_by_test_id("unread-phone").inner_text().endswith(unread)
        else:
            page.screenshot(path=str(DOCS_IMG / "inbox-1366.png"), full_page=True)
            assert page.get_by_test_id("unread-badge").inner_text().endswith(unread)
        # The returned order comes first and opens the order.
        with page.expect_navigation():
            orders.locator("[data-testid=inbox-item] a").first.click()
        assert "违停0" in page.locator("h1").inner_text()
        context.close()
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.get_by_test_id("unread-phone").click()
    with page.expect_navigation():
        page.get_by_test_id("mark-all-read").click()
    assert page.get_by_test_id("unread-phone").count() == 0
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    context.close()
