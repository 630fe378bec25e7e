"""Boundary import with real files: a Shapefile written by pyshp and a GeoJSON file, good ones written in
one go (checked by SQL), bad ones refused with their reason and nothing written."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from wangge.core import coords
from wangge.core.models import Area, AuditEntry
from wangge.maps import services
from wangge.places import geo

from .conftest import UTM_PRJ, geojson, shapefile_zip, square

pytestmark = pytest.mark.django_db

LINQUAN = [({"code": "310105102022001", "name": "林泉第1网格"}, square(121.36, 31.21)),
           ({"code": "", "name": "林泉第2网格"}, square(121.37, 31.21)),
           ({"code": "310105102019001", "name": "北虹第1网格"}, square(121.38, 31.21)),
           ({"code": "", "name": "别镇的网格"}, square(121.50, 31.30))]


def boundaries() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, boundary FROM core_area WHERE level = 'grid' AND boundary IS NOT NULL")
        return {code: json.loads(b) if isinstance(b, str) else b for code, b in cursor.fetchall()}


def test_shapefile_written_by_pyshp_sets_the_grids_by_code_and_name(world):
    admin = world.users["admin"]
    data = shapefile_zip(LINQUAN)
    preview = services.preview(admin, data, "grids.zip", "grid", "wgs84")
    assert preview.errors == [] and [r.target.name for r in preview.matched] == ["林泉第1网格", "林泉第2网格",
                                                                                  "北虹第1网格"]
    assert any("别镇的网格" in w for w in preview.warnings)  # unmatched, named
    assert any("北虹第2网格" in w for w in preview.warnings)  # still without a boundary
    assert boundaries() == {}  # the preview writes nothing
    services.import_boundaries(admin, data, "grids.zip", "grid", "wgs84")
    stored = boundaries()
    assert set(stored) == {"310105102022001", "310105102022002", "310105102019001"}
    assert stored["310105102022002"]["type"] == "Polygon"
    assert geo.grid_at(121.375, 31.215) == world.grids["linquan2"]  # the index sees the new boundaries
    # Audited like any edit: the creation and the boundary's change, with the file's name as reason.
    with connection.cursor() as cursor:
        cursor.execute("SELECT a.action, a.changes FROM core_auditentry a JOIN django_content_type t "
                       "ON t.id = a.content_type_id WHERE t.app_label = 'core' AND t.model = 'area' "
                       "AND a.object_id = %s ORDER BY a.id", [str(world.grids["linquan1"].pk)])
        trail = cursor.fetchall()
    assert [action for action, _changes in trail] == ["create", "update"]
    assert "boundary" in (trail[1][1] if isinstance(trail[1][1], dict) else json.loads(trail[1][1]))


def test_geojson_in_gcj02_is_stored_as_wgs84(world):
    ring = square(121.36, 31.21)
    data = geojson([({"name": "林泉第1网格"}, ring)])
    services.import_boundaries(world.users["leader"], data, "grids.geojson", "grid", "gcj02")
    stored = boundaries()["310105102022001"]["coordinates"][0]
    for (lng, lat), (glng, glat) in zip(stored, ring, strict=True):
        assert coords.wgs84_to_gcj02(lng, lat) == pytest.approx((glng, glat), abs=1e-6)
        assert abs(lng - glng) > 0.001  # moved by the GCJ-02 offset (hundreds of metres near Shanghai)


def test_self_intersecting_polygon_is_refused_with_its_reason_and_nothing_written(world):
    bow_tie = [[121.36, 31.21], [121.37, 31.22], [121.37, 31.21], [121.36, 31.22], [121.36, 31.21]]
    data = shapefile_zip([LINQUAN[0], ({"name": "林泉第2网格"}, bow_tie)])
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.import_boundaries(world.users["admin"], data, "bad.zip", "grid", "wgs84")
    text = " ".join(refused.value.messages)
    assert "林泉第2网格" in text and "Self-intersection" in text
    assert boundaries() == {} and AuditEntry.objects.count() == before


def test_overlapping_siblings_are_refused(world):
    data = geojson([({"name": "林泉第1网格"}, square(121.36, 31.21)),
                    ({"name": "林泉第2网格"}, square(121.365, 31.21))])
    with pytest.raises(ValidationError, match="林泉第1网格.*林泉第2网格|林泉第2网格.*林泉第1网格"):
        services.import_boundaries(world.users["admin"], data, "x.geojson", "grid", "wgs84")
    assert boundaries() == {}
    # Sharing an edge is no overlap; an overlap with a stored sibling's boundary is one too.
    services.import_boundaries(world.users["admin"], geojson([({"name": "林泉第1网格"}, square(121.36, 31.21))]),
                               "a.geojson", "grid", "wgs84")
    services.import_boundaries(world.users["admin"], geojson([({"name": "林泉第2网格"}, square(121.37, 31.21))]),
                               "b.geojson", "grid", "wgs84")
    with pytest.raises(ValidationError, match="overlap|重叠"):
        services.import_boundaries(world.users["admin"], geojson([({"name": "林泉第2网格"},
                                                                   square(121.365, 31.215))]), "c.geojson",
                                   "grid", "wgs84")
    assert boundaries()["310105102022002"]["coordinates"][0][0] == [121.37, 31.21]


def test_gaps_in_the_parent_are_warned(world):
    hood = world.hoods["linquan"]
    hood.boundary = {"type": "Polygon", "coordinates": [square(121.36, 31.21, 0.02)]}
    hood.save()
    preview = services.preview(world.users["admin"], geojson(LINQUAN[:2]), "g.geojson", "grid", "wgs84")
    assert any("林泉" in w and "%" in w for w in preview.warnings)


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"not json", "x.geojson", "GeoJSON"),
    (b"PK\x03\x04broken", "x.zip", ".zip"),
    (b"a,b", "x.csv", "GeoJSON"),
    (shapefile_zip(LINQUAN[:1], prj=UTM_PRJ), "x.zip", "WGS_1984_UTM_Zone_51N"),
    (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "x.geojson", "no feature|没有"),
    (geojson([({"name": "林泉第1网格"}, [[500000, 3450000], [500100, 3450000], [500100, 3450100],
                                          [500000, 3450000]])]), "x.geojson", "degrees|度"),
    (geojson([({"name": "林泉第1网格"}, square(121.36, 31.21)),
              ({"name": "林泉第1网格"}, square(121.38, 31.21))]), "x.geojson", "feature 1|第1"),
    (geojson([({"name": "无此网格"}, square(121.36, 31.21))]), "x.geojson", "matches an area|匹配"),
])
def test_bad_files_are_refused_with_their_reason(world, data, name, reason):
    with pytest.raises(ValidationError, match=reason):
        services.import_boundaries(world.users["admin"], data, name, "grid", "wgs84")
    assert boundaries() == {}


def test_scope_and_permission(world):
    data = geojson(LINQUAN[:3])
    with pytest.raises(PermissionDenied):
        services.preview(world.users["cadre"], data, "g.geojson", "grid", "wgs84")
    with pytest.raises(ValidationError):
        services.preview(world.users["admin"], data, "g.geojson", "street", "wgs84")
    with pytest.raises(ValidationError):
        services.preview(world.users["admin"], data, "g.geojson", "grid", "mercator")


def test_compound_and_neighbourhood_boundaries(world):
    from wangge.community.models import Compound

    compound = Compound.objects.create(name="林泉小区", grid=world.grids["linquan1"])
    data = shapefile_zip([({"name": "林泉小区"}, square(121.36, 31.21, 0.002))])
    services.import_boundaries(world.users["admin"], data, "c.zip", "compound", "bd09")
    compound.refresh_from_db()
    assert compound.boundary["type"] == "Polygon"
    services.import_boundaries(world.users["admin"], geojson([({"code": "310105102019", "name": "x"},
                                                               square(121.38, 31.21, 0.02))]), "n.geojson",
                               "neighbourhood", "cgcs2000")
    assert Area.objects.get(code="310105102019").boundary["coordinates"][0][0] == [121.38, 31.21]
