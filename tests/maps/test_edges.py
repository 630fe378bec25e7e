"""The less travelled paths: odd files, ambiguous names, a base map in GCJ-02, premises within a radius."""

import json

import pytest
from django.core.exceptions import ValidationError

from wangge.core import coords
from wangge.maps import reading, services
from wangge.places import geo
from wangge.places.models import Premises

from .conftest import geojson, shapefile_zip, square

pytestmark = pytest.mark.django_db


def test_reading_accepts_a_feature_or_a_bare_geometry_and_refuses_the_rest(monkeypatch):
    ring = square(121.36, 31.21)
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    assert reading.read(json.dumps(feature).encode(), "f.json")[0].properties == {"name": "x"}
    bare = reading.read(json.dumps(feature["geometry"]).encode(), "g.geojson")
    assert bare[0].properties == {} and bare[0].geometry["type"] == "Polygon"
    for data, reason in ((b"[1, 2]", "GeoJSON"), (json.dumps({"type": "FeatureCollection", "features": [1]}).encode(),
                                                   "1"),
                         (json.dumps({"type": "FeatureCollection", "features": [],
                                      "crs": {"properties": {"name": "EPSG:3857"}}}).encode(), "3857")):
        with pytest.raises(ValidationError, match=reason):
            reading.read(data, "x.geojson")
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="50 MB"):
        reading.read(b"x" * 11, "x.geojson")


def test_a_zip_without_its_index_is_refused():
    import io
    import zipfile

    whole = zipfile.ZipFile(io.BytesIO(shapefile_zip([({"name": "a"}, square(121.36, 31.21))])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in whole.namelist():
            if not name.endswith(".shx"):
                archive.writestr(name, whole.read(name))
    with pytest.raises(ValidationError, match=r"\.shx"):
        reading.read(out.getvalue(), "x.zip")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for name in whole.namelist():
            archive.writestr(name, b"no-such-codec" if name.endswith(".cpg") else whole.read(name))
    with pytest.raises(ValidationError, match="Shapefile"):
        reading.read(broken.getvalue(), "x.zip")


def test_ambiguous_names_and_points_are_errors(world):
    from wangge.community.models import Compound

    Compound.objects.create(name="同名小区", grid=world.grids["linquan1"])
    Compound.objects.create(name="同名小区", grid=world.grids["beihong1"])
    with pytest.raises(ValidationError, match="同名小区"):
        services.import_boundaries(world.users["admin"], geojson([({"name": "同名小区"}, square(121.36, 31.21))]),
                                   "c.geojson", "compound", "wgs84")
    point = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "林泉第1网格"}, "geometry": {"type": "Point",
                                                                          "coordinates": [121.3, 31.2]}}]}).encode()
    with pytest.raises(ValidationError, match="polygon|多边形"):
        services.import_boundaries(world.users["admin"], point, "p.geojson", "grid", "wgs84")


def test_layers_in_the_base_maps_system(world, login, settings):
    settings.MAP_TILE_SYSTEM = "gcj02"
    p = world.premises["linquan1"]
    p.latitude, p.longitude = 31.21, 121.37
    p.save()
    point = login(world.users["admin"]).get("/maps/layers.json").json()["premises"]["points"][0]
    assert point[:2] == pytest.approx(list(coords.wgs84_to_gcj02(121.37, 31.21)), abs=1e-6)
    grid = world.grids["linquan1"]
    grid.boundary = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square(121.36, 31.2)]}}
    grid.save()
    shown = login(world.users["admin"]).get("/dashboard/map.json").json()["geo"]["features"][0]["geometry"]
    assert shown["coordinates"][0][0] == pytest.approx(list(coords.wgs84_to_gcj02(121.36, 31.2)), abs=1e-6)


def test_premises_within_a_radius(world):
    for n, p in enumerate(world.premises.values()):
        p.latitude, p.longitude = 31.21, 121.37 + 0.001 * n  # about 95 m apart
        p.save()
    found = geo.within(Premises.objects.all(), 121.37, 31.21, 150)
    assert [round(d) for d, _p in found] == [0, 95]
    assert [p.pk for _d, p in found] == [world.premises["linquan1"].pk, world.premises["linquan2"].pk]
    assert geo.grid_ids_at([]) == [] and geo.grid_at(0, 0) is None
    assert geo.polygons({}) == [] and geo.polygons({"type": "Point"}) == []


def test_confirming_a_lost_upload_says_so(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = login(world.users["admin"])
    session = client.session
    session["boundary_upload"] = {"token": "gone", "name": "g.geojson", "level": "grid", "system": "wgs84"}
    session.save()
    page = client.post("/maps/boundaries/", {"confirm": "1"}, follow=True).content.decode()
    assert "重新上传" in page or "Send the file again" in page


def test_a_boundary_given_as_a_feature_is_read():
    ring = square(121.36, 31.21)
    wrapped = {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]}}
    assert geo.to_shape(wrapped).contains(geo.shapely.Point(121.365, 31.215))
    assert geo.to_shape({"type": "Feature", "geometry": None}) is None
