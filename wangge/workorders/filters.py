"""One filter for work orders: the list page, the board and the API."""

from django.db.models import Q

from wangge.core.ids import param_id
from wangge.core.privacy import reads_health_text
from wangge.core.validators import normalise

from .choices import Kind, State

SORTS = {"-id": ("-id",), "deadline": ("deadline", "id"), "-updated": ("-updated_at", "-id")}


def filter_orders(queryset, params, user=None):
    query = normalise(params.get("q", "") or "")
    if query:
        match = Q(title__icontains=query)
        if user is None or not reads_health_text(user):
            # An order holding a health fact names it in its title ("张伟：就医配药"): for a reader who may
            # not see health facts it is found by whom it is about, never by its health words.
            match &= Q(health_note="")
        queryset = queryset.filter(match | Q(subject_label__icontains=query))
    if params.get("kind") in Kind.values:
        queryset = queryset.filter(kind=params["kind"])
    if params.get("state") in State.values:
        queryset = queryset.filter(state=params["state"])
    elif params.get("state") == "open":
        queryset = queryset.exclude(state=State.CLOSED)
    overdue = str(params.get("overdue", "") or "")
    if overdue in ("1", "true", "True"):
        queryset = queryset.filter(overdue_level__gt=0).exclude(state=State.CLOSED)
    elif overdue in ("0", "false", "False"):
        queryset = queryset.filter(overdue_level=0)
    for field, param in (("department_id", "department"), ("grid_id", "grid"), ("visit_id", "visit")):
        if (value := param_id(params.get(param))) is not None:
            queryset = queryset.filter(**{field: value})
    if (area := param_id(params.get("area"))) is not None:  # any area: the orders of every grid under it
        from wangge.core.models import Area

        path = Area.objects.filter(pk=area).values_list("path", flat=True).first()
        queryset = queryset.filter(grid__path__startswith=path) if path else queryset.none()
    tab = params.get("tab", "")
    if user is not None and tab == "mine":
        queryset = queryset.filter(Q(assignee=user) | Q(raised_by=user))
    elif user is not None and tab == "department":
        queryset = queryset.filter(department_id__in=user.department_ids)
    return queryset.order_by(*SORTS.get(params.get("sort", ""), SORTS["-id"]))
