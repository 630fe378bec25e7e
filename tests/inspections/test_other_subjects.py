"""Inspections of records other than premises (a road segment here; compounds and sampling sites use
the same path): a checklist of their own, a work order about the subject, no suspension or shutdown."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.inspections import services
from wangge.inspections.models import Inspection
from wangge.workorders.models import WorkOrder

from .helpers import checklists, photo

FIRE_OK = {"exits_clear": "yes", "extinguishers": "yes", "wiring": "yes", "evacuation_plan": "yes"}


def inspect(world, segment, username="inspector", **kw):
    kw.setdefault("checklist", checklists()["fire"])
    kw.setdefault("answers", dict(FIRE_OK))
    kw.setdefault("outcome", "compliant")
    return services.submit_inspection(world.users[username], client_id=uuid.uuid4(), subject=segment,
                                      inspectors=[world.users["officer"]], **kw)


def test_a_road_segment_is_inspected_and_a_finding_becomes_an_order_about_it(world):
    segment = world.segments["hami"]
    inspection, created = inspect(world, segment, answers=dict(FIRE_OK, extinguishers="no"), outcome="rectification",
                                  rectification_items="沿街灭火器补齐", photos=[("extinguishers", photo())],
                                  deadline=timezone.localdate() + datetime.timedelta(days=5))
    assert created and inspection.premises is None and inspection.subject == segment
    assert inspection.grid == segment.grid and inspection.subject_label == str(segment)
    order = WorkOrder.objects.get()
    assert order.subject == segment and order.source_id == inspection.pk and order.kind == "rectification"


def test_other_subjects_need_a_checklist_and_cannot_be_shut_or_suspended(world):
    segment = world.segments["hami"]
    with pytest.raises(ValidationError) as excinfo:
        inspect(world, segment, checklist=None)
    assert "checklist" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        inspect(world, segment, answers=dict(FIRE_OK, exits_clear="no"), outcome="shutdown", legal_reason="x")
    assert "outcome" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        inspect(world, segment, answers=dict(FIRE_OK, wiring="no"), outcome="rectification", suspend=True,
                rectification_items="整改", deadline=timezone.localdate())
    assert "suspend" in excinfo.value.message_dict
    assert not Inspection.objects.exists()


def test_a_subject_outside_scope_is_not_found(world):
    # The cadre of 林泉 does not see 哈密路 (北虹).
    with pytest.raises(ValidationError) as excinfo:
        inspect(world, world.segments["hami"], username="cadre")
    assert "subject" in excinfo.value.message_dict


def test_the_api_takes_a_subject_and_scopes_by_its_grid(world, client):
    checklists()
    segment = world.segments["xianxia"]
    body = {"client_id": str(uuid.uuid4()), "subject": f"places.roadsegment:{segment.pk}",
            "checklist_id": checklists()["fire"].pk, "answers": FIRE_OK, "outcome": "compliant"}
    made = client.post("/api/v1/inspections", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {world.token('inspector')}")
    assert made.status_code == 201, made.content
    assert made.json()["subject"] == f"places.roadsegment:{segment.pk}" and made.json()["premises_id"] is None
    pk = made.json()["id"]
    seen = {u: client.get(f"/api/v1/inspections/{pk}", HTTP_AUTHORIZATION=f"Bearer {world.token(u)}").status_code
            for u in ("cadre", "gridworker", "leader", "officer")}
    # By the segment's grid (林泉第1网格); the officer was not there and his department does not apply.
    assert seen == {"cadre": 200, "gridworker": 200, "leader": 200, "officer": 404}
    bad = dict(body, client_id=str(uuid.uuid4()), subject="places.roadsegment:999999")
    response = client.post("/api/v1/inspections", bad, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {world.token('inspector')}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "subject"
