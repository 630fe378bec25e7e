"""The work-order API: create, filters, detail with timeline, transitions, 409 on a stale version."""

import datetime

from django.utils import timezone

from wangge.workorders.models import WorkOrder

from .helpers import raise_order


def post(client, url, data, token):
    return client.post(url, data, content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def test_create_move_and_close(world, client):
    admin, worker, officer = world.token("admin"), world.token("gridworker"), world.token("officer")
    created = post(client, "/api/v1/workorders", {
        "kind": "demand", "title": "企业用工需求", "grid_id": world.grids["linquan1"].pk,
        "department_id": world.departments["market"].pk, "assignee_id": world.users["gridworker"].pk,
        "requester_name": "王经理", "requester_unit": "某科技公司"}, admin)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "assigned" and [e["verb"] for e in body["timeline"]] == ["raise", "assign"]
    assert set(body["allowed_verbs"]) == {"assign", "start", "escalate"}
    url = f"/api/v1/workorders/{body['id']}"
    assert post(client, f"{url}/start", {"version": body["version"]}, worker).status_code == 200
    stale = post(client, f"{url}/submit", {"version": body["version"]}, worker)
    assert stale.status_code == 409 and stale.json()["detail"]
    assert post(client, f"{url}/submit", {"comment": "已对接"}, worker).json()["state"] == "awaiting_verification"
    own = post(client, f"{url}/verify", {"satisfaction": "satisfied"}, worker)
    assert own.status_code == 403  # the assignee holds no manage permission
    missing = post(client, f"{url}/verify", {}, officer)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "satisfaction"
    done = post(client, f"{url}/verify", {"satisfaction": "basically_satisfied"}, officer).json()
    assert done["state"] == "closed" and done["satisfaction"] == "basically_satisfied"
    illegal = post(client, f"{url}/start", {}, admin)
    assert illegal.status_code == 422 and illegal.json()["errors"][0]["field"] == "body"
    assert post(client, f"{url}/fly", {}, admin).status_code == 422


def test_create_validation_and_scope(world, client):
    token = world.token("cadre")
    bad = post(client, "/api/v1/workorders", {"kind": "nonsense", "title": "", "grid_id": 1}, token)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"kind", "title"}
    outside = post(client, "/api/v1/workorders", {"kind": "other", "title": "越界",
                                                  "grid_id": world.grids["beihong1"].pk}, token)
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "grid_id"
    assert not WorkOrder.objects.exists()
    assert post(client, "/api/v1/workorders", {"kind": "other", "title": "x", "grid_id": world.grids["linquan1"].pk},
                world.token("doctor")).status_code in (403, 422)  # 422: a grid the doctor may not name


def test_list_filters(world, client):
    a = raise_order(world, grid="linquan1")
    b = raise_order(world, grid="beihong1", department="health", kind="demand")
    WorkOrder.objects.filter(pk=b.pk).update(overdue_level=1)
    headers = {"Authorization": f"Bearer {world.token('admin')}"}

    def ids(query):
        return {i["id"] for i in client.get(f"/api/v1/workorders?{query}", headers=headers).json()["items"]}

    assert ids("") == {a.pk, b.pk}
    assert ids("kind=demand") == {b.pk}
    assert ids("overdue=true") == {b.pk}
    assert ids("overdue=false") == {a.pk}
    assert ids(f"department={world.departments['market'].pk}") == {a.pk}
    assert ids(f"grid={world.grids['beihong1'].pk}") == {b.pk}
    assert ids(f"area={world.hoods['linquan'].pk}") == {a.pk}
    assert ids("state=assigned") == {a.pk, b.pk}
    assert ids("state=closed") == set()


def test_field_visit_with_instructions(world, client):
    token = world.token("leader")
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = post(client, "/api/v1/field-visits", {
        "title": "区委书记调研", "visited_on": "2022-07-14", "leader": "区委书记", "area_id": world.town.pk,
        "units": "甲公司\n乙公司", "instructions": [{
            "text": "协调解决停车难", "deadline": deadline, "department_id": world.departments["market"].pk,
            "units": [{"label": "甲公司", "grid_id": world.grids["linquan1"].pk},
                      {"label": "乙公司", "grid_id": world.grids["beihong2"].pk}]}]}, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["instructions"][0] | {"id": 0} == {"id": 0, "text": "协调解决停车难", "deadline": deadline,
                                                   "department_id": world.departments["market"].pk, "orders": 2,
                                                   "closed": 0, "overdue": 0}
    orders = WorkOrder.objects.filter(visit_id=body["id"])
    assert sorted(orders.values_list("kind", "subject_label")) == [("instruction", "乙公司"), ("instruction", "甲公司")]
    # Not allowed for a grid worker; no partial visit left behind on a bad instruction.
    refused = post(client, "/api/v1/field-visits", {"title": "x", "visited_on": "2022-07-14", "leader": "x",
                                                    "area_id": world.grids["linquan1"].pk}, world.token("gridworker"))
    assert refused.status_code == 403
    bad = post(client, "/api/v1/field-visits", {
        "title": "坏", "visited_on": "2022-07-14", "leader": "x", "area_id": world.town.pk,
        "instructions": [{"text": "xx", "deadline": deadline, "units": [{"label": "甲", "grid_id": 999999}]}]}, token)
    assert bad.status_code == 422
    assert not WorkOrder.objects.filter(visit__title="坏").exists()
    from wangge.workorders.models import FieldVisit

    assert not FieldVisit.objects.filter(title="坏").exists()


def test_patch_with_version(world, client):
    order = raise_order(world)
    headers = {"Authorization": f"Bearer {world.token('officer')}"}
    url = f"/api/v1/workorders/{order.pk}"
    ok = client.patch(url, {"title": "改标题", "version": order.version}, content_type="application/json",
                      headers=headers)
    assert ok.status_code == 200 and ok.json()["title"] == "改标题" and ok.json()["state"] == "assigned"
    stale = client.patch(url, {"title": "再改", "version": order.version}, content_type="application/json",
                         headers=headers)
    assert stale.status_code == 409
    worker = {"Authorization": f"Bearer {world.token('gridworker')}"}
    assert client.patch(url, {"title": "x", "version": ok.json()["version"]}, content_type="application/json",
                        headers=worker).status_code == 403
