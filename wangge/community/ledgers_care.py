"""Ledger kind `care-visits`: the care-visit list, exported and printed as the page shows it (date,
resident, grid, visitors; the condition, notes and needs stay on the visit's own page)."""

from django.utils.translation import gettext_lazy as _l

from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column
from wangge.core.tabular.heading import FilterWord
from wangge.core.tabular.kinds import LedgerKind, register

from .models import CareVisit


def filter_care_visits(queryset, params):
    """The care-visit list's filter: a month (yyyy-mm)."""
    month = str(params.get("month", "") or "")
    if len(month) == 7 and month[:4].isdecimal() and month[4] == "-" and month[5:].isdecimal():
        queryset = queryset.filter(visited_on__year=int(month[:4]), visited_on__month=int(month[5:]))
    return queryset


@register
class CareVisitKind(LedgerKind):
    name = "care-visits"
    label = _l("Care visits")
    model = CareVisit
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_RESIDENTS
    list_url = "community:care_visit_list"
    filter_words = [FilterWord("month", _l("Month"))]
    columns = [Column("visited_on", _l("Date"), width=12), Column("resident", _l("Resident"), width=10),
               Column("grid", _l("Grid"), width=16), Column("visitors", _l("Visitors"), width=20)]

    def export_queryset(self, actor, unmasked=False):
        return CareVisit.objects.visible_to(actor).select_related("resident", "resident__grid").defer(
            "resident__id_number", "resident__phone")

    def filter(self, queryset, params, user=None):
        return filter_care_visits(queryset, params)

    def export_row(self, obj, unmasked=False):
        return [obj.visited_on, obj.resident.name, obj.resident.grid.name, obj.visitors]
