"""Screening rounds: list, open, coverage per compound, the door-knocking list, record a result."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.ids import param_id
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404

from ..forms_more import ResultForm, RoundForm
from ..models import ScreeningResult, ScreeningRound
from ..services import screening as services


@permission_required(Perm.VIEW_RESIDENTS)
def round_list(request):
    rounds = ScreeningRound.objects.visible_to(request.user).select_related("area")[:100]
    figures = [(r, services.total(services.coverage(r, request.user))) for r in rounds]
    return render(request, "community/round_list.html", {
        "figures": figures, "section": "rounds", "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.EDIT_RESIDENTS)
def round_create(request):
    form = RoundForm(request.POST or None, user=request.user)

    def save(form):
        data = form.cleaned_data
        form.instance = services.open_round(request.user, name=data["name"], date=data["date"],
                                            compounds=data["compounds"], notes=data["notes"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:round_detail", pk=form.instance.pk)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "rounds", "title": _("New screening round"), "cancel": "/residents/rounds/"})


@permission_required(Perm.VIEW_RESIDENTS)
def round_detail(request, pk):
    screening = get_visible_or_404(ScreeningRound.objects.select_related("area"), request.user, pk=pk)
    rows = services.coverage(screening, request.user)
    return render(request, "community/round_detail.html", {
        "object": screening, "rows": rows, "total": services.total(rows), "section": "rounds",
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.VIEW_RESIDENTS)
def round_knock(request, pk):
    """The grid worker's door-knocking list: residents not yet tested, by compound and building."""
    screening = get_visible_or_404(ScreeningRound, request.user, pk=pk)
    compound = request.GET.get("compound", "")
    rows = list(services.not_yet(screening, request.user, param_id(compound)))
    groups = [(key, list(items)) for key, items in groupby(rows, key=lambda r: (r.compound.name, r.building))]
    return render(request, "community/round_knock.html", {
        "object": screening, "groups": groups, "count": len(rows), "section": "rounds", "compound": compound,
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@require_POST
@permission_required(Perm.EDIT_RESIDENTS)
def result_record(request, pk):
    result = get_visible_or_404(ScreeningResult.objects.select_related("resident"), request.user, pk=pk)
    form = ResultForm(request.POST)

    def save(form):
        services.record_result(request.user, result, status=form.cleaned_data["status"],
                               exempt_reason=form.cleaned_data["exempt_reason"],
                               expected_version=form.cleaned_data["version"])

    if not apply_form(request, form, save):
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, _("%(name)s: %(errors)s") % {"name": result.resident or "—",
                                                              "errors": " ".join(errors)})
    back = request.POST.get("compound", "")
    suffix = f"?compound={back}" if back.isdecimal() else ""
    return redirect(f"/residents/rounds/{result.round_id}/knock/{suffix}")


@require_POST
@permission_required(Perm.EDIT_RESIDENTS)
def round_refresh(request, pk):
    screening = get_visible_or_404(ScreeningRound, request.user, pk=pk)
    try:
        added = services.add_to_round(request.user, screening)
        messages.success(request, _("%(count)s residents added to the roster.") % {"count": added})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:round_detail", pk=screening.pk)
