"""Long work other than ledger imports and list exports — briefs and reviews, `generate`, the purge, key
rotation — recorded as a BackgroundJob (who asked, when, state, done/total, what it said, what it made)
and run by a worker: a Celery task (`core.background`, acks_late) when CELERY_BROKER_URL is set, else the
embedded default's worker (`wangge worker`). Never in the web request. A command run by hand records
the same job and runs it in its own process with a progress bar, or hands it to the worker
(`--background`) and follows it. A kind registers the function that does the work (register below):

    def run(job, report) -> dict   # report.progress(done, total), report.say(text); returns the result

A worker killed mid-job leaves it running without a heartbeat; `mark_interrupted` marks it failed with
the reason, and the work may be started again: each kind's work is idempotent or transactional (a brief
replaces its files, `generate` is one transaction, the purge and key rotation resume where they stopped).
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import progress as live
from .models import BackgroundJob, ImportStatus

log = logging.getLogger("wangge.jobs")
STALE_AFTER = datetime.timedelta(minutes=3)
PENDING_AFTER = datetime.timedelta(minutes=30)
MESSAGES_KEPT = 200


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # lazy: the kind's name in the UI
    run: Callable[[BackgroundJob, "Report"], dict]
    # What a finished job offers the one looking at its page: [(label, url)], e.g. a brief's two files.
    links: Callable[[BackgroundJob, object], list] | None = None


KINDS: dict[str, JobKind] = {}


def register(name: str, label, run, links=None) -> JobKind:
    KINDS[name] = JobKind(name, label, run, links)
    return KINDS[name]


def links_of(job: BackgroundJob, user) -> list:
    kind = KINDS.get(job.kind)
    return kind.links(job, user) if kind and kind.links and job.status == ImportStatus.DONE else []


def _key(job_id) -> str:
    return f"background-{job_id}"


class Report:
    """What the running work tells: its progress goes outside the database (the job page and the command's
    bar read it while the work's own transaction is open), its messages onto the job's row. `echo`, when
    given, is told too (the command's progress bar)."""

    def __init__(self, job: BackgroundJob, echo=None):
        self.job, self.echo = job, echo
        self.said: list[str] = list(job.messages)

    def progress(self, done: int, total: int) -> None:
        live.write(_key(self.job.pk), done, total)
        if self.echo is not None:
            self.echo.progress(done, total)

    def say(self, text) -> None:
        self.said = [*self.said, str(text)][-MESSAGES_KEPT:]
        BackgroundJob.objects.filter(pk=self.job.pk).update(messages=self.said, heartbeat_at=timezone.now())
        if self.echo is not None:
            self.echo.say(str(text))


def submit(kind: str, user=None, params: dict | None = None) -> BackgroundJob:
    """Record the work and hand it to a worker (Celery with a broker, else the embedded worker's turn)."""
    if kind not in KINDS:
        raise KeyError(kind)
    job = BackgroundJob.objects.create(kind=kind, params=params or {}, created_by=user)
    _hand_over(job.pk)
    return job


def _hand_over(job_id: int) -> None:
    """To Celery when there is a broker; else the job waits, pending, for the embedded worker's turn."""
    if settings.CELERY_BROKER_URL:
        from .tasks import background_task

        background_task.delay(job_id)


def run_here(kind: str, user=None, params: dict | None = None, echo=None) -> BackgroundJob:
    """Record the work and run it in this process (a command, a scheduled task already on a worker)."""
    if kind not in KINDS:
        raise KeyError(kind)
    job = BackgroundJob.objects.create(kind=kind, params=params or {}, created_by=user)
    run_job(job.pk, echo=echo)
    job.refresh_from_db()
    return job


def claim(job_id: int, now=None) -> bool:
    return live.claim(BackgroundJob.objects.filter(pk=job_id), _key(job_id), now or timezone.now(), STALE_AFTER)


def run_job(job_id: int, echo=None) -> bool:
    """Run the job if nobody else has it; False when it was taken or finished already."""
    if not claim(job_id):
        return False
    job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
    BackgroundJob.objects.filter(pk=job_id).update(started_at=timezone.now())
    report = Report(job, echo)
    try:
        result = KINDS[job.kind].run(job, report)
    except Exception as exc:  # noqa: BLE001  (a crashed job must say so, not stay "running")
        log.exception("background job %s (%s) failed", job_id, job.kind)
        reason = exc.message if isinstance(exc, UserFacingError) else _(
            "An error on the server stopped this work. Start it again.")
        BackgroundJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                                                       error=str(reason)[:300])
    else:
        seen = live.read(_key(job_id)) or {}
        total = seen.get("total", 1) or 1
        BackgroundJob.objects.filter(pk=job_id).update(status=ImportStatus.DONE, finished_at=timezone.now(),
                                                       result=result or {}, done=total, total=total)
    finally:
        live.clear(_key(job_id))
    return True


class UserFacingError(Exception):
    """Work that refused for a reason its asker should read (shown on the job page, not logged away)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may_restart(job: BackgroundJob, user) -> bool:
    """A failed job may be started again by who asked for it; one a command or the schedule started, by who
    manages the town's staff (an administrator)."""
    from .roles import Perm

    if job.status != ImportStatus.FAILED or job.kind not in KINDS:
        return False
    return job.created_by_id == user.pk if job.created_by_id else user.can(Perm.MANAGE_STAFF)


def restart(job: BackgroundJob, user) -> bool:
    """The same work again (same kind and parameters), handed to the worker; False when not allowed or
    already restarted by someone else."""
    if not may_restart(job, user):
        return False
    if not BackgroundJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).update(
            status=ImportStatus.PENDING, error="", finished_at=None, started_at=None, heartbeat_at=None, done=0,
            total=0, messages=[], result={}, created_at=timezone.now()):
        return False
    _hand_over(job.pk)
    return True


def live_progress(job: BackgroundJob) -> BackgroundJob:
    return live.onto(job, _key(job.pk))


def run_pending(limit: int | None = None) -> int:
    """The embedded worker's turn for background work."""
    return live.run_waiting(BackgroundJob, run_job, limit)


def mark_interrupted(now=None) -> int:
    """Work left running by a worker that stopped, or never taken by one, says so."""
    now = now or timezone.now()
    dead = live.silent(BackgroundJob, _key, now, STALE_AFTER)
    count = BackgroundJob.objects.filter(pk__in=dead, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED, finished_at=now,
        error=str(_("The worker stopped during this work; what it had not finished was not saved. Start it again.")))
    count += BackgroundJob.objects.filter(status=ImportStatus.PENDING, created_at__lt=now - PENDING_AFTER).update(
        status=ImportStatus.FAILED, finished_at=now,
        error=str(_("No background worker took this work. Ask the administrator to check the background worker, "
                    "then start it again.")))
    return count


def follow(job_id: int, echo, poll: float = 0.5, timeout: float | None = None) -> BackgroundJob:
    """Wait for a job a worker runs, telling `echo` its progress (a command's --background)."""
    import time

    from .connections import release_connection

    started = time.monotonic()
    while True:
        job = live_progress(BackgroundJob.objects.get(pk=job_id))
        if job.total:
            echo.progress(job.done, job.total)
        if job.finished or (timeout is not None and time.monotonic() - started > timeout):
            return job
        release_connection()
        time.sleep(poll)
