"""The options of a list's filter boxes (grids, compounds, categories, departments, campaigns).

Built once per request as plain (value, label, chosen) triples from one query of two columns: no
model instances, and the "is this the chosen one" test done here, not per option in the template
(a district leader's grid box holds 1,000 options). The template loops:
`{% for value, label, chosen in grid_options %}<option value="{{ value }}"{% if chosen %} selected{% endif %}>`.
"""

from wangge.core.models import Area, AreaLevel


def options(queryset, selected, label: str = "name") -> list[tuple[str, str, bool]]:
    chosen = str(selected or "")
    return [(str(pk), text, str(pk) == chosen) for pk, text in queryset.values_list("pk", label)]


def grid_options(user, selected) -> list[tuple[str, str, bool]]:
    """The grids the user sees, in the area tree's order."""
    return options(Area.objects.visible_to(user).filter(level=AreaLevel.GRID).order_by("path"), selected)
