"""The map's JSON (scoped by visible_to, nothing personal), its search, the import page in two steps and
the command."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wangge.core.models import Area
from wangge.places.models import RoadSegment
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind

from .conftest import geojson, square

pytestmark = pytest.mark.django_db


def place(world):
    for n, (_key, p) in enumerate(sorted(world.premises.items())):
        p.latitude, p.longitude = 31.215, 121.365 + 0.01 * n
        p.save()
    world.segments["hami"].geometry = {"type": "LineString", "coordinates": [[121.38, 31.21], [121.385, 31.22]]}
    world.segments["hami"].save()


def test_layers_are_scoped_and_carry_nothing_personal(world, login):
    place(world)
    body = login(world.users["leader"]).get("/maps/layers.json").content.decode()
    data = json.loads(body)
    assert sorted(p[2] for p in data["premises"]["points"]) == sorted(p.name for p in world.premises.values())
    assert [r["label"] for r in data["roads"]] == ["哈密路 1–200号"]
    assert "1391111" not in body and "13922220000" not in body  # contact phones never leave
    worker = login(world.users["gridworker"]).get("/maps/layers.json").json()
    # The grid worker: their own grid's premises, and the segment they are road chief of.
    assert {p[2] for p in worker["premises"]["points"]} <= {"老王面馆", "北虹超市"}
    assert "林泉宾馆" not in {p[2] for p in worker["premises"]["points"]}
    nobody = login(world.users["nobody"]).get("/maps/layers.json").json()
    assert nobody == {"roads": [], "premises": {"points": [], "truncated": False}, "sites": [], "compounds": []}


def test_road_colour_counts_the_chiefs_open_findings(world, login):
    place(world)
    shop = world.premises["beihong1"]  # on 哈密路, whose chief is the grid worker
    orders.open_order(world.users["admin"], kind=Kind.RECTIFICATION, title="整改", grid=shop.grid, subject=shop)
    roads = login(world.users["leader"]).get("/maps/layers.json").json()["roads"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM workorders_workorder WHERE kind = 'rectification' AND state <> 'closed'")
        assert roads[0]["findings"] == cursor.fetchone()[0] == 1


def test_search_flies_to_visible_premises_only(world, login):
    place(world)
    found = login(world.users["leader"]).get("/maps/search.json?q=超市").json()["results"]
    assert [r["name"] for r in found] == ["北虹超市"] and found[0]["url"].endswith(f"/{world.premises['beihong1'].pk}/")
    assert login(world.users["gridworker"]).get("/maps/search.json?q=宾馆").json()["results"] == []
    assert login(world.users["leader"]).get("/maps/search.json?q=").json()["results"] == []


def test_map_page_renders_the_component(world, login):
    page = login(world.users["leader"]).get("/maps/").content.decode()
    assert 'data-grids="/dashboard/map.json"' in page and "leaflet.js" in page and 'data-tiles=""' in page


def test_import_page_previews_then_writes(world, login, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    client = login(world.users["leader"])
    assert client.get("/maps/boundaries/").status_code == 200
    data = geojson([({"name": "林泉第1网格"}, square(121.36, 31.21))])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("g.geojson", data)
    page = client.post("/maps/boundaries/", {"file": upload, "level": "grid", "system": "wgs84"})
    assert page.status_code == 200 and "林泉第1网格" in page.content.decode()
    assert Area.objects.get(code="310105102022001").boundary is None  # the preview writes nothing
    done = client.post("/maps/boundaries/", {"confirm": "1"}, follow=True)
    assert Area.objects.get(code="310105102022001").boundary["type"] == "Polygon"
    assert "1" in done.content.decode()
    bad = SimpleUploadedFile("bad.geojson", b"nonsense")
    refused = client.post("/maps/boundaries/", {"file": bad, "level": "grid", "system": "wgs84"})
    assert refused.status_code == 200 and "GeoJSON" in refused.content.decode()
    again = client.post("/maps/boundaries/", {"confirm": "1"}, follow=True)  # nothing pending: nothing written
    assert again.status_code == 200
    assert login(world.users["cadre"]).get("/maps/boundaries/").status_code == 403


def test_command_checks_then_writes(world, tmp_path, capsys):
    path = tmp_path / "g.geojson"
    path.write_bytes(geojson([({"code": "310105102019002", "name": "北虹第2网格"}, square(121.39, 31.21))]))
    call_command("boundaries", str(path), "--level", "grid", "--user", "admin")
    assert Area.objects.get(code="310105102019002").boundary is None
    assert "nothing written" in capsys.readouterr().out
    call_command("boundaries", str(path), "--level", "grid", "--user", "admin", "--write", "--system", "gcj02")
    assert Area.objects.get(code="310105102019002").boundary["type"] == "Polygon"
    with pytest.raises((SystemExit, CommandError)):
        call_command("boundaries", str(tmp_path / "none.geojson"), "--level", "grid", "--user", "admin")
    with pytest.raises((SystemExit, CommandError)):
        call_command("boundaries", str(path), "--level", "grid", "--user", "ghost")
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(geojson([({"name": "北虹第2网格"}, [[121.36, 31.21], [121.37, 31.22], [121.37, 31.21],
                                                        [121.36, 31.22], [121.36, 31.21]])]))
    with pytest.raises((SystemExit, CommandError)):
        call_command("boundaries", str(bad), "--level", "grid", "--user", "admin", "--write")
    assert RoadSegment.objects.filter(geometry__isnull=False).count() == 0
