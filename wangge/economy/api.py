"""/api/v1/parks, /api/v1/enterprises and /api/v1/enterprise-visits."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core import services as core_services
from wangge.core.ids import Days, Id, Ref, Version
from wangge.core.models import Area, Department
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.schema import CreditCode, Phone
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404
from wangge.workorders.choices import State

from . import figures, services
from .choices import DemandCategory, EnterpriseStatus, Impact, ImpactArea, Industry, OperatingStatus, Size
from .filters import days_param, filter_enterprises
from .models import Enterprise, EnterpriseVisit, Park

parks_router = Router(tags=["parks"])
enterprises_router = Router(tags=["enterprises"])
visits_router = Router(tags=["enterprise visits"])


def _one(queryset, pk, field):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Not found, or outside your area.")})
    return found


# --- parks ------------------------------------------------------------------------------------

class ParkOut(Schema):
    id: int
    name: str
    area_id: int
    department_id: int | None
    address: str
    notes: str
    version: int


class ParkIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    area_id: Ref("core.area")
    department_id: Ref("core.department") | None = None
    address: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class ParkPatch(ParkIn):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=100)
    area_id: Ref("core.area") | None = None


def _parks(request):
    require(request.user, Perm.VIEW_ENTERPRISES)
    return Park.objects.visible_to(request.user)


def _park_fields(request, data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in ("name", "address", "notes")}
    if data.get("area_id") is not None:
        fields["area"] = _one(Area.objects.choosable_by(request.user), data["area_id"], "area_id")
    if "department_id" in data:
        fields["department"] = _one(Department.objects.choosable_by(request.user), data["department_id"],
                                    "department_id")
    return fields


@parks_router.get("", response=list[ParkOut], summary="Parks in the user's scope")
@paginate(Pages, page_size=50)
def list_parks(request):
    return _parks(request).order_by("name")


@parks_router.get("/{int:park_id}", response=ParkOut)
def get_park(request, park_id: Id):
    return get_visible_or_404(_parks(request), request.user, pk=park_id)


@parks_router.post("", response={201: ParkOut}, summary="Register a park")
def create_park(request, payload: ParkIn):
    require(request.user, Perm.EDIT_ENTERPRISES)
    return Status(201, services.save_park(request.user, Park(**_park_fields(request, payload.dict()))))


@parks_router.patch("/{int:park_id}", response=ParkOut, summary="Edit a park (send the version you read)")
def update_park(request, park_id: Id, payload: ParkPatch):
    require(request.user, Perm.EDIT_ENTERPRISES)
    park = get_visible_or_404(_parks(request), request.user, pk=park_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name, value in _park_fields(request, data).items():
        setattr(park, name, value)
    return services.save_park(request.user, park, version)


# --- enterprises ------------------------------------------------------------------------------

class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    industry: str
    size: str
    address: str
    grid_id: int
    park_id: int | None
    contact_name: str
    contact_phone: str = Field(description="Masked")
    employees: int | None
    status: str
    notes: str
    version: int

    @staticmethod
    def resolve_contact_phone(obj):
        return obj.contact_phone_masked


class DemandOut(Schema):
    id: int = Field(description="The work order's id (/api/v1/workorders/{id})")
    category: str
    title: str
    description: str
    state: str
    department_id: int | None
    deadline: datetime.date
    satisfaction: str
    satisfaction_source: str = Field(description="requester: the enterprise's own rating (its link); staff: "
                                     "entered by staff; empty: no answer")
    closed_at: datetime.datetime | None


class EnterpriseDetail(EnterpriseOut):
    open_demands: list[DemandOut]
    closed_demands: list[DemandOut]


class EnterpriseIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    credit_code: CreditCode = Field(min_length=18)
    industry: Industry = Industry.OTHER
    size: Size = Size.SMALL
    address: str = Field(min_length=1, max_length=200)
    grid_id: Ref("core.area")
    park_id: Ref("economy.park") | None = None
    contact_name: str = Field("", max_length=50)
    contact_phone: Phone = ""
    employees: int | None = Field(None, ge=0, le=1000000)
    status: EnterpriseStatus = EnterpriseStatus.ACTIVE
    notes: str = Field("", max_length=5000)


class EnterprisePatch(EnterpriseIn):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=100)
    credit_code: CreditCode | None = Field(None, min_length=18)
    industry: Industry | None = None
    size: Size | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    grid_id: Ref("core.area") | None = None
    status: EnterpriseStatus | None = None


class EnterpriseFilters(Schema):
    q: str = ""
    park: str = ""
    grid: Id | None = None
    status: EnterpriseStatus | None = None
    industry: Industry | None = None
    size: Size | None = None


class EnterpriseRevealIn(Schema):
    field: str
    reason: str = Field(min_length=2, max_length=200)


class EnterpriseRevealOut(Schema):
    field: str
    value: str


class NotVisitedOut(EnterpriseOut):
    last_visit: datetime.date | None


def _enterprises(request):
    require(request.user, Perm.VIEW_ENTERPRISES)
    return Enterprise.objects.visible_to(request.user)


def _enterprise_fields(request, data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in services.ENTERPRISE_FIELDS and k not in ("grid", "park")}
    if data.get("grid_id") is not None:
        fields["grid"] = _one(Area.objects.choosable_by(request.user), data["grid_id"], "grid_id")
    if "park_id" in data:
        fields["park"] = _one(Park.objects.visible_to(request.user), data["park_id"], "park_id")
    return fields


@enterprises_router.get("", response=list[EnterpriseOut], summary="Enterprises in the user's scope")
@paginate(Pages, page_size=50)
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    params = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    return filter_enterprises(_enterprises(request), params).defer("contact_phone")


@enterprises_router.get("/not-visited", response=list[NotVisitedOut],
                        summary="Enterprises in business not visited in the last `days` days (default 30)")
@paginate(Pages, page_size=50)
def list_not_visited(request, days: Days = figures.DEFAULT_DAYS):
    rows = figures.not_visited(_enterprises(request), days_param({"days": days}), timezone.localdate())
    return rows.defer("contact_phone")


@enterprises_router.get("/figures", summary="Visit coverage, demands by category and state, median time to "
                        "answer (days), satisfaction")
def get_figures(request, days: Days = figures.DEFAULT_DAYS):
    return figures.overview(request.user, _enterprises(request), days_param({"days": days}), timezone.localdate())


def _detail(request, enterprise: Enterprise) -> Enterprise:
    orders = list(figures.demand_orders_for(request.user).filter(subject_id=enterprise.pk)
                  .order_by("-created_at", "-id")[:500])
    enterprise.open_demands = [o for o in orders if o.state != State.CLOSED]
    enterprise.closed_demands = [o for o in orders if o.state == State.CLOSED]
    return enterprise


@enterprises_router.get("/{int:enterprise_id}", response=EnterpriseDetail,
                        summary="One enterprise with its demands (open, and closed with the satisfaction answer)")
def get_enterprise(request, enterprise_id: Id):
    enterprise = get_visible_or_404(_enterprises(request).defer("contact_phone"), request.user, pk=enterprise_id)
    return _detail(request, enterprise)


@enterprises_router.post("", response={201: EnterpriseOut}, summary="Register an enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    require(request.user, Perm.EDIT_ENTERPRISES)
    enterprise = Enterprise(**_enterprise_fields(request, payload.dict()))
    return Status(201, services.save_enterprise(request.user, enterprise))


@enterprises_router.patch("/{int:enterprise_id}", response=EnterpriseOut,
                          summary="Edit an enterprise (send the version you read)")
def update_enterprise(request, enterprise_id: Id, payload: EnterprisePatch):
    require(request.user, Perm.EDIT_ENTERPRISES)
    enterprise = get_visible_or_404(_enterprises(request), request.user, pk=enterprise_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name, value in _enterprise_fields(request, data).items():
        setattr(enterprise, name, value)
    return services.save_enterprise(request.user, enterprise, version)


@enterprises_router.post("/{int:enterprise_id}/reveal", response=EnterpriseRevealOut,
                         summary="Reveal the contact phone (logged)")
def reveal(request, enterprise_id: Id, response: HttpResponse, payload: EnterpriseRevealIn):
    add_never_cache_headers(response)  # the full value must not stay in a browser's or a proxy's cache
    enterprise = get_visible_or_404(_enterprises(request), request.user, pk=enterprise_id)
    return {"field": payload.field, "value": core_services.reveal(request.user, enterprise, payload.field,
                                                                   payload.reason)}


# --- visits -----------------------------------------------------------------------------------

class EnterpriseVisitOut(Schema):
    id: int
    enterprise_id: int
    visited_on: datetime.date
    visitors: str
    operating_status: str
    staff_back_percent: int | None
    impact: str
    impact_areas: list[str]
    problems: str
    client_id: uuid.UUID | None
    version: int


class EnterpriseVisitDetail(EnterpriseVisitOut):
    demands: list[DemandOut]


class DemandIn(Schema):
    category: DemandCategory
    text: str = Field(min_length=1, max_length=2000)


class EnterpriseVisitIn(Schema):
    enterprise_id: Ref("economy.enterprise")
    visited_on: datetime.date
    visitors: str = Field(min_length=1, max_length=200)
    operating_status: OperatingStatus
    staff_back_percent: int | None = Field(None, ge=0, le=100)
    impact: Impact
    impact_areas: list[ImpactArea] = []
    problems: str = Field("", max_length=10000)
    demands: list[DemandIn] = Field([], max_length=20)
    client_id: uuid.UUID | None = Field(None, description="Generated by the client; a retried POST with the same id "
                                        "returns the visit already made")


def _visits(request):
    require(request.user, Perm.VIEW_ENTERPRISES)
    return EnterpriseVisit.objects.visible_to(request.user)


def _visit_detail(request, visit: EnterpriseVisit) -> EnterpriseVisit:
    from django.contrib.contenttypes.models import ContentType

    from wangge.workorders.models import WorkOrder

    visit.demands = list(WorkOrder.objects.visible_to(request.user).filter(
        source_type=ContentType.objects.get_for_model(EnterpriseVisit), source_id=visit.pk).order_by("id"))
    return visit


@visits_router.get("", response=list[EnterpriseVisitOut], summary="Enterprise visits in the user's scope")
@paginate(Pages, page_size=50)
def list_visits(request, enterprise: Id | None = None):
    rows = _visits(request)
    return rows.filter(enterprise_id=enterprise) if enterprise else rows


@visits_router.get("/{int:visit_id}", response=EnterpriseVisitDetail, summary="One visit with its demands")
def get_visit(request, visit_id: Id):
    return _visit_detail(request, get_visible_or_404(_visits(request), request.user, pk=visit_id))


@visits_router.post("", response={200: EnterpriseVisitDetail, 201: EnterpriseVisitDetail},
                    summary="Record a visit; each demand becomes a work order routed by its category. 200 with "
                    "the earlier visit when the client_id was already used by the caller")
def create_visit(request, payload: EnterpriseVisitIn):
    require(request.user, Perm.VISIT_ENTERPRISES)
    enterprise = _one(Enterprise.objects.visible_to(request.user).select_related("grid"), payload.enterprise_id,
                      "enterprise_id")
    visit, created = services.record_visit(
        request.user, enterprise, visited_on=payload.visited_on, visitors=payload.visitors,
        operating_status=payload.operating_status, staff_back_percent=payload.staff_back_percent,
        impact=payload.impact, impact_areas=[str(a) for a in payload.impact_areas], problems=payload.problems,
        demands=[services.Demand(str(d.category), d.text) for d in payload.demands], client_id=payload.client_id)
    return Status(201 if created else 200, _visit_detail(request, visit))
