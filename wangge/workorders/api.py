import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.ids import Id, Ref, Version
from wangge.core.models import Area, Department, User
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import services
from .choices import Kind, Priority, Satisfaction, State, Verb
from .filters import filter_orders
from .models import FieldVisit, Notification, WorkOrder

router = Router(tags=["work orders"])
visits_router = Router(tags=["field visits"])


class EventOut(Schema):
    at: datetime.datetime
    actor_name: str
    verb: str
    from_state: str
    to_state: str
    comment: str


class OrderOut(Schema):
    id: int
    kind: str
    state: str
    title: str
    description: str
    health_note: str | None = Field(description="Health details copied from the source (a care visit's medical "
                                                 "need); null when the caller may not read them")
    category: str
    source: str
    subject_label: str
    grid_id: int
    department_id: int | None
    assignee_id: int | None
    priority: str
    deadline: datetime.date
    requester_name: str
    requester_unit: str
    satisfaction: str
    satisfaction_source: str = Field(description="requester: the enterprise's own rating (its link); staff: "
                                     "entered by staff; empty: no answer")
    closed_at: datetime.datetime | None
    verified_by_id: int | None
    overdue_level: int
    visit_id: int | None
    version: int


    @staticmethod
    def resolve_health_note(obj, context):
        return obj.health_note_for(context["request"].user)


class OrderDetail(OrderOut):
    allowed_verbs: list[str]
    timeline: list[EventOut]

    @staticmethod
    def resolve_allowed_verbs(obj, context):
        return services.verbs_for(context["request"].user, obj)

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.all())


class OrderIn(Schema):
    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    grid_id: Ref("core.area")
    description: str = Field("", max_length=5000)
    category: str = Field("", max_length=50)
    source: str = Field("", max_length=200)
    subject_label: str = Field("", max_length=200)
    department_id: Ref("core.department") | None = None
    assignee_id: Ref("core.user") | None = None
    priority: Priority = Priority.NORMAL
    deadline: datetime.date | None = None
    requester_name: str = Field("", max_length=100)
    requester_unit: str = Field("", max_length=200)
    comment: str = Field("", max_length=2000)


class OrderFilters(Schema):
    q: str = ""
    kind: Kind | None = None
    state: str = ""
    overdue: bool | None = None
    department: Id | None = None
    grid: Id | None = None
    area: Id | None = None
    visit: Id | None = None
    tab: str = ""
    sort: str = ""


class TransitionIn(Schema):
    version: Version | None = Field(None, description="The version you read; a stale one is a 409")
    comment: str = Field("", max_length=2000)
    assignee_id: Ref("core.user") | None = Field(None, description="assign: the new assignee")
    department_id: Ref("core.department") | None = Field(None, description="assign: optionally a new owning department")
    deadline: datetime.date | None = Field(None, description="assign: optionally a new deadline")
    satisfaction: Satisfaction | None = Field(None, description="verify: the requester's satisfaction (demands)")


def _visible(request):
    require(request.user, Perm.VIEW_WORKORDERS)
    return WorkOrder.objects.visible_to(request.user)


def _one(queryset, pk, field):
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationError({field: _("Not found, or outside your area.")})
    return row


def _user(pk, field="assignee_id"):
    return _one(User.objects.filter(is_active=True), pk, field)


@router.get("", response=list[OrderOut], summary="Work orders in the user's scope, with the list page's filters")
@paginate(Pages, page_size=50)
def list_orders(request, filters: Query[OrderFilters]):
    params = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    return filter_orders(_visible(request), params, request.user)


@router.get("/{int:order_id}", response=OrderDetail, summary="One work order with its timeline")
def get_order(request, order_id: Id):
    return get_visible_or_404(_visible(request), request.user, pk=order_id)


@router.post("", response={201: OrderDetail}, summary="Raise a work order")
def create_order(request, payload: OrderIn):
    require(request.user, Perm.RAISE_WORKORDERS)
    data = payload.dict()
    grid = _one(Area.objects.all(), data.pop("grid_id"), "grid_id")
    department = _one(Department.objects.choosable_by(request.user), data.pop("department_id"), "department_id")
    assignee = _user(data.pop("assignee_id"))
    order = services.raise_order(request.user, grid=grid, department=department, assignee=assignee, **data)
    return Status(201, order)


class OrderPatch(Schema):
    version: Version
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    category: str | None = Field(None, max_length=50)
    priority: Priority | None = None
    deadline: datetime.date | None = None
    requester_name: str | None = Field(None, max_length=100)
    requester_unit: str | None = Field(None, max_length=200)
    subject_label: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=200)


@router.patch("/{int:order_id}", response=OrderDetail, summary="Edit the descriptive fields (send the version)")
def update_order(request, order_id: Id, payload: OrderPatch):
    order = get_visible_or_404(_visible(request), request.user, pk=order_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "deadline"}
    version = data.pop("version")
    if "deadline" in data and data["deadline"] is None:
        raise ValidationError({"deadline": _("Choose a deadline.")})
    return services.update_order(request.user, order, version, **data)


@router.post("/{int:order_id}/{verb}", response=OrderDetail,
             summary="Move a work order: assign, start, submit, verify, return, reopen or escalate")
def transition(request, order_id: Id, verb: str, payload: TransitionIn):
    order = get_visible_or_404(_visible(request), request.user, pk=order_id)
    if verb not in services.VERB_FUNCTIONS:
        raise ValidationError({"verb": _("Unknown action.")})
    kwargs = {"comment": payload.comment, "expected_version": payload.version}
    if verb == Verb.ASSIGN:
        if payload.assignee_id is None:
            raise ValidationError({"assignee_id": _("Choose an assignee.")})
        return services.assign(request.user, order, _user(payload.assignee_id),
                               department=_one(Department.objects.choosable_by(request.user),
                                               payload.department_id, "department_id"),
                               deadline=payload.deadline, **kwargs)
    if verb == Verb.VERIFY:
        kwargs["satisfaction"] = payload.satisfaction or ""
    return services.VERB_FUNCTIONS[verb](request.user, order, **kwargs)


# --- field visits ---------------------------------------------------------------------------

class InstructionOut(Schema):
    id: int
    text: str
    deadline: datetime.date
    department_id: int | None
    orders: int
    closed: int
    overdue: int


class FieldVisitOut(Schema):
    id: int
    title: str
    visited_on: datetime.date
    leader: str
    participants: str
    area_id: int
    place: str
    units: str
    notes: str
    version: int


class FieldVisitDetail(FieldVisitOut):
    instructions: list[InstructionOut]

    @staticmethod
    def resolve_instructions(obj):
        return instruction_progress(obj)


class UnitIn(Schema):
    label: str = Field(min_length=1, max_length=200)
    grid_id: Ref("core.area")


class InstructionIn(Schema):
    text: str = Field(min_length=2, max_length=5000)
    deadline: datetime.date
    department_id: Ref("core.department") | None = None
    assignee_id: Ref("core.user") | None = None
    units: list[UnitIn] = Field(min_length=1)


class FieldVisitIn(Schema):
    title: str = Field(min_length=1, max_length=100)
    visited_on: datetime.date
    leader: str = Field(min_length=1, max_length=100)
    participants: str = Field("", max_length=300)
    area_id: Ref("core.area")
    place: str = Field("", max_length=200)
    units: str = Field("", max_length=5000)
    notes: str = Field("", max_length=10000)
    instructions: list[InstructionIn] = []


def instruction_progress(visit: FieldVisit) -> list[dict]:
    """Each instruction with its orders, how many are closed and how many overdue (one query)."""
    from django.db.models import Count, Q

    rows = visit.instructions.annotate(
        n_orders=Count("work_orders"), n_closed=Count("work_orders", filter=Q(work_orders__state=State.CLOSED)),
        n_overdue=Count("work_orders", filter=Q(work_orders__overdue_level__gt=0) & ~Q(
            work_orders__state=State.CLOSED)))
    return [{"id": i.pk, "text": i.text, "deadline": i.deadline, "department_id": i.department_id,
             "orders": i.n_orders, "closed": i.n_closed, "overdue": i.n_overdue, "object": i} for i in rows]


def _visits(request):
    require(request.user, Perm.VIEW_FIELD_VISITS)
    return FieldVisit.objects.visible_to(request.user)


@visits_router.get("", response=list[FieldVisitOut])
@paginate(Pages, page_size=50)
def list_visits(request):
    return _visits(request)


@visits_router.get("/{int:visit_id}", response=FieldVisitDetail,
                   summary="One field visit and its instructions' progress")
def get_visit(request, visit_id: Id):
    return get_visible_or_404(_visits(request), request.user, pk=visit_id)


@visits_router.post("", response={201: FieldVisitDetail}, summary="Record a field visit with its instructions")
def create_visit(request, payload: FieldVisitIn):
    from django.db import transaction

    require(request.user, Perm.RECORD_FIELD_VISITS)
    data = payload.dict()
    instructions = data.pop("instructions")
    data["area"] = _one(Area.objects.all(), data.pop("area_id"), "area_id")
    with transaction.atomic():
        visit = services.save_visit(request.user, FieldVisit(**data))
        for n, item in enumerate(instructions):
            units = [(u["label"], _one(Area.objects.all(), u["grid_id"], f"instructions.{n}.units"))
                     for u in item["units"]]
            services.give_instruction(
                request.user, visit, text=item["text"], units=units, deadline=item["deadline"],
                department=_one(Department.objects.choosable_by(request.user), item["department_id"],
                                f"instructions.{n}.department_id"),
                assignee=_user(item["assignee_id"], f"instructions.{n}.assignee_id"))
    return Status(201, visit)


# --- notifications ---------------------------------------------------------------------------

class NotificationOut(Schema):
    id: int
    order_id: int | None
    link: str
    level: int
    message: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


@router.get("/notifications", response=list[NotificationOut], summary="The caller's own notifications")
@paginate(Pages, page_size=50)
def list_notifications(request, unread: bool = False):
    rows = Notification.objects.filter(user=request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/notifications/{int:notification_id}/read", response={204: None}, summary="Mark one as read")
def read_notification(request, notification_id: Id):
    services.mark_read(request.user, notification_id)
    return Status(204, None)
