"""Which grid holds a point: ray casting over the grids' GeoJSON boundaries (no GIS needed)."""

from wangge.core.models import Area, AreaLevel


def _inside(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def polygons(geometry: dict) -> list[list]:
    if not geometry:
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def contains(geometry: dict, lng: float, lat: float) -> bool:
    for polygon in polygons(geometry):
        outer, holes = polygon[0], polygon[1:]
        if _inside(lng, lat, [tuple(p[:2]) for p in outer]) and not any(
                _inside(lng, lat, [tuple(p[:2]) for p in hole]) for hole in holes):
            return True
    return False


def grid_at(lng: float, lat: float) -> Area | None:
    for grid in Area.objects.filter(level=AreaLevel.GRID, boundary__isnull=False).only("pk", "boundary"):
        if contains(grid.boundary, lng, lat):
            return grid
    return None
