"""Whole-list exports too long for the request: `start` records an ExportJob, a worker (a Celery task
with a broker, else the embedded `wangge worker`) writes the file row chunk by row chunk into a
temporary file (openpyxl's write-only workbook, or CSV) and moves it into the storage (exports/…); the
page follows its progress and offers the download to the one who asked. Memory stays flat whatever
the length: rows come from the kind's iterator in chunks of 2,000 and are never all held."""

import datetime
import logging
import tempfile
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress as live
from . import services
from .models import ExportJob, ImportStatus
from .tabular.heading import heading_of
from .tabular.kinds import LedgerKind, get_kind
from .tabular.writing import export_csv, export_workbook

log = logging.getLogger("wangge.jobs")
STALE_AFTER = datetime.timedelta(minutes=3)


def too_long(kind: LedgerKind, user, params, unmasked: bool) -> bool:
    """More rows than a request should write (a kind whose rows are not a queryset is always short)."""
    if type(kind).rows is not LedgerKind.rows:
        return False
    rows = kind.filter(kind.export_queryset(user, unmasked=unmasked), params, user=user)
    return rows.count() > settings.EXPORT_INLINE_MAX_ROWS


def start(kind: LedgerKind, user, params: QueryDict, fmt: str, unmasked: bool) -> ExportJob:
    job = ExportJob.objects.create(kind=kind.name, fmt=fmt, params={k: params.getlist(k) for k in params},
                                   unmasked=unmasked, created_by=user)
    if settings.CELERY_BROKER_URL:
        from .tasks import export_task

        export_task.delay(job.pk)
    return job  # else pending for the embedded worker (run_pending)


def _key(job_id: int) -> str:
    return f"export-{job_id}"


def claim(job_id: int, now=None) -> bool:
    now = now or timezone.now()
    return live.claim(ExportJob.objects.filter(pk=job_id), _key(job_id), now, STALE_AFTER)


def run_export_job(job_id: int) -> bool:
    """Write the file if nobody else is; False when the job was taken or finished already."""
    if not claim(job_id):
        return False
    try:
        _run(ExportJob.objects.select_related("created_by").get(pk=job_id))
    except Exception:  # noqa: BLE001  (a crashed export must say so, not stay "running")
        log.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                                                   error=str(_("An error on the server stopped this export. "
                                                               "Export the list again.")))
    finally:
        live.clear(_key(job_id))
    return True


def _run(job: ExportJob) -> None:
    kind, user = get_kind(job.kind), job.created_by
    params = QueryDict(mutable=True)
    for key, values in job.params.items():
        params.setlist(key, values)
    queryset = kind.filter(kind.export_queryset(user, unmasked=job.unmasked), params, user=user)
    total = queryset.count()

    def progress(done):
        if done % 1000 == 0:
            live.write(_key(job.pk), done, total)

    writer = export_csv if job.fmt == "csv" else export_workbook
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as out:
        _body, count = writer(kind, kind.rows(user, params, unmasked=job.unmasked), unmasked=job.unmasked,
                              heading=heading_of(kind, params, user).line(), out=out, progress=progress)
        out.seek(0)
        name = default_storage.save(f"exports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{job.fmt}", File(out))
    services.record_export(user, kind.model, count, masked=not job.unmasked)
    ExportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished_at=timezone.now(), file=name,
                                               done=count, total=count)


def live_progress(job: ExportJob) -> ExportJob:
    return live.onto(job, _key(job.pk))


def run_pending(limit: int | None = None) -> int:
    return live.run_waiting(ExportJob, run_export_job, limit)


def mark_interrupted(now=None) -> int:
    """An export whose worker stopped says so; its file was never stored (it is written aside first)."""
    now = now or timezone.now()
    dead = live.silent(ExportJob, _key, now, STALE_AFTER)
    return ExportJob.objects.filter(pk__in=dead, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED, finished_at=now,
        error=str(_("The server stopped during this export. Export the list again.")))


def expired(cutoff):
    return ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file="")


def delete_files(queryset) -> int:
    count = 0
    for job in queryset:
        default_storage.delete(job.file)
        count += ExportJob.objects.filter(pk=job.pk).update(file="")
    return count
