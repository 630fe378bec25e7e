"""Reports of the same place (road segment, or positions within N metres) and category within the window
join the first report's open order. Oracle: distinct order ids by direct SQL."""

import datetime

from django.utils import timezone

from wangge.core.coords import distance_m as metres_between
from wangge.reports import services
from wangge.reports.location import locate
from wangge.workorders import services as orders

from .conftest import count, send_report, sql

T0 = timezone.make_aware(datetime.datetime(2022, 7, 11, 9))


def _report(category="sanitation", address="仙霞西路5号", at=T0, phone="", **where):
    return services.receive(None, services.clean_input(category, "垃圾桶满溢没人清运", phone),
                            locate(address, **where), now=at)


def orders_of(*reports) -> set[int]:
    ids = [r.pk for r in reports]
    placeholders = ", ".join(["%s"] * len(ids))
    return {o for (o,) in sql(f"SELECT order_id FROM reports_publicreport WHERE id IN ({placeholders})", *ids)}  # noqa: S608


def test_same_segment_and_category_within_the_window_is_one_order(routed):
    first = _report()
    same = _report(address="仙霞西路9号", at=T0 + datetime.timedelta(hours=5), phone="13911112222")
    other_kind = _report(category="noise", address="仙霞西路9号", at=T0 + datetime.timedelta(hours=6))
    later = _report(address="仙霞西路7号", at=T0 + datetime.timedelta(hours=73))
    other_road = _report(address="哈密路10号", at=T0 + datetime.timedelta(hours=1))
    assert orders_of(first, same) == {first.order_id}
    assert same.duplicate_of_id == first.pk
    assert len(orders_of(first, other_kind, later, other_road)) == 4
    assert count("SELECT COUNT(*) FROM workorders_workorder WHERE kind = 'public_report'") == 4
    # The order's timeline says it was reported again.
    assert count("SELECT COUNT(*) FROM workorders_workorderevent WHERE order_id = %s AND verb = 'duplicate'",
                 first.order_id) == 1


def test_a_closed_order_is_not_joined(routed):
    first = _report()
    admin, worker = routed.users["admin"], routed.users["gridworker"]
    order = orders.assign(admin, first.order, worker)
    order = orders.submit_for_verification(worker, orders.start(worker, order), comment="已清运")
    orders.verify_and_close(admin, order)
    again = _report(at=T0 + datetime.timedelta(hours=2))
    assert again.order_id != first.order_id and again.duplicate_of_id is None


def test_positions_within_the_distance_are_the_same_place(routed, settings):
    settings.PUBLIC_REPORT_DUPLICATE_METRES = 100
    grid = routed.grids["beihong2"]  # no segment: placed by the position (the grid as a fallback here)
    a = services.receive(None, services.clean_input("roads", "路面塌陷有坑", ""),
                         locate("", "31.210000", "121.370000", grid=grid), now=T0)
    near = services.receive(None, services.clean_input("roads", "路上有个大坑", ""),
                            locate("", "31.210500", "121.370300", grid=grid), now=T0 + datetime.timedelta(hours=1))
    far = services.receive(None, services.clean_input("roads", "路上有个坑", ""),
                           locate("", "31.213000", "121.370000", grid=grid), now=T0 + datetime.timedelta(hours=1))
    assert metres_between(31.21, 121.37, 31.2105, 121.3703) < 100 < metres_between(31.21, 121.37, 31.213, 121.37)
    assert near.order_id == a.order_id and far.order_id != a.order_id


def test_both_reporters_follow_the_one_order(routed, client):
    send_report(client, phone="13900001111")
    send_report(client, phone="13900002222", address="仙霞西路11号", description="垃圾桶旁边堆满垃圾袋")
    numbers = sql("SELECT tracking_number, order_id FROM reports_publicreport ORDER BY id")
    assert len(numbers) == 2 and numbers[0][1] == numbers[1][1]
    for (number, _order), digits in zip(numbers, ("1111", "2222"), strict=True):
        page = client.post("/public/report/status/", {"tracking_number": number, "digits": digits})
        assert page.status_code == 200 and number in page.content.decode()


def test_the_duplicate_search_costs_the_same_queries_however_many_reports(routed):
    """Receiving a report that opens an order: a fixed number of queries, whether the grid holds none or
    30 recent reports of the category elsewhere; joining an order costs fewer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grid = routed.grids["beihong2"]

    def cost(n: int) -> tuple[int, object]:
        with CaptureQueriesContext(connection) as queries:
            report = services.receive(None, services.clean_input("roads", "路面有个大坑", "13900003333"),
                                      locate("", f"{31.2 + n * 0.01:.6f}", "121.370000", grid=grid),
                                      now=T0 + datetime.timedelta(minutes=n))
        return len(queries), report

    _warm, first = cost(0)  # the first of the session also fills the content-type cache
    alone, _second = cost(1)
    for n in range(2, 31):
        cost(n)
    crowded, last = cost(31)
    assert crowded == alone and last.duplicate_of_id is None
    joined, again = cost(0)
    assert again.duplicate_of_id == first.pk and joined < alone
