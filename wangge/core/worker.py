"""The embedded default's worker: one process beside the web server (`wangge worker`; `make demo`
starts it) doing what Celery's worker and beat do in production — the waiting imports, long exports and other
background jobs (briefs, `generate`, purge, key rotation), and the
periodic tasks of wangge/celery.py's beat schedule, by the same schedule (every 60 s, each morning at
01:00 …), run through the same task functions. With CELERY_BROKER_URL set, run Celery instead."""

import logging
import time

from celery.schedules import schedule as interval
from django.utils import timezone

from . import background, export_jobs, jobs
from .connections import release_connection


def process_photos() -> int:
    from wangge.inspections.photos import process_pending

    return process_pending()

log = logging.getLogger("wangge.worker")


class Beat:
    """Celery beat's schedule, kept in this process: a task is due by its own schedule's rule, counted
    from when this worker started (so a restart does not run the whole night's jobs at once)."""

    def __init__(self, now=None):
        from wangge.celery import app

        app.loader.import_default_modules()  # registers every task of the schedule
        self.app = app
        started = now or timezone.now()
        self.last = {name: started for name in app.conf.beat_schedule}

    def due(self, now=None) -> list[str]:
        now = now or timezone.now()
        names = []
        for name, entry in self.app.conf.beat_schedule.items():
            rule = entry["schedule"]
            rule = rule if hasattr(rule, "is_due") else interval(rule)
            rule.app = self.app
            if rule.is_due(self.last[name]).is_due:
                names.append(name)
        return names

    def run_due(self, now=None) -> list[str]:
        now = now or timezone.now()
        ran = []
        for name in self.due(now):
            self.last[name] = now
            task = self.app.tasks[self.app.conf.beat_schedule[name]["task"]]
            try:
                task.apply(throw=True)
            except Exception:  # noqa: BLE001  (one failing task must not stop the others, nor the worker)
                log.exception("periodic task %s failed", name)
            ran.append(name)
            release_connection()
        return ran


def run(*, once: bool = False, poll: float = 1.0, beat: bool = True) -> None:
    clock = Beat() if beat else None
    while True:
        jobs.run_pending()
        export_jobs.run_pending()
        background.run_pending()
        process_photos()  # each turn, not once a minute: a photo waits a second, not a minute
        if clock is not None:
            clock.run_due()
        release_connection()
        if once:
            return
        time.sleep(poll)
