"""Celery for production: set CELERY_BROKER_URL (Redis) and run a worker and beat:

    celery -A wangge worker -l info
    celery -A wangge beat -l info

Without a broker (the embedded default) a task called directly runs in-process
(`CELERY_TASK_ALWAYS_EAGER`), and `wangge worker` (core/worker.py) runs long imports and this beat
schedule in its own process; the task functions are the same either way.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

app = Celery("wangge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["wangge.core", "wangge.workorders", "wangge.inspections", "wangge.dashboard",
                        "wangge.vaccination"])
app.conf.beat_schedule = {
    # Mark and escalate overdue work orders every morning (idempotent: a second run does nothing twice).
    "workorders-overdue": {"task": "workorders.overdue", "schedule": crontab(hour=1, minute=0)},
    # Notifications on e-mail, WeCom and SMS: what is due, with retries (docs/NOTIFICATIONS.md).
    "workorders-deliver": {"task": "workorders.deliver", "schedule": 60.0},
    # Then the risk scores, which count overdue rectifications and scan flags.
    "inspections-risk": {"task": "inspections.risk", "schedule": crontab(hour=1, minute=30)},
    # Tomorrow's vaccination appointments: a reminder for each responsible doctor or cadre (idempotent).
    "vaccination-reminders": {"task": "vaccination.reminders", "schedule": crontab(hour=7, minute=0)},
    # The day's brief (工作日报) for the whole town, kept in the file storage (briefs/).
    "dashboard-daily-brief": {"task": "dashboard.daily_brief", "schedule": crontab(hour=18, minute=0)},
    # The dashboard's per-grid roll-up: the grids changed since the last run (docs/DASHBOARD.md).
    "dashboard-rollup": {"task": "dashboard.rollup", "schedule": 60.0},
    # Inspection photos stored as received, re-encoded without EXIF (queued per inspection; this catches any left).
    "inspections-photos": {"task": "inspections.photos", "schedule": 60.0},
    # Anonymise personal data past its retention (docs/PRIVACY.md) every night: uploads are kept 7 days.
    "core-purge": {"task": "core.purge", "schedule": crontab(hour=3, minute=0)},
}
