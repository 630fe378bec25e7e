"""Uploaded ledgers and their error reports are encrypted at rest (issue #24.1); the ones already
stored are encrypted in place."""

from django.db import migrations

import wangge.core.fields


def encrypt_stored(apps, schema_editor):
    from wangge.core import crypto

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for column in ("data", "report"):
            cursor.execute(f"SELECT id, {column} FROM core_importjob WHERE LENGTH({column}) > 0")  # noqa: S608
            rows = cursor.fetchall()
            cursor.executemany(f"UPDATE core_importjob SET {column} = %s WHERE id = %s",  # noqa: S608
                               [(crypto.encrypt_bytes(bytes(value)), pk) for pk, value in rows])


class Migration(migrations.Migration):
    dependencies = [("core", "0010_audit_refuses_truncate")]

    operations = [
        migrations.AlterField(model_name="importjob", name="data", field=wangge.core.fields.EncryptedBinaryField()),
        migrations.AlterField(model_name="importjob", name="report",
                              field=wangge.core.fields.EncryptedBinaryField(null=True)),
        migrations.RunPython(encrypt_stored, migrations.RunPython.noop),
    ]
