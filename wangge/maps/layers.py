"""What the map shows besides the grids (the grids and their measure come from the dashboard's grid map
endpoint): road segments, premises, sampling sites and compounds, each only as far as visible_to(user) and
the user's permissions allow, and nothing personal (names of places, statuses and counts only).
Coordinates leave as the base layer's system (settings.MAP_TILE_SYSTEM)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse

from wangge.community.models import Compound
from wangge.core.coords import from_wgs84, geometry_to
from wangge.core.roles import Perm
from wangge.places.choices import RiskBand
from wangge.places.filters import filter_premises
from wangge.places.models import Premises, RoadSegment
from wangge.sampling.models import SamplingSite
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

MAP_LIMIT = 20000
SEARCH_LIMIT = 10


def point(lng, lat) -> list[float]:
    x, y = from_wgs84(float(lng), float(lat), settings.MAP_TILE_SYSTEM)
    return [round(x, 6), round(y, 6)]


def shape_out(geometry: dict) -> dict:
    return geometry_to(geometry, settings.MAP_TILE_SYSTEM)


def _open_findings_by_chief(user) -> dict[int, int]:
    """Open rectification orders on premises of each road chief's segments."""
    premises_type = ContentType.objects.get_for_model(Premises)
    subjects = (WorkOrder.objects.visible_to(user).filter(kind=Kind.RECTIFICATION, subject_type=premises_type)
                .exclude(state=State.CLOSED).values_list("subject_id", flat=True))
    rows = (Premises.objects.filter(pk__in=subjects, segment__chief__isnull=False).order_by()
            .values("segment__chief_id").annotate(n=Count("pk")))
    return {r["segment__chief_id"]: r["n"] for r in rows}


def roads(user) -> list[dict]:
    if not user.can(Perm.VIEW_PREMISES):
        return []
    findings = _open_findings_by_chief(user) if user.can(Perm.VIEW_WORKORDERS) else {}
    segments = RoadSegment.objects.visible_to(user).filter(geometry__isnull=False).only(
        "pk", "road", "from_number", "to_number", "side", "geometry", "chief_id", "grid_id")
    return [{"id": s.pk, "label": str(s), "grid": s.grid_id, "findings": findings.get(s.chief_id, 0),
             "has_chief": s.chief_id is not None, "geometry": shape_out(s.geometry)} for s in segments]


def premises(user, params) -> dict:
    if not user.can(Perm.VIEW_PREMISES):
        return {"points": [], "truncated": False}
    rows = filter_premises(Premises.objects.visible_to(user), params).filter(latitude__isnull=False,
                                                                             longitude__isnull=False)
    points = [[*point(lng, lat), name, status, band or RiskBand.LOW, pk] for pk, name, status, band, lat, lng in
              rows.values_list("pk", "name", "status", "risk__band", "latitude", "longitude")[:MAP_LIMIT]]
    return {"points": points, "truncated": len(points) == MAP_LIMIT}


def sites(user) -> list[dict]:
    if not user.can(Perm.VIEW_SAMPLING):
        return []
    rows = SamplingSite.objects.visible_to(user).filter(latitude__isnull=False, longitude__isnull=False)
    return [{"id": s.pk, "name": s.name, "status": s.status, "label": s.get_status_display(),
             "at": point(s.longitude, s.latitude)} for s in rows.only("pk", "name", "status", "latitude", "longitude")]


def compounds(user) -> list[dict]:
    if not user.can(Perm.VIEW_RESIDENTS):
        return []
    rows = Compound.objects.visible_to(user).filter(boundary__isnull=False).only("pk", "name", "boundary")
    return [{"id": c.pk, "name": c.name, "geometry": shape_out(c.boundary)} for c in rows]


def search(user, text: str) -> list[dict]:
    """Premises by name or address (the list's own filter), with where they are."""
    if not user.can(Perm.VIEW_PREMISES) or not text.strip():
        return []
    rows = filter_premises(Premises.objects.visible_to(user), {"q": text}).filter(
        latitude__isnull=False, longitude__isnull=False).values_list("pk", "name", "address", "latitude",
                                                                     "longitude")[:SEARCH_LIMIT]
    return [{"id": pk, "name": name, "address": address, "at": point(lng, lat),
             "url": reverse("places:premises_detail", args=[pk])} for pk, name, address, lat, lng in rows]
