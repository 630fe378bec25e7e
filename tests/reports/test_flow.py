"""End to end: a resident's report from the public page becomes a routed work order, the grid is told,
the order is handled and closed, and the reporter looks it up and rates it (回访): satisfied closes,
dissatisfied reopens. Oracles: direct SQL on the tables."""

import re

from django.urls import reverse

from wangge.reports.models import PublicReport
from wangge.workorders import services as orders

from ..inspections.helpers import photo
from .conftest import count, send_report, sql

PHONE = "13955556666"
NUMBER = re.compile(r'data-testid="tracking-number">(SP\d{6}[A-Z0-9]{6})<')


def _handle(world, order, result="已清运，现场已清理干净"):
    admin, worker = world.users["admin"], world.users["gridworker"]
    order = orders.assign(admin, order, worker) if order.assignee_id is None else order
    order = orders.start(worker, order)
    order = orders.submit_for_verification(worker, order, comment=result)
    return orders.verify_and_close(admin, order)


def _lookup(client, number, digits):
    return client.post(reverse("reports_public:status"), {"tracking_number": number, "digits": digits})


def test_report_to_order_to_closure_to_rating(routed, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = routed
    response = send_report(client, phone=PHONE, photo=photo("现场.jpg"))
    assert response.status_code == 200, response.content.decode()[:2000]
    number = NUMBER.search(response.content.decode())[1]
    assert PHONE not in response.content.decode()

    # One report, one order of the new kind, routed to the market office in the segment's grid.
    assert count("SELECT COUNT(*) FROM reports_publicreport") == 1
    [(order_id, kind, state, grid_id, department_id)] = sql(
        "SELECT id, kind, state, grid_id, department_id FROM workorders_workorder")
    assert (kind, state) == ("public_report", "new")
    assert (grid_id, department_id) == (world.grids["linquan1"].pk, world.departments["market"].pk)
    [(stored_phone, tracking)] = sql("SELECT phone, tracking_number FROM reports_publicreport")
    assert tracking == number and PHONE not in stored_phone  # encrypted at rest
    report = PublicReport.objects.get()
    assert report.phone == PHONE and report.phone_masked == "139****6666" and report.photo.name.endswith(".jpg")

    # The grid's worker and the neighbourhood's cadre are told, once each, through the notify path.
    told = {u for (u,) in sql("SELECT user_id FROM workorders_notification WHERE key = %s",
                              f"public-report:{report.pk}")}
    assert told == {world.users["gridworker"].pk, world.users["cadre"].pk}

    # Before it is done the reporter sees it being handled, and cannot rate it.
    page = _lookup(client, number, "6666")
    assert page.status_code == 200 and 'data-testid="rating-form"' not in page.content.decode()

    _handle(world, report.order)
    page = _lookup(client, number, "6666").content.decode()
    assert 'data-testid="stage-done">✓' in page and 'data-testid="rating-form"' in page
    token = re.search(r'name="token" value="([^"]+)"', page)[1]

    # Dissatisfied: the order is reopened at once and its assignee is told.
    rated = client.post(reverse("reports_public:status"), {"token": token, "satisfaction": "dissatisfied",
                                                            "comment": "还是有垃圾"})
    assert rated.status_code == 200 and 'data-testid="rating-done"' in rated.content.decode()
    assert sql("SELECT state, satisfaction, satisfaction_source FROM workorders_workorder WHERE id = %s",
               order_id) == [("reopened", "dissatisfied", "reporter")]
    [(reopen_id,)] = sql("SELECT id FROM workorders_workorderevent WHERE order_id = %s AND verb = 'reopen'", order_id)
    assert sql("SELECT user_id FROM workorders_notification WHERE key = %s", f"order-event:{reopen_id}") == [
        (world.users["gridworker"].pk,)]
    # The same closure cannot be rated twice.
    again = client.post(reverse("reports_public:status"), {"token": token, "satisfaction": "satisfied"})
    assert again.status_code == 422
    assert sql("SELECT state FROM workorders_workorder WHERE id = %s", order_id) == [("reopened",)]

    # Handled again and closed: now satisfied keeps it closed.
    report.refresh_from_db()
    _handle(world, report.order, "已再次清运并增加清运频次")
    page = _lookup(client, number, "6666").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    client.post(reverse("reports_public:status"), {"token": token, "satisfaction": "satisfied"})
    assert sql("SELECT state, satisfaction FROM workorders_workorder WHERE id = %s", order_id) == [
        ("closed", "satisfied")]
    assert sql("SELECT verb FROM workorders_workorderevent WHERE order_id = %s AND verb IN ('rate', 'reopen') "
               "ORDER BY id", order_id) == [("rate",), ("reopen",), ("rate",)]


def test_staff_pages_link_report_and_order_and_mask_the_phone(routed, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    send_report(client, phone=PHONE, photo=photo("现场.jpg"))
    report = PublicReport.objects.get()
    client.force_login(routed.users["gridworker"])
    order_page = client.get(reverse("workorders:order_detail", args=[report.order_id])).content.decode()
    assert reverse("reports:report_detail", args=[report.pk]) in order_page
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "139****6666" in page and PHONE not in page and "垃圾桶满溢" in page
    listing = client.get(reverse("reports:report_list")).content.decode()
    assert report.tracking_number in listing and PHONE not in listing
    image = client.get(reverse("reports:report_photo", args=[report.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    # The full number only with a reason, and the look is logged.
    shown = client.post(reverse("reports:report_reveal", args=[report.pk]), {"field": "phone", "reason": "回电核实"})
    assert PHONE in shown.content.decode()
    assert count("SELECT COUNT(*) FROM core_auditentry WHERE action = 'reveal'") == 1
    # The API masks it too.
    api = client.get("/api/v1/public-reports", headers={"Authorization": f"Bearer {routed.token('gridworker')}"})
    assert api.status_code == 200 and api.json()["items"][0]["phone_masked"] == "139****6666"
    assert PHONE not in api.content.decode()


def test_public_pages_show_nothing_personal(routed, client):
    """Every public response of a report's life, searched for what identifies anyone: the phone, the
    reporter's words and place, the staff's names and comments."""
    world = routed
    world.users["gridworker"].full_name = "网格员周敏"
    world.users["gridworker"].save()
    responses = [send_report(client, phone=PHONE, description="我家楼下张阿姨门口垃圾满了", address="仙霞西路7号")]
    report = PublicReport.objects.get()
    _handle(world, report.order, result="已联系张阿姨并清运")
    responses.append(client.get(reverse("reports_public:status")))
    responses.append(_lookup(client, report.tracking_number, "6666"))
    token = re.search(r'name="token" value="([^"]+)"', responses[-1].content.decode())[1]
    responses.append(client.post(reverse("reports_public:status"), {"token": token, "satisfaction": "satisfied",
                                                                    "comment": "谢谢周敏"}))
    secrets = [PHONE, "139****6666", "张阿姨", "仙霞西路", "网格员周敏", "gridworker", "已联系", "谢谢周敏",
               world.grids["linquan1"].name]
    for response in responses:
        text = response.content.decode()
        assert response.status_code == 200
        assert [s for s in secrets if s in text] == []


def test_without_a_route_the_cadre_assigns_and_is_told_once(routed):
    """Category 'other' has no department: the neighbourhood's cadre gets the order to assign, and the grid
    worker the report in their grid; nobody twice (what reaches SMS and WeCom)."""
    from wangge.reports import services

    report = services.submit_report(category="other", description="小区门口的路灯不亮了", address="仙霞西路5号")
    rows = sql("SELECT user_id, COUNT(*) FROM workorders_notification WHERE order_id = %s GROUP BY user_id",
               report.order_id)
    assert dict(rows) == {routed.users["cadre"].pk: 1, routed.users["gridworker"].pk: 1}
    assert report.order.department is None
