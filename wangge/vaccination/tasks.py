"""The reminders job as a Celery task (beat runs it daily, see wangge/celery.py); without a broker the
same function runs from cron as `wangge vaccination_reminders`."""

from celery import shared_task

from .services.outreach import send_reminders


@shared_task(name="vaccination.reminders")
def reminders_task() -> dict:
    return send_reminders()
