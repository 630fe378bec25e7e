"""#24.9: the change record cannot be emptied by accident: flush refuses a database that holds one
unless forced, and on PostgreSQL the database itself refuses TRUNCATE of the trail."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from wangge.core import audit
from wangge.core.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_flush_refuses_a_database_with_a_trail_unless_forced(world):
    with audit.audit_context(actor=world.users["admin"]):
        world.residents["linquan1"].save()
    before = AuditEntry.objects.count()
    assert before > 0
    with override_settings(WANGGE_ALLOW_FLUSH=False):
        with pytest.raises(CommandError, match="留痕"):
            call_command("flush", interactive=False, verbosity=0)
        assert AuditEntry.objects.count() == before  # nothing emptied
        call_command("flush", interactive=False, verbosity=0, force=True)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_truncate_of_the_trail(world):
    assert AuditEntry.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry")
    assert AuditEntry.objects.exists()
