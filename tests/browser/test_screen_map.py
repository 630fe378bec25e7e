"""#26: the big screen's grid map is the one map component (Leaflet, dark), not an ECharts map: the grids
named with the measure the server counts (checked against SQL), road segments and premises, refreshed in
place by the screen's own polls (same map, same zoom) and moved to the round the picker chooses. At
1920×1080, 1366×768 and on a 375 px phone. Screenshots go to /tmp/wangge-screen-*.png for a person to look at."""

import tempfile
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..dashboard.helpers import run_campaign, with_coordinates
from .conftest import sign_in
from .test_dashboard import SMALL_TEXT, _small_round
from .test_pages import _only_local

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(tempfile.gettempdir())
LABELS = "#grid-map .grid-label"


def _coverage(campaign, grid) -> int | None:
    """Inspection coverage of one grid in one round, counted in SQL: tasks done ÷ tasks (re-inspections aside)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END) FROM inspections_task t "
                       "JOIN places_premises p ON p.id = t.premises_id WHERE t.campaign_id = %s "
                       "AND t.reason <> 'reinspection' AND p.grid_id = %s", [campaign.pk, grid.pk])
        total, done = cursor.fetchone()
    return round(100 * done / total) if total else None


def _labels(page) -> dict[str, str]:
    """Each grid's label on the map: name → the value after it ("" when the grid has none)."""
    # Dark: the value on a line of its own under the name (read from the DOM: a covered name is hidden).
    return dict(page.evaluate(f"""() => [...document.querySelectorAll('{LABELS}')].map((el) => [
        el.firstChild.textContent, (el.querySelector('.grid-value') || {{textContent: ''}}).textContent])"""))


def _expected(world, campaign) -> dict[str, str]:
    values = {g.name: _coverage(campaign, g) for g in world.grids.values()}
    return {name: "" if value is None else str(value) for name, value in values.items()}


def _a_road(world):
    segment = world.segments["hami"]
    segment.geometry = {"type": "LineString", "coordinates": [[121.365, 31.212], [121.365, 31.218]]}
    segment.save()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768), (375, 740)])
def test_big_screen_map_is_the_dark_map_component_with_named_grids(world, live_server, page, width, height):
    town = run_campaign(world)
    with_coordinates(world)
    _a_road(world)
    page.set_viewport_size({"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/screen/")
    expect(page.locator("#grid-map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#screen-updated")).not_to_be_empty()
    assert not errors, errors
    # The grids, named, each with its coverage of the round as the server counts it (SQL here).
    expect(page.locator(LABELS)).to_have_count(4)
    page.screenshot(path=SHOTS / f"wangge-screen-{width}.png", full_page=True)
    assert _labels(page) == _expected(world, town)
    assert _labels(page)[world.grids["linquan1"].name] == "100"  # inspected: one premises, one task done
    assert page.locator("#grid-map").get_attribute("data-measure") == "coverage"
    # At least one name is in sight (a name that would cover another is hidden, the others shown).
    visible = page.evaluate("""() => [...document.querySelectorAll('#grid-map .grid-label')].filter((el) => {
        const box = el.getBoundingClientRect(), map = document.getElementById('grid-map').getBoundingClientRect();
        return getComputedStyle(el).visibility === 'visible' && box.width > 0 && box.left >= map.left - 1
            && box.right <= map.right + 1 && box.top >= map.top - 1 && box.bottom <= map.bottom + 1;
    }).length""")
    assert visible >= (4 if width >= 1366 else 1), visible
    # Road segments and premises, as the component draws them everywhere.
    expect(page.locator("#grid-map path.road-segment")).to_have_count(1)
    assert page.evaluate("document.getElementById('grid-map').wanggeCluster.getLayers().length") == 4
    # Dark, and readable from three metres: the map's names too.
    assert page.evaluate("getComputedStyle(document.getElementById('grid-map')).backgroundColor") == "rgb(11, 20, 38)"
    assert page.evaluate(f"getComputedStyle(document.querySelector('{LABELS}')).fontSize") == "18px"
    assert page.evaluate(SMALL_TEXT) == []
    box = page.locator("#grid-map").bounding_box()
    assert box["width"] >= min(width - 60, 500) * 0.5 and box["height"] >= 240, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # No ECharts map is left: the trend chart is the page's only ECharts instance, and grid_map.js is gone.
    assert page.evaluate("[...document.querySelectorAll('[_echarts_instance_]')].map((el) => el.id)") == [
        "screen-trends"]
    assert page.evaluate("echarts.getInstanceByDom(document.getElementById('grid-map'))") is None
    assert not [u for u in page.requests_seen if "grid_map.js" in u]
    _only_local(page.requests_seen)


def test_big_screen_map_refreshes_in_place_and_follows_the_round_picker(world, live_server, page):
    from wangge.inspections.models import Task

    from ..inspections.helpers import submit

    town = run_campaign(world)
    with_coordinates(world)
    small = _small_round(world)
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/screen/?refresh=2")
    expect(page.locator("#grid-map")).to_have_attribute("data-ready", "1")
    assert _labels(page) == _expected(world, town)
    # The person at the wall zooms in; the map's polls must keep that and the map itself.
    page.evaluate("""() => { const el = document.getElementById('grid-map');
        el.wanggeMap.setZoom(el.wanggeMap.getZoom() + 1, { animate: false });
        window.mapId = L.stamp(el.wanggeMap); el.querySelector('path.grid-area').dataset.marked = '1'; }""")
    zoom = page.evaluate("document.getElementById('grid-map').wanggeMap.getZoom()")
    task = Task.objects.get(campaign=town, reason="scope", state="planned")
    submit(world, task)
    grid = task.premises.grid
    assert _coverage(town, grid) == 100
    expect(page.locator(LABELS, has_text=grid.name)).to_have_text(f"{grid.name}\n100", use_inner_text=True,
                                                                  timeout=15000)
    assert int(page.locator("#grid-map").get_attribute("data-refreshed")) >= 1
    assert page.evaluate("""() => { const el = document.getElementById('grid-map');
        return L.stamp(el.wanggeMap) === window.mapId && el.querySelector('path.grid-area').dataset.marked === '1'
            && el.querySelectorAll('.leaflet-map-pane').length === 1; }""")
    assert page.evaluate("document.getElementById('grid-map').wanggeMap.getZoom()") == zoom
    assert _labels(page) == _expected(world, town)
    # The round picker: the map's data is fetched again for that round, and shows its coverage.
    with page.expect_request(lambda r: "/dashboard/map.json" in r.url and f"campaign={small.pk}" in r.url):
        page.get_by_test_id("screen-campaign").select_option(str(small.pk))
    linquan1 = world.grids["linquan1"].name
    expect(page.locator(LABELS, has_text=linquan1)).to_have_text(f"{linquan1}\n0", use_inner_text=True)
    assert _labels(page) == _expected(world, small)
    assert f"campaign={small.pk}" in page.locator("#grid-map").get_attribute("data-grids")
    assert page.evaluate("L.stamp(document.getElementById('grid-map').wanggeMap) === window.mapId")
    _only_local(page.requests_seen)


def test_a_cadres_big_screen_map_shows_and_fits_only_their_grids(world, live_server, page):
    """A neighbourhood cadre's wall shows the grids of their neighbourhood, every one wholly in view, closer
    in than the town leader's map of all four."""
    run_campaign(world)
    with_coordinates(world)
    page.set_viewport_size({"width": 1366, "height": 768})
    in_view = """() => { const map = document.getElementById('grid-map').wanggeMap, view = map.getBounds(), seen = [];
        map.eachLayer((layer) => { if (layer.feature && layer.getBounds && layer.options.className
            && layer.options.className.startsWith('grid-area')) seen.push(view.contains(layer.getBounds())); });
        return seen; }"""
    zoom = {}
    for username in ("leader", "cadre"):
        page.context.clear_cookies()
        sign_in(page, live_server, username, PASSWORD)
        page.goto(f"{live_server.url}/dashboard/screen/")
        expect(page.locator("#grid-map")).to_have_attribute("data-ready", "1")
        zoom[username] = page.evaluate("document.getElementById('grid-map').wanggeMap.getZoom()")
        drawn = page.evaluate(in_view)
        assert drawn and all(drawn), (username, drawn)
        # A ranking with nothing to rank says so across the table (the screen's own answer tells which are empty).
        data = page.request.get(f"{live_server.url}/dashboard/screen.json").json()["rankings"]
        for table, items in (("grids", data["grids"]), ("departments", data["departments"])):
            body = page.get_by_test_id(f"screen-rank-{table}").locator("tbody")
            if items:
                expect(body.locator("tr")).to_have_count(len(items))
            else:
                expect(body.locator("td")).to_have_text(["暂无可排名的工单。"])
        if username == "cadre":
            assert sorted(_labels(page)) == sorted([world.grids["linquan1"].name, world.grids["linquan2"].name])
            assert len(drawn) == 2
            assert not data["departments"]  # the cadre's one order has no department: the empty row above
            page.screenshot(path=SHOTS / "wangge-screen-cadre-1366.png", full_page=True)
        else:
            assert len(drawn) == 4
    assert zoom["cadre"] >= zoom["leader"], zoom
