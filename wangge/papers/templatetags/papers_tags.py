"""The papers of a premises, a work order or an inspection, for those pages' templates: the other apps
need no import of this one (it depends on them, not they on it)."""

from django import template
from django.urls import reverse

from wangge.core.roles import Perm

from ..choices import PaperKind
from ..content import allowed_kinds
from ..models import Paper

register = template.Library()


@register.inclusion_tag("papers/_papers_section.html", takes_context=True)
def papers_section(context, premises=None, order=None, inspection=None):
    user = context["request"].user
    if not user.can(Perm.VIEW_INSPECTIONS):
        return {"hidden": True, "papers": []}
    rows = Paper.objects.visible_to(user).select_related("premises")
    if premises is not None:
        rows = rows.filter(premises=premises)
    if order is not None:
        rows = rows.filter(work_order=order)
    if inspection is not None:
        rows = rows.filter(inspection=inspection)
    create = None
    if inspection is not None and user.can(Perm.INSPECT) and allowed_kinds(inspection):
        create = reverse("papers:paper_create", kwargs={"inspection_pk": inspection.pk})
    return {"papers": rows.order_by("-issued_on", "-id"), "create_url": create, "show_premises": premises is None,
            "request": context["request"]}


@register.simple_tag
def paper_kind_label(kind: str) -> str:
    return PaperKind(kind).label if kind in PaperKind.values else kind
