"""Work orders and field visits in the role x endpoint matrix."""

import datetime

import pytest

from wangge.workorders import services
from wangge.workorders.models import FieldVisit

from .helpers import raise_order

# (grid, department, assignee) of one order per grid.
ORDERS = {"linquan1": ("market", "gridworker"), "linquan2": (None, None), "beihong1": ("market", "gridworker"),
          "beihong2": ("health", "doctor")}
# Orders each role sees (by grid key); None = no access at all (403).
VISIBLE = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},  # the town and everything under it
    "officer": {"linquan1", "beihong1"},  # what the market office owns
    "cadre": {"linquan1", "linquan2"},  # their neighbourhood
    "gridworker": {"linquan1", "beihong1"},  # their grid, and what is assigned to them elsewhere
    "inspector": {"linquan1", "linquan2", "beihong1", "beihong2"},  # town-wide area
    "doctor": {"beihong2"},  # only what is assigned to them
    "nobody": None,
}
# Field visits: "town" recorded by the leader for the whole town, "linquan" by the admin for one neighbourhood.
VISITS = {"admin": {"town", "linquan"}, "leader": {"town", "linquan"}, "officer": set(), "cadre": {"linquan"},
          "gridworker": set(), "inspector": {"town", "linquan"}, "doctor": None, "nobody": None}
ROLES = list(VISIBLE)


@pytest.fixture
def orders(world):
    return {grid: raise_order(world, grid=grid, department=dept, assignee=assignee)
            for grid, (dept, assignee) in ORDERS.items()}


@pytest.fixture
def visits(world):
    town = services.save_visit(world.users["leader"], FieldVisit(
        title="镇领导夜查", visited_on=datetime.date(2022, 7, 10), leader="政法委书记", area=world.town))
    hood = services.save_visit(world.users["admin"], FieldVisit(
        title="林泉走访", visited_on=datetime.date(2022, 7, 14), leader="居民区书记", area=world.hoods["linquan"]))
    return {"town": town, "linquan": hood}


@pytest.mark.parametrize("role", ROLES)
def test_order_pages(world, orders, login, role):
    client = login(world.users[role])
    expected = VISIBLE[role]
    response = client.get("/workorders/")
    if expected is None:
        assert response.status_code == 403
        assert client.get(f"/workorders/{orders['linquan1'].pk}/").status_code == 403
        assert client.get("/workorders/board/").status_code == 403
        return
    html = response.content.decode()
    board = client.get("/workorders/board/").content.decode()
    for key, order in orders.items():
        assert (order.title in html) == (key in expected), (role, key)
        assert (order.title in board) == (key in expected), (role, key)
        status = client.get(f"/workorders/{order.pk}/").status_code
        assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_order_api(world, orders, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = VISIBLE[role]
    response = client.get("/api/v1/workorders", headers=headers)
    if expected is None:
        assert response.status_code == 403
        return
    assert {i["id"] for i in response.json()["items"]} == {orders[k].pk for k in expected}
    for key, order in orders.items():
        status = client.get(f"/api/v1/workorders/{order.pk}", headers=headers).status_code
        assert status == (200 if key in expected else 404), (role, key)
        # A transition on an order outside scope is the same 404.
        if key not in expected:
            moved = client.post(f"/api/v1/workorders/{order.pk}/start", {}, content_type="application/json",
                                headers=headers)
            assert moved.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_figures_hold_scope(world, orders, login, role):
    response = login(world.users[role]).get("/workorders/figures/")
    if VISIBLE[role] is None:
        assert response.status_code == 403
        return
    from wangge.workorders.figures import figures
    from wangge.workorders.models import WorkOrder

    assert response.context["figures"]["total"]["open"] == len(VISIBLE[role])
    assert figures(WorkOrder.objects.visible_to(world.users[role]))["total"]["open"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_visit_pages_and_api(world, visits, client, role):
    expected = VISITS[role]
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    api = client.get("/api/v1/field-visits", headers=headers)
    client.force_login(world.users[role])
    page = client.get("/workorders/visits/")
    if expected is None:
        assert api.status_code == 403 and page.status_code == 403
        return
    assert {i["title"] for i in api.json()["items"]} == {visits[k].title for k in expected}
    html = page.content.decode()
    for key, visit in visits.items():
        assert (visit.title in html) == (key in expected), (role, key)
        assert client.get(f"/workorders/visits/{visit.pk}/").status_code == (200 if key in expected else 404)
        assert client.get(f"/api/v1/field-visits/{visit.pk}", headers=headers).status_code == (
            200 if key in expected else 404)
