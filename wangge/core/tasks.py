"""Celery tasks of core: the nightly purge (beat schedules it, see wangge/celery.py; the embedded worker
keeps the same schedule), imports, long exports and the other background jobs (background.py)."""

from celery import shared_task


@shared_task(name="core.purge")
def purge_task() -> dict:
    """Recorded as a job like a purge run by hand (its page shows what the night's run did)."""
    from . import background

    job = background.run_here("purge")
    if job.status != "done":
        raise RuntimeError(job.error)
    return job.result["counts"]


@shared_task(name="core.background", acks_late=True, reject_on_worker_lost=True)
def background_task(job_id: int) -> bool:
    """A brief, `generate`, a purge or a key rotation on a Celery worker, claimed like an import."""
    from .background import run_job

    return run_job(job_id)


@shared_task(name="core.import", acks_late=True, reject_on_worker_lost=True)
def import_task(job_id: int) -> bool:
    """A ledger import on a Celery worker. acks_late: a worker killed mid-import leaves the message
    to be delivered again; the import rolled back with the process, and jobs.claim takes the job again
    once its heartbeat is stale (or the page has marked it failed, to be uploaded again)."""
    from .jobs import run_import_job

    return run_import_job(job_id)


@shared_task(name="core.export", acks_late=True, reject_on_worker_lost=True)
def export_task(job_id: int) -> bool:
    """A long list export on a Celery worker (export_jobs.py); claimed like an import."""
    from .export_jobs import run_export_job

    return run_export_job(job_id)
