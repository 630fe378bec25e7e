"""Demo geometry for Xinjing, made up for the demo (not copied from any map provider): the grids on the demo
roads are the blocks between those roads (places/demo.py's street plan), their corners nudged so the map
does not look ruled; the other grids share the rest of an irregular town outline, three cells near each
other per neighbourhood; neighbourhoods and the town are the unions of their grids; each compound a small
block inside its grid. Only empty boundaries are filled: a second run, or a town with imported boundaries,
changes nothing."""

import json
import math
import random

import shapely

from wangge.community.models import Compound
from wangge.core.models import Area, AreaLevel
from wangge.places import demo as streets
from wangge.places.models import RoadSegment

NUDGE = 0.00015  # how far a block corner may move (degrees); less than the margin kept around the premises


def _geojson(geometry) -> dict:
    """Rounded to 1e-6 degrees (about 10 cm); set_precision keeps the polygons valid."""
    return json.loads(shapely.to_geojson(shapely.set_precision(geometry, 1e-6)))


def street_blocks(rng: random.Random) -> dict[int, object]:
    """{grid id: polygon} for the grids of the demo road segments: the block around each segment."""
    rows = streets.SEGMENTS_PER_ROAD
    south = streets.CENTRE[1] - rows * streets.SEGMENT_SPAN / 2
    corners = {}
    for i in range(len(streets.ROADS) + 1):
        for j in range(rows + 1):
            lat = south + j * streets.SEGMENT_SPAN
            lng = streets.CENTRE[0] + (i - 6.5) * streets.ROAD_GAP
            inner = 0 < i < len(streets.ROADS) and 0 < j < rows
            corners[i, j] = (lng + (rng.uniform(-NUDGE, NUDGE) if inner else 0),
                             lat + (rng.uniform(-NUDGE, NUDGE) if inner else 0))
    blocks = {}
    for segment in RoadSegment.objects.filter(road__in=streets.ROADS).only("road", "from_number", "grid_id"):
        i, j = streets.ROADS.index(segment.road), (segment.from_number - 1) // streets.SEGMENT_LENGTH
        if j >= rows:
            continue
        ring = [corners[i, j], corners[i + 1, j], corners[i + 1, j + 1], corners[i, j + 1]]
        block = shapely.Polygon(ring)
        blocks[segment.grid_id] = block if segment.grid_id not in blocks else blocks[segment.grid_id].union(block)
    return blocks


def outline(rng: random.Random, core) -> object:
    """An irregular town outline around the street blocks."""
    cx, cy = core.centroid.x, core.centroid.y
    points = []
    for k in range(24):
        angle = 2 * math.pi * k / 24
        radius = 1 + rng.uniform(-0.08, 0.08)
        points.append((cx + 0.034 * radius * math.cos(angle), cy + 0.021 * radius * math.sin(angle)))
    return shapely.Polygon(points).union(core.buffer(0.002)).buffer(0)


def outer_cells(rng: random.Random, ring, neighbourhoods: list[list[Area]]) -> dict[int, object]:
    """Voronoi cells for the grids of the other neighbourhoods: each neighbourhood's grids seeded close
    together around a centre inside the ring, the cells clipped to the ring."""
    minx, miny, maxx, maxy = ring.bounds
    centres = []
    while len(centres) < len(neighbourhoods):
        p = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if ring.contains(shapely.Point(p)) and all(math.dist(p, c) > 0.006 for c in centres[-200:]):
            centres.append(p)
    seeds, owners = [], []
    for (x, y), grids in zip(centres, neighbourhoods, strict=True):
        for n, grid in enumerate(grids):
            angle = 2 * math.pi * n / max(len(grids), 1) + rng.uniform(0, 1)
            seeds.append((x + 0.003 * math.cos(angle), y + 0.002 * math.sin(angle)))
            owners.append(grid.pk)
    if not seeds:
        return {}
    regions = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=ring.envelope.buffer(0.01))
    cells = {}
    for region in regions.geoms:
        inside = [k for k, s in enumerate(seeds) if region.contains(shapely.Point(s))]
        if inside:
            cells[owners[inside[0]]] = region.intersection(ring)
    return cells


def compound_blocks(cells: dict[int, object]) -> dict[int, object]:
    """{compound id: a small block inside its grid}, side by side along the grid's middle."""
    blocks = {}
    by_grid: dict[int, list[Compound]] = {}
    for compound in Compound.objects.filter(boundary__isnull=True, grid_id__in=cells).order_by("pk"):
        by_grid.setdefault(compound.grid_id, []).append(compound)
    for grid_id, compounds in by_grid.items():
        cell = cells[grid_id]
        centre = cell.representative_point()
        for n, compound in enumerate(compounds):
            x = centre.x + (n - (len(compounds) - 1) / 2) * 0.0009
            block = shapely.box(x - 0.0004, centre.y - 0.0005, x + 0.0004, centre.y + 0.0005)
            if cell.contains(block):
                blocks[compound.pk] = block
    return blocks


def _save(obj, geometry) -> None:
    obj.boundary = _geojson(geometry)
    obj.save(update_fields=["boundary", "updated_at"])  # audited like any edit


def load(context: dict) -> None:
    rng = random.Random(2022)
    grids = list(Area.objects.filter(level=AreaLevel.GRID).select_related("parent").order_by("path"))
    if not grids or any(g.boundary for g in grids):
        return
    cells = street_blocks(rng)
    if not cells:
        return
    core = shapely.union_all(list(cells.values()))
    town_shape = outline(rng, core)
    rest: dict[int, list[Area]] = {}
    for grid in grids:
        if grid.pk not in cells:
            rest.setdefault(grid.parent_id, []).append(grid)
    cells.update(outer_cells(rng, town_shape.difference(core), list(rest.values())))
    for grid in grids:
        if grid.pk in cells and not cells[grid.pk].is_empty:
            _save(grid, cells[grid.pk])
    hoods: dict[int, list] = {}
    for grid in grids:
        if grid.pk in cells:
            hoods.setdefault(grid.parent_id, []).append(cells[grid.pk])
    for hood in Area.objects.filter(pk__in=hoods, boundary__isnull=True):
        _save(hood, shapely.union_all(hoods[hood.pk]))
    town = Area.objects.filter(level=AreaLevel.TOWN, boundary__isnull=True, children__in=list(hoods)).first()
    if town is not None:
        _save(town, shapely.union_all(list(cells.values())))
    for compound in Compound.objects.filter(pk__in=(blocks := compound_blocks(cells))):
        _save(compound, blocks[compound.pk])
