"""Insert many new rows fast, each with its audit entry, in the caller's transaction.

Django's bulk_create prepares every value through the SQL compiler and, on SQLite, splits the rows
into batches of 999 parameters; for a 100,000-row ledger that overhead dwarfs the work. Here the
primary keys are reserved first (a sequence range on PostgreSQL; the next ids under SQLite's write
lock), each value goes through its field's own get_db_prep_save once (so encrypted fields encrypt,
JSON adapts), and one executemany writes each table. Only for rows the services have fully built
and checked.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from . import audit
from .fields import EncryptedTextField


def _reserve_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the IMMEDIATE transaction holds the write lock, so nobody takes these ids meanwhile.
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM "  # noqa: S608
                       f"{connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _insert(model, rows: list[tuple], fields) -> None:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # COPY: the fastest way into PostgreSQL; psycopg adapts each value as a query would.
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


# Values of these field classes go to the driver as they are; every other field prepares its own.
PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _preparer(field):
    if isinstance(field, PASS_THROUGH) and not isinstance(field, EncryptedTextField) and (
            not isinstance(field, models.ForeignKey) or isinstance(field.target_field, models.AutoField)):
        return None
    return field.get_db_prep_save


def _prepare(objs, fields, now: datetime.datetime) -> list[tuple]:
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
    return _rows((obj.__dict__ for obj in objs), fields, now)


def _rows(value_dicts, fields, now: datetime.datetime) -> list[tuple]:
    """Each {attname: value} as the row the driver takes, in the order of `fields`. An empty value
    (None) of a prepared field goes as it is (NULL), except JSON's, which adapts it."""
    prepared_now = {f.attname: f.get_db_prep_save(now, connection) for f in fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    plan = [(f.attname, _preparer(f), isinstance(f, models.JSONField)) for f in fields]
    rows = []
    for values in value_dicts:
        row = []
        for attname, prep, json in plan:
            if attname in prepared_now:
                row.append(prepared_now[attname])
                continue
            value = values[attname]
            row.append(value if prep is None or (value is None and not json) else prep(value, connection))
        rows.append(tuple(row))
    return rows


@transaction.atomic
def insert_audited(objs: list) -> list:
    """Insert new instances of one AuditedModel subclass and one 'create' audit entry for each."""
    if not objs:
        return objs
    from .models import AuditEntry

    model = type(objs[0])
    now = timezone.now()
    for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    _insert(model, _prepare(objs, fields, now), fields)

    snapshots = [obj.audit_values() for obj in objs]
    ctx = audit.current()
    user = ctx.user
    content_type = ContentType.objects.get_for_model(model)
    # The entries go as plain values (what AuditEntry(...) would hold), not as model instances.
    common = {"at": now, "actor_id": user.pk if user else None,
              "actor_name": (user.get_username() if user else "system")[:150], "request_id": ctx.request_id,
              "action": "create", "content_type_id": content_type.pk}
    entries = [
        {**common, "id": pk, "object_id": str(obj.pk), "object_repr": obj.audit_label()[:200],
         "changes": audit.withhold({k: [None, v] for k, v in snapshot.items()}, obj.audit_withheld())}
        for obj, snapshot, pk in zip(objs, snapshots, _reserve_ids(AuditEntry, len(objs)), strict=True)
    ]
    audit_fields = list(AuditEntry._meta.concrete_fields)
    _insert(AuditEntry, _rows(entries, audit_fields, now), audit_fields)
    for obj, snapshot in zip(objs, snapshots, strict=True):
        obj._state.adding = False
        obj._state.db = connection.alias
        obj._audit_snapshot = snapshot
    return objs
