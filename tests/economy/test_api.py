"""The economy API: a visit POST raises its demands, a retried POST is the same visit, errors by field,
the contact phone masked and revealed only with a logged reason."""

import uuid

from wangge.core.models import AuditEntry
from wangge.economy.models import Enterprise, EnterpriseVisit
from wangge.workorders.models import WorkOrder


def _post(client, economy, role, body):
    return client.post("/api/v1/enterprise-visits", body, content_type="application/json",
                       headers={"Authorization": f"Bearer {economy.world.token(role)}"})


def _body(economy, grid="linquan1", **extra):
    body = {"enterprise_id": economy.enterprises[grid].pk, "visited_on": "2022-07-12", "visitors": "网格员",
            "operating_status": "partly", "staff_back_percent": 70, "impact": "serious",
            "impact_areas": ["orders", "staff"], "problems": "订单下降",
            "demands": [{"category": "permits", "text": "许可证延续"}, {"category": "financing", "text": "贷款"}]}
    body.update(extra)
    return body


def test_visit_post_creates_its_demands_and_a_retry_returns_the_same_visit(economy, client):
    client_id = str(uuid.uuid4())
    first = _post(client, economy, "gridworker", _body(economy, client_id=client_id))
    assert first.status_code == 201, first.json()
    data = first.json()
    assert {d["category"] for d in data["demands"]} == {"permits", "financing"}
    departments = {d["category"]: d["department_id"] for d in data["demands"]}
    assert departments == {"permits": economy.world.departments["market"].pk, "financing": economy.jfb.pk}
    again = _post(client, economy, "gridworker", _body(economy, client_id=client_id))
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert EnterpriseVisit.objects.count() == 1 and WorkOrder.objects.count() == 2
    detail = client.get(f"/api/v1/enterprises/{economy.enterprises['linquan1'].pk}",
                        headers={"Authorization": f"Bearer {economy.world.token('gridworker')}"}).json()
    assert len(detail["open_demands"]) == 2 and detail["closed_demands"] == []


def test_visit_post_errors_are_field_level_and_write_nothing(economy, client):
    bad = _post(client, economy, "gridworker", _body(economy, operating_status="closed", staff_back_percent=150,
                                                     demands=[{"category": "moon", "text": "x"}]))
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"operating_status", "staff_back_percent", "demands.0.category"} <= fields
    outside = _post(client, economy, "gridworker", _body(economy, grid="beihong1"))
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "enterprise_id"
    assert _post(client, economy, "inspector", _body(economy)).status_code == 403
    assert not EnterpriseVisit.objects.exists() and not WorkOrder.objects.exists()


def test_enterprise_create_validates_credit_code_and_keeps_it_unique(economy, client):
    headers = {"Authorization": f"Bearer {economy.world.token('cadre')}"}
    body = {"name": "林泉新公司", "credit_code": "91310105MA1FL00012", "address": "林泉路1号",
            "grid_id": economy.world.grids["linquan2"].pk, "contact_phone": "13812345678"}
    wrong = client.post("/api/v1/enterprises", body, content_type="application/json", headers=headers)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "credit_code"
    body["credit_code"] = economy.enterprises["linquan1"].credit_code
    duplicate = client.post("/api/v1/enterprises", body, content_type="application/json", headers=headers)
    assert duplicate.status_code == 422
    from .conftest import credit_code

    body["credit_code"] = credit_code(99)
    created = client.post("/api/v1/enterprises", body, content_type="application/json", headers=headers)
    assert created.status_code == 201 and created.json()["contact_phone"] == "138****5678"
    body["grid_id"] = economy.world.grids["beihong1"].pk
    body["credit_code"] = credit_code(98)
    outside = client.post("/api/v1/enterprises", body, content_type="application/json", headers=headers)
    assert outside.status_code == 422
    # A stale version is 409 and changes nothing.
    pk = created.json()["id"]
    ok = client.patch(f"/api/v1/enterprises/{pk}", {"version": 1, "employees": 12}, content_type="application/json",
                      headers=headers)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/enterprises/{pk}", {"version": 1, "employees": 99},
                         content_type="application/json", headers=headers)
    assert stale.status_code == 409 and Enterprise.objects.get(pk=pk).employees == 12


def test_contact_phone_masked_and_revealed_with_a_logged_reason(economy, client, login):
    enterprise = economy.enterprises["linquan1"]
    for role in ("gridworker", "leader"):
        headers = {"Authorization": f"Bearer {economy.world.token(role)}"}
        assert client.get(f"/api/v1/enterprises/{enterprise.pk}", headers=headers).json()["contact_phone"] == \
            "139****2222"
        page = login(economy.users[role]).get(f"/economy/enterprises/{enterprise.pk}/").content.decode()
        assert "13911112222" not in page and "139****2222" in page
    denied = client.post(f"/api/v1/enterprises/{enterprise.pk}/reveal", {"field": "contact_phone", "reason": "回访"},
                         content_type="application/json",
                         headers={"Authorization": f"Bearer {economy.world.token('leader')}"})
    assert denied.status_code == 403
    shown = client.post(f"/api/v1/enterprises/{enterprise.pk}/reveal", {"field": "contact_phone", "reason": "回访"},
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {economy.world.token('gridworker')}"})
    assert shown.status_code == 200 and shown.json()["value"] == "13911112222"
    entry = AuditEntry.objects.filter(action="reveal").latest("id")
    assert "13911112222" not in str(entry.changes)
    assert not AuditEntry.objects.filter(changes__icontains="13911112222").exists()


def test_figures_from_rows(economy, client):
    from wangge.workorders import services as orders

    from .conftest import visit

    v, _ = visit(economy, "cadre", "linquan1", [("staff", "招工"), ("financing", "贷款")])
    visit(economy, "cadre", "linquan2")
    staff = v and WorkOrder.objects.get(category="staff")
    admin, econ = economy.users["admin"], economy.users["econ"]
    orders.assign(admin, staff, econ)
    orders.start(econ, staff)
    orders.submit_for_verification(econ, staff)
    orders.verify_and_close(admin, staff, satisfaction="basically_satisfied")
    data = client.get("/api/v1/enterprises/figures?days=36500",
                      headers={"Authorization": f"Bearer {economy.world.token('cadre')}"}).json()
    assert data["coverage"] == {"enterprises": 2, "visited": 2, "visited_share": 100.0, "recent": 2,
                                "recent_share": 100.0, "not_recent": 0, "days": 3650}
    demands = data["demands"]
    assert demands["total"] == 2 and demands["answered"] == 1 and demands["satisfied_share"] == 100.0
    assert {r["category"]: (r["open"], r["closed"]) for r in demands["by_category"]} == {
        "staff": (0, 1), "financing": (1, 0)}
    assert {r["state"]: r["total"] for r in demands["by_state"]} == {"closed": 1, "new": 1}
    assert demands["median_days"] is not None and demands["median_days"] >= 0


def test_economy_officer_visit_with_a_demand_for_another_department_is_saved(economy, client):
    """Issue #20.12 through the API: 201, and the permit demand goes to 市场所."""
    response = _post(client, economy, "econ", _body(economy))
    assert response.status_code == 201, response.content
    visit = EnterpriseVisit.objects.get()
    departments = {o.category: o.department.code for o in WorkOrder.objects.filter(source_id=visit.pk)}
    assert departments == {"permits": "SJS", "financing": "JFB"}
