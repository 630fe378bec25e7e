"""The map component in Chromium (Leaflet from our own static files, no base layer): the town map shows
the named grids and the premises at 1366 and 375 px, a click on a grid opens its list, the search flies
to a premises. Screenshots go to /tmp/wangge-map-*.png for a person to look at."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..dashboard.helpers import with_coordinates
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(tempfile.gettempdir())


@pytest.mark.parametrize("width", [1366, 375])
def test_town_map_shows_named_grids_and_premises_and_a_grid_opens_its_list(world, live_server, page, width):
    with_coordinates(world)
    page.set_viewport_size({"width": width, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/maps/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    assert not errors, errors
    labels = page.locator("#map .grid-label")
    expect(labels).to_have_count(4)
    names = sorted(labels.all_inner_texts())
    assert [n.split("：")[0] for n in names] == sorted(g.name for g in world.grids.values())
    assert page.evaluate("document.getElementById('map').wanggeCluster.getLayers().length") == 4
    assert page.locator("#map path.premises-dot, #map .marker-cluster").count() >= 1
    box = page.locator("#map").bounding_box()
    assert box["width"] <= width and box["height"] >= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the phone
    page.screenshot(path=SHOTS / f"wangge-map-{width}.png", full_page=False)
    # Leaders' first measure is coverage; without a campaign its list is the grid's premises.
    grid = world.grids["linquan2"]
    with page.expect_navigation():
        page.locator(f"#map path.grid-{grid.pk}").dispatch_event("click")
    assert f"grid={grid.pk}" in page.url or "grid_name=" in page.url


def test_search_flies_to_a_premises(world, live_server, page):
    with_coordinates(world)
    target = world.premises["beihong2"]
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/maps/")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    page.fill("[data-map-search] input[name=q]", target.name)
    page.press("[data-map-search] input[name=q]", "Enter")
    expect(page.locator("#map")).to_have_attribute("data-flown-to", str(target.pk))
    centre = page.evaluate("(() => { const c = document.getElementById('map').wanggeMap.getCenter(); "
                           "return [c.lng, c.lat, document.getElementById('map').wanggeMap.getZoom()]; })()")
    assert abs(centre[0] - float(target.longitude)) < 0.001 and abs(centre[1] - float(target.latitude)) < 0.001
    assert centre[2] >= 17
    expect(page.locator("#map .leaflet-popup-content")).to_contain_text(target.name)
    page.screenshot(path=SHOTS / "wangge-map-search.png")
