"""Health facts and notes written about a person are encrypted at rest: no copy of the database holds
them in clear, the application reads them as written, and rows written before the change are
encrypted by the migration."""

from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from wangge.community.models import CareVisit, ScreeningResult
from wangge.core.encrypt_existing import encrypt_existing
from wangge.vaccination.models import CensusAnswer, Contact, FollowUp, Visit

from .conftest import ENCRYPTED, RECENT, SECRETS
from .test_purge import dump


def test_no_copy_of_the_database_holds_them_in_clear(aged):
    text = dump()
    for key in ENCRYPTED:
        assert SECRETS[key] not in text and RECENT[key] not in text, key
    # ...and the application reads them as written.
    rows = aged.rows
    assert CareVisit.objects.get(pk=rows["visit_new"].pk).notes == RECENT["notes"]
    assert ScreeningResult.objects.filter(round=aged.new_round, status="exempt").get().exempt_reason == RECENT[
        "exempt"]
    census = CensusAnswer.objects.get(pk=rows["census_new"].pk)
    assert (census.notes, census.contraindication) == (RECENT["census"], "acute")
    assert Contact.objects.get(pk=rows["contact_new"].pk).notes == RECENT["call"]
    visit = Visit.objects.get(pk=rows["vaccination_new"].pk)
    assert (visit.reaction, visit.handling) == (RECENT["reaction"], RECENT["handling"])
    assert FollowUp.objects.filter(visit=visit).count() == 1


def test_the_migration_encrypts_rows_written_before(aged):
    visit = aged.rows["visit_new"]
    table = CareVisit._meta.db_table
    with connection.cursor() as cursor:  # a row as an older version wrote it: in clear
        cursor.execute(f"UPDATE {table} SET notes = %s WHERE id = %s", ["旧版本写入的明文", visit.pk])  # noqa: S608
    assert "旧版本写入的明文" in dump()
    step = encrypt_existing("community", "carevisit", ["notes", "medical_need"])
    editor = SimpleNamespace(connection=connection)  # all the step uses of a schema editor
    step.code(apps, editor)
    step.code(apps, editor)  # a second pass leaves encrypted values alone
    assert "旧版本写入的明文" not in dump()
    visit.refresh_from_db()
    assert (visit.notes, visit.medical_need) == ("旧版本写入的明文", RECENT["medical"])
