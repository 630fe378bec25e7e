"""Verbs on work orders and field visits. Every state change goes through `_transition`, which
checks the one transition table, locks the row, compares the version and writes the timeline."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import Perm, Scope
from wangge.core.services import StaleVersionError, require, save_versioned
from wangge.core.towns import town_id_of

from .calendar import add_working_days, deadline_days
from .choices import Kind, Priority, Satisfaction, SatisfactionSource, State, Verb
from .models import Attachment, FieldVisit, Instruction, WorkOrder, WorkOrderEvent
from .notify import tell_handover

S = State
OPEN_STATES = frozenset(set(State.values) - {State.CLOSED})
# verb -> (states it may start from, state it leads to). Verify leads to REOPENED when a demand's
# requester is dissatisfied.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Verb.ASSIGN: (frozenset({S.NEW, S.ASSIGNED, S.RETURNED, S.REOPENED, S.ESCALATED}), S.ASSIGNED),
    Verb.START: (frozenset({S.ASSIGNED, S.RETURNED, S.REOPENED}), S.IN_PROGRESS),
    Verb.SUBMIT: (frozenset({S.IN_PROGRESS}), S.AWAITING_VERIFICATION),
    Verb.VERIFY: (frozenset({S.AWAITING_VERIFICATION}), S.CLOSED),
    Verb.RETURN: (frozenset({S.AWAITING_VERIFICATION}), S.RETURNED),
    Verb.REOPEN: (frozenset({S.CLOSED}), S.REOPENED),
    Verb.ESCALATE: (frozenset({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}), S.ESCALATED),
    # A re-inspection decides a rectification order from any open state: passed (or shut) closes it,
    # failed with a new deadline returns it to the assignee.
    Verb.REINSPECT: (OPEN_STATES, S.CLOSED),
}
# Who may use a verb: the permission, or (for the assignee's own verbs) being the assignee.
MANAGER_VERBS = {Verb.ASSIGN, Verb.VERIFY, Verb.RETURN, Verb.REOPEN}
ASSIGNEE_VERBS = {Verb.START, Verb.SUBMIT, Verb.ESCALATE}
EDITABLE = ("title", "description", "category", "priority", "deadline", "requester_name", "requester_unit",
            "subject_label", "source")


def allowed_verbs(state: str) -> list[str]:
    """The verbs a person may choose now (a re-inspection's verdict comes only from an inspection)."""
    return [verb for verb, (sources, _target) in TRANSITIONS.items()
            if state in sources and verb in MANAGER_VERBS | ASSIGNEE_VERBS]


def may(actor: User, order: WorkOrder, verb: str) -> bool:
    if not (actor and actor.is_authenticated and actor.is_active):
        return False
    if verb in ASSIGNEE_VERBS and order.assignee_id == actor.pk:
        return True
    return actor.can(Perm.MANAGE_WORKORDERS)


def verbs_for(actor: User, order: WorkOrder) -> list[str]:
    """Exactly the verbs `actor` may use on `order` now (the API's `allowed_verbs`, the page's buttons);
    the service verbs refuse the same cases."""
    return [verb for verb in allowed_verbs(order.state) if may(actor, order, verb)
            and not (verb == Verb.VERIFY and order.assignee_id == actor.pk)]  # verify_and_close refuses it


def _actor_name(actor: User | None) -> str:
    return (actor.full_name or actor.username) if actor else _("system")


def record(order: WorkOrder, actor: User | None, verb: str, from_state: str, comment: str = "") -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(order=order, actor=actor, actor_name=_actor_name(actor), verb=verb,
                                         from_state=from_state, to_state=order.state, comment=comment[:2000])


def _check_scope(actor: User, grid: Area, department: Department | None) -> None:
    """An actor raises orders in their own areas, or for their own department."""
    if Scope.ALL in actor.scopes:
        return
    if Scope.AREA in actor.scopes and any(grid.path.startswith(p) for p in actor.area_paths):
        return
    if Scope.DEPARTMENT in actor.scopes and department is not None and department.pk in actor.department_ids:
        return
    raise ValidationError({"grid": _("You do not manage this grid.")})


def _check_department(grid: Area | None, department: Department | None) -> None:
    """An order goes to a department of its grid's own town (docs/TOWNS.md)."""
    if department is not None and grid is not None and department.town_id != town_id_of(grid.pk):
        raise ValidationError({"department": _("Choose a department of this grid's town.")})


def _check_visible(actor: User, order: WorkOrder) -> None:
    if not WorkOrder.objects.visible_to(actor).filter(pk=order.pk).exists():
        raise PermissionDenied


def _check_assignee(assignee: User | None, grid: Area | None = None) -> None:
    """Active, and working in the order's own town (docs/TOWNS.md): the pickers offer only the town's
    staff, and this is the rule behind them for every path (page, API, import, another service)."""
    if assignee is None:
        return
    if not assignee.is_active:
        raise ValidationError({"assignee": _("This account is not active.")})
    if grid is None or Scope.ALL in assignee.scopes or not assignee.town_ids:
        return
    if town_id_of(grid.pk) not in assignee.town_ids:
        raise ValidationError({"assignee": _("This person works in another town.")})


@transaction.atomic
def raise_order(actor: User, *, kind: str, title: str, grid: Area, department: Department | None = None,
                assignee: User | None = None, subject=None, **fields) -> WorkOrder:
    """Open a work order (state new); with an assignee it is assigned at once (two timeline steps)."""
    require(actor, Perm.RAISE_WORKORDERS)
    if grid is None or grid.level != AreaLevel.GRID:
        raise ValidationError({"grid": _("Choose a grid.")})
    _check_scope(actor, grid, department)
    _check_department(grid, department)
    _check_assignee(assignee, grid)
    if assignee is not None and not actor.can(Perm.MANAGE_WORKORDERS):
        raise ValidationError({"assignee": _("Only those who manage work orders may assign them.")})
    if subject is not None and hasattr(type(subject).objects, "visible_to") and not type(
            subject).objects.visible_to(actor).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": _("Not found, or outside your area.")})
    return open_order(actor, kind=kind, title=title, grid=grid, department=department, assignee=assignee,
                      subject=subject, **fields)


def open_order(actor: User, *, kind: str, title: str, grid: Area, department: Department | None = None,
               assignee: User | None = None, deadline: datetime.date | None = None, priority: str = Priority.NORMAL,
               description: str = "", health_note: str = "", category: str = "", source: str = "",
               source_object=None, subject=None,
               subject_label: str = "", requester_name: str = "", requester_unit: str = "",
               visit: FieldVisit | None = None, instruction: Instruction | None = None, comment: str = "",
               today: datetime.date | None = None) -> WorkOrder:
    """Write the order and its first timeline steps. Callers authorise: `raise_order` by permission and
    scope; the inspections services by the inspection that ordered the rectification."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    today = today or timezone.localdate()
    order = WorkOrder(kind=kind, title=title, grid=grid, department=department, priority=priority,
                      deadline=deadline or add_working_days(today, deadline_days(kind)), description=description,
                      health_note=health_note, category=category, source=source,
                      subject_label=subject_label or (str(subject) if subject else ""),
                      requester_name=requester_name, requester_unit=requester_unit, raised_by=actor, visit=visit,
                      instruction=instruction)
    for obj, type_field, id_field in ((source_object, "source_type", "source_id"), (subject, "subject_type",
                                                                                     "subject_id")):
        if obj is not None:
            setattr(order, type_field, ContentType.objects.get_for_model(obj))
            setattr(order, id_field, obj.pk)
    save_versioned(order, None)
    event = record(order, actor, Verb.RAISE, "", comment)
    if assignee is None:
        tell_handover(order, event, actor)  # those who assign it (a routed demand, an instruction)
    else:
        _transition(actor, order, Verb.ASSIGN, None, _("Assigned to %(name)s.") % {"name": _actor_name(assignee)},
                    assignee=assignee)
    return order


def _transition(actor: User | None, order: WorkOrder, verb: str, expected_version: int | None, comment: str = "",
                target: str | None = None, **changes) -> WorkOrder:
    """Move `order` by `verb`: refuse what the table forbids, lock, compare versions, record the step."""
    with transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersionError
        sources, default_target = TRANSITIONS[verb]
        if locked.state not in sources:
            raise ValidationError(
                _("This work order is “%(state)s”: it cannot be “%(verb)s” now. Possible: %(allowed)s.") % {
                    "state": State(locked.state).label, "verb": Verb(verb).label,
                    "allowed": "、".join(str(Verb(v).label) for v in allowed_verbs(locked.state)) or "—"},
                code="illegal_transition")
        from_state = locked.state
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.state = target or default_target
        locked.closed_at = timezone.now() if locked.state == State.CLOSED else None
        locked.audit_reason = comment[:200]
        save_versioned(locked, locked.version)
        tell_handover(locked, record(locked, actor, verb, from_state, comment), actor)
    order.refresh_from_db()
    return order


def _act(actor: User, order: WorkOrder, verb: str) -> None:
    _check_visible(actor, order)
    if not may(actor, order, verb):
        raise PermissionDenied


def assign(actor: User, order: WorkOrder, assignee: User, *, department: Department | None = None,
           deadline: datetime.date | None = None, comment: str = "", expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.ASSIGN)
    if assignee is None:
        raise ValidationError({"assignee": _("Choose an assignee.")})
    _check_assignee(assignee, order.grid)
    changes = {"assignee": assignee}
    if department is not None:
        _check_department(order.grid, department)
        changes["department"] = department
    if deadline is not None:
        changes["deadline"] = deadline
    note = comment or _("Assigned to %(name)s.") % {"name": _actor_name(assignee)}
    return _transition(actor, order, Verb.ASSIGN, expected_version, note, **changes)


def start(actor: User, order: WorkOrder, *, comment: str = "", expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.START)
    return _transition(actor, order, Verb.START, expected_version, comment)


def submit_for_verification(actor: User, order: WorkOrder, *, comment: str = "",
                            expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.SUBMIT)
    return _transition(actor, order, Verb.SUBMIT, expected_version, comment)


def verify_and_close(actor: User, order: WorkOrder, *, satisfaction: str = "", comment: str = "",
                     expected_version: int | None = None) -> WorkOrder:
    """Someone other than the assignee verifies. A demand needs the requester's satisfaction;
    dissatisfied reopens it instead of closing."""
    _act(actor, order, Verb.VERIFY)
    if order.assignee_id == actor.pk:
        raise ValidationError(_("The assignee cannot verify their own work order; another person must."),
                              code="self_verification")
    target = None
    if order.kind == Kind.DEMAND:
        if satisfaction not in Satisfaction.values:
            raise ValidationError({"satisfaction": _("Record the requester's satisfaction.")})
        if satisfaction == Satisfaction.DISSATISFIED:
            target = State.REOPENED
    elif satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Unknown satisfaction.")})
    return _transition(actor, order, Verb.VERIFY, expected_version, comment, target=target,
                       satisfaction=satisfaction, verified_by=actor, satisfaction_comment="",
                       satisfaction_source=SatisfactionSource.STAFF if satisfaction else "")


def return_to_assignee(actor: User, order: WorkOrder, *, comment: str = "",
                       expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.RETURN)
    if len(comment.strip()) < 2:
        raise ValidationError({"comment": _("Say what is still to be done.")})
    return _transition(actor, order, Verb.RETURN, expected_version, comment)


def reopen(actor: User, order: WorkOrder, *, comment: str = "", expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.REOPEN)
    if len(comment.strip()) < 2:
        raise ValidationError({"comment": _("Say why the work order is reopened.")})
    return _transition(actor, order, Verb.REOPEN, expected_version, comment, verified_by=None, satisfaction="",
                       satisfaction_source="", satisfaction_comment="")


def escalate(actor: User, order: WorkOrder, *, comment: str = "", expected_version: int | None = None) -> WorkOrder:
    _act(actor, order, Verb.ESCALATE)
    if len(comment.strip()) < 2:
        raise ValidationError({"comment": _("Say why the work order is escalated.")})
    return _transition(actor, order, Verb.ESCALATE, expected_version, comment)


def record_reinspection(actor: User, order: WorkOrder, *, passed: bool, comment: str,
                        new_deadline: datetime.date | None = None) -> WorkOrder:
    """The re-inspection's verdict on a rectification order. Callers authorise (inspections services):
    the re-inspector verifies in the field, so the order closes without a separate verify step — unless
    the re-inspector is its assignee: then it awaits another person's verification."""
    if order.kind != Kind.RECTIFICATION:
        raise ValidationError(_("Only a rectification order is decided by a re-inspection."))
    if passed and actor is not None and order.assignee_id == actor.pk:
        # The assignee's own re-inspection reports the work done; someone else verifies it, as in
        # verify_and_close (an inspection of the premises is how an assignee could otherwise close it).
        return _transition(actor, order, Verb.REINSPECT, None, comment, target=State.AWAITING_VERIFICATION)
    if passed or new_deadline is None:
        return _transition(actor, order, Verb.REINSPECT, None, comment, verified_by=actor)
    return _transition(actor, order, Verb.REINSPECT, None, comment, target=State.RETURNED, deadline=new_deadline,
                       overdue_level=0)


def rate_by_requester(token: str, *, satisfaction: str, comment: str = "") -> WorkOrder:
    """The requester's own answer through its rating link (rating.py), without an account: valid for
    one closed demand order, once. It replaces the answer staff entered, is marked as the requester's
    own, and goes on the timeline. Dissatisfied leaves the order closed and tells the department's
    officers (failing those, whoever assigns its orders), who decide whether to reopen it."""
    from django.urls import reverse

    from .notify import assigners, department_heads, notify
    from .rating import order_for

    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose your answer.")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("At most 500 characters.")})
    with transaction.atomic():
        order = order_for(token, locked=True)  # RatingRefused: nothing written
        order.satisfaction = satisfaction
        order.satisfaction_source = SatisfactionSource.REQUESTER
        order.satisfaction_comment = comment
        order.audit_reason = str(_("Rated through the requester's rating link."))[:200]
        save_versioned(order, order.version)
        label = Satisfaction(satisfaction).label
        event = WorkOrderEvent.objects.create(
            order=order, actor=None, actor_name=(order.requester_unit or order.requester_name or _("requester"))[:150],
            verb=Verb.RATE, from_state=order.state, to_state=order.state,
            comment=(f"{label}：{comment}" if comment else str(label))[:2000])
        if satisfaction == Satisfaction.DISSATISFIED:
            notify(department_heads(order) or assigners(order),
                   _("The requester rated work order #%(id)s “%(title)s” dissatisfied: decide whether to reopen "
                     "it.") % {"id": order.pk, "title": order.title[:60]},
                   key=f"order-event:{event.pk}", order=order,
                   link=reverse("workorders:order_detail", args=[order.pk]))
    return order


def record_duplicate(order: WorkOrder, comment: str) -> WorkOrderEvent:
    """Another public report of the same problem joined this order (reports.services links it): a step on
    the timeline, nothing else changes."""
    with transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
        return WorkOrderEvent.objects.create(order=locked, actor=None, actor_name=_("public report"),
                                             verb=Verb.DUPLICATE, from_state=locked.state, to_state=locked.state,
                                             comment=comment[:2000])


def rate_by_reporter(order: WorkOrder, *, satisfaction: str, comment: str = "") -> WorkOrder:
    """A public reporter's answer (回访) on a closed public-report order, given on the public status page
    (reports.services checks the tracking number and phone, and that this reporter has not answered this
    closure yet). Satisfied or basically satisfied keeps it closed; dissatisfied reopens it at once, like a
    demand the requester is dissatisfied with: its assignee works on it again (notified)."""
    if order.kind != Kind.PUBLIC_REPORT:
        raise ValidationError(_("Only a public report is rated by its reporter."))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose your answer.")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("At most 500 characters.")})
    label = Satisfaction(satisfaction).label
    text = (f"{label}：{comment}" if comment else str(label))[:2000]
    with transaction.atomic():
        locked = WorkOrder.objects.select_for_update().get(pk=order.pk)
        if locked.state != State.CLOSED:
            raise ValidationError(_("This report is still being handled. You can rate it once it is done."))
        locked.satisfaction, locked.satisfaction_source = satisfaction, SatisfactionSource.REPORTER
        locked.satisfaction_comment = comment
        locked.audit_reason = str(_("Rated by the reporter."))
        save_versioned(locked, locked.version)
        WorkOrderEvent.objects.create(order=locked, actor=None, actor_name=_("reporter"), verb=Verb.RATE,
                                      from_state=locked.state, to_state=locked.state, comment=text)
        if satisfaction == Satisfaction.DISSATISFIED:
            _transition(None, locked, Verb.REOPEN, None, _("The reporter is dissatisfied: %(text)s") % {"text": text},
                        verified_by=None)
    order.refresh_from_db()
    return order


VERB_FUNCTIONS = {Verb.ASSIGN: assign, Verb.START: start, Verb.SUBMIT: submit_for_verification,
                  Verb.VERIFY: verify_and_close, Verb.RETURN: return_to_assignee, Verb.REOPEN: reopen,
                  Verb.ESCALATE: escalate}


@transaction.atomic
def update_order(actor: User, order: WorkOrder, expected_version: int, **fields) -> WorkOrder:
    """Edit the descriptive fields (not the state: that only moves through the verbs)."""
    _act(actor, order, Verb.ASSIGN)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(order, name, value)
    return save_versioned(order, expected_version)


@transaction.atomic
def bulk_assign(actor: User, orders, assignee: User, comment: str = "") -> int:
    """Assign several orders at once: all or none."""
    count = 0
    for order in orders:
        assign(actor, order, assignee, comment=comment)
        count += 1
    return count


@transaction.atomic
def revert_bulk_assign(actor: User, changes: list[dict]) -> int:
    """Undo a bulk assignment (core.confirm, within a minute): each order back to its assignee and state
    before, all or none, and only while nobody touched it since (its version is the one the assignment left).
    The restored assignee, if any, is told the order is theirs again."""
    require(actor, Perm.MANAGE_WORKORDERS)
    for change in changes:
        order = WorkOrder.objects.select_for_update().get(pk=change["order"])
        _act(actor, order, Verb.ASSIGN)
        if order.version != change["version"]:
            raise ValidationError(_("Work order #%(id)s has changed since: assign it again by hand.")
                                  % {"id": order.pk})
        from_state = order.state
        order.assignee_id, order.state, order.closed_at = change["assignee"], change["state"], None
        comment = _("Assignment undone.")
        order.audit_reason = comment
        save_versioned(order, order.version)
        event = record(order, actor, Verb.ASSIGN, from_state, comment)
        if order.assignee_id:
            tell_handover(order, event, actor)
    return len(changes)


# --- field visits ---------------------------------------------------------------------------

@transaction.atomic
def save_visit(actor: User, visit: FieldVisit, expected_version: int | None = None) -> FieldVisit:
    require(actor, Perm.RECORD_FIELD_VISITS)
    if visit.area_id and Scope.ALL not in actor.scopes and not any(
            visit.area.path.startswith(p) for p in actor.area_paths):
        raise ValidationError({"area": _("You do not manage this area.")})
    if visit.pk is None:
        visit.recorded_by = actor
    return save_versioned(visit, expected_version)


@transaction.atomic
def give_instruction(actor: User, visit: FieldVisit, *, text: str, units: list[tuple[str, Area]],
                     deadline: datetime.date, department: Department | None = None, assignee: User | None = None,
                     kind_title: str = "", today: datetime.date | None = None) -> Instruction:
    """Record an instruction and open one work order of kind instruction for each unit (label, grid)."""
    require(actor, Perm.RECORD_FIELD_VISITS)
    if not units:
        raise ValidationError({"units": _("Name at least one unit.")})
    if len(text.strip()) < 2:
        raise ValidationError({"text": _("Write the instruction.")})
    instruction = save_versioned(Instruction(visit=visit, text=text.strip(), department=department,
                                             deadline=deadline), None)
    for label, grid in units:
        raise_order(actor, kind=Kind.INSTRUCTION, title=(kind_title or text.strip())[:200], grid=grid,
                    department=department, assignee=assignee, deadline=deadline, description=text.strip(),
                    source=str(visit)[:200], source_object=visit, subject_label=label, visit=visit,
                    instruction=instruction, priority=Priority.HIGH, today=today)
    return instruction


@transaction.atomic
def add_attachment(actor: User, order: WorkOrder, upload) -> Attachment:
    """Attach a photo or document; anyone who may see the order and work on it may add one."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wangge.core.images import without_metadata
    from wangge.core.uploads import check_upload, random_path

    _check_visible(actor, order)
    if not (order.assignee_id == actor.pk or actor.can(Perm.RAISE_WORKORDERS) or actor.can(Perm.MANAGE_WORKORDERS)):
        raise PermissionDenied
    extension, content_type = check_upload(upload)
    size, original_name = upload.size, (upload.name or "")[:200]
    if content_type.startswith("image/"):  # re-encoded: no GPS or camera in what is kept and served
        data, extension, content_type = without_metadata(upload)
        upload, size = ContentFile(data), len(data)
    name = default_storage.save(random_path("attachments", extension), upload)
    try:
        return Attachment.objects.create(order=order, file=name, original_name=original_name,
                                         content_type=content_type, size=size, uploaded_by=actor)
    except Exception:
        default_storage.delete(name)  # no orphan file when the row cannot be written
        raise


def mark_read(user: User, notification_id: int) -> int:
    """Mark one of the user's own notifications read (0 if it already was); another user's, like one that
    does not exist, is a 404 — the same answer, so nobody learns which ids exist."""
    from django.shortcuts import get_object_or_404

    from .delivery import mark_read as mark_delivered_read
    from .models import Notification

    get_object_or_404(Notification, user=user, pk=notification_id)
    return mark_delivered_read(Notification.objects.filter(user=user, pk=notification_id))


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; how many were."""
    from .delivery import mark_read as mark_delivered_read
    from .models import Notification

    return mark_delivered_read(Notification.objects.filter(user=user))


@transaction.atomic
def set_channels(user: User, *, expected_version: int | None, email: bool = False, wecom: bool = False,
                 wecom_userid: str = "", sms: bool = False, phone: str = ""):
    """A user's own choice of channels besides the inbox. A channel needs its address (an e-mail address
    on the account, a WeCom account, a mobile number) and a server this deployment names; an empty
    phone keeps the one on file."""
    from wangge.core.validators import validate_mobile

    from .channels import configured
    from .choices import Channel
    from .models import ChannelSettings

    ready = configured()
    chosen = ChannelSettings.objects.filter(user=user).first() or ChannelSettings(user=user)
    errors = {}
    wanted = {Channel.EMAIL: email, Channel.WECOM: wecom, Channel.SMS: sms}
    for channel, on in wanted.items():
        if on and channel not in ready:
            errors[channel] = _("This channel is not set up on this server.")
    wecom_userid = (wecom_userid or "").strip()
    if phone:
        try:
            chosen.phone = validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if email and not user.email:
        errors[Channel.EMAIL] = _("Your account has no e-mail address: ask an administrator to add one.")
    if wecom and not wecom_userid:
        errors["wecom_userid"] = _("Enter your WeCom account.")
    if sms and not chosen.phone and "phone" not in errors:
        errors["phone"] = _("Enter your mobile number.")
    if errors:
        raise ValidationError(errors)
    chosen.email, chosen.wecom, chosen.sms, chosen.wecom_userid = email, wecom, sms, wecom_userid
    if not sms:
        chosen.phone = ""  # kept only while it is used (PIPL: minimum necessary)
    return save_versioned(chosen, expected_version if chosen.pk else None)
