"""A running job's progress, written outside the job's own database transaction so the job page sees
it move while the import writes (on SQLite the import's transaction holds the only write lock; on
PostgreSQL its updates would stay unseen until it commits). It goes to the shared cache when there is
one (Redis: every app node reads it), else to a small file under WANGGE_VAR_DIR/jobs/ that every process
of the one machine reads. The time written doubles as the job's heartbeat (jobs.mark_interrupted)."""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

LOCAL_CACHES = ("LocMemCache", "DummyCache")
TTL = 24 * 3600


def _shared() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith(LOCAL_CACHES)


def _file(job_id) -> Path:
    """An import's id, or a prefixed key ("export-12"): never a path of the caller's choosing."""
    key = str(job_id)
    if not key.replace("-", "").isalnum():
        raise ValueError(key)
    return Path(settings.VAR_DIR) / "jobs" / f"{key}.progress"


def write(job_id, done: int, total: int) -> None:
    payload = {"done": int(done), "total": int(total), "at": time.time()}
    if _shared():
        cache.set(f"job-progress:{job_id}", payload, TTL)
        return
    target = _file(job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}")
    partial.write_text(json.dumps(payload))
    partial.replace(target)  # a reader sees the old figures or the new, never half


def read(job_id) -> dict | None:
    if _shared():
        return cache.get(f"job-progress:{job_id}")
    try:
        return json.loads(_file(job_id).read_text())
    except (FileNotFoundError, ValueError):
        return None


def clear(job_id) -> None:
    if _shared():
        cache.delete(f"job-progress:{job_id}")
    else:
        _file(job_id).unlink(missing_ok=True)


def beating(job_id, now, within) -> bool:
    """Has the job's runner written its progress within `within` (a timedelta) of `now`? The heartbeat of
    a job deep in its own transaction, whose database row cannot show it."""
    seen = read(job_id)
    return bool(seen) and now.timestamp() - seen["at"] < within.total_seconds()


def claim(rows, key, now, stale_after) -> bool:
    """Take a job (`rows`: its one-row queryset) for this process: a pending one, or a running one whose
    runner went silent — no heartbeat in the database or outside it for `stale_after`. One update decides,
    so two workers (or a task delivered twice) never both take it."""
    if rows.filter(status="pending").update(status="running", heartbeat_at=now):
        return True
    stale = rows.filter(status="running", heartbeat_at__lt=now - stale_after)
    return stale.exists() and not beating(key, now, stale_after) and bool(stale.update(heartbeat_at=now))


def silent(model, key_of, now, stale_after) -> list:
    """The running jobs of `model` whose runner stopped (a restart, a crash, a SIGKILL): nothing written
    for `stale_after`, in the database or outside it."""
    from django.db.models import Q

    cutoff = now - stale_after
    running = model.objects.filter(status="running").filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff))
    return [pk for pk in running.values_list("pk", flat=True) if not beating(key_of(pk), now, stale_after)]


def onto(job, key=None):
    """The job with the figures its runner wrote here, while it runs (the job pages)."""
    if job.status == "running" and (seen := read(job.pk if key is None else key)):
        job.done, job.total = seen["done"], seen["total"]
    return job


def run_waiting(model, run, limit: int | None = None) -> int:
    """A worker's turn: run `model`'s pending jobs oldest first through `run(pk)` (which claims each);
    returns how many it ran."""
    from .connections import release_connection

    ran = 0
    for pk in model.objects.filter(status="pending").order_by("created_at", "pk").values_list("pk", flat=True)[:limit]:
        ran += run(pk)
        release_connection()
    return ran
