"""The daily risk job as a Celery task (beat schedules it, see wangge/celery.py); without a broker
run `wangge risk` from cron."""

from celery import shared_task

from . import risk, scans


@shared_task(name="inspections.risk")
def risk_task() -> dict:
    scans.link_premises()
    assessed = scans.assess()
    return {**assessed, "scored": risk.refresh_all()}


@shared_task(name="inspections.photos")
def process_photos() -> int:
    """The photos received since the last run, re-encoded without EXIF with their thumbnails (photos.py);
    queued after each inspection with photos commits, and every minute by beat for any left behind."""
    from .photos import process_pending

    return process_pending()
