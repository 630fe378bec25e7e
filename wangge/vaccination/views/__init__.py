"""Pages of the vaccination drive: coverage, the 60+ register and one person's record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.community.models import Compound
from wangge.core.models import Area, AreaLevel
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.validators import normalise
from wangge.core.visibility import get_visible_or_404

from ..choices import AgeBand
from ..filters import STATUS_CHOICES, register_people
from ..forms import AppointmentForm, CensusForm, ContactForm, DoseForm, VoidForm
from ..models import Appointment, CensusAnswer, Contact, Dose, Elder, FollowUp, Visit
from ..schemas import status_row
from ..services import coverage
from ..services.status import band_of, earliest_next, on_register, reference_date


def as_of_or_today(request):
    """The page's reference date (?as_of=); a bad one is said in Chinese and today is used."""
    try:
        return reference_date(request.GET.get("as_of"))
    except ValidationError:
        messages.error(request, _("The reference date is not a date such as 2022-05-01; today is used."))
        return reference_date()


def post_action(request, form, do) -> bool:
    """Validate a small action form and run the service; errors become messages (Chinese in the UI)."""
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''} {e}".strip()
                                         for f, errs in form.errors.items() for e in errs))
        return False
    try:
        do(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, _("Saved."))
    return True


def common(request, **context):
    user = request.user
    return {"section": "vaccination", "can_record": user.can(Perm.RECORD_VACCINATION),
            "can_dose": user.can(Perm.RECORD_DOSES), "can_health": user.can(Perm.VIEW_HEALTH),
            "can_import": user.can(Perm.IMPORT_DOSES), **context}


@permission_required(Perm.VIEW_VACCINATION)
def overview(request):
    user, as_of = request.user, as_of_or_today(request)
    return render(request, "vaccination/overview.html", common(
        request, as_of=as_of, total=coverage.total(user, as_of, _("Total")),
        neighbourhoods=coverage.by_neighbourhood(user, as_of), compounds=coverage.by_compound(user, as_of),
        bands=coverage.by_band(user, as_of),
        contract=coverage.by_contract(user, as_of, (_("contract signed"), _("not signed"))),
        months=coverage.over_time(user, as_of), nav="overview"))


@permission_required(Perm.VIEW_VACCINATION)
def register_list(request):
    user, as_of = request.user, as_of_or_today(request)
    people = register_people(user, as_of, request.GET)
    query = normalise(request.GET.get("q", "").replace("\x00", ""))[:50]
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    for person in page:
        person.band = band_of(person.birth_date, as_of)
    return render(request, "vaccination/register.html", common(
        request, page=page, as_of=as_of, q=query, params=request.GET, nav="register",
        hoods=Area.objects.visible_to(user).filter(level=AreaLevel.NEIGHBOURHOOD).only("name"),
        compounds=Compound.objects.visible_to(user).only("name") if user.can(Perm.VIEW_RESIDENTS) else [],
        bands=AgeBand.choices, statuses=STATUS_CHOICES))


def get_person(request, pk, aged: bool = False) -> Elder:
    """A person through the drive's rule; `aged`: only someone on the 60+ register (a family doctor sees the
    unsigned residents of their areas for the drive, not everyone under 60 there)."""
    people = Elder.objects.select_related("grid", "compound", "family_doctor")
    return get_visible_or_404(on_register(people) if aged else people, request.user, pk=pk)


@permission_required(Perm.VIEW_VACCINATION)
def person_detail(request, pk):
    person = get_person(request, pk, aged=True)
    as_of = as_of_or_today(request)
    row = status_row(person)
    doses = list(Dose.objects.filter(resident=person).select_related("point"))
    trail = None
    if request.user.can(Perm.VIEW_AUDIT):  # the change record of the person's doses, newest first
        trail = sorted((r for d in doses for r in trail_of(d)), key=lambda r: r["entry"].at, reverse=True)[:200]
    return render(request, "vaccination/person.html", common(
        request, object=person, row=row, band=band_of(person.birth_date, as_of), as_of=as_of, nav="register",
        doses=doses, trail=trail, next_from=earliest_next([d for d in doses if d.voided_at is None]),
        answers=CensusAnswer.objects.filter(resident=person).select_related("asked_by"),
        contacts=Contact.objects.filter(resident=person).select_related("by")[:50],
        appointments=Appointment.objects.filter(resident=person).select_related("point")[:50],
        visits=Visit.objects.filter(resident=person).select_related("point", "dose")[:50],
        follow_ups=FollowUp.objects.filter(resident=person)[:50],
        census_form=CensusForm(), contact_form=ContactForm(), appointment_form=AppointmentForm(),
        dose_form=DoseForm(), void_form=VoidForm()))


def back_to_person(pk):
    return redirect("vaccination:person_detail", pk=pk)


def dose_of(request, pk) -> Dose:
    return get_visible_or_404(Dose.objects.select_related("resident"), request.user, pk=pk)
