"""Compounds, residents, screening rounds, care visits and supplies in the role x endpoint matrix.

Area roles see their areas (a grid worker their grid's compounds and the rows under them); the family
doctor sees signed residents and their care visits but no compounds, rounds or supplies; the officer,
inspector and nobody may not see residents at all (403).
"""

import copy

import pytest

from wangge.community.models import CareVisit, SupplyItem, SupplySite
from wangge.community.services import care, screening, supplies

from ..conftest import build_world, rolled_back
from .conftest import TODAY, build_hood

ALL = {"linquan1", "linquan2", "beihong1", "beihong2"}
# Which grids' rows each role sees; None = 403.
COMPOUNDS = {"admin": ALL, "leader": ALL, "officer": None, "cadre": {"linquan1", "linquan2"},
             "gridworker": {"linquan1"}, "inspector": None, "doctor": set(), "nobody": None}
VISITS = {**COMPOUNDS, "doctor": {"linquan1", "linquan2", "beihong2"}}  # the doctor's signed residents
ROLES = list(COMPOUNDS)


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The compounds and their rows built once for the module (conftest.rolled_back); every test reads
    them, each from its own copy."""
    with rolled_back(django_db_blocker):
        yield build_rows(build_hood(build_world()))


@pytest.fixture
def _fresh(db, _built):
    return copy.deepcopy(_built)


@pytest.fixture
def hood(_fresh):
    return _fresh[0]


@pytest.fixture
def rows(_fresh):
    return _fresh[1]


def build_rows(hood):
    admin = hood.users["admin"]
    rounds, visits, sites = {}, {}, {}
    item = supplies.save_item(admin, SupplyItem(name="口罩", unit="盒"))
    for key, compound in hood.compounds.items():
        rounds[key] = screening.open_round(admin, name=f"{key}轮", date=TODAY, compounds=[compound])
        visits[key], _ = care.record_care_visit(admin, hood.world.residents[key], visited_on=TODAY,
                                                visitors="甲", condition="good", today=TODAY)
        sites[key] = supplies.open_site(admin, compound=compound)
        supplies.receive(admin, sites[key], item, 5, on=TODAY)
    return hood, {"compounds": hood.compounds, "rounds": rounds, "visits": visits, "sites": sites}


def _headers(hood, role):
    return {"Authorization": f"Bearer {hood.world.token(role)}"}


def _check(role, expected, page_status, detail_statuses):
    if expected is None:
        assert page_status == 403 and set(detail_statuses.values()) <= {403}, role
        return
    assert page_status == 200, role
    for key, status in detail_statuses.items():
        assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_compound_pages_and_api(hood, rows, client, login, role):
    expected = COMPOUNDS[role]
    web = login(hood.users[role])
    listing = web.get("/residents/compounds/")
    _check(role, expected, listing.status_code,
           {k: web.get(f"/residents/compounds/{c.pk}/").status_code for k, c in rows["compounds"].items()})
    api = client.get("/api/v1/compounds", headers=_headers(hood, role))
    if expected is not None:
        assert {i["name"] for i in api.json()["items"]} == {rows["compounds"][k].name for k in expected}
        html = listing.content.decode()
        assert all((c.name in html) == (k in expected) for k, c in rows["compounds"].items()), role
    _check(role, expected, api.status_code,
           {k: client.get(f"/api/v1/compounds/{c.pk}", headers=_headers(hood, role)).status_code
            for k, c in rows["compounds"].items()})


@pytest.mark.parametrize("role", ROLES)
def test_round_pages_and_api(hood, rows, client, login, role):
    expected = COMPOUNDS[role]
    web = login(hood.users[role])
    _check(role, expected, web.get("/residents/rounds/").status_code,
           {k: web.get(f"/residents/rounds/{r.pk}/").status_code for k, r in rows["rounds"].items()})
    _check(role, expected, web.get("/residents/rounds/").status_code,
           {k: web.get(f"/residents/rounds/{r.pk}/knock/").status_code for k, r in rows["rounds"].items()})
    api = client.get("/api/v1/screening-rounds", headers=_headers(hood, role))
    if expected is not None:
        assert {i["id"] for i in api.json()["items"]} == {rows["rounds"][k].pk for k in expected}
    _check(role, expected, api.status_code,
           {k: client.get(f"/api/v1/screening-rounds/{r.pk}", headers=_headers(hood, role)).status_code
            for k, r in rows["rounds"].items()})


@pytest.mark.parametrize("role", ROLES)
def test_care_visit_pages_and_api(hood, rows, client, login, role):
    expected = VISITS[role]
    web = login(hood.users[role])
    _check(role, expected, web.get("/residents/care/visits/").status_code,
           {k: web.get(f"/residents/care/visits/{v.pk}/").status_code for k, v in rows["visits"].items()})
    api = client.get("/api/v1/care-visits", headers=_headers(hood, role))
    _check(role, expected, api.status_code, {})
    if expected is not None:
        assert {i["id"] for i in api.json()["items"]} == {rows["visits"][k].pk for k in expected}
        assert set(CareVisit.objects.visible_to(hood.users[role]).values_list("pk", flat=True)) == {
            rows["visits"][k].pk for k in expected}


@pytest.mark.parametrize("role", ROLES)
def test_supply_pages_and_api(hood, rows, client, login, role):
    expected = COMPOUNDS[role]
    web = login(hood.users[role])
    _check(role, expected, web.get("/residents/supplies/").status_code,
           {k: web.get(f"/residents/supplies/sites/{s.pk}/").status_code for k, s in rows["sites"].items()})
    api = client.get("/api/v1/supplies/stock", headers=_headers(hood, role))
    _check(role, expected, api.status_code, {})
    if expected is not None:
        assert {i["site_id"] for i in api.json()} == {rows["sites"][k].pk for k in expected}
        movements = client.get("/api/v1/supplies/movements", headers=_headers(hood, role)).json()["items"]
        assert len(movements) == len(expected)
        assert set(SupplySite.objects.visible_to(hood.users[role]).values_list("pk", flat=True)) == {
            rows["sites"][k].pk for k in expected}


@pytest.mark.parametrize("role", ROLES)
def test_residents_with_compounds_follow_the_resident_matrix(hood, rows, client, role):
    from tests.core.test_visibility_matrix import RESIDENTS

    expected = RESIDENTS[role]
    response = client.get("/api/v1/residents", headers=_headers(hood, role))
    if expected is None:
        assert response.status_code == 403
        return
    names = {i["name"] for i in response.json()["items"]}
    assert names == {hood.world.residents[k].name for k in expected} | (
        {p.name for p in hood.people.values()} if "linquan1" in expected and role != "doctor" else set())
    # Health flags and the full birth date only for roles that may reveal.
    item = next(i for i in response.json()["items"] if i["name"] == "张伟") if "linquan1" in expected else None
    if item is not None:
        assert (item["birth_date"] is not None) == (role in {"admin", "cadre", "gridworker", "doctor"})
