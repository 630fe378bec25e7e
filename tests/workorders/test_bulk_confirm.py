"""Issue #22 point 12: a bulk assignment is confirmed with its numbers first and may be undone within a
minute, through the service (which checks permissions and that nobody touched the orders since)."""

import time

import pytest

from wangge.core.confirm import SESSION_KEY
from wangge.workorders import services
from wangge.workorders.models import WorkOrder

from .helpers import raise_order

pytestmark = pytest.mark.django_db


def _state(*orders):
    return sorted(WorkOrder.objects.filter(pk__in=[o.pk for o in orders]).values_list("pk", "state", "assignee_id"))


def test_bulk_assignment_is_confirmed_then_undone_within_a_minute(world, login):
    a = raise_order(world, assignee=None)
    b = raise_order(world, grid="linquan2", assignee="cadre")
    before = _state(a, b)
    client = login(world.users["cadre"])
    body = {"ids": [a.pk, b.pk], "assignee": world.users["gridworker"].pk}
    response = client.post("/workorders/bulk-assign/", body)
    page = response.content.decode()
    assert response.status_code == 200 and "2 个工单" in page and "其中 1 个" in page
    assert page.count('name="ids"') == 2 and 'name="confirmed" value="1"' in page
    assert _state(a, b) == before  # nothing changed
    response = client.post("/workorders/bulk-assign/", body | {"confirmed": "1"}, follow=True)
    assert set(WorkOrder.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", "assignee__username")) == {
        ("assigned", "gridworker")}
    assert 'data-testid="undo"' in response.content.decode()
    response = client.post("/undo/", {"token": client.session[SESSION_KEY]["token"]}, follow=True)
    assert _state(a, b) == before and "已撤销" in response.content.decode()
    assert a.events.order_by("-pk").first().comment == "已撤销分派。"


def test_undo_after_a_minute_or_after_a_change_is_refused(world, login):
    a = raise_order(world, assignee=None)
    client = login(world.users["cadre"])
    body = {"ids": [a.pk], "assignee": world.users["gridworker"].pk, "confirmed": "1"}
    client.post("/workorders/bulk-assign/", body)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "at": time.time() - 61}
    session.save()
    response = client.post("/undo/", {"token": session[SESSION_KEY]["token"]}, follow=True)
    assert "已超过一分钟" in response.content.decode()
    assert WorkOrder.objects.get(pk=a.pk).assignee == world.users["gridworker"]
    # Within the minute, but the assignee has started meanwhile: refused, nothing reverted.
    b = raise_order(world, assignee=None)
    client.post("/workorders/bulk-assign/", body | {"ids": [b.pk]})
    services.start(world.users["gridworker"], WorkOrder.objects.get(pk=b.pk))
    response = client.post("/undo/", {"token": client.session[SESSION_KEY]["token"]}, follow=True)
    assert "未撤销" in response.content.decode()
    assert WorkOrder.objects.get(pk=b.pk).state == "in_progress"
