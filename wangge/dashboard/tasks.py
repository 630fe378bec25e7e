"""The daily brief as a Celery task (beat runs it each evening; without a broker, cron runs `wangge brief`)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="dashboard.daily_brief")
def daily_brief() -> int:
    """Recorded as a job (the job page shows the evening's run), made here on the worker."""
    from wangge.core import background

    from .briefs.jobs import params
    from .figures import Period

    today = timezone.localdate()
    job = background.run_here("brief", None, params("daily", Period(today, today)))
    return job.result.get("brief", 0)


@shared_task(name="dashboard.rollup")
def rollup() -> int:
    """The stale grids' figures recomputed (docs/DASHBOARD.md, "Roll-ups"); beat runs it every minute."""
    from .rollup.refresh import refresh, worker_ran

    grids = refresh()
    worker_ran()
    return grids
