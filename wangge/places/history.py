"""Premises status at a past moment, from the audit trail: every status change is recorded there with its
old and new value (`apply_status` saves, bulk updates too) and, beside it, `status_changed_at`: when it
took effect (an inspection's own time, which may come before it was synced).

Changes recorded before the moment are already in the status as it stood then, so only those recorded
later are read: the latest of them that took effect before the moment gives the status then; failing
that, the status before the first of them; with none, the status is the current one.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wangge.core.models import AuditAction, AuditEntry

from .models import Premises


def _effective(changes: dict, recorded: datetime.datetime) -> datetime.datetime:
    value = (changes.get("status_changed_at") or [None, None])[1]
    if not value:
        return recorded
    moment = datetime.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def status_at(premises, moment: datetime.datetime) -> dict[int, str]:
    """{premises id: status at `moment`} for the given premises queryset."""
    current = dict(premises.values_list("pk", "status"))
    later = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Premises), at__gte=moment,
                                       action=AuditAction.UPDATE, changes__has_key="status")
             .order_by("at", "id").values_list("object_id", "at", "changes"))
    before_first: dict[int, str] = {}
    took_effect: dict[int, tuple[datetime.datetime, str]] = {}
    for object_id, recorded, changes in later.iterator():
        pk = int(object_id)
        if pk not in current:
            continue
        old, new = changes["status"][:2]
        before_first.setdefault(pk, old)
        effective = _effective(changes, recorded)
        if effective < moment and (pk not in took_effect or effective >= took_effect[pk][0]):
            took_effect[pk] = (effective, new)
    for pk, old in before_first.items():
        current[pk] = took_effect[pk][1] if pk in took_effect else old
    return current
