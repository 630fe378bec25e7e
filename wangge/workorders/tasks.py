"""The overdue job as a Celery task (beat schedules it daily, see wangge/celery.py); the embedded
default runs the same function from cron as `wangge overdue`."""

from celery import shared_task

from .overdue import remind_due_soon, run_overdue


@shared_task(name="workorders.overdue")
def overdue_task() -> dict:
    return {**run_overdue(), "reminded": remind_due_soon()}


@shared_task(name="workorders.deliver")
def deliver_task() -> dict:
    """Send the notifications due on e-mail, WeCom and SMS (beat: every minute; also right after a
    notification is made when a broker is set)."""
    from .delivery import deliver_due

    return deliver_due()
