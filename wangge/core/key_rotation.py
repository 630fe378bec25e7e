"""Re-encrypt every personal field with the newest key in WANGGE_FIELD_KEYS (docs/SECURITY.md), as a
background job: column by column, in batches of BATCH rows each in its own transaction, so a stopped run
leaves every value readable (old key or new) and a second run finishes the rest."""

from django.apps import apps
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from . import background, crypto
from .fields import EncryptedBinaryField, EncryptedTextField

BATCH = 1000


def encrypted_columns() -> list[tuple[str, str, str, bool]]:
    """(table, primary key, column, binary) of every encrypted field, quoted for SQL."""
    quote = connection.ops.quote_name
    return [(quote(model._meta.db_table), quote(model._meta.pk.column), quote(field.column),
             isinstance(field, EncryptedBinaryField))
            for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField | EncryptedBinaryField)]


def rotate(report=None) -> int:
    crypto.clear_key_cache()
    columns = encrypted_columns()
    total = 0
    for index, (table, pk, column, binary) in enumerate(columns):
        count = _rotate(table, pk, column, binary=binary)
        total += count
        if report is not None:
            report.progress(index + 1, len(columns))
            if count:
                report.say(_("%(table)s.%(column)s: %(n)s value(s) re-encrypted") % {
                    "table": table.strip('"`'), "column": column.strip('"`'), "n": count})
    return total


def _rotate(table: str, pk: str, column: str, binary: bool = False) -> int:
    """Batches by primary key; a binary column (an uploaded file) holds bytes, a text one str."""
    done, last = 0, None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            filled = f"LENGTH({column}) > 0" if binary else f"{column} <> ''"
            where = f"WHERE {filled}" + (f" AND {pk} > %s" if last is not None else "")
            cursor.execute(f"SELECT {pk}, {column} FROM {table} {where} ORDER BY {pk} LIMIT {BATCH}",  # noqa: S608
                           [last] if last is not None else [])
            rows = cursor.fetchall()
            if not rows:
                return done
            turn = (lambda t: crypto.rotate_bytes(bytes(t))) if binary else crypto.rotate
            cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                               [(turn(token), key) for key, token in rows])
            done += len(rows)
            last = rows[-1][0]


def _run(job, report) -> dict:
    return {"values": rotate(report)}


background.register("rotate_keys", _l("Key rotation"), _run)
