"""#25 in Chromium at 1366 and 375 px: a grid worker chooses text messages on 通知方式 from a phone — the
page reads Chinese, fits the screen, refuses a bad number with a Chinese message and keeps the number
masked afterwards."""

from django.urls import reverse

from wangge.workorders.models import ChannelSettings

from ..access.test_chinese_pages import ALLOWED, DATA, give_chinese_names, problems
from ..conftest import PASSWORD
from .conftest import sign_in


def test_a_grid_worker_chooses_text_messages_on_a_phone(world, live_server, browser, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # set up; nothing is sent in this test
    give_chinese_names(world.users.values())
    url = live_server.url + reverse("workorders:notification_channels")
    for width, height in ((1366, 900), (375, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
        page = context.new_page()
        sign_in(page, live_server, "gridworker", PASSWORD)
        page.goto(url)
        text = page.locator("body").inner_text() + " " + page.title()
        assert "通知方式" in text and problems(text, ALLOWED | DATA) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        if width == 375:
            page.check("#id_sms")
            page.fill("#id_phone", "12345")
            with page.expect_navigation():
                page.click("main button[type=submit]")
            assert "请填写11位手机号码" in page.locator("[data-field=phone]").inner_text()
            assert not ChannelSettings.objects.exists()
            page.fill("#id_phone", "13912345678")
            with page.expect_navigation():
                page.click("main button[type=submit]")
            assert "139****5678" in page.get_by_test_id("phone-on-file").inner_text()
            assert "13912345678" not in page.content()
        context.close()
    assert ChannelSettings.objects.get(user=world.users["gridworker"]).chosen() == ["sms"]
