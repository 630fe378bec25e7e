import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core import services as core_services
from wangge.core.ids import Id, Ref, Version
from wangge.core.models import Area, AuditEntry, User
from wangge.core.pagination import Pages
from wangge.core.roles import Perm, Role
from wangge.core.schema import IdNumber, Phone
from wangge.core.services import require
from wangge.core.trail import serialise
from wangge.core.visibility import get_visible_or_404

from . import services
from .choices import ResidentStatus
from .ledgers import PLAIN_FLAGS, ResidentKind
from .models import Compound, Resident

Flag = Literal[Resident.FLAGS]

router = Router(tags=["residents"])


class GridOut(Schema):
    id: int
    code: str
    name: str


class ResidentOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="Masked unless revealed through /reveal")
    phone: str = Field(description="Masked")
    sex: str
    age: int
    birth_date: datetime.date | None = Field(description="Only for roles that may reveal personal data")
    grid: GridOut
    compound_id: int | None
    building: str
    room: str
    household: str
    address: str
    flags: list[str] = Field(description="Health flags only for roles that may reveal personal data")
    family_doctor_id: int | None
    doctor_signed_on: datetime.date | None
    status: str
    merged_into_id: int | None
    version: int

    @staticmethod
    def resolve_birth_date(obj, context):
        return obj.birth_date if context["request"].user.can(Perm.REVEAL_PERSONAL) else None

    @staticmethod
    def resolve_flags(obj, context):
        shown = Resident.FLAGS if context["request"].user.can(Perm.REVEAL_PERSONAL) else PLAIN_FLAGS
        return [f for f in shown if getattr(obj, f)]

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_masked


class ResidentIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    id_number: IdNumber
    phone: Phone = ""
    grid_id: Ref("core.area")
    address: str = Field("", max_length=200)
    family_doctor_id: Ref("core.user") | None = None
    doctor_signed_on: datetime.date | None = None
    status: ResidentStatus = ResidentStatus.LIVING
    compound_id: Ref("community.compound") | None = None
    building: str = Field("", max_length=20)
    room: str = Field("", max_length=20)
    household: str = Field("", max_length=30)
    flags: list[Flag] = []


class ResidentPatch(ResidentIn):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=50)
    id_number: IdNumber | None = None
    grid_id: Ref("core.area") | None = None
    phone: Phone | None = None
    address: str | None = Field(None, max_length=200)
    status: ResidentStatus | None = None
    building: str | None = Field(None, max_length=20)
    room: str | None = Field(None, max_length=20)
    household: str | None = Field(None, max_length=30)
    flags: list[Flag] | None = None


class RevealIn(Schema):
    field: str
    reason: str = Field(min_length=2, max_length=200)


class RevealOut(Schema):
    field: str
    value: str


class AuditOut(Schema):
    at: datetime.datetime
    actor: str
    action: str
    request_id: str
    changes: dict


def _resolve_links(request, data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in services.EDITABLE}
    if data.get("flags") is not None:
        fields.update({f: f in data["flags"] for f in Resident.FLAGS})
    if "compound_id" in data:
        compound_id = data["compound_id"]
        fields["compound"] = Compound.objects.visible_to(request.user).filter(pk=compound_id).first() if (
            compound_id) else None
        if compound_id and fields["compound"] is None:
            raise ValidationError({"compound_id": _("No such compound, or you do not manage it.")})
    if data.get("grid_id") is not None:
        grid = Area.objects.visible_to(request.user).filter(pk=data["grid_id"]).first()
        if grid is None:
            raise ValidationError({"grid_id": _("No such grid, or you do not manage it.")})
        fields["grid"] = grid
    if "family_doctor_id" in data:
        doctor_id = data["family_doctor_id"]
        doctors = User.objects.filter(role_assignments__role=Role.FAMILY_DOCTOR, is_active=True)
        fields["family_doctor"] = doctors.filter(pk=doctor_id).first() if doctor_id else None
        if doctor_id and fields["family_doctor"] is None:
            raise ValidationError({"family_doctor_id": _("No such family doctor.")})
    return fields


def _visible(request):
    require(request.user, Perm.VIEW_RESIDENTS)
    return Resident.objects.visible_to(request.user).select_related("grid")


@router.get("", response=list[ResidentOut], summary="Residents in the user's scope (masked)")
@paginate(Pages, page_size=50)
def list_residents(request, q: str = "", grid_id: Id | None = None, compound_id: Id | None = None,
                   flag: str = ""):
    """`flag` is one of the special groups (lives_alone, low_income; the health flags bedridden, disabled,
    chronic_illness, pregnant only for roles that may reveal personal data, as on the page)."""
    residents = ResidentKind().filter(_visible(request), {"q": q, "grid": grid_id or "", "compound": compound_id or "",
                                                          "flag": flag}, user=request.user)
    return residents.defer("id_number", "phone")


class ResidentSearchIn(Schema):
    q: str = Field("", max_length=50, description="A name, or a full ID or phone number (matched by its hash)")
    grid_id: Ref("core.area") | None = None
    compound_id: Ref("community.compound") | None = None
    flag: str = Field("", max_length=30)


@router.post("/search", response=list[ResidentOut],
             summary="The same list, searched by POST: a full ID or phone number stays out of URLs and logs")
@paginate(Pages, page_size=50)
def search_residents(request, payload: ResidentSearchIn):
    residents = ResidentKind().filter(_visible(request), {
        "q": payload.q, "grid": payload.grid_id or "", "compound": payload.compound_id or "", "flag": payload.flag},
        user=request.user)
    return residents.defer("id_number", "phone")


@router.get("/{int:resident_id}", response=ResidentOut)
def get_resident(request, resident_id: Id):
    return get_visible_or_404(_visible(request).defer("id_number", "phone"), request.user, pk=resident_id)


@router.post("", response={201: ResidentOut}, summary="Register a resident")
def create_resident(request, payload: ResidentIn):
    require(request.user, Perm.EDIT_RESIDENTS)
    resident = services.register_resident(request.user, **_resolve_links(request, payload.dict()))
    return Status(201, resident)


@router.patch("/{int:resident_id}", response=ResidentOut, summary="Edit a resident (send the version you read)")
def update_resident(request, resident_id: Id, payload: ResidentPatch):
    resident = get_visible_or_404(_visible(request), request.user, pk=resident_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_resident(request.user, resident, version, **_resolve_links(request, data))


@router.post("/{int:resident_id}/reveal", response=RevealOut, summary="Reveal one full value (logged)")
def reveal(request, resident_id: Id, response: HttpResponse, payload: RevealIn):
    add_never_cache_headers(response)  # the full value must not stay in a browser's or a proxy's cache
    resident = get_visible_or_404(_visible(request), request.user, pk=resident_id)
    value = core_services.reveal(request.user, resident, payload.field, payload.reason)
    return {"field": payload.field, "value": value}


@router.get("/{int:resident_id}/audit", response=list[AuditOut], summary="变更记录 of a resident")
def audit_trail(request, resident_id: Id):
    require(request.user, Perm.VIEW_AUDIT)
    resident = get_visible_or_404(_visible(request), request.user, pk=resident_id)
    return [serialise(e) for e in AuditEntry.objects.for_object(resident)[:500]]
