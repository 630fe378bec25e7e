"""Campaign tasks, inspections and their photos in the role x endpoint matrix."""

import pytest

from wangge.core.roles import Role
from wangge.inspections import services
from wangge.inspections.choices import Shift
from wangge.inspections.models import Inspection, Photo, Task, Team
from wangge.inspections.planning import plan_campaign

from ..conftest import make_user
from .helpers import campaign, photo, submit

# Inspections each role sees (by grid key of the premises); None = no access at all (403).
EXPECTED = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": {"linquan1", "beihong1"},  # the categories the market office regulates
    "cadre": {"linquan1", "linquan2"},
    "gridworker": {"linquan1", "beihong1"},  # own grid, and the road they are chief of
    "inspector": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "doctor": None,
    "nobody": None,
}
ROLES = list(EXPECTED)


@pytest.fixture
def inspected(world):
    """Every premises inspected, with a photo, by a team the officer is not in."""
    c = campaign(world, plan=False)
    c.teams.all().delete()
    enforcer = make_user("enforcer", Role.INSPECTOR, [world.town], [world.departments["market"]])
    for shift in (Shift.DAY, Shift.NIGHT):
        services.save_team(world.users["admin"], Team(campaign=c, name=f"组{shift}", shift=shift),
                           [world.users["inspector"], enforcer])
    plan_campaign(world.users["admin"], c)
    for task in Task.objects.filter(campaign=c):
        submit(world, task, inspectors=[enforcer], photos=[("", photo())])
    return c


@pytest.mark.parametrize("role", ROLES)
def test_inspection_pages(world, login, inspected, role):
    client = login(world.users[role])
    expected = EXPECTED[role]
    response = client.get("/inspections/records/")
    if expected is None:
        assert response.status_code == 403
        assert client.get(f"/inspections/records/{Inspection.objects.first().pk}/").status_code == 403
        assert client.get(f"/inspections/campaigns/{inspected.pk}/tasks/").status_code == 403
        return
    html = response.content.decode()
    tasks_html = client.get(f"/inspections/campaigns/{inspected.pk}/tasks/").content.decode()
    for key, premises in world.premises.items():
        inspection = Inspection.objects.get(premises=premises)
        assert (premises.name in html) == (key in expected), (role, key)
        assert (premises.name in tasks_html) == (key in expected), (role, key)
        status = client.get(f"/inspections/records/{inspection.pk}/").status_code
        assert status == (200 if key in expected else 404), (role, key)
        picture = Photo.objects.get(inspection=inspection)
        assert client.get(f"/inspections/photos/{picture.pk}/thumb/").status_code == (
            200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_inspection_api(world, client, inspected, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = EXPECTED[role]
    response = client.get("/api/v1/inspections", headers=headers)
    summary = client.get(f"/api/v1/campaigns/{inspected.pk}/summary", headers=headers)
    if expected is None:
        assert response.status_code == 403 and summary.status_code == 403
        return
    names = {Inspection.objects.get(pk=i["id"]).premises.name for i in response.json()["items"]}
    assert names == {world.premises[k].name for k in expected}
    assert summary.json()["inspected"] == len(expected)  # figures over what the role may see
    for key, premises in world.premises.items():
        inspection = Inspection.objects.get(premises=premises)
        status = client.get(f"/api/v1/inspections/{inspection.pk}", headers=headers).status_code
        assert status == (200 if key in expected else 404), (role, key)
        picture = Photo.objects.get(inspection=inspection)
        photo_status = client.get(f"/api/v1/inspections/{inspection.pk}/photos/{picture.pk}", headers=headers)
        assert photo_status.status_code == (200 if key in expected else 404), (role, key)
