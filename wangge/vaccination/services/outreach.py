"""Outreach (动员): worklists, contacts, appointments and the reminders the day before.

Worklist priority (docs/VACCINATION.md), exactly: (1) aged 80 or more on the reference date first;
(2) then those whose latest census answer says willing and who have no booked appointment from the
reference date on; (3) then the oldest first; (4) then by name and record number.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm, Role, Scope
from wangge.core.services import require, save_versioned

from ..choices import AppointmentState, ContactMethod, ContactResult, Reason, Willingness
from ..models import Appointment, Contact, Elder, VaccinationPoint
from .doses import check_resident
from .status import born_by, not_full_q, register

REMINDER_KEY = "vaccination-reminder:"


# --- worklists ---------------------------------------------------------------------------------------

def doctor_scope_q(user: User) -> Q:
    """A family doctor's people: their signed residents and the unsigned residents of their areas."""
    q = Q(family_doctor=user)
    for path in user.area_paths:
        q |= Q(family_doctor__isnull=True, grid__path__startswith=path)
    return q


def neighbourhood_q(hood: Area) -> Q:
    """A neighbourhood's (or a grid's) worklist: its residents who signed with no family doctor."""
    return Q(family_doctor__isnull=True, grid__path__startswith=hood.path)


def prioritised(queryset, as_of: datetime.date):
    booked = Appointment.objects.filter(resident=OuterRef("pk"), state=AppointmentState.BOOKED, date__gte=as_of)
    return queryset.annotate(
        booked=Exists(booked),
        p_age=Case(When(birth_date__lte=born_by(as_of, 80), then=Value(0)), default=Value(1),
                   output_field=IntegerField()),
    ).annotate(
        p_willing=Case(When(Q(vaccination__census__willingness=Willingness.WILLING, booked=False), then=Value(0)),
                       default=Value(1), output_field=IntegerField()),
    ).order_by("p_age", "p_willing", "birth_date", "name", "id")


def worklist(user: User, as_of: datetime.date, hood: Area | None = None):
    """The people to mobilise, in priority order: on the 60+ register, not fully vaccinated, and either the
    doctor's (no `hood`) or the neighbourhood's unsigned residents."""
    people = register(user, as_of).filter(not_full_q())
    people = people.filter(neighbourhood_q(hood) if hood is not None else doctor_scope_q(user))
    return prioritised(people.select_related("grid", "compound", "vaccination", "vaccination__census"), as_of)


def worklist_for(user: User, params, as_of: datetime.date):
    """The worklist page's choice (?hood=): a family doctor's own list without one, else the chosen (or the
    first) neighbourhood or grid of the user. Returns (the areas to choose from, the one chosen, the people)."""
    hoods = worklist_areas(user)
    hood_id = str(params.get("hood", "") or "")
    hood = hoods.filter(pk=int(hood_id)).first() if hood_id.isdecimal() and len(hood_id) < 10 else None
    if hood is None and Scope.DOCTOR not in user.scopes:
        hood = hoods.first()
    people = worklist(user, as_of, hood) if (hood or Scope.DOCTOR in user.scopes) else Elder.objects.none()
    return hoods, hood, people


def worklist_areas(user: User):
    """The neighbourhoods and grids whose unsigned residents the user may work on (a grid worker: their grid)."""
    return Area.objects.visible_to(user).filter(level__in=[AreaLevel.NEIGHBOURHOOD, AreaLevel.GRID]).order_by("path")


# --- contacts --------------------------------------------------------------------------------------

@transaction.atomic
def record_contact(actor: User, resident, *, method: str, result: str, contacted_on: datetime.date | None = None,
                   notes: str = "", client_id: uuid.UUID | None = None) -> tuple[Contact, bool]:
    """Record one contact; a repeated `client_id` returns the first one (False: nothing new)."""
    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, resident)
    if client_id:
        seen = Contact.objects.filter(client_id=client_id).first()
        if seen is not None:
            if seen.resident_id != resident.pk:
                raise ValidationError({"client_id": _("This client id was used for another person.")})
            return seen, False
    contacted_on = contacted_on or timezone.localdate()
    errors = {}
    if method not in ContactMethod.values:
        errors["method"] = _("Choose how the person was contacted.")
    if result not in ContactResult.values:
        errors["result"] = _("Choose the result.")
    if contacted_on > timezone.localdate():
        errors["contacted_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    contact = Contact(resident=resident, method=method, result=result, contacted_on=contacted_on, by=actor,
                      notes=(notes or "").strip()[:200], client_id=client_id)
    try:
        with transaction.atomic():
            save_versioned(contact, None)
    except IntegrityError:  # the same client id saved at the same moment
        return Contact.objects.get(client_id=client_id), False
    return contact, True


# --- appointments ----------------------------------------------------------------------------------

def may_be_served_at_home(resident) -> bool:
    census = getattr(getattr(resident, "vaccination", None), "census", None)
    return resident.bedridden or bool(census and census.reason == Reason.BEDRIDDEN)


@transaction.atomic
def book(actor: User, resident, *, point: VaccinationPoint | None, date: datetime.date,
         at_home: bool = False) -> Appointment:
    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, resident)
    errors = {}
    if point is None or not point.active:
        errors["point"] = _("Choose an open vaccination point.")
    if not isinstance(date, datetime.date) or date < timezone.localdate():
        errors["date"] = _("Choose today or a later day.")
    if at_home and not may_be_served_at_home(resident):
        errors["at_home"] = _("Vaccination at home is for the bedridden and those who cannot go out.")
    open_ = Appointment.objects.filter(resident=resident, state=AppointmentState.BOOKED,
                                       date__gte=timezone.localdate()).first()
    if open_ is not None:
        errors["date"] = _("This person is already booked for %(date)s; cancel that first.") % {
            "date": open_.date.isoformat()}
    if errors:
        raise ValidationError(errors)
    appointment = save_versioned(Appointment(resident=resident, point=point, date=date, at_home=at_home,
                                             made_by=actor), None)
    today = timezone.localdate()
    if date == today + datetime.timedelta(days=1):
        # Booked for tomorrow: the morning's reminder run may be over, so it is reminded now (once: the
        # run's unique keys and reminded_on make a later run add nothing).
        _remind([appointment], today)
    return appointment


@transaction.atomic
def cancel(actor: User, appointment: Appointment) -> Appointment:
    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, appointment.resident)
    if appointment.state != AppointmentState.BOOKED:
        raise ValidationError({"state": _("Only a booked appointment can be cancelled.")})
    appointment.state = AppointmentState.CANCELLED
    return save_versioned(appointment, appointment.version)


@transaction.atomic
def mark_called(actor: User, appointment: Appointment) -> Appointment:
    """The reminder call was made: the appointment says so and everyone's reminder for it is read."""
    from wangge.workorders.delivery import mark_read
    from wangge.workorders.models import Notification

    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, appointment.resident)
    if appointment.called_at is None:
        appointment.called_at = timezone.now()
        save_versioned(appointment, appointment.version)
    mark_read(Notification.objects.filter(key=f"{REMINDER_KEY}{appointment.pk}"))
    return appointment


# --- reminders the day before (the daily job) ------------------------------------------------------

def responsible(resident, cadres: list[User]) -> list[User]:
    """Who calls the person: their family doctor, else the cadres of their neighbourhood."""
    if resident.family_doctor_id and resident.family_doctor.is_active:
        return [resident.family_doctor]
    return [c for c in cadres if any(resident.grid.path.startswith(p) for p in c.area_paths)]


def send_reminders(today: datetime.date | None = None) -> dict:
    """For each appointment tomorrow, one notification (明日接种提醒) to each responsible user. The
    notification's unique (user, key) and the appointment's reminded_on make a second run add nothing."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    appointments = list(Appointment.objects.filter(date=tomorrow, state=AppointmentState.BOOKED)
                        .select_related("resident__grid", "resident__family_doctor", "point"))
    return {"appointments": len(appointments), "notified": _remind(appointments, today)}


def _remind(appointments: list[Appointment], today: datetime.date) -> int:
    """The reminders of these appointments (tomorrow's), once each; the number of notifications made."""
    from wangge.core.audit import audit_context
    from wangge.workorders.notify import Notice, notify_many

    cadres = list(User.objects.filter(is_active=True, role_assignments__role=Role.NEIGHBOURHOOD_CADRE)
                  .prefetch_related("areas"))
    rows = []
    for a in appointments:
        text = _("Vaccination tomorrow (%(date)s): %(name)s at %(point)s%(home)s. Please call to remind.") % {
            "date": a.date.isoformat(), "name": a.resident.name, "point": a.point.name,
            "home": _(" (home visit)") if a.at_home else ""}
        # A health fact with a name: outside the app (e-mail, WeCom, SMS) only that there is a call to make.
        outside = _("A vaccination appointment tomorrow to remind by phone: see the worklist.")
        rows += [Notice(u, text, key=f"{REMINDER_KEY}{a.pk}", link="/vaccination/worklist/", outside=outside)
                 for u in responsible(a.resident, cadres)]
    with audit_context(actor=None), transaction.atomic():
        made = len(notify_many(rows))
        Appointment.objects.filter(pk__in=[a.pk for a in appointments], reminded_on__isnull=True).update(
            reminded_on=today)
    return made


def reminders_for(user: User):
    """The user's unread reminders with their appointments, for the worklist page."""
    from wangge.workorders.models import Notification

    notes = list(Notification.objects.filter(user=user, key__startswith=REMINDER_KEY, read_at__isnull=True))
    ids = {int(n.key.removeprefix(REMINDER_KEY)) for n in notes if n.key.removeprefix(REMINDER_KEY).isdecimal()}
    return list(Appointment.objects.visible_to(user).filter(pk__in=ids, state=AppointmentState.BOOKED)
                .select_related("resident", "point").order_by("date", "id"))

