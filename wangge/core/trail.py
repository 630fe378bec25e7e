"""The 变更记录 of one record, readable: field labels, choice labels, names instead of ids, people by
their names, moments in local time, lists as lists."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import display
from .audit import WITHHELD, withhold
from .models import AuditAction, AuditEntry, User

HIDDEN = {"id", "version", "created_at", "address_key"}


def _hidden(name: str, labels: dict) -> bool:
    """Bookkeeping columns, and internal links without a label of their own (a subject's type and id,
    a source's id): the record they point at is named on the page itself."""
    return name in HIDDEN or name.endswith("_hash") or name not in labels


def _labels(model) -> dict:
    """{attname: label} of the columns a person may read about (those given a translated name)."""
    return {f.attname: str(f.verbose_name) for f in (*model._meta.concrete_fields, *model._meta.many_to_many)
            if isinstance(f.verbose_name, Promise)}


def _displayers(model) -> dict:
    """For each column, how to show a stored value to a person."""
    shows = {}
    # codes the model's fields do not know the labels of (a JSON list of codes, another module's codes)
    listed = model.audit_choices() if hasattr(model, "audit_choices") else {}
    for name, choices in listed.items():
        labels = {k: str(v) for k, v in choices}
        shows[name] = lambda v, labels=labels: "、".join(str(labels.get(c, c)) for c in v) if isinstance(
            v, list) else labels.get(v, v)
    for field in model._meta.concrete_fields:
        if field.attname in shows:
            continue
        if field.choices:
            labels = {k: str(v) for k, v in field.flatchoices}
            shows[field.attname] = lambda v, labels=labels: labels.get(v, v)
        elif isinstance(field, models.BooleanField):
            shows[field.attname] = lambda v: "" if v is None else (_("yes") if v else _("no"))
        elif isinstance(field, models.DateTimeField | models.DateField):
            shows[field.attname] = display.moment
    return shows


def _plain(value):
    """A stored value no column knows how to show: lists joined, everything else as it is."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def _actor(entry, people: dict) -> str:
    if entry.actor_id in people:
        return str(people[entry.actor_id])
    return _("system") if entry.actor_id is None else entry.actor_name


def _related_names(model, entries) -> dict:
    """{attname: {id: name}} for every foreign key mentioned, one query per related model."""
    wanted: dict[str, set] = {}
    fks = {f.attname: f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)}
    fks.update({f.attname: f for f in model._meta.many_to_many})  # recorded as lists of ids
    for entry in entries:
        for name, pair in entry.changes.items():
            if name in fks and isinstance(pair, list):
                for value in pair:
                    wanted.setdefault(name, set()).update(
                        value if isinstance(value, list) else () if value is None else (value,))
    names = {}
    for attname, ids in wanted.items():
        related = fks[attname].related_model._base_manager.in_bulk(list(ids))
        names[attname] = {pk: str(obj) for pk, obj in related.items()}
    return names


def trail_of(obj, limit: int = 200) -> list[dict]:
    model = type(obj)
    labels = _labels(model)
    for field, masked in getattr(obj, "PROTECTED_FIELDS", {}).items():
        labels[masked] = labels.get(field, masked)
    labels["reason"] = str(_("reason"))
    labels.update({k: str(v) for k, v in getattr(model, "AUDIT_EXTRA_LABELS", {}).items()})
    entries = list(AuditEntry.objects.for_object(obj)[:limit])
    shows = _displayers(model)
    related = _related_names(model, entries)

    withheld = obj.audit_withheld() if hasattr(obj, "audit_withheld") else frozenset()

    def show(name, value):
        if value is None or value == "" or value == WITHHELD:  # a health fact or note: never in the trail
            return value
        if name in withheld:  # held by an entry written before the field was withheld
            return WITHHELD
        if name in related:
            if isinstance(value, list):  # a many-to-many set
                return "、".join(str(related[name].get(v, v)) for v in value) or "—"
            return related[name].get(value, value)
        return shows[name](value) if name in shows else _plain(value)

    people = User.objects.in_bulk({e.actor_id for e in entries if e.actor_id})
    rows = []
    for entry in entries:
        if entry.action in (AuditAction.REVEAL, AuditAction.EXPORT):
            details = [(labels.get(entry.changes.get("field"), entry.changes.get("field", "")),
                        entry.changes.get("reason", ""), "")]
        else:
            details = [(labels.get(k, k), show(k, old), show(k, new)) for k, (old, new) in sorted(entry.changes.items())
                       if not _hidden(k, labels) and not (entry.action == AuditAction.CREATE and new in (None, ""))]
        rows.append({"entry": entry, "actor": _actor(entry, people), "action": entry.get_action_display(),
                     "details": details})
    return rows


def serialise(entry: AuditEntry) -> dict:
    """An entry for the API, its withheld fields shown as withheld even where an older entry holds them."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(entry.content_type_id).model_class() if entry.content_type_id else None
    changes = withhold(dict(entry.changes), getattr(model, "AUDIT_WITHHELD", frozenset()))
    return {
        "at": entry.at,
        "actor": entry.actor_name,
        "action": entry.action,
        "request_id": entry.request_id,
        "changes": changes,
    }


def access_details(entry: AuditEntry) -> list[str]:
    """What an access-log line says, in words: which field was shown and why, how many rows went out
    masked or in full, what the purge anonymised. Bookkeeping keys (who, again) are left out."""
    from . import privacy

    changes, parts = entry.changes, []
    model = entry.content_type.model_class() if entry.content_type_id else None
    if "field" in changes:
        labels = _labels(model) if model else {}
        for field, masked in getattr(model, "PROTECTED_FIELDS", {}).items():
            labels.setdefault(field, labels.get(masked, field))
        parts.append(_("field: %(name)s") % {"name": labels.get(changes["field"], changes["field"])})
    if "what" in changes:
        parts.append(_("everything held about the person"))
    if "rows" in changes:
        parts.append(_("%(n)s rows") % {"n": changes["rows"]})
    if "masked" in changes:
        parts.append(_("personal data masked") if changes["masked"] else _("personal data in full"))
    if "format" in changes:
        parts.append(str(changes["format"]).upper())
    if isinstance(changes.get("counts"), dict):
        names = {k.code: str(k.label) for k in privacy.kinds()}
        parts += [_("%(kind)s: %(n)s anonymised") % {"kind": names.get(code, code), "n": n}
                  for code, n in changes["counts"].items() if n]
    if changes.get("reason"):
        parts.append(_("reason: %(reason)s") % {"reason": changes["reason"]})
    return parts


def access_rows(entries) -> list[dict]:
    """Access-log lines with the person's name and the details in words."""
    entries = list(entries)
    people = User.objects.in_bulk({e.actor_id for e in entries if e.actor_id})
    return [{"entry": e, "actor": _actor(e, people), "details": access_details(e)} for e in entries]
