"""Synthetic grid boundaries: the Voronoi cell of each grid's centre (the mean of its premises'
coordinates), clipped to the premises' extent with a margin. Each cell is the bounding rectangle cut
by the half-planes nearer to its centre than to every other (Sutherland–Hodgman), so it is one convex
polygon and neighbouring cells share their edges. Deterministic: same premises, same tiling."""

MARGIN = 0.15  # share of the extent added around the centres
ASPECT = 0.85  # a degree of longitude is shorter than one of latitude at Shanghai's latitude (cos 31°)


def _clip(polygon: list, a: float, b: float, c: float) -> list:
    """Keep the part of `polygon` where a*x + b*y <= c."""
    out = []
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        in1, in2 = a * x1 + b * y1 <= c, a * x2 + b * y2 <= c
        if in1:
            out.append((x1, y1))
        if in1 != in2:
            t = (c - a * x1 - b * y1) / (a * (x2 - x1) + b * (y2 - y1))
            out.append((x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
    return out


def tile(centres: dict[int, tuple[float, float]]) -> dict[int, dict]:
    """{grid id: (lng, lat)} -> {grid id: GeoJSON Polygon}."""
    if not centres:
        return {}
    xs, ys = [c[0] for c in centres.values()], [c[1] for c in centres.values()]
    span_x, span_y = (max(xs) - min(xs)) or 0.01, (max(ys) - min(ys)) or 0.01
    x0, x1 = min(xs) - span_x * MARGIN, max(xs) + span_x * MARGIN
    y0, y1 = min(ys) - span_y * MARGIN, max(ys) + span_y * MARGIN
    shapes = {}
    for pk in sorted(centres):
        cx, cy = centres[pk]
        cell = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        for other in sorted(centres):
            ox, oy = centres[other]
            if other == pk or (ox, oy) == (cx, cy):
                continue
            # Nearer to (cx, cy) than to (ox, oy), with longitude scaled to distance.
            a, b = (ox - cx) * ASPECT ** 2, oy - cy
            c = ((ox ** 2 - cx ** 2) * ASPECT ** 2 + oy ** 2 - cy ** 2) / 2
            cell = _clip(cell, a, b, c)
            if not cell:
                break
        if len(cell) >= 3:
            ring = [[round(x, 6), round(y, 6)] for x, y in cell]
            shapes[pk] = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    return shapes
