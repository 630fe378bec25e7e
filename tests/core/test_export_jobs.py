"""Long whole-list exports (#21): more rows than EXPORT_INLINE_MAX_ROWS are written by the worker,
not in the request, into the file storage; the page follows the job and hands the file to the one who
asked only; the nightly purge deletes it after a day. Oracles: the file read back with openpyxl and the
csv module, counts by direct SQL."""

import csv
import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from wangge.community.models import Resident
from wangge.core.models import AuditEntry, ExportJob
from wangge.core.privacy import purge


def _residents_sql() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Resident._meta.db_table}")
        return cursor.fetchone()[0]


def test_a_long_export_is_written_by_the_worker_and_handed_to_who_asked(world, login, settings, tmp_path):
    settings.MEDIA_ROOT, settings.VAR_DIR, settings.EXPORT_INLINE_MAX_ROWS = tmp_path, tmp_path, 1
    admin = login(world.users["admin"])
    asked = admin.get("/ledgers/residents/export.xlsx")
    job = ExportJob.objects.get()
    assert asked.status_code == 302 and asked["Location"] == f"/ledgers/exports/{job.pk}/"
    assert job.status == "pending" and not AuditEntry.objects.filter(action="export").exists()
    page = admin.get(asked["Location"]).content.decode()
    assert "后台生成" in page and "hx-trigger" in page
    call_command("worker", "--once", "--no-beat")
    job.refresh_from_db()
    assert job.status == "done" and job.file.startswith("exports/") and (tmp_path / job.file).is_file()
    assert job.done == _residents_sql() > 1
    page = admin.get(f"/ledgers/exports/{job.pk}/").content.decode()
    assert 'data-testid="export-download"' in page and f"共 {job.done} 行" in page
    download = admin.get(f"/ledgers/exports/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    assert download["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    ids = [r.id_number for r in Resident.objects.all()]
    assert len(rows) - 2 == job.done  # the heading line and the header row, then one row per resident
    assert not any(i in str(rows) for i in ids)  # masked, as the inline export is
    assert AuditEntry.objects.filter(action="export").count() == 1
    # Nobody else gets the file, an administrator neither.
    other = login(world.users["leader"])
    assert other.get(f"/ledgers/exports/{job.pk}/download/").status_code == 404
    assert other.get(f"/ledgers/exports/{job.pk}/").status_code == 404


def test_csv_too_and_the_purge_deletes_the_file_after_a_day(world, login, settings, tmp_path):
    settings.MEDIA_ROOT, settings.VAR_DIR, settings.EXPORT_INLINE_MAX_ROWS = tmp_path, tmp_path, 1
    cadre = login(world.users["cadre"])
    cadre.get("/ledgers/residents/export.csv")
    call_command("worker", "--once", "--no-beat")
    job = ExportJob.objects.get()
    body = b"".join(cadre.get(f"/ledgers/exports/{job.pk}/download/").streaming_content)
    assert body.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    visible = Resident.objects.visible_to(world.users["cadre"]).count()
    assert len(lines) - 2 == visible == job.done < _residents_sql()  # the cadre's neighbourhood only
    assert purge(codes=["export_files"], now=timezone.now() + datetime.timedelta(hours=1)) == {"export_files": 0}
    assert purge(codes=["export_files"], now=timezone.now() + datetime.timedelta(days=2)) == {"export_files": 1}
    job.refresh_from_db()
    assert job.file == "" and not any(tmp_path.rglob("*.csv"))
    page = cadre.get(f"/ledgers/exports/{job.pk}/").content.decode()
    assert "重新导出" in page and cadre.get(f"/ledgers/exports/{job.pk}/download/").status_code == 404


def test_a_short_list_is_still_exported_in_the_request(world, login, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 10_000
    response = login(world.users["admin"]).get("/ledgers/residents/export.xlsx")
    assert response.status_code == 200 and not ExportJob.objects.exists()
