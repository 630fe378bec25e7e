"""Demo data of the dashboard: boundaries for the demo grids (which have none), so the grid map draws.
Only empty boundaries are filled; a second run changes nothing."""

from django.db.models import Avg

from wangge.core.models import Area, AreaLevel
from wangge.places.models import Premises

from .tiling import tile


def fill_boundaries(grids) -> int:
    """Give the grids without a boundary a tile around their premises' centre; returns how many."""
    centres = {r["grid_id"]: (float(r["lng"]), float(r["lat"])) for r in
               Premises.objects.filter(grid__in=grids, latitude__isnull=False, longitude__isnull=False)
               .order_by().values("grid_id").annotate(lng=Avg("longitude"), lat=Avg("latitude"))}
    empty = [g for g in grids if not g.boundary and g.pk in centres]
    if not empty:
        return 0
    shapes = tile(centres)
    filled = 0
    for grid in empty:
        if shapes.get(grid.pk):
            grid.boundary = shapes[grid.pk]
            grid.save(update_fields=["boundary", "updated_at"])  # audited like any edit
            filled += 1
    return filled


def load(context: dict) -> None:
    fill_boundaries(list(Area.objects.filter(level=AreaLevel.GRID).order_by("code")))
