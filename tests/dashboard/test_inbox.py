"""待我处理: the home page of those who act on work; counts and rows from the database, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.dashboard.inbox import inbox
from wangge.workorders import services
from wangge.workorders.choices import Kind
from wangge.workorders.models import Notification

from ..inspections.helpers import campaign

pytestmark = pytest.mark.django_db


def _order(world, title, deadline, assignee="gridworker", grid="linquan1"):
    return services.raise_order(world.users["admin"], kind=Kind.OTHER, title=title, grid=world.grids[grid],
                                assignee=world.users[assignee] if assignee else None, deadline=deadline)


def _counts(section) -> dict:
    return {key: n for key, _label, n in section.counts}


def _sql(query: str, *args) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, args)
        return cursor.fetchone()[0]


def orders_for_gridworker(world, n: int = 1):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    for i in range(n):
        _order(world, f"路灯不亮{i}", today - 2 * day)          # overdue
        _order(world, f"井盖松动{i}", today + day)              # due soon
        _order(world, f"垃圾满溢{i}", today + 30 * day)         # assigned, not pressing
        returned = _order(world, f"违停{i}", today + 10 * day)
        services.start(world.users["gridworker"], returned)
        services.submit_for_verification(world.users["gridworker"], returned)
        services.return_to_assignee(world.users["cadre"], returned, comment="照片不清楚")
        _order(world, f"北虹的{i}", today - day, assignee="admin", grid="beihong1")  # not the grid worker's


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_grid_workers_home_is_their_inbox_with_counts_from_the_database(world, login):
    orders_for_gridworker(world)
    user = world.users["gridworker"]
    section = {s.key: s for s in inbox(user)}["orders"]
    today = timezone.localdate()
    open_mine = "FROM workorders_workorder WHERE assignee_id = %s AND state <> 'closed'"
    assert _counts(section) == {
        "all": _sql(f"SELECT COUNT(*) {open_mine}", user.pk),
        "overdue": _sql(f"SELECT COUNT(*) {open_mine} AND deadline < %s", user.pk, today),
        "soon": _sql(f"SELECT COUNT(*) {open_mine} AND deadline >= %s AND deadline <= %s", user.pk, today,
                     today + datetime.timedelta(days=3)),
        "returned": _sql(f"SELECT COUNT(*) {open_mine} AND state = 'returned'", user.pk),
    } == {"all": 4, "overdue": 1, "soon": 1, "returned": 1}
    # Returned first, then by deadline; each row links to the order.
    assert [i.flag for i in section.items] == ["returned", "overdue", "soon", ""]
    html = login(user).get("/").content.decode()
    assert 'data-testid="inbox-orders"' in html and "违停0" in html and "北虹的0" not in html
    assert 'data-testid="figure-' not in html  # not the town dashboard
    assert f'href="/workorders/{section.items[0].url.split("/")[2]}/"' in html
    # The dashboard is one link away; a town leader's home stays the dashboard.
    assert 'href="/dashboard/"' in html
    assert 'data-testid="figure-' in login(world.users["leader"]).get("/").content.decode()


def test_each_acting_role_gets_its_own_sections(world, login):
    orders_for_gridworker(world)
    c = campaign(world)
    keys = {name: [s.key for s in inbox(world.users[name])] for name in
            ("gridworker", "inspector", "cadre", "officer", "doctor", "leader")}
    assert keys["gridworker"] == ["orders", "tasks", "care"]
    assert keys["inspector"] == ["orders", "tasks"]
    assert keys["cadre"] == ["orders", "decide", "tasks", "care"]
    assert keys["officer"] == ["orders", "decide", "tasks"]
    assert keys["doctor"] == ["orders", "vaccination"]
    tasks = {s.key: s for s in inbox(world.users["inspector"])}["tasks"]
    assert _counts(tasks)["all"] == _sql(
        "SELECT COUNT(*) FROM inspections_task t JOIN inspections_team_members m ON m.team_id = t.team_id "
        "WHERE m.user_id = %s AND t.state = 'planned' AND t.campaign_id = %s AND t.planned_on <= %s",
        world.users["inspector"].pk, c.pk, timezone.localdate()) > 0
    assert all(i.url.startswith("/inspections/tasks/") for i in tasks.items)
    # The cadre verifies what the grid worker submitted, and hands out what is new in the neighbourhood.
    decide = {s.key: s for s in inbox(world.users["cadre"])}["decide"]
    _order(world, "新的工单", timezone.localdate(), assignee=None)
    decide = {s.key: s for s in inbox(world.users["cadre"])}["decide"]
    assert _counts(decide)["new"] == 1
    # Every acting role's home is the inbox and answers 200.
    for name in ("gridworker", "inspector", "cadre", "officer", "doctor"):
        assert 'data-testid="inbox-orders"' in login(world.users[name]).get("/").content.decode(), name


def test_an_escalated_order_waits_in_the_inbox_of_whoever_must_decide(world, login):
    """The grid worker escalates an order of the market office: it is the officer's to decide (they are told)
    and stays in their 待我处理 until they do, counted as SQL counts it; the escalator has no decision."""
    u = world.users
    order = services.raise_order(u["admin"], kind=Kind.OTHER, title="需要协调的工单", grid=world.grids["linquan1"],
                                 department=world.departments["market"], assignee=u["gridworker"])
    services.start(u["gridworker"], order)
    services.escalate(u["gridworker"], order, comment="需要镇里协调")
    decide = {s.key: s for s in inbox(u["officer"])}["decide"]
    assert _counts(decide)["escalated"] == _sql(
        "SELECT COUNT(*) FROM workorders_workorder WHERE state = 'escalated' AND department_id = %s",
        world.departments["market"].pk) == 1
    assert f"#{order.pk} 需要协调的工单" in [i.label for i in decide.items]
    assert f"#{order.pk}" in login(u["officer"]).get("/").content.decode()
    services.assign(u["officer"], order, u["gridworker"])
    assert _counts({s.key: s for s in inbox(u["officer"])}["decide"])["escalated"] == 0


def test_inbox_queries_do_not_grow_with_the_rows(world, login):
    orders_for_gridworker(world, 1)
    campaign(world)
    client = login(world.users["gridworker"])
    small = _home_queries(client)
    orders_for_gridworker(world, 12)
    assert _home_queries(client) == small


def test_unread_badge_and_mark_all_read(world, login):
    user = world.users["gridworker"]
    for i in range(3):
        Notification.objects.create(user=user, key=f"test:{i}", message=f"提醒{i}", link="/")
    Notification.objects.create(user=world.users["cadre"], key="test:x", message="别人的")
    client = login(user)
    html = client.get("/residents/").content.decode()
    assert 'data-testid="unread-badge"' in html and ">3</span>" in html
    response = client.post("/workorders/notifications/read-all/")
    assert response.status_code == 302
    assert _sql("SELECT COUNT(*) FROM workorders_notification WHERE user_id = %s AND read_at IS NULL", user.pk) == 0
    assert _sql("SELECT COUNT(*) FROM workorders_notification WHERE read_at IS NULL") == 1  # the cadre's
    assert 'data-testid="unread-badge"' not in client.get("/residents/").content.decode()
