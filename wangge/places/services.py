"""Verbs on premises and road segments. Only these change a premises' operating status."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.any_of import batch_size
from wangge.core.bulk import insert_audited, new_instance
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import delete_unused, require, save_versioned

from . import status_rules
from .geo import grid_at, grid_ids_at
from .models import Premises, RoadSegment

EDITABLE = ("name", "category", "is_key", "address", "segment", "grid", "building", "credit_code", "licence_number",
            "operator", "contact_name", "contact_phone", "opens_at", "closes_at", "venue_code_status",
            "venue_code_number", "staff_count", "latitude", "longitude", "notes")


def find_segment(road: str, number: int | None, segments=None) -> RoadSegment | None:
    """The segment of `road` whose house-number range (and side) holds `number`."""
    if not road or number is None:
        return None
    candidates = segments.get(road, []) if segments is not None else RoadSegment.objects.filter(
        road=road, from_number__lte=number, to_number__gte=number)
    return next((s for s in candidates if s.covers(number)), None)


def locate(premises: Premises, managed_grids: set[int], segments=None, placed=None) -> None:
    """Place the premises on its segment from its address, and in a grid: the one chosen by hand,
    else the segment's, else the one whose boundary holds its coordinates (looked up in `placed`,
    {(lng, lat): grid id} from `grids_by_coordinates`, when an import found them all at once)."""
    premises.derive()
    if premises.segment_id is None:
        premises.segment = find_segment(premises.address_road, premises.address_number, segments)
    if premises.grid_id is None and premises.segment is not None:
        premises.grid_id = premises.segment.grid_id
    if premises.grid_id is None and premises.latitude is not None and premises.longitude is not None:
        point = (float(premises.longitude), float(premises.latitude))
        if placed is not None:
            premises.grid_id = placed.get(point)
        else:
            found = grid_at(*point)
            premises.grid_id = found.pk if found else None
    if premises.grid_id is None:
        raise ValidationError({"grid": _("Choose a grid: the address matches no road segment and there are no "
                                         "coordinates inside a grid.")})
    if premises.grid_id not in managed_grids:
        raise ValidationError({"grid": _("You do not manage this grid.")})


def managed_grid_ids(actor: User) -> set[int]:
    return set(Area.objects.visible_to(actor).filter(level=AreaLevel.GRID).values_list("pk", flat=True))


def grids_by_coordinates(rows: list[dict]) -> dict[tuple[float, float], int | None]:
    """The grid of every row's coordinates at once (one spatial look-up for the whole import)."""
    points = {(float(r["longitude"]), float(r["latitude"])) for r in rows
              if r.get("latitude") is not None and r.get("longitude") is not None}
    points = sorted(points)
    return dict(zip(points, grid_ids_at(points), strict=True))


def build_premises(managed: set[int], segments=None, placed=None, *, checked: bool = False, **fields) -> Premises:
    """A new premises, placed and checked. `checked`: every value already passed its field's own
    validators (an import checks them per column: ledgers.py, `field_errors`), so only placing is left."""
    premises = new_instance(Premises, {k: v for k, v in fields.items() if k in EDITABLE})
    locate(premises, managed, segments, placed)
    if not checked:
        premises.clean_fields(exclude=["category", "segment", "grid", "building", "contact_phone_hash",
                                       "contact_phone_masked", "address_key", "address_road", "address_number",
                                       "shift"])
    return premises


@transaction.atomic
def register_premises(actor: User, **fields) -> Premises:
    require(actor, Perm.EDIT_PREMISES)
    premises = build_premises(managed_grid_ids(actor), **fields)
    return save_versioned(premises, None)


@transaction.atomic
def register_many(actor: User, premises: list[Premises]) -> list[Premises]:
    """Insert premises built by `build_premises` (imports), in batches, each with its audit entry."""
    require(actor, Perm.EDIT_PREMISES)
    codes = [p.credit_code for p in premises if p.credit_code]
    size = batch_size()
    if len(codes) != len(set(codes)) or any(Premises.objects.filter(credit_code__any=codes[start:start + size]).exists()
                                            for start in range(0, len(codes), size)):
        raise ValidationError({"credit_code": _("Premises with this credit code are already registered.")})
    return insert_audited(premises)


@transaction.atomic
def update_premises(actor: User, premises: Premises, expected_version: int, **fields) -> Premises:
    require(actor, Perm.EDIT_PREMISES)
    relocate = any(k in fields and fields[k] != getattr(premises, k) for k in ("address", "grid", "segment"))
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(premises, name, value)
    if relocate and "segment" not in fields:
        premises.segment = None
    locate(premises, managed_grid_ids(actor))
    return save_versioned(premises, expected_version)


@transaction.atomic
def delete_premises(actor: User, premises: Premises) -> None:
    require(actor, Perm.EDIT_PREMISES)
    delete_unused(premises)


@transaction.atomic
def apply_status(actor: User | None, premises: Premises, status: str, reason: str = "", *, decision: str = "",
                 inspection=None) -> Premises:
    """The one way a premises opens, is suspended, shut or closed — by hand (page, API) or as the
    consequence of an `inspection`, which is then what authorises it. The rules: `status_rules.py`."""
    if inspection is None and (actor is None or not Premises.objects.visible_to(actor).filter(pk=premises.pk).exists()):
        raise PermissionDenied
    locked = Premises.objects.select_for_update().get(pk=premises.pk)
    if locked.status != status:
        basis = status_rules.check(actor, locked, status, basis=reason, decision=decision, inspection=inspection)
        locked.status, locked.status_basis = status, basis[:200]
        locked.status_changed_at = inspection.inspected_at if inspection is not None else timezone.now()
        locked.version += 1
        locked.audit_reason = basis[:200]
        locked.save(update_fields=["status", "status_basis", "status_changed_at", "version", "updated_at"])
    premises.status, premises.version = locked.status, locked.version
    premises.status_basis, premises.status_changed_at = locked.status_basis, locked.status_changed_at
    return locked


@transaction.atomic
def save_segment(actor: User, segment: RoadSegment, expected_version: int | None = None) -> RoadSegment:
    require(actor, Perm.EDIT_PREMISES)
    if segment.grid_id not in managed_grid_ids(actor):
        raise ValidationError({"grid": _("You do not manage this grid.")})
    saved = save_versioned(segment, expected_version)
    # Premises on this road without a segment may now find one.
    orphans = Premises.objects.filter(segment__isnull=True, address_road=segment.road,
                                      address_number__gte=segment.from_number, address_number__lte=segment.to_number)
    for premises in orphans:
        if segment.covers(premises.address_number):
            premises.segment = segment
            premises.save(update_fields=["segment", "updated_at"])
    return saved


@transaction.atomic
def delete_segment(actor: User, segment: RoadSegment) -> None:
    require(actor, Perm.EDIT_PREMISES)
    delete_unused(segment)
