"""The boundary import: read, check, and only when the check passes write every boundary in one
transaction, each save audited like any edit (reason: the file's name)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.community.models import Compound
from wangge.core.coords import System
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned
from wangge.places.geo import to_shape

from . import checks, reading

COMPOUND = "compound"
LEVELS = {AreaLevel.TOWN.value: AreaLevel.TOWN.label, AreaLevel.NEIGHBOURHOOD.value: AreaLevel.NEIGHBOURHOOD.label,
          AreaLevel.GRID.value: AreaLevel.GRID.label, COMPOUND: _l("Compound")}


def _candidates(actor: User, level: str) -> list:
    if level == COMPOUND:
        return list(Compound.objects.visible_to(actor).select_related("grid").order_by("pk"))
    if level not in LEVELS:
        raise ValidationError({"level": _("Choose towns, neighbourhoods, grids or compounds.")})
    return list(Area.objects.visible_to(actor).filter(level=level).order_by("path"))


def _parent_key(level: str):
    return (lambda c: c.grid_id) if level == COMPOUND else (lambda a: a.parent_id)


def preview(actor: User, data: bytes, filename: str, level: str, system: str) -> checks.Preview:
    """What the file would change, with every error and warning; writes nothing."""
    require(actor, Perm.IMPORT_BOUNDARIES)
    if system not in System.__members__.values():
        raise ValidationError({"system": _("Choose the coordinate system the file was exported in.")})
    candidates = _candidates(actor, level)
    features = reading.read(data, filename)
    if not features:
        raise ValidationError({"file": _("The file holds no feature.")})
    existing = {c.pk: (c, shape) for c in candidates if c.boundary and (shape := to_shape(c.boundary)) is not None}
    result = checks.check(features, candidates, system, _parent_key(level), existing)
    _gaps(result, level, candidates)
    given = {r.target.pk for r in result.matched}
    left = [c.name for c in candidates if c.pk not in given and not c.boundary]
    if left:
        result.warnings.append(_("Still without a boundary after this import: %(names)s.") % {
            "names": "、".join(left[:20]) + ("…" if len(left) > 20 else "")})
    if not result.matched and not result.errors:
        result.errors.append(_("No feature of the file matches an area you manage."))
    return result


def _gaps(result: checks.Preview, level: str, candidates: list) -> None:
    if level in (COMPOUND, AreaLevel.TOWN):
        return
    shapes = {c.pk: to_shape(c.boundary) for c in candidates if c.boundary}
    shapes.update({r.target.pk: to_shape(r.geometry) for r in result.matched})
    children: dict[int, list] = {}
    for c in candidates:
        if shapes.get(c.pk) is not None and c.parent_id:
            children.setdefault(c.parent_id, []).append(shapes[c.pk])
    parents = {a.pk: (a.name, a.boundary) for a in Area.objects.filter(pk__in=children, boundary__isnull=False)}
    checks.gaps(result, parents, children)


@transaction.atomic
def import_boundaries(actor: User, data: bytes, filename: str, level: str, system: str) -> checks.Preview:
    """All or nothing: refused with every error when the check finds any, else every matched boundary saved."""
    result = preview(actor, data, filename, level, system)
    if result.errors:
        raise ValidationError({"file": result.errors})
    for row in result.matched:
        target = row.target
        if level != COMPOUND and target.level != level:  # pragma: no cover - candidates are filtered by level
            raise PermissionDenied
        target.boundary = row.geometry
        target.audit_reason = _("Boundary import: %(file)s") % {"file": filename[:100]}
        save_versioned(target, None)
    return result
