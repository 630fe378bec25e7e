"""The daily risk job as a Celery task (beat schedules it, see wangge/celery.py); without a broker
run `wangge risk` from cron."""

from celery import shared_task

from . import risk, scans


@shared_task(name="inspections.risk")
def risk_task() -> dict:
    scans.link_premises()
    assessed = scans.assess()
    return {**assessed, "scored": risk.refresh_all()}
