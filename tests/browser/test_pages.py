"""The main pages in a real browser, in Chinese and English, on a phone, with nothing from other hosts."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _only_local(urls):
    hosts = {urlparse(u).hostname for u in urls if not u.startswith(("data:", "blob:", "about:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts


def test_main_pages_in_chinese_and_english_stay_local(world, live_server, page):
    sign_in(page, live_server, "admin", PASSWORD)
    resident = world.residents["linquan1"]
    premises = world.premises["linquan1"]
    pages = ["/", "/residents/", f"/residents/{resident.pk}/", "/premises/", f"/premises/{premises.pk}/",
             "/premises/map/", "/premises/segments/", "/ledgers/", "/staff/users/", "/staff/areas/",
             "/staff/departments/", "/staff/access-log/", "/api/v1/docs"]
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
    page.goto(live_server.url + "/residents/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "居民"
    assert page.locator("nav").get_by_text("概览").is_visible()
    # Bootstrap's stylesheet is applied (served by WhiteNoise from the npm copy).
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Residents"
    for path in pages:
        assert page.goto(live_server.url + path).status == 200, path
    page.goto(live_server.url + "/residents/")
    with page.expect_navigation():
        page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text() != "Residents"
    _only_local(page.requests_seen)


def test_premises_map_draws_with_local_leaflet(world, live_server, page):
    p = world.premises["linquan1"]
    p.latitude, p.longitude = 31.21, 121.37
    p.name = '<b id="injected">林泉饭店</b>'  # a name is text: the tooltip must not render it as HTML
    p.save()
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/premises/map/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    dot = page.locator("#map path.premises-dot")
    expect(dot).to_have_count(1)
    dot.dispatch_event("mouseover")
    expect(page.locator("#map .leaflet-tooltip").get_by_text('<b id="injected">林泉饭店</b>')).to_be_visible()
    assert page.locator("#injected").count() == 0
    _only_local(page.requests_seen)


def test_reveal_with_reason_through_htmx(world, live_server, page):
    sign_in(page, live_server, "cadre", PASSWORD)
    resident = world.residents["linquan1"]
    page.goto(f"{live_server.url}/residents/{resident.pk}/")
    assert resident.id_number not in page.content()
    form = page.get_by_test_id("reveal-id_number")
    form.locator("input[name=reason]").fill("上门核对身份")
    form.get_by_role("button").click()
    page.get_by_test_id("revealed").wait_for()
    assert page.get_by_test_id("revealed").inner_text() == resident.id_number
    _only_local(page.requests_seen)


def test_phone_layout_375px(world, live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    for path in ("/", "/residents/", f"/residents/{world.residents['linquan1'].pk}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    # The menu folds into the toggler and opens on a tap.
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("link", name="居民").wait_for(state="visible")
    context.close()


def test_login_page_and_error_pages(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.locator("h1").inner_text()
    page.fill("#id_username", "cadre")
    page.fill("#id_password", "wrong-password-9")
    page.click("main button[type=submit]")
    page.locator(".alert-danger").wait_for()  # the answer comes after a navigation: wait for it
    assert "密码" in page.locator(".alert-danger").inner_text()
    sign_in(page, live_server, "gridworker", PASSWORD)
    response = page.goto(f"{live_server.url}/staff/users/")
    assert response.status == 403 and "权限" in page.content()
    response = page.goto(f"{live_server.url}/residents/{world.residents['beihong1'].pk}/")
    assert response.status == 404 and "页面不存在" in page.content()
    _only_local(page.requests_seen)


def test_import_a_ledger_check_then_confirm(world, live_server, page, tmp_path):
    from openpyxl import Workbook

    from wangge.core.models import Area

    book = Workbook()
    book.active.append(["区域编码", "区域名称", "层级", "上级区域编码"])
    book.active.append(["310105102022003", "林泉第3网格", "网格", "310105102022"])
    path = tmp_path / "areas.xlsx"
    book.save(path)
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/ledgers/")
    page.get_by_test_id("ledger-areas").get_by_role("link", name="导入").click()
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.get_by_test_id("import-summary").wait_for()
    assert "新增 1 条" in page.get_by_test_id("import-summary").inner_text()
    assert not Area.objects.filter(code="310105102022003").exists()
    with page.expect_navigation():
        page.get_by_test_id("confirm-import").click()
    assert "新增 1 条" in page.get_by_test_id("import-summary").inner_text()
    assert Area.objects.filter(code="310105102022003").exists()
    _only_local(page.requests_seen)
