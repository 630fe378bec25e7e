import uuid

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wangge.core import towns
from wangge.core.models import Area, AreaLevel
from wangge.core.permissions import permission_required
from wangge.core.reveal import reveal_fragment
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404
from wangge.workorders.choices import State

from . import figures, services
from .choices import DemandCategory, EnterpriseStatus, Industry
from .filters import days_param, filter_enterprises, filter_visits
from .forms import DemandFormSet, EnterpriseForm, ParkForm, RouteForm, VisitForm
from .models import DemandRoute, Enterprise, EnterpriseVisit, Park


def _enterprises(request):
    return Enterprise.objects.visible_to(request.user)


def _open_demand_counts(user, enterprises) -> dict[int, int]:
    rows = figures.demand_orders_for(user, enterprises).exclude(state=State.CLOSED).order_by()
    return dict(rows.values_list("subject_id").annotate(n=Count("id")))


@permission_required(Perm.VIEW_ENTERPRISES)
def overview(request):
    days = days_param(request.GET)
    enterprises = _enterprises(request)
    return render(request, "economy/overview.html", {
        "figures": figures.overview(request.user, enterprises, days, timezone.localdate()), "days": days,
        "parks": Park.objects.visible_to(request.user).annotate(n=Count("enterprises")).order_by("name"),
    })


# --- parks ------------------------------------------------------------------------------------

@permission_required(Perm.VIEW_ENTERPRISES)
def park_list(request):
    parks = Park.objects.visible_to(request.user).select_related("area", "department").order_by("name")
    return render(request, "economy/park_list.html", {
        "parks": parks, "can_edit": request.user.can(Perm.EDIT_ENTERPRISES)})


@permission_required(Perm.VIEW_ENTERPRISES)
def park_detail(request, pk):
    park = get_visible_or_404(Park.objects.select_related("area", "department"), request.user, pk=pk)
    enterprises = list(figures.with_last_visit(_enterprises(request).filter(park=park)).select_related("grid")
                       .defer("contact_phone"))
    counts = _open_demand_counts(request.user, _enterprises(request).filter(park=park))
    for enterprise in enterprises:
        enterprise.open_demands = counts.get(enterprise.pk, 0)
    last = EnterpriseVisit.objects.visible_to(request.user).filter(enterprise__park=park).select_related(
        "enterprise").first()
    return render(request, "economy/park_detail.html", {
        "object": park, "enterprises": enterprises, "last_visit": last, "open_demands": sum(counts.values()),
        "can_edit": request.user.can(Perm.EDIT_ENTERPRISES),
        "trail": trail_of(park) if request.user.can(Perm.VIEW_AUDIT) else None,
    })


@permission_required(Perm.EDIT_ENTERPRISES)
def park_edit(request, pk=None):
    park = get_visible_or_404(Park, request.user, pk=pk) if pk else Park()
    form = ParkForm(request.POST or None, instance=park, user=request.user)
    if request.method == "POST" and apply_form(
        request, form, lambda f: services.save_park(request.user, f.instance, f.cleaned_data.get("version"))
    ):
        return redirect("economy:park_detail", pk=form.instance.pk)
    return render(request, "core/object_form.html", {
        "form": form, "object": park if pk else None, "title": _("Park"), "back": "economy:park_list"})


# --- enterprises ------------------------------------------------------------------------------

@permission_required(Perm.VIEW_ENTERPRISES)
def enterprise_list(request):
    rows = filter_enterprises(_enterprises(request), request.GET).select_related("grid", "park")
    page = Paginator(figures.with_last_visit(rows).defer("contact_phone"), 50).get_page(request.GET.get("page"))
    return render(request, "economy/enterprise_list.html", {
        "page": page, "params": request.GET, "query_string": request.GET.urlencode(),
        "parks": Park.objects.visible_to(request.user).only("name"), "statuses": EnterpriseStatus.choices,
        "industries": Industry.choices,
        "grids": Area.objects.visible_to(request.user).filter(level=AreaLevel.GRID).only("name"),
        "can_edit": request.user.can(Perm.EDIT_ENTERPRISES), "can_export": request.user.can(Perm.EXPORT),
    })


@permission_required(Perm.VIEW_ENTERPRISES)
def not_visited(request):
    days = days_param(request.GET)
    rows = figures.not_visited(_enterprises(request), days, timezone.localdate()).select_related("grid", "park")
    page = Paginator(rows.defer("contact_phone"), 50).get_page(request.GET.get("page"))
    return render(request, "economy/not_visited.html", {"page": page, "days": days,
                                                        "query_string": f"days={days}"})


def _labelled(orders) -> list:
    return list(orders)


def demand_rows(user, enterprise):
    """The enterprise's demand orders the user may see: open ones, then closed ones with the answer."""
    orders = figures.demand_orders_for(user).filter(subject_id=enterprise.pk).select_related(
        "department", "assignee").order_by("-created_at", "-id")
    rows = _labelled(orders[:500])
    return [o for o in rows if o.state != State.CLOSED], [o for o in rows if o.state == State.CLOSED]


@permission_required(Perm.VIEW_ENTERPRISES)
def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(_enterprises(request).select_related("grid", "park"), request.user, pk=pk)
    open_orders, closed = demand_rows(request.user, enterprise)
    return render(request, "economy/enterprise_detail.html", {
        "object": enterprise, "open_orders": open_orders, "closed_orders": closed,
        "visits": EnterpriseVisit.objects.visible_to(request.user).filter(enterprise=enterprise)[:50],
        "can_edit": request.user.can(Perm.EDIT_ENTERPRISES), "can_visit": request.user.can(Perm.VISIT_ENTERPRISES),
        "can_reveal": request.user.can(Perm.REVEAL_PERSONAL),
        "trail": trail_of(enterprise) if request.user.can(Perm.VIEW_AUDIT) else None,
    })


@sensitive_post_parameters("contact_phone")
@permission_required(Perm.EDIT_ENTERPRISES)
def enterprise_edit(request, pk=None):
    enterprise = get_visible_or_404(_enterprises(request), request.user, pk=pk) if pk else Enterprise()
    initial = {"park": request.GET.get("park")} if not pk and request.GET.get("park", "").isdecimal() else None
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user, initial=initial)
    if request.method == "POST" and apply_form(
        request, form, lambda f: services.save_enterprise(request.user, f.instance, f.cleaned_data.get("version"))
    ):
        return redirect("economy:enterprise_detail", pk=form.instance.pk)
    return render(request, "economy/enterprise_form.html", {"form": form, "object": enterprise if pk else None})


@require_POST
@permission_required(Perm.REVEAL_PERSONAL)
def enterprise_reveal(request, pk):
    if not request.user.can(Perm.VIEW_ENTERPRISES):
        raise PermissionDenied
    return reveal_fragment(request, get_visible_or_404(_enterprises(request), request.user, pk=pk))


# --- visits -----------------------------------------------------------------------------------

@permission_required(Perm.VISIT_ENTERPRISES)
def visit_create(request, pk):
    enterprise = get_visible_or_404(_enterprises(request).select_related("grid"), request.user, pk=pk)
    form = VisitForm(request.POST or None, initial={"client_id": uuid.uuid4()})
    demands = DemandFormSet(request.POST or None, prefix="demands")
    if request.method == "POST" and form.is_valid() and demands.is_valid():
        data = form.cleaned_data
        wanted = [services.Demand(d["category"], d["text"]) for d in demands.cleaned_data
                  if d.get("category") and d.get("text", "").strip()]
        try:
            visit, created = services.record_visit(
                request.user, enterprise, visited_on=data["visited_on"], visitors=data["visitors"],
                operating_status=data["operating_status"], staff_back_percent=data["staff_back_percent"],
                impact=data["impact"], impact_areas=data["impact_areas"], problems=data["problems"],
                demands=wanted, client_id=data["client_id"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved.") if created else _("This visit was already saved."))
            return redirect("economy:visit_detail", pk=visit.pk)
    return render(request, "economy/visit_form.html", {"form": form, "demands": demands, "enterprise": enterprise,
                                                       "routes": _route_labels(enterprise)})


def _route_labels(enterprise) -> list[tuple[str, str]]:
    """Where each category of demand goes from this enterprise's town."""
    routes = {r.category: r.department for r in DemandRoute.objects.select_related("department").filter(
        town_id=towns.town_id_of(enterprise.grid_id))}
    return [(label, str(routes.get(value) or _("town level"))) for value, label in DemandCategory.choices]


@permission_required(Perm.VIEW_ENTERPRISES)
def visit_list(request):
    rows = filter_visits(EnterpriseVisit.objects.visible_to(request.user), request.GET).select_related(
        "enterprise", "recorded_by")
    query = request.GET.get("q", "").strip()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "economy/visit_list.html", {"page": page, "q": query,
                                                       "query_string": request.GET.urlencode()})


@permission_required(Perm.VIEW_ENTERPRISES)
def visit_detail(request, pk):
    visit = get_visible_or_404(EnterpriseVisit.objects.select_related("enterprise", "recorded_by"), request.user,
                               pk=pk)
    from wangge.workorders.models import WorkOrder

    orders = WorkOrder.objects.visible_to(request.user).filter(
        source_type=ContentType.objects.get_for_model(EnterpriseVisit), source_id=visit.pk).select_related(
        "department")
    return render(request, "economy/visit_detail.html", {
        "object": visit, "orders": _labelled(orders),
        "enterprise_visible": _enterprises(request).filter(pk=visit.enterprise_id).exists(),
        "trail": trail_of(visit) if request.user.can(Perm.VIEW_AUDIT) else None,
    })


# --- routing table ----------------------------------------------------------------------------

@permission_required(Perm.VIEW_ENTERPRISES)
def route_list(request):
    routes = DemandRoute.objects.visible_to(request.user).select_related("department", "town")
    can_edit = services.may_edit_routes(request.user)
    rows = [(r, RouteForm(instance=r, prefix=f"r{r.pk}") if can_edit else None) for r in routes]
    return render(request, "economy/route_list.html", {"rows": rows, "can_edit": can_edit,
                                                        "several_towns": len({r.town_id for r in routes}) > 1})


@require_POST
@permission_required(Perm.EDIT_ENTERPRISES)
def route_edit(request, pk):
    route = get_visible_or_404(DemandRoute, request.user, pk=pk)
    form = RouteForm(request.POST, instance=route, prefix=f"r{route.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a department."))
        return redirect("economy:route_list")
    try:
        services.save_route(request.user, form.instance, form.cleaned_data["version"])
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("economy:route_list")

