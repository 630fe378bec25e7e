"""The check before a boundary import writes anything: each feature matched to an area (or compound) by code
or name, its polygon valid (shapely's explain_validity says why not), no two siblings overlapping, the parent
covered (gaps), and the areas still without a boundary named."""

from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from wangge.core.coords import convert_geometry
from wangge.places.geo import to_shape

from .reading import Feature

CODE_KEYS = ("code", "编码", "网格编码", "区划代码", "areacode", "id")
NAME_KEYS = ("name", "名称", "网格名称", "小区名称", "社区名称", "居委名称")
OVERLAP_SHARE = 0.001  # an overlap above 0.1 % of the smaller polygon is an error; below, a digitising seam
GAP_SHARE = 0.01  # more than 1 % of the parent not covered by its children is worth a warning


@dataclass
class Row:
    number: int
    label: str
    target: object | None = None
    geometry: dict | None = None
    problem: str = ""


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def matched(self) -> list[Row]:
        return [r for r in self.rows if r.target is not None and not r.problem]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.matched)


def _value(properties: dict, keys) -> str:
    lowered = {str(k).strip().lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _polygon(feature: Feature, system: str) -> tuple[dict | None, str]:
    geometry = feature.geometry
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None, _("not a polygon")
    try:
        geometry = convert_geometry(geometry, system)
        found = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException):
        return None, _("the coordinates cannot be read")
    minx, miny, maxx, maxy = found.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return None, _("the coordinates are not longitude and latitude in degrees")
    if not found.is_valid:
        return None, _("invalid polygon: %(why)s") % {"why": explain_validity(found)}
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}, ""


def check(features: list[Feature], candidates: list, system: str, parent_of, existing: dict) -> Preview:
    """`candidates`: the areas or compounds the user may give a boundary (with code, name); `parent_of(obj)`:
    the key siblings share; `existing`: {pk: (object, shapely geometry)} of the current boundaries."""
    preview = Preview()
    by_code = {str(getattr(c, "code", "") or ""): c for c in candidates if getattr(c, "code", "")}
    by_name: dict[str, list] = {}
    for c in candidates:
        by_name.setdefault(c.name, []).append(c)
    seen: dict[int, int] = {}
    for feature in features:
        code, name = _value(feature.properties, CODE_KEYS), _value(feature.properties, NAME_KEYS)
        row = Row(feature.number, name or code or f"#{feature.number}")
        preview.rows.append(row)
        row.target = by_code.get(code) if code else None
        if row.target is None and name:
            named = by_name.get(name, [])
            if len(named) > 1:
                row.problem = _("the name %(name)s is ambiguous: give the code") % {"name": name}
                preview.errors.append(_("Feature %(n)s: %(problem)s.") % {"n": feature.number, "problem": row.problem})
                continue
            row.target = named[0] if named else None
        if row.target is None:
            preview.warnings.append(_("Feature %(n)s (%(label)s) matches no area of yours by code or name: it is "
                                      "left out.") % {"n": feature.number, "label": row.label})
            continue
        if row.target.pk in seen:
            row.problem = _("%(name)s is already given by feature %(other)s") % {
                "name": row.target.name, "other": seen[row.target.pk]}
        else:
            seen[row.target.pk] = feature.number
            row.geometry, row.problem = _polygon(feature, system)
        if row.problem:
            preview.errors.append(_("Feature %(n)s (%(label)s): %(problem)s.") % {
                "n": feature.number, "label": row.label, "problem": row.problem})
    _overlaps(preview, parent_of, existing)
    return preview


def _overlaps(preview: Preview, parent_of, existing: dict) -> None:
    """Siblings (same parent) may share edges, not area: the file's polygons against each other and against
    the siblings' boundaries already stored. `existing`: {pk: (object, shapely geometry)}."""
    rows = preview.matched
    items = {row.target.pk: (row.target, shape(row.geometry)) for row in rows}
    for pk, item in existing.items():
        items.setdefault(pk, item)
    keys = list(items)
    tree = shapely.STRtree([items[k][1] for k in keys])
    reported = set()
    for row in rows:
        mine = items[row.target.pk][1]
        for index in tree.query(mine, predicate="intersects").tolist():
            other, (sibling, theirs) = keys[index], items[keys[index]]
            pair = frozenset((row.target.pk, other))
            if other == row.target.pk or pair in reported or parent_of(row.target) != parent_of(sibling):
                continue
            smaller = min(mine.area, theirs.area)
            shared = mine.intersection(theirs).area
            if smaller and shared > OVERLAP_SHARE * smaller:
                reported.add(pair)
                preview.errors.append(_("%(a)s and %(b)s overlap (%(share)s %% of the smaller).") % {
                    "a": row.target.name, "b": sibling.name, "share": round(100 * shared / smaller, 1)})


def gaps(preview: Preview, parents: dict, children_shapes: dict) -> None:
    """`parents`: {parent pk: (name, stored boundary)}; `children_shapes`: {parent pk: [shapely geometries]}."""
    for pk, (name, boundary) in parents.items():
        outline = to_shape(boundary)
        inside = children_shapes.get(pk)
        if outline is None or not inside or outline.area == 0:
            continue
        uncovered = outline.difference(shapely.union_all(inside)).area / outline.area
        if uncovered > GAP_SHARE:
            preview.warnings.append(_("%(share)s %% of %(name)s is covered by none of its parts.") % {
                "share": round(100 * uncovered, 1), "name": name})
