"""#22.14: the big screen's trends, rankings and alerts are counted from the records (checked against
direct SQL), and its JSON costs the same number of queries whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from wangge.workorders import services
from wangge.workorders.models import WorkOrder

from ..workorders.helpers import raise_order
from .helpers import run_campaign

pytestmark = pytest.mark.django_db


def _sql(query: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _local_day_bounds(day: datetime.date):
    """A local day's bounds as the database stores moments (UTC; SQLite compares them as text, so a raw
    query must hand them over in the stored form, not as "…+08:00")."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return tuple(connection.ops.adapt_datetimefield_value(moment)
                 for moment in (start, start + datetime.timedelta(days=1)))


def _count_on(table: str, column: str, day: datetime.date, extra: str = "") -> int:
    start, end = _local_day_bounds(day)
    return _sql(f"SELECT COUNT(*) FROM {table} WHERE {column} >= %s AND {column} < %s {extra}", start, end)[0][0]


def _busy_town(world):
    """A campaign with its findings, orders in two grids and two departments, one closed on time, two overdue."""
    run_campaign(world)
    closed = raise_order(world, grid="beihong1", department="health")
    services.start(world.users["gridworker"], closed, comment="到场")
    services.submit_for_verification(world.users["gridworker"], closed, comment="已办")
    services.verify_and_close(world.users["admin"], closed, comment="已办结")
    for grid in ("linquan1", "beihong2"):
        raise_order(world, grid=grid, assignee=None)
    WorkOrder.objects.filter(grid__code__in=[world.grids["linquan1"].code, world.grids["beihong2"].code]) \
        .update(overdue_level=1)


def test_trends_rankings_and_alerts_equal_direct_sql_counts(world, login):
    _busy_town(world)
    client = login(world.users["leader"])
    data = client.get("/dashboard/screen.json").json()
    # The dashboard's sections come with it, and the round picker.
    assert {s["key"] for s in data["sections"]} >= {"inspections", "workorders", "places"}
    assert data["rounds"]["chosen"]
    trends = data["trends"]
    assert len(trends["dates"]) == 14 and trends["dates"][-1] == timezone.localdate().isoformat()
    assert "-" not in "".join(trends["days"])  # 12月5日, never an ISO date
    series = {s["key"]: s["data"] for s in trends["series"]}
    assert set(series) == {"inspections", "orders_opened", "orders_closed", "doses"}
    for n, iso in enumerate(trends["dates"]):
        day = datetime.date.fromisoformat(iso)
        assert series["inspections"][n] == _count_on("inspections_inspection", "inspected_at", day)
        assert series["orders_opened"][n] == _count_on("workorders_workorder", "created_at", day)
        assert series["orders_closed"][n] == _count_on("workorders_workorderevent", "at", day,
                                                       "AND to_state = 'closed'")
        assert series["doses"][n] == _sql("SELECT COUNT(*) FROM vaccination_dose WHERE given_on = %s "
                                          "AND voided_at IS NULL", day)[0][0]
    assert sum(series["inspections"]) == 3 and sum(series["orders_closed"]) == 1
    # Rankings: per grid and department, overdue and on-time rate from the orders themselves.
    minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
    local_close = (f"(o.closed_at AT TIME ZONE '{timezone.get_current_timezone_name()}')::date"
                   if connection.vendor == "postgresql" else f"date(o.closed_at, '+{minutes} minutes')")
    expected = {name: (int(overdue), int(closed), int(on_time)) for name, overdue, closed, on_time in _sql(
        "SELECT g.name, SUM(CASE WHEN o.state <> 'closed' AND o.overdue_level > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN o.state = 'closed' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN o.state = 'closed' AND {local_close} <= o.deadline THEN 1 ELSE 0 END) "
        "FROM workorders_workorder o JOIN core_area g ON g.id = o.grid_id GROUP BY g.name")}
    grids = data["rankings"]["grids"]
    assert {r["name"] for r in grids} == set(expected)
    for row in grids:
        overdue, closed, on_time = expected[row["name"]]
        assert row["overdue"] == overdue
        assert row["on_time_rate"] == (round(100 * on_time / closed, 1) if closed else None)
    # The only grid with a closed order ranks first; it closed after its 2022 deadline.
    assert grids[0]["name"] == world.grids["beihong1"].name and grids[0]["on_time_rate"] == 0.0
    assert [r["rank"] for r in grids] == list(range(1, len(grids) + 1))
    departments = {r["name"]: r["overdue"] for r in data["rankings"]["departments"]}
    assert departments == {name: int(n) for name, n in _sql(
        "SELECT d.name, SUM(CASE WHEN o.state <> 'closed' AND o.overdue_level > 0 THEN 1 ELSE 0 END) "
        "FROM workorders_workorder o JOIN core_department d ON d.id = o.department_id GROUP BY d.name")}
    # Alerts: every overdue order, then the week's shutdowns and rectification orders.
    overdue_orders = _sql("SELECT COUNT(*) FROM workorders_workorder WHERE state <> 'closed' AND overdue_level > 0")
    findings = _sql("SELECT COUNT(*) FROM inspections_inspection WHERE outcome IN ('shutdown', 'rectification') "
                    "AND kind = 'routine'")
    levels = [a["level"] for a in data["alerts"]]
    assert levels.count("overdue") == overdue_orders[0][0] == 2
    assert len(levels) - levels.count("overdue") == findings[0][0] == 2
    assert all("T" not in a["text"] or "-" not in a["text"] for a in data["alerts"])


def test_a_grid_worker_sees_only_their_grid_and_no_foreign_modules(world, login):
    _busy_town(world)
    worker = world.users["gridworker"]
    data = login(worker).get("/dashboard/screen.json").json()
    visible = set(WorkOrder.objects.visible_to(worker).values_list("grid__name", flat=True))
    assert {r["name"] for r in data["rankings"]["grids"]} == visible
    assert world.grids["beihong2"].name not in visible
    assert all(world.grids["beihong2"].name not in a["text"] for a in data["alerts"])


def test_screen_refresh_is_bounded_and_bad_input_is_refused(world, login):
    client = login(world.users["leader"])
    assert client.get("/dashboard/screen/?refresh=1").context["refresh"] == 2
    assert client.get("/dashboard/screen/?refresh=abc").context["refresh"] == 60
    bad = client.get("/dashboard/screen.json?campaign=x")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "campaign"


def test_the_screen_answer_is_shared_for_half_a_minute(world, login, monkeypatch):
    """Every screen polls the same JSON: within 30 s (views.SCREEN_CACHE) the answer is served from the
    shared cache without counting anything again, even after a change; after 30 s it is counted afresh."""
    from django.core.cache.backends import locmem
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["leader"])
    first = client.get("/dashboard/screen.json").content
    raise_order(world, grid="beihong1", department="health")  # a new open order: the figures move
    real_time = locmem.time.time

    def ask(after_seconds):
        monkeypatch.setattr(locmem.time, "time", lambda: real_time() + after_seconds)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/dashboard/screen.json").content
        monkeypatch.setattr(locmem.time, "time", real_time)
        return body, [q["sql"] for q in queries]

    body, queries = ask(29)
    assert body == first
    # Only who is asking (the scope names the shared answer): no roll-up read, nothing counted.
    assert not any("dashboard_" in sql or "COUNT(" in sql for sql in queries)
    body, queries = ask(31)
    assert body != first and any("dashboard_" in sql for sql in queries) and any("COUNT(" in sql for sql in queries)
