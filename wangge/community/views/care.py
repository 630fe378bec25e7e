"""Special groups: the list, "not visited in N days", record a care visit, a visit's page."""

import uuid

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.core.permissions import permission_required
from wangge.core.privacy import reads_health_text
from wangge.core.roles import Perm
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404

from ..forms_more import CareVisitForm
from ..ledgers_care import filter_care_visits
from ..models import CareVisit, Resident
from ..services import care as services

DEFAULT_DAYS = 7


def _days(request) -> int:
    text = request.GET.get("days", "")
    return min(int(text), 3650) if text.isdecimal() else DEFAULT_DAYS


@permission_required(Perm.VIEW_RESIDENTS)
def special_list(request):
    """Special groups with their last visit; ?days=N keeps only those not visited in N days."""
    visible = Resident.objects.visible_to(request.user)
    days = _days(request)
    only_due = request.GET.get("due") == "1"
    if only_due:
        rows = services.not_visited(visible, days, viewer=request.user)
    else:
        rows = services.special_groups(visible, viewer=request.user).annotate(
            last_visit=services.Max("care_visits__visited_on")).order_by("grid_id", "compound__name", "building",
                                                                         "name")
    return render(request, "community/special_list.html", {
        "page": Paginator(rows.select_related("grid", "compound"), 50).get_page(request.GET.get("page")),
        "days": days, "due": only_due, "section": "care", "today": timezone.localdate(),
        "can_reveal": request.user.can(Perm.REVEAL_PERSONAL), "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.VIEW_RESIDENTS)
def visit_list(request):
    visits = filter_care_visits(CareVisit.objects.visible_to(request.user), request.GET).select_related(
        "resident", "resident__grid")
    return render(request, "community/care_visit_list.html", {
        "page": Paginator(visits, 50).get_page(request.GET.get("page")), "section": "care",
        "month": request.GET.get("month", "")[:7]})


@permission_required(Perm.EDIT_RESIDENTS)
def visit_create(request, resident_pk):
    resident = get_visible_or_404(Resident.objects.filter(merged_into__isnull=True), request.user, pk=resident_pk)
    form = CareVisitForm(request.POST or None, initial={
        "visited_on": timezone.localdate(), "visitors": request.user.full_name or request.user.username,
        "client_id": uuid.uuid4()})

    def save(form):
        data = form.cleaned_data
        form.visit, _created = services.record_care_visit(
            request.user, resident, visited_on=data["visited_on"], visitors=data["visitors"],
            condition=data["condition"], notes=data["notes"], client_id=data["client_id"],
            needs={k: data[k] for k in ("daily_life", "medical", "supplies")})

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:care_visit_detail", pk=form.visit.pk)
    return render(request, "community/care_visit_form.html", {"form": form, "resident": resident, "section": "care"})


@permission_required(Perm.VIEW_RESIDENTS)
def visit_detail(request, pk):
    visit = get_visible_or_404(CareVisit.objects.select_related("resident", "recorded_by"), request.user, pk=pk)
    return render(request, "community/care_visit_detail.html", {
        "object": visit, "orders": services.need_orders(visit).visible_to(request.user), "section": "care",
        "can_reveal": request.user.can(Perm.REVEAL_PERSONAL), "reads_health": reads_health_text(request.user)})
