"""Which grid holds a point, and which premises lie near one.

The grids' GeoJSON boundaries are kept in one shapely STRtree per process, rebuilt when they change: the
stamp (count, latest update, sum of ids of the grids) is one indexed aggregate per look-up,
so an edit in another process, a rolled-back transaction or an import is seen at the next call.
A point on the edge shared by two grids belongs to the first of them in the area tree's order.
"""

import math
import threading
from collections.abc import Iterable

import shapely
from django.db.models import Count, Max, Sum
from shapely.geometry import shape

from wangge.core.coords import EARTH_RADIUS_M, distance_m
from wangge.core.models import Area, AreaLevel

_lock = threading.Lock()
_index: dict = {"stamp": None, "tree": None, "ids": []}


def polygons(geometry: dict) -> list[list]:
    """The polygons (lists of rings) of a Polygon, MultiPolygon or a Feature holding one."""
    if not geometry:
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def to_shape(geometry: dict):
    """A stored boundary as a valid shapely geometry, or None when it holds no polygon."""
    found = polygons(geometry)
    if not found:
        return None
    shaped = shape({"type": "MultiPolygon", "coordinates": [[[p[:2] for p in ring] for ring in poly]
                                                            for poly in found]})
    return shaped if shaped.is_valid else shapely.make_valid(shaped)


def _grids():
    return Area.objects.filter(level=AreaLevel.GRID, boundary__isnull=False)


def _stamp() -> tuple:
    # Over every grid, not only those with a boundary: testing the JSON for NULL would read every boundary.
    row = Area.objects.filter(level=AreaLevel.GRID).aggregate(n=Count("pk"), last=Max("updated_at"), ids=Sum("pk"))
    return row["n"], row["last"], row["ids"]


def _tree() -> tuple:
    """(STRtree, grid ids in tree order), rebuilt when the grids' boundaries changed."""
    stamp = _stamp()
    with _lock:
        if _index["stamp"] != stamp:
            ids, shapes = [], []
            for pk, boundary in _grids().order_by("path").values_list("pk", "boundary"):
                found = to_shape(boundary)
                if found is not None:
                    ids.append(pk)
                    shapes.append(found)
            _index.update(stamp=stamp, tree=shapely.STRtree(shapes), ids=ids)
        return _index["tree"], _index["ids"]


def grid_ids_at(points: Iterable[tuple[float, float]]) -> list[int | None]:
    """The grid id holding each (lng, lat), None where no boundary holds it: one query for any number."""
    points = list(points)
    if not points:
        return []
    tree, ids = _tree()
    found: list[int | None] = [None] * len(points)
    if not ids:
        return found
    geoms = shapely.points([(float(x), float(y)) for x, y in points])
    point_idx, tree_idx = tree.query(geoms, predicate="intersects")
    for p, t in sorted(zip(point_idx.tolist(), tree_idx.tolist(), strict=True), reverse=True):
        found[p] = ids[t]  # descending: the first grid in tree order is written last and wins
    return found


def grid_at(lng: float, lat: float) -> Area | None:
    pk = grid_ids_at([(lng, lat)])[0]
    return Area.objects.defer("boundary").filter(pk=pk).first() if pk is not None else None


def within(queryset, lng: float, lat: float, metres: float) -> list[tuple]:
    """Rows of `queryset` (with latitude/longitude) within `metres` of the point, nearest first, as
    (distance in metres, row). A bounding box in SQL (the latitude/longitude index), then the exact distance."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlng = dlat / max(math.cos(math.radians(lat)), 1e-6)
    rows = queryset.filter(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng))
    near = [(distance_m(lat, lng, r.latitude, r.longitude), r) for r in rows]
    return sorted([(d, r) for d, r in near if d <= metres], key=lambda x: (x[0], x[1].pk))
