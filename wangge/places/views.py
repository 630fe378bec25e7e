from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wangge.core.options import grid_options, options
from wangge.core.pagination import paginate_list
from wangge.core.permissions import permission_required
from wangge.core.reveal import reveal_fragment
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404
from wangge.workorders.models import WorkOrder

from . import services
from .choices import PremisesStatus, Shift, VenueCodeStatus
from .filters import filter_premises, filter_segments
from .forms import PremisesForm, SegmentForm, StatusForm
from .models import Premises, PremisesCategory, RoadSegment
from .status_rules import may_change_by_hand

LIST_FIELDS = ("name", "address", "status", "venue_code_status", "shift", "is_key", "credit_code", "updated_at",
               "category__name", "grid__name", "segment__road", "segment__from_number", "segment__to_number",
               "segment__side")


def _premises(request):
    return Premises.objects.visible_to(request.user)


@permission_required(Perm.VIEW_PREMISES)
def premises_list(request):
    rows = filter_premises(_premises(request), request.GET).select_related("category", "grid", "segment")
    context = {
        "page": paginate_list(rows.only(*LIST_FIELDS), request.GET.get("page")), "params": request.GET,
        "query_string": request.GET.urlencode(),
        "can_edit": request.user.can(Perm.EDIT_PREMISES), "can_export": request.user.can(Perm.EXPORT),
    }
    if request.headers.get("HX-Request"):  # the rows only: no filter boxes to fill
        return render(request, "places/_premises_rows.html", context)
    context.update({
        "category_options": options(PremisesCategory.objects.all(), request.GET.get("category")),
        "grid_options": grid_options(request.user, request.GET.get("grid")),
        "statuses": PremisesStatus.choices, "venue_codes": VenueCodeStatus.choices, "shifts": Shift.choices,
    })
    return render(request, "places/premises_list.html", context)


@permission_required(Perm.VIEW_PREMISES)
def premises_detail(request, pk):
    premises = get_visible_or_404(_premises(request).select_related("category", "grid", "segment__chief",
                                                                     "building"), request.user, pk=pk)
    orders = None
    if request.user.can(Perm.VIEW_WORKORDERS):
        orders = WorkOrder.objects.visible_to(request.user).filter(
            subject_type=ContentType.objects.get_for_model(Premises), subject_id=premises.pk,
        ).select_related("department", "assignee").order_by("-created_at")[:100]
    return render(request, "places/premises_detail.html", {
        "object": premises, "trail": trail_of(premises) if request.user.can(Perm.VIEW_AUDIT) else None,
        "orders": orders, "can_raise": request.user.can(Perm.RAISE_WORKORDERS),
        "tenants": premises.tenants.visible_to(request.user).only("name", "status")[:200],
        "can_edit": request.user.can(Perm.EDIT_PREMISES), "can_reveal": request.user.can(Perm.REVEAL_PERSONAL),
        "status_form": StatusForm(initial={"status": premises.status}),
        "can_change_status": may_change_by_hand(request.user),
        # The reverse relation needs no import of the inspections app (it sits above places).
        "inspections": premises.inspections.visible_to(request.user).select_related("campaign")[:50]
        if request.user.can(Perm.VIEW_INSPECTIONS) else None,
    })


@sensitive_post_parameters("contact_phone")
@permission_required(Perm.EDIT_PREMISES)
def premises_edit(request, pk=None):
    premises = get_visible_or_404(_premises(request), request.user, pk=pk) if pk else Premises()
    form = PremisesForm(request.POST or None, instance=premises, user=request.user)

    def save(form):
        fields = {k: form.cleaned_data[k] for k in services.EDITABLE if k in form.cleaned_data}
        if pk:
            services.update_premises(request.user, premises, form.cleaned_data.get("version"), **fields)
        else:
            form.instance = services.register_premises(request.user, **fields)

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("places:premises_detail", pk=form.instance.pk)
    return render(request, "places/premises_form.html", {"form": form, "object": premises if pk else None})


@require_POST
@permission_required(Perm.VIEW_PREMISES)
def premises_status(request, pk):
    """The by-hand path; who may do what is decided by `services.apply_status` (status_rules.py)."""
    premises = get_visible_or_404(_premises(request), request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("places:premises_detail", pk=pk)
    try:
        services.apply_status(request.user, premises, form.cleaned_data["status"], form.cleaned_data["reason"],
                              decision=form.cleaned_data["decision"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("places:premises_detail", pk=pk)


@require_POST
@permission_required(Perm.EDIT_PREMISES)
def premises_delete(request, pk):
    premises = get_visible_or_404(_premises(request), request.user, pk=pk)
    try:
        services.delete_premises(request.user, premises)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("places:premises_detail", pk)
    messages.success(request, _("Deleted."))
    return redirect("places:premises_list")


@require_POST
@permission_required(Perm.REVEAL_PERSONAL)
def premises_reveal(request, pk):
    return reveal_fragment(request, get_visible_or_404(_premises(request), request.user, pk=pk))


@permission_required(Perm.VIEW_PREMISES)
def premises_map(request):
    params = request.GET.copy()
    params.pop("colour", None)
    return render(request, "places/premises_map.html", {"query_string": params.urlencode(),
                                                        "by_risk": request.GET.get("colour") == "risk"})


@permission_required(Perm.VIEW_PREMISES)
def segment_list(request):
    rows = filter_segments(RoadSegment.objects.visible_to(request.user), request.GET).select_related("grid", "chief")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "places/segment_list.html", {
        "page": page, "params": request.GET, "query_string": request.GET.urlencode(),
        "can_edit": request.user.can(Perm.EDIT_PREMISES), "can_export": request.user.can(Perm.EXPORT),
        "unplaced": _premises(request).filter(segment__isnull=True).count(),
    })


@permission_required(Perm.EDIT_PREMISES)
def segment_edit(request, pk=None):
    segment = get_visible_or_404(RoadSegment, request.user, pk=pk) if pk else RoadSegment()
    form = SegmentForm(request.POST or None, instance=segment, user=request.user)
    if request.method == "POST" and apply_form(
        request, form, lambda f: services.save_segment(request.user, f.instance, f.cleaned_data.get("version"))
    ):
        return redirect("places:segment_list")
    return render(request, "core/object_form.html", {
        "form": form, "object": segment if pk else None, "title": _("Road segment"), "back": "places:segment_list",
        "trail": trail_of(segment) if pk else None})


@require_POST
@permission_required(Perm.EDIT_PREMISES)
def segment_delete(request, pk):
    segment = get_visible_or_404(RoadSegment, request.user, pk=pk)
    try:
        services.delete_segment(request.user, segment)
        messages.success(request, _("Deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("places:segment_list")
