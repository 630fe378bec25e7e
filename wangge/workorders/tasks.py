"""The overdue job as a Celery task (beat schedules it daily, see wangge/celery.py); the embedded
default runs the same function from cron as `wangge overdue`."""

from celery import shared_task

from .overdue import run_overdue


@shared_task(name="workorders.overdue")
def overdue_task() -> dict:
    return run_overdue()
