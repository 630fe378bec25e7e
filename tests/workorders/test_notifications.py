"""In-app notifications: each user sees and marks only their own; e-mail when configured."""

import datetime

import pytest
from django.core import mail

from wangge.workorders import services
from wangge.workorders.delivery import deliver_due
from wangge.workorders.models import Notification
from wangge.workorders.overdue import run_overdue

from .helpers import raise_order


def test_page_and_api_show_own_notifications(world, login, client):
    order = raise_order(world)
    run_overdue(datetime.date(2022, 8, 1))
    officer_note = Notification.objects.get(user=world.users["officer"])
    page = login(world.users["officer"]).get("/workorders/notifications/")
    assert order.title in page.content.decode()
    assert list(page.context["page"]) == [officer_note]
    headers = {"Authorization": f"Bearer {world.token('leader')}"}
    items = client.get("/api/v1/workorders/notifications?unread=true", headers=headers).json()["items"]
    assert [(i["order_id"], i["level"]) for i in items] == [(order.pk, 2)]
    # Someone else's notification cannot be marked read.
    client.post(f"/api/v1/workorders/notifications/{officer_note.pk}/read", headers=headers)
    officer_note.refresh_from_db()
    assert officer_note.read_at is None
    login(world.users["officer"]).post(f"/workorders/notifications/{officer_note.pk}/read/")
    officer_note.refresh_from_db()
    assert officer_note.read_at is not None


@pytest.mark.django_db(transaction=True)
def test_overdue_alert_by_email_once_when_chosen(world, settings):
    settings.EMAIL_HOST = "mail.example.org"  # the channel is set up; the test backend keeps the mail
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.users["officer"].email = "officer@example.org"
    world.users["officer"].save()
    services.set_channels(world.users["officer"], expected_version=None, email=True)
    raise_order(world)
    run_overdue(datetime.date(2022, 7, 19))
    deliver_due()
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]
    run_overdue(datetime.date(2022, 7, 19))
    deliver_due()
    assert len(mail.outbox) == 1
