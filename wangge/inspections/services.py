"""Verbs of the inspections domain: campaigns and teams, submitting an inspection, and what its outcome
sets in motion (work order, suspension, re-inspection, shutdown). Nothing else changes these rows."""

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wangge.core import audit
from wangge.core.audit_signals import added_to_new
from wangge.core.models import Area, AreaLevel, User, ancestors, town_members
from wangge.core.prefetch import hold
from wangge.core.roles import Perm, Role
from wangge.core.services import require, save_versioned
from wangge.core.towns import choosable_towns, may_configure, only_town, town_id_of
from wangge.places.choices import PremisesStatus
from wangge.places.hours import DAY_STARTS, NIGHT_STARTS
from wangge.places.models import Premises
from wangge.places.regulators import regulator_of
from wangge.places.services import apply_status
from wangge.places.status_rules import is_enforcement_member, open_rectification_orders
from wangge.workorders.choices import Kind, Priority
from wangge.workorders.models import WorkOrder
from wangge.workorders.services import open_order, record_reinspection

from . import flag_notice, ladder, plausibility, risk
from . import photos as photo_files
from .checklists import read_answers
from .choices import (
    CampaignKind,
    CampaignStatus,
    FlagReview,
    InspectionKind,
    LadderStep,
    Outcome,
    Shift,
    TaskReason,
    TaskState,
)
from .models import Answer, Campaign, Checklist, Inspection, Photo, Task, Team
from .routing import rectification_department

MAX_ACCURACY_M = 100_000  # what is kept of a phone's error estimate at most (metres)
# The times an inspection may carry (submit_inspection): from this moment to a year ahead of the server.
EARLIEST_INSPECTION = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
LATEST_AHEAD = datetime.timedelta(days=365)


def shift_at(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment).time()
    return Shift.DAY if DAY_STARTS <= local < NIGHT_STARTS else Shift.NIGHT


# --- campaigns and teams --------------------------------------------------------------------

def check_campaign_scope(actor: User, campaign: Campaign, areas=None) -> None:
    """A campaign's teams and tasks reach every premises of its areas (the whole of its town when it names
    none): only someone of its town who may choose every one of those areas may shape it."""
    if not may_configure(actor, campaign.town_id):
        raise ValidationError({"town": _("This campaign belongs to another town.")})
    areas = list(campaign.areas.all()) if areas is None and campaign.pk else list(areas or [])
    choosable = Area.objects.choosable_by(actor)
    if areas:
        ids = {a.pk for a in areas}
        foreign = choosable.filter(pk__in=ids).count() != len(ids)
    else:
        foreign = Area.objects.filter(level=AreaLevel.GRID, path__startswith=_town_path(campaign)).exclude(
            pk__in=choosable.values("pk")).exists()
    if foreign:
        raise ValidationError({"areas": _("This campaign reaches areas outside yours: only someone responsible for "
                                          "all of them may change it, form its teams or plan it.")})


def _town_path(campaign: Campaign) -> str:
    return Area.objects.filter(pk=campaign.town_id).values_list("path", flat=True).get()


def _choose_town(actor: User, campaign: Campaign) -> bool:
    """The campaign's town: the one named (one of the actor's towns), else the actor's only town. A saved
    campaign keeps its town once it has teams or tasks (they are that town's). True: a saved campaign moves."""
    if campaign.town_id is None:
        town = only_town(actor)
        if town is None:
            raise ValidationError({"town": _("Choose the town of the campaign.")})
        campaign.town = town
    if not Area.objects.filter(pk=campaign.town_id, level=AreaLevel.TOWN).exists():
        raise ValidationError({"town": _("Choose a town.")})
    if not choosable_towns(actor).filter(pk=campaign.town_id).exists():
        raise ValidationError({"town": _("Choose your own town.")})
    if campaign.pk is None:
        return False
    before = Campaign.objects.filter(pk=campaign.pk).values_list("town_id", flat=True).get()
    if before != campaign.town_id and (campaign.teams.exists() or campaign.tasks.exists()):
        raise ValidationError({"town": _("This campaign has teams or tasks already: it stays in its town.")})
    return before != campaign.town_id


def town_people(town_id: int):
    """Who may serve on a campaign of the town (a team's people picker and `check_in_town`): staff of the
    town (an area in, above or below it, or one of its departments); an administrator anywhere."""
    path = Area.objects.filter(pk=town_id).values_list("path", flat=True).get()
    return User.objects.filter(town_members([town_id]) | Q(areas__path__in=ancestors(path))
                               | Q(role_assignments__role=Role.ADMIN) | Q(is_superuser=True)).distinct()


def check_in_town(campaign: Campaign, *, areas=None, departments=None, members=None) -> None:
    """Everything a campaign names is of its own town: its areas lie in it, its units and people are its."""
    town_path = _town_path(campaign)
    errors = {}
    if areas and any(not a.path.startswith(town_path) for a in areas):
        errors["areas"] = _("This area is not in the campaign's town.")
    if departments and any(d.town_id != campaign.town_id for d in departments):
        errors["departments"] = _("This department is not of the campaign's town.")
    ids = {m.pk for m in members or []}  # one query for them all, the same set the people picker offers
    if ids and town_people(campaign.town_id).filter(pk__in=ids).count() != len(ids):
        errors["members"] = _("This person does not work in the campaign's town.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_campaign(actor: User, campaign: Campaign, expected_version: int | None = None, *, categories=None,
                  areas=None, departments=None, members=None) -> Campaign:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    named = {"areas": areas, "departments": departments, "members": members}
    if _choose_town(actor, campaign):  # moved to another town: the rows it keeps must be of that town too
        named = {name: list(getattr(campaign, name).all()) if value is None else value
                 for name, value in named.items()}
    check_in_town(campaign, **named)
    check_campaign_scope(actor, campaign, areas)
    if campaign.pk is None:
        campaign.created_by = actor
    if campaign.checklist_id and not campaign.checklist.is_current and campaign.pk is None:
        raise ValidationError({"checklist": _("Choose the current revision of the checklist.")})
    save_versioned(campaign, expected_version)
    for name, values in (("categories", categories), ("areas", areas), ("departments", departments),
                         ("members", members)):
        if values is not None:
            getattr(campaign, name).set(values)
    return campaign


@transaction.atomic
def set_campaign_status(actor: User, campaign: Campaign, status: str) -> Campaign:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    check_campaign_scope(actor, campaign)
    if status not in CampaignStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    campaign.status = status
    return save_versioned(campaign, campaign.version)


def revert_campaign_status(actor: User, campaign: Campaign, status: str, expected_version: int) -> Campaign:
    """Undo a status change (core.confirm): only while nothing else changed the campaign since."""
    if campaign.version != expected_version:
        raise ValidationError(_("The campaign has changed since: change its status by hand."))
    return set_campaign_status(actor, campaign, status)


def check_team(members: list[User]) -> None:
    """Two or more people, at least one from an enforcement unit (market supervision, law-enforcement
    team, police)."""
    if len({m.pk for m in members}) < 2:
        raise ValidationError({"members": _("A team needs at least two people.")})
    if not any(is_enforcement_member(m) for m in members):
        raise ValidationError({"members": _("A team needs someone from an enforcement unit (market supervision, "
                                            "law-enforcement team or police).")})
    if any(not m.is_active for m in members):
        raise ValidationError({"members": _("This account is not active.")})


@transaction.atomic
def save_team(actor: User, team: Team, members: list[User], expected_version: int | None = None) -> Team:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    check_campaign_scope(actor, team.campaign)
    if len(User.objects.choosable_by(actor).filter(pk__in={m.pk for m in members})) != len({m.pk for m in members}):
        raise ValidationError({"members": _("Not found, or outside your area.")})
    check_in_town(team.campaign, members=members)
    check_team(members)
    save_versioned(team, expected_version)
    team.members.set(members)
    team.campaign.members.add(*members)
    return team


@transaction.atomic
def delete_team(actor: User, team: Team) -> None:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    check_campaign_scope(actor, team.campaign)
    if team.tasks.filter(state=TaskState.DONE).exists() or team.inspections.exists():
        raise ValidationError(_("This team has inspected already; it cannot be removed."))
    team.delete()


# --- submitting an inspection ---------------------------------------------------------------

def _current_checklist(code: str = "epidemic") -> Checklist:
    checklist = Checklist.objects.filter(code=code, is_current=True).first()
    if checklist is None:
        raise ValidationError({"checklist": _("Choose a checklist.")})
    return checklist


def _lock_task(actor: User, task_id: int) -> Task:
    task = Task.objects.visible_to(actor).select_for_update().filter(pk=task_id).first()
    if task is None:
        raise ValidationError({"task": _("Not found, or outside your area.")})
    return task


def _labels(outcomes) -> str:
    return "、".join(str(Outcome(o).label) for o in outcomes)


def _check_outcome(outcome: str, violations: int, inspectors: list[User], *, fixed_description: str,
                   rectification_items: str, deadline: datetime.date | None, legal_reason: str,
                   today: datetime.date, allowed: tuple[str, ...] = tuple(Outcome.values)) -> dict[str, str]:
    """One rule for the outcome, whatever the form: it must be one this subject allows, and with a
    violation one of the allowed outcomes other than compliant; each message names exactly those."""
    errors: dict[str, str] = {}
    if outcome not in allowed:
        return {"outcome": _("Choose one of: %(choices)s.") % {"choices": _labels(allowed)}}
    if violations and outcome == Outcome.COMPLIANT:
        errors["outcome"] = _("%(n)s item(s) are violated: choose %(choices)s, not compliant.") % {
            "n": violations, "choices": _labels(o for o in allowed if o != Outcome.COMPLIANT)}
    if outcome == Outcome.FIXED and not fixed_description.strip():
        errors["fixed_description"] = _("Say what was fixed on the spot.")
    if outcome == Outcome.RECTIFICATION:
        if not rectification_items.strip():
            errors["rectification_items"] = _("List what must be rectified.")
        if deadline is None:
            errors["deadline"] = _("Set the deadline for the rectification.")
        elif deadline < today:
            errors["deadline"] = _("The deadline cannot be before the day of the inspection.")
    if outcome == Outcome.SHUTDOWN and not legal_reason.strip():
        errors["legal_reason"] = _("Give the legal reason for the shutdown.")
    if outcome in (Outcome.RECTIFICATION, Outcome.SHUTDOWN):
        if len(inspectors) < 2:
            errors["inspectors"] = _("A rectification order or a shutdown needs two or more inspectors present.")
        elif not any(is_enforcement_member(u) for u in inspectors):
            errors["inspectors"] = _("A rectification order or a shutdown needs an inspector from an enforcement "
                                     "unit (market supervision, law-enforcement team or police).")
    return errors


def submit_inspection(actor: User, *, client_id, premises: Premises | None = None, task: Task | None = None,
                      subject=None,
                      checklist: Checklist | None = None, answers: dict[str, str] | None = None,
                      photos: list[tuple[str, object]] = (), inspectors: list[User] = (),
                      outcome: str = "", fixed_description: str = "", rectification_items: str = "",
                      deadline: datetime.date | None = None, suspend: bool = False, legal_reason: str = "",
                      questioned: str = "", notes: str = "", latitude=None, longitude=None, accuracy_m=None,
                      inspected_at: datetime.datetime | None = None,
                      ladder: dict[str, dict] | None = None,
                      outcomes: tuple[str, ...] | None = None) -> tuple[Inspection, bool]:
    """Record one inspection and its consequences. Returns (inspection, created): sending the same
    `client_id` again returns the first inspection and changes nothing.

    What is inspected: a campaign `task`, or a `premises`, or any other `subject` — a record with a
    `grid` foreign key whose model's manager has `visible_to(user)` (a compound's gates, a sampling site);
    such an inspection needs its `checklist`, cannot shut or suspend anything, and a rectification
    opens a work order about the subject. `outcomes` narrows the outcomes a form offers (an entry check:
    compliant or fixed on the spot); the one outcome rule then names only those."""
    require(actor, Perm.INSPECT)
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError as exc:
        raise ValidationError({"client_id": _("A submission needs a valid id.")}) from exc
    # Photos are read before any row is written: a bad photo rejects the whole submission.
    prepared, photo_errors = [], {}
    for item_code, upload in photos:
        try:
            prepared.append(photo_files.prepare(upload, item_code or ""))
        except ValidationError as exc:
            photo_errors[f"photos.{item_code or 'general'}"] = exc.messages[0]
    stored: list[str] = []
    try:
        # The trail entries of the inspection, its inspectors and its photos are inserted together.
        with transaction.atomic(), audit.batched():
            result = _submit(
                actor, client_id, premises=premises, task=task, subject=subject, checklist=checklist,
                raw_answers=answers or {}, prepared=prepared, photo_errors=photo_errors, inspectors=list(inspectors),
                outcome=outcome, fixed_description=fixed_description, rectification_items=rectification_items,
                deadline=deadline, suspend=suspend, legal_reason=legal_reason, questioned=questioned, notes=notes,
                latitude=latitude, longitude=longitude, accuracy_m=accuracy_m, inspected_at=inspected_at, stored=stored,
                requested_steps=ladder or {}, outcomes=outcomes)
    except Exception:
        for name in stored:  # no orphan files when the rows are rolled back
            default_storage.delete(name)
        raise
    return result


def _accuracy(accuracy_m, latitude, longitude, errors: dict) -> int | None:
    """The phone's error estimate in whole metres, kept only with a position (it says nothing alone). A
    position located by the network can be kilometres out: kept, up to MAX_ACCURACY_M (a submission made
    offline is never refused for what its phone said about itself). Not a distance: an error in `errors`,
    reported with the submission's other field errors."""
    if accuracy_m is None or latitude is None or longitude is None:
        return None
    try:
        metres = float(accuracy_m)
    except (TypeError, ValueError):
        metres = -1.0
    if not metres >= 0:  # negative, or not a number
        errors["accuracy_m"] = _("The location's accuracy is a distance in metres, 0 or more.")
        return None
    return round(min(metres, MAX_ACCURACY_M))


def _submit(actor, client_id, *, premises, task, subject, checklist, raw_answers, prepared, photo_errors, inspectors,
            outcome, fixed_description, rectification_items, deadline, suspend, legal_reason, questioned, notes,
            latitude, longitude, accuracy_m, inspected_at, stored, requested_steps,
            outcomes) -> tuple[Inspection, bool]:
    if task is not None:
        task = _lock_task(actor, task.pk)  # serialises two sends of the same task
    existing = Inspection.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _same_submission(actor, existing), False
    moment = inspected_at or timezone.now()
    if not EARLIEST_INSPECTION <= moment <= timezone.now() + LATEST_AHEAD:
        # A time a little ahead is kept and flagged (plausibility.py); one years off is a phone's clock gone
        # wrong (reset to 1970, or 9999), which no day, shift or window of the review can be counted from.
        raise ValidationError({"inspected_at": _("The time of the inspection (%(when)s) cannot be right: check the "
                                                 "phone's date and time, then send it again.") % {
            "when": formats.date_format(moment.date(), "DATE_FORMAT")}})
    today = timezone.localtime(moment).date()  # a form sent later (offline) is judged on its own day
    errors: dict[str, str] = dict(photo_errors)
    other = None  # a subject that is not a premises
    if isinstance(subject, Premises):
        premises, subject = subject, None
    if task is not None:
        premises = Premises.objects.select_for_update().get(pk=task.premises_id)  # the task's, so in scope
        if task.state == TaskState.DONE:
            raise ValidationError({"task": _("This task was inspected already (%(when)s).") % {
                "when": timezone.localtime(task.inspection.inspected_at).strftime("%Y-%m-%d %H:%M")
                if task.inspection else "—"}}, code="conflict")
        checklist = task.campaign.checklist
    elif subject is not None:
        other = _check_subject(actor, subject, checklist)
    elif premises is None:
        raise ValidationError({"premises": _("Choose the premises.")})
    else:  # read once: in the user's scope, and locked
        premises = Premises.objects.visible_to(actor).select_for_update().filter(pk=premises.pk).first()
        if premises is None:
            raise ValidationError({"premises": _("Not found, or outside your area.")})
    if premises is not None and premises.status in (PremisesStatus.SHUT, PremisesStatus.CLOSED):
        raise ValidationError({"premises": _("This premises is “%(status)s”: there is nothing to inspect.") % {
            "status": premises.get_status_display()}}, code="conflict")
    # What this inspection decides: a re-inspection task's order, or — inspected outside a campaign —
    # the premises' open rectification order, so a finding is followed to a close without a campaign.
    if task is not None:
        decides = task.work_order if task.reason == TaskReason.REINSPECTION and task.work_order_id else None
    else:
        decides = _open_rectifications(premises).first() if premises is not None else None
    reinspection = decides is not None or (task is not None and task.reason == TaskReason.REINSPECTION)
    checklist = checklist or _current_checklist()
    items = checklist.items_for(premises.category_id if premises else None)
    photo_items = {p.item_code for p in prepared if p.item_code}
    readings, answer_errors = read_answers(items, raw_answers, photo_items)
    errors.update(answer_errors)
    team = task.team if task is not None else None
    people = {actor.pk: actor}
    for person in inspectors:
        people.setdefault(person.pk, person)
    violations = sum(r.is_violation for r in readings)
    # Only premises are shut down: another subject's outcomes stop at a rectification order.
    allowed = tuple(o for o in (outcomes or Outcome.values) if other is None or o != Outcome.SHUTDOWN)
    errors.update(_check_outcome(outcome, violations, list(people.values()), fixed_description=fixed_description,
                                 rectification_items=rectification_items, deadline=deadline,
                                 legal_reason=legal_reason, today=today, allowed=allowed))
    if other is not None and suspend:
        errors["suspend"] = _("Only premises are suspended.")
    steps = []
    if premises is not None:  # the ladder and the risk score are about premises
        decided = ladder.decided_step(outcome, bool(suspend))
        steps, ladder_errors = ladder.plan(premises.pk, [r.item for r in readings if r.is_violation],
                                           requested_steps, decided,
                                           legal_reason if decided == LadderStep.CASE_FILED else rectification_items)
        errors.update(ladder_errors)
    accuracy_m = _accuracy(accuracy_m, latitude, longitude, errors)
    if errors:
        raise ValidationError(errors)
    # Kept and counted whatever it says, but flagged for review when its time or place is implausible.
    flags = plausibility.check(actor, subject=premises or other, campaign=task.campaign if task else None,
                               inspected_at=moment, latitude=latitude, longitude=longitude, accuracy_m=accuracy_m)
    inspection = Inspection(
        client_id=client_id, kind=InspectionKind.REINSPECTION if reinspection else InspectionKind.ROUTINE,
        campaign=task.campaign if task else None, task=task, team=team, premises=premises, checklist=checklist,
        subject_type=ContentType.objects.get_for_model(other) if other is not None else None,
        subject_id=other.pk if other is not None else None, subject_label=str(premises or other)[:200],
        grid_id=(premises or other).grid_id,
        inspected_at=moment, shift=shift_at(moment), submitted_by=actor, latitude=latitude, longitude=longitude,
        accuracy_m=accuracy_m, questioned=questioned.strip()[:100], notes=notes.strip(), violation_count=violations,
        outcome=outcome,
        fixed_description=fixed_description.strip() if outcome == Outcome.FIXED else "",
        rectification_items=rectification_items.strip() if outcome == Outcome.RECTIFICATION else "",
        deadline=deadline if outcome == Outcome.RECTIFICATION else None,
        suspended=bool(suspend) and outcome == Outcome.RECTIFICATION,
        legal_reason=legal_reason.strip() if outcome == Outcome.SHUTDOWN else "",
        reinspection_of=_first_finding(decides) if decides is not None else None,
        flags=flags, flag_review=FlagReview.PENDING if flags else "",
    )
    try:
        with transaction.atomic():
            # Every foreign key names a row this function loaded itself (premises, grid, checklist, task,
            # team, campaign, user, content type), so the existence checks are left out, and the check
            # constraints hold by construction (the outcome rule asks for a deadline; there is always a
            # subject): the database still enforces both. The fields' own checks remain.
            inspection.full_clean(exclude=["client_id", *_LOADED], validate_constraints=False)
            inspection.save()
    except IntegrityError:
        # Another request with the same id won the race (without a task to lock on).
        existing = Inspection.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _same_submission(actor, existing), False
    inspectors = sorted(people.values(), key=lambda u: u.username)  # as `inspection.inspectors.all()` orders them
    added_to_new(inspection, "inspectors", [u.pk for u in inspectors])
    flag_notice.tell_reviewers(inspection)
    answers = Answer.objects.bulk_create([Answer(inspection=inspection, item=r.item, value=r.value, number=r.number,
                                                 is_violation=r.is_violation) for r in readings])
    by_code = {i.code: i for i in items}
    pictures = []
    for p in prepared:  # as received: the worker re-encodes them (photos.py)
        name = photo_files.store(p)
        stored.append(name)
        pictures.append(Photo(inspection=inspection, item=by_code.get(p.item_code), file=name, processed=False,
                              width=p.width, height=p.height, size=len(p.image), original_name=p.original_name))
    if pictures:
        Photo.objects.bulk_create(pictures)
        photo_files.after_commit()
    # The caller may show what was recorded (the API answers with it): it is at hand, not read back.
    hold(inspection, inspectors=inspectors, answers=sorted(answers, key=lambda a: a.item.order), photos=pictures)
    if other is not None:
        _order_about(actor, inspection, other)
        return inspection, True
    ladder.record(inspection, steps)
    _consequences(actor, inspection, task, decides, today)
    if task is not None:
        task.state, task.inspection = TaskState.DONE, inspection
        task.save(update_fields=["state", "inspection", "updated_at"])
    risk.refresh([premises.pk])  # its history changed
    return inspection, True


_LOADED = [f.name for f in Inspection._meta.concrete_fields if f.is_relation]


def _check_subject(actor: User, subject, checklist: Checklist | None):
    model = type(subject)
    manager = getattr(model, "objects", None)
    if not hasattr(manager, "visible_to") or not manager.visible_to(actor).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": _("Not found, or outside your area.")})
    if getattr(subject, "grid_id", None) is None:
        raise ValidationError({"subject": _("This record has no grid.")})
    if checklist is None:
        raise ValidationError({"checklist": _("Choose a checklist.")})
    return subject


def _order_about(actor: User, inspection: Inspection, subject) -> None:
    """A rectification found on another subject (a compound's gate, a sampling site) is a work order
    about it; there is no status to suspend and no campaign task to re-inspect."""
    if inspection.outcome != Outcome.RECTIFICATION:
        return
    label = str(subject)
    inspection.work_order = open_order(
        actor, kind=Kind.RECTIFICATION, title=(_("Rectify: %(premises)s") % {"premises": label})[:200],
        grid=subject.grid, deadline=inspection.deadline, description=inspection.rectification_items,
        source=_("Inspection of %(date)s") % {
            "date": timezone.localtime(inspection.inspected_at).strftime("%Y-%m-%d %H:%M")},
        source_object=inspection, subject=subject, subject_label=label[:200])
    inspection.save(update_fields=["work_order", "updated_at"])


def _same_submission(actor: User, existing: Inspection) -> Inspection:
    if existing.submitted_by_id != actor.pk:
        raise ValidationError({"client_id": _("This submission id belongs to another inspection.")})
    return existing


def _first_finding(order: WorkOrder) -> Inspection | None:
    """The inspection whose rectification order this re-inspection checks."""
    return (Inspection.objects.filter(work_order=order, kind=InspectionKind.ROUTINE)
            .order_by("inspected_at").first())


def _open_rectifications(premises: Premises):
    """The premises' rectification orders still open, oldest first."""
    return open_rectification_orders(premises).order_by("created_at")


def _rectifying_unit(inspection: Inspection, premises: Premises):
    """The unit that enforces the violated items, falling back to the premises category's."""
    violated = [a.item for a in inspection.answers.filter(is_violation=True)
                .select_related("item__department", "item__checklist__department")]
    return rectification_department(violated, regulator_of(premises), town_id_of(premises.grid_id))


def _consequences(actor: User, inspection: Inspection, task: Task | None, order: WorkOrder | None,
                  today: datetime.date) -> None:
    premises = inspection.premises
    label = str(premises)
    if order is not None:
        inspection.work_order = order
        # This verdict replaces any other planned re-inspection of the same order (e.g. a look-back's).
        Task.objects.filter(work_order=order, state=TaskState.PLANNED).exclude(pk=getattr(task, "pk", None)).delete()
        if inspection.passed:
            record_reinspection(actor, order, passed=True,
                                comment=_("Re-inspection passed on %(date)s.") % {"date": today})
        elif inspection.outcome == Outcome.RECTIFICATION:
            record_reinspection(actor, order, passed=False, new_deadline=inspection.deadline,
                                comment=_("Re-inspection failed: %(items)s New deadline %(date)s.") % {
                                    "items": inspection.rectification_items, "date": inspection.deadline})
            if inspection.suspended:
                _set_status(actor, inspection, PremisesStatus.SUSPENDED)
            _schedule_reinspection(inspection, order)
        else:  # shutdown
            record_reinspection(actor, order, passed=False,
                                comment=_("Re-inspection failed; the premises is shut: %(reason)s") % {
                                    "reason": inspection.legal_reason})
        inspection.save(update_fields=["work_order", "updated_at"])
    elif inspection.outcome == Outcome.RECTIFICATION:
        order = open_order(
            actor, kind=Kind.RECTIFICATION, title=(_("Rectify: %(premises)s") % {"premises": label})[:200],
            grid=premises.grid, department=_rectifying_unit(inspection, premises), deadline=inspection.deadline,
            priority=Priority.HIGH if inspection.suspended else Priority.NORMAL,
            description=inspection.rectification_items, source=_("Inspection of %(date)s") % {
                "date": timezone.localtime(inspection.inspected_at).strftime("%Y-%m-%d %H:%M")},
            source_object=inspection, subject=premises, subject_label=label,
            requester_name=premises.contact_name, requester_unit=premises.operator or label)
        inspection.work_order = order
        inspection.save(update_fields=["work_order", "updated_at"])
        if inspection.suspended:
            _set_status(actor, inspection, PremisesStatus.SUSPENDED)
        _schedule_reinspection(inspection, order)
    if (inspection.outcome in (Outcome.COMPLIANT, Outcome.FIXED) and premises.status == PremisesStatus.SUSPENDED
            and not _open_rectifications(premises).exists()):
        # The suspension lasts until its rectification passes (or, suspended by hand, an inspection does).
        _set_status(actor, inspection, PremisesStatus.OPEN)
    if inspection.outcome == Outcome.SHUTDOWN:
        _set_status(actor, inspection, PremisesStatus.SHUT)
        # Nothing is left to inspect there: drop its planned tasks, and settle its open rectification
        # orders — the shutdown decides them.
        Task.objects.filter(premises=premises, state=TaskState.PLANNED).exclude(pk=getattr(task, "pk", None)).delete()
        for order in _open_rectifications(premises):
            record_reinspection(actor, order, passed=False, comment=_(
                "Closed by the shutdown of the premises: %(reason)s") % {"reason": inspection.legal_reason})


def _set_status(actor: User, inspection: Inspection, status: str) -> None:
    """Move the premises as the inspection decided, and remember on the inspection that it did."""
    before = inspection.premises.status
    apply_status(actor, inspection.premises, status, inspection=inspection)
    if inspection.premises.status != before:
        inspection.status_set = status
        inspection.save(update_fields=["status_set", "updated_at"])


def _schedule_reinspection(inspection: Inspection, order) -> Task | None:
    """A re-inspection task at the deadline, for the same team, in the same campaign."""
    if inspection.campaign_id is None:
        return None
    shift = Shift.NIGHT if inspection.premises.shift == "night" else inspection.shift
    return save_versioned(Task(campaign=inspection.campaign, premises=inspection.premises, team=inspection.team,
                               shift=shift, planned_on=inspection.deadline, reason=TaskReason.REINSPECTION,
                               note=_("Re-inspection of work order #%(id)s") % {"id": order.pk},
                               work_order=order), None)


# --- plausibility review ----------------------------------------------------------------------

def void_blockers(inspection: Inspection) -> list[str]:
    """What the inspection set in motion that voiding it could not honestly undo: a rectification order
    it opened or decided, a premises status it set. Empty: it may be voided."""
    found = []
    if inspection.work_order_id:
        found.append(_("work order #%(id)s") % {"id": inspection.work_order_id})
    if inspection.status_set:
        found.append(_("the premises became “%(status)s”") % {"status": PremisesStatus(inspection.status_set).label})
    return found


@transaction.atomic
def review_flags(actor: User, inspection: Inspection, *, decision: str, reason: str) -> Inspection:
    """Confirm a flagged inspection (it stays counted) or void it (it no longer counts: its task is to
    be done again, its escalation steps and risk points drop). Voiding is refused when the inspection
    set something in motion (`void_blockers`); someone who took part never reviews it. Recorded in the
    audit trail with the reason."""
    require(actor, Perm.REVIEW_INSPECTIONS)
    if not Inspection.objects.visible_to(actor).filter(pk=inspection.pk).exists():
        raise ValidationError({"inspection": _("Not found, or outside your area.")})
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.flag_review != FlagReview.PENDING:
        raise ValidationError({"decision": _("Nothing to check: it has no flag, or it was reviewed already.")})
    if decision not in (FlagReview.CONFIRMED, FlagReview.VOIDED):
        raise ValidationError({"decision": _("Choose: confirm or void.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for your decision.")})
    if locked.submitted_by_id == actor.pk or locked.inspectors.filter(pk=actor.pk).exists():
        raise ValidationError({"decision": _("You took part in this inspection: someone else reviews it.")})
    if decision == FlagReview.VOIDED:
        blockers = void_blockers(locked)
        if blockers:
            raise ValidationError({"decision": _(
                "This inspection set things in motion (%(what)s): it cannot be voided. Confirm it, and correct "
                "those through the work order and the premises' status.") % {"what": "、".join(blockers)}})
        task = locked.task
        if task is not None and task.inspection_id == locked.pk:
            task.state, task.inspection = TaskState.PLANNED, None  # the premises is to be inspected again
            task.save(update_fields=["state", "inspection", "updated_at"])
    locked.flag_review, locked.review_reason = decision, reason[:300]
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.version += 1
    locked.audit_reason = reason[:200]
    locked.save(update_fields=["flag_review", "review_reason", "reviewed_by", "reviewed_at", "version",
                               "updated_at"])
    if decision == FlagReview.VOIDED and locked.premises_id:
        risk.refresh([locked.premises_id])  # its violations no longer count
    return locked


# --- look-back ------------------------------------------------------------------------------

def nested_quotes(name: str) -> str:
    """A name quoted inside “…” takes single quotes for its own (“‘两节’排查”), never a doubled ““."""
    return name.replace("“", "‘").replace("”", "’")


@transaction.atomic
def create_lookback(actor: User, campaign: Campaign, *, name: str, starts_on: datetime.date,
                    ends_on: datetime.date, share: int | None = None, seed: int | None = None) -> Campaign:
    """A look-back round (回头看): every premises with a finding, every one not yet inspected, and a
    reproducible random sample of the compliant ones."""
    from .lookback import select_lookback

    require(actor, Perm.MANAGE_CAMPAIGNS)
    if campaign.kind != CampaignKind.ROUND:
        raise ValidationError(_("A look-back round is made from an inspection round."))
    share = campaign.sample_share if share is None else share
    if not 0 <= share <= 100:
        raise ValidationError({"share": _("The share is a percentage from 0 to 100.")})
    checklist = Checklist.objects.filter(code=campaign.checklist.code, is_current=True).first() or campaign.checklist
    lookback = Campaign(town_id=campaign.town_id, kind=CampaignKind.LOOKBACK, parent=campaign, name=name,
                        starts_on=starts_on, ends_on=ends_on, checklist=checklist, key_only=campaign.key_only,
                        sample_share=share, sample_seed=campaign.sample_seed if seed is None else seed,
                        plan=_("Look-back of “%(name)s”.") % {"name": nested_quotes(campaign.name)})
    save_campaign(actor, lookback, categories=list(campaign.categories.all()), areas=list(campaign.areas.all()),
                  departments=list(campaign.departments.all()))
    shifts = dict(campaign.tasks.exclude(reason=TaskReason.REINSPECTION).values_list("premises_id", "shift"))
    # A premises whose rectification order is still open is re-inspected against that order.
    open_orders = dict(Task.objects.filter(campaign=campaign, reason=TaskReason.REINSPECTION, state=TaskState.PLANNED)
                       .values_list("premises_id", "work_order_id"))
    tasks = []
    for pid, reason in select_lookback(campaign, share, lookback.sample_seed):
        order_id = open_orders.get(pid) if reason == TaskReason.FINDING else None
        tasks.append(Task(campaign=lookback, premises_id=pid, shift=shifts.get(pid, Shift.DAY),
                          reason=TaskReason.REINSPECTION if order_id else reason, work_order_id=order_id,
                          note=_("Re-inspection of work order #%(id)s") % {"id": order_id} if order_id else ""))
    Task.objects.bulk_create(tasks)
    return lookback


def check_may_inspect(actor: User) -> None:
    if not actor.can(Perm.INSPECT):
        raise PermissionDenied
