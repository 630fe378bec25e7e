"""#22 points 1, 2 and 9 in Chromium, at 1366 and 375 px: multi-choice lists are Bootstrap check
lists (never one character wide over the fields below), date boxes keep their ISO values so an edited
campaign saves untouched, and people are picked by typing, not from a page of checkboxes."""

import datetime

import pytest

from tests.community.conftest import hood  # noqa: F401  (the fixture)
from tests.inspections.helpers import campaign
from wangge.core.models import User
from wangge.core.roles import Role
from wangge.inspections.forms import inspector_choices
from wangge.inspections.models import Campaign, Team

from ..conftest import PASSWORD, make_user
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 740}
SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "375"])


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))
    return context, page


def _fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def _check_list(page, selector):
    """The list is wide enough to read, and each box is a Bootstrap form-check with its label beside it."""
    box = page.locator(selector)
    assert box.evaluate("e => e.tagName") == "DIV"
    assert "form-check-input" not in (box.get_attribute("class") or "")
    assert box.bounding_box()["width"] > 200
    inputs = box.locator("input[type=checkbox]")
    assert inputs.count() >= 2
    assert box.locator(".form-check > input.form-check-input[type=checkbox] + label.form-check-label").count() \
        == inputs.count()
    first = inputs.first.bounding_box()
    label = box.locator("label.form-check-label").first.bounding_box()
    assert abs(label["y"] - first["y"]) < first["height"] + 8 and label["x"] > first["x"]  # beside, not below


@SIZES
def test_multi_choice_lists_are_readable_check_lists(world, live_server, browser, viewport):
    context, page = _page(browser, viewport)
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/inspections/campaigns/new/")
    _check_list(page, "#id_categories")
    _fits(page, viewport)
    # The field after the list starts below it, not underneath it.
    categories = page.locator("#id_categories").bounding_box()
    assert page.locator("#id_areas_search").bounding_box()["y"] >= categories["y"] + categories["height"]
    page.goto(f"{live_server.url}/staff/users/new/")
    _check_list(page, "#id_roles")
    _fits(page, viewport)
    page.goto(f"{live_server.url}/economy/")  # a page without a form keeps working
    assert not page.csp_violations, page.csp_violations
    context.close()


@SIZES
def test_an_edited_campaign_saves_without_touching_its_dates(world, live_server, browser, viewport):
    c = campaign(world, days=5, plan=False)
    starts, ends = c.starts_on, c.ends_on
    context, page = _page(browser, viewport)
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/inspections/campaigns/{c.pk}/edit/")
    assert page.input_value("#id_starts_on") == starts.isoformat()
    assert page.input_value("#id_ends_on") == ends.isoformat()
    page.fill("#id_name", "重点场所大排查（第二轮）")
    with page.expect_navigation() as navigation:
        page.locator("main button[type=submit]").click()
    assert navigation.value.url.endswith(f"/inspections/campaigns/{c.pk}/")
    saved = Campaign.objects.get(pk=c.pk)
    assert (saved.name, saved.starts_on, saved.ends_on) == ("重点场所大排查（第二轮）", starts, ends)
    # The look-back's proposed dates are there in the boxes too.
    page.goto(f"{live_server.url}/inspections/campaigns/{c.pk}/lookback/")
    proposed = datetime.date.fromisoformat(page.input_value("#id_starts_on"))
    assert proposed > ends
    assert not page.csp_violations, page.csp_violations
    context.close()


def _crowd(world, n=125):
    """125 people who may inspect, half of them from the (enforcement) market office, and two to pick."""
    market, health = world.departments["market"], world.departments["health"]
    for i in range(n):
        user = make_user(f"insp{i:03d}", Role.INSPECTOR, [world.town], [market if i % 2 else health])
        User.objects.filter(pk=user.pk).update(full_name=f"检查员{i:03d}")
    zhou = make_user("zhoumy", Role.INSPECTOR, [world.town], [market])
    wu = make_user("wuxl", Role.INSPECTOR, [world.town], [health])
    User.objects.filter(pk=zhou.pk).update(full_name="周明远")
    User.objects.filter(pk=wu.pk).update(full_name="吴晓兰")
    return zhou, wu


@SIZES
def test_a_team_is_picked_from_125_people_by_typing(world, live_server, browser, viewport):
    c = campaign(world, plan=False)
    zhou, wu = _crowd(world)
    context, page = _page(browser, viewport)
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/inspections/campaigns/{c.pk}/teams/new/")
    if viewport is DESKTOP:
        assert page.evaluate("document.documentElement.scrollHeight") < 2000
    _fits(page, viewport)
    options = page.locator("#id_members").locator("xpath=..").locator(".sm-list .sm-option")
    everyone = inspector_choices().count()
    assert page.locator("#id_members option").count() == everyone  # all of them are choosable
    # A group filter: the market office's people only.
    page.select_option(".sm-filter[data-key=department]", "市场监督管理所")
    in_market = inspector_choices().filter(departments=world.departments["market"]).count()
    assert options.count() == in_market
    page.select_option(".sm-filter[data-key=department]", "")
    # Typing a name filters the list.
    page.fill("#id_members_search", "周明")
    assert options.count() == 1
    assert "周明远" in options.first.inner_text()
    options.first.locator("input").check()
    page.fill("#id_members_search", "吴晓")
    assert options.count() == 1
    options.first.locator("input").check()
    page.fill("#id_members_search", "检查员00")
    assert options.count() == 10  # 检查员000 … 检查员009
    chips = page.locator(".sm-chips .sm-chip")
    assert sorted(chips.all_inner_texts()) == ["吴晓兰（社区卫生服务中心）", "周明远（市场监督管理所）"]
    page.fill("#id_name", "三组")
    page.select_option("#id_shift", "day")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").first.click()
    assert navigation.value.url.endswith(f"/inspections/campaigns/{c.pk}/")
    team = Team.objects.get(campaign=c, name="三组")
    assert set(team.members.values_list("pk", flat=True)) == {zhou.pk, wu.pk}
    assert not page.csp_violations, page.csp_violations
    context.close()


def test_without_javascript_the_picker_is_a_plain_short_multi_select(world, live_server, browser):
    c = campaign(world, plan=False)
    zhou, wu = _crowd(world)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/inspections/campaigns/{c.pk}/teams/new/")
    assert page.locator("#id_members").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") < 2000
    page.fill("#id_name", "四组")
    page.select_option("#id_shift", "day")
    page.select_option("#id_members", [str(zhou.pk), str(wu.pk)])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert set(Team.objects.get(campaign=c, name="四组").members.values_list("pk", flat=True)) == {zhou.pk, wu.pk}
    context.close()


@SIZES
def test_supplies_go_to_all_special_groups_in_two_taps(hood, live_server, browser, viewport):  # noqa: F811
    """"Select all special groups" is the group filter, then 全选显示的; a building filter narrows too."""
    from wangge.community.choices import MovementKind
    from wangge.community.models import Stock, SupplyItem, SupplyMovement
    from wangge.community.services import supplies

    cadre = hood.users["cadre"]
    rice = supplies.save_item(cadre, SupplyItem(name="大米", unit="袋"))
    site = supplies.open_site(cadre, compound=hood.compounds["linquan1"])
    supplies.receive(cadre, site, rice, 20, on=datetime.date(2022, 4, 10), counterparty="镇物资组")
    stock = Stock.objects.get(site=site, item=rice)
    everyone = supplies.recipients(site, cadre)
    special = {r.pk for r in everyone if r.priority == 0}
    assert 0 < len(special) < everyone.count()
    context, page = _page(browser, viewport)
    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/residents/supplies/stock/{stock.pk}/distribute/")
    _fits(page, viewport)
    options = page.locator(".searchable-multi .sm-list .sm-option")
    assert options.count() == everyone.count()
    page.select_option(".sm-filter[data-key=building]", "林泉小区 2号")
    assert options.count() == everyone.filter(building="2号").count()
    page.select_option(".sm-filter[data-key=building]", "")
    page.select_option(".sm-filter[data-key=group]", "特殊群体")
    assert options.count() == len(special)
    page.click(".sm-select-shown")
    assert page.locator(".sm-chips .sm-chip").count() == len(special)
    page.fill("#id_quantity", "1")
    with page.expect_navigation():
        page.get_by_role("button", name="发放").click()
    given = SupplyMovement.objects.filter(stock=stock, kind=MovementKind.DISTRIBUTION)
    assert set(given.values_list("resident_id", flat=True)) == special
    assert not page.csp_violations, page.csp_violations
    context.close()


def test_the_residents_template_uploads_unchanged(world, live_server, browser, tmp_path):
    """#22.6 in the browser: the downloaded template, uploaded as it is, is correct (its example row
    skipped, and said so), not a page of errors."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server, "cadre", PASSWORD)
    page.goto(f"{live_server.url}/ledgers/residents/import/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "居民模板.xlsx"
    info.value.save_as(template)
    page.set_input_files("input[type=file]", str(template))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=import-summary]")
    assert page.locator("[data-testid=import-errors]").count() == 0
    assert "示例行" in page.get_by_test_id("skipped-example").inner_text()
    context.close()
