"""留痕: every create, update and delete of a domain model leaves an append-only AuditEntry.
Deletes by any path and many-to-many changes are recorded by the receivers in audit_signals.py.

The acting user and request id come from a context variable that the middleware (per request),
the API auth (per token) and `audit_context()` (commands, jobs) set. Old values come from a
snapshot taken when the row was loaded, so an update costs no extra SELECT. Personal fields never
reach the trail in clear: a model lists them in `PROTECTED_FIELDS` and the trail records their
masked forms. Health facts and free-text notes about a person are listed in `AUDIT_WITHHELD`: the trail
records that they changed, who changed them and when, but not the values (the trail is append-only and
never purged, so it must not hold what `wangge purge` removes; docs/PRIVACY.md).
"""

import contextlib
import contextvars
import datetime
import decimal
import functools
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

_context: contextvars.ContextVar["AuditContext | None"] = contextvars.ContextVar("audit", default=None)
_pending: contextvars.ContextVar["list | None"] = contextvars.ContextVar("audit_pending", default=None)
NEVER_RECORDED = {"password", "last_login", "updated_at"}
WITHHELD = "***"  # stands for a value the trail does not keep


def withhold(changes: dict, fields) -> dict:
    """Replace the values of withheld fields by one marker, whatever they were (an empty note and a
    false flag look the same as a filled one), so the trail shows only that they changed."""
    for name in fields:
        if name in changes:
            changes[name] = [None if v is None else WITHHELD for v in changes[name]]
    return changes


@dataclass
class AuditContext:
    request_id: str
    actor: object | None = None
    request: object | None = None

    @property
    def user(self):
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


def current() -> AuditContext:
    return _context.get() or AuditContext(request_id="")


@contextlib.contextmanager
def audit_context(actor=None, request=None, request_id: str | None = None):
    token = _context.set(AuditContext(request_id=request_id or uuid.uuid4().hex, actor=actor, request=request))
    try:
        yield
    finally:
        _context.reset(token)


def set_actor(user) -> None:
    """Bearer-token requests authenticate inside the view; name the actor once it is known."""
    ctx = _context.get()
    if ctx is not None:
        ctx.actor = user


_PLAIN = frozenset({str, int, bool, float, type(None)})


def _plain(value):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    return value


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Bulk updates leave a trace too: one entry per row, with old and new values."""
        fields = [f for f in kwargs if f not in NEVER_RECORDED]
        before = {row["pk"]: row for row in self.values("pk", *fields)}
        count = super().update(**kwargs)
        if before:
            after = self.model._base_manager.filter(pk__in=before).values("pk", *fields)
            entries = []
            for row in after:
                old = before[row["pk"]]
                changes = withhold({f: [_plain(old[f]), _plain(row[f])] for f in fields if old[f] != row[f]},
                                   self.model.AUDIT_WITHHELD)
                if changes:
                    entries.append(_entry(self.model, row["pk"], "", "update", changes))
            _write(entries)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _write([_entry(o, o.pk, o.audit_label(), "create", o.audit_diff({})) for o in created if o.pk is not None])
        return created


class AuditedModel(models.Model):
    """Base of every domain model: its saves and deletes are recorded."""

    PROTECTED_FIELDS: dict[str, str] = {}  # field -> the field holding its masked form
    AUDIT_WITHHELD: frozenset[str] = frozenset()  # recorded as changed, without values
    AUDIT_EXTRA_LABELS: dict = {}  # names of trail keys that are not columns (a user's roles)
    objects = AuditedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._audit_snapshot = obj.audit_values()
        return obj

    def save(self, *args, **kwargs):  # noqa: DJ012  (from_db above belongs with the snapshot)
        creating = self._state.adding
        old = {} if creating else getattr(self, "_audit_snapshot", {})
        super().save(*args, **kwargs)
        changes = self.audit_diff(old)
        reason = self.__dict__.pop("audit_reason", "")
        if reason and changes:
            changes["reason"] = [None, reason[:200]]  # why a status changed, shown in the trail
        if creating or changes:
            _write([_entry(self, self.pk, self.audit_label(), "create" if creating else "update", changes)])
        self._audit_snapshot = self.audit_values()

    def audit_values(self) -> dict:
        # A deferred field is one whose value is not in __dict__ (Model.get_deferred_fields): read the
        # loaded values directly. Runs on every row loaded (from_db) and every row an import writes.
        values = self.__dict__
        return {name: _plain(values[name]) for name in _recorded(type(self)) if name in values}

    def audit_withheld(self) -> frozenset[str]:
        return self.AUDIT_WITHHELD

    def audit_label(self) -> str:
        """How the trail names the row (`object_repr`): a model whose name carries a withheld field
        names itself without it."""
        return str(self)

    def audit_diff(self, old: dict) -> dict:
        """The changes since `old`, compared on the real values, withheld fields then blanked."""
        new = self.audit_values()
        return withhold({k: [old.get(k), v] for k, v in new.items() if k not in old or old[k] != v},
                        self.audit_withheld())


@functools.cache
def _recorded(model) -> tuple[str, ...]:
    """The columns the trail records for `model`: not the never-recorded ones, nor a protected field
    or its hash (its masked form is recorded instead)."""
    protected = model.PROTECTED_FIELDS
    hidden = NEVER_RECORDED | set(protected) | {f + "_hash" for f in protected}
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in hidden)


def _entry(model_or_obj, pk, label, action, changes):
    from .models import AuditEntry

    ctx = current()
    user = ctx.user
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(model_or_obj),
        object_id=str(pk),
        object_repr=label[:200],
        action=action,
        changes=changes,
        actor_id=user.pk if user else None,
        actor_name=(user.get_username() if user else "system")[:150],
        request_id=ctx.request_id,
    )


def _write(entries) -> None:
    from .models import AuditEntry

    pending = _pending.get()
    if pending is not None:
        pending.extend(entries)
    elif entries:
        AuditEntry.objects.bulk_create(entries)


@contextlib.contextmanager
def batched():
    """The entries written inside are inserted together, in the order written, by one statement at the
    end: for a verb that leaves several entries in one transaction (an inspection, its inspectors and its
    photos). Each entry is made, with its time, when written, so the rows are the ones `_write` would
    insert one by one. Use it inside the verb's transaction, around code that never reads those entries
    back and never carries on after rolling back to a savepoint; on an exception nothing is written (the
    transaction rolls back anyway). Nested, the outermost one writes."""
    if _pending.get() is not None:
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _write(pending)


def record(obj, action: str, details: dict) -> None:
    """Log an access that changes nothing (a reveal, an export) in the same append-only trail."""
    pk = obj.pk if isinstance(obj, models.Model) else ""
    label = str(obj) if isinstance(obj, models.Model) else str(obj._meta.verbose_name_plural)
    _write([_entry(obj, pk, label, action, details)])
