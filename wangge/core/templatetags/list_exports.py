"""`{% list_exports "work-orders" %}`: the Excel and print buttons of a list page, carrying the page's
current filters, shown only to those who may export that list."""

from django import template

from ..tabular.kinds import get_kind

register = template.Library()


@register.inclusion_tag("core/_list_exports.html", takes_context=True)
def list_exports(context, kind_name: str, **extra):
    request = context["request"]
    kind = get_kind(kind_name)
    allowed = kind.allows(request.user, kind.export_permission)
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in extra.items():  # a list under a parent (a round's door-knocking list) names it
        params[key] = value
    return {"allowed": allowed, "kind": kind, "query_string": params.urlencode()}
