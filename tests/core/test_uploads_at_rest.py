"""#24.1: an uploaded ledger holds ID and phone numbers, so it never reaches the database in clear:
the file and its error report are encrypted, cleared when the import ends or the check fails, the
nightly purge clears a checked file not imported within a day, and rotate_keys re-encrypts them.
The oracle is the raw database itself: the SQLite image (free pages included) or a pg_dump."""

import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wangge.community.models import Resident
from wangge.core import crypto
from wangge.core.models import ImportJob

from ..conftest import id_number

HEADERS = "姓名,身份证号,电话,网格,状态"


def people(n: int, born: str) -> list[tuple[str, str]]:
    return [(id_number(born, 100 + i), f"13{born[2:4]}{i:07d}"[:11]) for i in range(n)]


def ledger(rows: list[tuple[str, str]], bad_phone: bool = False) -> bytes:
    lines = [HEADERS] + [f"居民{i},{idn},{phone},310105102022001,在住" for i, (idn, phone) in enumerate(rows)]
    if bad_phone:
        lines.append(f"坏行,{id_number('19500505', 999)},139123,310105102022001,在住")
    return "\n".join(lines).encode("utf-8")


def raw_database() -> bytes:
    """Everything the database holds, as stored."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize()
    name = connection.settings_dict["NAME"]
    return subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--data-only", name],  # noqa: S607
                          capture_output=True, check=True).stdout


def in_clear(values) -> list[str]:
    raw = raw_database()
    return [v for v in values if v.encode() in raw]


def upload(client, name: str, data: bytes) -> ImportJob:
    file = io.BytesIO(data)
    file.name = name
    client.post("/ledgers/residents/import/", {"file": file})
    return ImportJob.objects.filter(filename=name).latest("pk")


@pytest.mark.django_db(transaction=True)
def test_no_uploaded_id_or_phone_is_stored_in_clear(world, login):
    cadre = login(world.users["cadre"])
    imported = people(40, "19500101")
    values = [v for pair in imported for v in pair]
    # A check that passes keeps its file (encrypted) for the import; the confirmed import clears it.
    checked = upload(cadre, "居民.csv", ledger(imported))
    assert checked.status == "done" and len(ImportJob.objects.get(pk=checked.pk).data) > 0
    assert in_clear(values) == []
    cadre.post(f"/ledgers/jobs/{checked.pk}/confirm/")
    assert Resident.objects.filter(name__startswith="居民").count() == 40
    assert ImportJob.objects.filter(data=b"").count() == 2  # the check's copy and the import's
    assert in_clear(values) == []
    # A failed import: its file is cleared at once, its error report (the user's values) is encrypted.
    failing = people(10, "19480202")
    job = upload(cadre, "有错.csv", ledger(failing, bad_phone=True))
    assert job.status == "failed" and bytes(ImportJob.objects.get(pk=job.pk).data) == b""
    assert ImportJob.objects.get(pk=job.pk).report
    report = cadre.get(f"/ledgers/jobs/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    assert in_clear([v for pair in failing for v in pair]) == []
    # A check never confirmed: the nightly purge clears it after a day, the report after seven.
    waiting = people(5, "19460303")
    left = upload(cadre, "没导入.csv", ledger(waiting))
    ImportJob.objects.filter(pk=left.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    call_command("purge", stdout=io.StringIO())
    assert bytes(ImportJob.objects.get(pk=left.pk).data) == b""
    assert in_clear([v for pair in waiting for v in pair]) == []


@pytest.mark.django_db
def test_rotate_keys_re_encrypts_stored_files(world, login, settings):
    from cryptography.fernet import Fernet

    cadre = login(world.users["cadre"])
    job = upload(cadre, "有错.csv", ledger(people(3, "19480202"), bad_phone=True))
    report = bytes(ImportJob.objects.get(pk=job.pk).report)
    old_keys = settings.FIELD_ENCRYPTION_KEYS
    try:
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
        crypto.clear_key_cache()
        call_command("rotate_keys", stdout=io.StringIO())
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key dropped
        crypto.clear_key_cache()
        assert bytes(ImportJob.objects.get(pk=job.pk).report) == report
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        crypto.clear_key_cache()
