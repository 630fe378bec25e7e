"""The overdue job escalates and notifies exactly once per level, also when two runs overlap."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from wangge.workorders.choices import OverdueLevel, State, Verb
from wangge.workorders.models import Notification, WorkOrder
from wangge.workorders.overdue import due, run_overdue

from .helpers import TODAY, raise_order


def notified(order):
    return sorted(Notification.objects.filter(order=order, level__gt=0).values_list("level", "user__username"))


def test_levels_recipients_and_once(world):
    order = raise_order(world)  # market office, deadline Monday 18 July
    assert order.deadline == datetime.date(2022, 7, 18)
    assert run_overdue(order.deadline) == {"escalated": 0, "notified": 0}
    first = run_overdue(order.deadline + datetime.timedelta(days=1))
    assert first == {"escalated": 1, "notified": 1}
    order.refresh_from_db()
    assert order.overdue_level == OverdueLevel.DEPARTMENT and order.state == State.ASSIGNED
    assert notified(order) == [(1, "officer")]
    assert run_overdue(order.deadline + datetime.timedelta(days=1)) == {"escalated": 0, "notified": 0}
    # Three more working days is still level 1; the fourth reaches the town leader.
    assert run_overdue(datetime.date(2022, 7, 21))["escalated"] == 0
    assert run_overdue(datetime.date(2022, 7, 22)) == {"escalated": 1, "notified": 1}
    assert run_overdue(datetime.date(2022, 7, 29)) == {"escalated": 0, "notified": 0}
    assert notified(order) == [(1, "officer"), (2, "leader")]
    assert list(order.events.filter(verb=Verb.OVERDUE).values_list("from_state", "to_state")) == [
        ("assigned", "assigned")] * 2


def test_jump_straight_to_level_two_notifies_both_levels(world):
    order = raise_order(world, department=None)
    assert run_overdue(datetime.date(2022, 8, 1)) == {"escalated": 1, "notified": 2}
    assert notified(order) == [(1, "leader"), (2, "leader")]  # no department: the town leader twice over


def test_the_message_names_who_was_actually_told(world):
    told = raise_order(world)  # the market office has an officer
    untold = raise_order(world, department="health")  # the health centre has no department officer
    run_overdue(datetime.date(2022, 7, 19))
    officer_note = Notification.objects.get(order=told, level=1)
    assert "市场监督管理所" in officer_note.message and "officer" in officer_note.message
    leader_note = Notification.objects.get(order=untold, level=1)
    assert leader_note.user == world.users["leader"]
    text = leader_note.message
    assert "部门负责人" not in text and "社区卫生服务中心" in text and "镇领导" in text and "leader" in text, text
    assert "leader" in untold.events.get(verb=Verb.OVERDUE).comment


def test_closed_orders_are_never_due(world):
    order = raise_order(world)
    WorkOrder.objects.filter(pk=order.pk).update(state=State.CLOSED)
    assert not due(datetime.date(2022, 9, 1)).exists()
    assert run_overdue(datetime.date(2022, 9, 1))["escalated"] == 0


def test_command(world, capsys):
    raise_order(world)
    call_command("overdue", "--today", "2022-07-19")
    assert "escalated=1 notified=1" in capsys.readouterr().out
    call_command("overdue", "--today", "2022-07-19")
    assert "escalated=0 notified=0" in capsys.readouterr().out


def test_selection_uses_the_index(world):
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN shape checked on SQLite")
    for _ in range(3):
        raise_order(world)
    plan = due(TODAY).explain()
    assert "workorder_open_deadline" in plan


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_escalate_and_notify_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need PostgreSQL's row locks")
    orders = [raise_order(world) for _ in range(5)]
    handed_over = Notification.objects.count()  # raising told the assignees: not the overdue job's
    day = datetime.date(2022, 8, 1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(run_overdue(day))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r["escalated"] for r in results) == 5
    assert sum(r["notified"] for r in results) == Notification.objects.count() - handed_over == 10
    for order in orders:
        assert notified(order) == [(1, "officer"), (2, "leader")]
        assert order.events.filter(verb=Verb.OVERDUE).count() == 1


def test_the_working_day_before_the_deadline_the_assignee_is_reminded_once(world):
    from wangge.workorders.overdue import remind_due_soon

    order = raise_order(world)
    assert order.deadline.weekday() < 5
    before = order.deadline - datetime.timedelta(days=1)
    while before.weekday() >= 5:  # the last working day before it (no holidays in this July)
        before -= datetime.timedelta(days=1)
    earlier = before - datetime.timedelta(days=1)
    while earlier.weekday() >= 5:
        earlier -= datetime.timedelta(days=1)
    assert remind_due_soon(earlier) == 0
    assert remind_due_soon(before) == 1
    assert remind_due_soon(before) == 0  # the job may run twice
    assert remind_due_soon(order.deadline) == 0  # on the day itself the overdue job takes over tomorrow
    (note,) = Notification.objects.filter(key__startswith="due-soon:")
    assert note.user == world.users["gridworker"] and f"#{order.pk}" in note.message
    # A deadline moved later reminds again before the new one, once.
    order.deadline = order.deadline + datetime.timedelta(days=7)
    order.save(update_fields=["deadline"])
    assert remind_due_soon(before + datetime.timedelta(days=7)) == 1
    assert Notification.objects.filter(key__startswith="due-soon:").count() == 2
