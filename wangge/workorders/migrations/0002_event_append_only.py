"""On PostgreSQL the database itself refuses to rewrite or delete a work order's timeline.

Only the actor column may change (it is set to NULL when a user is deleted); the actor's name stays.
A row-level trigger, so TRUNCATE (what the test runner uses to reset tables) still works.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wangge_workorderevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'workorders_workorderevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS workorders_workorderevent_append_only ON workorders_workorderevent;
CREATE TRIGGER workorders_workorderevent_append_only
    BEFORE UPDATE OF order_id, at, actor_name, verb, from_state, to_state, comment OR DELETE
    ON workorders_workorderevent FOR EACH ROW EXECUTE FUNCTION wangge_workorderevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workorders_workorderevent_append_only ON workorders_workorderevent;
DROP FUNCTION IF EXISTS wangge_workorderevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workorders", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
