"""#22.3, #22.4 and #22.13 in Chromium, at 1366 and 375 px: what a town leader reads on the dashboard, the
work-order list, the briefs page and the big screen is Chinese (the same checker as the every-page test:
no stray English word, no ISO timestamp), and a daily brief is made from one date."""

from django.urls import reverse
from playwright.sync_api import expect

from wangge.core import background
from wangge.dashboard.models import Brief

from ..access.test_chinese_pages import ALLOWED, DATA, give_chinese_names, problems
from ..conftest import PASSWORD
from ..workorders.helpers import raise_order
from .conftest import sign_in

PAGES = ["dashboard:home", "workorders:order_list", "dashboard:brief_list", "workorders:notification_list"]


def test_a_leaders_pages_read_chinese_and_a_daily_brief_takes_one_date(world, live_server, browser):
    give_chinese_names(world.users.values())  # people read by their names, never by account names
    raise_order(world)
    for width, height in ((1366, 900), (375, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        sign_in(page, live_server, "leader", PASSWORD)
        for name in PAGES:
            url = reverse(name)
            page.goto(live_server.url + url)
            text = page.locator("body").inner_text() + " " + page.title()
            assert problems(text, ALLOWED | DATA) == [], (width, url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, url)
        context.close()
    # The daily brief: one date, made and listed (a review keeps its period).
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(live_server.url + reverse("dashboard:brief_list"))
    daily = page.get_by_test_id("brief-form-daily")
    assert daily.locator("input[type=date]").count() == 1
    assert page.get_by_test_id("brief-form-review").locator("input[type=date]").count() == 2
    daily.locator("input[type=date]").fill("2022-07-06")
    with page.expect_navigation():
        daily.locator("button[type=submit]").click()
    # The job page follows the worker: waiting, then the two files once the worker has made them.
    assert page.get_by_test_id("background-job").get_attribute("data-status") == "pending"
    assert background.run_pending() == 1
    expect(page.get_by_test_id("background-link")).to_have_count(2, timeout=15_000)
    assert problems(page.inner_text("body"), ALLOWED | DATA) == []
    brief = Brief.objects.get()
    assert (brief.starts_on.isoformat(), brief.ends_on.isoformat()) == ("2022-07-06", "2022-07-06")
    page.goto(live_server.url + reverse("dashboard:brief_list"))
    assert "2022-07-06" in page.get_by_test_id("brief-rows").inner_text()
    context.close()
