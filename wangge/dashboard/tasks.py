"""The daily brief as a Celery task (beat runs it each evening; without a broker, cron runs `wangge brief`)."""

from celery import shared_task
from django.utils import timezone

from .briefs.schedule import scheduled_brief


@shared_task(name="dashboard.daily_brief")
def daily_brief() -> int:
    return scheduled_brief(timezone.localdate()).pk


@shared_task(name="dashboard.rollup")
def rollup() -> int:
    """The stale grids' figures recomputed (docs/DASHBOARD.md, "Roll-ups"); beat runs it every minute."""
    from .rollup.refresh import refresh, worker_ran

    grids = refresh()
    worker_ran()
    return grids
