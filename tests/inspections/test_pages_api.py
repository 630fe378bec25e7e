"""Pages, the API, the .xlsx ledger and the demo of the inspections app."""

import base64
import datetime
import io
import re
import uuid

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wangge.core.models import AuditEntry
from wangge.inspections.models import Inspection, Task
from wangge.workorders.models import WorkOrder

from .helpers import COMPLIANT, campaign, photo, submit

TODAY = timezone.localdate()


def _task(c, world, grid="linquan1"):
    return Task.objects.get(campaign=c, premises=world.premises[grid], reason="scope")


def test_every_page_opens_for_a_manager(world, login):
    c = campaign(world)
    first, _ = submit(world, _task(c, world), answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                      rectification_items="补建消杀台账", deadline=TODAY + datetime.timedelta(days=3), suspend=True,
                      photos=[("", photo())])
    from wangge.inspections.services import create_lookback

    lb = create_lookback(world.users["admin"], c, name="回头看", starts_on=TODAY, ends_on=TODAY)
    client = login(world.users["admin"])
    for name, args in [("campaign_list", []), ("campaign_detail", [c.pk]), ("campaign_edit", [c.pk]),
                       ("campaign_create", []), ("task_list", [c.pk]), ("team_create", [c.pk]),
                       ("lookback_create", [c.pk]), ("lookback_compare", [lb.pk]), ("inspection_list", []),
                       ("inspection_detail", [first.pk]), ("checklist_list", []),
                       ("checklist_detail", [c.checklist.pk]), ("photo_thumb", [first.photos.get().pk])]:
        response = client.get(reverse(f"inspections:{name}", args=args))
        assert response.status_code == 200, name
    detail = client.get(reverse("inspections:campaign_detail", args=[c.pk])).content.decode()
    assert 'data-figure="rectification_orders">1<' in detail and 'data-figure="in_scope">4<' in detail
    premises_page = client.get(reverse("places:premises_detail", args=[world.premises["linquan1"].pk]))
    assert "premises-inspections" in premises_page.content.decode()


def test_the_field_form_submits_once_and_maps_rule_errors_to_fields(world, login):
    c = campaign(world)
    task = _task(c, world)
    client = login(world.users["inspector"])
    url = reverse("inspections:inspect", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200 and "a_disinfection" in page.content.decode()
    data = {f"a_{k}": v for k, v in COMPLIANT.items()} | {"client_id": str(uuid.uuid4())}
    bad = client.post(url, data | {"a_disinfection": "no", "outcome": "compliant"})
    assert bad.status_code == 200 and 'data-field="outcome"' in bad.content.decode()
    assert Inspection.objects.count() == 0
    good = client.post(url, data | {"outcome": "compliant", "inspectors": [world.users["officer"].pk]})
    assert good.status_code == 302 and Inspection.objects.count() == 1
    again = client.post(url, data | {"outcome": "compliant"})  # a double tap on a slow network
    assert again.status_code == 302 and Inspection.objects.count() == 1
    mine = client.get(reverse("inspections:my_tasks")).content.decode()
    assert "老王面馆" in mine  # inspected today


def test_my_tasks_lists_todays_tasks_of_my_teams(world, login):
    c = campaign(world, days=1)
    page = login(world.users["inspector"]).get(reverse("inspections:my_tasks")).content.decode()
    for p in world.premises.values():
        assert p.name in page
    assert Task.objects.filter(campaign=c).count() == 4
    assert login(world.users["doctor"]).get(reverse("inspections:my_tasks")).status_code == 403


def test_managing_pages_need_the_permission(world, login):
    c = campaign(world, plan=False)
    client = login(world.users["inspector"])
    assert client.get(reverse("inspections:campaign_edit", args=[c.pk])).status_code == 403
    assert client.post(reverse("inspections:campaign_plan", args=[c.pk])).status_code == 403
    assert not Task.objects.exists()
    admin = login(world.users["admin"])
    assert admin.post(reverse("inspections:campaign_plan", args=[c.pk]), {"confirmed": "1"}).status_code == 302
    assert Task.objects.count() == 4


def test_ledger_has_a_row_per_inspection_with_answers_and_masked_phones(world, login):
    c = campaign(world)
    first, _ = submit(world, _task(c, world), answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                      rectification_items="补建消杀台账", deadline=TODAY + datetime.timedelta(days=3), suspend=True)
    submit(world, Task.objects.get(reason="reinspection"))
    submit(world, _task(c, world, "beihong1"))
    response = login(world.users["admin"]).get(reverse("inspections:campaign_ledger", args=[c.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    body = [dict(zip(header, r, strict=False)) for r in rows[3:]]
    assert len(body) == 3
    first_row = next(r for r in body if r["场所名称"] == "老王面馆" and r["处置结果"] == "责令整改")
    assert first_row["按规定开展消杀并有记录"] == "否（问题）" and first_row["复查结果"] == "通过"
    assert first_row["联系电话"] == "139****0000" and first_row["停业整改"] == "是"
    assert "13911110000" not in str(rows)
    assert AuditEntry.objects.filter(action="export").exists()
    assert login(world.users["inspector"]).get(reverse("inspections:campaign_ledger", args=[c.pk])).status_code == 403


def _jpeg_b64() -> str:
    return base64.b64encode(photo().read()).decode()


def test_api_submission_is_idempotent_and_carries_photos(world, client):
    c = campaign(world)
    task = _task(c, world)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    body = {"client_id": str(uuid.uuid4()), "task_id": task.pk, "answers": dict(COMPLIANT, venue_code_posted="no"),
            "outcome": "fixed", "fixed_description": "当场张贴", "inspector_ids": [world.users["officer"].pk],
            "photos": [{"item": "venue_code_posted", "data": _jpeg_b64(), "name": "code.jpg"}]}
    first = client.post("/api/v1/inspections", body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/inspections", body, content_type="application/json", **headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Inspection.objects.count() == 1
    detail = first.json()
    assert detail["photos"][0]["item_code"] == "venue_code_posted" and detail["violation_count"] == 1
    picture = client.get(detail["photos"][0]["thumbnail_url"], **headers)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"


def test_api_rule_errors_are_field_level_and_change_nothing(world, client):
    c = campaign(world)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    body = {"client_id": str(uuid.uuid4()), "task_id": _task(c, world).pk,
            "answers": dict(COMPLIANT, disinfection="no"), "outcome": "rectification"}
    response = client.post("/api/v1/inspections", body, content_type="application/json", **headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"rectification_items", "deadline"} <= fields
    broken = dict(body, photos=[{"data": "not base64!"}], outcome="compliant", answers=COMPLIANT)
    response = client.post("/api/v1/inspections", broken, content_type="application/json", **headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "photos.0"
    assert Inspection.objects.count() == 0 and WorkOrder.objects.count() == 0


def test_api_summary_tasks_and_lookback(world, client):
    c = campaign(world, days=1)
    submit(world, _task(c, world))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('admin')}"}
    summary = client.get(f"/api/v1/campaigns/{c.pk}/summary", **headers).json()
    assert (summary["in_scope"], summary["inspected"], summary["compliant"]) == (4, 1, 1)
    mine = client.get("/api/v1/inspection-tasks/mine", HTTP_AUTHORIZATION=f"Bearer {world.token('inspector')}")
    assert mine.status_code == 200 and len(mine.json()) == 3
    made = client.post(f"/api/v1/campaigns/{c.pk}/lookbacks", {"name": "回头看", "starts_on": str(TODAY),
                                                                "ends_on": str(TODAY), "share": 100},
                       content_type="application/json", **headers)
    assert made.status_code == 201 and made.json()["kind"] == "lookback"
    denied = client.post(f"/api/v1/campaigns/{c.pk}/plan", HTTP_AUTHORIZATION=f"Bearer {world.token('inspector')}")
    assert denied.status_code == 403


def _formset(rows: list[dict]) -> dict:
    data = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"items-{n}-{k}": v for k, v in row.items()})
    return data


def test_checklist_editor_creates_and_revises(world, login):
    from wangge.inspections.models import Checklist

    c = campaign(world)
    submit(world, _task(c, world))  # the epidemic checklist is now in use
    client = login(world.users["admin"])
    rows = [{"code": "exits", "text": "安全出口畅通", "kind": "yes_no", "violation_values": "no",
             "severity": "critical", "required": "on", "photo_required_when_violated": "on"},
            {"code": "gas", "text": "燃气", "kind": "choice", "choices": "规范、无报警装置",
             "violation_values": "无报警装置", "severity": "major", "categories": ["restaurant"]}]
    made = client.post(reverse("inspections:checklist_create"),
                       {"code": "safety", "name": "安全检查", "description": ""} | _formset(rows))
    assert made.status_code == 302
    safety = Checklist.objects.get(code="safety")
    gas = safety.items.get(code="gas")
    assert gas.choices == ["规范", "无报警装置"] and [c.code for c in gas.categories.all()] == ["restaurant"]
    bad = client.post(reverse("inspections:checklist_create"),
                      {"code": "broken", "name": "坏的"} | _formset([dict(rows[1], violation_values="别的")]))
    assert bad.status_code == 200 and not Checklist.objects.filter(code="broken").exists()
    old = c.checklist
    edit = client.get(reverse("inspections:checklist_edit", args=[old.pk]))
    assert edit.status_code == 200
    revised = client.post(reverse("inspections:checklist_edit", args=[old.pk]),
                          {"name": old.name, "description": "", "version": old.version} | _formset(rows[:1]))
    assert revised.status_code == 302
    current = Checklist.objects.get(code=old.code, is_current=True)
    assert current.revision == old.revision + 1 and current.items.count() == 1
    assert old.items.count() > 1  # the inspection keeps its revision
    assert login(world.users["inspector"]).get(reverse("inspections:checklist_create")).status_code == 403


def test_field_sync_is_incremental(world, client):
    from wangge.inspections.planning import plan_campaign

    c = campaign(world, days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    first = client.get("/api/v1/field/sync", **headers).json()
    assert len(first["task_ids"]) == 4 and len(first["tasks"]) == 4 and len(first["checklists"]) == 1
    # No premises' phone travels to the phone, not even masked ("139" alone would match an id or a time).
    assert "contact_phone" not in str(first) and not re.search(r"1[3-9]\d[*\d]{4}\d{4}", str(first["tasks"]))
    have = ",".join(str(c["id"]) for c in first["checklists"])
    again = client.get("/api/v1/field/sync", {"since": first["server_time"], "have": have}, **headers).json()
    assert again["tasks"] == [] and again["checklists"] == [] and len(again["task_ids"]) == 4
    submit(world, _task(c, world))  # done: it leaves the list
    plan_campaign(world.users["admin"], c)  # nothing moved: nothing re-sent
    later = client.get("/api/v1/field/sync", {"since": again["server_time"], "have": have}, **headers).json()
    assert len(later["task_ids"]) == 3 and later["tasks"] == []
    assert client.get("/field/", **headers).status_code in (302, 403)  # the page needs a session
    assert client.get("/field/sw.js")["Service-Worker-Allowed"] == "/field/"


def test_field_sync_gives_each_premises_its_position_and_the_radius_of_the_flag(world, client, settings):
    """The phone measures its distance to the premises offline (field/app.js): it needs where the premises
    stands and the radius of far_from_premises. Premises coordinates are not personal (they are on the maps);
    still nothing personal comes with them."""
    from decimal import Decimal

    from wangge.api.api import api

    settings.INSPECTION_RADIUS_M = 300
    c = campaign(world, days=1)
    placed = world.premises["linquan1"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    first = client.get("/api/v1/field/sync", **headers).json()
    assert first["radius_m"] == 300
    premises = {t["premises"]["id"]: t["premises"] for t in first["tasks"]}
    assert len(premises) == 4 and all(p["latitude"] is None and p["longitude"] is None for p in premises.values())
    assert set(premises[placed.pk]) == {"id", "name", "address", "category_id", "category", "grid", "status",
                                        "status_label", "road_chief", "latitude", "longitude"}

    placed.latitude, placed.longitude = Decimal("31.217012"), Decimal("121.386034")
    placed.save()
    have = ",".join(str(x["id"]) for x in first["checklists"])
    again = client.get("/api/v1/field/sync", {"since": first["server_time"], "have": have}, **headers).json()
    assert [t["id"] for t in again["tasks"]] == [_task(c, world).pk]  # placing it re-sends its task only
    assert again["tasks"][0]["premises"]["latitude"] == 31.217012
    assert again["tasks"][0]["premises"]["longitude"] == 121.386034
    assert again["radius_m"] == 300
    # Masking unaffected: no phone number of the premises (13911110000), not even in part.
    for body in (first, again):
        assert "contact_phone" not in str(body) and not re.search(r"1[3-9]\d[*\d]{4}\d{4}", str(body["tasks"]))

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["FieldSyncOut"]["properties"]["radius_m"]["description"]
    position = schemas["FieldPremisesOut"]["properties"]
    assert position["latitude"]["description"] and position["longitude"]["description"]
