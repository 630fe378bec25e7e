"""The grid map: the grids' GeoJSON boundaries as one FeatureCollection, and one value per grid for a
chosen measure, each with the list behind it. Only grids the user may see, only measures they may see."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wangge.core.coords import geometry_to
from wangge.core.models import Area, AreaLevel
from wangge.core.roles import Perm
from wangge.inspections.summary import coverage
from wangge.places.choices import RiskBand
from wangge.places.models import Premises
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

from .links import list_url
from .rounds import pick

MEASURES = {
    "coverage": (_("Inspection coverage (%)"), Perm.VIEW_INSPECTIONS),
    "open_findings": (_("Open rectification orders"), Perm.VIEW_WORKORDERS),
    "high_risk": (_("High-risk share of premises (%)"), Perm.VIEW_PREMISES),
}


def measures_for(user) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, perm) in MEASURES.items() if user.can(perm)]


def feature_collection(grids) -> dict:
    """The grids in the base map's coordinate system (settings.MAP_TILE_SYSTEM; stored as WGS-84)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": g.pk, "properties": {"name": g.name, "id": g.pk},
         "geometry": geometry_to(g.boundary, settings.MAP_TILE_SYSTEM)} for g in grids]}


def _coverage(user, grids, period, rounds):
    chosen = (rounds or pick(period, user=user)).chosen
    if chosen is None:
        return {}
    campaign = chosen.round
    rows = {r["key"]: r for r in coverage(campaign, user, "grid")}
    return {g.pk: (rows[g.name]["percent"], list_url("inspections:task_list", campaign.pk, reason="scope",
                                                      grid_name=g.name))
            for g in grids if g.name in rows}


def _open_findings(user, grids, period, rounds):
    counts = dict(WorkOrder.objects.visible_to(user).filter(kind=Kind.RECTIFICATION).exclude(state=State.CLOSED)
                  .order_by().values_list("grid_id").annotate(n=Count("pk")))
    return {g.pk: (counts.get(g.pk, 0), list_url("workorders:order_list", kind=Kind.RECTIFICATION, state="open",
                                                 grid=g.pk)) for g in grids}


def _high_risk(user, grids, period, rounds):
    rows = (Premises.objects.visible_to(user).filter(is_key=True).order_by().values("grid_id")
            .annotate(n=Count("pk"), high=Count("pk", filter=Q(risk__band=RiskBand.HIGH))))
    shares = {r["grid_id"]: round(100 * r["high"] / r["n"]) for r in rows if r["n"]}
    return {g.pk: (shares.get(g.pk, 0), list_url("places:premises_list", grid=g.pk, key=1)) for g in grids}


VALUES = {"coverage": _coverage, "open_findings": _open_findings, "high_risk": _high_risk}


def grid_map(user, measure: str, period=None, rounds=None) -> dict:
    allowed = dict(measures_for(user))
    if measure not in allowed:
        measure = next(iter(allowed), None)
    grids = list(Area.objects.visible_to(user).filter(level=AreaLevel.GRID, boundary__isnull=False)
                 .order_by("code").only("pk", "name", "boundary"))
    values = VALUES[measure](user, grids, period, rounds) if measure else {}
    data = [{"name": g.name, "value": values[g.pk][0], "url": values[g.pk][1]} for g in grids if g.pk in values]
    return {"measure": measure, "label": allowed.get(measure, ""), "measures": allowed,
            "max": max([d["value"] or 0 for d in data] + [1]) if measure != "coverage" else 100,
            "geo": feature_collection(grids), "data": data}
