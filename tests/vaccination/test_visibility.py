"""Every vaccination page and API endpoint (list, detail, action) x role.

Area roles see their areas; the health centre the town; the family doctor their signed residents plus
the unsigned of their neighbourhood (Linquan): 张伟, 李娜, 赵强 signed; 孙秀兰 unsigned in Linquan; not
王芳 (unsigned, Beihong). The officer, inspector and nobody get 403. Out of scope is 404; a verb the role
may not use is 403."""

import copy
import datetime
import re

import pytest
from django.utils import timezone

from wangge.vaccination.services import census, day, doses, outreach

from ..community.conftest import build_hood
from ..conftest import build_world, earlier_today, rolled_back
from .conftest import build_town, key_people

ALL = {"linquan1", "linquan2", "beihong1", "beihong2", "alone"}
SEES = {"admin": ALL, "leader": ALL, "health": ALL, "cadre": {"linquan1", "linquan2", "alone"},
        "gridworker": {"linquan1", "alone"}, "doctor": {"linquan1", "linquan2", "beihong2", "alone"},
        "officer": None, "inspector": None, "nobody": None}
RECORDS = {"admin", "cadre", "gridworker", "doctor", "health"}  # census, contacts, appointments, check-in
DOSES = {"admin", "doctor", "health"}  # doses, observation, follow-ups
HEALTH = {"admin", "doctor", "health"}
ROLES = list(SEES)


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The town built once for the module (conftest.rolled_back); the rows are each test's own (two tests
    start without them)."""
    with rolled_back(django_db_blocker):
        yield build_town(build_hood(build_world()))


@pytest.fixture
def town(db, _built):
    return copy.deepcopy(_built)


@pytest.fixture
def hood(town):
    return town


@pytest.fixture
def world(town):
    return town.world


@pytest.fixture
def rows(town):
    return build_rows(town)


def build_rows(town):
    admin = town.users["admin"]
    people = key_people(town)
    out = {"people": people, "doses": {}, "answers": {}, "appointments": {}, "visits": {}, "follow_ups": {}}
    for key, p in people.items():
        out["doses"][key] = doses.record_dose(admin, p, number=1, given_on=datetime.date(2021, 5, 1),
                                              vaccine_type="inactivated")
        out["answers"][key] = census.record_answer(admin, p, reason="permanent", contraindication="allergy",
                                                   asked_on=datetime.date(2022, 4, 1))
        out["appointments"][key] = outreach.book(admin, p, point=town.points[0],
                                                 date=timezone.localdate() + datetime.timedelta(days=3))
        visit = day.check_in(admin, town.points[0], p, now=timezone.now() - datetime.timedelta(hours=2))
        out["visits"][key] = day.vaccinate(admin, visit, vaccine_type="inactivated",
                                           now=timezone.now() - datetime.timedelta(hours=2))
        out["follow_ups"][key] = out["visits"][key].follow_up
    return out


def _register(town, rows, expected) -> set[int]:
    """The 60+ people of those keys, and 吴德福 (71, unsigned, Linquan grid 1) wherever 孙秀兰 is seen."""
    return {rows["people"][k].pk for k in expected} | ({town.people["bedridden"].pk} if "alone" in expected else set())


def _api(client, town, role, method, url, **kwargs):
    headers = {"Authorization": f"Bearer {town.world.token(role)}"}
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, kwargs.get("json", {}), content_type="application/json", headers=headers)


def _expect_detail(role, key, status):
    expected = SEES[role]
    if expected is None:
        assert status == 403, (role, key)
    else:
        assert status == (200 if key in expected else 404), (role, key, status)


@pytest.mark.parametrize("role", ROLES)
def test_pages(town, rows, client, login, role):
    web = login(town.users[role])
    expected = SEES[role]
    for url in ("/vaccination/", "/vaccination/register/?as_of=2022-05-01", "/vaccination/worklist/",
                "/vaccination/points/", f"/vaccination/points/{town.points[0].pk}/", "/vaccination/follow-ups/",
                "/vaccination/follow-ups/?overdue=1"):
        assert web.get(url).status_code == (403 if expected is None else 200), (role, url)
    for key, p in rows["people"].items():
        _expect_detail(role, key, web.get(f"/vaccination/people/{p.pk}/").status_code)
        _expect_detail(role, key, web.get(f"/vaccination/visits/{rows['visits'][key].pk}/").status_code)
    if expected is not None:
        page = web.get("/vaccination/register/?as_of=2022-05-01").context["page"]
        assert {p.pk for p in page} == _register(town, rows, expected)
        html = web.get(f"/vaccination/people/{rows['people']['linquan1'].pk}/").content.decode() if (
            "linquan1" in expected) else ""
        if html:  # health facts only for roles that may see them
            line = re.search(r'data-testid="census">(.*?)</li>', html, re.S).group(1)
            assert ("allergy" in line or "过敏" in line) == (role in HEALTH), (role, line)


LISTS = {"register": ("people", "/api/v1/vaccination/register?as_of=2022-05-01"),
         "doses": ("doses", "/api/v1/vaccination/doses"), "census": ("answers", "/api/v1/vaccination/census"),
         "appointments": ("appointments", "/api/v1/vaccination/appointments"),
         "visits": ("visits", "/api/v1/vaccination/visits"),
         "follow-ups": ("follow_ups", "/api/v1/vaccination/follow-ups")}
DETAILS = {"people": "/api/v1/vaccination/register/{}", "doses": "/api/v1/vaccination/doses/{}",
           "appointments": "/api/v1/vaccination/appointments/{}", "visits": "/api/v1/vaccination/visits/{}"}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_and_details(town, rows, client, role):
    expected = SEES[role]
    for name, (kind, url) in LISTS.items():
        response = _api(client, town, role, "get", url)
        if expected is None:
            assert response.status_code == 403, (role, name)
            continue
        assert response.status_code == 200, (role, name)
        items = response.json()["items"]
        if kind == "people":
            assert {i["id"] for i in items} == _register(town, rows, expected), role
            for item in items:  # the nested census answer is masked the same way
                if item["id"] == rows["people"]["beihong2"].pk or item["id"] == rows["people"]["linquan1"].pk:
                    assert item["census"]["reason"] == ("permanent" if role in HEALTH else "health"), role
        else:
            assert {rows[kind][k].pk for k in expected} <= {i["id"] for i in items}, (role, name)
            assert {i["resident_id"] for i in items} == {rows["people"][k].pk for k in expected}, (role, name)
    for kind, url in DETAILS.items():
        for key, obj in rows[kind].items():
            _expect_detail(role, key, _api(client, town, role, "get", url.format(obj.pk)).status_code)
    for url in ("/api/v1/vaccination/coverage?as_of=2022-05-01", "/api/v1/vaccination/points",
                "/api/v1/vaccination/worklist", "/api/v1/vaccination/contacts"):
        assert _api(client, town, role, "get", url).status_code == (403 if expected is None else 200), (role, url)
    if expected and "linquan1" in expected:
        url = f"/api/v1/vaccination/census?resident_id={rows['people']['linquan1'].pk}"
        answer = _api(client, town, role, "get", url)
        item = answer.json()["items"][0]
        assert (item["reason"], item["contraindication"]) == (
            ("permanent", "allergy") if role in HEALTH else ("health", "***")), role
    if expected is not None:
        total = _api(client, town, role, "get", "/api/v1/vaccination/coverage?as_of=2022-05-01").json()["total"]
        assert total["population"] == len(_register(town, rows, expected))


def _action_status(role, key, perms):
    if SEES[role] is None or role not in perms and key in SEES[role]:
        return 403
    if key not in SEES[role]:
        return 404
    return None  # allowed


@pytest.mark.parametrize("role", ROLES)
def test_api_actions(town, rows, client, role):
    for key in ALL:
        dose, appointment = rows["doses"][key], rows["appointments"][key]
        visit, follow_up = rows["visits"][key], rows["follow_ups"][key]
        checks = [
            (DOSES, f"/api/v1/vaccination/doses/{dose.pk}/void", {"reason": "录入错误"}),
            (RECORDS, f"/api/v1/vaccination/appointments/{appointment.pk}/called", {}),
            (RECORDS, f"/api/v1/vaccination/appointments/{appointment.pk}/cancel", {}),
            (DOSES, f"/api/v1/vaccination/visits/{visit.pk}/release", {}),
            (DOSES, f"/api/v1/vaccination/follow-ups/{follow_up.pk}/result", {"result": "well"}),
        ]
        for perms, url, body in checks:
            status = _api(client, town, role, "post", url, json=body).status_code
            want = _action_status(role, key, perms)
            assert status == 200 if want is None else status == want, (role, key, url, status)
    # Actions naming a person in the body: a field error out of scope, else 403 without the permission.
    person = rows["people"]["beihong1"].pk
    for perms, url, body in [
        (RECORDS, "/api/v1/vaccination/census", {"resident_id": person, "reason": "hesitant"}),
        (RECORDS, "/api/v1/vaccination/contacts", {"resident_id": person, "method": "phone", "result": "later"}),
        (DOSES, "/api/v1/vaccination/doses", {"resident_id": person, "number": 3, "given_on": "2021-07-01",
                                              "vaccine_type": "inactivated"}),
        (RECORDS, "/api/v1/vaccination/visits", {"resident_id": person, "point_id": town.points[1].pk}),
    ]:
        response = _api(client, town, role, "post", url, json=body)
        # A body naming someone out of the role's scope is refused where it is read (core/ids.py): 422.
        if role not in perms:  # 422 when the person is not one the role may name, else 403
            assert response.status_code in (403, 422), (role, url)
        elif "beihong1" in SEES[role]:
            assert response.status_code == 201, (role, url, response.content)
        else:
            assert response.status_code == 422 and response.json()["errors"][0]["field"] == "resident_id", (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_page_actions(town, rows, client, login, role):
    web = login(town.users[role])
    for key in ALL:
        p = rows["people"][key]
        for perms, url, body in [
            (RECORDS, f"/vaccination/people/{p.pk}/census/", {"reason": "hesitant", "willingness": "willing"}),
            (RECORDS, f"/vaccination/people/{p.pk}/contact/", {"method": "phone", "result": "later"}),
            (DOSES, f"/vaccination/doses/{rows['doses'][key].pk}/void/", {"reason": "录入错误"}),
            (RECORDS, f"/vaccination/appointments/{rows['appointments'][key].pk}/called/", {}),
            (DOSES, f"/vaccination/visits/{rows['visits'][key].pk}/release/", {}),
            (DOSES, f"/vaccination/follow-ups/{rows['follow_ups'][key].pk}/result/", {"result": "well"}),
        ]:
            status = web.post(url, body).status_code
            # Pages check the permission first: a role without it gets 403 whatever the row.
            want = 403 if role not in perms else _action_status(role, key, perms)
            assert status == (302 if want is None else want), (role, key, url, status)


def test_notes_on_a_contraindication_and_follow_up_results_are_health_facts(town, client, login):
    """Masked in the API and absent from the pages for roles without view_health."""
    admin, person = town.users["admin"], town.world.residents["linquan1"]
    census.record_answer(admin, person, reason="permanent", contraindication="allergy",
                         asked_on=datetime.date(2022, 4, 1), notes="曾对青霉素严重过敏")
    start = earlier_today(hours=2)
    visit = day.check_in(admin, town.points[0], person, now=start)
    visit = day.vaccinate(admin, visit, vaccine_type="inactivated", now=start)
    day.release(admin, visit, now=start + datetime.timedelta(hours=1))
    day.record_follow_up(admin, visit.follow_up, result="referred", notes="胸闷转诊")
    for role, sees in (("cadre", False), ("doctor", True)):
        census_item = _api(client, town, role, "get",
                           f"/api/v1/vaccination/census?resident_id={person.pk}").json()["items"][0]
        follow = _api(client, town, role, "get", f"/api/v1/vaccination/follow-ups?resident_id={person.pk}")
        follow_item = follow.json()["items"][0]
        assert (census_item["notes"] == "曾对青霉素严重过敏") == sees, role
        assert (follow_item["result"], follow_item["notes"]) == (
            ("referred", "胸闷转诊") if sees else ("***", "***")), role
        page = login(town.users[role]).get(f"/vaccination/people/{person.pk}/").content.decode()
        assert ("曾对青霉素严重过敏" in page) == sees and ("转诊" in page) == sees, role


def test_the_register_detail_shows_no_one_under_60_to_a_family_doctor(town, client, login):
    """The doctor sees Linquan's unsigned residents for the drive: 周杰 (born 1990, unsigned, Linquan) is
    no one the 60+ register may show, by page or API; 孙秀兰 (born 1940) is."""
    young, old = town.people["young"], town.people["alone"]
    doctor = login(town.world.users["doctor"])
    assert doctor.get(f"/vaccination/people/{old.pk}/").status_code == 200
    assert doctor.get(f"/vaccination/people/{young.pk}/").status_code == 404
    assert _api(client, town, "doctor", "get", f"/api/v1/vaccination/register/{old.pk}").status_code == 200
    assert _api(client, town, "doctor", "get", f"/api/v1/vaccination/register/{young.pk}").status_code == 404
