"""One filter for enterprises: the list page, its export and the API."""

from django.db.models import Q

from wangge.core.ids import param_id
from wangge.core.validators import normalise

from .figures import DEFAULT_DAYS

MAX_DAYS = 3650


def filter_enterprises(queryset, params):
    query = normalise(params.get("q", "") or "")
    if query:
        condition = Q(name__icontains=query) | Q(address__icontains=query)
        if len(query) == 18:
            condition |= Q(credit_code=query.upper())
        queryset = queryset.filter(condition)
    for field, param in (("park_id", "park"), ("grid_id", "grid")):
        if (value := param_id(params.get(param))) is not None:
            queryset = queryset.filter(**{field: value})
    if params.get("park") == "none":
        queryset = queryset.filter(park__isnull=True)
    for field in ("status", "industry", "size"):
        if params.get(field):
            queryset = queryset.filter(**{field: params[field]})
    return queryset.order_by("name", "id")


def days_param(params) -> int:
    """`?days=N` for "not visited in N days" and coverage: a whole number of days, 30 by default."""
    value = str(params.get("days", "") or "").strip()
    return min(int(value), MAX_DAYS) if value.isdecimal() and int(value) > 0 else DEFAULT_DAYS


def filter_visits(queryset, params):
    """The visit list's search: the enterprise's name or a visitor."""
    query = normalise(params.get("q", "") or "")
    if query:
        queryset = queryset.filter(Q(enterprise__name__icontains=query) | Q(visitors__icontains=query))
    return queryset
