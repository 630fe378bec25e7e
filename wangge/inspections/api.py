"""API for campaigns, teams, tasks, inspections (photos included, as base64 in the JSON body so one
request is one idempotent submission) and look-back rounds."""

import base64
import binascii
import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.ids import Id, Number, Ref, Refs, TownRef
from wangge.core.models import Area, Department, User
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_by_label, get_visible_or_404
from wangge.places.models import Premises, PremisesCategory

from . import photos as photo_files
from . import services
from .choices import CampaignStatus, InspectionKind, LadderStep, Outcome, Shift, TaskReason, TaskState
from .models import Campaign, Checklist, Inspection, Photo, RiskScore, Task, Team
from .planning import plan_campaign
from .summary import campaign_summary, coverage

campaigns_router = Router(tags=["campaigns"])
tasks_router = Router(tags=["inspection tasks"])
inspections_router = Router(tags=["inspections"])
checklists_router = Router(tags=["checklists"])


# --- schemas --------------------------------------------------------------------------------

class ChecklistItemOut(Schema):
    id: int
    order: int
    code: str
    text: str
    kind: str
    choices: list[str]
    violation_values: list[str]
    violation_min: float | None
    violation_max: float | None
    at_least_item: str
    severity: str
    required: bool
    photo_required_when_violated: bool
    category_ids: list[int]
    department_id: int | None = Field(None, description="The regulating unit; empty: the checklist's")

    @staticmethod
    def resolve_category_ids(obj):
        return [c.pk for c in obj.categories.all()]


class ChecklistOut(Schema):
    id: int
    code: str
    revision: int
    is_current: bool
    name: str
    description: str
    department_id: int | None = Field(None, description="The regulating unit; empty: the premises category's")
    version: int


class ChecklistDetail(ChecklistOut):
    items: list[ChecklistItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.prefetch_related("categories"))


class CampaignOut(Schema):
    id: int
    town_id: int = Field(description="The town the campaign belongs to; it reaches that town's premises only")
    kind: str
    parent_id: int | None
    name: str
    plan: str
    starts_on: datetime.date
    ends_on: datetime.date
    checklist_id: int
    key_only: bool
    status: str
    sample_share: int
    sample_seed: int
    category_ids: list[int]
    area_ids: list[int]
    department_ids: list[int]
    version: int

    @staticmethod
    def resolve_category_ids(obj):
        return [c.pk for c in obj.categories.all()]

    @staticmethod
    def resolve_area_ids(obj):
        return [a.pk for a in obj.areas.all()]

    @staticmethod
    def resolve_department_ids(obj):
        return [d.pk for d in obj.departments.all()]


class CampaignIn(Schema):
    town_id: TownRef | None = Field(None, description="One of your towns; empty: your only town")
    name: str = Field(min_length=1, max_length=100)
    plan: str = Field("", max_length=20000)
    starts_on: datetime.date
    ends_on: datetime.date
    checklist_id: Ref("inspections.checklist")
    key_only: bool = True
    status: CampaignStatus = CampaignStatus.DRAFT
    sample_share: int = Field(20, ge=0, le=100)
    sample_seed: int = Field(2022, ge=0, le=2**31 - 1)
    category_ids: Refs("places.premisescategory") = []
    area_ids: Refs("core.area") = []
    department_ids: Refs("core.department") = []


class SummaryOut(Schema):
    campaign: int
    in_scope: int
    inspected: int
    not_yet: int
    compliant: int
    fixed_on_the_spot: int
    rectification_orders: int
    rectification_open: int
    rectification_overdue: int
    rectification_passed: int
    suspended: int
    shutdowns: int
    reinspections: int
    people_deployed: int
    day_inspections: int
    night_inspections: int
    flagged: int = Field(description="Flagged as implausible and still counted (to check or confirmed)")
    flagged_unreviewed: int = Field(description="Flagged and not yet reviewed")
    voided: int = Field(description="Voided after review: counted nowhere")
    papers: dict[str, int] = Field(default_factory=dict,
                                   description="Enforcement papers its inspections gave, by kind (void ones left out)")


class CampaignCoverageOut(Schema):
    label: str
    in_scope: int
    inspected: int
    not_yet: int
    percent: int


class TeamOut(Schema):
    id: int
    name: str
    shift: str
    member_ids: list[int]
    version: int

    @staticmethod
    def resolve_member_ids(obj):
        return [m.pk for m in obj.members.all()]


class TeamIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    shift: Shift
    member_ids: Refs("core.user") = Field(min_length=1, max_length=50)


class PlanOut(Schema):
    created: int
    removed: int
    assigned: int
    kept: int
    unassigned: dict[str, int]


class TaskOut(Schema):
    id: int
    campaign_id: int
    premises_id: int
    premises_name: str
    premises_address: str
    grid_id: int
    team_id: int | None
    shift: str
    planned_on: datetime.date | None
    state: str
    reason: str
    note: str
    work_order_id: int | None
    inspection_id: int | None
    checklist_id: int
    version: int

    @staticmethod
    def resolve_premises_name(obj):
        return obj.premises.name

    @staticmethod
    def resolve_premises_address(obj):
        return obj.premises.address

    @staticmethod
    def resolve_grid_id(obj):
        return obj.premises.grid_id

    @staticmethod
    def resolve_checklist_id(obj):
        return obj.campaign.checklist_id


class TaskFilters(Schema):
    state: TaskState | None = None
    shift: Shift | None = None
    reason: TaskReason | None = None
    team: Id | None = None
    grid: Id | None = None


class LookbackIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    starts_on: datetime.date
    ends_on: datetime.date
    share: int | None = Field(None, ge=0, le=100)
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class AnswerOut(Schema):
    item_code: str
    value: str
    is_violation: bool

    @staticmethod
    def resolve_item_code(obj):
        return obj.item.code


class PhotoOut(Schema):
    id: int
    item_code: str
    width: int
    height: int
    url: str
    thumbnail_url: str

    @staticmethod
    def resolve_item_code(obj):
        return obj.item.code if obj.item_id else ""

    @staticmethod
    def resolve_url(obj):
        return f"/api/v1/inspections/{obj.inspection_id}/photos/{obj.pk}"

    @staticmethod
    def resolve_thumbnail_url(obj):
        return f"/api/v1/inspections/{obj.inspection_id}/photos/{obj.pk}?size=thumb"


class FlagOut(Schema):
    code: str
    text: str
    params: dict


class InspectionOut(Schema):
    id: int
    client_id: uuid.UUID
    kind: str
    campaign_id: int | None
    task_id: int | None
    team_id: int | None
    premises_id: int | None
    subject: str | None = Field(description="`app.model:id` of a subject other than a premises")
    subject_label: str
    grid_id: int
    checklist_id: int
    inspected_at: datetime.datetime
    shift: str
    submitted_by_id: int | None
    inspector_ids: list[int]
    questioned: str
    notes: str
    latitude: float | None = Field(description="Where the phone was (WGS-84), when it gave a position")
    longitude: float | None
    accuracy_m: int | None = Field(description="The phone's own estimate of that position's error, in metres")
    violation_count: int
    outcome: str
    fixed_description: str
    rectification_items: str
    deadline: datetime.date | None
    suspended: bool
    legal_reason: str
    work_order_id: int | None
    reinspection_of_id: int | None
    passed: bool | None
    flags: list[FlagOut] = Field(description="Why the submission looks implausible (kept and counted until voided)")
    flag_review: str = Field(description="'' (no flag), pending, confirmed or voided")
    reviewed_by_id: int | None
    reviewed_at: datetime.datetime | None
    review_reason: str

    @staticmethod
    def resolve_flags(obj):
        from .plausibility import explain

        return [{"code": f["code"], "text": explain(f), "params": f.get("params", {})} for f in obj.flags]

    @staticmethod
    def resolve_inspector_ids(obj):
        return [u.pk for u in obj.inspectors.all()]

    @staticmethod
    def resolve_subject(obj):
        if obj.subject_type_id is None:
            return None
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}:{obj.subject_id}"


class InspectionDetail(InspectionOut):
    answers: list[AnswerOut]
    photos: list[PhotoOut]

    # A submission holds its answers and photos with their items (services.submit_inspection): those are used.
    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all() if _held(obj, "answers") else obj.answers.select_related("item"))

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all() if _held(obj, "photos") else obj.photos.select_related("item"))


def _held(obj, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


class PhotoIn(Schema):
    item: str = Field("", max_length=40, description="The checklist item's code, or empty for a general photo")
    name: str = Field("", max_length=200)
    data: str = Field(max_length=14_000_000, description="The image, base64-encoded")


class LadderIn(Schema):
    step: LadderStep
    reason: str = Field("", max_length=300)


class InspectionIn(Schema):
    client_id: uuid.UUID = Field(description="Generated by the client; sending it again returns the same inspection")
    task_id: Ref("inspections.task") | None = None
    premises_id: Ref("places.premises") | None = Field(
        None, description="Without a task: an inspection outside any campaign")
    subject: str | None = Field(None, max_length=80, pattern=r"^[a-z_]+\.[a-z_]+:\d{1,12}$",
                                description="Another subject, `app.model:id` (e.g. a compound); needs `checklist_id`")
    checklist_id: Ref("inspections.checklist") | None = None
    # A phone's number field may send 12 rather than "12"; the service reads every answer as text.
    answers: dict[str, str | bool | Number | float] = Field(
        default_factory=dict, description="item code -> answer (yes/no, a number as text or JSON number, ...)")
    photos: list[PhotoIn] = Field(default_factory=list, max_length=20)
    inspector_ids: Refs("core.user") = Field(default_factory=list, max_length=20)
    outcome: Outcome
    fixed_description: str = Field("", max_length=5000)
    rectification_items: str = Field("", max_length=5000)
    deadline: datetime.date | None = None
    suspend: bool = False
    legal_reason: str = Field("", max_length=5000)
    questioned: str = Field("", max_length=100)
    notes: str = Field("", max_length=5000)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0, description="The phone's estimate of its position's error, in "
                                     "metres (the Geolocation API's `accuracy`); kept with the position only")
    inspected_at: datetime.datetime | None = Field(None, description="When it happened, if sent later (offline)")
    ladder: dict[str, LadderIn] = Field(default_factory=dict, max_length=50,
                                        description="item code -> the escalation step taken, when not the proposed one")


class InspectionFilters(Schema):
    campaign: Id | None = None
    premises: Id | None = None
    outcome: Outcome | None = None
    kind: InspectionKind | None = None


# --- helpers --------------------------------------------------------------------------------

def _viewer(request):
    require(request.user, Perm.VIEW_INSPECTIONS)


def _campaign(request, campaign_id: Id) -> Campaign:
    _viewer(request)
    return get_visible_or_404(Campaign, request.user, pk=campaign_id)


def _many(model, ids: list[int], field: str) -> list:
    rows = list(model.objects.filter(pk__in=ids))
    if len(rows) != len(set(ids)):
        raise ValidationError({field: _("Not found, or outside your area.")})
    return rows


def _decode(photo: PhotoIn, n: int) -> SimpleUploadedFile:
    try:
        raw = base64.b64decode(photo.data.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({f"photos.{n}": _("The photo is not valid base64.")}) from exc
    return SimpleUploadedFile(photo.name or f"photo-{n}.jpg", raw)


# --- checklists -----------------------------------------------------------------------------

@checklists_router.get("", response=list[ChecklistOut], summary="Checklists, every revision")
def list_checklists(request):
    _viewer(request)
    return Checklist.objects.all()


@checklists_router.get("/{int:checklist_id}", response=ChecklistDetail, summary="One checklist revision with items")
def get_checklist(request, checklist_id: Id):
    _viewer(request)
    return get_object_or_404(Checklist, pk=checklist_id)


# --- campaigns ------------------------------------------------------------------------------

@campaigns_router.get("", response=list[CampaignOut], summary="Campaigns and look-back rounds")
@paginate(Pages, page_size=50)
def list_campaigns(request):
    _viewer(request)
    return Campaign.objects.visible_to(request.user).prefetch_related("categories", "areas", "departments")


@campaigns_router.get("/{int:campaign_id}", response=CampaignOut, summary="One campaign")
def get_campaign(request, campaign_id: Id):
    return _campaign(request, campaign_id)


@campaigns_router.post("", response={201: CampaignOut}, summary="Create a campaign")
def create_campaign(request, payload: CampaignIn):
    require(request.user, Perm.MANAGE_CAMPAIGNS)
    data = payload.dict()
    checklist = Checklist.objects.filter(pk=data.pop("checklist_id")).first()
    if checklist is None:
        raise ValidationError({"checklist_id": _("Not found, or outside your area.")})
    related = {"categories": _many(PremisesCategory, data.pop("category_ids"), "category_ids"),
               "areas": _many(Area, data.pop("area_ids"), "area_ids"),
               "departments": _many(Department, data.pop("department_ids"), "department_ids")}
    campaign = services.save_campaign(request.user, Campaign(checklist=checklist, **data), **related)
    return Status(201, campaign)


@campaigns_router.get("/{int:campaign_id}/summary", response=SummaryOut,
                      summary="The campaign's figures over what the user may see, computed from inspections")
def get_summary(request, campaign_id: Id):
    return campaign_summary(_campaign(request, campaign_id), request.user)


@campaigns_router.get("/{int:campaign_id}/coverage", response=list[CampaignCoverageOut],
                      summary="In scope / inspected / not yet by grid, neighbourhood, category or shift")
def get_coverage(request, campaign_id: Id, by: str = "grid"):
    if by not in ("grid", "neighbourhood", "category", "shift"):
        raise ValidationError({"by": _("Choose grid, neighbourhood, category or shift.")})
    return coverage(_campaign(request, campaign_id), request.user, by)


@campaigns_router.get("/{int:campaign_id}/teams", response=list[TeamOut], summary="The campaign's teams")
def list_teams(request, campaign_id: Id):
    return _campaign(request, campaign_id).teams.prefetch_related("members")


@campaigns_router.post("/{int:campaign_id}/teams", response={201: TeamOut},
                       summary="Add a team: two or more people, one from an enforcement unit")
def create_team(request, campaign_id: Id, payload: TeamIn):
    campaign = _campaign(request, campaign_id)
    members = _many(User, payload.member_ids, "member_ids")
    team = services.save_team(request.user, Team(campaign=campaign, name=payload.name, shift=payload.shift), members)
    return Status(201, team)


@campaigns_router.post("/{int:campaign_id}/plan", response=PlanOut,
                       summary="Plan (or re-plan) the tasks; finished tasks are kept")
def plan(request, campaign_id: Id):
    return vars(plan_campaign(request.user, _campaign(request, campaign_id)))


@campaigns_router.get("/{int:campaign_id}/tasks", response=list[TaskOut], summary="The campaign's tasks you may see")
@paginate(Pages, page_size=100)
def list_tasks(request, campaign_id: Id, filters: Query[TaskFilters]):
    campaign = _campaign(request, campaign_id)
    tasks = Task.objects.visible_to(request.user).filter(campaign=campaign).select_related("premises", "campaign")
    for name, lookup in (("state", "state"), ("shift", "shift"), ("reason", "reason"), ("team", "team_id"),
                         ("grid", "premises__grid_id")):
        value = getattr(filters, name)
        if value is not None:
            tasks = tasks.filter(**{lookup: value})
    return tasks.order_by("planned_on", "id")


@campaigns_router.post("/{int:campaign_id}/lookbacks", response={201: CampaignOut},
                       summary="Create a look-back round: findings, not yet inspected, and a reproducible sample")
def create_lookback(request, campaign_id: Id, payload: LookbackIn):
    campaign = _campaign(request, campaign_id)
    if payload.ends_on < payload.starts_on:
        raise ValidationError({"ends_on": _("The campaign must end on or after its first day.")})
    lookback = services.create_lookback(request.user, campaign, name=payload.name, starts_on=payload.starts_on,
                                        ends_on=payload.ends_on, share=payload.share, seed=payload.seed)
    return Status(201, lookback)


# --- the field ------------------------------------------------------------------------------

@tasks_router.get("/mine", response=list[TaskOut],
                  summary="The user's tasks for a day (default today), with earlier ones still open")
def my_tasks(request, date: datetime.date | None = None):
    require(request.user, Perm.INSPECT)
    day = date or timezone.localdate()
    return (Task.objects.open_for(request.user, day).select_related("premises", "campaign")
            .order_by("planned_on", "shift", "id"))


@inspections_router.get("", response=list[InspectionOut], summary="Inspections you may see")
@paginate(Pages, page_size=50)
def list_inspections(request, filters: Query[InspectionFilters]):
    _viewer(request)
    rows = Inspection.objects.visible_to(request.user).prefetch_related("inspectors")
    for name, lookup in (("campaign", "campaign_id"), ("premises", "premises_id"), ("outcome", "outcome"),
                         ("kind", "kind")):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{lookup: value})
    return rows


@inspections_router.get("/{int:inspection_id}", response=InspectionDetail, summary="One inspection")
def get_inspection(request, inspection_id: Id):
    _viewer(request)
    return get_visible_or_404(Inspection, request.user, pk=inspection_id)


@inspections_router.post("", response={201: InspectionDetail, 200: InspectionDetail},
                         summary="Submit an inspection (201); the same client_id again returns it (200)")
def submit(request, payload: InspectionIn):
    require(request.user, Perm.INSPECT)
    task = premises = checklist = subject = None
    if payload.task_id is not None:
        task = Task.objects.visible_to(request.user).filter(pk=payload.task_id).first()
        if task is None:
            raise ValidationError({"task_id": _("Not found, or outside your area.")})
    elif payload.premises_id is not None:
        # In scope (the body's Ref checked it); the service reads it once, checking that again, and locks it.
        premises = Premises(pk=payload.premises_id)
    elif payload.subject is not None:
        subject = _subject(request.user, payload.subject)
    if payload.checklist_id is not None:
        checklist = Checklist.objects.filter(pk=payload.checklist_id, is_current=True).first()
        if checklist is None:
            raise ValidationError({"checklist_id": _("Choose the current revision of the checklist.")})
    people = _many(User, payload.inspector_ids, "inspector_ids")
    photos = [(p.item, _decode(p, n)) for n, p in enumerate(payload.photos)]
    inspection, created = services.submit_inspection(
        request.user, client_id=payload.client_id, task=task, premises=premises, subject=subject, checklist=checklist,
        answers=payload.answers, photos=photos, inspectors=people, outcome=payload.outcome,
        fixed_description=payload.fixed_description, rectification_items=payload.rectification_items,
        deadline=payload.deadline, suspend=payload.suspend, legal_reason=payload.legal_reason,
        questioned=payload.questioned, notes=payload.notes, latitude=_coordinate(payload.latitude),
        longitude=_coordinate(payload.longitude), accuracy_m=payload.accuracy_m,
        inspected_at=_when(payload.inspected_at),
        ladder={code: step.dict() for code, step in payload.ladder.items()})
    return Status(201 if created else 200, inspection)


def _subject(user, value: str):
    """`app.model:id` of a record the user may see, with a grid; anything else is not found."""
    label, _sep, pk = value.partition(":")
    try:
        row = get_visible_by_label(user, label, pk)
    except Http404:
        row = None
    if row is None or not hasattr(row, "grid_id"):
        raise ValidationError({"subject": _("Not found, or outside your area.")})
    return row


def _coordinate(value: float | None):
    from decimal import Decimal

    return None if value is None else Decimal(str(round(value, 6)))


def _when(value: datetime.datetime | None):
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value  # a time in the future is kept and flagged (plausibility.py), never refused


@inspections_router.get("/{int:inspection_id}/photos/{int:photo_id}", response={200: None},
                        summary="A photo (JPEG), or its thumbnail with ?size=thumb")
def get_photo(request, inspection_id: Id, photo_id: Id, size: str = "full"):
    _viewer(request)
    picture = get_visible_or_404(Photo.objects.filter(inspection_id=inspection_id), request.user, pk=photo_id)
    return photo_files.response(picture, size)


# --- risk -------------------------------------------------------------------------------------

risk_router = Router(tags=["risk"])


class ReasonOut(Schema):
    code: str
    text: str
    points: int


class RiskOut(Schema):
    premises_id: int
    premises_name: str
    score: int
    band: str
    reasons: list[ReasonOut] = Field(description="They add up to the score")

    @staticmethod
    def resolve_reasons(obj):
        from .risk import explain

        return [{"code": r["code"], "text": explain(r), "points": r["points"]} for r in obj.reasons]
    computed_at: datetime.datetime
    scan_flagged: bool

    @staticmethod
    def resolve_premises_name(obj):
        return obj.premises.name

    @staticmethod
    def resolve_scan_flagged(obj):
        compliance = getattr(obj.premises, "scan_compliance", None)
        return bool(compliance and compliance.flagged)


class LadderOut(Schema):
    problem: str
    problem_text: str
    step: str
    proposed: str
    reason: str
    inspection_id: int
    taken_at: datetime.datetime


class RiskFiguresOut(Schema):
    bands: list[dict]
    flagged_by_scans: int
    ladder_steps: list[dict] = Field(description="Per step: entries (one per problem) and distinct premises")
    ladder_days: int | None = Field(description="The window asked for in days; null: every step on record")


def _scored(request):
    _viewer(request)
    return RiskScore.objects.filter(premises__in=Premises.objects.visible_to(request.user)).select_related(
        "premises__scan_compliance")


@risk_router.get("", response=list[RiskOut], summary="Premises in scope by risk, riskiest first, with reasons")
@paginate(Pages, page_size=50)
def list_risk(request, band: str = ""):
    rows = _scored(request)
    if band:
        rows = rows.filter(band=band)
    return rows.order_by("-score", "premises_id")


@risk_router.get("/figures", response=RiskFiguresOut, summary="Premises by risk band, scan flags, ladder steps")
def risk_figures(request, days: int | None = Query(None, ge=1, le=3650)):
    from .risk_views import risk_figures as figures

    _viewer(request)
    return figures(request.user, days)


@risk_router.get("/premises/{int:premises_id}", response=RiskOut, summary="One premises' score and its reasons")
def get_risk(request, premises_id: Id):
    return get_object_or_404(_scored(request), premises_id=premises_id)


@risk_router.get("/premises/{int:premises_id}/ladder", response=list[LadderOut],
                 summary="The escalation steps taken at a premises, per problem, oldest first")
def get_ladder(request, premises_id: Id):
    _viewer(request)
    premises = get_visible_or_404(Premises, request.user, pk=premises_id)
    return premises.ladder.order_by("problem", "taken_at")
