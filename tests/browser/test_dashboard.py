"""The dashboard in Chromium: figures and the grid map draw, a figure leads to the list of the same
count, a grid on the map leads to its list, and the big screen fills itself from the JSON."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..dashboard.helpers import run_campaign, with_coordinates
from .conftest import sign_in
from .test_pages import _only_local

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboard_map_and_a_figure_to_its_list(world, live_server, page):
    run_campaign(world)
    with_coordinates(world)
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/")
    figure = page.get_by_test_id("figure-inspections-rectification_orders")
    assert figure.inner_text() == "1"
    expect(page.locator("#grid-map")).to_have_attribute("data-ready", "coverage")
    option = page.evaluate("window.echarts.getInstanceByDom(document.getElementById('grid-map')).getOption()")
    assert option["series"][0]["type"] == "map" and len(option["series"][0]["data"]) == 4
    chart = "echarts.getInstanceByDom(document.querySelector('[data-chart=\"workorders-by_kind\"]'))"
    expect(page.locator('[data-chart="workorders-by_kind"] canvas')).not_to_have_count(0)
    assert page.evaluate(f"{chart}.getOption().series.length") == 2  # open, overdue
    page.select_option("#grid-map-measure", "open_findings")
    expect(page.locator("#grid-map")).to_have_attribute("data-ready", "open_findings")
    # Click the grid with the open finding where ECharts drew it.
    grid = world.grids["linquan2"].name
    # All of the map in view, at once (Bootstrap makes scrolling smooth, so the position would lag).
    page.locator("#grid-map").evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    # A canvas has no element to click: aim at the grid's centre as ECharts drew it. The drawing may
    # still settle (layout, fonts) after the first frame, so aim again if the first click missed.
    for _attempt in range(3):
        point = page.evaluate(
            """(name) => {
                const chart = echarts.getInstanceByDom(document.getElementById('grid-map'));
                const p = chart.convertToPixel({seriesIndex: 0}, chart.getModel().getSeriesByIndex(0)
                    .coordinateSystem.getRegion(name).getCenter());
                const box = document.getElementById('grid-map').getBoundingClientRect();
                return [box.left + p[0], box.top + p[1]];
            }""", grid)
        page.mouse.click(point[0], point[1])
        try:
            page.wait_for_url("**/workorders/**", timeout=5000)
            break
        except PlaywrightTimeoutError:
            page.locator("#grid-map").evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    assert "/workorders/" in page.url and f"grid={world.grids['linquan2'].pk}" in page.url
    rows = page.locator("#order-rows tbody tr")
    assert rows.count() == 1 and world.premises["linquan2"].name in rows.inner_text()
    page.go_back()
    with page.expect_navigation():
        page.get_by_test_id("figure-inspections-rectification_orders").locator("a").click()
    assert "/inspections/records/" in page.url and "outcome=rectification" in page.url
    assert page.locator("[data-testid=inspection-rows] tbody tr").count() == 1
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_test_id("figure-inspections-inspected").locator("a").click()
    assert page.locator("table tbody tr").count() == 3
    _only_local(page.requests_seen)


def test_big_screen_fills_itself_dark(world, live_server, page):
    run_campaign(world)
    with_coordinates(world)
    sign_in(page, live_server, "leader", PASSWORD)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/dashboard/screen/")
    expect(page.locator("#screen-updated")).not_to_be_empty()
    assert page.locator("[data-section=inspections] [data-key=rectification_orders]").inner_text() == "1"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(11, 20, 38)"
    expect(page.locator("#grid-map")).to_have_attribute("data-ready", "coverage")
    # Nothing scrolls on the wall.
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    _only_local(page.requests_seen)
