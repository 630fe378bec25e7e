"""POST actions on one person: census answer, contact, appointment, dose, void; each through a service."""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.visibility import get_visible_or_404

from ..forms import AppointmentForm, CensusForm, ContactForm, DoseForm, VoidForm
from ..models import Appointment
from ..services import census, doses, outreach
from . import back_to_person, dose_of, get_person, post_action


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def census_add(request, pk):
    person = get_person(request, pk)
    post_action(request, CensusForm(request.POST), lambda d: census.record_answer(
        request.user, person, reason=d["reason"], willingness=d["willingness"],
        contraindication=d["contraindication"], until=d["until"], asked_on=d["asked_on"], notes=d["notes"]))
    return back_to_person(pk)


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def contact_add(request, pk):
    person = get_person(request, pk)
    post_action(request, ContactForm(request.POST), lambda d: outreach.record_contact(
        request.user, person, method=d["method"], result=d["result"], contacted_on=d["contacted_on"],
        notes=d["notes"], client_id=d["client_id"]))
    return back_to_person(pk)


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def appointment_add(request, pk):
    person = get_person(request, pk)
    post_action(request, AppointmentForm(request.POST), lambda d: outreach.book(
        request.user, person, point=d["point"], date=d["date"], at_home=d["at_home"]))
    return back_to_person(pk)


@require_POST
@permission_required(Perm.RECORD_DOSES)
def dose_add(request, pk):
    person = get_person(request, pk)
    post_action(request, DoseForm(request.POST), lambda d: doses.record_dose(request.user, person, **d))
    return back_to_person(pk)


@require_POST
@permission_required(Perm.RECORD_DOSES)
def dose_void(request, pk):
    dose = dose_of(request, pk)
    post_action(request, VoidForm(request.POST), lambda d: doses.void_dose(request.user, dose, d["reason"]))
    return back_to_person(dose.resident_id)


def _appointment(request, pk):
    return get_visible_or_404(Appointment.objects.select_related("resident"), request.user, pk=pk)


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def appointment_called(request, pk):
    appointment = _appointment(request, pk)
    outreach.mark_called(request.user, appointment)
    return redirect(request.POST.get("next") if request.POST.get("next") == "/vaccination/worklist/"
                    else f"/vaccination/people/{appointment.resident_id}/")


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def appointment_cancel(request, pk):
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    appointment = _appointment(request, pk)
    try:
        outreach.cancel(request.user, appointment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return back_to_person(appointment.resident_id)
