"""Running ledger imports: small files at once, long ones in the background.

The embedded default runs the job in a thread of the app process; the task function is the same
one a Celery worker will run once background work moves to Celery (DESIGN.md).
"""

import datetime
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob, ImportStatus
from .tabular.importer import run_import
from .tabular.kinds import get_kind
from .tabular.report import error_report

PAGE_ERRORS = 500


STALE_AFTER = datetime.timedelta(minutes=3)


def mark_interrupted(now=None) -> int:
    """Jobs left pending or running by a process that stopped (a restart, a crash) say so. Their file
    changed nothing: an import is one transaction, rolled back with the process."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]).filter(
        Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True, created_at__lt=now - STALE_AFTER))
    return stale.update(status=ImportStatus.FAILED, finished_at=now, data=b"", summary={"file_error": str(_(
        "The server stopped during this import; nothing from the file was saved. Upload it again."))})


def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    kind = get_kind(job.kind)
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if now - last[0] >= 0.5 or done == total:
            last[0] = now
            # Inside the import's write transaction this stays unseen until it commits; the write phase
            # of the largest files (~1 minute for 100,000 rows) is well within STALE_AFTER.
            ImportJob.objects.filter(pk=job_id).update(done=done, total=total, heartbeat_at=timezone.now())

    data = bytes(job.data)
    result = run_import(kind, data, job.filename, job.created_by, dry_run=job.dry_run, progress=progress)
    failed = not result.ok
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED if failed else ImportStatus.DONE,
        summary=result.summary(),
        errors=[e.as_dict() for e in result.errors[:PAGE_ERRORS]],
        report=error_report(kind, result, data, job.filename) if result.errors and result.table else None,
        finished_at=timezone.now(),
        # The upload is kept only while it may still be imported: a check that passed (until confirmed,
        # or the nightly purge). An import that ran, or a check that failed, needs it no more.
        **({} if job.dry_run and not failed else {"data": b""}),
    )


def _in_thread(job_id: int) -> None:
    try:
        run_import_job(job_id)
    except Exception:  # noqa: BLE001  (a crashed job must say so, not stay "running")
        import logging

        logging.getLogger("wangge.jobs").exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, data=b"",
                                                   summary={"file_error": "internal error"},
                                                   finished_at=timezone.now())
    finally:
        close_old_connections()


def submit(user, kind: str, filename: str, data: bytes, *, dry_run: bool, checked: ImportJob | None = None
           ) -> ImportJob:
    """Record an import (a check, or the real run of a checked file) and start it."""
    job = ImportJob.objects.create(kind=kind, filename=filename[:255], data=data, created_by=user, dry_run=dry_run,
                                   checked=checked)
    start(job)
    return job


def import_checked(user, checked: ImportJob) -> ImportJob | None:
    """Import the bytes a passed check kept, moving them to the import's own job (one copy at a time);
    None when the check's file is gone (imported already, or past its day: docs/PRIVACY.md)."""
    data = bytes(checked.data)
    if not data or not ImportJob.objects.filter(pk=checked.pk).exclude(data=b"").update(data=b""):
        return None  # a second click finds the file already taken
    return submit(user, checked.kind, checked.filename, data, dry_run=False, checked=checked)


def start(job: ImportJob) -> None:
    """Run now if the file is small, else in the background; the job page shows progress either way."""
    if len(job.data) <= settings.IMPORT_INLINE_MAX_BYTES:
        run_import_job(job.pk)
    else:
        threading.Thread(target=_in_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}").start()
