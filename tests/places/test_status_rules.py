"""The premises status rules (status_rules.py) hold on every path: the API, the page and an
inspection's consequences all go through `places.services.apply_status`."""

import uuid

from django.utils import timezone

from wangge.inspections import services as inspections
from wangge.places.models import Premises
from wangge.workorders.models import WorkOrder

from ..inspections.helpers import COMPLIANT, checklists

BASIS = "《无证无照经营查处办法》第十三条"


def post(client, world, username, premises, **body):
    return client.post(f"/api/v1/premises/{premises.pk}/status", body, content_type="application/json",
                       headers={"Authorization": f"Bearer {world.token(username)}"})


def status_of(premises) -> str:
    return Premises.objects.get(pk=premises.pk).status


def test_a_grid_worker_neither_shuts_nor_reopens(world, client):
    p = world.premises["linquan1"]
    refused = post(client, world, "gridworker", p, status="shut", reason="看着不顺眼")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "status"
    assert "执法" in refused.json()["errors"][0]["message"] and status_of(p) == "open"
    # An enforcement-unit member needs the legal basis, then may.
    assert post(client, world, "officer", p, status="shut", reason="").json()["errors"][0]["field"] == "reason"
    assert post(client, world, "officer", p, status="shut", reason=BASIS).status_code == 200
    p.refresh_from_db()
    assert p.status == "shut" and p.status_basis == BASIS
    # Reopening a shut premises: not by a grid worker, not without a decision, not by the officer.
    for username, body in (("gridworker", {}), ("gridworker", {"decision": "新泾府决〔2022〕3号"}),
                           ("officer", {"decision": "新泾府决〔2022〕3号"}), ("leader", {})):
        response = post(client, world, username, p, status="open", **body)
        assert response.status_code == 422, (username, body)
        assert status_of(p) == "shut"
    lifted = post(client, world, "leader", p, status="open", decision="新泾府决〔2022〕3号")
    assert lifted.status_code == 200 and status_of(p) == "open"
    p.refresh_from_db()
    assert "新泾府决〔2022〕3号" in p.status_basis


def test_reopening_is_refused_while_the_rectification_order_is_open(world, client):
    checklists()
    p = world.premises["linquan1"]
    answers = dict(COMPLIANT, venue_code_applied="no")
    inspection, _ = inspections.submit_inspection(
        world.users["inspector"], client_id=uuid.uuid4(), premises=p, answers=answers, outcome="rectification",
        rectification_items="张贴场所码", deadline=timezone.localdate(p.created_at), suspend=True,
        inspectors=[world.users["officer"]])
    assert status_of(p) == "suspended"
    order = WorkOrder.objects.get(pk=inspection.work_order_id)
    refused = post(client, world, "admin", p, status="open", reason="已整改")
    assert refused.status_code == 422 and f"#{order.pk}" in refused.json()["errors"][0]["message"]
    assert status_of(p) == "suspended"
    # The passed re-inspection closes the order and reopens the premises, through the same function.
    inspections.submit_inspection(world.users["inspector"], client_id=uuid.uuid4(), premises=p,
                                  answers=dict(COMPLIANT), outcome="compliant")
    order.refresh_from_db()
    assert order.state == "closed" and status_of(p) == "open"


def test_a_suspension_by_hand_lifts_only_after_a_passed_inspection(world, client, login):
    checklists()
    p = world.premises["linquan1"]
    assert post(client, world, "cadre", p, status="suspended", reason=BASIS).status_code == 422  # not enforcement
    assert post(client, world, "officer", p, status="suspended", reason=BASIS).status_code == 200
    for username in ("cadre", "admin", "officer"):
        assert post(client, world, username, p, status="open", reason="已整改").status_code == 422
    # The page gives the same answer, in Chinese, and changes nothing.
    page = login(world.users["cadre"]).post(f"/premises/{p.pk}/status/", {"status": "open", "reason": "已整改"},
                                            follow=True)
    assert "复查" in page.content.decode() and status_of(p) == "suspended"
    inspections.submit_inspection(world.users["inspector"], client_id=uuid.uuid4(), premises=p,
                                  answers=dict(COMPLIANT), outcome="compliant")
    assert status_of(p) == "open"
