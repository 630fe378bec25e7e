"""Worklists, vaccination points and their day, visits and follow-ups."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wangge.core import crypto
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm, Scope
from wangge.core.search import digest_of, search_by_post
from wangge.core.trail import trail_of
from wangge.core.validators import normalise
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404

from ..choices import AppointmentState
from ..forms import CheckInForm, FollowUpForm, PointForm, ReleaseForm, VaccinateForm
from ..models import Appointment, FollowUp, VaccinationPoint, Visit
from ..services import day, outreach
from ..services.status import band_of, register
from . import as_of_or_today, common, get_person, post_action


@permission_required(Perm.VIEW_VACCINATION)
def worklist(request):
    """A family doctor's own worklist (no hood), or a neighbourhood's unsigned residents (?hood=)."""
    user, as_of = request.user, as_of_or_today(request)
    hoods, hood, people = outreach.worklist_for(user, request.GET, as_of)
    is_doctor = Scope.DOCTOR in user.scopes
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    for person in page:
        person.band = band_of(person.birth_date, as_of)
    return render(request, "vaccination/worklist.html", common(
        request, page=page, as_of=as_of, hoods=hoods, hood=hood, is_doctor=is_doctor, nav="worklist",
        reminders=outreach.reminders_for(user)))


@permission_required(Perm.VIEW_VACCINATION)
def point_list(request):
    points = VaccinationPoint.objects.visible_to(request.user).select_related("grid")
    return render(request, "vaccination/points.html", common(
        request, points=points, nav="points", can_open=request.user.can(Perm.IMPORT_DOSES)))


@permission_required(Perm.IMPORT_DOSES)
def point_edit(request, pk=None):
    """Open a vaccination point, or change one (the health centre's staff)."""
    point = get_visible_or_404(VaccinationPoint, request.user, pk=pk) if pk else VaccinationPoint()
    form = PointForm(request.POST or None, instance=point, user=request.user)

    def save(form):  # the form has set the fields on the point already
        form.instance = day.save_point(request.user, form.instance, form.cleaned_data.get("version") if pk else None)

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("vaccination:point_day", pk=form.instance.pk)
    return render(request, "vaccination/point_form.html", common(
        request, form=form, object=point if pk else None, nav="points", trail=trail_of(point) if pk else None))


@permission_required(Perm.VIEW_VACCINATION)
@search_by_post
def point_day(request, pk):
    """The day at a point: today's appointments to check in, those in observation, those released."""
    point = get_visible_or_404(VaccinationPoint, request.user, pk=pk)
    today = timezone.localdate()
    appointments = Appointment.objects.visible_to(request.user).filter(
        point=point, date=today, state=AppointmentState.BOOKED).select_related("resident")
    visits = Visit.objects.visible_to(request.user).filter(point=point, checked_in_at__date=today).select_related(
        "resident", "dose")
    query = normalise(request.GET.get("q", ""))[:50]
    digest = digest_of(request.GET)
    return render(request, "vaccination/point_day.html", common(
        request, object=point, appointments=appointments, visits=visits, today=today, nav="points",
        can_open=request.user.can(Perm.IMPORT_DOSES),
        q="" if is_id_number(query) else query,  # a searched ID number is never written back into the page
        walk_ins=walk_ins(request.user, query, today, digest) if query or digest else None))


def is_id_number(query: str) -> bool:
    return len(query) == 18 and query[:17].isdecimal()


def walk_ins(user, query: str, today, digest: str | None = None):
    """People on the register who came without an appointment: by a full ID number (its keyed hash, never
    the plaintext: core/search.py) or by name; at most 20."""
    people = register(user, today)
    if digest:
        people = people.filter(id_number_hash=digest)
    elif is_id_number(query):
        people = people.filter(id_number_hash=crypto.keyed_hash(query.upper()))
    else:
        people = people.filter(name__contains=query)
    return people.select_related("compound").defer("id_number", "phone").order_by("name", "id")[:20]


@require_POST
@permission_required(Perm.RECORD_VACCINATION)
def check_in(request, pk):
    point = get_visible_or_404(VaccinationPoint, request.user, pk=pk)
    form = CheckInForm(request.POST)
    made = {}

    def do(d):
        person = get_person(request, d["resident"])
        appointment = Appointment.objects.visible_to(request.user).filter(pk=d["appointment"]).first() if (
            d["appointment"]) else None
        made["visit"] = day.check_in(request.user, point, person, appointment=appointment)

    if post_action(request, form, do):
        return redirect("vaccination:visit_detail", pk=made["visit"].pk)
    return redirect("vaccination:point_day", pk=pk)


def _visit(request, pk):
    return get_visible_or_404(Visit.objects.select_related("resident", "point", "dose"), request.user, pk=pk)


@permission_required(Perm.VIEW_VACCINATION)
def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(request, "vaccination/visit.html", common(
        request, object=visit, now=timezone.now(), vaccinate_form=VaccinateForm(), release_form=ReleaseForm(),
        follow_up=FollowUp.objects.filter(visit=visit).first(), nav="points",
        # The visit's change record holds reactions: only for roles that may see health facts.
        trail=trail_of(visit) if request.user.can(Perm.VIEW_AUDIT) and request.user.can(Perm.VIEW_HEALTH) else None))


@require_POST
@permission_required(Perm.RECORD_DOSES)
def visit_vaccinate(request, pk):
    visit = _visit(request, pk)
    post_action(request, VaccinateForm(request.POST), lambda d: day.vaccinate(request.user, visit, **d))
    return redirect("vaccination:visit_detail", pk=pk)


@require_POST
@permission_required(Perm.RECORD_DOSES)
def visit_release(request, pk):
    visit = _visit(request, pk)
    post_action(request, ReleaseForm(request.POST), lambda d: day.release(request.user, visit, **d))
    return redirect("vaccination:visit_detail", pk=pk)


@permission_required(Perm.VIEW_VACCINATION)
def follow_up_list(request):
    user = request.user
    overdue = request.GET.get("overdue") == "1"
    rows = day.overdue_follow_ups(user) if overdue else FollowUp.objects.visible_to(user).filter(
        done_on__isnull=True)
    page = Paginator(rows.select_related("resident", "visit__point"), 50).get_page(request.GET.get("page"))
    return render(request, "vaccination/follow_ups.html", common(
        request, page=page, overdue=overdue, today=timezone.localdate(), form=FollowUpForm(), nav="follow_ups"))


@require_POST
@permission_required(Perm.RECORD_DOSES)
def follow_up_result(request, pk):
    follow_up = get_visible_or_404(FollowUp.objects.select_related("resident"), request.user, pk=pk)
    post_action(request, FollowUpForm(request.POST), lambda d: day.record_follow_up(
        request.user, follow_up, result=d["result"], notes=d["notes"]))
    return redirect("/vaccination/follow-ups/" + ("?overdue=1" if request.POST.get("overdue") == "1" else ""))


