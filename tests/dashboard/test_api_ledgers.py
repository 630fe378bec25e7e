"""The dashboard in the JSON API, and the ledgers page's other exports."""

import datetime

import pytest

from wangge.dashboard.briefs.services import make_brief
from wangge.dashboard.figures import Period

from .helpers import run_campaign

pytestmark = pytest.mark.django_db


def test_api_answers_the_same_sections_as_the_page_endpoint(world, client):
    run_campaign(world)
    token = world.token("cadre")
    api = client.get("/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    client.force_login(world.users["cadre"])
    page = client.get("/dashboard/data.json").json()
    assert api.json()["sections"] == page["sections"]


def test_api_refuses_a_bad_period_field_by_field(world, client):
    token = world.token("leader")
    response = client.get("/api/v1/dashboard?start=2022-07-15&end=2022-07-01",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"
    assert client.get("/api/v1/dashboard").status_code == 401


def test_ledgers_page_lists_campaign_ledgers_and_my_briefs(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = run_campaign(world)
    day = datetime.date(2022, 7, 15)
    mine = make_brief(world.users["cadre"], "daily", Period(day, day))
    theirs = make_brief(world.users["gridworker"], "daily", Period(day, day))
    page = login(world.users["cadre"]).get("/ledgers/").content.decode()
    assert f"/inspections/campaigns/{c.pk}/ledger.xlsx" in page
    assert f"/dashboard/briefs/{mine.pk}/docx/" in page and f"/dashboard/briefs/{theirs.pk}/docx/" not in page
    ledger = login(world.users["cadre"]).get(f"/inspections/campaigns/{c.pk}/ledger.xlsx")
    assert ledger.status_code == 200
    # An inspector may see inspections but not export: no campaign ledger listed (the view would refuse it).
    inspector = login(world.users["inspector"]).get("/ledgers/")
    assert inspector.status_code == 403
    # A grid worker cannot export either, but may read their own brief from the page.
    grid_page = login(world.users["gridworker"]).get("/ledgers/").content.decode()
    assert "/ledger.xlsx" not in grid_page and f"/dashboard/briefs/{theirs.pk}/pdf/" in grid_page
