"""A demand raised on a visit is a work order routed by its category; the enterprise page shows it
until it is closed with the enterprise's satisfaction."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.economy.models import EnterpriseVisit
from wangge.economy.services import demand_orders
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

from .conftest import set_route, visit


def test_each_demand_reaches_the_department_its_category_routes_to(economy):
    v, created = visit(economy, "gridworker", "linquan1",
                       [("permits", "食品经营许可证延续"), ("financing", "申请贷款贴息"), ("tax", "留抵退税咨询")])
    assert created
    raised = {o.category: o for o in demand_orders(v)}
    assert raised["permits"].department == economy.world.departments["market"]
    assert raised["financing"].department == economy.jfb
    assert raised["tax"].department is None  # no route: the town assigns it by hand
    for order in raised.values():
        assert order.kind == Kind.DEMAND and order.state == State.NEW
        assert order.grid == economy.enterprises["linquan1"].grid
        assert order.subject_id == economy.enterprises["linquan1"].pk
        assert order.requester_unit == "西郊金融信息公司" and order.requester_name == "王经理"
    # The routed department's officer finds it in their own list.
    assert WorkOrder.objects.visible_to(economy.users["officer"]).filter(pk=raised["permits"].pk).exists()
    assert WorkOrder.objects.visible_to(economy.users["econ"]).filter(pk=raised["financing"].pk).exists()
    assert not WorkOrder.objects.visible_to(economy.users["econ"]).filter(pk=raised["permits"].pk).exists()


def test_changing_the_routing_table_changes_where_new_demands_go(economy, login):
    client = login(economy.users["econ"])
    from wangge.economy.models import DemandRoute

    route = DemandRoute.objects.get(category="tax")
    response = client.post(f"/economy/routes/{route.pk}/", {f"r{route.pk}-department": economy.jfb.pk,
                                                             f"r{route.pk}-version": route.version})
    assert response.status_code == 302
    v, _ = visit(economy, "cadre", "linquan2", [("tax", "留抵退税")])
    assert demand_orders(v).get().department == economy.jfb


def test_routing_table_is_kept_by_admins_and_officers_only(economy, login):
    from wangge.economy.models import DemandRoute

    route = DemandRoute.objects.get(category="tax")
    for role, status in (("cadre", 403), ("gridworker", 403), ("leader", 403)):
        response = login(economy.users[role]).post(f"/economy/routes/{route.pk}/", {
            f"r{route.pk}-department": economy.jfb.pk, f"r{route.pk}-version": route.version})
        assert response.status_code == status, role
    route.refresh_from_db()
    assert route.department is None


def test_visits_by_grid_worker_cadre_and_economy_officer(economy):
    assert visit(economy, "gridworker", "linquan1", [("permits", "许可证")])[1]
    assert visit(economy, "cadre", "linquan2", [("staff", "招工")])[1]
    # The economy officer raises demands routed to their own department in a park they manage.
    v, created = visit(economy, "econ", "linquan1", [("financing", "贷款")])
    assert created and demand_orders(v).get().department == economy.jfb


def test_officer_visit_raises_a_demand_for_another_department_routed_and_its_officer_told(economy):
    """Issue #20.12: any visitor may raise any demand; it goes where the routing table sends it."""
    from wangge.workorders.models import Notification

    market, market_officer = economy.world.departments["market"], economy.users["officer"]
    v, created = visit(economy, "econ", "linquan1", [("financing", "贷款"), ("permits", "食品经营许可证延续"),
                                                     ("tax", "退税")])
    assert created and EnterpriseVisit.objects.filter(pk=v.pk).exists()
    raised = {o.category: o for o in demand_orders(v)}
    assert raised["permits"].department == market and raised["permits"].state == State.NEW
    assert raised["financing"].department == economy.jfb
    assert raised["tax"].department is None  # routed nowhere: the town assigns it
    assert WorkOrder.objects.filter(kind=Kind.DEMAND, source_id=v.pk).count() == 3
    # The 市场所 officer is told once, with a link to the order.
    told = Notification.objects.filter(user=market_officer, order=raised["permits"])
    assert told.count() == 1 and f"/workorders/{raised['permits'].pk}/" in told.get().link


def test_who_may_record_a_visit_is_still_enforced(economy):
    # The economy officer does not see 北虹商贸公司 (no park of theirs, no demand of their department).
    before = (EnterpriseVisit.objects.count(), WorkOrder.objects.count())
    with pytest.raises(ValidationError):
        visit(economy, "econ", "beihong1", [("permits", "许可证")])
    assert (EnterpriseVisit.objects.count(), WorkOrder.objects.count()) == before


def test_visit_out_of_scope_or_without_permission_is_refused(economy):
    with pytest.raises(ValidationError):
        visit(economy, "gridworker", "beihong1")
    with pytest.raises(PermissionDenied):
        visit(economy, "inspector", "linquan1")


def test_bad_visit_input_is_refused_field_by_field(economy):
    import datetime

    from django.utils import timezone

    with pytest.raises(ValidationError) as info:
        visit(economy, "cadre", "linquan1", [("nonsense", "x"), ("staff", " ")], operating_status="closed",
              impact="huge", staff_back_percent=120, impact_areas=["moon"],
              visited_on=timezone.localdate() + datetime.timedelta(days=2))
    assert set(info.value.message_dict) == {"visited_on", "operating_status", "impact", "staff_back_percent",
                                            "impact_areas", "demands.0.category", "demands.1.text"}
    assert not EnterpriseVisit.objects.exists()


def test_a_repeated_client_id_returns_the_same_visit(economy):
    client_id = uuid.uuid4()
    first, created = visit(economy, "cadre", "linquan1", [("staff", "招工")], client_id=client_id)
    again, created_again = visit(economy, "cadre", "linquan1", [("staff", "招工")], client_id=client_id)
    assert created and not created_again and first.pk == again.pk
    assert EnterpriseVisit.objects.count() == 1 and WorkOrder.objects.filter(kind=Kind.DEMAND).count() == 1
    with pytest.raises(ValidationError):  # someone else's id is not theirs to read
        visit(economy, "gridworker", "linquan1", client_id=client_id)


def _close(economy, order, satisfaction):
    admin, econ = economy.users["admin"], economy.users["econ"]
    orders.assign(admin, order, econ)
    orders.start(econ, order)
    orders.submit_for_verification(econ, order)
    return orders.verify_and_close(admin, order, satisfaction=satisfaction)


def _sections(html: str) -> tuple[str, str]:
    open_part = html.split('data-testid="open-demands"')[1].split('data-testid="closed-demands"')[0]
    closed_part = html.split('data-testid="closed-demands"')[1]
    return open_part, closed_part


def test_enterprise_page_shows_the_demand_until_closed_with_satisfaction(economy, login):
    v, _ = visit(economy, "gridworker", "linquan1", [("financing", "申请贷款贴息")])
    order = demand_orders(v).get()
    enterprise = economy.enterprises["linquan1"]
    client = login(economy.users["gridworker"])
    page = client.get(f"/economy/enterprises/{enterprise.pk}/").content.decode()
    open_part, closed_part = _sections(page)
    assert "申请贷款贴息" in open_part and f"/workorders/{order.pk}/" in open_part
    assert f"/workorders/{order.pk}/" not in closed_part

    # Closing needs the enterprise's answer; dissatisfied reopens it and it stays open on the page.
    orders.assign(economy.users["admin"], order, economy.users["econ"])
    orders.start(economy.users["econ"], order)
    orders.submit_for_verification(economy.users["econ"], order)
    with pytest.raises(ValidationError):
        orders.verify_and_close(economy.users["admin"], order)
    orders.verify_and_close(economy.users["admin"], order, satisfaction="dissatisfied")
    open_part, _ = _sections(client.get(f"/economy/enterprises/{enterprise.pk}/").content.decode())
    assert f"/workorders/{order.pk}/" in open_part and "不满意" in open_part

    orders.start(economy.users["econ"], order)
    orders.submit_for_verification(economy.users["econ"], order)
    orders.verify_and_close(economy.users["admin"], order, satisfaction="satisfied")
    open_part, closed_part = _sections(client.get(f"/economy/enterprises/{enterprise.pk}/").content.decode())
    assert f"/workorders/{order.pk}/" not in open_part
    assert f"/workorders/{order.pk}/" in closed_part and "满意" in closed_part


def test_park_page_lists_enterprises_last_visit_and_open_demands(economy, login):
    v, _ = visit(economy, "cadre", "linquan2", [("staff", "招工"), ("financing", "贷款")])
    _close(economy, demand_orders(v).get(category="staff"), "satisfied")
    page = login(economy.users["cadre"]).get(f"/economy/parks/{economy.parks['xijiao'].pk}/").content.decode()
    assert "西郊金融信息公司" in page and "新泾融资租赁公司" in page and "北虹商贸公司" not in page
    assert "2022-07-12" in page.split('data-testid="park-last-visit"')[1][:300]
    assert page.split('data-testid="park-open-demands">')[1].startswith("1<")


def test_visit_form_records_demands_and_a_retry_is_the_same_visit(economy, login):
    client = login(economy.users["gridworker"])
    enterprise = economy.enterprises["linquan1"]
    form = client.get(f"/economy/enterprises/{enterprise.pk}/visit/")
    assert form.status_code == 200
    client_id = str(uuid.uuid4())
    data = {"visited_on": "2022-07-12", "visitors": "网格员", "operating_status": "partly",
            "staff_back_percent": "60", "impact": "serious", "impact_areas": ["orders", "cash_flow"],
            "problems": "订单下降", "client_id": client_id,
            "demands-TOTAL_FORMS": "3", "demands-INITIAL_FORMS": "0", "demands-MIN_NUM_FORMS": "0",
            "demands-MAX_NUM_FORMS": "10", "demands-0-category": "permits", "demands-0-text": "许可证延续",
            "demands-1-category": "", "demands-1-text": "", "demands-2-category": "", "demands-2-text": ""}
    first = client.post(f"/economy/enterprises/{enterprise.pk}/visit/", data)
    assert first.status_code == 302
    second = client.post(f"/economy/enterprises/{enterprise.pk}/visit/", data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    visit_row = EnterpriseVisit.objects.get()
    assert visit_row.impact_areas == ["orders", "cash_flow"]
    assert demand_orders(visit_row).get().department == economy.world.departments["market"]
    # A demand without a category gets a Chinese message and nothing is written.
    bad = dict(data, client_id=str(uuid.uuid4()), **{"demands-0-category": ""})
    response = client.post(f"/economy/enterprises/{enterprise.pk}/visit/", bad)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-field="category"' in html and "请选择类别" in html
    assert EnterpriseVisit.objects.count() == 1


def test_empty_route_when_the_department_is_missing(economy):
    set_route("staff", None)
    v, _ = visit(economy, "cadre", "linquan1", [("staff", "招工")])
    assert demand_orders(v).get().department is None


def test_economy_officer_registers_a_park_enterprise_through_the_pages(economy, login):
    from wangge.economy.models import Enterprise, Park

    from .conftest import credit_code

    client = login(economy.users["econ"])
    response = client.post("/economy/parks/new/", {"name": "林泉创新园", "area": economy.world.hoods["linquan"].pk,
                                                   "department": economy.jfb.pk})
    assert response.status_code == 302
    park = Park.objects.get(name="林泉创新园")
    data = {"name": "林泉创新公司", "credit_code": credit_code(70), "industry": "technology", "size": "small",
            "address": "林泉路5号", "grid": economy.world.grids["linquan2"].pk, "park": park.pk,
            "contact_phone": "13800002222", "status": "active"}
    assert client.post("/economy/enterprises/new/", data).status_code == 302
    enterprise = Enterprise.objects.get(name="林泉创新公司")
    assert enterprise.contact_phone_masked == "138****2222"
    # Outside a park their department manages, the officer is refused with a message, nothing written.
    outside = dict(data, name="园外公司", credit_code=credit_code(71), park="")
    response = client.post("/economy/enterprises/new/", outside)
    assert response.status_code == 200 and "您不负责该网格" in response.content.decode()
    bad_code = dict(data, name="错码公司", credit_code="91310105MA1FL00701")
    response = client.post("/economy/enterprises/new/", bad_code)
    assert "校验" in response.content.decode() or "统一社会信用代码" in response.content.decode()
    assert not Enterprise.objects.filter(name__in=["园外公司", "错码公司"]).exists()
    # A stale edit fails clearly.
    edit = dict(data, employees="9", version=enterprise.version)
    assert client.post(f"/economy/enterprises/{enterprise.pk}/edit/", edit).status_code == 302
    response = client.post(f"/economy/enterprises/{enterprise.pk}/edit/", dict(edit, employees="10"))
    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.employees == 9
