"""Compound pages: list, detail (gates, buildings, residents counted), edit, gates."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from wangge.core.models import Area, AreaLevel
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404

from .. import entry_control
from ..choices import ResidentStatus
from ..forms import CompoundForm
from ..forms_more import GateForm
from ..ledgers import CompoundKind
from ..models import Compound, Gate
from ..services import compounds as services

LIVING = Q(residents__status=ResidentStatus.LIVING, residents__merged_into__isnull=True)


@permission_required(Perm.VIEW_RESIDENTS)
def compound_list(request):
    compounds = CompoundKind().filter(Compound.objects.visible_to(request.user), request.GET)
    compounds = compounds.select_related("grid").annotate(counted=Count("residents", filter=LIVING, distinct=True),
                                                          gate_count=Count("gates", distinct=True)).order_by(
        "grid__path", "name")
    return render(request, "community/compound_list.html", {
        "page": Paginator(compounds, 50).get_page(request.GET.get("page")), "section": "compounds",
        "grids": Area.objects.visible_to(request.user).filter(level=AreaLevel.GRID),
        "q": request.GET.get("q", ""), "grid": request.GET.get("grid", ""),
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS), "can_export": request.user.can(Perm.EXPORT)})


@permission_required(Perm.VIEW_RESIDENTS)
def compound_detail(request, pk):
    compound = get_visible_or_404(Compound.objects.select_related("grid", "neighbourhood"), request.user, pk=pk)
    residents = compound.residents.filter(status=ResidentStatus.LIVING, merged_into__isnull=True)
    buildings = residents.values("building").annotate(people=Count("pk"),
                                                       households=Count("household", distinct=True)).order_by(
        "building")
    return render(request, "community/compound_detail.html", {
        "object": compound, "section": "compounds", "gates": compound.gates.all(), "buildings": buildings,
        "counted": residents.count(), "rounds": compound.rounds.order_by("-date")[:10],
        "checks": entry_control.checks_of(compound, request.user)[:10],
        "can_inspect": request.user.can(Perm.INSPECT),
        "trail": trail_of(compound) if request.user.can(Perm.VIEW_AUDIT) else None,
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.EDIT_RESIDENTS)
def compound_edit(request, pk=None):
    compound = get_visible_or_404(Compound, request.user, pk=pk) if pk else Compound()
    form = CompoundForm(request.POST or None, instance=compound, user=request.user)

    def save(form):
        form.instance = services.save_compound(request.user, form.instance, form.cleaned_data.get("version"))

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:compound_detail", pk=form.instance.pk)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "compounds", "title": compound.name if pk else None,
        "cancel": f"/residents/compounds/{pk}/" if pk else "/residents/compounds/"})


@permission_required(Perm.EDIT_RESIDENTS)
def gate_edit(request, compound_pk, pk=None):
    compound = get_visible_or_404(Compound, request.user, pk=compound_pk)
    gate = get_visible_or_404(Gate, request.user, pk=pk, compound=compound) if pk else Gate(compound=compound)
    form = GateForm(request.POST or None, instance=gate)

    def save(form):
        form.instance = services.save_gate(request.user, form.instance, form.cleaned_data.get("version"))

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:compound_detail", pk=compound.pk)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "compounds", "title": f"{compound.name} {gate.name}".strip(),
        "cancel": f"/residents/compounds/{compound.pk}/"})
