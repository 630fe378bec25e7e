"""Insert many new rows fast, each with its audit entry, in the caller's transaction.

Django's bulk_create prepares every value through the SQL compiler and, on SQLite, splits the rows
into batches of 999 parameters; for a 100,000-row ledger that overhead dwarfs the work. Here the
primary keys are reserved first (a sequence range on PostgreSQL; the next ids under SQLite's write
lock), each value goes through its field's own get_db_prep_save once (so encrypted fields encrypt,
JSON adapts), and each table is written with COPY (PostgreSQL) or INSERTs of up to 1,000 rows
(SQLite). Only for rows the services have fully built and checked.
"""

import datetime
import functools
import operator
import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, transaction
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
    # SQLite: many rows per INSERT. A table with triggers (the dashboard's roll-up marks) makes each
    # statement open a statement journal, so one statement per row costs three times as much.
    per_statement = max(1, min(1000, _sqlite_max_params() // len(fields)))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    full = head + ", ".join([one] * per_statement)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            sql = full if len(part) == per_statement else head + ", ".join([one] * len(part))
            cursor.execute(sql, [value for row in part for value in row])


def _sqlite_max_params() -> int:
    """The bound parameters one SQLite statement takes (32,766 since SQLite 3.32; Django assumes 999)."""
    connection.ensure_connection()
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


# Values of these field classes go to the driver as they are; every other field prepares its own.
PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


MEMO_FIELDS = (models.DateField, models.TimeField, models.DecimalField)


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
    return _rows((obj.__dict__ for obj in objs), fields)


def _rows(value_dicts, fields) -> list[tuple]:
    """Each {attname: value} as the row the driver takes, in the order of `fields`. An empty value
    (None) of a prepared field goes as it is (NULL), except JSON's, which adapts it."""
    db = connections[connection.alias]  # not the thread-local proxy: it is asked for every value
    # Dates, times and decimals repeat (opening hours, the shared timestamp): each distinct value is
    # prepared once per column. (Never an encrypted value: each gets its own nonce.)
    prepared = [(i, prep, isinstance(f, models.JSONField), {} if isinstance(f, MEMO_FIELDS) else None)
                for i, f in enumerate(fields) if (prep := _preparer(f)) is not None]
    # Every value taken in one call, then only the few that need preparing touched: this runs per row.
    take = operator.itemgetter(*[f.attname for f in fields])
    rows = []
    for values in value_dicts:
        row = list(take(values)) if len(fields) > 1 else [take(values)]
        for i, prep, json, memo in prepared:
            value = row[i]
            if value is None and not json:
                continue
            if memo is None:
                row[i] = prep(value, db)
            elif (done := memo.get(value)) is not None:
                row[i] = done
            else:
                row[i] = memo[value] = prep(value, db)
        rows.append(tuple(row))
    return rows


def new_instance(model, values: dict):
    """`model(**values)` for a row about to be inserted, built the way Django loads a row (by
    position: no descriptors, no keyword matching), at two thirds of the cost, which counts when an
    import builds 100,000 of them. Keys that name no field are ignored; a related object given by
    instance is kept in the field's cache, as the keyword form does."""
    args, related = [], None
    for name, attname, relation, default in _construction_plan(model):
        if name in values:
            value = values[name]
            if relation is not None and isinstance(value, models.Model):
                related = related or []
                related.append((relation, value))
                value = value.pk
        elif attname in values:
            value = values[attname]
        else:
            value = default()
        args.append(value)
    obj = model(*args)
    for field, value in related or ():
        field.set_cached_value(obj, value)
    return obj


@functools.cache
def _construction_plan(model) -> tuple:
    return tuple((f.name, f.attname, f if f.is_relation else None, f.get_default) for f in model._meta.concrete_fields)


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
    _insert(AuditEntry, _rows(entries, audit_fields), audit_fields)
    for obj, snapshot in zip(objs, snapshots, strict=True):
        obj._state.adding = False
        obj._state.db = connection.alias
        obj._audit_snapshot = snapshot
    return objs
