"""Issue #22 point 12: consequential actions are confirmed first, saying what will happen with the numbers;
reopening a campaign can be undone within a minute, re-planning and shutdowns cannot."""

import datetime
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.core.confirm import SESSION_KEY
from wangge.inspections import services
from wangge.inspections.choices import CampaignStatus, TaskReason, TaskState
from wangge.inspections.models import Campaign, Inspection, Task
from wangge.places.choices import PremisesStatus
from wangge.places.models import Premises

from .helpers import COMPLIANT, campaign

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_replanning_is_confirmed_with_the_numbers_first(world, login):
    c = campaign(world)
    # Two premises leave the scope (no longer key premises); one task is done and stays.
    leaving = [world.premises["beihong1"], world.premises["beihong2"]]
    Premises.objects.filter(pk__in=[p.pk for p in leaving]).update(is_key=False)
    Task.objects.filter(campaign=c, premises=world.premises["linquan1"]).update(state=TaskState.DONE)
    routine = Task.objects.filter(campaign=c).exclude(reason=TaskReason.REINSPECTION)
    before = sorted(routine.values_list("pk", "team_id", "planned_on", "state"))
    removed = routine.filter(state=TaskState.PLANNED, premises__in=leaving).count()
    assert removed == 2
    client = login(world.users["admin"])
    url = reverse("inspections:campaign_plan", args=[c.pk])
    for response in (client.get(url), client.post(url)):  # a GET, or a POST without confirmed=1
        assert response.status_code == 200
        assert f"重新排班将删除 {removed} 个未完成任务并新建 0 个" in _text(response)
        assert 'name="confirmed" value="1"' in _text(response) and "<script" not in _text(response).split("<main")[1]
        assert sorted(routine.values_list("pk", "team_id", "planned_on", "state")) == before  # nothing changed
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert routine.count() == len(before) - removed
    assert not routine.filter(premises__in=leaving).exists()


def _close(world, c):
    return services.set_campaign_status(world.users["admin"], c, CampaignStatus.CLOSED)


def test_reopening_a_campaign_is_confirmed_and_undone_within_a_minute(world, login):
    c = _close(world, campaign(world))
    planned = Task.objects.filter(campaign=c, state=TaskState.PLANNED).count()
    client = login(world.users["admin"])
    url = reverse("inspections:campaign_status", args=[c.pk])
    response = client.post(url, {"status": "active"})
    assert response.status_code == 200 and f"其 {planned} 个未完成任务" in _text(response)
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.CLOSED
    response = client.post(url, {"status": "active", "confirmed": "1"}, follow=True)
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.ACTIVE
    assert 'data-testid="undo"' in _text(response) and "撤销" in _text(response)
    token = client.session[SESSION_KEY]["token"]
    response = client.post(reverse("undo"), {"token": token}, follow=True)
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.CLOSED
    assert "已撤销" in _text(response) and 'data-testid="undo"' not in _text(response)
    # Closing acts at once (no confirmation); after a minute the undo is refused, in Chinese.
    client.post(url, {"status": "active", "confirmed": "1"})
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "at": time.time() - 61}
    session.save()
    response = client.post(reverse("undo"), {"token": session[SESSION_KEY]["token"]}, follow=True)
    assert "已超过一分钟" in _text(response)
    assert Campaign.objects.get(pk=c.pk).status == CampaignStatus.ACTIVE


def test_undo_is_refused_once_the_campaign_changed_or_for_someone_else(world, login):
    c = _close(world, campaign(world))
    client = login(world.users["admin"])
    client.post(reverse("inspections:campaign_status", args=[c.pk]), {"status": "active", "confirmed": "1"})
    token = client.session[SESSION_KEY]["token"]
    c.refresh_from_db()
    services.save_campaign(world.users["admin"], c, c.version)  # someone edits it meanwhile
    response = client.post(reverse("undo"), {"token": token}, follow=True)
    assert "未撤销" in _text(response) and Campaign.objects.get(pk=c.pk).status == CampaignStatus.ACTIVE


def _form(world, task, **extra):
    data = {f"a_{k}": v for k, v in COMPLIANT.items()} | {"client_id": str(uuid.uuid4()),
                                                          "inspectors": [world.users["officer"].pk]}
    return data | {"a_disinfection": "no"} | extra


@pytest.mark.parametrize("decision,status", [
    ({"outcome": "shutdown", "legal_reason": "《传染病防治法》第三十九条"}, PremisesStatus.SHUT),
    ({"outcome": "rectification", "rectification_items": "补建消杀台账", "suspend": "on",
      "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}, PremisesStatus.SUSPENDED)])
def test_shutdown_and_suspension_on_the_web_form_are_confirmed_first(world, login, decision, status):
    c = campaign(world)
    premises = world.premises["linquan1"]
    task = Task.objects.get(campaign=c, premises=premises, reason="scope")
    client = login(world.users["inspector"])
    url = reverse("inspections:inspect", args=[task.pk])
    page = _text(client.get(url))
    assert "I have read" not in page and "我已知晓" in page  # the consequences are on the form from the start
    data = _form(world, task, **decision)
    response = client.post(url, data)
    assert response.status_code == 200 and 'data-testid="confirm"' in _text(response)
    assert f"“{premises.name}”" in _text(response) and "不能撤销" in _text(response)
    if decision["outcome"] == "shutdown":
        others = Task.objects.filter(premises=premises, state=TaskState.PLANNED).exclude(pk=task.pk).count()
        assert f"删除该场所其他 {others} 个待检任务" in _text(response)
    assert not Inspection.objects.exists() and Premises.objects.get(pk=premises.pk).status == PremisesStatus.OPEN
    response = client.post(url, data | {"confirmed": "1"})
    assert response.status_code == 302 and Inspection.objects.count() == 1
    assert Premises.objects.get(pk=premises.pk).status == status
