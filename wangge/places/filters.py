"""One filter for premises and one for road segments: the list pages, their exports and the API."""

from django.db.models import Q

from wangge.core.ids import param_id
from wangge.core.validators import normalise

PREMISES_SORTS = {
    "name": ("name", "id"), "-updated": ("-updated_at", "-id"), "status": ("status", "name", "id"),
    "category": ("category__sort_order", "name", "id"), "address": ("address_road", "address_number", "id"),
}


def filter_premises(queryset, params):
    query = normalise(params.get("q", "") or "")
    if query:
        condition = Q(name__icontains=query) | Q(address__icontains=query)
        if len(query) == 18:
            condition |= Q(credit_code=query.upper())
        queryset = queryset.filter(condition)
    for field, param in (("category_id", "category"), ("grid_id", "grid"), ("segment_id", "segment")):
        if (value := param_id(params.get(param))) is not None:
            queryset = queryset.filter(**{field: value})
    if params.get("segment") == "none":
        queryset = queryset.filter(segment__isnull=True)
    for field in ("status", "venue_code_status", "shift"):
        if params.get(field):
            queryset = queryset.filter(**{field: params[field]})
    if params.get("key") in ("1", "true"):
        queryset = queryset.filter(is_key=True)
    return queryset.order_by(*PREMISES_SORTS.get(params.get("sort", ""), PREMISES_SORTS["name"]))


def filter_segments(queryset, params):
    query = normalise(params.get("q", "") or "")
    if query:
        queryset = queryset.filter(road__icontains=query)
    if (grid := param_id(params.get("grid"))) is not None:
        queryset = queryset.filter(grid_id=grid)
    if params.get("chief") == "none":
        queryset = queryset.filter(chief__isnull=True)
    return queryset
