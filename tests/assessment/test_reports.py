"""Period reports: figures frozen at submission (a later change of the records changes nothing), two
people (the preparer cannot approve, in the service, on the page and through the API), the approver
told when it awaits approval and the preparer when it is approved or returned, a correction as a new
version with its differences, the Excel file and the API with versions and the approval trail."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import make_user
from wangge.assessment import services
from wangge.assessment.choices import DocStatus
from wangge.assessment.indicators import Bounds
from wangge.core.roles import Role
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import Notification, WorkOrder

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)
B = Bounds(MARCH, datetime.date(2025, 3, 31))


def _order(world, n: int, closed=None) -> WorkOrder:
    order = WorkOrder.objects.create(kind=Kind.OTHER, title=f"三月工单{n}", grid=world.grids["linquan1"],
                                     deadline=datetime.date(2025, 3, 10), assignee=world.users["gridworker"])
    changes = {"created_at": B.since + datetime.timedelta(days=2)}
    if closed:
        changes.update(state=State.CLOSED, closed_at=closed)
    WorkOrder.objects.filter(pk=order.pk).update(**changes)
    return order


def _open_at_end() -> int:
    """The oracle: orders raised by 2025-03-31 24:00 and not closed by then."""
    return WorkOrder.objects.filter(created_at__lt=B.cutoff).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=B.cutoff)).count()


def _values(report) -> dict:
    return {f["key"]: f["value"] for f in report.frozen["figures"]}


@pytest.fixture
def setup(world):
    for n in range(3):
        _order(world, n)
    _order(world, 9, closed=B.since + datetime.timedelta(days=5))
    definition = services.save_definition(world.users["leader"], None, name="月报", period="month",
                                          figures=["workorders.open", "workorders.overdue"],
                                          indicators=["orders_on_time"], areas=list(world.hoods.values()))
    world.users["leader2"] = make_user("leader2", Role.TOWN_LEADER, [world.town])
    return definition


def test_a_submitted_report_keeps_its_figures_when_the_records_change(world, setup):
    officer, leader = world.users["officer"], world.users["leader"]
    report = services.prepare_report(officer, setup, MARCH)
    assert report.status == DocStatus.DRAFT and report.ends_on == datetime.date(2025, 3, 31)
    report = services.submit(officer, report)
    assert _values(report) == {"workorders.open": _open_at_end() == 3 and 3, "workorders.overdue": 3}
    cells = {r["code"]: r["values"]["orders_on_time"] for r in report.frozen["areas"]}
    assert cells == {world.hoods["linquan"].code: 25.0, world.hoods["beihong"].code: None}  # 1 of 4 on time
    # The approver is told (notification: the inbox), once; the preparer is not.
    told = Notification.objects.filter(key__startswith=f"assessment:periodreport:{report.pk}:submitted")
    assert {n.user.username for n in told} == {"leader", "leader2"}
    services.approve(leader, report)
    # Afterwards: two more orders raised in March (a late entry), one closed backdated. Nothing moves.
    _order(world, 20)
    _order(world, 21)
    WorkOrder.objects.filter(title="三月工单0").update(state=State.CLOSED, closed_at=B.since)
    report.refresh_from_db()
    assert _open_at_end() == 4
    assert _values(report) == {"workorders.open": 3, "workorders.overdue": 3}
    assert report.status == DocStatus.APPROVED and report.approved_by == leader
    assert Notification.objects.filter(user=officer, key__startswith=f"assessment:periodreport:{report.pk}:approved")
    with pytest.raises(ValidationError):  # locked
        services.submit(officer, report)


def test_a_correction_is_a_new_version_with_its_differences(world, setup):
    officer, leader = world.users["officer"], world.users["leader"]
    first = services.approve(leader, services.submit(officer, services.prepare_report(officer, setup, MARCH)))
    with pytest.raises(ValidationError):  # a period has one report: correct it instead
        services.prepare_report(officer, setup, MARCH)
    with pytest.raises(ValidationError) as excinfo:
        services.correct_report(officer, first, "  ")
    assert "reason" in excinfo.value.message_dict
    _order(world, 30)  # an order of March entered late: the correction reports it
    second = services.correct_report(officer, first, "补录三月工单一件")
    with pytest.raises(ValidationError):  # only the latest approved version is corrected
        services.correct_report(officer, first, "再改")
    second = services.approve(world.users["leader2"], services.submit(officer, second))
    assert (second.number, second.previous, second.status) == (2, first, DocStatus.APPROVED)
    changed = {d["key"]: (d["before"], d["after"]) for d in second.differences}
    assert changed == {"workorders.open": (3, 4), "workorders.overdue": (3, 4),
                       f"{world.hoods['linquan'].code}.orders_on_time": (25.0, 20.0)}
    first.refresh_from_db()
    assert _values(first)["workorders.open"] == 3 and first.status == DocStatus.APPROVED


def test_two_people_the_preparer_cannot_approve(world, setup, client):
    leader = world.users["leader"]
    report = services.submit(leader, services.prepare_report(leader, setup, MARCH))
    with pytest.raises(ValidationError) as excinfo:
        services.approve(leader, report)
    assert "approved_by" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):  # an officer may prepare, never approve
        services.approve(world.users["officer"], report)
    token = world.token("leader")
    answer = client.post(f"/api/v1/assessment/reports/{report.pk}/approve", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "approved_by"
    report.refresh_from_db()
    assert report.status == DocStatus.SUBMITTED and report.approved_by is None
    # The page refuses too, with a Chinese message, and changes nothing.
    client.force_login(leader)
    page = client.post(f"/assessment/reports/{report.pk}/approve/", {"version": report.version}, follow=True)
    assert "另一位镇领导" in page.content.decode()
    report.refresh_from_db()
    assert report.status == DocStatus.SUBMITTED
    # Returned by the other leader, with a reason; the preparer is told, and may submit again.
    other = world.token("leader2")
    empty = client.post(f"/api/v1/assessment/reports/{report.pk}/return", {"note": ""},
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "note"
    back = client.post(f"/api/v1/assessment/reports/{report.pk}/return", {"note": "逾期数需核对"},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert Notification.objects.filter(user=leader, key__contains=":returned:").exists()
    one = client.get(f"/api/v1/assessment/reports/{report.pk}", HTTP_AUTHORIZATION=f"Bearer {other}").json()
    assert [s["step"] for s in one["versions"][0]["trail"]] == ["prepared", "submitted", "returned"]
    report.refresh_from_db()
    services.submit(leader, report)
    approved = client.post(f"/api/v1/assessment/reports/{report.pk}/approve", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert approved.status_code == 200
    pulled = client.get("/api/v1/assessment/reports", HTTP_AUTHORIZATION=f"Bearer {other}").json()
    assert [r["id"] for r in pulled] == [report.pk]
    trail = [step["step"] for step in pulled[0]["versions"][0]["trail"]]
    assert trail == ["prepared", "submitted", "approved"]
    assert pulled[0]["figures"]["figures"][0]["key"] == "workorders.open"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert len(client.get("/api/v1/assessment/reports?definition=月报&ends_after=2025-03-31", **bearer).json()) == 1
    assert client.get("/api/v1/assessment/reports?definition=别的", **bearer).json() == []
    assert client.get("/api/v1/assessment/reports?ends_after=2025-04-01", **bearer).json() == []
    assert client.get("/api/v1/assessment/reports", HTTP_AUTHORIZATION=f"Bearer {world.token('gridworker')}"
                      ).status_code == 403


def test_the_report_in_the_district_layout(world, setup, client):
    officer, leader = world.users["officer"], world.users["leader"]
    report = services.approve(leader, services.submit(officer, services.prepare_report(officer, setup, MARCH)))
    client.force_login(officer)
    body = client.get(f"/assessment/reports/{report.pk}/report.xlsx")
    assert body.status_code == 200
    sheet = load_workbook(io.BytesIO(body.content)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["新泾镇月报"]
    assert rows[1] == ["时间", "2025-03-01 — 2025-03-31", "版本", 1]
    assert rows[3] == ["序号", "数据项", "值", "单位"]
    assert rows[4][0] == 1 and rows[4][2] == 3 and rows[5][0] == 2 and rows[5][2] == 3
    assert any(r[:1] == ["林泉"] and 25.0 in r for r in rows)
    assert any("leader" in r and r[0] == "审核人" for r in rows)


def test_period_rules(world, setup):
    officer = world.users["officer"]
    with pytest.raises(ValidationError):  # not the first day of a month
        services.prepare_report(officer, setup, datetime.date(2025, 3, 2))
    with pytest.raises(ValidationError):  # not yet ended
        services.prepare_report(officer, setup, timezone.localdate().replace(day=1))
    assert services.period_bounds("quarter", datetime.date(2025, 4, 1)) == datetime.date(2025, 6, 30)
    assert services.period_bounds("year", datetime.date(2024, 1, 1)) == datetime.date(2024, 12, 31)
    with pytest.raises(ValidationError):
        services.period_bounds("quarter", datetime.date(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        services.prepare_report(world.users["gridworker"], setup, MARCH)


def test_the_approver_finds_it_in_the_inbox_not_the_preparer(world, setup, client):
    leader, officer = world.users["leader"], world.users["officer"]
    report = services.submit(leader, services.prepare_report(leader, setup, MARCH))
    review = services.submit(officer, services.draft_review(officer, title="三月复盘", starts_on=MARCH,
                                                            ends_on=datetime.date(2025, 3, 31)))
    client.force_login(world.users["leader2"])
    sections = {s.key: s for s in client.get(reverse("inbox")).context["sections"]}
    assert sections["approvals"].total == 2
    assert [i.url for i in sections["approvals"].items] == [f"/assessment/reports/{report.pk}/",
                                                            f"/assessment/reviews/{review.pk}/"]
    assert "月报（2025-03-01至2025-03-31，第1版）" in client.get(reverse("inbox")).content.decode()
    client.force_login(leader)  # the preparer of the report: only the review waits for them
    sections = {s.key: s for s in client.get(reverse("inbox")).context["sections"]}
    assert [i.url for i in sections["approvals"].items] == [f"/assessment/reviews/{review.pk}/"]
    client.force_login(officer)
    assert "approvals" not in {s.key for s in client.get(reverse("inbox")).context["sections"]}
