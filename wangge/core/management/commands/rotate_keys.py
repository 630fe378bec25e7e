"""`wangge rotate_keys`: re-encrypt every personal field with the newest key in WANGGE_FIELD_KEYS.

Rotation: put a new key first in WANGGE_FIELD_KEYS (keep the old ones after it), restart, run this,
then drop the old keys. See docs/SECURITY.md.
"""

from django.apps import apps
from django.db import connection, transaction

from wangge.core import crypto
from wangge.core.fields import EncryptedBinaryField, EncryptedTextField
from wangge.core.management.base import WanggeCommand

BATCH = 1000


class Command(WanggeCommand):
    help = "Re-encrypt personal fields with the newest key."

    def handle(self, *args, **options):
        crypto.clear_key_cache()
        total = 0
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField | EncryptedBinaryField):
                    total += self._rotate(table, pk, connection.ops.quote_name(field.column),
                                          binary=isinstance(field, EncryptedBinaryField))
        self.stdout.write(f"re-encrypted {total} value(s)")

    @staticmethod
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
