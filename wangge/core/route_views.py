"""A town's settings page: every routing table (town, category) -> department of the towns the user
manages, on one page (docs/TOWNS.md). The apps register their tables (core/towns.py); this page knows
none of them by name."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import towns
from .models import Department
from .permissions import permission_required
from .roles import Perm
from .visibility import get_visible_or_404


def _label(route) -> str:
    display = getattr(route, "get_category_display", None)
    return str(display() if display else route.category)


@permission_required(Perm.MANAGE_STAFF)
def route_list(request):
    options: dict[int, list] = {}
    for department in Department.objects.visible_to(request.user).filter(is_active=True).order_by("town_id", "code"):
        options.setdefault(department.town_id, []).append(department)
    tables = []
    for model in towns.route_tables():
        related = [f.name for f in model._meta.fields if f.is_relation]
        rows = [(route, _label(route), options.get(route.town_id, []))
                for route in model.objects.visible_to(request.user).select_related(*related)]
        tables.append({"label": model._meta.label_lower, "title": model._meta.verbose_name_plural, "rows": rows})
    several = len({route.town_id for table in tables for route, _l, _o in table["rows"]}) > 1
    return render(request, "core/route_list.html", {"tables": tables, "several_towns": several})


@require_POST
@permission_required(Perm.MANAGE_STAFF)
def route_edit(request, table, pk):
    model = towns.route_table(table)
    if model is None:
        raise Http404
    route = get_visible_or_404(model, request.user, pk=pk)
    chosen, version = request.POST.get("department", ""), request.POST.get("version", "")
    department = None
    if chosen:
        department = Department.objects.filter(pk=int(chosen) if chosen.isdecimal() else 0, town=route.town_id,
                                               is_active=True).first()
        if department is None:
            messages.error(request, _("Choose a department of this town."))
            return redirect("core:route_list")
    try:
        towns.set_route(request.user, route, department, int(version) if version.isdecimal() else None)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:route_list")
