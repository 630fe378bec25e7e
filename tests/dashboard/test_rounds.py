"""#20.16 / #22.13: every active round is offered on the dashboard, the JSON, the API and the big screen;
the default is the largest one (a small campaign created later does not replace the town's); an active
look-back round is shown beside its first round even after that round closed."""

import datetime

import pytest
from django.utils import timezone

from wangge.inspections import services
from wangge.inspections.choices import CampaignStatus
from wangge.inspections.models import Campaign, Task
from wangge.inspections.planning import plan_campaign

from ..inspections.helpers import checklists
from .helpers import run_campaign

pytestmark = pytest.mark.django_db


def _small_round(world) -> Campaign:
    """A later, smaller round over one grid only."""
    admin = world.users["admin"]
    today = timezone.localdate()
    small = services.save_campaign(admin, Campaign(name="小区周边夜查", starts_on=today, ends_on=today,
                                                   checklist=checklists()["epidemic"], status=CampaignStatus.ACTIVE,
                                                   key_only=False), areas=[world.grids["linquan1"]])
    plan_campaign(admin, small)
    return small


def _sections(client, query=""):
    data = client.get(f"/dashboard/data.json{query}").json()
    return data, {s["key"]: s for s in data["sections"]}


def test_every_active_round_is_offered_and_the_largest_is_the_default(world, login):
    town = run_campaign(world)
    small = _small_round(world)
    sizes = {c: Task.objects.filter(campaign=c).exclude(reason="reinspection").count() for c in (town, small)}
    assert sizes[town] > sizes[small] > 0
    client = login(world.users["leader"])
    data, sections = _sections(client)
    assert {c["id"] for c in data["rounds"]["choices"]} == {town.pk, small.pk}
    assert data["rounds"]["chosen"] == town.pk
    assert sections["inspections"]["title"].endswith(town.name)
    assert {f["key"]: f["value"] for f in sections["inspections"]["figures"]}["in_scope"] == sizes[town]
    data, sections = _sections(client, f"?campaign={small.pk}")
    assert data["rounds"]["chosen"] == small.pk and sections["inspections"]["title"].endswith(small.name)
    assert {f["key"]: f["value"] for f in sections["inspections"]["figures"]}["in_scope"] == sizes[small]
    # The page: a picker with both rounds, the town's selected; the API answers the same.
    page = client.get("/").content.decode()
    assert 'data-testid="campaign-picker"' in page and small.name in page
    assert f'<option value="{town.pk}" selected>' in page
    api = client.get(f"/api/v1/dashboard?campaign={small.pk}").json()
    assert api["rounds"]["chosen"] == small.pk
    # A bad choice is a clear answer, not a 500, and changes nothing.
    bad = client.get("/dashboard/data.json?campaign=abc")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "campaign"
    assert client.get("/dashboard/data.json?campaign=999999").status_code == 422
    assert client.get("/api/v1/dashboard?campaign=999999").status_code == 422
    assert "没有" in client.get("/?campaign=999999", follow=True).content.decode()


def test_an_active_lookback_is_shown_beside_its_closed_first_round(world, login):
    town = run_campaign(world)
    admin = world.users["admin"]
    services.set_campaign_status(admin, town, CampaignStatus.CLOSED)
    today = timezone.localdate()
    lookback = services.create_lookback(admin, town, name="大排查回头看", starts_on=today,
                                        ends_on=today + datetime.timedelta(days=2))
    services.set_campaign_status(admin, lookback, CampaignStatus.ACTIVE)
    client = login(world.users["leader"])
    data, sections = _sections(client)
    assert data["rounds"]["chosen"] == town.pk
    assert [c["id"] for c in data["rounds"]["choices"]] == [town.pk]
    assert sections["inspections"]["title"].endswith(town.name)
    figures = {f["key"]: f for f in sections["lookback"]["figures"]}
    assert lookback.name in sections["lookback"]["title"]
    in_lookback = Task.objects.filter(campaign=lookback).exclude(reason="reinspection").count()
    assert figures["in_scope"]["value"] == in_lookback > 0
    # The figure's link lands on a list of exactly that many tasks.
    assert client.get(figures["in_scope"]["url"]).context["page"].paginator.count == in_lookback
    # Asking for the look-back by its id shows the same pair.
    data, _sections_by_key = _sections(client, f"?campaign={lookback.pk}")
    assert data["rounds"]["chosen"] == town.pk and "lookback" in _sections_by_key
