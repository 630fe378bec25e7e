"""The public report page in Chromium on a 375 px phone: the form fits, the position comes from the
browser's geolocation, the captcha is solved, a report is sent and looked up; nothing from another host,
nothing the CSP refuses, and no personal data on the public pages."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from wangge.reports import captcha
from wangge.reports.models import PublicReport, ReportRoute

from .test_sampling import _only_local

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _solve(page):
    token = page.locator("input[name=captcha_token]").input_value()
    page.fill("#id_captcha_answer", str(captcha.answer_of(token)))


def test_report_on_a_phone_and_look_it_up(browser, live_server, world):
    cache.clear()
    ReportRoute.objects.update_or_create(town=world.town, category="sanitation",
                                         defaults={"department": world.departments["market"]})
    context = browser.new_context(**PHONE, geolocation={"latitude": 31.2101, "longitude": 121.3701},
                                  permissions=["geolocation"])
    page = context.new_page()
    seen, refused = [], []
    page.on("request", lambda request: seen.append(request.url))
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.goto(f"{live_server.url}/public/report/")
    assert page.locator("h1").inner_text() == "随手拍"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    expect(page.locator("[data-testid=captcha-image]")).to_be_visible()

    page.locator("label", has_text="环境卫生").click()
    page.fill("#id_description", "垃圾桶满溢两天没人清运")
    page.fill("#id_address", "仙霞西路5号")
    page.locator("#use-position").click()
    expect(page.locator("[data-testid=position-state]")).to_contain_text("位置将随报事")
    assert page.locator("#id_latitude").input_value() == "31.210100"
    page.fill("#id_phone", "13955556666")
    _solve(page)
    page.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=report-done]")).to_be_visible()
    number = page.locator("[data-testid=tracking-number]").inner_text()
    report = PublicReport.objects.get()
    assert report.tracking_number == number and report.grid == world.grids["linquan1"]
    assert str(report.latitude) == "31.210100"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{live_server.url}/public/report/status/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_digits", "6666")
    page.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=report-status]")).to_contain_text("已受理")
    text = page.content()
    assert "13955556666" not in text and "垃圾桶满溢" not in text and "仙霞西路" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _only_local(seen)
    assert refused == []
    context.close()


def test_without_javascript_the_form_still_works(browser, live_server, world):
    cache.clear()
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/report/")
    assert page.locator("#use-position").is_hidden()  # offered only where the script can fill it
    page.locator("label", has_text="噪声扰民").click()
    page.fill("#id_description", "夜间施工噪音很大")
    page.fill("#id_address", "哈密路30号")
    _solve(page)
    page.locator("button[type=submit]").click()
    assert page.locator("[data-testid=report-done]").is_visible()
    assert PublicReport.objects.get().grid == world.grids["beihong1"]
    context.close()
