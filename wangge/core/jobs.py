"""Running ledger imports: a small file at once (a check of a few hundred rows answers in the
request), a long one in a worker — a Celery task when CELERY_BROKER_URL is set, else the embedded
default's worker process (`wangge worker`, which `make demo` starts beside the server). Never in a
thread of the web process. Whoever runs it first claims it (`claim`), so a task delivered twice (Celery's
acks_late after a worker died) or two workers at once run it once.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress as live
from .models import ImportJob, ImportStatus
from .tabular.importer import run_import
from .tabular.kinds import get_kind
from .tabular.report import error_report

PAGE_ERRORS = 500
log = logging.getLogger("wangge.jobs")

# A running job writes its progress (live.write) at least every few seconds; one silent this long
# belonged to a process that stopped. A job nobody took within PENDING_AFTER had no worker running.
STALE_AFTER = datetime.timedelta(minutes=3)
PENDING_AFTER = datetime.timedelta(minutes=30)


def mark_interrupted(now=None) -> int:
    """Jobs left running by a process that stopped (a restart, a crash, a SIGKILL), or never taken
    by a worker, say so. Their file changed nothing: an import is one transaction, rolled back with
    the process. The upload is kept (until the nightly purge, as a checked file's) so that its owner may
    start the same job again (`restart`)."""
    now = now or timezone.now()
    stopped = _("The worker stopped during this import; nothing from the file was saved. Start it again, or "
                "upload the file again.")
    untaken = _("No background worker took this import; nothing was saved. Ask the administrator to check the "
                "background worker, then start it again.")
    dead = live.silent(ImportJob, str, now, STALE_AFTER)
    pending = ImportJob.objects.filter(status=ImportStatus.PENDING, created_at__lt=now - PENDING_AFTER)
    count = 0
    for rows, text in ((ImportJob.objects.filter(pk__in=dead, status=ImportStatus.RUNNING), stopped),
                       (pending, untaken)):
        count += rows.update(status=ImportStatus.FAILED, finished_at=now,
                             summary={"file_error": str(text), "interrupted": True})
    return count


def restart(job: ImportJob, user) -> bool:
    """The same job again, by its owner, after its worker stopped (mark_interrupted): pending, then run
    like a new upload. False when it cannot be: not interrupted, not theirs, or its file is gone."""
    rows = ImportJob.objects.filter(pk=job.pk, created_by=user, status=ImportStatus.FAILED,
                                    summary__interrupted=True).exclude(data=b"")
    if not rows.update(status=ImportStatus.PENDING, summary={}, errors=[], finished_at=None, heartbeat_at=None,
                       done=0, total=0, created_at=timezone.now()):
        return False
    job.refresh_from_db()
    start(job)
    return True


def claim(job_id: int, now=None) -> bool:
    """Take the job for this process: a pending one, or one whose runner died (no heartbeat, in the
    database or outside it, for STALE_AFTER)."""
    now = now or timezone.now()
    return live.claim(ImportJob.objects.filter(pk=job_id).exclude(data=b""), job_id, now, STALE_AFTER)


def run_import_job(job_id: int) -> bool:
    """Run the job if nobody else has it; False when it was taken or finished already."""
    if not claim(job_id):
        return False
    try:
        _run(job_id)
    except Exception:  # noqa: BLE001  (a crashed job must say so, not stay "running")
        log.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, data=b"",
                                                   summary={"file_error": str(_(
                                                       "An error on the server stopped this import; nothing from "
                                                       "the file was saved. Upload it again."))},
                                                   finished_at=timezone.now())
    finally:
        live.clear(job_id)
    return True


def _run(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    kind = get_kind(job.kind)

    last = [0, 0]

    def progress(done, total):
        last[:] = done, total
        live.write(job_id, done, total)  # seen at once, whatever transaction the import is in

    data = bytes(job.data)
    result = run_import(kind, data, job.filename, job.created_by, dry_run=job.dry_run, progress=progress)
    failed = not result.ok
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED if failed else ImportStatus.DONE, done=last[0], total=last[1],
        summary=result.summary(),
        errors=[e.as_dict() for e in result.errors[:PAGE_ERRORS]],
        report=error_report(kind, result, data, job.filename) if result.errors and result.table else None,
        finished_at=timezone.now(),
        # The upload is kept only while it may still be imported: a check that passed (until confirmed,
        # or the nightly purge). An import that ran, or a check that failed, needs it no more.
        **({} if job.dry_run and not failed else {"data": b""}),
    )


def live_progress(job: ImportJob) -> ImportJob:
    return live.onto(job)


def run_pending(limit: int | None = None) -> int:
    """The embedded worker's turn for imports."""
    return live.run_waiting(ImportJob, run_import_job, limit)


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
    """Run now if the file is small, else hand it to a worker; the job page shows progress either way."""
    if len(job.data) <= settings.IMPORT_INLINE_MAX_BYTES:
        run_import_job(job.pk)
    elif settings.CELERY_BROKER_URL:
        from .tasks import import_task

        import_task.delay(job.pk)
    # else: it waits, pending, for the embedded worker (run_pending).
