"""Long work runs in a worker (#21): a large import waits for the worker instead of running in the web
process (no thread), the worker runs it once however often it is handed over, its progress is seen
from outside the import's transaction, and the worker keeps Celery beat's schedule."""

import datetime
import io
import threading

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wangge.core import jobs
from wangge.core import progress as live
from wangge.core.models import Area, ImportJob, ImportStatus
from wangge.core.tasks import import_task
from wangge.core.worker import Beat

from ..workorders.helpers import raise_order
from .test_ledgers import AREA_HEADERS, xlsx

ROWS = [AREA_HEADERS] + [[f"3101051020220{n:02d}", f"网格{n}", "网格", "310105102022"] for n in range(10, 60)]


def _areas_sql() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Area._meta.db_table} WHERE code LIKE '3101051020220%%'")
        return cursor.fetchone()[0]


def test_a_large_upload_waits_for_the_worker_and_is_imported_once(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.IMPORT_INLINE_MAX_BYTES = 100  # every file is "large" here
    before, threads = _areas_sql(), threading.active_count()
    client = login(world.users["admin"])
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "areas.xlsx"
    assert client.post("/ledgers/areas/import/", {"file": upload}).status_code == 302
    check = ImportJob.objects.get()
    assert check.status == ImportStatus.PENDING and threading.active_count() == threads  # nothing in this process
    page = client.get(f"/ledgers/jobs/{check.pk}/").content.decode()
    assert "hx-trigger" in page  # the page keeps asking while it waits
    call_command("worker", "--once", "--no-beat")
    check.refresh_from_db()
    assert check.status == ImportStatus.DONE and check.summary["created"] == 50 and _areas_sql() == before
    client.post(f"/ledgers/jobs/{check.pk}/confirm/")
    real = ImportJob.objects.get(checked=check)
    assert real.status == ImportStatus.PENDING
    # Handed over twice (a Celery message delivered again, a second worker): run once.
    assert import_task.apply(args=[real.pk]).get() is True
    assert import_task.apply(args=[real.pk]).get() is False and jobs.run_pending() == 0
    real.refresh_from_db()
    assert real.status == ImportStatus.DONE and real.summary["created"] == 50 and _areas_sql() == before + 50
    assert real.done == real.total > 0 and live.read(real.pk) is None  # the side file is gone with the job


def test_progress_written_outside_the_transaction_reaches_the_page(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = ImportJob.objects.create(kind="areas", filename="a.xlsx", data=b"x", created_by=world.users["admin"],
                                   status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    live.write(job.pk, 300, 1200)
    assert (tmp_path / "jobs" / f"{job.pk}.progress").is_file()
    page = login(world.users["admin"]).get(f"/ledgers/jobs/{job.pk}/").content.decode()
    assert "25%" in page


def test_a_job_whose_runner_died_is_taken_again_only_when_its_heartbeat_stopped(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    old = timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=5)
    job = ImportJob.objects.create(kind="areas", filename="a.xlsx", data=xlsx(ROWS), created_by=world.users["admin"],
                                   dry_run=False, status=ImportStatus.RUNNING, heartbeat_at=old)
    live.write(job.pk, 10, 100)  # still writing its progress: alive, deep in its transaction
    assert jobs.claim(job.pk) is False
    live.clear(job.pk)  # silent since: its process was killed; the message comes again
    assert import_task.apply(args=[job.pk]).get() is True
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["created"] == 50


def test_the_worker_keeps_beats_schedule(world):
    now = timezone.now()
    beat = Beat(now=now)
    assert beat.due() == []  # just started: nothing due yet
    beat.last["workorders-deliver"] = now - datetime.timedelta(seconds=61)  # every 60 s
    assert beat.due() == ["workorders-deliver"]
    order = raise_order(world)
    order.deadline = timezone.localdate() - datetime.timedelta(days=10)
    order.save(update_fields=["deadline"])
    beat.last["workorders-overdue"] = now - datetime.timedelta(days=1, hours=1)  # each night at 01:00
    assert beat.run_due() == ["workorders-overdue", "workorders-deliver"]
    order.refresh_from_db()
    assert order.overdue_level > 0  # the overdue task ran, as Celery beat would have run it
    assert beat.due() == []
