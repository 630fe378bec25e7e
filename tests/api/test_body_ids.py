"""Ids named in a request body are checked against the caller's scope (core/ids.py), and a campaign's
teams and plan are shaped only by someone responsible for every area it reaches (issue #24, 5 and D)."""

import datetime

import pytest
from django.db import connection

from wangge.api.api import api
from wangge.core.ids import MAX_ID
from wangge.core.models import ApiToken
from wangge.core.roles import Role
from wangge.inspections.forms import TeamForm
from wangge.inspections.models import Campaign, Team

from ..conftest import make_user
from ..inspections.helpers import campaign as town_campaign


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


@pytest.fixture
def hood_leader(world):
    """A town leader whose areas are one neighbourhood (林泉)."""
    return make_user("hood-leader", Role.TOWN_LEADER, [world.hoods["linquan"]])


def post(client, user, url, body):
    token = ApiToken.issue(user)[1]
    return client.post(url, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def fields(response) -> set[str]:
    return {e["field"] for e in response.json().get("errors", [])}


def test_a_campaign_aimed_at_a_grid_outside_the_leaders_scope_is_refused(world, client, hood_leader):
    from ..inspections.helpers import checklists

    checklist = checklists()["epidemic"]
    body = {"name": "北虹排查", "starts_on": "2022-07-12", "ends_on": "2022-07-14", "checklist_id": checklist.pk,
            "area_ids": [world.grids["beihong1"].pk]}
    campaigns = count("inspections_campaign")
    refused = post(client, hood_leader, "/api/v1/campaigns", body)
    assert refused.status_code == 422 and fields(refused) == {"area_ids"}
    town_wide = post(client, hood_leader, "/api/v1/campaigns", {**body, "area_ids": []})
    assert town_wide.status_code == 422 and "areas" in fields(town_wide)
    assert count("inspections_campaign") == campaigns
    own = post(client, hood_leader, "/api/v1/campaigns", {**body, "area_ids": [world.grids["linquan1"].pk]})
    assert own.status_code == 201, own.content


def test_a_team_or_a_plan_on_a_campaign_reaching_foreign_areas_is_refused(world, client, hood_leader):
    campaign = town_campaign(world, plan=False)  # names no area: the whole town
    tasks, teams = count("inspections_task"), count("inspections_team")
    members = [world.users["inspector"].pk, world.users["officer"].pk]
    team = post(client, hood_leader, f"/api/v1/campaigns/{campaign.pk}/teams",
                {"name": "林泉组", "shift": "day", "member_ids": members})
    assert team.status_code == 422 and "areas" in fields(team)
    plan = post(client, hood_leader, f"/api/v1/campaigns/{campaign.pk}/plan", None)
    assert plan.status_code == 422 and "areas" in fields(plan)
    assert (count("inspections_task"), count("inspections_team")) == (tasks, teams)
    # The town's leader may.
    assert post(client, world.users["leader"], f"/api/v1/campaigns/{campaign.pk}/plan", None).status_code == 200
    assert count("inspections_task") > tasks


def test_team_members_are_people_the_leader_may_name(world, client, hood_leader):
    from wangge.inspections import services

    campaign = services.save_campaign(world.users["admin"], Campaign(
        name="林泉排查", starts_on=datetime.date(2022, 7, 12), ends_on=datetime.date(2022, 7, 14),
        checklist=town_campaign(world, plan=False).checklist), areas=[world.hoods["linquan"]])
    beihong_worker = make_user("beihong-worker", Role.GRID_WORKER, [world.grids["beihong1"]])
    body = {"name": "林泉组", "shift": "day", "member_ids": [world.users["officer"].pk, beihong_worker.pk]}
    refused = post(client, hood_leader, f"/api/v1/campaigns/{campaign.pk}/teams", body)
    assert refused.status_code == 422 and fields(refused) == {"member_ids"}
    form = TeamForm(instance=Team(campaign=campaign), user=hood_leader)
    offered = set(form.fields["members"].queryset.values_list("username", flat=True))
    assert "beihong-worker" not in offered and {"inspector", "officer", "gridworker"} <= offered
    ok = post(client, hood_leader, f"/api/v1/campaigns/{campaign.pk}/teams",
              {**body, "member_ids": [world.users["officer"].pk, world.users["gridworker"].pk]})
    assert ok.status_code == 201, ok.content


def integers(schema, components, where):
    """Every integer a request may carry, with where it is."""
    if "$ref" in schema:
        yield from integers(components[schema["$ref"].rsplit("/", 1)[1]], components, where)
        return
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in schema.get(key, []):
            yield from integers(sub, components, where)
    if schema.get("type") == "integer":
        yield where, schema
    for name, sub in schema.get("properties", {}).items():
        yield from integers(sub, components, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from integers(schema["items"], components, f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from integers(schema["additionalProperties"], components, f"{where}{{}}")


def test_every_integer_a_request_carries_is_bounded_and_every_body_id_is_scoped():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    unbounded, unscoped = [], []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            places = [(f"{method} {path} {p['name']}", p["schema"]) for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                places.append((f"{method} {path} body", body["schema"]))
            for where, top in places:
                for name, integer in integers(top, components, where):
                    low, high = integer.get("minimum", -MAX_ID - 1), integer.get("maximum", MAX_ID + 1)
                    if not (low >= -MAX_ID and high <= MAX_ID):
                        unbounded.append(name)
            if body:
                for name, integer in integers(body["schema"], components, f"{method} {path} body"):
                    if name.endswith("_id") and "x-names" not in integer:
                        unscoped.append(name)
    assert unbounded == []
    assert unscoped == []
