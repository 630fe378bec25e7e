"""The work-order list as a ledger kind (export and print only): the list page's own filters
(filters.py), rows through visible_to, grid, department and people by name."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from wangge.core.models import Area, Department
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column
from wangge.core.tabular.heading import FilterWord
from wangge.core.tabular.kinds import LedgerKind, register

from .choices import Kind, State
from .filters import filter_orders
from .models import WorkOrder

TABS = [("mine", _l("Mine")), ("department", _l("My department"))]


@register
class WorkOrderKind(LedgerKind):
    name = "work-orders"
    label = _l("Work orders")
    model = WorkOrder
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_WORKORDERS
    list_url = "workorders:order_list"
    columns = [
        Column("number", _l("Number"), width=6),
        Column("title", _l("Title"), width=30),
        Column("subject", _l("Subject"), width=16),
        Column("kind", _l("Kind"), width=8),
        Column("state", _l("State"), width=8),
        Column("grid", _l("Grid"), width=12),
        Column("department", _l("Department"), width=14),
        Column("assignee", _l("Assignee"), width=8),
        Column("deadline", _l("Deadline"), width=11),
        Column("overdue", _l("Overdue"), width=12),
        Column("raised", _l("Raised on"), width=11),
        Column("satisfaction", _l("Satisfaction"), width=10),
        Column("satisfaction_source", _l("Satisfaction given by"), width=12),
    ]
    filter_words = [
        FilterWord("tab", _l("Tab"), TABS),
        FilterWord("q", _l("Search")),
        FilterWord("kind", _l("Kind"), Kind.choices),
        FilterWord("state", _l("State"), lambda: [("open", _l("open")), *State.choices]),
        FilterWord("overdue", _l("Overdue"), [("1", _l("yes")), ("0", _l("no"))]),
        FilterWord("grid", _l("Grid"), model=Area),
        FilterWord("area", _l("Area"), model=Area),
        FilterWord("department", _l("Department"), model=Department),
    ]

    def export_queryset(self, actor, unmasked=False):
        return WorkOrder.objects.visible_to(actor).select_related("grid", "department", "assignee")

    def filter(self, queryset, params, user=None):
        return filter_orders(queryset, params, user)

    def export_row(self, obj, unmasked=False):
        return [obj.pk, obj.title, obj.subject_label, obj.get_kind_display(), obj.get_state_display(),
                obj.grid.name, obj.department.name if obj.department else "", str(obj.assignee or ""),
                obj.deadline, obj.get_overdue_level_display() if obj.is_overdue and obj.state != State.CLOSED else "",
                timezone.localdate(obj.created_at) if obj.created_at else None, obj.get_satisfaction_display(),
                obj.get_satisfaction_source_display()]
