"""The overdue job as a Celery task: scheduled daily by beat, the same function as the command."""

import datetime

from wangge.celery import app
from wangge.workorders.models import Notification
from wangge.workorders.tasks import overdue_task

from .helpers import raise_order


def test_beat_schedules_the_overdue_task_daily():
    entry = app.conf.beat_schedule["workorders-overdue"]
    assert entry["task"] == "workorders.overdue" == overdue_task.name
    assert entry["schedule"].hour == {1}


def test_task_runs_the_job_once(world, monkeypatch):
    order = raise_order(world)
    monkeypatch.setattr("wangge.workorders.overdue.timezone.localdate",
                        lambda: order.deadline + datetime.timedelta(days=1))
    assert overdue_task.delay().get() == {"escalated": 1, "notified": 1, "reminded": 0}  # eager without a broker
    assert overdue_task.delay().get() == {"escalated": 0, "notified": 0, "reminded": 0}
    assert Notification.objects.filter(order=order, level__gt=0).count() == 1  # level 0: the assignment
