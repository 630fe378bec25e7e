"""On PostgreSQL the trail refuses TRUNCATE too (issue #24.9), unless the session says it means it.

A statement-level trigger: `wangge flush --force` (and the test runner's reset, which goes through the
same command) sets `wangge.allow_truncate` for its own transaction; any other TRUNCATE of
core_auditentry fails. Whoever owns the database can still drop the trigger: this stops accidents
and scripts, not the owner.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wangge_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('wangge.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'core_auditentry is append-only: TRUNCATE refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION wangge_audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS wangge_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0009_login_failure_ip")]
    operations = [migrations.RunPython(forwards, backwards)]
