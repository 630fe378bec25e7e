"""The 变更记录 of one record, readable: field labels, choice labels, names instead of ids."""

from django.db import models
from django.utils.translation import gettext as _

from .audit import WITHHELD
from .models import AuditAction, AuditEntry

HIDDEN = {"id", "version", "created_at", "address_key"}


def _hidden(name: str) -> bool:
    return name in HIDDEN or name.endswith("_hash")


def _displayers(model) -> dict:
    """For each column, how to show a stored value to a person."""
    shows = {}
    for field in model._meta.concrete_fields:
        if field.choices:
            labels = {k: str(v) for k, v in field.flatchoices}
            shows[field.attname] = lambda v, labels=labels: labels.get(v, v)
        elif isinstance(field, models.BooleanField):
            shows[field.attname] = lambda v: "" if v is None else (_("yes") if v else _("no"))
    return shows


def _related_names(model, entries) -> dict:
    """{attname: {id: name}} for every foreign key mentioned, one query per related model."""
    wanted: dict[str, set] = {}
    fks = {f.attname: f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)}
    for entry in entries:
        for name, pair in entry.changes.items():
            if name in fks and isinstance(pair, list):
                wanted.setdefault(name, set()).update(v for v in pair if v is not None)
    names = {}
    for attname, ids in wanted.items():
        related = fks[attname].related_model._base_manager.in_bulk(list(ids))
        names[attname] = {pk: str(obj) for pk, obj in related.items()}
    return names


def trail_of(obj, limit: int = 200) -> list[dict]:
    model = type(obj)
    labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    for field, masked in getattr(obj, "PROTECTED_FIELDS", {}).items():
        labels[masked] = labels.get(field, masked)
    labels["reason"] = str(_("reason"))
    entries = list(AuditEntry.objects.for_object(obj)[:limit])
    shows = _displayers(model)
    related = _related_names(model, entries)

    def show(name, value):
        if value is None or value == "" or value == WITHHELD:  # a health fact or note: never in the trail
            return value
        if name in related:
            return related[name].get(value, value)
        return shows[name](value) if name in shows else value

    rows = []
    for entry in entries:
        if entry.action in (AuditAction.REVEAL, AuditAction.EXPORT):
            details = [(labels.get(entry.changes.get("field"), entry.changes.get("field", "")),
                        entry.changes.get("reason", ""), "")]
        else:
            details = [(labels.get(k, k), show(k, old), show(k, new)) for k, (old, new) in sorted(entry.changes.items())
                       if not _hidden(k) and not (entry.action == AuditAction.CREATE and new in (None, ""))]
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
