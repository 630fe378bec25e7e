"""The nightly purge of expired personal data as a Celery task (beat schedules it, see wangge/celery.py);
the embedded default runs the same function from cron as `wangge purge`."""

from celery import shared_task

from .privacy import purge


@shared_task(name="core.purge")
def purge_task() -> dict:
    return purge()
