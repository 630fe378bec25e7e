"""Running ledger imports: small files at once, long ones in the background.

The embedded default runs the job in a thread of the app process; the task function is the same
one a Celery worker will run once background work moves to Celery (DESIGN.md).
"""

import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from .models import ImportJob, ImportStatus
from .tabular.importer import run_import
from .tabular.kinds import get_kind
from .tabular.writing import error_report

PAGE_ERRORS = 500


def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING)
    kind = get_kind(job.kind)
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if now - last[0] >= 0.5 or done == total:
            last[0] = now
            ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    result = run_import(kind, bytes(job.data), job.filename, job.created_by, dry_run=job.dry_run, progress=progress)
    failed = not result.ok
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED if failed else ImportStatus.DONE,
        summary=result.summary(),
        errors=[e.as_dict() for e in result.errors[:PAGE_ERRORS]],
        report=error_report(kind, result) if result.errors else None,
        finished_at=timezone.now(),
    )


def _in_thread(job_id: int) -> None:
    try:
        run_import_job(job_id)
    except Exception:  # noqa: BLE001  (a crashed job must say so, not stay "running")
        import logging

        logging.getLogger("wangge.jobs").exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED,
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


def start(job: ImportJob) -> None:
    """Run now if the file is small, else in the background; the job page shows progress either way."""
    if len(job.data) <= settings.IMPORT_INLINE_MAX_BYTES:
        run_import_job(job.pk)
    else:
        threading.Thread(target=_in_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}").start()
