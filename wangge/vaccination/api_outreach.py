"""API of outreach and the vaccination day: worklists, contacts, appointments, visits, follow-ups."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from .api import as_of_of, bounded, elder, point_of, router, viewer
from .models import Appointment, Contact, FollowUp, Visit
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    CheckInIn,
    ContactIn,
    ContactOut,
    Day,
    ElderOut,
    FollowUpIn,
    FollowUpOut,
    ReleaseIn,
    VaccinateIn,
    VisitOut,
)
from .services import day as day_services
from .services import outreach


@router.get("/worklist", response=list[ElderOut],
            summary="Worklist in priority order: a family doctor's (no hood) or a neighbourhood's or grid's unsigned")
@paginate(Pages, page_size=50)
def get_worklist(request, as_of: Day | None = None, hood: Id | None = None):
    user = viewer(request)
    bounded(hood=hood)
    area = None
    if hood is not None:
        area = outreach.worklist_areas(user).filter(pk=hood).first()
        if area is None:
            raise ValidationError({"hood": _("No such neighbourhood, or outside your area.")})
    return outreach.worklist(user, as_of_of(as_of), area).defer("id_number", "phone")


@router.get("/contacts", response=list[ContactOut], summary="Outreach contacts (动员), latest first")
@paginate(Pages, page_size=50)
def list_contacts(request, resident_id: Id | None = None):
    rows = Contact.objects.visible_to(viewer(request))
    bounded(resident_id=resident_id)
    return rows.filter(resident_id=resident_id) if resident_id else rows


@router.post("/contacts", response={200: ContactOut, 201: ContactOut},
             summary="Record a contact (a repeated client_id returns the first, 200)")
def create_contact(request, payload: ContactIn):
    require(request.user, Perm.RECORD_VACCINATION)
    data = payload.dict()
    person = elder(request, data.pop("resident_id"))
    contact, created = outreach.record_contact(request.user, person, **data)
    return Status(201 if created else 200, contact)


@router.get("/appointments", response=list[AppointmentOut], summary="Appointments")
@paginate(Pages, page_size=50)
def list_appointments(request, date: Day | None = None, point_id: Id | None = None):
    rows = Appointment.objects.visible_to(viewer(request))
    bounded(point_id=point_id)
    if date:
        rows = rows.filter(date=date)
    return rows.filter(point_id=point_id) if point_id else rows


@router.get("/appointments/{int:appointment_id}", response=AppointmentOut)
def get_appointment(request, appointment_id: Id):
    return get_visible_or_404(Appointment, viewer(request), pk=appointment_id)


@router.post("/appointments", response={201: AppointmentOut}, summary="Book at a point, or at home for the bedridden")
def create_appointment(request, payload: AppointmentIn):
    require(request.user, Perm.RECORD_VACCINATION)
    person = elder(request, payload.resident_id)
    return Status(201, outreach.book(request.user, person, point=point_of(payload.point_id), date=payload.date,
                                     at_home=payload.at_home))


@router.post("/appointments/{int:appointment_id}/cancel", response=AppointmentOut)
def cancel_appointment(request, appointment_id: Id):
    appointment = get_visible_or_404(Appointment.objects.select_related("resident"), viewer(request),
                                     pk=appointment_id)
    return outreach.cancel(request.user, appointment)


@router.post("/appointments/{int:appointment_id}/called", response=AppointmentOut,
             summary="The reminder call was made (明日接种提醒)")
def call_made(request, appointment_id: Id):
    appointment = get_visible_or_404(Appointment.objects.select_related("resident"), viewer(request),
                                     pk=appointment_id)
    return outreach.mark_called(request.user, appointment)


@router.get("/visits", response=list[VisitOut], summary="Vaccination visits (check-ins), latest first")
@paginate(Pages, page_size=50)
def list_visits(request, point_id: Id | None = None, date: Day | None = None):
    rows = Visit.objects.visible_to(viewer(request))
    bounded(point_id=point_id)
    if point_id:
        rows = rows.filter(point_id=point_id)
    if date:
        start = timezone.make_aware(datetime.datetime.combine(date, datetime.time()))
        rows = rows.filter(checked_in_at__gte=start, checked_in_at__lt=start + datetime.timedelta(days=1))
    return rows


@router.get("/visits/{int:visit_id}", response=VisitOut)
def get_visit(request, visit_id: Id):
    return get_visible_or_404(Visit, viewer(request), pk=visit_id)


@router.post("/visits", response={201: VisitOut}, summary="Check a person in at a point")
def check_in(request, payload: CheckInIn):
    require(request.user, Perm.RECORD_VACCINATION)
    person = elder(request, payload.resident_id)
    appointment = None
    if payload.appointment_id:
        appointment = Appointment.objects.visible_to(request.user).filter(pk=payload.appointment_id).first()
        if appointment is None:
            raise ValidationError({"appointment_id": _("No such appointment.")})
    return Status(201, day_services.check_in(request.user, point_of(payload.point_id), person,
                                             appointment=appointment))


def _visit(request, visit_id):
    return get_visible_or_404(Visit.objects.select_related("resident", "point"), viewer(request), pk=visit_id)


@router.post("/visits/{int:visit_id}/vaccinate", response=VisitOut, summary="Record the dose; observation starts")
def vaccinate(request, visit_id: Id, payload: VaccinateIn):
    return day_services.vaccinate(request.user, _visit(request, visit_id), **payload.dict())


@router.post("/visits/{int:visit_id}/release", response=VisitOut,
             summary="Release after the 30-minute observation, with any adverse reaction")
def release(request, visit_id: Id, payload: ReleaseIn):
    return day_services.release(request.user, _visit(request, visit_id), **payload.dict())


@router.get("/follow-ups", response=list[FollowUpOut], summary="Follow-ups (随访); overdue=true for the late ones")
@paginate(Pages, page_size=50)
def list_follow_ups(request, overdue: bool = False):
    user = viewer(request)
    return day_services.overdue_follow_ups(user) if overdue else FollowUp.objects.visible_to(user)


@router.post("/follow-ups/{int:follow_up_id}/result", response=FollowUpOut, summary="Record a follow-up's result")
def follow_up_result(request, follow_up_id: Id, payload: FollowUpIn):
    follow_up = get_visible_or_404(FollowUp.objects.select_related("resident"), viewer(request), pk=follow_up_id)
    return day_services.record_follow_up(request.user, follow_up, result=payload.result, notes=payload.notes,
                                         on=payload.done_on)
