"""The trail of what `save()` does not see: deletes by any path and many-to-many changes.

`QuerySet.delete()` and cascades never call a model's `delete()`, but Django's collector sends
pre/post_delete for every row of a model that has receivers (which also turns off its fast delete,
so no audited row can go without a signal). Many-to-many changes (a user's areas, a team's members)
never touch the row itself; `m2m_changed` records the whole set before and after, on the owning row.
A role is a row of its own (UserRole): granting or taking one is also recorded on the user.

Receivers are connected per audited model (`connect()`, from CoreConfig.ready), so models without a
trail keep their fast deletes.
"""

from django.apps import apps
from django.db.models import signals

from .audit import AuditedModel, _entry, _write, withhold

_BEFORE = "_audit_m2m_before"


def _before_delete(sender, instance, **kwargs):
    # Taken before any row of the delete goes, while the rows a label mentions still exist.
    instance.__dict__["_audit_deleted"] = (instance.audit_label(), instance.audit_values())


def _after_delete(sender, instance, **kwargs):
    label, old = instance.__dict__.pop("_audit_deleted", (f"{sender._meta.verbose_name} {instance.pk}", {}))
    _write([_entry(instance, instance.pk, label, "delete",
                   withhold({k: [v, None] for k, v in old.items()}, instance.audit_withheld()))])


def _m2m_fields() -> dict:
    """{through model: (owning model, field)} for every many-to-many field of an audited model."""
    found = {}
    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            for field in model._meta.local_many_to_many:
                found[field.remote_field.through] = (model, field)
    return found


def _sets(model, field, owner_ids) -> dict:
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_name()
    current = {pk: [] for pk in owner_ids}
    for owner, other in through.objects.filter(**{f"{source}__in": owner_ids}).values_list(source, target):
        current[owner].append(other)
    return {pk: sorted(values) for pk, values in current.items()}


def _m2m_changed(sender, instance, action, reverse, model, pk_set, fields, **kwargs):
    owner_model, field = fields[sender]
    if not reverse:
        owner_ids = [instance.pk]
    elif action.endswith("clear"):
        owner_ids = list(field.remote_field.through.objects.filter(**{field.m2m_reverse_name(): instance.pk})
                         .values_list(field.m2m_field_name(), flat=True)) if action == "pre_clear" else None
    else:
        owner_ids = list(pk_set or ())
    key = (sender, action.split("_", 1)[1])
    if action.startswith("pre_"):
        instance.__dict__.setdefault(_BEFORE, {})[key] = _sets(owner_model, field, owner_ids)
        return
    before = instance.__dict__.get(_BEFORE, {}).pop(key, {})
    if not before:
        return
    after = _sets(owner_model, field, list(before))
    changed = [pk for pk in before if before[pk] != after[pk]]
    # Changed from the owner's side (inspection.inspectors.set(...)): the owner is at hand, not read again.
    owners = {instance.pk: instance} if not reverse and changed else owner_model._base_manager.in_bulk(changed)
    _write([_entry(owner, pk, owner.audit_label(), "update", {field.name: [before[pk], after[pk]]})
            for pk, owner in owners.items()])


def added_to_new(owner, field_name: str, pks) -> None:
    """Give a row just created its many-to-many set in one insert into the through table, leaving the
    trail entry `m2m_changed` leaves for `owner.field.set(pks)` ([] → the ids) without that path's reads
    of the set before and after (five statements): a new row's set was empty."""
    field = owner._meta.get_field(field_name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    ids = sorted(set(pks))
    if not ids:
        return
    through.objects.bulk_create([through(**{source: owner.pk, target: pk}) for pk in ids])
    _write([_entry(owner, owner.pk, owner.audit_label(), "update", {field.name: [[], ids]})])


def _role_changed(sender, instance, **kwargs):
    """A role granted or taken: the user's trail says which, as the set of roles before and after."""
    from .models import User

    deleted = "created" not in kwargs
    if not deleted and not kwargs["created"]:
        return  # a role row re-saved: nothing granted or taken
    user = User._base_manager.filter(pk=instance.user_id).first()
    if user is None:  # the user itself is being deleted: their own delete entry says so
        return
    now = sorted(user.role_assignments.values_list("role", flat=True))
    before = sorted({*now, instance.role}) if deleted else sorted(set(now) - {instance.role})
    _write([_entry(user, user.pk, user.audit_label(), "update", {"roles": [before, now]})])


def connect() -> None:
    from .models import UserRole

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            signals.pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"audit-pre-{model._meta.label}")
            signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-del-{model._meta.label}")
    fields = _m2m_fields()
    for through in fields:
        signals.m2m_changed.connect(
            lambda sender, fields=fields, **kw: _m2m_changed(sender, fields=fields, **kw),
            sender=through, weak=False, dispatch_uid=f"audit-m2m-{through._meta.label}")
    signals.post_save.connect(_role_changed, sender=UserRole, dispatch_uid="audit-role-granted")
    signals.post_delete.connect(_role_changed, sender=UserRole, dispatch_uid="audit-role-taken")
