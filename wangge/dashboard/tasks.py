"""The daily brief as a Celery task (beat runs it each evening; without a broker, cron runs `wangge brief`)."""

from celery import shared_task
from django.utils import timezone

from .briefs.schedule import scheduled_brief


@shared_task(name="dashboard.daily_brief")
def daily_brief() -> int:
    return scheduled_brief(timezone.localdate()).pk
