"""A migration step that encrypts, in place, the plain values left in columns that have just become
EncryptedTextField (rows written before the change). Raw SQL: the model would try to decrypt them."""

from django.db import migrations

from . import crypto

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so: already encrypted, leave it


def encrypt_existing(app_label: str, model_name: str, columns: list[str]) -> migrations.RunPython:
    def forward(apps, schema_editor):
        table = apps.get_model(app_label, model_name)._meta.db_table
        quote = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            for column in columns:
                cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608
                               f"WHERE {quote(column)} <> ''")
                rows = [(crypto.encrypt(value), pk) for pk, value in cursor.fetchall()
                        if value and not value.startswith(FERNET_PREFIX)]
                cursor.executemany(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s", rows)  # noqa: S608

    return migrations.RunPython(forward, migrations.RunPython.noop)
