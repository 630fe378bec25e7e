"""The 变更记录 of one record, readable: field labels instead of column names."""

from django.utils.translation import gettext as _

from .models import AuditAction, AuditEntry


def trail_of(obj, limit: int = 200) -> list[dict]:
    labels = {f.attname: str(f.verbose_name) for f in obj._meta.concrete_fields}
    labels["reason"] = str(_("reason"))
    for field, masked in getattr(obj, "PROTECTED_FIELDS", {}).items():
        labels[masked] = labels.get(field, masked)
    rows = []
    for entry in AuditEntry.objects.for_object(obj)[:limit]:
        if entry.action in (AuditAction.REVEAL, AuditAction.EXPORT):
            details = [(labels.get(entry.changes.get("field"), entry.changes.get("field", "")),
                        entry.changes.get("reason", ""), "")]
        else:
            details = [(labels.get(k, k), old, new) for k, (old, new) in sorted(entry.changes.items())
                       if k not in ("id", "version", "created_at")]
        rows.append({"entry": entry, "action": entry.get_action_display(), "details": details})
    return rows


def serialise(entry: AuditEntry) -> dict:
    return {
        "at": entry.at,
        "actor": entry.actor_name,
        "action": entry.action,
        "request_id": entry.request_id,
        "changes": entry.changes,
    }
