"""The overdue job: mark orders past their deadline and escalate them, once per level.

Level 1 (the day after the deadline): the owning department's heads (department officers of that
department; the town leaders when the order has no department). Level 2 (N more working days,
settings.WORKORDER_ESCALATE_AFTER_DAYS, default 3): the town leaders. Each order is locked while
it is raised a level, and notifications are inserted against the (order, level, user) unique
constraint, so two runs, even at once, escalate and notify once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wangge.core.audit import audit_context
from wangge.core.models import User

from .calendar import working_days_between
from .choices import OverdueLevel, State, Verb
from .models import WorkOrder, WorkOrderEvent
from .notify import Notice, department_heads, notify_many, town_leaders

DEFAULT_ESCALATE_AFTER_DAYS = 3


def escalate_after_days() -> int:
    return getattr(settings, "WORKORDER_ESCALATE_AFTER_DAYS", DEFAULT_ESCALATE_AFTER_DAYS)


def due(today: datetime.date):
    """Open orders past their deadline that have not reached the top level (index workorder_open_deadline)."""
    return WorkOrder.objects.filter(~Q(state=State.CLOSED), deadline__lt=today,
                                    overdue_level__lt=OverdueLevel.LEADER).order_by("deadline")


def level_for(order: WorkOrder, today: datetime.date) -> int:
    if today <= order.deadline:
        return OverdueLevel.NONE
    late = working_days_between(order.deadline, today)
    return OverdueLevel.LEADER if late > escalate_after_days() else OverdueLevel.DEPARTMENT


def recipients(order: WorkOrder, level: int) -> tuple[list[User], str]:
    """Who is told at `level`, and those words for the message: the department's officers at level 1
    (the town leaders when it has none, or the order no department), the town leaders at level 2."""
    if level == OverdueLevel.DEPARTMENT:
        heads = department_heads(order)
        if heads:
            return heads, _("told the officers of %(department)s: %(names)s") % {
                "department": order.department.name, "names": _names(heads)}
        leaders = town_leaders(order.grid)
        why = (_("%(department)s has no officer") % {"department": order.department.name} if order.department_id
               else _("the order has no department"))
        return leaders, _("%(why)s, told the town leaders: %(names)s") % {"why": why, "names": _names(leaders)}
    leaders = town_leaders(order.grid)
    return leaders, _("told the town leaders: %(names)s") % {"names": _names(leaders)}


def _names(users: list[User]) -> str:
    return "、".join(u.full_name or u.username for u in users[:5]) + ("等" if len(users) > 5 else "") or _("nobody")


def _message(order: WorkOrder, told: str) -> str:
    text = _("Work order #%(id)s “%(title)s” is overdue (deadline %(deadline)s); %(told)s.") % {
        "id": order.pk, "title": order.title[:80], "deadline": formats.date_format(order.deadline, "SHORT_DATE_FORMAT"),
        "told": told}
    return text[:300]


def run_overdue(today: datetime.date | None = None) -> dict:
    """Escalate every due order to its level; returns counts. Safe to run twice, or twice at once."""
    today = today or timezone.localdate()
    escalated = notified = 0
    with audit_context(actor=None):
        for pk in list(due(today).values_list("pk", flat=True)):
            with transaction.atomic():
                order = WorkOrder.objects.select_for_update().filter(pk=pk).first()
                if order is None or order.state == State.CLOSED:
                    continue
                target = level_for(order, today)
                if target <= order.overdue_level:
                    continue
                levels = range(order.overdue_level + 1, target + 1)
                order.overdue_level = target
                order.version += 1
                order.audit_reason = _("overdue")
                order.save(update_fields=["overdue_level", "version", "updated_at"])
                notices, told = [], []
                for level in levels:
                    users, words = recipients(order, level)
                    message = _message(order, words)
                    told.append(words)
                    notices += [Notice(user, message, order=order, level=level,
                                       link=reverse("workorders:order_detail", args=[order.pk])) for user in users]
                WorkOrderEvent.objects.create(order=order, actor=None, actor_name=_("system"), verb=Verb.OVERDUE,
                                              from_state=order.state, to_state=order.state,
                                              comment="; ".join(told)[:2000])
                notified += len(notify_many(notices))
                escalated += 1
    return {"escalated": escalated, "notified": notified}


# States in which the order's next step is its assignee's (or, unassigned, whoever assigns it).
AWAITING_WORK = [State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED, State.REOPENED]


def remind_due_soon(today: datetime.date | None = None) -> int:
    """The day before a deadline — the last working day before it — tell whoever must act, once per
    order and deadline (a deadline moved later reminds again). Runs with the overdue job."""
    from .calendar import add_working_days
    from .notify import worker

    today = today or timezone.localdate()
    next_working_day = add_working_days(today, 1)
    orders = WorkOrder.objects.filter(state__in=AWAITING_WORK, deadline__gt=today, deadline__lte=next_working_day
                                      ).select_related("assignee", "department", "grid")
    notices = []
    for order in orders:
        people = worker(order)
        text = _("Work order #%(id)s “%(title)s” is due %(deadline)s: finish it or say why.") % {
            "id": order.pk, "title": order.title[:80],
            "deadline": formats.date_format(order.deadline, "SHORT_DATE_FORMAT")}
        notices += [Notice(user, text[:300], key=f"due-soon:{order.pk}:{order.deadline.isoformat()}", order=order,
                           link=reverse("workorders:order_detail", args=[order.pk])) for user in people]
    return len(notify_many(notices))
