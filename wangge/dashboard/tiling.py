"""Synthetic grid boundaries: a raster Voronoi tiling around each grid's centre (the mean of its
premises' coordinates). Cells of a regular lattice over the premises' extent go to the nearest centre;
a grid's boundary is the MultiPolygon of its cells. Deterministic: same premises, same tiling."""

CELLS = 24  # lattice cells along each side
MARGIN = 0.15  # share of the extent added around the premises


def tile(centres: dict[int, tuple[float, float]]) -> dict[int, dict]:
    """{grid id: (lng, lat)} -> {grid id: GeoJSON MultiPolygon}."""
    if not centres:
        return {}
    xs, ys = [c[0] for c in centres.values()], [c[1] for c in centres.values()]
    span_x, span_y = (max(xs) - min(xs)) or 0.01, (max(ys) - min(ys)) or 0.01
    x0, y0 = min(xs) - span_x * MARGIN, min(ys) - span_y * MARGIN
    dx, dy = span_x * (1 + 2 * MARGIN) / CELLS, span_y * (1 + 2 * MARGIN) / CELLS
    order = sorted(centres)
    cells: dict[int, list] = {pk: [] for pk in order}
    for i in range(CELLS):
        for j in range(CELLS):
            cx, cy = x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy
            nearest = min(order, key=lambda pk: ((centres[pk][0] - cx) / dx) ** 2 + ((centres[pk][1] - cy) / dy) ** 2)
            left, bottom = round(x0 + i * dx, 6), round(y0 + j * dy, 6)
            right, top = round(x0 + (i + 1) * dx, 6), round(y0 + (j + 1) * dy, 6)
            cells[nearest].append([[[left, bottom], [right, bottom], [right, top], [left, top], [left, bottom]]])
    return {pk: {"type": "MultiPolygon", "coordinates": polys} for pk, polys in cells.items() if polys}
