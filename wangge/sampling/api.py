"""The sampling API: staff endpoints in the caller's scope, and one public endpoint without login."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.ids import Id, Ref, Version
from wangge.core.models import Area, AreaLevel
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.schema import LocalTime
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import ratelimit, services
from .choices import ShiftName, SiteStatus, SiteType
from .hours import Period, state
from .models import SamplingSite, SiteShift
from .public import public_sites

router = Router(tags=["sampling sites"])
public_router = Router(tags=["public"])


class PeriodSchema(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    opens: LocalTime
    closes: LocalTime = Field(description="At or before `opens`: the period runs past midnight")


class SiteOut(Schema):
    id: int
    code: str
    name: str
    address: str
    grid_id: int
    latitude: Decimal | None
    longitude: Decimal | None
    site_type: str
    status: str
    status_reason: str
    capacity_per_hour: int
    heat_measures: str
    wait_minutes: int | None
    wait_set_at: datetime.datetime | None
    open_now: bool
    hours: list[PeriodSchema]
    version: int

    @staticmethod
    def resolve_hours(obj):
        return [{"weekday": p.weekday, "opens": p.opens, "closes": p.closes} for p in obj.periods()]

    @staticmethod
    def resolve_open_now(obj):
        from django.utils import timezone

        return state(obj.periods(), obj.status, timezone.now()).open_now


class SiteIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    address: str = Field(min_length=1, max_length=200)
    grid_id: Ref("core.area")
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    site_type: SiteType = SiteType.ROUTINE
    capacity_per_hour: int = Field(0, ge=0, le=100000)
    heat_measures: str = Field("", max_length=2000)
    hours: list[PeriodSchema] | None = Field(None, max_length=70)


class SitePatch(SiteIn):
    version: Version
    code: str | None = Field(None, min_length=1, max_length=32)
    name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, min_length=1, max_length=200)
    grid_id: Ref("core.area") | None = None
    site_type: SiteType | None = None
    capacity_per_hour: int | None = Field(None, ge=0, le=100000)
    heat_measures: str | None = Field(None, max_length=2000)


class SiteStatusIn(Schema):
    status: SiteStatus
    reason: str = Field("", max_length=200)


class WaitIn(Schema):
    minutes: int = Field(ge=0, le=services.MAX_WAIT)


class ShiftIn(Schema):
    date: datetime.date
    shift: ShiftName
    samples: int = Field(ge=0, le=services.MAX_COUNT)
    staff_count: int = Field(ge=0, le=services.MAX_COUNT)
    volunteer_count: int = Field(ge=0, le=services.MAX_COUNT)


class ShiftOut(Schema):
    id: int
    site_id: int
    date: datetime.date
    shift: str
    samples: int
    staff_count: int
    volunteer_count: int
    version: int


class ShiftResult(ShiftOut):
    result: str = Field(description="created, updated or unchanged")


def _visible(request):
    require(request.user, Perm.VIEW_SAMPLING)
    return SamplingSite.objects.visible_to(request.user).prefetch_related("hours")


def _fields(request, data: dict) -> tuple[dict, list[Period] | None]:
    fields = {k: v for k, v in data.items() if k in services.EDITABLE}
    if data.get("grid_id") is not None:
        fields["grid"] = Area.objects.visible_to(request.user).filter(pk=data["grid_id"], level=AreaLevel.GRID).first()
        if fields["grid"] is None:
            raise ValidationError({"grid_id": _("Not found, or outside your area.")})
    hours = data.get("hours")
    periods = None if hours is None else [Period(h["weekday"], h["opens"], h["closes"]) for h in hours]
    return fields, periods


@router.get("", response=list[SiteOut], summary="Sampling sites in the caller's scope")
@paginate(Pages, page_size=50)
def list_sites(request, q: str = "", status: SiteStatus | None = None):
    rows = _visible(request)
    if q.strip():
        rows = rows.filter(name__icontains=q.strip())
    if status:
        rows = rows.filter(status=status)
    return rows


@router.get("/{int:site_id}", response=SiteOut)
def get_site(request, site_id: Id):
    return get_visible_or_404(_visible(request), request.user, pk=site_id)


@router.post("", response={201: SiteOut}, summary="Add a sampling site (with its weekly hours)")
def create_site(request, payload: SiteIn):
    require(request.user, Perm.EDIT_SAMPLING)
    fields, periods = _fields(request, payload.dict())
    site = services.save_site(request.user, SamplingSite(**fields), None, hours=periods or [])
    return Status(201, SamplingSite.objects.prefetch_related("hours").get(pk=site.pk))


@router.patch("/{int:site_id}", response=SiteOut, summary="Edit a site (send the version you read)")
def update_site(request, site_id: Id, payload: SitePatch):
    require(request.user, Perm.EDIT_SAMPLING)  # 403 before the look-up, as on the pages
    site = get_visible_or_404(_visible(request), request.user, pk=site_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    fields, periods = _fields(request, data)
    for name, value in fields.items():
        setattr(site, name, value)
    services.save_site(request.user, site, version, hours=periods)
    return SamplingSite.objects.prefetch_related("hours").get(pk=site.pk)


@router.post("/{int:site_id}/status", response=SiteOut, summary="Open, pause or close a site (with a reason)")
def change_status(request, site_id: Id, payload: SiteStatusIn):
    require(request.user, Perm.EDIT_SAMPLING)  # 403 before the look-up, as on the pages
    site = get_visible_or_404(_visible(request), request.user, pk=site_id)
    services.set_status(request.user, site, payload.status, payload.reason)
    return SamplingSite.objects.prefetch_related("hours").get(pk=site.pk)


@router.post("/{int:site_id}/wait", response=SiteOut, summary="Set the current waiting time")
def set_wait(request, site_id: Id, payload: WaitIn):
    require(request.user, Perm.REPORT_SAMPLING)  # 403 before the look-up, as on the pages
    site = get_visible_or_404(_visible(request), request.user, pk=site_id)
    services.set_wait(request.user, site, payload.minutes)
    return SamplingSite.objects.prefetch_related("hours").get(pk=site.pk)


@router.get("/{int:site_id}/shifts", response=list[ShiftOut], summary="A site's shifts, newest first")
@paginate(Pages, page_size=100)
def list_shifts(request, site_id: Id, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    site = get_visible_or_404(_visible(request), request.user, pk=site_id)
    rows = SiteShift.objects.filter(site=site)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    return rows


@router.post("/{int:site_id}/shifts", response=ShiftResult, summary="Enter or correct one shift's figures")
def record_shift(request, site_id: Id, payload: ShiftIn):
    require(request.user, Perm.REPORT_SAMPLING)  # 403 before the look-up, as on the pages
    site = get_visible_or_404(_visible(request), request.user, pk=site_id)
    row, result = services.record_shift(request.user, site, payload.date, payload.shift, samples=payload.samples,
                                        staff_count=payload.staff_count, volunteer_count=payload.volunteer_count)
    row.result = result
    return row


class PublicPeriod(Schema):
    weekday: int
    label: str
    text: str


class PublicSite(Schema):
    id: int
    name: str
    address: str
    area: str
    site_type: str
    site_type_label: str
    status: str
    status_label: str
    status_reason: str
    latitude: float | None
    longitude: float | None
    open_now: bool
    opens_soon: bool
    closes_at: str | None
    opens_at: str | None
    hours_today: str
    hours_week: list[PublicPeriod]
    wait_minutes: int | None
    wait_set_at: str | None
    wait_stale: bool


class PublicList(Schema):
    items: list[PublicSite]
    count: int


def too_many_requests(retry_after: int):
    # The API's one error shape, built here because domain apps do not import the api package.
    response = JsonResponse({"detail": _("Too many requests. Try again in a minute.")}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@public_router.get("/sampling-sites", auth=None, response=PublicList,
                   summary="Sampling sites for the public: hours, open now, waiting time; no login, rate limited")
def public_sampling_sites(request):
    allowed, retry_after = ratelimit.allow(request, "sampling-public")
    if not allowed:
        return too_many_requests(retry_after)
    items = public_sites()
    return {"items": items, "count": len(items)}
