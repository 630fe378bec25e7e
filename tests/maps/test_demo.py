"""The demo town's made-up geometry: every grid, neighbourhood and the town has a valid boundary, grids
do not overlap, each demo premises lies inside its own grid (checked with shapely directly), each road
segment is a line, and a second run changes nothing."""

import pytest
import shapely
from shapely.geometry import shape

from wangge.core.models import Area, AreaLevel
from wangge.places.models import Premises, RoadSegment

pytestmark = pytest.mark.django_db


def test_demo_geometry():
    from wangge.community import demo as community_demo
    from wangge.core import demo as core_demo
    from wangge.maps import demo
    from wangge.places import demo as places_demo

    context = core_demo.load()
    community_demo.load(context)
    places_demo.load(context)
    demo.load(context)
    areas = list(Area.objects.all())
    assert areas and all(a.boundary for a in areas)
    shapes = {a.pk: shape(a.boundary) for a in areas}
    assert all(s.is_valid and s.area > 0 for s in shapes.values())
    grids = [a for a in areas if a.level == AreaLevel.GRID]
    tree = shapely.STRtree([shapes[g.pk] for g in grids])
    for i, j in zip(*tree.query([shapes[g.pk] for g in grids], predicate="intersects").tolist(), strict=True):
        if i < j:
            assert shapes[grids[i].pk].intersection(shapes[grids[j].pk]).area < 1e-10, (grids[i], grids[j])
    town = next(a for a in areas if a.level == AreaLevel.TOWN)
    assert abs(shapes[town.pk].area - sum(shapes[g.pk].area for g in grids)) < 1e-8
    placed = Premises.objects.filter(latitude__isnull=False).values_list("grid_id", "latitude", "longitude")
    assert len(placed) == 401
    for grid_id, lat, lng in placed:
        assert shapes[grid_id].contains(shapely.Point(float(lng), float(lat)))
    lines = [shape(s.geometry) for s in RoadSegment.objects.all()]
    assert lines and all(line.geom_type == "LineString" and line.length > 0.003 for line in lines)
    before = {a.pk: a.boundary for a in Area.objects.all()}
    demo.load(context)
    assert {a.pk: a.boundary for a in Area.objects.all()} == before
