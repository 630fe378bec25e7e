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
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.audit import audit_context
from wangge.core.models import User
from wangge.core.roles import Role

from .calendar import working_days_between
from .choices import OverdueLevel, State, Verb
from .models import Notification, WorkOrder, WorkOrderEvent

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


def recipients(order: WorkOrder, level: int) -> list[User]:
    users = User.objects.filter(is_active=True)
    if level == OverdueLevel.DEPARTMENT and order.department_id:
        found = list(users.filter(role_assignments__role=Role.DEPARTMENT_OFFICER, departments=order.department_id))
        if found:
            return found
    return list(users.filter(role_assignments__role=Role.TOWN_LEADER))


def _message(order: WorkOrder, level: int) -> str:
    text = _("Work order #%(id)s “%(title)s” is overdue (deadline %(deadline)s): %(level)s.") % {
        "id": order.pk, "title": order.title[:80], "deadline": order.deadline.isoformat(),
        "level": OverdueLevel(level).label}
    return text[:300]


def _email(rows: list[Notification]) -> None:
    """E-mail each notification too, when configured (settings.WORKORDER_EMAIL_NOTIFICATIONS)."""
    from django.core.mail import send_mail

    for row in rows:
        if row.user.email:
            send_mail(_("Overdue work order"), row.message, None, [row.user.email], fail_silently=True)


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
                WorkOrderEvent.objects.create(order=order, actor=None, actor_name=_("system"), verb=Verb.OVERDUE,
                                              from_state=order.state, to_state=order.state,
                                              comment=str(OverdueLevel(target).label))
                rows = [Notification(user=user, order=order, level=level, message=_message(order, level))
                        for level in levels for user in recipients(order, level)]
                notified += len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
                escalated += 1
                if getattr(settings, "WORKORDER_EMAIL_NOTIFICATIONS", False):
                    transaction.on_commit(lambda rows=rows: _email(rows))
    return {"escalated": escalated, "notified": notified}
