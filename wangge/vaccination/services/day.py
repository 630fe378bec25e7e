"""The vaccination day at a point: check in, give the dose (its observation starts), release after 30
minutes with any adverse reaction, and the follow-up N days later (settings.VACCINATION_FOLLOWUP_DAYS)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import AppointmentState, DoseSource, FollowUpResult, Severity, VaccineType
from ..models import Appointment, Dose, FollowUp, VaccinationPoint, Visit
from .doses import build_dose, check_resident
from .status import earliest_next, recompute

DEFAULT_FOLLOWUP_DAYS = 7


def followup_days() -> int:
    return int(getattr(settings, "VACCINATION_FOLLOWUP_DAYS", DEFAULT_FOLLOWUP_DAYS))


@transaction.atomic
def check_in(actor: User, point: VaccinationPoint, resident, *, appointment: Appointment | None = None,
             now: datetime.datetime | None = None) -> Visit:
    """Check a person in; a second check-in the same day while the first is open returns the first."""
    require(actor, Perm.RECORD_VACCINATION)
    check_resident(actor, resident)
    now = now or timezone.now()
    if appointment is not None and (appointment.resident_id != resident.pk
                                    or appointment.state != AppointmentState.BOOKED):
        raise ValidationError({"appointment": _("This appointment is not a booked one of this person.")})
    if appointment is not None and appointment.date != timezone.localdate(now):
        raise ValidationError({"appointment": _("This appointment is for %(date)s, not today.") % {
            "date": appointment.date.strftime("%Y-%m-%d")}})
    open_visit = Visit.objects.filter(resident=resident, point=point, released_at__isnull=True,
                                      checked_in_at__date=timezone.localdate(now)).first()
    if open_visit is not None:
        return open_visit
    return save_versioned(Visit(resident=resident, point=point, appointment=appointment, checked_in_at=now,
                                checked_in_by=actor), None)


@transaction.atomic
def vaccinate(actor: User, visit: Visit, *, vaccine_type: str, batch: str = "", product: str = "",
              now: datetime.datetime | None = None) -> Visit:
    """Give the next dose: it is recorded at once, the observation starts, the follow-up is planned."""
    require(actor, Perm.RECORD_DOSES)
    check_resident(actor, visit.resident)
    now = now or timezone.now()
    if visit.dose_id:
        raise ValidationError({"dose": _("The dose of this visit is already recorded.")})
    if vaccine_type not in VaccineType.values:
        raise ValidationError({"vaccine_type": _("Choose the vaccine type.")})
    given = list(Dose.objects.filter(resident=visit.resident, voided_at__isnull=True))
    earliest = earliest_next(given)
    if earliest is not None and timezone.localdate(now) < earliest:
        raise ValidationError({"dose": _("Too early for the next dose: the last one was given on %(last)s, the next "
                                         "may be given from %(earliest)s.") % {
            "last": max(d.given_on for d in given), "earliest": earliest}})
    last = max((d.number for d in given), default=0)
    dose = build_dose(visit.resident, number=last + 1, given_on=timezone.localdate(now), vaccine_type=vaccine_type,
                      batch=batch, product=product, point=visit.point, site=visit.point.name,
                      source=DoseSource.GIVEN_HERE)
    dose.recorded_by = actor
    save_versioned(dose, None)
    recompute([visit.resident_id])
    visit.dose = dose
    visit.observation_from = now
    save_versioned(visit, visit.version)
    if visit.appointment_id:
        Appointment.objects.filter(pk=visit.appointment_id).update(state=AppointmentState.DONE)
    save_versioned(FollowUp(visit=visit, resident_id=visit.resident_id,
                            due_on=dose.given_on + datetime.timedelta(days=followup_days())), None)
    return visit


@transaction.atomic
def release(actor: User, visit: Visit, *, reaction: str = "", severity: str = "", handling: str = "",
            now: datetime.datetime | None = None) -> Visit:
    """End the observation, not before 30 minutes have passed; note any adverse reaction."""
    require(actor, Perm.RECORD_DOSES)
    check_resident(actor, visit.resident)
    now = now or timezone.now()
    reaction, handling = (reaction or "").strip(), (handling or "").strip()
    errors = {}
    if visit.released_at:
        errors["visit"] = _("This person was already released.")
    elif not visit.dose_id:
        errors["visit"] = _("Record the dose first.")
    elif now < visit.earliest_release:
        errors["visit"] = _("The observation lasts 30 minutes: release at %(time)s or later.") % {
            "time": timezone.localtime(visit.earliest_release).strftime("%H:%M")}
    if severity not in Severity.values:
        errors["severity"] = _("Choose the severity.")
    elif reaction and not severity:
        errors["severity"] = _("Give the severity of the reaction.")
    elif severity and not reaction:
        errors["reaction"] = _("Describe the reaction.")
    if reaction and not handling:
        errors["handling"] = _("Say how the reaction was handled.")
    if errors:
        raise ValidationError(errors)
    visit.released_at = now
    visit.reaction, visit.severity, visit.handling = reaction[:200], severity, handling[:200]
    return save_versioned(visit, visit.version)


@transaction.atomic
def record_follow_up(actor: User, follow_up: FollowUp, *, result: str, notes: str = "",
                     on: datetime.date | None = None) -> FollowUp:
    require(actor, Perm.RECORD_DOSES)
    check_resident(actor, follow_up.resident)
    on = on or timezone.localdate()
    errors = {}
    released = Visit.objects.filter(pk=follow_up.visit_id).values_list("released_at", flat=True).first()
    if follow_up.done_on:
        errors["result"] = _("This follow-up is already recorded.")
    elif released is None:
        # Its observation is still open: how the person is after the dose is not known yet.
        errors["result"] = _("Release the person from observation before recording the follow-up.")
    elif result not in FollowUpResult.values:
        errors["result"] = _("Choose the result.")
    if on > timezone.localdate():
        errors["done_on"] = _("The date cannot be in the future.")
    elif released is not None and on < timezone.localdate(released):
        errors["done_on"] = _("The follow-up cannot be before the release from observation (%(date)s).") % {
            "date": timezone.localdate(released).strftime("%Y-%m-%d")}
    if errors:
        raise ValidationError(errors)
    follow_up.result, follow_up.done_on, follow_up.done_by = result, on, actor
    follow_up.notes = (notes or "").strip()[:200]
    return save_versioned(follow_up, follow_up.version)


def overdue_follow_ups(user: User, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return FollowUp.objects.visible_to(user).filter(done_on__isnull=True, due_on__lt=today)


@transaction.atomic
def save_point(actor: User, point: VaccinationPoint, expected_version: int | None = None) -> VaccinationPoint:
    require(actor, Perm.IMPORT_DOSES)
    point.name = (point.name or "").strip()
    if not point.name:
        raise ValidationError({"name": _("Name the point.")})
    return save_versioned(point, expected_version)
