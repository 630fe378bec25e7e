"""The grid map and the demo boundaries."""

import pytest

from wangge.core.models import Area, AreaLevel
from wangge.dashboard.demo import fill_boundaries
from wangge.places import geo

from .helpers import run_campaign, with_coordinates

pytestmark = pytest.mark.django_db


def test_boundaries_are_filled_once_and_hold_their_grids_premises(world):
    assert with_coordinates(world) == 4
    grids = list(Area.objects.filter(level=AreaLevel.GRID))
    first = {g.pk: g.boundary for g in grids}
    assert fill_boundaries(grids) == 0  # only empty boundaries are filled
    assert {g.pk: g.boundary for g in Area.objects.filter(level=AreaLevel.GRID)} == first
    for key, p in world.premises.items():
        assert geo.grid_at(float(p.longitude), float(p.latitude)) == world.grids[key]


def test_each_measure_colours_the_grids_and_links_to_the_list_behind(world, login):
    run_campaign(world)
    with_coordinates(world)
    client = login(world.users["leader"])
    names = {g.name: k for k, g in world.grids.items()}
    coverage = client.get("/dashboard/map.json?measure=coverage").json()
    assert coverage["measure"] == "coverage" and len(coverage["geo"]["features"]) == 4
    values = {names[d["name"]]: d["value"] for d in coverage["data"]}
    assert values == {"linquan1": 100, "linquan2": 100, "beihong1": 0, "beihong2": 100}
    findings = client.get("/dashboard/map.json?measure=open_findings").json()
    by_grid = {names[d["name"]]: d for d in findings["data"]}
    assert by_grid["linquan2"]["value"] == 1 and by_grid["linquan1"]["value"] == 0
    listed = client.get(by_grid["linquan2"]["url"])
    assert listed.context["page"].paginator.count == 1
    coverage_list = client.get({names[d["name"]]: d for d in coverage["data"]}["beihong1"]["url"])
    assert coverage_list.context["page"].paginator.count == 1
    assert client.get("/dashboard/map.json?measure=nonsense").json()["measure"] == "coverage"


def test_measures_follow_permissions_and_grids_follow_areas(world, login):
    with_coordinates(world)
    doctor = login(world.users["doctor"]).get("/dashboard/map.json?measure=coverage").json()
    assert "coverage" not in doctor["measures"] and "open_findings" in doctor["measures"]
    assert doctor["measure"] == "open_findings" and doctor["geo"]["features"] == []  # no areas of their own
    nobody = login(world.users["nobody"]).get("/dashboard/map.json?measure=open_findings").json()
    assert nobody["measure"] is None and nobody["data"] == [] and nobody["geo"]["features"] == []
