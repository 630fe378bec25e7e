"""Issue #22 point 12: the re-plan confirmation on a phone (375 px) with JavaScript off: the numbers, no
sideways scroll, and the confirm button plans."""

import pytest

from wangge.inspections.models import Task

from ..conftest import PASSWORD
from ..inspections.helpers import campaign
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_replan_confirmation_at_375_px(world, live_server, browser):
    c = campaign(world, plan=False)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/inspections/campaigns/{c.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="派发任务").click()
    box = page.get_by_test_id("confirm")
    assert "重新排班将删除 0 个未完成任务并新建 4 个" in box.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not Task.objects.exists()  # the first click changed nothing
    with page.expect_navigation():
        page.get_by_test_id("confirm-button").click()
    assert Task.objects.filter(campaign=c).count() == 4
    context.close()
