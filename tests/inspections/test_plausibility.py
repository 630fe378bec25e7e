"""Field submissions are plausible (#20.10): an implausible one is kept and counted, but flagged —
far from the premises, before the campaign, in the future, too far from the previous one too soon —
and a reviewer confirms or voids it; the campaign's figures say how many are in doubt."""

import datetime
import math
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wangge.core.models import User
from wangge.core.roles import Role
from wangge.inspections.forms import InspectionForm
from wangge.inspections.models import Inspection, Task
from wangge.inspections.summary import campaign_summary

from ..access.test_chinese_pages import ALLOWED, problems, reads
from ..conftest import make_user
from .helpers import COMPLIANT, campaign, submit

SHANGHAI = (Decimal("31.217000"), Decimal("121.386000"))  # 新泾镇, where the test premises stand
BEIJING = (39.9, 116.4)


def _task(c, world, grid="linquan1"):
    return Task.objects.get(campaign=c, premises=world.premises[grid], reason="scope")


def _auth(world, username):
    return {"HTTP_AUTHORIZATION": f"Bearer {world.token(username)}"}


def _place(world, grid="linquan1", where=SHANGHAI):
    premises = world.premises[grid]
    premises.latitude, premises.longitude = where
    premises.save()
    return premises


def _cosine_law_m(lat1, lon1, lat2, lon2):
    """An independent formula (spherical law of cosines, same mean radius) for the great-circle distance."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    return 6_371_008.8 * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))


def _post(client, world, task, username="inspector", **fields):
    body = {"client_id": str(uuid.uuid4()), "task_id": task.pk, "answers": COMPLIANT, "outcome": "compliant",
            "inspector_ids": [world.users["officer"].pk], **fields}
    return client.post("/api/v1/inspections", body, content_type="application/json", **_auth(world, username))


def _flagged_sql(campaign_id) -> int:
    """The figure's oracle: flagged rows still counted, counted by hand in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Inspection._meta.db_table} WHERE campaign_id = %s "
                       "AND flag_review IN ('pending', 'confirmed')", [campaign_id])
        return cursor.fetchone()[0]


def test_beijing_gps_before_the_campaign_is_accepted_counted_and_flagged(world, client):
    c = campaign(world)
    _place(world)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    response = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1],
                     inspected_at=yesterday.isoformat())
    assert response.status_code == 201, response.content
    body = response.json()
    flags = {f["code"]: f for f in body["flags"]}
    assert set(flags) == {"far_from_premises", "before_campaign"} and body["flag_review"] == "pending"
    expected = _cosine_law_m(*BEIJING, float(SHANGHAI[0]), float(SHANGHAI[1]))
    assert 1_000_000 < expected < 1_100_000  # Beijing–Shanghai, about 1,070 km as the crow flies
    assert abs(flags["far_from_premises"]["params"]["distance_m"] - expected) <= 1
    assert "公里" in flags["far_from_premises"]["text"] and "500 米" in flags["far_from_premises"]["text"]
    # Kept and counted: the task is done and the figures count it, in doubt.
    summary = campaign_summary(c, world.users["admin"])
    figures = ("inspected", "compliant", "flagged", "flagged_unreviewed")
    assert [summary[f] for f in figures] == [1, 1, 1, 1]


def test_a_near_submission_in_the_campaign_has_no_flag(world, client):
    c = campaign(world)
    _place(world)
    response = _post(client, world, _task(c, world), latitude=31.2175, longitude=121.3865)  # ~70 m away
    assert response.status_code == 201 and response.json()["flags"] == []
    assert response.json()["flag_review"] == "" and _told(response.json()["id"]) == set()  # nothing to review


def test_a_time_in_the_future_is_kept_and_flagged_but_a_late_sync_is_not(world, client):
    c = campaign(world)
    c.starts_on = timezone.localdate() - datetime.timedelta(days=2)
    c.save(update_fields=["starts_on"])
    later = timezone.now() + datetime.timedelta(hours=3)
    ahead = _post(client, world, _task(c, world), inspected_at=later.isoformat())
    assert ahead.status_code == 201, ahead.content
    assert [f["code"] for f in ahead.json()["flags"]] == ["in_future"]
    # Offline for a day, replayed now: judged on its own time, which is in the campaign and in the past.
    late = _post(client, world, _task(c, world, "linquan2"),
                 inspected_at=(timezone.now() - datetime.timedelta(days=1)).isoformat())
    assert late.status_code == 201 and late.json()["flags"] == []


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:00:00", "9999-12-31T23:00:00+14:00",
                                  "1970-01-01T08:00:00", "1999-12-31T00:00:00+14:00"])
def test_a_phone_clock_years_off_gets_a_field_answer_and_nothing_is_written(world, client, when):
    """A phone whose clock reset (1970) or ran wild (year 1, 9999, any offset) is answered on the field,
    in Chinese, and nothing is kept; a 500 came from the review's window reaching past the calendar."""
    c = campaign(world)
    before = Inspection.objects.count()
    response = _post(client, world, _task(c, world), latitude=float(SHANGHAI[0]), longitude=float(SHANGHAI[1]),
                     inspected_at=when)
    assert response.status_code == 422, response.content
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"inspected_at"} and "手机的日期和时间" in errors["inspected_at"]
    assert Inspection.objects.count() == before


def test_far_from_the_previous_inspection_within_minutes_is_flagged(world):
    c = campaign(world)
    c.starts_on = timezone.localdate() - datetime.timedelta(days=1)  # two hours ago may be yesterday
    c.save(update_fields=["starts_on"])
    now = timezone.now()
    first, _new = submit(world, _task(c, world), latitude=Decimal("31.217000"), longitude=Decimal("121.386000"),
                         inspected_at=now - datetime.timedelta(minutes=120))
    # 0.2 degree of latitude further north (~22 km) five minutes later: about 267 km/h.
    second, _new = submit(world, _task(c, world, "linquan2"), latitude=Decimal("31.417000"),
                          longitude=Decimal("121.386000"), inspected_at=now - datetime.timedelta(minutes=115))
    assert first.flags == []
    travel = [f for f in second.flags if f["code"] == "implausible_travel"]
    assert travel and travel[0]["params"]["other"] == first.pk and travel[0]["params"]["minutes"] == 5
    expected = _cosine_law_m(31.217, 121.386, 31.417, 121.386)
    assert abs(travel[0]["params"]["distance_m"] - expected) <= 1
    assert abs(travel[0]["params"]["speed_kmh"] - expected / 1000 * 12) <= 1
    # An hour later the same distance back is an ordinary drive.
    third, _new = submit(world, _task(c, world, "beihong1"), latitude=Decimal("31.217000"),
                         longitude=Decimal("121.386000"), inspected_at=now - datetime.timedelta(minutes=55))
    assert third.flags == []


def test_flagged_figure_equals_a_direct_count_and_voiding_takes_it_out(world, client, login):
    c = campaign(world)
    _place(world)
    _place(world, "linquan2")
    far = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1]).json()
    _post(client, world, _task(c, world, "linquan2"), latitude=BEIJING[0], longitude=BEIJING[1])
    _post(client, world, _task(c, world, "beihong1"))
    leader = _auth(world, "leader")
    summary = client.get(f"/api/v1/campaigns/{c.pk}/summary", **leader).json()
    assert summary["flagged"] == _flagged_sql(c.pk) == 2 and summary["inspected"] == 3
    page = login(world.users["leader"]).get(reverse("inspections:campaign_detail", args=[c.pk])).content.decode()
    assert 'data-figure="flagged">2<' in page and "条存疑" in page
    voided = client.post(f"/api/v1/inspections/{far['id']}/review",
                         {"decision": "voided", "reason": "定位在北京，未到现场"}, content_type="application/json",
                         **leader)
    assert voided.status_code == 200, voided.content
    assert voided.json()["flag_review"] == "voided" and voided.json()["reviewed_by_id"] == world.users["leader"].pk
    summary = client.get(f"/api/v1/campaigns/{c.pk}/summary", **leader).json()
    assert summary["flagged"] == _flagged_sql(c.pk) == 1
    assert (summary["inspected"], summary["compliant"], summary["voided"]) == (2, 2, 1)
    task = _task(c, world)
    assert task.state == "planned" and task.inspection_id is None  # to be inspected again
    assert Inspection.objects.filter(pk=far["id"]).exists()  # nothing is lost
    again = client.post(f"/api/v1/inspections/{far['id']}/review", {"decision": "confirmed", "reason": "改主意"},
                        content_type="application/json", **leader)
    assert again.status_code == 422


def test_only_a_reviewer_who_took_no_part_confirms_or_voids(world, client, login):
    c = campaign(world)
    _place(world)
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1]).json()
    url = f"/api/v1/inspections/{flagged['id']}/review"
    body = {"decision": "confirmed", "reason": "已电话核实，定位漂移"}
    for username in ("gridworker", "inspector", "cadre"):
        denied = client.post(url, body, content_type="application/json", **_auth(world, username))
        assert denied.status_code == 403, username
    page = login(world.users["gridworker"]).post(reverse("inspections:flag_review", args=[flagged["id"]]),
                                                 {"decision": "voided", "reason": "x"})
    assert page.status_code == 403
    took_part = client.post(url, body, content_type="application/json", **_auth(world, "officer"))
    assert took_part.status_code == 422 and took_part.json()["errors"][0]["field"] == "decision"
    no_reason = client.post(url, {"decision": "confirmed", "reason": " "}, content_type="application/json",
                            **_auth(world, "leader"))
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    leader = login(world.users["leader"])
    done = leader.post(reverse("inspections:flag_review", args=[flagged["id"]]), body)
    assert done.status_code == 302
    row = Inspection.objects.get(pk=flagged["id"])
    assert (row.flag_review, row.reviewed_by, row.review_reason) == ("confirmed", world.users["leader"], body["reason"])
    assert campaign_summary(c, world.users["admin"])["inspected"] == 1  # confirmed: still counted
    detail = leader.get(reverse("inspections:inspection_detail", args=[flagged["id"]])).content.decode()
    assert "已确认" in detail and "公里" in detail


def test_an_inspection_that_opened_an_order_cannot_be_voided(world, client):
    c = campaign(world)
    _place(world)
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1],
                    answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
                    rectification_items="补建消杀台账", deadline=str(timezone.localdate() + datetime.timedelta(days=3)))
    assert flagged.status_code == 201 and flagged.json()["work_order_id"]
    refused = client.post(f"/api/v1/inspections/{flagged.json()['id']}/review",
                          {"decision": "voided", "reason": "定位在北京"}, content_type="application/json",
                          **_auth(world, "leader"))
    assert refused.status_code == 422 and "不能作废" in refused.json()["errors"][0]["message"]
    assert Inspection.objects.get(pk=flagged.json()["id"]).flag_review == "pending"


def test_the_review_list_is_scoped(world, client, login):
    c = campaign(world)
    _place(world)
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1]).json()
    make_user("beihong-cadre", Role.NEIGHBOURHOOD_CADRE, [world.hoods["beihong"]])
    from wangge.core.models import User

    outsider = User.objects.get(username="beihong-cadre")
    for n, user in enumerate(User.objects.order_by("pk")):  # people have Chinese names on a Chinese page
        User.objects.filter(pk=user.pk).update(full_name="张李王赵孙周吴郑冯陈"[n % 10] + "同志")
    mine = login(world.users["leader"]).get(reverse("inspections:flag_list")).content.decode()
    assert "老王面馆" in mine and reverse("inspections:flag_review", args=[flagged["id"]]) in mine
    assert problems(reads(mine), ALLOWED) == []  # reads Chinese: flags, buttons, times
    detail = login(world.users["leader"]).get(reverse("inspections:inspection_detail", args=[flagged["id"]]))
    assert problems(reads(detail.content.decode()), ALLOWED) == []
    theirs = login(outsider).get(reverse("inspections:flag_list")).content.decode()
    assert "老王面馆" not in theirs
    from wangge.core.models import ApiToken

    token = ApiToken.issue(outsider)[1]
    listed = client.get("/api/v1/inspections/flagged", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert listed["count"] == 0 if isinstance(listed, dict) else listed == []
    led = client.get(f"/api/v1/inspections/flagged?campaign={c.pk}&review=pending", **_auth(world, "leader")).json()
    items = led["items"] if isinstance(led, dict) else led
    assert [i["id"] for i in items] == [flagged["id"]]


def test_an_inspection_that_reopened_the_premises_cannot_be_voided(world, client):
    from wangge.places.services import apply_status

    c = campaign(world)
    premises = _place(world)
    apply_status(world.users["officer"], premises, "suspended", "《上海市疫情防控规定》第十条")
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1]).json()
    premises.refresh_from_db()
    assert premises.status == "open" and flagged["work_order_id"] is None
    refused = client.post(f"/api/v1/inspections/{flagged['id']}/review", {"decision": "voided", "reason": "定位在北京"},
                          content_type="application/json", **_auth(world, "leader"))
    assert refused.status_code == 422 and "正常营业" in refused.json()["errors"][0]["message"]


def test_a_voided_finding_leaves_the_ladder_and_the_risk_score(world, client):
    from wangge.inspections import ladder
    from wangge.inspections.models import RiskScore

    c = campaign(world)
    premises = _place(world)
    before = RiskScore.objects.filter(premises=premises).values_list("score", flat=True).first() or 0
    fixed = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1],
                  answers=dict(COMPLIANT, disinfection="no"), outcome="fixed", fixed_description="当场补记台账").json()
    assert "disinfection" in ladder.history(premises.pk)
    assert RiskScore.objects.get(premises=premises).score > before
    voided = client.post(f"/api/v1/inspections/{fixed['id']}/review", {"decision": "voided", "reason": "未到现场"},
                         content_type="application/json", **_auth(world, "leader"))
    assert voided.status_code == 200, voided.content
    assert ladder.history(premises.pk) == {}
    assert RiskScore.objects.get(premises=premises).score == before


def _told(inspection_id) -> set[str]:
    """Whom the flag reached, read straight from the notification table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT u.username FROM workorders_notification n JOIN core_user u ON u.id = n.user_id "
                       "WHERE n.key = %s", [f"flagged:{inspection_id}"])
        return {row[0] for row in cursor.fetchall()}


def test_a_flag_reaches_the_reviewers_who_took_no_part_once(world, client):
    c = campaign(world)
    _place(world)
    world.users["officer2"] = make_user("officer2", Role.DEPARTMENT_OFFICER, [], [world.departments["market"]])
    body_id = str(uuid.uuid4())
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1], client_id=body_id)
    assert flagged.status_code == 201
    # The market unit's other officer reviews it; the one who inspected may not, the leaders need not.
    assert _told(flagged.json()["id"]) == {"officer2"}
    again = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1], client_id=body_id)
    assert again.json()["id"] == flagged.json()["id"] and _told(flagged.json()["id"]) == {"officer2"}
    home = client.get("/api/v1/workorders/notifications", **_auth(world, "officer2")).json()
    items = home["items"] if isinstance(home, dict) else home
    assert any("待核查" in i["message"] or "核查" in i["message"] for i in items), items


def test_without_a_free_officer_the_town_leader_is_told(world, client):
    c = campaign(world)
    _place(world)
    flagged = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1])
    assert _told(flagged.json()["id"]) == {"leader"}  # the only market officer took part


def test_the_field_form_shows_the_distance_to_the_premises(world, login):
    c = campaign(world)
    task = _task(c, world)
    client = login(world.users["inspector"])
    url = reverse("inspections:task_distance", args=[task.pk])
    page = client.get(reverse("inspections:inspect", args=[task.pk])).content.decode()
    assert f'data-distance="{url}"' in page
    no_coordinates = client.get(url, {"latitude": "31.2", "longitude": "121.3"}).json()
    assert no_coordinates["metres"] is None and no_coordinates["far"] is False
    _place(world)
    near = client.get(url, {"latitude": "31.2175", "longitude": "121.3862"}).json()
    assert near["metres"] == round(_cosine_law_m(31.2175, 121.3862, float(SHANGHAI[0]), float(SHANGHAI[1])))
    assert near["far"] is False and "米" in near["text"]
    far = client.get(url, {"latitude": BEIJING[0], "longitude": BEIJING[1]}).json()
    assert far["far"] is True and "公里" in far["text"] and "500 米" in far["text"]
    assert client.get(url, {"latitude": "north", "longitude": "1"}).status_code == 400
    assert client.get(url, {"latitude": "91", "longitude": "1"}).status_code == 400


def _stored_accuracy(inspection_id):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT accuracy_m FROM {Inspection._meta.db_table} WHERE id = %s", [inspection_id])
        return cursor.fetchone()[0]


def test_the_phones_accuracy_is_kept_with_its_position_and_told_with_the_flag(world, client):
    """A reviewer of "far from the premises" sees whether the phone could tell: a position the network
    guessed to ±1.2 km says little about 1,000 km, and a lot about 600 m."""
    c = campaign(world)
    _place(world)
    far = _post(client, world, _task(c, world), latitude=BEIJING[0], longitude=BEIJING[1], accuracy_m=1234.4)
    assert far.status_code == 201, far.content
    flag = {f["code"]: f for f in far.json()["flags"]}["far_from_premises"]
    assert flag["params"]["accuracy_m"] == 1234 and _stored_accuracy(far.json()["id"]) == 1234
    assert flag["text"].endswith("手机报告的定位精度为 ±1.2 公里。")
    assert (far.json()["latitude"], far.json()["longitude"], far.json()["accuracy_m"]) == (*BEIJING, 1234)
    listed = client.get("/api/v1/inspections", **_auth(world, "inspector")).json()["items"]
    assert [(i["latitude"], i["accuracy_m"]) for i in listed if i["id"] == far.json()["id"]] == [(BEIJING[0], 1234)]
    # No position, no accuracy: alone it says nothing.
    unplaced = _post(client, world, _task(c, world, "linquan2"), accuracy_m=8)
    assert unplaced.status_code == 201 and _stored_accuracy(unplaced.json()["id"]) is None
    assert (unplaced.json()["latitude"], unplaced.json()["accuracy_m"]) == (None, None)


def test_an_impossible_accuracy_is_refused_by_field_and_nothing_is_written(world, client):
    c = campaign(world)
    before = Inspection.objects.count()
    refused = _post(client, world, _task(c, world), latitude=31.2175, longitude=121.3865, accuracy_m=-3)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["accuracy_m"], refused.json()
    assert Inspection.objects.count() == before


def test_a_bad_accuracy_is_reported_with_the_submissions_other_field_errors(world):
    """The service (every path's) names each field that is wrong at once, the accuracy among them."""
    from django.core.exceptions import ValidationError

    c = campaign(world)
    with pytest.raises(ValidationError) as refused:
        submit(world, _task(c, world), answers={}, latitude=Decimal("31.2175"), longitude=Decimal("121.3865"),
               accuracy_m=-1)
    fields = set(refused.value.message_dict)
    assert "accuracy_m" in fields and any(f.startswith("answers.") for f in fields), fields
    assert Inspection.objects.count() == 0


def test_a_network_guess_kilometres_out_is_kept_not_refused(world):
    """Made offline, a submission is never lost for what its phone said about itself: an estimate beyond
    100 km is kept as 100 km."""
    c = campaign(world)
    inspection, _created = submit(world, _task(c, world), latitude=Decimal("31.2175"), longitude=Decimal("121.3865"),
                                  accuracy_m=5_000_000.0)
    assert _stored_accuracy(inspection.pk) == 100_000


def test_the_field_form_keeps_the_accuracy_and_the_page_shows_it(world, login):
    c = campaign(world)
    task = _task(c, world)
    client = login(world.users["inspector"])
    url = reverse("inspections:inspect", args=[task.pk])
    page = client.get(url).content.decode()
    assert 'name="accuracy_m"' in page  # hidden, filled by inspect_form.js from the phone's fix
    data = {"client_id": str(uuid.uuid4()), "outcome": "compliant", "latitude": "31.217500",
            "longitude": "121.386500", "accuracy_m": "12", "inspectors": [world.users["officer"].pk],
            **{f"a_{code}": value for code, value in COMPLIANT.items()}}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(client_id=data["client_id"])
    assert _stored_accuracy(inspection.pk) == 12
    detail = client.get(reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert "31.217500, 121.386500 <span class=\"text-muted\">（定位精度 ±12 米）</span>" in detail
    # Said as the flag says a distance: from a kilometre up, in kilometres.
    Inspection.objects.filter(pk=inspection.pk).update(accuracy_m=1234)
    detail = client.get(reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert "（定位精度 ±1.2 公里）" in detail
    # A value that is no distance (the hidden field is the script's, not the inspector's) is dropped, not refused.
    for wrong in ("-5", "abc", "inf", "nan"):
        form = InspectionForm({**data, "accuracy_m": wrong}, items=[], people=User.objects.all())
        assert form.is_valid(), form.errors
        assert form.cleaned_data["accuracy_m"] is None, wrong
