"""The grid of a point: the old per-point loop against the STRtree (places/geo.py).

Builds, in a throw-away database, one town of 1,000 grids (Voronoi cells of random centres, each edge
cut into short pieces so a ring has 40-80 vertices like a surveyed boundary) and 100,000 random points
over them, then times:
- before: the old `grid_at` (every grid's boundary read and ray-cast for each point), on a sample
  (it takes about a tenth of a second a point) and extrapolated to all points;
- after, one point at a time: `geo.grid_at` (the STRtree, rebuilt only when boundaries change);
- after, in bulk: `geo.grid_ids_at` over all points (what an import placing by coordinates calls);
- floor: shapely's STRtree query alone on geometry already in memory (no database).
Both answers are compared on the sample: they must agree on every point.
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_visibility import setup  # noqa: E402  (the same throw-away database)


def _inside(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def old_grid_at(lng: float, lat: float):
    """The function this change replaced, as it was (places/geo.py before the STRtree)."""
    from wangge.core.models import Area, AreaLevel
    from wangge.places.geo import polygons

    for grid in Area.objects.filter(level=AreaLevel.GRID, boundary__isnull=False).only("pk", "boundary"):
        for polygon in polygons(grid.boundary):
            outer, holes = polygon[0], polygon[1:]
            if _inside(lng, lat, [tuple(p[:2]) for p in outer]) and not any(
                    _inside(lng, lat, [tuple(p[:2]) for p in hole]) for hole in holes):
                return grid
    return None


def build(grids: int, rng: random.Random) -> tuple:
    import shapely

    from wangge.core.models import Area, AreaLevel

    x0, y0, x1, y1 = 121.30, 31.10, 121.60, 31.35
    centres = shapely.multipoints([(rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(grids)])
    envelope = shapely.box(x0, y0, x1, y1)
    cells = [c.intersection(envelope) for c in shapely.voronoi_polygons(centres, extend_to=envelope).geoms]
    town = Area.objects.create(code="B00", name="基准镇", level=AreaLevel.TOWN)
    hood = Area.objects.create(code="B0001", name="基准居委", level=AreaLevel.NEIGHBOURHOOD, parent=town)
    vertices = 0
    for i, cell in enumerate(cells):
        ring = list(shapely.segmentize(cell, 0.0004).exterior.coords)
        vertices += len(ring)
        boundary = {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}
        Area.objects.create(code=f"B0001{i:04d}", name=f"网格{i}", level=AreaLevel.GRID, parent=hood,
                            boundary=boundary)
    return (x0, y0, x1, y1), len(cells), vertices


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grids", type=int, default=1000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="points timed with the old loop")
    args = parser.parse_args()
    rng = random.Random(26)
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        import shapely

        from wangge.places import geo

        (x0, y0, x1, y1), n_grids, vertices = build(args.grids, rng)
        # A tenth of the points fall outside every grid, as stray coordinates in a real ledger do.
        points = [(rng.uniform(x0 - 0.03, x1 + 0.03), rng.uniform(y0 - 0.03, y1 + 0.03)) for _ in range(args.points)]
        sample = points[: args.sample]
        print(f"{n_grids} grids, {vertices} boundary vertices, {len(points)} points (sample {len(sample)})")

        start = time.perf_counter()
        old = [g.pk if (g := old_grid_at(x, y)) else None for x, y in sample]
        old_per_point = (time.perf_counter() - start) / len(sample)

        start = time.perf_counter()
        geo.grid_ids_at([(0.0, 0.0)])  # builds the tree once
        build_s = time.perf_counter() - start

        single_n = min(len(points), 2000)
        start = time.perf_counter()
        single = [g.pk if (g := geo.grid_at(x, y)) else None for x, y in points[:single_n]]
        single_per_point = (time.perf_counter() - start) / single_n

        start = time.perf_counter()
        bulk = geo.grid_ids_at(points)
        bulk_s = time.perf_counter() - start

        tree, _ids = geo._tree()
        geoms = shapely.points(points)
        start = time.perf_counter()
        tree.query(geoms, predicate="intersects")
        floor_s = time.perf_counter() - start

        disagree = sum(1 for a, b in zip(old, bulk[: len(sample)], strict=True) if a != b)
        disagree += sum(1 for a, b in zip(single, bulk[:single_n], strict=True) if a != b)
        placed = sum(1 for g in bulk if g is not None)
        print(f"before (old loop): {old_per_point * 1000:.1f} ms a point -> "
              f"{old_per_point * len(points):.0f} s for {len(points)} points (extrapolated)")
        print(f"tree built once: {build_s * 1000:.0f} ms")
        print(f"after, one grid_at a point: {single_per_point * 1000:.2f} ms a point -> "
              f"{single_per_point * len(points):.1f} s for {len(points)} points")
        print(f"after, bulk grid_ids_at: {bulk_s:.2f} s for {len(points)} points "
              f"({bulk_s / len(points) * 1e6:.1f} us a point); {placed} placed in a grid")
        print(f"floor (STRtree query in memory): {floor_s:.2f} s; bulk/floor {bulk_s / floor_s:.1f}x; "
              f"old/bulk {old_per_point * len(points) / bulk_s:.0f}x")
        print(f"answers that differ between the old loop, grid_at and grid_ids_at: {disagree}")
        if disagree:
            sys.exit(1)


if __name__ == "__main__":
    main()
