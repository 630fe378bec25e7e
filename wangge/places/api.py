from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.coords import System, stored_point
from wangge.core.ids import Id, Ref, Version
from wangge.core.models import Area, User
from wangge.core.pagination import Pages
from wangge.core.roles import Perm, Role
from wangge.core.schema import CreditCode, LocalTime, Phone
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import services
from .choices import PremisesStatus, Side, VenueCodeStatus
from .filters import filter_premises, filter_segments
from .models import Premises, PremisesCategory, RoadSegment

router = Router(tags=["premises"])
segments_router = Router(tags=["road segments"])


class PremisesOut(Schema):
    id: int
    name: str
    category_id: int
    is_key: bool
    address: str
    address_road: str
    address_number: int | None
    segment_id: int | None
    grid_id: int
    building_id: int | None
    credit_code: str
    licence_number: str
    operator: str
    contact_name: str
    contact_phone: str = Field(description="Masked")
    opens_at: LocalTime | None
    closes_at: LocalTime | None
    shift: str
    venue_code_status: str
    venue_code_number: str
    staff_count: int | None
    status: str
    latitude: Decimal | None
    longitude: Decimal | None
    notes: str
    version: int

    @staticmethod
    def resolve_contact_phone(obj):
        return obj.contact_phone_masked


class PremisesIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    category_id: Ref("places.premisescategory")
    is_key: bool = True
    address: str = Field(min_length=1, max_length=200)
    segment_id: Ref("places.roadsegment") | None = None
    grid_id: Ref("core.area") | None = None
    building_id: Ref("places.premises") | None = None
    credit_code: CreditCode = ""
    licence_number: str = Field("", max_length=50)
    operator: str = Field("", max_length=100)
    contact_name: str = Field("", max_length=50)
    contact_phone: Phone = ""
    opens_at: LocalTime | None = None
    closes_at: LocalTime | None = None
    venue_code_status: VenueCodeStatus = VenueCodeStatus.NOT_APPLIED
    venue_code_number: str = Field("", max_length=50)
    staff_count: int | None = Field(None, ge=0, le=100000)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    coordinate_system: System = Field(
        System.WGS84, description="The system `latitude` and `longitude` are given in (gcj02 from 高德/腾讯, bd09 from "
                                  "百度); they are stored and returned as WGS-84")
    notes: str = Field("", max_length=5000)


class PremisesPatch(PremisesIn):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=100)
    category_id: Ref("places.premisescategory") | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    is_key: bool | None = None
    venue_code_status: VenueCodeStatus | None = None


class PremisesFilters(Schema):
    q: str = ""
    category: Id | None = None
    grid: Id | None = None
    segment: str = ""
    status: PremisesStatus | None = None
    venue_code_status: VenueCodeStatus | None = None
    shift: str = ""
    key: str = ""
    sort: str = ""


class PremisesStatusIn(Schema):
    status: PremisesStatus
    reason: str = Field("", max_length=200, description="The legal basis (shut, suspend) or reason (closed)")
    decision: str = Field("", max_length=200, description="The decision document lifting a shutdown")


def _links(request, data: dict) -> dict:
    """Turn ids into rows the caller may use; an id outside scope is a field error, not a leak."""
    fields = {k: v for k, v in data.items() if k in services.EDITABLE}
    system = data.get("coordinate_system") or System.WGS84
    if system not in (System.WGS84, System.CGCS2000):
        if fields.get("latitude") is None or fields.get("longitude") is None:
            raise ValidationError(
                {"coordinate_system": _("Send both latitude and longitude with a coordinate system.")})
        fields["latitude"], fields["longitude"] = stored_point(fields["latitude"], fields["longitude"], system)
    lookups = {"category_id": ("category", PremisesCategory.objects.all()),
               "grid_id": ("grid", Area.objects.visible_to(request.user)),
               "segment_id": ("segment", RoadSegment.objects.visible_to(request.user)),
               "building_id": ("building", Premises.objects.visible_to(request.user))}
    for key, (field, queryset) in lookups.items():
        if key in data:
            if data[key] is None:
                fields[field] = None
                continue
            fields[field] = queryset.filter(pk=data[key]).first()
            if fields[field] is None:
                raise ValidationError({key: _("Not found, or outside your area.")})
    return fields


def _visible(request):
    require(request.user, Perm.VIEW_PREMISES)
    return Premises.objects.visible_to(request.user)


@router.get("", response=list[PremisesOut], summary="Premises in the user's scope, with the list page's filters")
@paginate(Pages, page_size=50)
def list_premises(request, filters: Query[PremisesFilters]):
    params = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    return filter_premises(_visible(request), params).defer("contact_phone")


@router.get("/{int:premises_id}", response=PremisesOut)
def get_premises(request, premises_id: Id):
    return get_visible_or_404(_visible(request).defer("contact_phone"), request.user, pk=premises_id)


@router.post("", response={201: PremisesOut}, summary="Register premises")
def create_premises(request, payload: PremisesIn):
    require(request.user, Perm.EDIT_PREMISES)
    return Status(201, services.register_premises(request.user, **_links(request, payload.dict())))


@router.patch("/{int:premises_id}", response=PremisesOut, summary="Edit premises (send the version you read)")
def update_premises(request, premises_id: Id, payload: PremisesPatch):
    premises = get_visible_or_404(_visible(request), request.user, pk=premises_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_premises(request.user, premises, version, **_links(request, data))


@router.post("/{int:premises_id}/status", response=PremisesOut, summary="Change the operating status")
def change_status(request, premises_id: Id, payload: PremisesStatusIn):
    premises = get_visible_or_404(_visible(request), request.user, pk=premises_id)
    return services.apply_status(request.user, premises, payload.status, payload.reason, decision=payload.decision)


@router.delete("/{int:premises_id}", response={204: None})
def delete_premises(request, premises_id: Id):
    premises = get_visible_or_404(_visible(request), request.user, pk=premises_id)
    services.delete_premises(request.user, premises)
    return Status(204, None)


class SegmentOut(Schema):
    id: int
    road: str
    from_number: int
    to_number: int
    side: str
    grid_id: int
    chief_id: int | None
    notes: str
    version: int


class SegmentIn(Schema):
    road: str = Field(min_length=1, max_length=50)
    from_number: int = Field(ge=0, le=100000)
    to_number: int = Field(ge=0, le=100000)
    side: Side = Side.BOTH
    grid_id: Ref("core.area")
    chief_id: Ref("core.user") | None = None
    notes: str = Field("", max_length=200)


class SegmentPatch(SegmentIn):
    version: Version
    road: str | None = Field(None, min_length=1, max_length=50)
    from_number: int | None = Field(None, ge=0, le=100000)
    to_number: int | None = Field(None, ge=0, le=100000)
    side: Side | None = None
    grid_id: Ref("core.area") | None = None


def _segment_fields(request, data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in ("road", "from_number", "to_number", "side", "notes")}
    if data.get("grid_id") is not None:
        fields["grid"] = Area.objects.visible_to(request.user).filter(pk=data["grid_id"]).first()
        if fields["grid"] is None:
            raise ValidationError({"grid_id": _("Not found, or outside your area.")})
    if "chief_id" in data:
        chiefs = User.objects.filter(role_assignments__role=Role.GRID_WORKER, is_active=True)
        fields["chief"] = chiefs.filter(pk=data["chief_id"]).first() if data["chief_id"] else None
        if data["chief_id"] and fields["chief"] is None:
            raise ValidationError({"chief_id": _("Not found, or outside your area.")})
    return fields


def _segments(request):
    require(request.user, Perm.VIEW_PREMISES)
    return RoadSegment.objects.visible_to(request.user)


@segments_router.get("", response=list[SegmentOut])
@paginate(Pages, page_size=100)
def list_segments(request, q: str = "", grid: Id | None = None, chief: str = ""):
    return filter_segments(_segments(request), {"q": q, "grid": grid or "", "chief": chief})


@segments_router.get("/{int:segment_id}", response=SegmentOut)
def get_segment(request, segment_id: Id):
    return get_visible_or_404(_segments(request), request.user, pk=segment_id)


@segments_router.post("", response={201: SegmentOut})
def create_segment(request, payload: SegmentIn):
    require(request.user, Perm.EDIT_PREMISES)
    return Status(201, services.save_segment(request.user, RoadSegment(**_segment_fields(request, payload.dict()))))


@segments_router.patch("/{int:segment_id}", response=SegmentOut)
def update_segment(request, segment_id: Id, payload: SegmentPatch):
    segment = get_visible_or_404(_segments(request), request.user, pk=segment_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name, value in _segment_fields(request, data).items():
        setattr(segment, name, value)
    return services.save_segment(request.user, segment, version)


@segments_router.delete("/{int:segment_id}", response={204: None})
def delete_segment(request, segment_id: Id):
    services.delete_segment(request.user, get_visible_or_404(_segments(request), request.user, pk=segment_id))
    return Status(204, None)
