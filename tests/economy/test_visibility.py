"""Parks, enterprises, visits and demands in the role x endpoint matrix.

Rules (docs/ECONOMY.md): enterprises by grid for area roles; for department officers, the enterprises
of parks their department manages and those with a demand routed to their department. Parks by
their area and managing department, and the parks of the enterprises one sees. A visit is seen with
its enterprise. Demands are work orders: by grid, routed department and assignee.
"""

import copy

import pytest

from wangge.economy.models import Enterprise
from wangge.workorders.models import WorkOrder

from ..conftest import build_world, rolled_back
from .conftest import build_economy, visit

ALL = {"linquan1", "linquan2", "beihong1", "beihong2"}
# Enterprises (by grid) each role sees; None = no access (403).
ENTERPRISES = {
    "admin": ALL, "leader": ALL,
    "officer": {"linquan1"},  # a permits demand of linquan1 is routed to the market office
    "econ": {"linquan1", "linquan2", "beihong1"},  # its park (xijiao), and beihong1's financing demand
    "cadre": {"linquan1", "linquan2"}, "gridworker": {"linquan1"},
    "inspector": None, "doctor": None, "nobody": None,
}
PARKS = {
    "admin": {"xijiao", "beihong"}, "leader": {"xijiao", "beihong"}, "officer": {"xijiao"}, "econ": {"xijiao"},
    "cadre": {"xijiao"}, "gridworker": {"xijiao"}, "inspector": None, "doctor": None, "nobody": None,
}
# Demand orders (by the enterprise's grid) each role sees through the work-order list.
DEMANDS = {
    "admin": ALL - {"beihong2"}, "leader": ALL - {"beihong2"}, "officer": {"linquan1"},
    "econ": {"linquan2", "beihong1"}, "cadre": {"linquan1", "linquan2"}, "gridworker": {"linquan1"},
    "inspector": ALL - {"beihong2"}, "doctor": set(), "nobody": None,
}
ROLES = list(ENTERPRISES)


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The enterprises, visits and demands built once for the module (conftest.rolled_back); every test
    reads them, each from its own copy."""
    with rolled_back(django_db_blocker):
        yield build_raised(build_economy(build_world()))


@pytest.fixture
def raised(db, _built):
    return copy.deepcopy(_built)


def build_raised(economy):
    """Demands: linquan1 permits (market office), linquan2 staff (JFB), beihong1 financing (JFB); one visit
    without demands at beihong2."""
    visits = {"linquan1": visit(economy, "gridworker", "linquan1", [("permits", "许可证延续")])[0],
              "linquan2": visit(economy, "cadre", "linquan2", [("staff", "招工难")])[0],
              "beihong1": visit(economy, "leader", "beihong1", [("financing", "贷款贴息")])[0],
              "beihong2": visit(economy, "leader", "beihong2")[0]}
    economy.visits = visits
    return economy


def _headers(economy, role):
    return {"Authorization": f"Bearer {economy.world.token(role)}"}


@pytest.mark.parametrize("role", ROLES)
def test_enterprise_pages_and_api(raised, client, login, role):
    eco, expected = raised, ENTERPRISES[role]
    page = login(eco.users[role]).get("/economy/enterprises/")
    api = client.get("/api/v1/enterprises", headers=_headers(eco, role))
    if expected is None:
        assert page.status_code == 403 and api.status_code == 403
        assert login(eco.users[role]).get("/economy/").status_code == 403
        return
    html = page.content.decode()
    assert {i["name"] for i in api.json()["items"]} == {eco.enterprises[k].name for k in expected}
    for key, enterprise in eco.enterprises.items():
        assert (enterprise.name in html) == (key in expected), (role, key)
        code = 200 if key in expected else 404
        assert login(eco.users[role]).get(f"/economy/enterprises/{enterprise.pk}/").status_code == code, (role, key)
        assert client.get(f"/api/v1/enterprises/{enterprise.pk}", headers=_headers(eco, role)).status_code == code


@pytest.mark.parametrize("role", ROLES)
def test_park_pages_and_api(raised, client, login, role):
    eco, expected = raised, PARKS[role]
    page = login(eco.users[role]).get("/economy/parks/")
    api = client.get("/api/v1/parks", headers=_headers(eco, role))
    if expected is None:
        assert page.status_code == 403 and api.status_code == 403
        return
    assert {i["name"] for i in api.json()["items"]} == {eco.parks[k].name for k in expected}
    html = page.content.decode()
    for key, park in eco.parks.items():
        assert (park.name in html) == (key in expected), (role, key)
        code = 200 if key in expected else 404
        assert login(eco.users[role]).get(f"/economy/parks/{park.pk}/").status_code == code, (role, key)
        assert client.get(f"/api/v1/parks/{park.pk}", headers=_headers(eco, role)).status_code == code
    # The park page lists only the enterprises the user sees.
    if "xijiao" in expected:
        park_page = login(eco.users[role]).get(f"/economy/parks/{eco.parks['xijiao'].pk}/").content.decode()
        for key in ("linquan1", "linquan2"):
            assert (eco.enterprises[key].name in park_page) == (key in ENTERPRISES[role]), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_visit_pages_and_api(raised, client, login, role):
    eco, expected = raised, ENTERPRISES[role]
    page = login(eco.users[role]).get("/economy/visits/")
    api = client.get("/api/v1/enterprise-visits", headers=_headers(eco, role))
    if expected is None:
        assert page.status_code == 403 and api.status_code == 403
        return
    seen = {i["enterprise_id"] for i in api.json()["items"]}
    assert seen == {eco.enterprises[k].pk for k in expected}
    for key, v in eco.visits.items():
        code = 200 if key in expected else 404
        assert login(eco.users[role]).get(f"/economy/visits/{v.pk}/").status_code == code, (role, key)
        assert client.get(f"/api/v1/enterprise-visits/{v.pk}", headers=_headers(eco, role)).status_code == code


@pytest.mark.parametrize("role", ROLES)
def test_demand_orders_are_consistent_with_their_enterprise(raised, client, role):
    eco, expected = raised, DEMANDS[role]
    response = client.get("/api/v1/workorders?kind=demand", headers=_headers(eco, role))
    if expected is None:
        assert response.status_code == 403
        return
    by_subject = {e.pk: k for k, e in eco.enterprises.items()}
    seen = {by_subject[o.subject_id] for o in WorkOrder.objects.filter(pk__in=[i["id"] for i in
                                                                              response.json()["items"]])}
    assert seen == expected, role
    # Whoever sees a demand and may see enterprises sees its enterprise too.
    if ENTERPRISES[role] is not None:
        visible = set(Enterprise.objects.visible_to(eco.users[role]).values_list("pk", flat=True))
        assert {eco.enterprises[k].pk for k in seen} <= visible, role


@pytest.mark.parametrize("role", ROLES)
def test_not_visited_and_figures_hold_scope(raised, client, login, role):
    eco, expected = raised, ENTERPRISES[role]
    page = login(eco.users[role]).get("/economy/enterprises/not-visited/?days=100000")
    api = client.get("/api/v1/enterprises/not-visited?days=36500", headers=_headers(eco, role))
    figures = client.get("/api/v1/enterprises/figures", headers=_headers(eco, role))
    if expected is None:
        assert page.status_code == 403 and api.status_code == 403 and figures.status_code == 403
        return
    # Every visit was in July 2022: with a window of 10 years none is "not visited".
    assert api.json()["count"] == 0
    recent = client.get("/api/v1/enterprises/not-visited", headers=_headers(eco, role)).json()
    assert {i["name"] for i in recent["items"]} == {eco.enterprises[k].name for k in expected}
    assert figures.json()["coverage"]["enterprises"] == len(expected)
