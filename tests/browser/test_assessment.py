"""The ranking (a town leader) and one's own figures (a grid worker) at 375 px: nothing scrolls sideways,
no cell is squeezed, a figure leads to the records behind it; the own page says what counts."""

import pytest

from tests.assessment.generated import END, START, generate
from wangge.assessment import services

from ..conftest import PASSWORD
from .conftest import sign_in
from .test_phone_lists import MEASURE

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> None:
    found = page.evaluate(MEASURE)
    assert found["width"] <= 375 and not found["scrolling"] and not found["squeezed"], found


def test_the_ranking_and_my_figures_fit_a_phone(world, live_server, browser):
    generate(world)
    weights = {"tasks_on_time": 30, "orders_on_time": 30, "reopen_rate": 10, "satisfaction": 10,
               "overdue_per_100": 10, "care_visits": 5, "first_response": 5}
    services.save_scheme(world.users["leader"], None, name="三月考核", starts_on=START, ends_on=END, weights=weights)
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = phone.new_page()
    sign_in(page, live_server, "leader", PASSWORD)
    for kind in ("grid_worker", "neighbourhood", "department", "inspector"):
        page.goto(f"{live_server.url}/assessment/?kind={kind}")
        assert page.locator("[data-testid=ranking] tbody tr").count() > 0
        _fits(page)
    page.goto(f"{live_server.url}/assessment/?kind=grid_worker")
    link = page.locator("[data-testid=ranking] tbody tr").first.locator("a").first
    link.click()
    page.wait_for_selector("[data-testid=records]")
    assert page.locator("[data-testid=records] tbody tr").count() > 0
    _fits(page)
    phone.close()
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = phone.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(f"{live_server.url}/assessment/mine/")
    assert page.locator("[data-testid=my-figures]").count() == 1
    assert "考核口径" in page.locator("[data-testid=what-counts]").inner_text()
    _fits(page)
    phone.close()
