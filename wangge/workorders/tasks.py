"""The overdue job as a background task. The embedded default runs `wangge overdue` from cron (or a
systemd timer); with Celery configured, beat schedules `overdue_task` (the same function)."""

from .overdue import run_overdue

try:  # Celery is optional: without it the function is plain and the management command runs it.
    from celery import shared_task
except ImportError:  # pragma: no cover
    shared_task = None


def overdue_task() -> dict:
    return run_overdue()


if shared_task is not None:  # pragma: no cover
    overdue_task = shared_task(name="workorders.overdue")(overdue_task)
