"""The pages: list tabs and filters, bulk assign, board, detail actions, create, figures, visits."""

import datetime

from wangge.workorders import services
from wangge.workorders.choices import State
from wangge.workorders.models import FieldVisit, WorkOrder

from .helpers import raise_order


def test_tabs(world, login):
    mine = raise_order(world, grid="linquan1", department="health", assignee="cadre")
    dept = raise_order(world, grid="linquan2", department="market", assignee=None)
    client = login(world.users["cadre"])
    assert list(client.get("/workorders/?tab=mine").context["page"]) == [mine]
    assert set(client.get("/workorders/?tab=all").context["page"]) == {mine, dept}
    officer = login(world.users["officer"])
    assert list(officer.get("/workorders/?tab=department").context["page"]) == [dept]
    assert list(officer.get("/workorders/?tab=department&kind=demand").context["page"]) == []


def test_bulk_assign(world, login):
    a = raise_order(world, assignee=None)
    b = raise_order(world, grid="linquan2", assignee=None)
    client = login(world.users["cadre"])
    response = client.post("/workorders/bulk-assign/", {"ids": [a.pk, b.pk], "confirmed": "1",
                                                        "assignee": world.users["gridworker"].pk})
    assert response.status_code == 302
    assert set(WorkOrder.objects.values_list("state", "assignee__username")) == {("assigned", "gridworker")}
    outside = raise_order(world, grid="beihong1", department="health", assignee=None)
    assert client.post("/workorders/bulk-assign/", {"ids": [outside.pk],
                                                    "assignee": world.users["gridworker"].pk}).status_code == 403
    assert login(world.users["gridworker"]).post("/workorders/bulk-assign/", {"ids": [a.pk]}).status_code == 403


def test_detail_shows_only_possible_actions_and_moves(world, login):
    order = raise_order(world)
    worker = login(world.users["gridworker"])
    page = worker.get(f"/workorders/{order.pk}/")
    assert set(page.context["actions"]) == {"start", "escalate"}
    assert 'data-testid="timeline"' in page.content.decode()
    worker.post(f"/workorders/{order.pk}/start/", {"start-version": order.version, "start-comment": "到场"})
    order.refresh_from_db()
    assert order.state == State.IN_PROGRESS
    stale = worker.post(f"/workorders/{order.pk}/submit/", {"submit-version": 1}, follow=True)
    assert "其他人" in stale.content.decode()
    order.refresh_from_db()
    assert order.state == State.IN_PROGRESS
    worker.post(f"/workorders/{order.pk}/submit/", {"submit-comment": "好了"})
    officer = login(world.users["officer"])
    page = officer.get(f"/workorders/{order.pk}/")
    assert set(page.context["actions"]) == {"verify", "return"}
    officer.post(f"/workorders/{order.pk}/return/", {"return-comment": "招牌未改"})
    order.refresh_from_db()
    assert order.state == State.RETURNED
    assert officer.post(f"/workorders/{order.pk}/reopen/", {}).status_code == 302  # refused with a message
    order.refresh_from_db()
    assert order.state == State.RETURNED
    assert login(world.users["inspector"]).post(f"/workorders/{order.pk}/start/", {}).status_code == 403


def test_create_page(world, login):
    client = login(world.users["gridworker"])
    assert client.get("/workorders/new/").status_code == 200
    response = client.post("/workorders/new/", {"kind": "resident_need", "title": "独居老人助餐",
                                                "grid": world.grids["linquan1"].pk, "priority": "normal"})
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and order.state == State.NEW and order.raised_by == world.users["gridworker"]
    bad = client.post("/workorders/new/", {"kind": "resident_need", "title": "x", "grid": world.grids["linquan1"].pk,
                                           "priority": "normal", "assignee": world.users["cadre"].pk})
    assert bad.status_code == 200 and WorkOrder.objects.count() == 1
    assert login(world.users["doctor"]).get("/workorders/new/").status_code == 403


def test_figures(world, login, django_assert_max_num_queries):
    on_time = raise_order(world, kind="demand")
    late = raise_order(world, department="health")
    raise_order(world, grid="beihong1")
    for order, deadline in ((on_time, datetime.date(2100, 1, 1)), (late, datetime.date(2000, 1, 1))):
        WorkOrder.objects.filter(pk=order.pk).update(state=State.AWAITING_VERIFICATION, deadline=deadline)
        order.refresh_from_db()
        services.verify_and_close(world.users["admin"], order, satisfaction="satisfied")
    from wangge.workorders.figures import figures

    with django_assert_max_num_queries(6):
        result = figures(WorkOrder.objects.all())
    assert (result["total"]["open"], result["total"]["closed"], result["total"]["rate"]) == (1, 2, 50.0)
    assert result["median"] is not None
    assert {r["label"]: r["closed"] for r in result["by_department"]} == {"市场监督管理所": 1, "社区卫生服务中心": 1}
    assert login(world.users["leader"]).get("/workorders/figures/").status_code == 200


def test_visit_pages(world, login):
    client = login(world.users["leader"])
    response = client.post("/workorders/visits/new/", {"title": "镇夜查", "visited_on": "2022-07-10",
                                                        "leader": "政法委书记", "area": world.town.pk,
                                                        "units": "老王面馆\n北虹KTV"})
    visit = FieldVisit.objects.get()
    assert response.status_code == 302 and visit.recorded_by == world.users["leader"]
    client.post(f"/workorders/visits/{visit.pk}/instructions/", {
        "text": "落实消防通道整改", "units": "老王面馆\n北虹KTV", "grid": world.grids["linquan1"].pk,
        "department": world.departments["market"].pk, "deadline": "2022-07-20"})
    assert WorkOrder.objects.filter(visit=visit, kind="instruction").count() == 2
    page = client.get(f"/workorders/visits/{visit.pk}/")
    assert page.context["instructions"][0]["orders"] == 2
    assert "落实消防通道整改" in page.content.decode()
    assert login(world.users["cadre"]).get("/workorders/visits/new/").status_code == 403


def test_board_columns_and_list_queries_do_not_grow(world, login, django_assert_max_num_queries):
    for grid in ("linquan1", "linquan2", "beihong1"):
        raise_order(world, grid=grid)
    client = login(world.users["admin"])
    board = client.get("/workorders/board/")
    counts = {c["state"]: c["count"] for c in board.context["columns"]}
    assert counts["assigned"] == 3 and sum(counts.values()) == 3
    with django_assert_max_num_queries(20) as few:
        client.get("/workorders/")
    for _ in range(10):
        raise_order(world, grid="beihong2", department="health")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/workorders/")


def test_assignee_with_manage_permission_is_not_offered_verify(world, login):
    order = raise_order(world, assignee="cadre")
    WorkOrder.objects.filter(pk=order.pk).update(state=State.AWAITING_VERIFICATION)
    assert set(login(world.users["cadre"]).get(f"/workorders/{order.pk}/").context["actions"]) == {"return"}
    assert set(login(world.users["officer"]).get(f"/workorders/{order.pk}/").context["actions"]) == {"verify",
                                                                                                    "return"}


def test_edit_descriptive_fields_with_version_check(world, login):
    order = raise_order(world)
    officer = login(world.users["officer"])
    assert f'href="/workorders/{order.pk}/edit/"' in officer.get(f"/workorders/{order.pk}/").content.decode()
    form = {"title": "新标题", "priority": "high", "deadline": order.deadline.isoformat(), "version": order.version}
    assert officer.post(f"/workorders/{order.pk}/edit/", form).status_code == 302
    order.refresh_from_db()
    assert (order.title, order.priority) == ("新标题", "high")
    stale = officer.post(f"/workorders/{order.pk}/edit/", {**form, "title": "过期", "version": form["version"]})
    assert stale.status_code == 200 and "已有其他人修改" in stale.content.decode()
    order.refresh_from_db()
    assert order.title == "新标题"
    # Those who only raise orders cannot edit them.
    assert login(world.users["gridworker"]).get(f"/workorders/{order.pk}/edit/").status_code in (403, 404)
