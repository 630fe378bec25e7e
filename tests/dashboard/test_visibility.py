"""Role x endpoint for the dashboard app: which kept briefs each role sees and may download, and which
grids each role sees on the grid map."""

import datetime

import pytest

from wangge.dashboard.briefs.services import make_brief
from wangge.dashboard.figures import Period

from .helpers import with_coordinates

pytestmark = pytest.mark.django_db
DAY = Period(datetime.date(2022, 7, 15), datetime.date(2022, 7, 15))

# Briefs: "town" is the scheduled job's brief for the town; "<user>" one that user made for themselves.
BRIEFS = {
    "admin": {"town", "leader", "cadre", "gridworker"},
    "leader": {"town", "leader"},
    "officer": set(),
    "cadre": {"cadre"},
    "gridworker": {"gridworker"},
    "inspector": {"town"},
    "doctor": set(),
    "nobody": set(),
}
GRIDS = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": set(),
    "cadre": {"linquan1", "linquan2"},
    "gridworker": {"linquan1"},
    "inspector": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "doctor": set(),
    "nobody": set(),
}


@pytest.fixture
def briefs(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = {"town": make_brief(world.users["admin"], "daily", DAY, area=world.town)}
    for name in ("leader", "cadre", "gridworker"):
        made[name] = make_brief(world.users[name], "daily", DAY)
    return made


@pytest.mark.parametrize("role", list(BRIEFS))
def test_brief_list_and_downloads(world, login, briefs, role):
    client = login(world.users[role])
    listed = client.get("/dashboard/briefs/")
    assert listed.status_code == 200
    shown = {key for key, brief in briefs.items() if brief in listed.context["briefs"]}
    assert shown == BRIEFS[role]
    for key, brief in briefs.items():
        for fmt in ("docx", "pdf"):
            response = client.get(f"/dashboard/briefs/{brief.pk}/{fmt}/")
            assert response.status_code == (200 if key in BRIEFS[role] else 404), (role, key, fmt)


@pytest.mark.parametrize("role", list(GRIDS))
def test_grid_map_shows_only_visible_grids(world, login, role):
    with_coordinates(world)
    client = login(world.users[role])
    data = client.get("/dashboard/map.json").json()
    names = {f["properties"]["name"] for f in data["geo"]["features"]}
    assert names == {world.grids[k].name for k in GRIDS[role]}
