from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wangge.core import privacy
from wangge.core.options import grid_options, options
from wangge.core.pagination import paginate_list
from wangge.core.permissions import permission_required
from wangge.core.reveal import reveal_fragment
from wangge.core.roles import Perm
from wangge.core.search import digest_of, is_identifier, search_by_post
from wangge.core.tabular.writing import CONTENT_TYPES
from wangge.core.trail import trail_of
from wangge.core.validators import normalise
from wangge.core.views import apply_form
from wangge.workorders.models import WorkOrder

from .. import services
from ..forms import ResidentForm
from ..ledgers import ResidentKind
from ..models import CareVisit, Compound, Resident

LIST_FIELDS = ("name", "id_number_masked", "phone_masked", "sex", "birth_date", "grid__name", "address",
               "status", "family_doctor__full_name", "family_doctor__username", "compound__name", "building", "room",
               *Resident.FLAGS)


def filtered_residents(request):
    """The visible residents narrowed by the list's filters (the same filter serves the export)."""
    residents = ResidentKind().filter(Resident.objects.visible_to(request.user), request.GET, user=request.user)
    query = normalise(request.GET.get("q", ""))
    # A searched full number is never written back into the page (nor into its links).
    return residents, "" if is_identifier(query) else query, request.GET.get("grid", "")


@permission_required(Perm.VIEW_RESIDENTS)
@search_by_post
def resident_list(request):
    residents, query, grid = filtered_residents(request)
    page = paginate_list(residents.select_related("grid", "family_doctor", "compound").only(*LIST_FIELDS),
                         request.GET.get("page"))
    htmx = request.headers.get("HX-Request")  # the rows only: no filter boxes to fill
    grids = [] if htmx else grid_options(request.user, grid)
    compounds = [] if htmx else options(Compound.objects.visible_to(request.user), request.GET.get("compound"))
    can_reveal = request.user.can(Perm.REVEAL_PERSONAL)
    flags = [(f, Resident._meta.get_field(f).verbose_name) for f in Resident.FLAGS] if can_reveal else []
    context = {"page": page, "q": query, "qh": digest_of(request.GET) or "", "grid": grid, "grids": grids,
               "compounds": compounds, "flags": flags,
               "compound": request.GET.get("compound", ""), "flag": request.GET.get("flag", ""),
               "can_reveal": can_reveal, "section": "residents",
               "can_edit": request.user.can(Perm.EDIT_RESIDENTS), "can_export": request.user.can(Perm.EXPORT)}
    template = "community/_resident_rows.html" if htmx else "community/resident_list.html"
    return render(request, template, context)


@permission_required(Perm.VIEW_RESIDENTS)
def resident_detail(request, pk):
    resident = _get(request, pk)
    user = request.user
    merged = list(resident.merged_records.all())
    audit = user.can(Perm.VIEW_AUDIT)
    return render(request, "community/resident_detail.html", {
        "object": resident, "section": "residents",
        "trail": trail_of(resident) if audit else None,
        # Both histories stay readable after a merge: each merged record's own trail.
        "merged": [(m, trail_of(m) if audit else None) for m in merged],
        "visits": CareVisit.objects.visible_to(user).filter(resident=resident)[:20],
        "results": resident.screening_results.select_related("round").order_by("-round__date")[:20],
        "orders": WorkOrder.objects.visible_to(user).filter(
            subject_type=ContentType.objects.get_for_model(Resident),
            subject_id__in=[resident.pk, *(m.pk for m in merged)]).order_by("-id")[:20],
        "can_reveal": user.can(Perm.REVEAL_PERSONAL),
        "can_edit": user.can(Perm.EDIT_RESIDENTS) and not resident.merged_into_id,
    })


@sensitive_post_parameters("id_number", "phone")
@permission_required(Perm.EDIT_RESIDENTS)
def resident_edit(request, pk=None):
    resident = _get(request, pk) if pk else Resident()
    form = ResidentForm(request.POST or None, instance=resident, user=request.user)

    def save(form):
        fields = {k: form.cleaned_data[k] for k in services.EDITABLE}
        if pk:
            services.update_resident(request.user, resident, form.cleaned_data.get("version"), **fields)
        else:
            form.instance = services.register_resident(request.user, **fields)

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:resident_detail", pk=form.instance.pk)
    return render(request, "community/resident_form.html", {"form": form, "object": resident if pk else None,
                                                            "section": "residents"})


@require_POST
@permission_required(Perm.REVEAL_PERSONAL)
def resident_reveal(request, pk):
    return reveal_fragment(request, _get(request, pk))


@require_POST
@permission_required(Perm.REVEAL_PERSONAL)
def resident_export(request, pk):
    """Everything held about this resident, unmasked, as a file (PIPL Art. 45); logged with the reason."""
    resident = _get(request, pk)
    fmt = "json" if request.POST.get("format") == "json" else "xlsx"
    try:
        body, fmt = privacy.export_person(request.user, resident, request.POST.get("reason", ""), fmt=fmt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:resident_detail", pk=resident.pk)
    response = HttpResponse(body, content_type=CONTENT_TYPES.get(fmt, "application/json"))
    response["Content-Disposition"] = f'attachment; filename="resident-{resident.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _get(request, pk):
    from wangge.core.visibility import get_visible_or_404

    return get_visible_or_404(Resident.objects.select_related("grid", "family_doctor"), request.user, pk=pk)
