"""Sampling in a real browser: the public page on a phone (with and without location), the one-tap
queue on the staff phone page, and the week chart drawn by the local ECharts."""

import datetime
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from wangge.core.models import User
from wangge.core.roles import Role
from wangge.sampling import services
from wangge.sampling.hours import Period
from wangge.sampling.models import SamplingSite

from ..conftest import PASSWORD, make_user
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
ALL_DAY = [Period(day, datetime.time(0), datetime.time(0)) for day in range(7)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _only_local(urls):
    hosts = {urlparse(u).hostname for u in urls if not u.startswith(("data:", "blob:", "about:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


@pytest.fixture
def town_sites(world):
    cache.clear()
    admin = world.users["admin"]
    near = services.save_site(admin, SamplingSite(code="A1", name="一号近点", address="林泉路1号",
                                                  grid=world.grids["linquan1"], latitude=31.2101, longitude=121.3701),
                              hours=ALL_DAY)
    far = services.save_site(admin, SamplingSite(code="A0", name="〇号远点", address="北虹路9号",
                                                 grid=world.grids["beihong1"], latitude=31.2600, longitude=121.4300),
                             hours=ALL_DAY)
    services.set_wait(admin, near, 20)
    return {"near": near, "far": far}


def _phone(browser, live_server, **extra):
    context = browser.new_context(**PHONE, **extra)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    return context, page


def test_public_page_on_a_phone_sorts_by_distance_when_allowed(browser, live_server, town_sites):
    context, page = _phone(browser, live_server, geolocation={"latitude": 31.2100, "longitude": 121.3700},
                           permissions=["geolocation"])
    page.goto(f"{live_server.url}/public/sampling/")
    assert page.locator("h1").inner_text() == "核酸采样点"
    expect(page.locator("[data-testid=distance]").first).not_to_be_empty()
    cards = page.locator("[data-testid=public-site] h2")
    assert cards.nth(0).inner_text() == "一号近点"  # nearest first, though 〇 sorts before 一 by name
    first = page.locator("[data-testid=public-site]").nth(0)
    assert first.locator("[data-testid=distance]").inner_text().endswith("米")
    assert "等候约 20 分钟" in first.inner_text()
    assert page.evaluate("document.body.scrollWidth <= window.innerWidth")  # no sideways scrolling on a phone
    _only_local(page.requests_seen)
    context.close()


def test_public_page_without_location_keeps_the_server_order(browser, live_server, town_sites):
    context, page = _phone(browser, live_server)  # no permission granted
    page.goto(f"{live_server.url}/public/sampling/")
    names = page.locator("[data-testid=public-site] h2").all_inner_texts()
    assert names == ["〇号远点", "一号近点"]  # both open now, then by name
    assert page.locator("[data-testid=distance]").nth(0).inner_text() == ""
    context.close()


def test_staff_set_the_waiting_time_with_one_tap(browser, live_server, world, town_sites):
    make_user("sampler", Role.SAMPLING_STAFF, [world.hoods["linquan"]])
    context, page = _phone(browser, live_server)
    sign_in(page, live_server, "sampler", PASSWORD)
    site = town_sites["near"]
    page.goto(f"{live_server.url}/sampling/{site.pk}/")
    url = page.url
    page.locator("button[data-minutes='45']").click()
    expect(page.locator("[data-testid=wait-current]")).to_contain_text("45")
    assert page.url == url  # swapped in place by htmx, no page load
    site.refresh_from_db()
    assert site.wait_minutes == 45 and site.wait_set_by == User.objects.get(username="sampler")
    page.goto(f"{live_server.url}/public/sampling/")
    assert "等候约 45 分钟" in page.locator("body").inner_text()
    assert "sampler" not in page.content()
    context.close()


def test_week_chart_draws_with_local_echarts(page, live_server, world, town_sites):
    services.record_shift(world.users["admin"], town_sites["near"], timezone.localdate(), "morning", samples=300,
                          staff_count=4, volunteer_count=6)
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/sampling/")
    expect(page.locator("#sampling-week-chart canvas")).not_to_have_count(0)
    series = page.evaluate("window.echarts.getInstanceByDom(document.getElementById('sampling-week-chart'))"
                           ".getOption().series.map(s => s.name)")
    assert series == ["一号近点"]
    _only_local(page.requests_seen)
